from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rehab", "0002_open_list_indexes")]

    operations = [
        migrations.RenameField("episodestatuschange", "note", "reason"),
    ]
