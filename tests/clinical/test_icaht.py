"""ICAHT neutrophil grades: clinical-vectors.md section H, rows ICAHT-01..09."""

from __future__ import annotations

import pytest

from clinical.grading.result import PROVISIONAL, Grade
from clinical.icaht import SCALE, early_icaht, late_icaht

RECOVERED = 1.5


def window(*spans: tuple[int, int, float], rest: float = RECOVERED) -> dict[int, float]:
    """Daily ANC for days 0..30: ``rest`` except the inclusive spans given."""
    anc = {d: rest for d in range(31)}
    for first, last, value in spans:
        for d in range(first, last + 1):
            anc[d] = value
    return anc


def is_provisional(g: Grade) -> bool:
    return any(f.startswith(PROVISIONAL) for f in g.flags)


EARLY_ROWS = [
    pytest.param(window((0, 5, 0.3)), 1, 6, 0, id="ICAHT-01"),
    pytest.param(window((0, 9, 0.3)), 2, 10, 0, id="ICAHT-02"),
    pytest.param(window((0, 14, 0.3)), 3, 15, 0, id="ICAHT-03"),
    pytest.param(window((0, 11, 0.3), (2, 9, 0.05)), 3, 12, 8, id="ICAHT-04"),
    pytest.param(window((0, 13, 0.05)), 4, 14, 14, id="ICAHT-05"),
    pytest.param(window((0, 30, 0.4)), 4, 31, 0, id="ICAHT-06"),
    pytest.param(window((0, 6, 0.3), (7, 8, 0.6), (9, 13, 0.3)), 3, 14, 0, id="ICAHT-07"),
    pytest.param(window((0, 6, 0.50)), 2, 7, 0, id="ICAHT-08"),
]


@pytest.mark.parametrize(("anc", "grade", "days_le_0_5", "days_le_0_1"), EARLY_ROWS)
def test_early_icaht_vectors(anc: dict[int, float], grade: int, days_le_0_5: int, days_le_0_1: int) -> None:
    g = early_icaht(anc)
    assert g.value == grade, g.reason
    assert g.details["days_le_0_5"] == days_le_0_5
    assert g.details["days_le_0_1"] == days_le_0_1
    assert g.scale == SCALE
    assert not g.is_ambiguous and not g.flags


def test_icaht_07_counts_the_blip() -> None:
    g = early_icaht(window((0, 6, 0.3), (7, 8, 0.6), (9, 13, 0.3)))
    assert g.details["recovery_blip_days"] == 2
    assert "recovery shorter than 3 days" in g.reason


@pytest.mark.parametrize("row", [pytest.param(None, id="ICAHT-09")])
def test_icaht_09_late(row: None) -> None:
    g = late_icaht([0.9, 0.9])
    assert g.value == 2
    assert g.scale == SCALE
    assert not g.is_ambiguous


# --- boundaries and rules -----------------------------------------------------------


def test_a_recovery_of_three_days_is_a_recovery() -> None:
    g = early_icaht(window((0, 6, 0.3), (7, 9, 0.6), (10, 14, 0.3)))
    assert g.details["days_le_0_5"] == 12 and g.value == 2


def test_a_short_rise_before_the_first_neutropenic_day_does_not_count() -> None:
    g = early_icaht(window((2, 7, 0.3)))
    assert g.details["days_le_0_5"] == 6 and g.value == 1


def test_thresholds_are_inclusive() -> None:
    assert early_icaht(window((0, 6, 0.51))).value == 0
    assert early_icaht(window((0, 6, 0.5))).value == 2
    assert early_icaht(window((0, 13, 0.3), (0, 6, 0.1))).details["days_le_0_1"] == 7
    assert early_icaht(window((0, 13, 0.3), (0, 6, 0.11))).details["days_le_0_1"] == 0


def test_grade_cut_points() -> None:
    assert early_icaht(window((0, 12, 0.3))).value == 2  # 13 days
    assert early_icaht(window((0, 13, 0.3))).value == 3  # 14 days
    assert early_icaht(window((0, 20, 0.3), (0, 5, 0.05))).value == 3  # 6 days <= 0.1, 21 <= 0.5
    assert early_icaht(window((0, 20, 0.3), (0, 12, 0.05))).value == 3  # 13 days <= 0.1
    assert early_icaht(window((0, 20, 0.3), (0, 13, 0.05))).value == 4  # 14 days <= 0.1
    assert early_icaht(window()).value == 0


def test_a_day_with_several_values_uses_its_lowest() -> None:
    anc: dict[int, float | list[float]] = {d: RECOVERED for d in range(31)}
    for d in range(0, 7):
        anc[d] = [0.9, 0.4]
    assert early_icaht(anc).value == 2


def test_never_above_needs_the_whole_window() -> None:
    part = {d: 0.3 for d in range(0, 21)}  # nothing measured after day 20
    g = early_icaht(part)
    assert g.value == 3 and is_provisional(g)


def test_unmeasured_days_between_neutropenic_values_are_counted_and_flagged() -> None:
    anc = {0: 0.3, 3: 0.3, 6: 0.3, 9: 2.0, 30: 2.0}
    g = early_icaht(anc)
    assert g.details["days_le_0_5"] == 7  # days 0..6
    assert g.value == 2 and is_provisional(g)


def test_blips_through_the_whole_window_are_flagged() -> None:
    g = early_icaht(window((0, 30, 0.3), (10, 11, 0.7)))
    assert g.value == 3 and g.is_ambiguous


def test_days_outside_0_to_30_are_ignored() -> None:
    anc = window((0, 5, 0.3))
    anc[-3] = 0.01
    anc[45] = 0.01
    assert early_icaht(anc).value == 1
    assert early_icaht({}).value is None


@pytest.mark.parametrize(("values", "grade"), [
    ([1.6, 2.0], 0),
    ([1.5, 1.5], 1),
    ([1.0, 0.9], 2),
    ([1.0, 1.2], 1),  # only one value <= 1.0
    ([0.5, 0.5], 3),
    ([0.1, 0.1], 4),
    ([0.05, 1.2, 3.0], 1),  # one transient low is not confirmed
    ([0.11, 0.2], 3),
])
def test_late_icaht_cut_points(values: list[float], grade: int) -> None:
    g = late_icaht(values)
    assert g.value == grade, g.reason
    assert not g.flags


def test_late_icaht_needs_two_measurements() -> None:
    for values in ([], [0.05]):
        g = late_icaht(values)
        assert g.value is None and is_provisional(g)
