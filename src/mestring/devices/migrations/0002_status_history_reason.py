from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("devices", "0001_initial")]

    operations = [
        migrations.RenameField("itemstatuschange", "note", "reason"),
    ]
