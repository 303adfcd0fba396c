"""A decision's status and history take the shared shape of the kernel's StatusHistory:
`state` becomes `status`, and each history row gets the moment it was recorded."""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

STATES = [
    ("gjeldende", "Gjeldende"),
    ("endret", "Erstattet av nytt vedtak"),
    ("stanset", "Stanset"),
]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def forwards(apps, schema_editor):
    """Rows written before `changed_at` existed were recorded on their `changed_on`."""
    change_model = apps.get_model("casework", "DecisionChange")
    rows = list(change_model.objects.only("pk", "changed_on"))
    for row in rows:
        row.changed_at = _at(row.changed_on)
    change_model.objects.bulk_update(rows, ["changed_at"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0010_appeal_history_rows"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("decision", "state", "status"),
        migrations.RenameField("decisionchange", "from_state", "from_status"),
        migrations.RenameField("decisionchange", "to_state", "to_status"),
        migrations.AlterField(
            model_name="decisionchange",
            name="from_status",
            field=models.CharField(
                blank=True, choices=STATES, max_length=12, verbose_name="fra status"
            ),
        ),
        migrations.AlterField(
            model_name="decisionchange",
            name="to_status",
            field=models.CharField(choices=STATES, max_length=12, verbose_name="til status"),
        ),
        migrations.AlterField(
            model_name="decisionchange",
            name="reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="begrunnelse"),
        ),
        migrations.AlterField(
            model_name="decisionchange",
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
        migrations.AddField(
            model_name="decisionchange",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="endret"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
