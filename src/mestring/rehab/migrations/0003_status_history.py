"""History rows take the shared shape of the kernel's StatusHistory."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0002_open_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("episodestatuschange", "note", "reason"),
        migrations.AlterField(
            model_name="episodestatuschange",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="endret"),
        ),
        migrations.AlterField(
            model_name="episodestatuschange",
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
            model_name="episodestatuschange",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("henvist", "Henvist"),
                    ("ikke_aktuell", "Vurdert ikke aktuell"),
                    ("venter", "Venter på oppstart"),
                    ("pagar", "Pågår"),
                    ("fullfort", "Fullført"),
                    ("avbrutt", "Avbrutt"),
                ],
                max_length=14,
                verbose_name="fra status",
            ),
        ),
        migrations.AlterField(
            model_name="episodestatuschange",
            name="reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="begrunnelse"),
        ),
        migrations.AlterField(
            model_name="episodestatuschange",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("henvist", "Henvist"),
                    ("ikke_aktuell", "Vurdert ikke aktuell"),
                    ("venter", "Venter på oppstart"),
                    ("pagar", "Pågår"),
                    ("fullfort", "Fullført"),
                    ("avbrutt", "Avbrutt"),
                ],
                max_length=14,
                verbose_name="til status",
            ),
        ),
    ]
