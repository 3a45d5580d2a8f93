"""clinical-rules.md Part A 1.1, Dosing: one test per decision, at each edge it names."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinical.derive import derive
from clinical.dosing import body_size, bsa_rounded, compute_doses, course_basis
from clinical.days import anchors
from clinical.record import (
    Course, CourseCategory, DayReference, DoseUnit, DrugLine, Event, EventType, Measurement,
)
from clinical.record_json import dumps, to_document
from clinical.record_schema import parse_record
from resources import DEMO_RECORD

D = date(2024, 1, 1)


def _line(drug: str, dose: float, unit: DoseUnit = DoseUnit.MG_M2, days: tuple[int, ...] = (1,),
          per_day: int = 1) -> DrugLine:
    return DrugLine(drug=drug, dose=dose, unit=unit, days=days, doses_per_day=per_day)


def _course(name: str, start: date | None, *lines: DrugLine,
            ref: DayReference = DayReference.COURSE_START) -> Course:
    return Course(name=name, category=CourseCategory.CHEMOTHERAPY, start_date=start,
                  day_reference=ref, drugs=lines)


def _m(on: date, height: float | None = None, weight: float | None = None) -> Measurement:
    return Measurement(date=on, height_cm=height, weight_kg=weight)


# --- BSA is rounded half-up to 0.01 m² before it multiplies a dose -------------------------

@pytest.mark.parametrize(("height", "weight", "bsa", "amount"), [
    pytest.param(170, 65, "1.75", "350", id="seed-1.752-to-1.75"),
    pytest.param(100, 109.6209, "1.75", "350", id="exactly-1.745-rounds-up"),
    pytest.param(100, 109.62, "1.74", "348", id="just-below-1.745-rounds-down"),
    pytest.param(175, 58, "1.68", "336", id="1.6787-to-1.68"),
])
def test_bsa_rounded_half_up_before_dosing(height: float, weight: float, bsa: str,
                                           amount: str) -> None:
    assert bsa_rounded(height, weight) == Decimal(bsa)
    course = _course("Cy", D, _line("cyclophosphamide", 200))
    (calc,), = compute_doses([course], [_m(D, height, weight)], [])
    assert calc.body.bsa_m2 == Decimal(bsa)             # the rounded BSA is the one shown
    assert calc.amount == Decimal(amount)
    assert f"BSA {bsa} m²" in calc.basis


# --- one measurement basis per course ------------------------------------------------------

def test_one_basis_per_course_even_when_a_measurement_falls_between_its_days() -> None:
    course = _course("HyperCVAD-A", D, _line("cyclophosphamide", 300, days=(1, 2, 3)),
                     _line("doxorubicin", 50, days=(4,)),
                     _line("methotrexate", 10, DoseUnit.MG_KG, days=(11,)))
    before = [_m(D - timedelta(days=3), 170, 70)]
    between = [*before, _m(D + timedelta(days=2), 170, 50)]   # weight lost on day 3
    for meas in (before, between):
        cy, dox, mtx = compute_doses([course], meas, [])[0]
        assert {cy.body, dox.body, mtx.body} == {cy.body}
        assert cy.body.weight_kg == 70 and cy.body.weight_date == D - timedelta(days=3)
        assert dox.amount == Decimal("50") * Decimal("1.82")
        assert mtx.amount == Decimal("700")


@pytest.mark.parametrize(("measurements", "height", "weight", "bsa"), [
    pytest.param([_m(D - timedelta(days=30), 170, 70), _m(D - timedelta(days=1), weight=60)],
                 170, 60, "1.68", id="weight-only-entry-updates-weight-height-stays"),
    pytest.param([_m(D - timedelta(days=30), 170, 70), _m(D - timedelta(days=1), height=160)],
                 160, 70, "1.76", id="height-only-entry-updates-height-weight-stays"),
    pytest.param([_m(D - timedelta(days=30), 170, 70), _m(D, weight=60)],
                 170, 60, "1.68", id="measured-on-the-first-day-counts"),
    pytest.param([_m(D - timedelta(days=30), 170, 70), _m(D + timedelta(days=1), weight=60)],
                 170, 70, "1.82", id="measured-the-day-after-does-not"),
    pytest.param([_m(D - timedelta(days=1), weight=60)], None, 60, None,
                 id="weight-only-no-bsa"),
])
def test_basis_takes_latest_height_and_latest_weight_independently(
        measurements: list[Measurement], height: float | None, weight: float | None,
        bsa: str | None) -> None:
    basis = course_basis(_course("c", D, _line("cytarabine", 100)), measurements, {})
    assert (basis.body.height_cm, basis.body.weight_kg) == (height, weight)
    assert basis.body.bsa_m2 == (Decimal(bsa) if bsa else None)


@pytest.mark.parametrize(("course", "events", "first"), [
    pytest.param(_course("c", D, _line("a", 1, days=(5,)), _line("b", 1, days=(1,))), [],
                 D, id="earliest-line-not-the-first-line"),
    pytest.param(_course("c", D, _line("a", 1, days=(3,)), _line("b", 1, days=(0,))), [],
                 D - timedelta(days=1), id="a-day-0-line-before-the-start-date"),
    pytest.param(_course("cond", None, _line("busulfan", 3.2, DoseUnit.MG_KG, (-7, -6)),
                         _line("fludarabine", 30, days=(-9, -8)), ref=DayReference.HSCT),
                 [Event(type=EventType.HSCT, date=D)], D - timedelta(days=9),
                 id="event-anchored-earliest-computed-date"),
])
def test_first_administration_is_the_earliest_date_of_any_line(
        course: Course, events: list[Event], first: date) -> None:
    basis = course_basis(course, [], anchors(events))
    assert basis.first_date == first


def test_first_administration_decides_which_measurement_is_used() -> None:
    cond = _course("cond", None, _line("fludarabine", 30, days=(-6, -5)),
                   _line("busulfan", 3.2, DoseUnit.MG_KG, days=(-3,)), ref=DayReference.HSCT)
    hsct = [Event(type=EventType.HSCT, date=D)]
    meas = [_m(D - timedelta(days=10), 170, 70), _m(D - timedelta(days=4), 170, 60)]
    flu, bu = compute_doses([cond], meas, hsct)[0]
    assert flu.body.weight_kg == bu.body.weight_kg == 70   # day -6 decides, not day -3
    assert bu.amount == Decimal("224")


# --- a course anchored to an event the record lacks -----------------------------------------

@pytest.mark.parametrize(("ref", "label"), [
    pytest.param(DayReference.HSCT, "HSCT", id="no-hsct"),
    pytest.param(DayReference.CART_INFUSION, "CAR-T", id="no-cart"),
])
def test_course_anchored_to_a_missing_event(ref: DayReference, label: str) -> None:
    course = _course("prophylaxis", None, _line("methotrexate", 15, days=(1, 3, 6)), ref=ref)
    meas = [_m(D, 170, 70), _m(D + timedelta(days=40), 170, 60)]  # the latest decides
    (calc,), = compute_doses([course], meas, [])
    assert calc.dates == ()
    assert calc.body.weight_kg == 60 and calc.amount == Decimal("15") * Decimal("1.68")
    assert any(w.startswith(f"no {label} recorded") for w in calc.warnings)
    doc = to_document_of([course], meas)
    assert doc["courses"][0]["drugs"][0]["computed"]["dates"] == []


def to_document_of(courses: list[Course], meas: list[Measurement],
                   events: tuple[Event, ...] = ()) -> dict:
    record, problems = parse_record({"format": "hemalog.record", "version": 1, "patient": {
        "mrn": "T1", "name": "Test", "diagnosis": "T-ALL"}})
    assert record is not None, problems
    from dataclasses import replace
    record = replace(record, courses=tuple(courses), measurements=tuple(meas),
                     events=tuple(events))
    return json.loads(dumps(to_document(record, derive(record))))


# --- one date per calendar day -------------------------------------------------------------

@pytest.mark.parametrize(("days", "per_day", "dates", "administrations"), [
    pytest.param((1,), 2, [D], 2, id="q12h-day-1-one-date-two-administrations"),
    pytest.param((1, 2), 4, [D, D + timedelta(days=1)], 8, id="q6h-two-days"),
    pytest.param((3, 1), 1, [D, D + timedelta(days=2)], 2, id="days-out-of-order-sorted"),
])
def test_computed_dates_one_per_calendar_day(days: tuple[int, ...], per_day: int,
                                             dates: list[date], administrations: int) -> None:
    course = _course("c", D, _line("cytarabine", 1000, days=days, per_day=per_day))
    (calc,), = compute_doses([course], [_m(D, 170, 65)], [])
    assert list(calc.dates) == dates
    assert calc.administrations == administrations


# --- cumulative anthracycline ----------------------------------------------------------------

MEAS = [_m(date(2023, 1, 1), 170, 65)]   # BSA 1.75


def _anth(courses: list[Course], meas: list[Measurement] = MEAS) -> list[list[str]]:
    """Per course, the cumulative-anthracycline warnings of its lines."""
    return [[w for calc in calcs for w in calc.warnings if "cumulative anthracycline" in w]
            for calcs in compute_doses(courses, meas, [])]


@pytest.mark.parametrize(("first", "second", "warned"), [
    pytest.param(399, 50, [False, False], id="449-no-warning"),
    pytest.param(400, 50, [False, True], id="450-exactly-warns"),
    pytest.param(400, 149, [False, True], id="549-alert-not-limit"),
])
def test_cumulative_anthracycline_thresholds(first: int, second: int, warned: list[bool]) -> None:
    courses = [_course("A", date(2024, 1, 1), _line("doxorubicin", first)),
               _course("B", date(2024, 2, 1), _line("doxorubicin", second))]
    got = _anth(courses)
    assert [bool(w) for w in got] == warned
    if warned[1]:
        assert f"{first + second} mg/m²" in got[1][0] and "450 mg/m² alert" in got[1][0]


def test_cumulative_anthracycline_550_warns_more_strongly() -> None:
    courses = [_course("A", date(2024, 1, 1), _line("doxorubicin", 500)),
               _course("B", date(2024, 2, 1), _line("doxorubicin", 50))]
    first, second = _anth(courses)
    assert "alert" in first[0] and "lifetime limit" not in first[0]
    assert "550 mg/m² doxorubicin-equivalent reaches the 550 mg/m² lifetime limit" in second[0]


def test_cumulative_anthracycline_every_later_course_warns_again_with_the_new_total() -> None:
    courses = [_course(f"C{i}", date(2024, 1 + i, 1), _line("doxorubicin", 150))
               for i in range(5)]
    got = _anth(courses)
    assert [bool(w) for w in got] == [False, False, True, True, True]
    assert ["450", "600", "750"] == [w[0].split(" mg/m²")[0].rsplit(" ", 1)[1] for w in got[2:]]


def test_cumulative_anthracycline_a_non_anthracycline_course_does_not_warn() -> None:
    courses = [_course("A", date(2024, 1, 1), _line("doxorubicin", 500)),
               _course("B", date(2024, 2, 1), _line("cytarabine", 100))]
    assert _anth(courses) == [[_anth(courses)[0][0]], []]


@pytest.mark.parametrize(("dates", "warned"), [
    pytest.param([date(2024, 3, 1), date(2024, 1, 1)], [True, False], id="date-order-not-list"),
    pytest.param([date(2024, 1, 1), date(2024, 1, 1)], [False, True], id="tie-list-order"),
])
def test_cumulative_anthracycline_summed_in_order_of_first_administration(
        dates: list[date], warned: list[bool]) -> None:
    courses = [_course("X", dates[0], _line("doxorubicin", 300)),
               _course("Y", dates[1], _line("daunorubicin", 250))]   # 150 dox-equivalent
    assert [bool(w) for w in _anth(courses)] == warned


def test_cumulative_anthracycline_flat_mg_line_uses_the_course_bsa() -> None:
    # 787.5 mg at BSA 1.75 = 450 mg/m²; the later weight loss must not change the course's BSA.
    meas = [*MEAS, _m(date(2024, 1, 3), 170, 40)]
    course = _course("A", date(2024, 1, 1), _line("doxorubicin", 393.75, DoseUnit.MG, (1, 5)))
    (warning,), = _anth([course], meas)
    assert "cumulative anthracycline 450 mg/m²" in warning


def test_cumulative_anthracycline_line_without_bsa_makes_the_total_unknown() -> None:
    weight_only = [_m(date(2023, 1, 1), weight=65), _m(date(2024, 3, 1), 170, 65)]
    courses = [_course("A", date(2024, 1, 1), _line("doxorubicin", 60)),     # no height yet
               _course("B", date(2024, 4, 1), _line("doxorubicin", 60)),
               _course("C", date(2024, 5, 1), _line("cytarabine", 100))]
    a, b, c = compute_doses(courses, weight_only, [])
    assert a[0].amount is None
    assert any("running total is unknown" in w for w in a[0].warnings)
    warning, = [w for w in b[0].warnings if "cumulative anthracycline" in w]
    assert warning.startswith("cumulative anthracycline at least 60 mg/m²")
    assert "doxorubicin in A had no BSA" in warning
    assert c[0].warnings == ()


def test_cumulative_anthracycline_unknown_total_still_warns_at_the_threshold() -> None:
    no_height_then_full = [_m(date(2023, 1, 1), weight=65), _m(date(2024, 3, 1), 170, 65)]
    courses = [_course("A", date(2024, 1, 1), _line("idarubicin", 12, DoseUnit.MG)),
               _course("B", date(2024, 4, 1), _line("doxorubicin", 450))]
    (warning,) = _anth(courses, no_height_then_full)[1]
    assert warning.startswith("cumulative anthracycline at least 450 mg/m²")
    assert "reaches the 450 mg/m² alert" in warning


# --- single-dose caps ------------------------------------------------------------------------

@pytest.mark.parametrize(("weight", "amount", "warns"), [
    pytest.param(99, "792", False, id="99kg"),
    pytest.param(100, "800", False, id="100kg-exactly-the-cap"),
    pytest.param(100.1, "800.8", True, id="100.1kg-above"),
    pytest.param(120, "960", True, id="120kg"),
])
def test_tocilizumab_800_mg_single_dose_cap(weight: float, amount: str, warns: bool) -> None:
    course = _course("CRS treatment", D, _line("tocilizumab", 8, DoseUnit.MG_KG))
    (calc,), = compute_doses([course], [_m(D, 170, weight)], [])
    assert calc.amount == Decimal(amount)                 # never changed
    caps = [w for w in calc.warnings if "800 mg cap for tocilizumab" in w]
    assert bool(caps) is warns


@pytest.mark.parametrize(("drug", "warns"), [
    pytest.param("vindesine", False, id="vindesine-4mg-no-cap"),
    pytest.param("vincristine", True, id="vincristine-4mg-capped"),
])
def test_vds_is_vindesine_without_a_cap(drug: str, warns: bool) -> None:
    (calc,), = compute_doses([_course("c", D, _line(drug, 4, DoseUnit.MG))], MEAS, [])
    assert bool(calc.warnings) is warns


def test_seed_vds_lines_are_vindesine() -> None:
    record, _ = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    drugs = {line.drug for c in record.courses for line in c.drugs}
    assert "vindesine" in drugs and "vincristine" not in drugs


# --- the property: a later measurement never changes a course ------------------------------

_dose_units = st.sampled_from([DoseUnit.MG_M2, DoseUnit.MG_KG, DoseUnit.MG, DoseUnit.G_M2])


@st.composite
def _scenario(draw: st.DrawFn) -> tuple[Course, list[Measurement], Measurement]:
    start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 300)))
    lines = tuple(
        DrugLine(drug=draw(st.sampled_from(["cyclophosphamide", "doxorubicin", "tocilizumab",
                                            "vincristine", "cytarabine"])),
                 dose=draw(st.floats(0.1, 2000, allow_nan=False).map(lambda x: round(x, 2))),
                 unit=draw(_dose_units),
                 days=tuple(sorted(draw(st.sets(st.integers(0, 28), min_size=1, max_size=5)))),
                 doses_per_day=draw(st.integers(1, 4)))
        for _ in range(draw(st.integers(1, 4))))
    course = _course("c", start, *lines)
    sizes = st.one_of(st.none(), st.floats(40, 220).map(lambda x: round(x, 1)))
    before = [Measurement(date=start - timedelta(days=draw(st.integers(-1, 400))),
                          height_cm=draw(sizes), weight_kg=draw(sizes))
              for _ in range(draw(st.integers(0, 3)))]
    first = min(start + timedelta(days=d - 1) for line in lines for d in line.days)
    later = Measurement(date=first + timedelta(days=draw(st.integers(1, 60))),
                        height_cm=draw(sizes), weight_kg=draw(sizes))
    return course, [m for m in before if m.date <= first], later


@settings(max_examples=300, deadline=None)
@given(_scenario(), st.floats(40, 220).map(lambda x: round(x, 1)))
def test_a_measurement_after_the_first_administration_never_changes_an_amount(
        scenario: tuple[Course, list[Measurement], Measurement], new_weight: float) -> None:
    course, before, later = scenario
    base = compute_doses([course], before, [])[0]
    added = compute_doses([course], [*before, later], [])[0]
    changed = compute_doses([course], [*before, Measurement(
        date=later.date, height_cm=later.height_cm, weight_kg=new_weight)], [])[0]
    for variant in (added, changed):
        assert [(c.amount, c.total, c.body, c.warnings) for c in variant] == [
            (c.amount, c.total, c.body, c.warnings) for c in base]
