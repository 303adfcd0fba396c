import pytest

from mestring.kernel.errors import (
    Conflict,
    DomainError,
    NotAllowed,
    NotFound,
    RuleBroken,
    http_status,
)
from mestring.kernel.states import TransitionNotAllowed, check_transition


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotFound, 404, "not_found"),
        (NotAllowed, 403, "not_allowed"),
        (Conflict, 409, "conflict"),
        (RuleBroken, 422, "rule_broken"),
        (TransitionNotAllowed, 409, "transition_not_allowed"),
    ],
)
def test_each_error_has_its_status_code_and_a_norwegian_default(error, status, code):
    exc = error()
    assert http_status(exc) == status
    assert exc.code == code
    assert isinstance(exc, DomainError)
    assert (exc.message and exc.message.isascii() is False) or exc.message[0].isupper()


def test_message_and_code_given_win_and_stay_on_the_instance():
    exc = RuleBroken("Skriv en begrunnelse.", code="reason_missing", field="reason")
    assert str(exc) == "Skriv en begrunnelse."
    assert exc.code == "reason_missing"
    assert exc.field == "reason"
    assert RuleBroken.code == "rule_broken"


def test_check_transition_names_both_statuses_in_norwegian():
    table = {"open": {"closed"}}
    check_transition(table, "open", "closed", {})
    with pytest.raises(TransitionNotAllowed) as caught:
        check_transition(table, "closed", "open", {"closed": "Avsluttet", "open": "Åpen"})
    assert "«Avsluttet»" in caught.value.message
    assert "«Åpen»" in caught.value.message
