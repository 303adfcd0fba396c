"""History rows take the shared shape of the kernel's StatusHistory."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("devices", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("itemstatuschange", "note", "reason"),
        migrations.AddField(
            model_name="navapplicationstatuschange",
            name="reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="begrunnelse"),
        ),
        migrations.AlterField(
            model_name="itemstatuschange",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="endret"),
        ),
        migrations.AlterField(
            model_name="itemstatuschange",
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
            model_name="itemstatuschange",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("ledig", "Ledig"),
                    ("utlant", "Utlånt"),
                    ("rengjoring", "Venter på rengjøring"),
                    ("reparasjon", "Til reparasjon"),
                    ("kassert", "Kassert"),
                ],
                max_length=12,
                verbose_name="fra status",
            ),
        ),
        migrations.AlterField(
            model_name="itemstatuschange",
            name="reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="begrunnelse"),
        ),
        migrations.AlterField(
            model_name="itemstatuschange",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("ledig", "Ledig"),
                    ("utlant", "Utlånt"),
                    ("rengjoring", "Venter på rengjøring"),
                    ("reparasjon", "Til reparasjon"),
                    ("kassert", "Kassert"),
                ],
                max_length=12,
                verbose_name="til status",
            ),
        ),
        migrations.AlterField(
            model_name="navapplicationstatuschange",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="endret"),
        ),
        migrations.AlterField(
            model_name="navapplicationstatuschange",
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
            model_name="navapplicationstatuschange",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("sendt", "Sendt"),
                    ("innvilget", "Innvilget"),
                    ("avslatt", "Avslått"),
                    ("levert", "Levert"),
                    ("returnert", "Returnert"),
                ],
                max_length=12,
                verbose_name="fra status",
            ),
        ),
        migrations.AlterField(
            model_name="navapplicationstatuschange",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("sendt", "Sendt"),
                    ("innvilget", "Innvilget"),
                    ("avslatt", "Avslått"),
                    ("levert", "Levert"),
                    ("returnert", "Returnert"),
                ],
                max_length=12,
                verbose_name="til status",
            ),
        ),
    ]
