"""Relations that registering a message of need gave before intake relations: manual, 30
days, reason «Registrerte melding om behov». Those still running become intake
relations (the messages only), end at most three days after they began, and go to the
review queue."""

import datetime

from django.db import migrations

REASON = "Registrerte melding om behov"
INTAKE_DAYS = 3  # MESTRING_INTAKE_ACCESS_DAYS when this was written


def forwards(apps, schema_editor):
    CareRelation = apps.get_model("access", "CareRelation")
    now = datetime.datetime.now(datetime.UTC)
    running = CareRelation._base_manager.filter(
        kind="manuell", reason=REASON, valid_to__gt=now, staff__isnull=False
    )
    for relation in running.iterator():
        relation.kind = "mottak"
        relation.valid_to = min(
            relation.valid_to, relation.valid_from + datetime.timedelta(days=INTAKE_DAYS)
        )
        relation.needs_review = True
        relation.save(update_fields=["kind", "valid_to", "needs_review"])


class Migration(migrations.Migration):
    dependencies = [("access", "0009_care_relation_intake_review")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
