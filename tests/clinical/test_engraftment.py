"""Engraftment and graft failure: clinical-vectors.md section F (ENG, PLT, GF)."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from clinical.engraftment import (
    SCALE,
    anc_from_differential,
    engraftment_from_record,
    neutrophil_engraftment,
    platelet_engraftment,
)
from clinical.grading.result import PROVISIONAL, Grade
from clinical.record import Event, EventType, Lab, LabTest

HSCT = date(2025, 6, 1)


def day(n: int) -> date:
    return HSCT + timedelta(days=n)


def series(*pairs: tuple[int, float]) -> list[tuple[date, float]]:
    return [(day(n), v) for n, v in pairs]


def is_provisional(g: Grade) -> bool:
    return any(f.startswith(PROVISIONAL) for f in g.flags)


# --- neutrophils ---------------------------------------------------------------

ENG_ROWS = [
    pytest.param(series((10, 0.1), (11, 0.3), (12, 0.6), (13, 0.7), (14, 0.9)), None, 12, id="ENG-01"),
    pytest.param(series((10, 0.1), (12, 0.6), (13, 0.4), (14, 0.8), (15, 1.0), (16, 1.2)), None, 14,
                 id="ENG-02"),
    pytest.param(series((0, 2.1), (1, 1.2), (2, 0.6), (3, 0.3), (4, 0.2), (5, 0.15), (6, 0.1), (7, 0.08),
                        (8, 0.05), (15, 0.6), (16, 0.8), (17, 0.9)), None, 15, id="ENG-03"),
    pytest.param(series((10, 0.2), (14, 0.6), (16, 0.7), (19, 0.8)), None, 14, id="ENG-04"),
    pytest.param(series((10, 0.1), (11, 0.3), (12, 0.50), (13, 0.7), (14, 0.8), (15, 0.9)),
                 {day(12): 0.45}, 13, id="ENG-05"),
]


@pytest.mark.parametrize(("anc", "manual", "expected_day"), ENG_ROWS)
def test_neutrophil_engraftment_vectors(anc: list[tuple[date, float]], manual: dict[date, float] | None,
                                        expected_day: int) -> None:
    g = neutrophil_engraftment(anc, HSCT, manual_anc=manual)
    assert g.value == day(expected_day), g.reason
    assert g.details["date"] == day(expected_day) and g.details["day"] == expected_day
    assert g.details["primary_graft_failure"] is False
    assert g.scale == SCALE
    assert not g.is_ambiguous, g.flags


def test_eng_05_without_the_manual_differential_exactly_0_5_counts() -> None:
    anc = series((10, 0.1), (11, 0.3), (12, 0.50), (13, 0.7), (14, 0.8), (15, 0.9))
    assert neutrophil_engraftment(anc, HSCT).value == day(12)
    # The manual differential is used only when the automated value is exactly 0.5.
    assert neutrophil_engraftment(anc, HSCT, manual_anc={day(13): 0.1}).value == day(12)


@pytest.mark.parametrize("row", [pytest.param(None, id="ENG-06")])
def test_eng_06_several_values_on_one_day_use_the_lowest(row: None) -> None:
    anc = series((10, 0.1), (11, 0.3), (12, 0.62), (12, 0.48), (13, 0.7), (14, 0.9), (15, 1.0))
    g = neutrophil_engraftment(anc, HSCT)
    assert g.value == day(13)
    assert g.is_ambiguous
    flag = next(f for f in g.flags if f.startswith("ambiguous"))
    assert "d+12" in flag  # the daily-highest reading, named in the flag


@pytest.mark.parametrize("row", [pytest.param(None, id="ENG-07")])
def test_eng_07_anc_from_the_differential(row: None) -> None:
    anc = anc_from_differential(1.2, 35, 5)
    assert anc == 0.48
    # 0.48 is below 0.5: it does not count and resets a run.
    g = neutrophil_engraftment(series((10, 0.1), (12, 0.6), (13, anc), (14, 0.8), (15, 0.9), (16, 1.0)), HSCT)
    assert g.value == day(14) and not g.is_ambiguous


def test_anc_from_differential_is_exact_and_validated() -> None:
    assert anc_from_differential(0.7, 50, 21.5) == 0.5005
    assert anc_from_differential(5.0, 0, 0) == 0.0
    with pytest.raises(ValueError):
        anc_from_differential(1.0, 90, 20)
    with pytest.raises(ValueError):
        anc_from_differential(-1.0, 10, 0)


@pytest.mark.parametrize("row", [pytest.param(None, id="GF-01")])
def test_gf_01_pbsc_no_recovery_by_day_30(row: None) -> None:
    anc = series(*((n, 0.1) for n in range(0, 32)))
    g = neutrophil_engraftment(anc, HSCT, graft="pbsc")
    assert g.value is None
    assert "primary graft failure" in g.flags
    assert g.details["primary_graft_failure"] is True
    assert not g.is_ambiguous
    # The same data assessed later, with an explicit as_of.
    later = neutrophil_engraftment(anc, HSCT, graft="pbsc", as_of=day(40))
    assert later.details["primary_graft_failure"] is True


@pytest.mark.parametrize("row", [pytest.param(None, id="GF-02")])
def test_gf_02_cord_engrafting_on_day_38(row: None) -> None:
    anc = series(*((n, 0.1) for n in range(0, 38)), (38, 0.6), (39, 0.7), (40, 0.9))
    g = neutrophil_engraftment(anc, HSCT, graft="cord")
    assert g.value == day(38) and g.details["day"] == 38
    assert "primary graft failure" not in g.flags
    assert g.details["primary_graft_failure"] is False
    assert not g.is_ambiguous


@pytest.mark.parametrize("row", [pytest.param(None, id="GF-03")])
def test_gf_03_bone_marrow_assessed_on_day_29(row: None) -> None:
    anc = series(*((n, 0.2) for n in range(0, 30)))
    g = neutrophil_engraftment(anc, HSCT, graft="bone_marrow", as_of=day(29))
    assert g.value is None
    assert "not yet evaluable" in g.reason
    assert "primary graft failure" not in g.flags
    assert g.is_ambiguous
    assert any("28" in f for f in g.flags if f.startswith("ambiguous"))


def test_primary_graft_failure_boundary_day_30_and_42() -> None:
    low = [(n, 0.1) for n in range(0, 44)]
    # Assessed on day 30 itself: not yet past the limit.
    g30 = neutrophil_engraftment(series(*low[:31]), HSCT, graft="pbsc")
    assert g30.value is None and "primary graft failure" not in g30.flags
    assert "not yet engrafted" in g30.reason
    g31 = neutrophil_engraftment(series(*low[:32]), HSCT, graft="pbsc")
    assert "primary graft failure" in g31.flags
    g42 = neutrophil_engraftment(series(*low[:43]), HSCT, graft="cord")
    assert "primary graft failure" not in g42.flags
    g43 = neutrophil_engraftment(series(*low[:44]), HSCT, graft="cord")
    assert "primary graft failure" in g43.flags and g43.details["primary_graft_failure"] is True


def test_engraftment_on_day_30_is_not_graft_failure_but_day_31_is() -> None:
    on_30 = series(*((n, 0.1) for n in range(0, 30)), (30, 0.6), (31, 0.7), (32, 0.8))
    g = neutrophil_engraftment(on_30, HSCT, graft="pbsc")
    assert g.value == day(30) and g.details["primary_graft_failure"] is False
    on_31 = series(*((n, 0.1) for n in range(0, 31)), (31, 0.6), (32, 0.7), (33, 0.8))
    late = neutrophil_engraftment(on_31, HSCT, graft="pbsc")
    assert late.value == day(31) and "primary graft failure" in late.flags


def test_a_run_started_by_the_limit_is_awaited_not_failed() -> None:
    anc = series(*((n, 0.1) for n in range(0, 30)), (30, 0.6), (31, 0.7))
    g = neutrophil_engraftment(anc, HSCT, graft="pbsc")
    assert g.value is None and "primary graft failure" not in g.flags
    assert "awaiting" in g.reason


def test_unknown_graft_source_is_provisional_when_it_matters() -> None:
    anc = series(*((n, 0.1) for n in range(0, 36)))
    g = neutrophil_engraftment(anc, HSCT)
    assert "primary graft failure" in g.flags and is_provisional(g)


def test_not_yet_engrafted_before_the_limit() -> None:
    g = neutrophil_engraftment(series((3, 0.4), (5, 0.1), (10, 0.2)), HSCT)
    assert g.value is None and g.reason.startswith("not yet engrafted")
    assert not g.flags and g.details["primary_graft_failure"] is None


def test_never_neutropenic() -> None:
    g = neutrophil_engraftment(series((0, 2.0), (5, 1.1), (10, 0.9), (20, 1.5)), HSCT)
    assert g.value is None
    assert "never neutropenic" in g.flags
    assert g.details["date"] is None and g.details["day"] is None
    assert "never neutropenic" in g.reason


def test_values_before_day_0_and_after_as_of_are_ignored() -> None:
    anc = series((-5, 0.1), (-4, 0.6), (-3, 0.7), (-2, 0.8), (3, 0.2), (12, 0.6), (13, 0.7), (14, 0.8))
    assert neutrophil_engraftment(anc, HSCT).value == day(12)
    g = neutrophil_engraftment(anc, HSCT, as_of=day(13))
    assert g.value is None and "awaiting" in g.reason


def test_no_values_after_day_0() -> None:
    g = neutrophil_engraftment(series((-3, 0.1)), HSCT)
    assert g.value is None and is_provisional(g)


# --- platelets --------------------------------------------------------------------

JUNE_13 = date(2025, 6, 13)
PLT_01_COUNTS = [30, 25, 10, 15, 19, 23, 25, 40, 50]
PLT_01 = [(date(2025, 6, 14) + timedelta(days=i), float(v)) for i, v in enumerate(PLT_01_COUNTS)]


@pytest.mark.parametrize("row", [pytest.param(None, id="PLT-01")])
def test_plt_01_cibmtr_worked_example(row: None) -> None:
    g20 = platelet_engraftment(PLT_01, [JUNE_13], HSCT)
    assert g20.value == date(2025, 6, 20)
    assert not g20.is_ambiguous
    # The >= 50 milestone, with 23 and 24 June staying >= 50.
    more = [*PLT_01, (date(2025, 6, 23), 55.0), (date(2025, 6, 24), 60.0)]
    g50 = platelet_engraftment(more, [JUNE_13], HSCT, threshold=50)
    assert g50.value == date(2025, 6, 22)
    assert not g50.is_ambiguous
    # Without 23-24 June the >= 50 run is not complete yet.
    assert platelet_engraftment(PLT_01, [JUNE_13], HSCT, threshold=50).value is None


def _plt_02(last: int) -> list[tuple[date, float]]:
    return series(*((n, 8.0) for n in range(5, 22)), *((n, 30.0) for n in range(22, last + 1)))


@pytest.mark.parametrize("row", [pytest.param(None, id="PLT-02")])
def test_plt_02_transfusion_free_for_seven_days(row: None) -> None:
    g = platelet_engraftment(_plt_02(30), [day(20)], HSCT)
    assert g.value == day(27) and g.details["day"] == 27
    assert not g.is_ambiguous


@pytest.mark.parametrize("row", [pytest.param(None, id="PLT-03")])
def test_plt_03_transfusion_inside_the_run_restarts(row: None) -> None:
    g = platelet_engraftment(_plt_02(30), [day(20), day(28)], HSCT)
    assert g.value is None
    assert g.details["earliest_eligible"] == day(35)
    assert g.is_ambiguous
    # With counts continuing, the earliest eligible date is the recovery date.
    g2 = platelet_engraftment(_plt_02(37), [day(20), day(28)], HSCT)
    assert g2.value == day(35)
    assert g2.is_ambiguous


@pytest.mark.parametrize("row", [pytest.param(None, id="PLT-04")])
def test_plt_04_never_low_and_never_transfused(row: None) -> None:
    g = platelet_engraftment(series(*((n, 150.0) for n in range(0, 30))), [], HSCT)
    assert g.value is None
    assert "not applicable" in g.reason
    assert not g.is_ambiguous


def test_platelet_seven_day_boundary() -> None:
    counts = series((5, 10.0), *((n, 30.0) for n in range(10, 20)))
    # Transfusion on day 4: day 11 is the first date D with the transfusion on or before D - 7.
    assert platelet_engraftment(counts, [day(4)], HSCT).value == day(11)
    # Transfusion on day 3: day 10 (D - 7 = day 3) already qualifies.
    assert platelet_engraftment(counts, [day(3)], HSCT).value == day(10)


def test_platelets_kept_up_by_transfusions_have_no_nadir() -> None:
    counts = series(*((n, 25.0) for n in range(0, 20)))
    g = platelet_engraftment(counts, [day(2)], HSCT)
    assert g.value == day(9) and g.is_ambiguous
    # A transfusion long before day 0 cannot matter: not applicable.
    assert "not applicable" in platelet_engraftment(counts, [day(-30)], HSCT).reason


def test_platelet_several_values_per_day_use_the_lowest() -> None:
    counts = series((5, 10.0), (10, 30.0), (11, 30.0), (11, 15.0), (12, 30.0), (13, 30.0), (14, 30.0))
    g = platelet_engraftment(counts, [], HSCT)
    assert g.value == day(12) and g.is_ambiguous


# --- from a record ---------------------------------------------------------------


def _lab(n: int, test: LabTest, value: float) -> Lab:
    return Lab(date=day(n), test=test, value=value, unit="10^9/L")


def test_engraftment_from_record_uses_first_hsct_and_platelet_transfusions_only() -> None:
    labs = [_lab(n, LabTest.ANC, 0.1) for n in range(0, 35)]
    labs += [_lab(n, LabTest.ANC, 0.8) for n in range(35, 40)]
    labs += [_lab(n, LabTest.PLT, 10.0) for n in range(0, 15)]
    labs += [_lab(n, LabTest.PLT, 40.0) for n in range(15, 40)]
    labs += [_lab(n, LabTest.WBC, 0.1) for n in range(0, 40)]
    events = [
        Event(type=EventType.HSCT, date=day(60), details={"graft": "matched_sibling"}),  # a second HSCT
        Event(type=EventType.HSCT, date=HSCT, details={"graft": "cord"}),
        Event(type=EventType.TRANSFUSION, date=day(14), details={"product": "platelets"}),
        Event(type=EventType.TRANSFUSION, date=day(20), details={"product": "red_cells"}),
        Event(type=EventType.TRANSFUSION, date=day(21), details={"product": "plasma"}),
    ]
    out = engraftment_from_record(labs, events)
    assert set(out) == {"neutrophil", "platelet"}
    # Cord blood: day 35 is inside the day +42 limit.
    assert out["neutrophil"].value == day(35)
    assert out["neutrophil"].details["primary_graft_failure"] is False
    # Only the platelet transfusion on day 14 counts: first eligible date day 21.
    assert out["platelet"].value == day(21)


def test_engraftment_from_record_without_hsct() -> None:
    out = engraftment_from_record([_lab(1, LabTest.ANC, 0.1)], [])
    assert out["neutrophil"].value is None and out["platelet"].value is None
    assert "no HSCT" in out["neutrophil"].reason


def test_twenty_thousand_rows_in_one_pass() -> None:
    # 20,000 rows: several per day for ~800 days, deep nadir then recovery on day 20.
    anc: list[tuple[date, float]] = []
    plt: list[tuple[date, float]] = []
    for i in range(20_000):
        n = i // 25
        anc.append((day(n), 0.05 if 2 <= n < 20 else 3.0 + (i % 25) / 100))
        plt.append((day(n), 5.0 if 2 <= n < 30 else 120.0 + i % 25))
    start = time.perf_counter()
    g = neutrophil_engraftment(anc, HSCT)
    p = platelet_engraftment(plt, [day(25)], HSCT)
    elapsed = time.perf_counter() - start
    assert g.value == day(20)
    assert p.value == day(32)
    assert elapsed < 5.0  # a quadratic scan of 20,000 rows would take minutes
