"""BSA, per-line amounts and dose-safety warnings (clinical-vectors.md section H)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from clinical.dosing import (
    BodySize, BsaFormula, body_size, bsa, compute_doses, compute_line, doxorubicin_equivalent,
)
from clinical.record import Course, DayReference, DoseUnit, DrugLine, Event, EventType, Measurement
from clinical.record_schema import parse_record
from resources import DEMO_RECORD


@pytest.mark.parametrize(("height", "weight", "expected"), [
    pytest.param(170, 70, (1.8181, 1.8097, 1.8257), id="BSA-01"),
    pytest.param(100, 15, (0.6455, 0.6400, 0.6461), id="BSA-02"),
    pytest.param(180, 90, (2.1213, 2.0989, 2.1378), id="BSA-03"),
])
def test_bsa_formulas(height: float, weight: float, expected: tuple[float, float, float]) -> None:
    got = tuple(bsa(height, weight, f) for f in
                (BsaFormula.MOSTELLER, BsaFormula.DUBOIS, BsaFormula.HAYCOCK))
    assert got == pytest.approx(expected, abs=0.0005)


def test_dubois_constant_is_not_the_public_typo() -> None:
    """BSA-04: the 0.0087184 typo gives 2.196 for 170 cm / 70 kg; ours must not."""
    assert bsa(170, 70, BsaFormula.DUBOIS) == pytest.approx(1.8097, abs=0.0005)
    assert abs(bsa(170, 70, BsaFormula.DUBOIS) - 2.196) > 0.3


def _body(area: str) -> BodySize:
    return BodySize(170, 65, date(2025, 1, 1), date(2025, 1, 1), Decimal(area))


def _vcr(dose: float, drug: str = "vincristine") -> DrugLine:
    return DrugLine(drug=drug, dose=dose, unit=DoseUnit.MG_M2, days=(1,))


def test_vcr_01_above_the_cap_warns_and_keeps_the_amount() -> None:
    calc = compute_line(_vcr(1.4), _body("1.43"))
    assert calc.amount == Decimal("2.002")
    assert len(calc.warnings) == 1
    assert "above the 2 mg cap for vincristine" in calc.warnings[0]
    assert "1.4 mg/m2 × BSA 1.43 m² = 2.002 mg" == calc.basis


def test_vcr_02_exactly_under_the_cap_in_decimal_no_warning() -> None:
    calc = compute_line(_vcr(1.4), _body("1.40"))
    assert calc.amount == Decimal("1.96") and calc.warnings == ()


@pytest.mark.parametrize("typed", ["Vincristine", "VINCRISTINE", " vincristine "])
def test_the_cap_holds_however_the_drug_name_was_typed(typed: str) -> None:
    """A capitalised name once skipped the 2 mg cap; the name itself stays as typed."""
    calc = compute_line(_vcr(1.4, typed), _body("1.43"))
    assert len(calc.warnings) == 1 and "above the 2 mg cap" in calc.warnings[0]
    assert doxorubicin_equivalent("Doxorubicin", 60) == Decimal(60)


def test_cumulative_anthracycline_counts_every_spelling_of_one_drug() -> None:
    courses = [_course(f"C{i}", date(2025, 1, 1 + i * 7), (name, 150))
               for i, name in enumerate(["doxorubicin", "Doxorubicin", "DOXORUBICIN "])]
    measurements = [Measurement(date=date(2024, 12, 1), height_cm=170, weight_kg=65)]
    last = compute_doses(courses, measurements, ())[-1][0]
    assert any("450" in w for w in last.warnings), last.warnings   # 3 x 150 mg/m2
    assert [c.drugs[0].drug for c in courses] == ["doxorubicin", "Doxorubicin", "DOXORUBICIN "]


def test_vcr_03_liposomal_vincristine_is_a_different_product() -> None:
    calc = compute_line(_vcr(2.25, "liposomal vincristine"), _body("1.8"))
    assert calc.amount == Decimal("4.05") and calc.warnings == ()


def test_conventional_vincristine_at_a_liposomal_dose_warns_about_the_product() -> None:
    calc = compute_line(_vcr(2.25), _body("1.8"))
    assert any("liposomal" in w for w in calc.warnings)


def _course(name: str, start: date, *lines: tuple[str, float]) -> Course:
    return Course(name=name, start_date=start, drugs=tuple(
        DrugLine(drug=d, dose=dose, unit=DoseUnit.MG_M2, days=(1,)) for d, dose in lines))


MEAS = [Measurement(date=date(2024, 1, 1), height_cm=170, weight_kg=70)]


def test_ant_01_cumulative_460_alerts_at_450_under_the_550_limit() -> None:
    courses = [_course("prior", date(2024, 1, 1), ("doxorubicin", 400)),
               _course("next", date(2024, 3, 1), ("doxorubicin", 60))]
    first, second = compute_doses(courses, MEAS, [])
    assert first[0].warnings == ()
    (warning,) = second[0].warnings
    assert "460" in warning and "450" in warning and "limit 550" in warning


def test_ant_02_cardiac_risk_lowers_the_limit_to_400() -> None:
    courses = [_course("prior", date(2024, 1, 1), ("doxorubicin", 400)),
               _course("next", date(2024, 3, 1), ("doxorubicin", 60))]
    _, second = compute_doses(courses, MEAS, [], cardiac_risk=True)
    assert any("reaches the 400 mg/m² lifetime limit" in w for w in second[0].warnings)


def test_ant_03_daunorubicin_equivalents_by_ratio_set() -> None:
    assert doxorubicin_equivalent("daunorubicin", 300) == Decimal(180)
    assert doxorubicin_equivalent("daunorubicin", 300, legacy=True) == Decimal(300)
    assert doxorubicin_equivalent("cytarabine", 300) is None


def test_ant_04_mitoxantrone_above_140_alerts() -> None:
    courses = [_course("a", date(2024, 1, 1), ("mitoxantrone", 75)),
               _course("b", date(2024, 2, 1), ("mitoxantrone", 75))]
    first, second = compute_doses(courses, MEAS, [])
    assert not any("mitoxantrone" in w for w in first[0].warnings)
    assert any("cumulative mitoxantrone 150 mg/m2 is above the 140" in w
               for w in second[0].warnings)


def test_cumulative_order_follows_dates_not_list_order() -> None:
    courses = [_course("later", date(2024, 3, 1), ("doxorubicin", 60)),
               _course("earlier", date(2024, 1, 1), ("doxorubicin", 400))]
    later, earlier = compute_doses(courses, MEAS, [])
    assert later[0].warnings and not earlier[0].warnings


def test_missing_height_or_weight_gives_no_amount_and_a_warning() -> None:
    course = _course("c", date(2024, 1, 1), ("cytarabine", 100))
    (calc,), = compute_doses([course], [Measurement(date=date(2024, 1, 1), weight_kg=70)], [])
    assert calc.amount is None and calc.total is None
    assert calc.warnings == ("no height recorded on or before the first dose: "
                             "cannot work out 100 mg/m2",)


def test_measurement_after_the_first_dose_is_not_used() -> None:
    meas = [Measurement(date=date(2024, 1, 1), height_cm=170, weight_kg=80),
            Measurement(date=date(2024, 2, 1), height_cm=170, weight_kg=60)]
    assert body_size(meas, date(2024, 1, 15)).weight_kg == 80
    assert body_size(meas, date(2024, 2, 1)).weight_kg == 60


def test_per_kg_cells_and_event_referenced_dates() -> None:
    course = Course(name="CAR-T", day_reference=DayReference.CART_INFUSION, drugs=(
        DrugLine(drug="car-t cells", dose=1.5e6, unit=DoseUnit.CELLS_KG, days=(0, 1)),))
    events = [Event(type=EventType.CART_INFUSION, date=date(2025, 4, 7))]
    (calc,), = compute_doses([course], [Measurement(date=date(2025, 1, 1), height_cm=170,
                                                     weight_kg=65)], events)
    assert (calc.amount, calc.unit, calc.administrations) == (Decimal(97500000), "cells", 2)
    assert calc.dates == (date(2025, 4, 7), date(2025, 4, 8))
    (missing,), = compute_doses([course], [], [])
    assert missing.dates == ()  # Part A 1.1: `dates` is empty, never null
    assert missing.warnings[0].startswith(
        "no CAR-T recorded: the dates of days counted from it are unknown")


def test_doses_per_day_multiply_administrations() -> None:
    line = DrugLine(drug="cytarabine", dose=3, unit=DoseUnit.G_M2, days=(2, 3), doses_per_day=2)
    calc = compute_line(line, _body("1.75"))
    assert (calc.amount, calc.unit, calc.administrations, calc.total) == (
        Decimal("5.25"), "g", 4, Decimal("21"))


def test_seed_case_has_bsa_from_170_cm_65_kg_and_no_dose_warning() -> None:
    record, _ = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    results = compute_doses(record.courses, record.measurements, record.events)
    assert all(calc.warnings == () for course in results for calc in course)
    first = results[0][0]
    assert first.body.bsa_m2 == Decimal("1.75")
    assert (first.body.height_cm, first.body.weight_kg) == (170, 65)
    assert first.body.describe() == "BSA 1.75 m² — 170 cm, 65 kg, measured 2024-06-06"
