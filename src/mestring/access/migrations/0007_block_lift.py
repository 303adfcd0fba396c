"""A lifted block keeps who lifted it and why (a reason from a fixed list and text)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0006_audit_prune_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="block",
            name="end_reason",
            field=models.TextField(
                blank=True, max_length=1000, verbose_name="begrunnelse for oppheving"
            ),
        ),
        migrations.AddField(
            model_name="block",
            name="end_reason_code",
            field=models.CharField(
                blank=True,
                choices=[
                    ("personen_ba_om_det", "Personen ba om å oppheve sperringen"),
                    (
                        "representant_ba_om_det",
                        "Verge eller annen som handler for personen ba om å oppheve sperringen",
                    ),
                    ("feilregistrert", "Sperringen var registrert ved en feil"),
                ],
                max_length=30,
                verbose_name="grunn til oppheving",
            ),
        ),
        migrations.AddField(
            model_name="block",
            name="ended_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="opphevet av",
            ),
        ),
    ]
