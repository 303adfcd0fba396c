"""Action status changes take the shared history shape: from/to status, a reason, the
user who changed it, and the year's status row they belong to. Plan versions get a
history of their own, filled in from when each was made and archived."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _fill_action_changes(apps, schema_editor):
    change_model = apps.get_model("actionplan", "ActionStatusChange")
    year_model = apps.get_model("actionplan", "ActionYearStatus")
    rows = {
        (row.action_id, row.year): row.pk
        for row in year_model._base_manager.only("pk", "action_id", "year")
    }
    changes = list(
        change_model._base_manager.select_related("changed_by").only(
            "pk", "action_id", "year", "municipality_id", "to_status", "changed_by__user_id"
        )
    )
    for change in changes:
        key = (change.action_id, change.year)
        if key not in rows:
            # A change with no year row left: give it back the row it describes.
            rows[key] = year_model._base_manager.create(
                municipality_id=change.municipality_id,
                action_id=change.action_id,
                year=change.year,
                status=change.to_status,
            ).pk
        change.year_status_id = rows[key]
        staff = change.changed_by
        change.changed_by_user_id = staff.user_id if staff is not None else None
    change_model._base_manager.bulk_update(
        changes, ["year_status_id", "changed_by_user_id"], batch_size=500
    )


def _fill_plan_history(apps, schema_editor):
    plan_model = apps.get_model("actionplan", "MunicipalPlan")
    history_model = apps.get_model("actionplan", "MunicipalPlanStatusChange")
    rows = []
    for plan in plan_model._base_manager.all():
        rows.append(
            history_model(
                municipality_id=plan.municipality_id,
                plan_id=plan.pk,
                from_status="",
                to_status="active",
                changed_at=plan.created_at,
            )
        )
        if plan.status == "archived":
            rows.append(
                history_model(
                    municipality_id=plan.municipality_id,
                    plan_id=plan.pk,
                    from_status="active",
                    to_status="archived",
                    changed_at=plan.archived_at or plan.created_at,
                )
            )
    history_model._base_manager.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0001_initial"),
        ("tenancy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("actionstatuschange", "old_status", "from_status"),
        migrations.RenameField("actionstatuschange", "new_status", "to_status"),
        migrations.RenameField("actionstatuschange", "note", "reason"),
        # The user beside the staff member for now; 0003 drops the staff member.
        migrations.AddField(
            model_name="actionstatuschange",
            name="changed_by_user",
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
            model_name="actionstatuschange",
            name="year_status",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="history",
                to="actionplan.actionyearstatus",
            ),
        ),
        migrations.CreateModel(
            name="MunicipalPlanStatusChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[("active", "Gjeldende"), ("archived", "Arkivert")],
                        max_length=20,
                        verbose_name="fra status",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[("active", "Gjeldende"), ("archived", "Arkivert")],
                        max_length=20,
                        verbose_name="til status",
                    ),
                ),
                (
                    "reason",
                    models.CharField(blank=True, max_length=500, verbose_name="begrunnelse"),
                ),
                (
                    "changed_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="endret"),
                ),
                (
                    "changed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="endret av",
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tenancy.municipality",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="actionplan.municipalplan",
                    ),
                ),
            ],
            options={
                "verbose_name": "statusendring for plan",
                "verbose_name_plural": "statusendringer for plan",
                "ordering": ["changed_at", "pk"],
                "abstract": False,
            },
        ),
        migrations.RunPython(_fill_action_changes, migrations.RunPython.noop),
        migrations.RunPython(_fill_plan_history, migrations.RunPython.noop),
    ]
