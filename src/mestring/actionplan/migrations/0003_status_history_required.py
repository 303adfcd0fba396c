import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0002_status_history")]

    operations = [
        migrations.RemoveField("actionstatuschange", "changed_by"),
        migrations.RenameField("actionstatuschange", "changed_by_user", "changed_by"),
        migrations.AlterField(
            model_name="actionstatuschange",
            name="year_status",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="history",
                to="actionplan.actionyearstatus",
            ),
        ),
    ]
