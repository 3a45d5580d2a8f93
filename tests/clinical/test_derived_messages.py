"""Derived facts speak in structured messages (issue 15): a code and its parameters.

Engraftment, MRD, chimerism, dose warnings, day labels, roll-ups and the timeline
come out of clinical/ as ``Msg``s whose English is the wording hemalog always
showed and whose Chinese the presentation layer renders from the catalogue.

The ``*_zh`` tests read resources/i18n/hemalog_zh_CN.ts: they pass once the
translations (fragment derived.json) are merged into the catalogue.
"""

from __future__ import annotations

import copy
import json
import pickle
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

import lang
from clinical.days import day_counters, format_day, reference_label
from clinical.derive import Derived, derive
from clinical.dosing import BodySize, compute_doses, compute_line, drug_term
from clinical.engraftment import neutrophil_engraftment, platelet_engraftment
from clinical.icaht import early_icaht, late_icaht
from clinical.marrow import all_response
from clinical.messages import Msg, Seq
from clinical.record import (
    Course, DayReference, DoseUnit, DrugLine, Measurement, Record,
)
from clinical.record_schema import parse_record
from clinical.series import trend_data
from clinical.timeline import day_labels, timeline
from resources import DEMO_RECORD

ZH = lang.ZH


@pytest.fixture(scope="module")
def seed() -> tuple[Record, Derived]:
    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert problems == [] and record is not None
    return record, derive(record)


def _codes(value: Any) -> set[str]:
    """Every message code inside a value (nested parameters and sequences too)."""
    if isinstance(value, Msg):
        found = {value.code}
        for param in value.params.values():
            found |= _codes(param)
        return found
    if isinstance(value, Seq):
        return set().union(*(_codes(v) for v in value.items)) if value.items else set()
    return set()


def _body(area: str = "1.43") -> BodySize:
    return BodySize(170, 65, date(2025, 1, 1), date(2025, 1, 1), Decimal(area))


def _line(drug: str, dose: float, unit: DoseUnit = DoseUnit.MG_M2) -> DrugLine:
    return DrugLine(drug=drug, dose=dose, unit=unit, days=(1,))


def _course(name: str, start: date, *lines: DrugLine) -> Course:
    return Course(name=name, start_date=start, drugs=lines)


# --- the seed case ---------------------------------------------------------------------------

def test_seed_engraftment_reasons_are_messages(seed: tuple[Record, Derived]) -> None:
    _, derived = seed
    neutrophil, platelet = derived.engraftment["neutrophil"], derived.engraftment["platelet"]
    assert isinstance(neutrophil.reason, Msg) and isinstance(platelet.reason, Msg)
    assert neutrophil.reason.code == "engraftment.anc.engrafted"
    assert neutrophil.reason.params["date"] == "2025-06-06"
    assert neutrophil.reason.params["run"] == 3
    assert neutrophil.reason.params["day"].code == "engraftment.day.after"
    assert neutrophil.reason.params["where"].code == "engraftment.anc.after_nadir"
    assert str(neutrophil.reason) == ("neutrophil engraftment d+14 (2025-06-06): first of 3 "
                                      "consecutive daily values >= 0.5 after the first value "
                                      "< 0.5 on d+1")
    assert platelet.reason.code == "engraftment.plt.recovered"
    assert platelet.reason.params["threshold"] == "20"
    assert platelet.reason.params["last"] == "2025-06-28"


def test_seed_mrd_and_chimerism_are_messages(seed: tuple[Record, Derived]) -> None:
    _, derived = seed
    codes = [g.reason.code for g in derived.mrd]
    assert set(codes) == {"mrd.positive", "mrd.negative.no_lod"}
    first = derived.mrd[0].reason
    assert first.params == {"mrd": "44.57"}
    assert first == "positive: 44.57 % >= 0.01 % (MRD failure)"
    chimerism = [g for g in derived.chimerism if g is not None]
    assert [g.reason.code for g in chimerism] == ["chimerism.mixed"]
    assert chimerism[0].reason == "mixed chimerism: donor 93.33 % (5-95 %)"
    assert "term.chimerism.donor" in _codes(chimerism[0].reason)


def test_seed_dose_basis_and_body_size_are_messages(seed: tuple[Record, Derived]) -> None:
    _, derived = seed
    bases = {calc.basis.code for calcs in derived.doses for calc in calcs}
    assert bases == {"dosing.basis.per_bsa", "dosing.basis.per_kg", "dosing.basis.flat"}
    described = derived.body.describe()
    assert described.code == "dosing.body.bsa"
    assert described == "BSA 1.75 m² — 170 cm, 65 kg, measured 2024-06-06"


def test_seed_roll_ups_and_timeline_are_messages(seed: tuple[Record, Derived]) -> None:
    record, derived = seed
    episode = derived.cellular_therapy[0].describe()
    assert episode.code == "rollup.episode"
    assert "term.drug.tocilizumab" in _codes(episode)
    transplant = derived.transplant[0].describe()
    assert transplant.code == "rollup.transplant.with_chimerism"
    assert {"term.chimerism.mixed", "term.cgvhd.none"} <= _codes(transplant)
    entries = timeline(record, derived)
    titles = {e.title.code for e in entries if isinstance(e.title, Msg)}
    assert {"term.event.cart_infusion", "term.event.hsct", "term.timeline.marrow",
            "term.timeline.labs", "timeline.event.transfusion"} <= titles
    marrow = next(e for e in entries if e.kind == "marrow" and "MRD" in e.detail)
    assert _codes(marrow.detail) >= {"timeline.marrow.mrd"}


def test_seed_day_labels_and_plot_labels_are_messages(seed: tuple[Record, Derived]) -> None:
    record, derived = seed
    on = date(2025, 5, 1)
    counters = day_counters(on, derived.anchors)
    assert counters == "CAR-T day +24 · HSCT day −22"
    assert counters.code == "day.counters.two"
    assert {"day.after", "day.before", "term.anchor.cart_infusion",
            "term.anchor.hsct"} <= _codes(counters)
    labels = day_labels(on, derived)
    assert labels == "CAR-T day +24, HSCT day −22" and labels.code == "timeline.day_labels.two"
    trend = trend_data(record, derived)
    assert trend.panels[0].title.code == "series.panel.white_cells"
    engrafted = [m.label for m in trend.markers if m.kind == "engraftment_neutrophil"]
    assert engrafted == ["ANC engrafted d+14"] and engrafted[0].code == "series.marker.engrafted"
    crs = next(g.label for g in trend.grades if g.kind == "crs")
    assert crs == "CRS 3" and crs.code == "series.grade_marker"


# --- dose warnings ---------------------------------------------------------------------------

def test_single_dose_cap_names_the_drug_as_a_term() -> None:
    calc = compute_line(_line("vincristine", 1.4), _body())
    (warning,) = calc.warnings
    assert warning.code == "dosing.warning.single_dose_cap"
    assert warning.params["amount"] == "2.002" and warning.params["cap"] == "2"
    assert warning.params["drug"].code == "term.drug.vincristine"
    assert warning == ("single dose 2.002 mg is above the 2 mg cap for vincristine: check the "
                       "order (hemalog has not changed it)")


def test_per_m2_limit_keeps_its_note_as_a_message() -> None:
    calc = compute_line(_line("vincristine", 3), _body("1.0"))
    warning = next(w for w in calc.warnings if w.code == "dosing.warning.per_m2_cap")
    assert warning.params["note"].code == "dosing.note.vincristine_liposomal"
    assert warning.startswith("3 mg/m² is above 2 mg/m² for vincristine: conventional")


def test_a_drug_name_not_in_the_list_stays_as_typed() -> None:
    assert drug_term("Vincristine") == "Vincristine" and not isinstance(drug_term("Vincristine"), Msg)
    assert isinstance(drug_term("epirubicin"), Msg)


def test_cumulative_anthracycline_warning_is_a_message() -> None:
    measurements = [Measurement(date=date(2023, 1, 1), height_cm=170, weight_kg=65)]
    courses = [_course("A", date(2024, 1, 1), _line("doxorubicin", 500)),
               _course("B", date(2024, 2, 1), _line("doxorubicin", 50))]
    first, second = compute_doses(courses, measurements, [])
    assert first[0].warnings[0].code == "dosing.anthracycline.alert"
    limit = second[0].warnings[0]
    assert limit.code == "dosing.anthracycline.limit"
    assert limit.params["head"].code == "dosing.anthracycline.total"
    assert limit == ("cumulative anthracycline 550 mg/m² doxorubicin-equivalent reaches the "
                     "550 mg/m² lifetime limit")


def test_missing_height_names_the_measurement_as_a_term() -> None:
    body = BodySize(None, 65, None, date(2025, 1, 1), None)
    calc = compute_line(_line("cytarabine", 100), body)
    assert calc.basis.code == "dosing.basis.needs_bsa"
    (warning,) = calc.warnings
    assert warning.params["missing"].code == "term.body.height"
    assert warning == ("no height recorded on or before the first dose: cannot work out "
                       "100 mg/m2")


def test_missing_anchor_warning_names_the_anchor() -> None:
    course = Course(name="GVHD prophylaxis", day_reference=DayReference.HSCT,
                    drugs=(DrugLine(drug="methotrexate", dose=15, unit=DoseUnit.MG_M2,
                                    days=(1,)),))
    measurements = [Measurement(date=date(2024, 1, 1), height_cm=170, weight_kg=65)]
    ((calc,),) = compute_doses([course], measurements, [])
    assert calc.warnings[0].code == "dosing.warning.no_anchor"
    assert calc.warnings[0].params["anchor"].code == "term.anchor.hsct"


# --- other derived values --------------------------------------------------------------------

def test_flags_keep_the_deciding_choice() -> None:
    hsct = date(2025, 1, 1)
    anc = [(hsct + timedelta(days=1), 0.1), (hsct + timedelta(days=2), 0.6),
           (hsct + timedelta(days=2), 0.3), (hsct + timedelta(days=3), 0.6),
           (hsct + timedelta(days=4), 0.7), (hsct + timedelta(days=5), 0.8)]
    grade = neutrophil_engraftment(anc, hsct)
    (flag,) = grade.flags
    assert "engraftment.flag.several_values" in _codes(flag)
    assert str(flag).startswith("ambiguous: 1 day(s) with several ANC values (d+2)")


def test_icaht_reasons_are_messages() -> None:
    early = early_icaht({d: 0.05 for d in range(0, 31)})
    assert early.reason.code == "icaht.early.grade" and early.value == 4
    assert early.reason.params["why"].code == "icaht.early.never_above"
    late = late_icaht([1.2, 0.9, 2.0])
    assert late.reason.code == "icaht.late.grade"
    assert late.reason == "late ICAHT grade 1: two measurements with ANC <= 1.5 (values 0.9 and 1.2)"


def test_response_and_platelet_reasons_are_messages() -> None:
    response = all_response(2, None, 150, weeks_sustained=6)
    assert response.reason.code == "response.category"
    assert any("response.not_assessed" in _codes(f) for f in response.flags)
    never = platelet_engraftment([(date(2025, 1, 2), 50)], [], date(2025, 1, 1))
    assert never.reason.code == "engraftment.plt.not_applicable"


def test_day_numbers_and_references() -> None:
    assert [format_day(n).code for n in (14, -36, 0)] == ["day.after", "day.before", "day.zero"]
    assert [str(format_day(n)) for n in (14, -36, 0)] == ["day +14", "day −36", "day 0"]
    course = Course(name="x", day_reference=DayReference.CART_INFUSION)
    assert reference_label(course) == "day 0 = CAR-T"
    assert reference_label(course).code == "day.reference.event"


# --- messages survive pickling and copying ---------------------------------------------------

def test_messages_pickle_and_copy(seed: tuple[Record, Derived]) -> None:
    _, derived = seed
    values: list[Any] = [derived.engraftment["neutrophil"].reason, derived.mrd[0].reason,
                         derived.doses[0][0].basis, derived.body.describe(),
                         derived.transplant[0].describe(),
                         compute_line(_line("vincristine", 1.4), _body()).warnings[0],
                         day_counters(date(2025, 5, 1), derived.anchors)]
    for value in values:
        for twin in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
            assert isinstance(twin, Msg)
            assert twin == value and twin.code == value.code
            assert _codes(twin) == _codes(value)
    grade = derived.engraftment["platelet"]
    again = pickle.loads(pickle.dumps(grade))
    assert again == grade and again.reason.code == grade.reason.code


def test_every_english_text_is_unchanged_by_rendering(seed: tuple[Record, Derived]) -> None:
    record, derived = seed
    texts = [derived.engraftment["neutrophil"].reason, derived.body.describe(),
             *(e.detail for e in timeline(record, derived)),
             *(t.describe() for t in derived.transplant)]
    for text in texts:
        assert lang.render(text, lang.EN) == str(text)


# --- Chinese (pass once derived.json is merged into the catalogue) ---------------------------

def test_seed_engraftment_in_chinese_zh(seed: tuple[Record, Derived]) -> None:
    _, derived = seed
    neutrophil = lang.render(derived.engraftment["neutrophil"].reason, ZH)
    assert "中性粒细胞植入" in neutrophil and "+14天" in neutrophil and "2025-06-06" in neutrophil
    assert "血小板植入" in lang.render(derived.engraftment["platelet"].reason, ZH)


def test_seed_mrd_and_chimerism_in_chinese_zh(seed: tuple[Record, Derived]) -> None:
    _, derived = seed
    assert "MRD阳性" in lang.render(derived.mrd[0].reason, ZH)
    assert "MRD阴性" in lang.render(derived.mrd[-1].reason, ZH)
    chimerism = next(g for g in derived.chimerism if g is not None)
    rendered = lang.render(chimerism.reason, ZH)
    assert "混合嵌合" in rendered and "供者" in rendered and "93.33" in rendered


def test_dose_texts_in_chinese_zh(seed: tuple[Record, Derived]) -> None:
    _, derived = seed
    assert "体表面积" in lang.render(derived.body.describe(), ZH)
    warning = compute_line(_line("vincristine", 1.4), _body()).warnings[0]
    rendered = lang.render(warning, ZH)
    assert "长春新碱" in rendered and "单次剂量" in rendered and "2.002" in rendered
    measurements = [Measurement(date=date(2023, 1, 1), height_cm=170, weight_kg=65)]
    courses = [_course("A", date(2024, 1, 1), _line("doxorubicin", 500)),
               _course("B", date(2024, 2, 1), _line("doxorubicin", 50))]
    limit = compute_doses(courses, measurements, [])[1][0].warnings[0]
    assert "累积剂量" in lang.render(limit, ZH) and "550" in lang.render(limit, ZH)


def test_days_and_roll_ups_in_chinese_zh(seed: tuple[Record, Derived]) -> None:
    _, derived = seed
    assert lang.render(day_counters(date(2025, 5, 1), derived.anchors), ZH) == \
        "CAR-T +24天 · HSCT −22天"
    episode = lang.render(derived.cellular_therapy[0].describe(), ZH)
    assert "托珠单抗" in episode and "地塞米松" in episode
    assert "混合嵌合" in lang.render(derived.transplant[0].describe(), ZH)
