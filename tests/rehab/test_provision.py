"""Assigning hverdagsrehabilitering reaches the programme: the person is on its waiting
list, linked to the decision, and the assigned unit's therapists may open the person.
Stopping the decision ends the episode it started."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from mestring.casework import services as casework_services
from mestring.catalogue import services as catalogue_services
from mestring.catalogue.models import WaitingListEntry
from mestring.rehab.models import Episode, EpisodeStatus
from mestring.rehab.selectors import waiting_list
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for
from tests.catalogue.helpers import provider, service, service_decision
from tests.rehab.helpers import everyday

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def therapy_unit(world):
    """The programme's own unit provides hverdagsrehabilitering, room for two."""
    unit = factories.UnitFactory(municipality=world.municipality, name="Fysio- og ergoterapi")
    programme = everyday(world.municipality)
    programme.unit = unit
    programme.save()
    provider(service(world.municipality, "hverdagsrehabilitering"), unit, "2")
    return unit


def _assign(world, decision, unit):
    with activate(world.municipality):
        return catalogue_services.decision_assign(
            actor=actor_for(world.caseworker), decision=decision, unit=unit, starts_on=TODAY
        )


def _decision(world, person):
    return service_decision(
        person, service(world.municipality, "hverdagsrehabilitering"), world.caseworker
    )


def test_an_assignment_puts_the_person_on_the_programmes_waiting_list(
    world, therapy_unit, client_for
):
    therapist = factories.StaffFactory(municipality=world.municipality)
    therapist.units.add(therapy_unit)
    factories.give_role(therapist, "tjenesteyter")
    decision = _decision(world, world.person)
    assert client_for(therapist).get(f"/personer/{world.person.pk}/").status_code == 403

    _assign(world, decision, therapy_unit)

    episode = Episode.all_objects.get(decision=decision)
    assert (episode.person, episode.programme) == (world.person, everyday(world.municipality))
    assert (episode.status, episode.referral_source) == (EpisodeStatus.REFERRED, "tjenestekontor")
    assert episode.referral_date == TODAY
    assert "Fysio- og ergoterapi" in episode.referral_reason
    with activate(world.municipality):
        assert episode in list(waiting_list(everyday(world.municipality)))
    # The unit's care relation comes with the assignment: the therapist opens the person
    # and the programme's waiting list names them.
    client = client_for(therapist)
    assert client.get(f"/personer/{world.person.pk}/").status_code == 200
    assert world.person.family_name in client.get("/rehabilitering/venteliste/").content.decode()


def test_one_episode_per_decision(world, therapy_unit):
    decision = _decision(world, world.person)
    assignment = _assign(world, decision, therapy_unit)
    with activate(world.municipality):
        catalogue_services.assignment_end(
            actor=actor_for(world.caseworker), assignment=assignment, ends_on=TODAY
        )
        catalogue_services.decision_assign(
            actor=actor_for(world.caseworker),
            decision=decision,
            unit=therapy_unit,
            starts_on=TODAY + datetime.timedelta(days=1),
        )
    assert Episode.all_objects.filter(decision=decision).count() == 1


def test_a_service_no_programme_runs_makes_no_episode(world):
    unit = factories.UnitFactory(municipality=world.municipality, name="Dagsenteret")
    day_places = service(world.municipality, "dagplass")
    provider(day_places, unit, "1")
    decision = service_decision(world.person, day_places, world.caseworker)
    _assign(world, decision, unit)
    assert not Episode.all_objects.filter(decision=decision).exists()


def test_a_full_unit_puts_the_person_on_its_waiting_list_first(world, therapy_unit):
    for name in ("Først", "Andre"):
        _assign(
            world,
            _decision(
                world, factories.PersonFactory(municipality=world.municipality, family_name=name)
            ),
            therapy_unit,
        )
    decision = _decision(world, world.person)
    entry = _assign(world, decision, therapy_unit)
    assert isinstance(entry, WaitingListEntry)
    # No place yet, so not the programme's work yet: it comes when a place is given.
    assert not Episode.all_objects.filter(decision=decision).exists()


@pytest.mark.parametrize("started", [False, True])
def test_stopping_the_decision_ends_the_episode(world, therapy_unit, started):
    decision = _decision(world, world.person)
    _assign(world, decision, therapy_unit)
    episode = Episode.all_objects.get(decision=decision)
    actor = actor_for(world.caseworker)
    if started:
        from mestring.rehab import services as rehab_services

        with activate(world.municipality):
            rehab_services.episode_assess(
                actor=actor, episode=episode, assessed_on=TODAY, assessment="aktuell"
            )
            rehab_services.episode_start(actor=actor, episode=episode, start_date=TODAY)
    with activate(world.municipality):
        casework_services.decision_stop(
            actor=actor, decision=decision, stopped_on=TODAY, reason="Flyttet fra kommunen"
        )
    episode.refresh_from_db()
    if started:
        assert (episode.status, episode.end_date) == (EpisodeStatus.DISCONTINUED, TODAY)
        assert episode.end_reason == "Vedtaket er stanset"
    else:
        assert episode.status == EpisodeStatus.NOT_RELEVANT
        assert episode.assessment == "ikke_aktuell"
