from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [
        migrations.RenameField("enrolmentstatuschange", "old_status", "from_status"),
        migrations.RenameField("enrolmentstatuschange", "new_status", "to_status"),
    ]
