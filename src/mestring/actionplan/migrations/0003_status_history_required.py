import django.db.models.deletion
import django.utils.timezone
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
        migrations.AlterField(
            model_name="actionstatuschange",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="endret"),
        ),
        migrations.AlterField(
            model_name="actionstatuschange",
            name="from_status",
            field=models.CharField(
                choices=[
                    ("ikke_startet", "Ikke startet"),
                    ("pagar", "Pågår"),
                    ("gjennomfort", "Gjennomført"),
                    ("utsatt", "Utsatt"),
                    ("avlyst", "Avlyst"),
                ],
                max_length=20,
                verbose_name="fra status",
            ),
        ),
        migrations.AlterField(
            model_name="actionstatuschange",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("ikke_startet", "Ikke startet"),
                    ("pagar", "Pågår"),
                    ("gjennomfort", "Gjennomført"),
                    ("utsatt", "Utsatt"),
                    ("avlyst", "Avlyst"),
                ],
                max_length=20,
                verbose_name="til status",
            ),
        ),
    ]
