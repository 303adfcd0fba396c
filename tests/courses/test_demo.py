"""The demo builders of friskliv and courses: believable amounts, idempotent."""

import datetime
import random

import pytest
from django.utils import timezone

from mestring.courses.demo import build_courses_demo
from mestring.courses.models import Course, Enrolment
from mestring.friskliv.demo import build_friskliv_demo
from mestring.friskliv.models import Prescription
from mestring.people.models import Person
from mestring.tenancy.context import activate
from tests import factories


@pytest.mark.django_db
def test_demo_data_is_believable_and_idempotent(world):
    # Half of them 65 or over, so the falls course (65+) has more takers than places
    # whatever ages the factory would draw.
    for index in range(40):
        birth = datetime.date(1945, 3, 1) if index % 2 else datetime.date(1985, 3, 1)
        factories.PersonFactory(municipality=world.municipality, birth_date=birth)
    with activate(world.municipality):
        persons = list(Person.objects.all())
        rng = random.Random(1)
        today = timezone.localdate()
        build_friskliv_demo(rng, persons, world.caseworker, today)
        build_courses_demo(rng, persons, world.caseworker, today)
        build_friskliv_demo(rng, persons, world.caseworker, today)
        build_courses_demo(rng, persons, world.caseworker, today)
        assert Prescription.objects.count() == 60
        assert Course.objects.count() == 4
        assert Enrolment.objects.filter(status="venteliste").exists()
