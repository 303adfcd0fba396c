"""Meeting invitations as iCalendar (RFC 5545) files.

An invitation ends up in calendars and e-mail systems outside the record, so it holds
no name of the person and no health information: a neutral summary, the time and
the place. SEQUENCE rises with each change, so calendars replace the old version;
a cancelled meeting is sent with STATUS:CANCELLED.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from mestring.teams.models import Meeting

PRODID = "-//Mestring//Ansvarsgrupper//NO"
SUMMARY = "Ansvarsgruppemøte"
UID_DOMAIN = "mestring"


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@{UID_DOMAIN}"


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def meeting_event(meeting: Meeting, *, stamp: datetime.datetime, url: str = "") -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", SUMMARY)
    event.add("location", meeting.place)
    event.add("sequence", meeting.sequence)
    cancelled = meeting.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if url:
        event.add("url", url)
        event.add("description", url)
    return event


def meetings_calendar(
    meetings: Iterable[Meeting],
    *,
    stamp: datetime.datetime | None = None,
    url_for: Callable[[Meeting], str] | None = None,
    name: str = "",
) -> bytes:
    """A VCALENDAR with one VEVENT per meeting; `url_for` gives each event a link back to
    the meeting page (behind login), `name` names a subscribed calendar."""
    stamp = stamp or datetime.datetime.now(datetime.UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        url = url_for(meeting) if url_for else ""
        calendar.add_component(meeting_event(meeting, stamp=stamp, url=url))
    return calendar.to_ical()


def ics_filename(meeting: Meeting) -> str:
    """A file name with the date only (no name of the person)."""
    local = timezone.localtime(meeting.starts_at)
    return f"ansvarsgruppemote-{local:%Y-%m-%d}.ics"
