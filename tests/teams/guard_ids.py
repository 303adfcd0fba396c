"""Ids of a member, a meeting and a follow-up item of world.person, for the guard walker."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mestring.teams.models import FollowUpItem, GroupMember, Meeting, ResponsibilityGroup


def make_ids(world) -> dict[str, int]:
    municipality = world.municipality
    group = ResponsibilityGroup.all_objects.create(
        municipality=municipality, person=world.person, started_on=datetime.date(2026, 1, 5)
    )
    member = GroupMember.all_objects.create(
        municipality=municipality,
        group=group,
        kind="ekstern",
        name="Fastlege Test",
        role="Fastlege",
        started_on=datetime.date(2026, 1, 5),
    )
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = Meeting.all_objects.create(
        municipality=municipality,
        group=group,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place="Rådhuset",
        status="avholdt",
    )
    item = FollowUpItem.all_objects.create(
        municipality=municipality,
        meeting=meeting,
        what="Søke om hjelpemiddel",
        responsible_member=member,
        due_on=datetime.date(2026, 12, 1),
    )
    return {"member_id": member.pk, "meeting_id": meeting.pk, "item_id": item.pk}
