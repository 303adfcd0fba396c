from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("friskliv", "0001_initial")]

    operations = [
        migrations.RenameField("prescriptionstatuschange", "old_status", "from_status"),
        migrations.RenameField("prescriptionstatuschange", "new_status", "to_status"),
    ]
