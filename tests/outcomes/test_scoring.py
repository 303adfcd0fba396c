"""The scoring rules: SPPB bands at every boundary, COPM and PSFS means, the functional
variables' mean without 9, and input the rules refuse."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mestring.outcomes import scoring
from mestring.outcomes.scoring import (
    ScoringError,
    balance_points,
    chair_points,
    gait_points,
    sppb_score,
)


@pytest.mark.parametrize(
    ("side", "semi", "tandem", "points"),
    [
        (None, None, None, 0),
        ("9.99", "10", "10", 0),  # side by side failed: the test stops
        ("10", None, None, 1),
        ("10", "9.99", "10", 1),  # semi-tandem failed: stop
        ("10", "10", None, 2),
        ("10", "10", "2.99", 2),
        ("10", "10", "3", 3),
        ("10", "10", "9.99", 3),
        ("10", "10", "10", 4),
        ("10", "10", "25", 4),
    ],
)
def test_balance_bands(side, semi, tandem, points):
    assert balance_points(side, semi, tandem) == points


@pytest.mark.parametrize(
    ("seconds", "points"),
    [
        (None, 0),
        ("30", 1),
        ("8.71", 1),
        ("8.70", 2),
        ("6.21", 2),
        ("6.20", 3),
        ("4.82", 3),
        ("4.81", 4),
        ("2", 4),
        ("7,5", 2),  # comma decimal
    ],
)
def test_gait_bands(seconds, points):
    assert gait_points(seconds) == points


@pytest.mark.parametrize(
    ("seconds", "points"),
    [
        (None, 0),
        ("60.01", 0),
        ("60", 1),
        ("16.71", 1),
        ("16.70", 1),
        ("16.69", 2),
        ("13.70", 2),
        ("13.69", 3),
        ("11.20", 3),
        ("11.19", 4),
        ("8", 4),
    ],
)
def test_chair_bands(seconds, points):
    assert chair_points(seconds) == points


def _gait_reference(seconds: Decimal) -> int:
    if seconds > Decimal("8.70"):
        return 1
    if Decimal("6.21") <= seconds <= Decimal("8.70"):
        return 2
    if Decimal("4.82") <= seconds <= Decimal("6.20"):
        return 3
    return 4


def _chair_reference(seconds: Decimal) -> int:
    if seconds > 60:
        return 0
    if seconds >= Decimal("16.70"):
        return 1
    if Decimal("13.70") <= seconds <= Decimal("16.69"):
        return 2
    if Decimal("11.20") <= seconds <= Decimal("13.69"):
        return 3
    return 4


hundredths = st.integers(min_value=0, max_value=99_999).map(lambda n: Decimal(n) / 100)


@given(hundredths)
def test_gait_matches_the_table_for_every_time(seconds):
    assert gait_points(seconds) == _gait_reference(seconds)


@given(hundredths)
def test_chair_matches_the_table_for_every_time(seconds):
    assert chair_points(seconds) == _chair_reference(seconds)


@given(hundredths, hundredths)
def test_slower_never_scores_more(a, b):
    fast, slow = min(a, b), max(a, b)
    assert gait_points(fast) >= gait_points(slow)
    if slow <= 60:
        assert chair_points(fast) >= chair_points(slow)


@given(
    st.one_of(st.none(), hundredths),
    st.one_of(st.none(), hundredths),
    st.one_of(st.none(), hundredths),
    st.one_of(st.none(), hundredths),
    st.one_of(st.none(), hundredths),
)
def test_sppb_total_is_the_sum_and_within_0_to_12(side, semi, tandem, gait, chair):
    result = sppb_score(
        side_by_side_s=side if side is not None else "0",
        semi_tandem_s=semi,
        tandem_s=tandem,
        gait_s=gait if gait is not None else "1",
        chair_s=chair if chair is not None else "1",
    )
    assert 0 <= result.total <= 12
    assert result.total == result.balance + result.gait + result.chair


def test_points_may_be_entered_instead_of_times():
    result = sppb_score(balance=3, gait_s="5.0", chair="0")
    assert (result.balance, result.gait, result.chair, result.total) == (3, 3, 0, 6)
    assert result.gait_s == Decimal("5.00") and result.chair_s is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gait": 2, "chair": 2}, "samlede føtter"),
        ({"balance": 2, "chair": 2}, "4 meter"),
        ({"balance": 2, "gait": 2}, "fem reisninger"),
        ({"balance": 2, "side_by_side_s": "10", "gait": 1, "chair": 1}, "ikke begge"),
        ({"balance": 5, "gait": 1, "chair": 1}, "fra 0 til 4"),
        ({"balance": "1.5", "gait": 1, "chair": 1}, "helt tall"),
        ({"balance": 1, "gait_s": "-1", "chair": 1}, "negativ"),
        ({"balance": 1, "gait_s": "abc", "chair": 1}, "ikke et tall"),
        ({"balance": 1, "gait_s": "NaN", "chair": 1}, "ikke et tall"),
        ({"balance": 1, "gait_s": "1e400", "chair": 1}, "under 1000"),
    ],
)
def test_sppb_refuses_incomplete_or_bad_input(kwargs, message):
    with pytest.raises(ScoringError, match=message):
        sppb_score(**kwargs)


def test_copm_scores_are_the_means_to_two_decimals():
    activities = scoring.copm_activities([("Lage mat", 3, 2), ("Dusje", 4, 5), ("Handle", 4, 4)])
    assert scoring.copm_scores(activities) == (Decimal("3.67"), Decimal("3.67"))
    one = scoring.copm_activities([("Gå tur", 7, 10)])
    assert scoring.copm_scores(one) == (Decimal("7.00"), Decimal("10.00"))


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [("A", 1, 1)] * 6,
        [("A", 0, 5)],
        [("A", 5, 11)],
        [("A", "4.5", 5)],
        [("", 5, 5)],
    ],
)
def test_copm_refuses(rows):
    with pytest.raises(ScoringError):
        scoring.copm_activities(rows)


def test_psfs_mean_and_limits():
    rows = [("Gå trapper", 2), ("Bære handleposer", 3), ("Reise seg", 4), ("Sykle", 10)]
    assert scoring.psfs_score(scoring.psfs_activities(rows)) == Decimal("4.75")
    assert scoring.psfs_score(scoring.psfs_activities(rows[:3])) == Decimal("3.00")
    with pytest.raises(ScoringError, match="tre til fem"):
        scoring.psfs_activities(rows[:2])
    with pytest.raises(ScoringError, match="tre til fem"):
        scoring.psfs_activities(rows + rows[:2])
    with pytest.raises(ScoringError, match="0 til 10"):
        scoring.psfs_activities([*rows[:2], ("X", 11)])


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=3, max_size=5))
def test_psfs_mean_is_within_the_scale(scores):
    rows = [(f"Aktivitet {n}", s) for n, s in enumerate(scores)]
    total = scoring.psfs_score(scoring.psfs_activities(rows))
    assert min(scores) <= total <= max(scores)
    assert abs(total - Decimal(sum(scores)) / len(scores)) <= Decimal("0.005")


def test_function_mean_leaves_out_not_relevant():
    assert scoring.function_score({"a": 1, "b": 2, "c": 9, "d": 4}) == Decimal("2.33")
    assert scoring.function_score({"a": 9}) is None
    with pytest.raises(ScoringError, match="1, 2, 3, 4, 5 eller 9"):
        scoring.function_score({"a": 6})
    with pytest.raises(ScoringError, match="minst én"):
        scoring.function_score({})
