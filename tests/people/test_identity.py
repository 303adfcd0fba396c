"""Tests for mestring.people.identity (fødselsnummer and D-nummer).

Every number here is either synthetic (month + 80) or built on the fly from invented
dates; none is copied from anywhere. Messages are only evaluated when Django's app
registry is ready (under pytest-django); every other test checks `exc.code`.
"""

from __future__ import annotations

import calendar
import datetime
import random
from typing import NamedTuple

import pytest
from django.apps import apps
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from mestring.people import identity
from mestring.people.identity import (
    IdentityKind,
    InvalidNationalId,
    NationalId,
    control_digits_valid,
    make_national_id,
    parse_national_id,
    random_synthetic_national_id,
)

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


# --- Oracles, written the way the rules are usually stated, independent of the module. ---


def classic_control_digits(first9: str, k1_remainder: int = 0) -> str | None:
    """k1 = (11 + r) - (sum mod 11), k2 = 11 - (sum mod 11); 11 -> 0, 10 -> no number."""
    k1 = 11 + k1_remainder - sum(int(d) * w for d, w in zip(first9, K1_WEIGHTS, strict=True)) % 11
    if k1 >= 11:
        k1 -= 11
    if k1 == 10:
        return None
    k2 = 11 - sum(int(d) * w for d, w in zip(first9 + str(k1), K2_WEIGHTS, strict=True)) % 11
    if k2 == 11:
        k2 = 0
    if k2 == 10:
        return None
    return f"{k1}{k2}"


def decoded_date_is_plausible(day_field: int, month_field: int) -> bool:
    """Remove the D-number and synthetic offsets, then ask the calendar (leap year 2000)."""
    day = day_field - 40 if 41 <= day_field <= 71 else day_field
    month = month_field - 80 if 81 <= month_field <= 92 else month_field
    try:
        datetime.date(2000, month, day)
    except ValueError:
        return False
    return True


def with_first_valid_individual(date_fields: str, yy: str = "05") -> str:
    """Complete DDMM + YY with the first individual number that has valid control digits."""
    for individual in range(1000):
        first9 = f"{date_fields}{yy}{individual:03d}"
        controls = classic_control_digits(first9)
        if controls is not None:
            return first9 + controls
    raise AssertionError("unreachable")


def refusal_code(raw: str, *, allow_synthetic: bool = True) -> str:
    with pytest.raises(InvalidNationalId) as excinfo:
        parse_national_id(raw, allow_synthetic=allow_synthetic)
    return excinfo.value.code


# --- Strategies. ---


@st.composite
def days_and_months(draw: st.DrawFn) -> tuple[int, int]:
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(2000, month)[1]))
    return day, month


class Built(NamedTuple):
    number: str
    d_number: bool
    synthetic: bool
    remainder: int | None


ANY_BOOL = st.booleans()
ANY_REMAINDER: st.SearchStrategy[int | None] = st.sampled_from([None, 1, 2, 3])


@st.composite
def built_ids(
    draw: st.DrawFn,
    d_number: st.SearchStrategy[bool] = ANY_BOOL,
    synthetic: st.SearchStrategy[bool] = ANY_BOOL,
    remainder: st.SearchStrategy[int | None] = ANY_REMAINDER,
) -> Built:
    day, month = draw(days_and_months())
    is_d, is_synthetic, rule_remainder = draw(d_number), draw(synthetic), draw(remainder)
    number = make_national_id(
        day,
        month,
        draw(st.integers(0, 99)),
        draw(st.integers(0, 999)),
        d_number=is_d,
        synthetic=is_synthetic,
        rule_2032_remainder=rule_remainder,
    )
    assume(number is not None)
    return Built(number, is_d, is_synthetic, rule_remainder)


# --- Properties. The example count comes from the Hypothesis profile (tests/conftest.py):
# 1 000 per property in the full suite, 50 in `make test-fast`. ---


@given(days_and_months(), st.integers(0, 99), st.integers(0, 999))
def test_current_rule_matches_classic_formula_and_is_accepted(
    day_month: tuple[int, int], yy: int, individual: int
) -> None:
    day, month = day_month
    first9 = f"{day:02d}{month:02d}{yy:02d}{individual:03d}"
    controls = classic_control_digits(first9)
    number = make_national_id(day, month, yy, individual)
    if controls is None:
        assert number is None
        return
    assert number == first9 + controls
    assert control_digits_valid(number)
    parsed = parse_national_id(number, allow_synthetic=False)
    assert parsed == NationalId(number, IdentityKind.FODSELSNUMMER, synthetic=False)


@given(built_ids(remainder=st.sampled_from([1, 2, 3])))
def test_2032_rule_numbers_are_accepted_and_differ_from_current_rule(built: Built) -> None:
    number = built.number
    assert classic_control_digits(number[:9], built.remainder) == number[9:]
    # Not valid under today's rule: its k1 would be another digit (or none at all).
    assert classic_control_digits(number[:9]) != number[9:]
    assert control_digits_valid(number)
    parsed = parse_national_id(number, allow_synthetic=True)
    assert parsed.value == number


@given(built_ids(d_number=st.just(True)))
def test_d_numbers_are_accepted_as_dnr(built: Built) -> None:
    assert 41 <= int(built.number[:2]) <= 71
    parsed = parse_national_id(built.number, allow_synthetic=True)
    assert parsed.kind is IdentityKind.D_NUMMER
    assert parsed.kind == "dnr"
    assert parsed.synthetic is built.synthetic


@given(built_ids(d_number=st.just(False)))
def test_fodselsnumre_are_accepted_as_fnr(built: Built) -> None:
    parsed = parse_national_id(built.number, allow_synthetic=True)
    assert parsed.kind is IdentityKind.FODSELSNUMMER
    assert parsed.kind == "fnr"


@given(built_ids(synthetic=st.just(True)))
def test_synthetic_numbers_only_when_allowed(built: Built) -> None:
    assert 81 <= int(built.number[2:4]) <= 92
    assert refusal_code(built.number, allow_synthetic=False) == "synthetic"
    parsed = parse_national_id(built.number, allow_synthetic=True)
    assert parsed.synthetic is True
    assert parsed.kind == (IdentityKind.D_NUMMER if built.d_number else IdentityKind.FODSELSNUMMER)


@given(built_ids(synthetic=st.just(False)), st.booleans())
def test_real_numbers_accepted_whether_or_not_synthetic_allowed(
    built: Built, allow_synthetic: bool
) -> None:
    parsed = parse_national_id(built.number, allow_synthetic=allow_synthetic)
    assert parsed.synthetic is False


@given(
    st.integers(0, 20)
    .filter(lambda n: n != 11)
    .flatmap(lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)),
    st.booleans(),
)
def test_wrong_length_is_refused(raw: str, allow_synthetic: bool) -> None:
    assert refusal_code(raw, allow_synthetic=allow_synthetic) == "length"
    assert not control_digits_valid(raw)


# Anything but an ASCII digit, including other scripts' digits (U+0663, U+FF13, ...).
non_ascii_digits = st.characters(codec="utf-8").filter(lambda c: c not in "0123456789")


@given(built_ids(), st.integers(0, 10), non_ascii_digits)
def test_a_non_digit_in_place_of_a_digit_is_refused(
    built: Built, position: int, character: str
) -> None:
    raw = built.number[:position] + character + built.number[position + 1 :]
    assert refusal_code(raw) == "length"
    assert not control_digits_valid(raw)


@given(built_ids(), st.integers(1, 10), non_ascii_digits.filter(lambda c: c != " "))
def test_a_non_digit_inside_the_number_is_refused(
    built: Built, position: int, character: str
) -> None:
    raw = built.number[:position] + character + built.number[position:]
    assert refusal_code(raw) == "length"


@given(
    built_ids(),
    st.text(alphabet=" \t\n\r\u00a0", max_size=4),
    st.text(alphabet=" \t\n\r\u00a0", max_size=4),
    st.lists(st.integers(1, 10), max_size=4),
)
def test_surrounding_whitespace_and_inner_spaces_are_ignored(
    built: Built, before: str, after: str, space_positions: list[int]
) -> None:
    spaced = built.number
    for position in sorted(space_positions, reverse=True):
        spaced = spaced[:position] + " " + spaced[position:]
    parsed = parse_national_id(before + spaced + after, allow_synthetic=True)
    assert parsed.value == built.number


def test_k2_weights_catch_every_single_digit_change() -> None:
    # The k2 check is sum(w_i * d_i) ≡ 0 (mod 11) with weights 5 4 3 2 7 6 5 4 3 2 1.
    # Changing digit i by delta (1..9 in absolute value) changes the sum by w_i * delta.
    # 11 is prime and divides neither factor, so the sum leaves 0: no position escapes.
    for weight in (*K2_WEIGHTS, 1):
        for delta in range(1, 10):
            assert weight * delta % 11 != 0


@given(built_ids(), st.integers(0, 10), st.integers(1, 9))
def test_changing_any_single_digit_makes_the_number_invalid(
    built: Built, position: int, shift: int
) -> None:
    digits = list(built.number)
    digits[position] = str((int(digits[position]) + shift) % 10)
    changed = "".join(digits)
    assert not control_digits_valid(changed)
    # The date check runs first, so the change shows up as a date or a control error.
    assert refusal_code(changed) in {"date", "control"}


@given(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 999))
def test_date_part_is_accepted_exactly_when_plausible(
    day_field: int, month_field: int, yy: int, individual: int
) -> None:
    first9 = f"{day_field:02d}{month_field:02d}{yy:02d}{individual:03d}"
    controls = classic_control_digits(first9)
    assume(controls is not None)
    number = first9 + controls
    if decoded_date_is_plausible(day_field, month_field):
        assert parse_national_id(number, allow_synthetic=True).value == number
    else:
        assert refusal_code(number) == "date"


def test_every_date_field_exhaustively() -> None:
    accepted = 0
    for day_field in range(100):
        for month_field in range(100):
            number = with_first_valid_individual(f"{day_field:02d}{month_field:02d}")
            if decoded_date_is_plausible(day_field, month_field):
                parse_national_id(number, allow_synthetic=True)
                accepted += 1
            else:
                assert refusal_code(number) == "date"
    # 366 days (29 February included) x (fnr, dnr) x (real, synthetic).
    assert accepted == 366 * 2 * 2


@pytest.mark.parametrize(
    "date_fields",
    [
        "0001",  # day 0
        "0100",  # month 0
        "0113",  # month 13
        "3201",  # 32 January
        "3102",  # 31 February
        "3002",  # 30 February
        "3104",  # 31 April
        "3106",  # 31 June
        "3109",  # 31 September
        "3111",  # 31 November
        "4001",  # D-number day 0
        "7201",  # D-number day 32
        "7104",  # D-number 31 April
        "0141",  # month + 40 (H-number): not accepted
        "0180",  # synthetic month 0
        "0193",  # synthetic month 13
        "3184",  # synthetic 31 April
        "7184",  # synthetic D-number 31 April
    ],
)
def test_impossible_dates_are_refused(date_fields: str) -> None:
    number = with_first_valid_individual(date_fields)
    assert control_digits_valid(number)
    assert refusal_code(number) == "date"


@pytest.mark.parametrize("date_fields", ["2902", "6902", "2982", "6982", "3112", "7192"])
def test_29_february_and_other_edge_days_are_accepted(date_fields: str) -> None:
    parse_national_id(with_first_valid_individual(date_fields), allow_synthetic=True)


# --- Hand-computed synthetic examples (15 March 2005, month 03 + 80 = 83). ---
#
# 15830512303, today's rule: first nine digits 1 5 8 3 0 5 1 2 3.
#   k1 sum: 1*3 + 5*7 + 8*6 + 3*1 + 0*8 + 5*9 + 1*4 + 2*5 + 3*2 = 154 = 11*14, rest 0,
#           so k1 = 11 - 0 = 11 -> 0.
#   k2 sum: 1*5 + 5*4 + 8*3 + 3*2 + 0*7 + 5*6 + 1*5 + 2*4 + 3*3 + 0*2 = 107, rest 8,
#           so k2 = 11 - 8 = 3.
# Same date as synthetic D-number, day 15 + 40 = 55:
#   individual 123: k1 sum 154 + 4*3 = 166, rest 1, k1 = 10: no number.
#   individual 124: k1 sum 166 + 1*2 = 168, rest 3, k1 = 8;
#                   k2 sum 107 + 4*5 + 1*3 + 8*2 - 0*2 = 146, rest 3, k2 = 8 -> 55830512488.
# 2032 rule for 158305123 (k1 sum rest 0, k2 sum without k1 = 107):
#   remainder 1: k1 = 1, k2 sum 107 + 2 = 109, rest 10, k2 = 1  -> 15830512311.
#   remainder 2: k1 = 2, k2 sum 107 + 4 = 111, rest 1, k2 = 10: no number.
#   remainder 3: k1 = 3, k2 sum 107 + 6 = 113, rest 3, k2 = 8   -> 15830512338.


def test_hand_computed_examples_are_built() -> None:
    assert make_national_id(15, 3, 5, 123, synthetic=True) == "15830512303"
    assert make_national_id(15, 3, 5, 123, d_number=True, synthetic=True) is None
    assert make_national_id(15, 3, 5, 124, d_number=True, synthetic=True) == "55830512488"
    assert make_national_id(15, 3, 5, 123, synthetic=True, rule_2032_remainder=1) == ("15830512311")
    assert make_national_id(15, 3, 5, 123, synthetic=True, rule_2032_remainder=2) is None
    assert make_national_id(15, 3, 5, 123, synthetic=True, rule_2032_remainder=3) == ("15830512338")


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("15830512303", IdentityKind.FODSELSNUMMER),
        ("55830512488", IdentityKind.D_NUMMER),
        ("15830512311", IdentityKind.FODSELSNUMMER),
        ("15830512338", IdentityKind.FODSELSNUMMER),
        (" 158305 12303\n", IdentityKind.FODSELSNUMMER),
        ("1583 0512 303", IdentityKind.FODSELSNUMMER),
    ],
)
def test_hand_computed_examples_are_parsed(raw: str, kind: IdentityKind) -> None:
    parsed = parse_national_id(raw, allow_synthetic=True)
    assert parsed.value == raw.replace(" ", "").strip()
    assert parsed.kind is kind
    assert parsed.synthetic is True
    assert refusal_code(raw, allow_synthetic=False) == "synthetic"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "length"),
        ("   ", "length"),
        ("1583051230", "length"),  # 10 digits
        ("158305123033", "length"),  # 12 digits
        ("158305-12303", "length"),
        ("15.83.05 12303", "length"),
        ("15830512303a", "length"),
        ("1583051230\u0663", "length"),  # Arabic-Indic digit three
        ("1583051230\uff13", "length"),  # fullwidth digit three
        ("15830512304", "control"),  # k2 off by one
        ("15830512313", "control"),  # k1 = 1 needs k2 = 1, not 3
        ("15830512320", "control"),  # k1 = 2 has no valid k2 (see above)
        ("15130512303", "date"),  # month digit changed: 13
    ],
)
def test_hand_written_refusals(raw: str, code: str) -> None:
    assert refusal_code(raw) == code


# --- Builder and demo-data helper. ---


@pytest.mark.parametrize(
    "kwargs",
    [
        {"day": 31, "month": 4, "yy": 5, "individual": 123},
        {"day": 0, "month": 1, "yy": 5, "individual": 123},
        {"day": 1, "month": 13, "yy": 5, "individual": 123},
        {"day": 1, "month": 1, "yy": 100, "individual": 123},
        {"day": 1, "month": 1, "yy": -1, "individual": 123},
        {"day": 1, "month": 1, "yy": 5, "individual": 1000},
        {"day": 1, "month": 1, "yy": 5, "individual": -1},
        {"day": 1, "month": 1, "yy": 5, "individual": 123, "rule_2032_remainder": 4},
        {"day": 1, "month": 1, "yy": 5, "individual": 123, "rule_2032_remainder": -1},
    ],
)
def test_make_national_id_refuses_bad_arguments(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        make_national_id(**kwargs)


@given(st.randoms(use_true_random=False), st.dates(), st.booleans())
def test_random_synthetic_national_id_is_valid_and_synthetic(
    rng: random.Random, birth_date: datetime.date, d_number: bool
) -> None:
    number = random_synthetic_national_id(rng, birth_date, d_number=d_number)
    day_field = birth_date.day + (40 if d_number else 0)
    assert number[:6] == f"{day_field:02d}{birth_date.month + 80:02d}{birth_date.year % 100:02d}"
    parsed = parse_national_id(number, allow_synthetic=True)
    assert parsed.synthetic is True
    assert parsed.kind == (IdentityKind.D_NUMMER if d_number else IdentityKind.FODSELSNUMMER)
    assert refusal_code(number, allow_synthetic=False) == "synthetic"


def test_random_synthetic_national_id_is_reproducible() -> None:
    birth_date = datetime.date(1999, 12, 31)
    first = random_synthetic_national_id(random.Random(7), birth_date)
    assert first == random_synthetic_national_id(random.Random(7), birth_date)


# --- Shape of the API. ---


def test_national_id_repr_does_not_show_the_number() -> None:
    parsed = parse_national_id("15830512303", allow_synthetic=True)
    assert "15830512303" not in repr(parsed)
    assert str(parsed) == "15830512303"


def test_no_birth_date_or_gender_helpers_are_offered() -> None:
    forbidden = ("birth", "gender", "sex", "kjonn", "fodselsdato", "century")
    names = [name.lower() for name in identity.__all__]
    assert not [name for name in names if any(word in name for word in forbidden)]
    assert not [name for name in dir(identity) if any(word in name.lower() for word in forbidden)]


def test_invalid_national_id_is_a_value_error_with_a_code() -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_national_id("1", allow_synthetic=False)
    assert isinstance(excinfo.value, InvalidNationalId)
    assert excinfo.value.code == "length"


@pytest.mark.skipif(not apps.ready, reason="needs Django settings and apps (pytest-django)")
@pytest.mark.parametrize(
    ("raw", "allow_synthetic", "message"),
    [
        ("123", False, "Fødselsnummeret må ha 11 siffer."),
        ("15130512303", False, "De seks første sifrene i fødselsnummeret er ikke en gyldig dato."),
        (
            "15830512304",
            False,
            "Kontrollsifrene stemmer ikke. Sjekk at nummeret er skrevet riktig.",
        ),
        ("15830512303", False, "Syntetiske testnumre er ikke tillatt i denne installasjonen."),
    ],
)
def test_messages_in_bokmal(raw: str, allow_synthetic: bool, message: str) -> None:
    with pytest.raises(InvalidNationalId) as excinfo:
        parse_national_id(raw, allow_synthetic=allow_synthetic)
    # No active translation: the source text, which is the bokmål sentence itself.
    with translation.override(None):
        assert str(excinfo.value.message) == message
        assert str(excinfo.value) == message


def test_the_full_suite_checks_each_property_with_1000_examples():
    # The properties above take their example count from the profile; the full suite's
    # profile must keep at least the 1 000 the identity-number rules were written for.
    from hypothesis import settings

    from tests.conftest import HYPOTHESIS_PROFILE

    if HYPOTHESIS_PROFILE == "ci":
        assert settings.default.max_examples >= 1000
    else:
        assert settings.get_profile("ci").max_examples >= 1000
