"""History rows take the shared shape of the kernel's StatusHistory."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("friskliv", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("prescriptionstatuschange", "old_status", "from_status"),
        migrations.RenameField("prescriptionstatuschange", "new_status", "to_status"),
        migrations.AddField(
            model_name="prescriptionstatuschange",
            name="reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="begrunnelse"),
        ),
        migrations.AlterField(
            model_name="prescriptionstatuschange",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="endret"),
        ),
        migrations.AlterField(
            model_name="prescriptionstatuschange",
            name="changed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="endret av",
            ),
        ),
        migrations.AlterField(
            model_name="prescriptionstatuschange",
            name="from_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="fra status"),
        ),
        migrations.AlterField(
            model_name="prescriptionstatuschange",
            name="to_status",
            field=models.CharField(max_length=20, verbose_name="til status"),
        ),
    ]
