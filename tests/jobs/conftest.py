from __future__ import annotations

import datetime
import zoneinfo

import pytest

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


@pytest.fixture(autouse=True)
def _jobs_urls(settings: object) -> None:
    settings.ROOT_URLCONF = "tests.jobs.urls"
    settings.MESTRING_SITE_URL = "https://mestring.example.kommune.no"


def at(day: datetime.date, hour: int = 7) -> datetime.datetime:
    """A moment on `day`, Oslo time: the worker's morning run."""
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)
