"""The course pages: permission, the person tab (guarded), enrolment from the person's
page onto the waiting list, attendance form, junk input, fixed query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.courses.models import Attendance, Course, CourseSession, Enrolment
from tests import factories
from tests.courses.helpers import enrol, make_course, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    return make_course(world.caseworker, capacity=1)


def course_data(unit, **extra: str) -> dict[str, str]:
    return {
        "title": "Fallforebygging 65+",
        "kind": "gruppetrening",
        "target_group": "fallforebygging_65",
        "unit": str(unit.pk),
        "description": "Styrke og balanse.",
        "capacity": "8",
        "starts_on": "01.12.2026",
        "ends_on": "28.02.2027",
        "is_published": "on",
        **extra,
    }


def test_course_pages_need_the_permission(world, client_for, course):
    session = make_session(world.caseworker, course)
    urls = [
        reverse("courses:course_list"),
        reverse("courses:course_create"),
        reverse("courses:course_detail", args=[course.pk]),
        reverse("courses:course_edit", args=[course.pk]),
        reverse("courses:session_create", args=[course.pk]),
        reverse("courses:attendance", args=[course.pk, session.pk]),
    ]
    for staff in (world.read_only, world.owner, world.admin):
        client = client_for(staff)
        for url in urls:
            assert client.get(url).status_code == 403, (staff, url)
    client = client_for(world.read_only)
    enrolment = enrol(world.caseworker, course, world.person)
    for name in ("courses:enrolment_withdraw", "courses:enrolment_complete"):
        assert client.post(reverse(name, args=[course.pk, enrolment.pk])).status_code == 403
    assert Enrolment.all_objects.get().status == "pameldt"


def test_create_course_and_session(world, client_for):
    unit = factories.UnitFactory(municipality=world.municipality, name="Frisklivssentralen")
    client = client_for(world.caseworker)
    response = client.post(reverse("courses:course_create"), course_data(unit), follow=True)
    course = Course.all_objects.get()
    assert response.redirect_chain[-1][0] == reverse("courses:course_detail", args=[course.pk])
    assert "Kurset er lagret." in response.content.decode()
    url = reverse("courses:session_create", args=[course.pk])
    data = {"day": "02.12.2026", "start_time": "10:00", "end_time": "11:30", "place": "Sal 2"}
    response = client.post(url, {**data, "topic": "Balanse"}, follow=True)
    assert "Samlingen er lagret." in response.content.decode()
    session = CourseSession.all_objects.get()
    assert (session.place, session.topic) == ("Sal 2", "Balanse")


def test_bad_input_keeps_what_was_typed(world, client_for, course):
    unit = factories.UnitFactory(municipality=world.municipality)
    client = client_for(world.caseworker)
    data = {
        **course_data(unit, capacity="mange", starts_on="1.13.2026", kind="tull"),
        "unit": "999999",
    }
    response = client.post(reverse("courses:course_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv et helt tall." in html and 'value="mange"' in html
    assert "Datoen må skrives som dd.mm.åååå." in html
    assert "Velg en type fra listen." in html and "Velg en enhet fra listen." in html
    url = reverse("courses:session_create", args=[course.pk])
    response = client.post(url, {"day": "02.12.2026", "start_time": "25:00", "end_time": "x"})
    assert response.status_code == 200
    assert "Klokkeslettet må skrives som tt:mm" in response.content.decode()
    data = {"day": "02.12.2026", "start_time": "11:00", "end_time": "10:00", "place": "Sal"}
    response = client.post(url, data)
    assert "Samlingen må slutte etter at den starter." in response.content.decode()
    assert Course.all_objects.count() == 1 and not CourseSession.all_objects.exists()


def test_person_tab_enrols_and_puts_the_second_on_the_waiting_list(world, client_for, course):
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    client = client_for(world.owner)  # a care relation is enough to enrol from the tab
    url = reverse("courses:person_courses", args=[world.person.pk])
    page = client.get(url)
    assert page.status_code == 200 and "KOLS-skole" in page.content.decode()
    response = client.post(url, {"course": str(course.pk), "note": ""}, follow=True)
    assert "Personen er meldt på kurset." in response.content.decode()
    url_other = reverse("courses:person_courses", args=[other.pk])
    response = client.post(url_other, {"course": str(course.pk)}, follow=True)
    html = response.content.decode()
    assert "Kurset er fullt. Personen står som nummer 1 på ventelisten." in html
    assert "Venteliste" in html
    # Twice is refused with a message on the form.
    response = client.post(url_other, {"course": str(course.pk)})
    assert "står allerede på ventelisten" in response.content.decode()


@pytest.mark.parametrize("data", [{"course": "abc"}, {"course": "999999"}, {}, {"note": "x" * 600}])
def test_junk_enrolment_never_500(world, client_for, course, data):
    url = reverse("courses:person_courses", args=[world.person.pk])
    response = client_for(world.owner).post(url, data)
    assert response.status_code == 200
    assert not Enrolment.all_objects.exists()


def test_outsider_is_refused_on_the_person_tab(world, client_for, course):
    client = client_for(world.outsider)
    url = reverse("courses:person_courses", args=[world.person.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"course": str(course.pk)}).status_code == 403
    assert not Enrolment.all_objects.exists()


def test_attendance_form_and_matrix(world, client_for, course):
    course.capacity = 3
    course.save()
    session = make_session(world.caseworker, course)
    persons = [factories.PersonFactory(municipality=world.municipality) for _ in range(3)]
    a, b, _c = (enrol(world.caseworker, course, p) for p in persons)
    client = client_for(world.caseworker)
    url = reverse("courses:attendance", args=[course.pk, session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('type="checkbox"') == 3
    response = client.post(url, {"present": [str(a.pk), str(b.pk)]}, follow=True)
    assert "Oppmøtet er lagret." in response.content.decode()
    assert Attendance.all_objects.filter(present=True).count() == 2
    assert Attendance.all_objects.filter(present=False).count() == 1
    matrix = response.context["data"].matrix
    assert sorted(row.present_count for row in matrix) == [0, 1, 1]
    # Junk: an id that is not a participant, or not a number.
    for junk in (["999999"], ["abc"]):
        response = client.post(url, {"present": junk})
        assert response.status_code == 200
        assert "Velg blant deltakerne på kurset." in response.content.decode()
    other_course = make_course(world.caseworker, title="MS-trening")
    wrong = reverse("courses:attendance", args=[other_course.pk, session.pk])
    assert client.get(wrong).status_code == 404


def test_withdraw_from_the_course_page_moves_the_next_up(world, client_for, course):
    persons = [factories.PersonFactory(municipality=world.municipality) for _ in range(2)]
    first, second = (enrol(world.caseworker, course, p) for p in persons)
    client = client_for(world.caseworker)
    url = reverse("courses:enrolment_withdraw", args=[course.pk, first.pk])
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert "har fått plass fra ventelisten" in html
    second.refresh_from_db()
    assert second.status == "pameldt"
    # Again: not allowed, shown as a message, no 500.
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "Kan ikke endre status" in response.content.decode()
    assert client.get(url).status_code == 405


def _fill(world, course, persons: int, sessions: int) -> None:
    for index in range(sessions):
        make_session(world.caseworker, course, days=index + 1)
    for _ in range(persons):
        enrol(world.caseworker, course, factories.PersonFactory(municipality=world.municipality))


def test_course_detail_and_list_in_fixed_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.caseworker)
    course = make_course(world.caseworker, capacity=3)
    _fill(world, course, persons=2, sessions=1)
    detail = reverse("courses:course_detail", args=[course.pk])
    listing = reverse("courses:course_list")
    with django_assert_max_num_queries(40) as small_detail:
        assert client.get(detail).status_code == 200
    with django_assert_max_num_queries(40) as small_list:
        assert client.get(listing).status_code == 200
    _fill(world, course, persons=10, sessions=6)
    for index in range(8):
        make_course(world.caseworker, title=f"Kurs {index}")
    with django_assert_max_num_queries(len(small_detail.captured_queries)):
        response = client.get(detail)
    assert len(response.context["data"].waiting) == 9
    assert "Dager på venteliste" in response.content.decode()
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        client.get(listing)


@pytest.mark.attack
def test_participants_are_named_to_the_course_unit_and_logged(world, client_for, course):
    """(M5) Participants and the waiting list name a person only to staff of the course's
    unit or with a care relation; each name shown is in the person's access log."""
    from mestring.access.models import AuditEvent

    stranger = factories.PersonFactory(municipality=world.municipality, family_name="Kursesen")
    enrol(world.caseworker, course, world.person)
    enrol(world.caseworker, course, stranger)  # capacity 1: on the waiting list
    url = reverse("courses:course_detail", args=[course.pk])
    factories.give_role(world.outsider, "tjenesteyter")
    body = client_for(world.outsider).get(url).content.decode()
    assert "Kursesen" not in body and "Navn vises ikke" in body
    assert not AuditEvent.all_objects.filter(user=world.outsider.user, person=stranger).exists()
    world.outsider.units.add(course.unit)
    body = client_for(world.outsider).get(url).content.decode()
    assert "Kursesen" in body and world.person.family_name in body
    logged = AuditEvent.all_objects.filter(user=world.outsider.user, object_type="course")
    assert set(logged.exclude(person=None).values_list("person_id", flat=True)) == {
        world.person.pk,
        stranger.pk,
    }
