"""clinical-rules.md Part A 1.1 and record-format.md "Derived keys added in format 1.1".

One test per decision or derived value, named after it, a row at each edge it names.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from clinical.days import anchors
from clinical.derive import derive
from clinical.engraftment import engraftment_from_record
from clinical.grading.ctcae import ctcae_grades, lab_ctcae
from clinical.record import (
    Assessment, AssessmentKind, Course, CourseCategory, DoseUnit, DrugLine, Event, EventType, Lab,
    LabTest, MarrowResult, Measurement, Record,
)
from clinical.record_json import dumps, to_document
from clinical.record_schema import parse_item, parse_record
from clinical.rollups import infusion_episodes
from clinical.units import to_stored_unit
from resources import DEMO_RECORD

D0 = date(2025, 4, 7)


def _record(**lists: Any) -> Record:
    record, problems = parse_record({"format": "hemalog.record", "version": 1, "patient": {
        "mrn": "R1", "name": "Test", "diagnosis": "B-ALL"}})
    assert record is not None, problems
    return replace(record, **{k: tuple(v) for k, v in lists.items()})


def _day(n: int, day0: date = D0) -> date:
    return day0 + timedelta(days=n)


# --- converted lab values to 4 significant digits --------------------------------------------

@pytest.mark.parametrize(("test", "unit", "value", "stored"), [
    pytest.param(LabTest.HB, "g/dL", 8.5, 85, id="hb-8.5-g/dL-85"),
    pytest.param(LabTest.BILIRUBIN, "mg/dL", 1.2, 20.52, id="bilirubin-1.2-20.52"),
    pytest.param(LabTest.CREATININE, "mg/dL", 1.03, 91.05, id="creatinine-91.052-down"),
    pytest.param(LabTest.CRP, "mg/dL", 1.23455, 12.35, id="half-up-not-half-even"),
    pytest.param(LabTest.BILIRUBIN, "mg/dL", 123.45, 2111, id="2110.995-to-2111"),
    pytest.param(LabTest.CRP, "mg/dL", 0.3, 3, id="0.1x3-is-3"),
    pytest.param(LabTest.HB, "g/L", 84.567, 84.567, id="stored-unit-kept-as-entered"),
])
def test_converted_lab_values_stored_to_4_significant_digits(
        test: LabTest, unit: str, value: float, stored: float) -> None:
    assert to_stored_unit(test, unit, value) == stored
    lab, problems = parse_item("labs", {"date": "2025-01-01", "test": test.value,
                                        "value": value, "unit": unit})
    assert problems == [] and lab.value == stored


# --- MRD above 0 but below the assay's limit -------------------------------------------------

@pytest.mark.parametrize(("mrd", "lod", "refused"), [
    pytest.param(0.005, 0.01, True, id="below-stated-lod-refused"),
    pytest.param(0.0099, 0.01, True, id="just-below-refused"),
    pytest.param(0.01, 0.01, False, id="at-the-lod-accepted"),
    pytest.param(0, 0.01, False, id="zero-not-detected-accepted"),
    pytest.param(0.005, None, False, id="no-stated-lod-the-0.01-default-never-refuses"),
    pytest.param(0.002, 0.001, False, id="above-a-more-sensitive-lod"),
])
def test_mrd_below_the_assay_limit_refused_on_import(mrd: float, lod: float | None,
                                                     refused: bool) -> None:
    item = {"date": "2025-01-01", "mrd_pct": mrd, **({"mrd_lod_pct": lod} if lod else {})}
    doc = {"format": "hemalog.record", "version": 1,
           "patient": {"mrn": "M", "name": "M", "diagnosis": "B-ALL"}, "marrow": [item]}
    record, problems = parse_record(doc)
    if refused:
        assert record is None
        (problem,) = problems
        assert problem.path == "marrow[0].mrd_pct"
        assert "below the assay's limit of detection" in problem.message
        assert f"{lod} %" in problem.message
    else:
        assert problems == [] and record is not None


# --- CTCAE v5.0 per value -------------------------------------------------------------------

@pytest.mark.parametrize(("test", "value", "lln", "grade"), [
    (LabTest.ANC, 0.49, None, 4), (LabTest.ANC, 0.5, None, 3), (LabTest.ANC, 0.99, None, 3),
    (LabTest.ANC, 1.0, None, 2), (LabTest.ANC, 1.49, None, 2), (LabTest.ANC, 1.5, 2.0, 1),
    (LabTest.ANC, 1.5, 1.5, 0), (LabTest.ANC, 1.5, None, None), (LabTest.ANC, 1.2, 2.0, 2),
    (LabTest.PLT, 24.9, None, 4), (LabTest.PLT, 25, None, 3), (LabTest.PLT, 49, None, 3),
    (LabTest.PLT, 74.9, 150, 2), (LabTest.PLT, 75, 150, 1), (LabTest.PLT, 150, 150, 0),
    (LabTest.PLT, 75, None, None),
    (LabTest.WBC, 0.99, None, 4), (LabTest.WBC, 1.0, None, 3), (LabTest.WBC, 2.99, None, 2),
    (LabTest.WBC, 3.0, 4.0, 1), (LabTest.WBC, 4.0, 4.0, 0), (LabTest.WBC, 3.0, None, None),
    (LabTest.ALC, 0.19, None, 4), (LabTest.ALC, 0.2, None, 3), (LabTest.ALC, 0.5, None, 2),
    (LabTest.ALC, 0.8, 1.0, 1), (LabTest.ALC, 1.1, 1.0, 0),
    (LabTest.HB, 79, None, 3), (LabTest.HB, 80, None, 2), (LabTest.HB, 99.9, None, 2),
    (LabTest.HB, 100, 120, 1), (LabTest.HB, 120, 120, 0), (LabTest.HB, 100, None, None),
])
def test_ctcae_per_value_fixed_cuts_first_then_lln(test: LabTest, value: float,
                                                   lln: float | None, grade: int | None) -> None:
    found = lab_ctcae(test, value, lln)
    assert found is not None and found.grade == grade
    assert ctcae_grades([Lab(date=D0, test=test, value=value, unit="u", lln=lln)]) == [grade]
    assert found.doc()["version"] == "5.0"
    assert found.term in found.reason()


@pytest.mark.parametrize(("test", "term"), [
    (LabTest.ANC, "Neutrophil count decreased"), (LabTest.PLT, "Platelet count decreased"),
    (LabTest.WBC, "White blood cell decreased"), (LabTest.ALC, "Lymphocyte count decreased"),
    (LabTest.HB, "Anemia"),
])
def test_ctcae_terms_exactly(test: LabTest, term: str) -> None:
    assert lab_ctcae(test, 0.1, None).doc() == {"term": term, "grade": 4 if test is not LabTest.HB
                                                else 3, "version": "5.0"}


@pytest.mark.parametrize("test", [LabTest.CRP, LabTest.FERRITIN, LabTest.IL6, LabTest.BILIRUBIN,
                                  LabTest.CREATININE, LabTest.CAR_T_PCT, LabTest.TCR_PCT])
def test_ctcae_absent_for_other_tests(test: LabTest) -> None:
    assert lab_ctcae(test, 1.0, 0.5) is None
    rec = _record(labs=[Lab(date=D0, test=test, value=1.0, unit="x")])
    assert "ctcae" not in to_document(rec, derive(rec))["labs"][0]


def test_ctcae_exported_per_lab_and_ignored_on_import() -> None:
    rec = _record(labs=[Lab(date=D0, test=LabTest.ANC, value=0.3, unit="10^9/L"),
                        Lab(date=D0, test=LabTest.HB, value=125, unit="g/L", lln=130)])
    doc = json.loads(dumps(to_document(rec, derive(rec))))
    assert [lab["ctcae"] for lab in doc["labs"]] == [
        {"term": "Neutrophil count decreased", "grade": 4, "version": "5.0"},
        {"term": "Anemia", "grade": 1, "version": "5.0"}]
    doc["labs"][0]["ctcae"]["grade"] = 0          # a derived key is ignored, never trusted
    again, problems = parse_record(doc)
    assert problems == [] and derive(again).lab_ctcae(0).grade == 4


# --- chimerism category per marrow result ----------------------------------------------------

@pytest.mark.parametrize(("pct", "category", "flags"), [
    pytest.param(95.01, "full", [], id="above-95-full"),
    pytest.param(95.0, "mixed", ["chimerism_boundary"], id="95.0-mixed-flagged"),
    pytest.param(94.99, "mixed", [], id="below-95-mixed"),
    pytest.param(5.0, "mixed", [], id="5-mixed"),
    pytest.param(4.99, "autologous", [], id="below-5-autologous"),
    pytest.param(None, None, [], id="no-value-null"),
])
def test_chimerism_category_per_marrow_result(pct: float | None, category: str | None,
                                              flags: list[str]) -> None:
    rec = _record(marrow=[MarrowResult(date=D0, donor_chimerism_pct=pct)])
    item = to_document(rec, derive(rec))["marrow"][0]
    assert (item["chimerism"], item["flags"]) == (category, flags)


# --- engraftment flags and shape --------------------------------------------------------------

def _labs(test: LabTest, values: list[tuple[int, float]], day0: date = D0) -> list[Lab]:
    return [Lab(date=_day(n, day0), test=test, value=v, unit="10^9/L") for n, v in values]


HSCT = Event(type=EventType.HSCT, date=D0, details={"graft": "haploidentical"})


@pytest.mark.parametrize(("labs", "events", "lineage", "expected"), [
    pytest.param(_labs(LabTest.ANC, [(0, 0.6), (1, 0.7), (2, 0.8)]), [HSCT], "neutrophil",
                 {"date": None, "day": None, "flags": ["never_neutropenic"]},
                 id="never-neutropenic"),
    pytest.param(_labs(LabTest.ANC, [(1, 0.1), (20, 0.2), (31, 0.3)]), [HSCT], "neutrophil",
                 {"date": None, "day": None, "flags": ["primary_graft_failure"]},
                 id="primary-graft-failure"),
    pytest.param(_labs(LabTest.ANC, [(1, 0.1), (1, 0.2), (12, 0.6), (13, 0.7), (14, 0.8)]),
                 [HSCT], "neutrophil",
                 {"date": _day(12).isoformat(), "day": 12, "flags": ["several_values_a_day"]},
                 id="several-values-a-day"),
    pytest.param(_labs(LabTest.PLT, [(1, 10), (20, 25), (21, 26), (22, 27), (23, 28), (24, 29)]),
                 [HSCT, Event(type=EventType.TRANSFUSION, date=_day(21),
                              details={"product": "platelets"})], "platelet",
                 {"date": None, "day": None, "flags": ["transfusion_restart"]},
                 id="transfusion-restart"),
    pytest.param(_labs(LabTest.ANC, [(1, 0.1), (10, 0.6), (11, 0.7), (12, 0.8)]), [HSCT],
                 "neutrophil", {"date": _day(10).isoformat(), "day": 10, "flags": []},
                 id="clean-no-flags"),
])
def test_engraftment_flags_from_the_fixed_vocabulary(
        labs: list[Lab], events: list[Event], lineage: str, expected: dict[str, Any]) -> None:
    rec = _record(labs=labs, events=events)
    summary = to_document(rec, derive(rec))["summary"]["engraftment"]
    assert summary[lineage] == expected
    other = "platelet" if lineage == "neutrophil" else "neutrophil"
    assert set(summary[other]) == {"date", "day", "flags"}   # an object even when not reached


def test_engraftment_summary_null_without_hsct() -> None:
    rec = _record(labs=_labs(LabTest.ANC, [(1, 0.1), (2, 0.6)]))
    assert to_document(rec, derive(rec))["summary"]["engraftment"] is None


# --- the nadir and transfusions before day 0 --------------------------------------------------

@pytest.mark.parametrize(("values", "day"), [
    pytest.param([(-3, 0.1), (-2, 0.6), (-1, 0.7), (0, 0.8), (1, 0.9)], None,
                 id="values-before-day-0-are-no-nadir"),
    pytest.param([(0, 0.4), (1, 0.6), (2, 0.7), (3, 0.8)], 1, id="nadir-on-day-0-counts"),
    pytest.param([(2, 0.4), (3, 0.6), (4, 0.7), (5, 0.3), (6, 0.6), (7, 0.7), (8, 0.8)], 6,
                 id="first-value-below-is-the-nadir-a-later-dip-resets"),
])
def test_nadir_is_the_first_value_below_the_threshold_on_or_after_day_0(
        values: list[tuple[int, float]], day: int | None) -> None:
    found = engraftment_from_record(_labs(LabTest.ANC, values), [HSCT])["neutrophil"]
    assert found.details["day"] == day


@pytest.mark.parametrize(("tx_day", "recovery_day"), [
    pytest.param(-2, 5, id="transfusion-day-minus-2-blocks-until-day-5"),
    pytest.param(-7, 1, id="transfusion-day-minus-7-no-effect-from-day-0"),
    pytest.param(-6, 1, id="transfusion-day-minus-6-blocks-day-0-only"),
])
def test_platelet_transfusion_before_day_0_counts_for_the_7_day_rule(
        tx_day: int, recovery_day: int) -> None:
    plt = _labs(LabTest.PLT, [(0, 10)] + [(n, 25 + n) for n in range(1, 10)])
    tx = Event(type=EventType.TRANSFUSION, date=_day(tx_day), details={"product": "platelets"})
    found = engraftment_from_record(plt, [HSCT, tx])["platelet"]
    assert found.details["day"] == recovery_day


# --- earliest-by-date anchors ----------------------------------------------------------------

def test_day_anchors_are_the_earliest_event_by_date_not_list_order() -> None:
    events = [Event(type=EventType.CART_INFUSION, date=_day(1)),
              Event(type=EventType.CART_INFUSION, date=D0),
              Event(type=EventType.HSCT, date=_day(60)), Event(type=EventType.HSCT, date=_day(46))]
    found = anchors(events)
    assert found == {EventType.CART_INFUSION: D0, EventType.HSCT: _day(46)}
    labs = _labs(LabTest.ANC, [(47, 0.1), (50, 0.6), (51, 0.7), (52, 0.8)])
    neutrophil = engraftment_from_record(labs, events)["neutrophil"]
    assert neutrophil.details["date"] == _day(50)          # day +4 from the earlier HSCT
    rec = _record(events=events, labs=labs)
    assert to_document(rec, derive(rec))["summary"]["engraftment"]["neutrophil"]["day"] == 4


# --- cellular-therapy roll-up ----------------------------------------------------------------

@pytest.mark.parametrize(("days", "episodes"), [
    pytest.param([0, 5, 10], [[0, 5, 10]], id="0-5-10-one-episode"),
    pytest.param([0, 6], [[0, 6]], id="6-days-apart-joins"),
    pytest.param([0, 7], [[0], [7]], id="7-days-apart-two-episodes"),
    pytest.param([7, 0], [[0], [7]], id="date-order-not-list-order"),
    pytest.param([0, 0], [[0]], id="same-day-twice-one-date"),
])
def test_cellular_therapy_episodes_join_infusions_less_than_7_days_apart(
        days: list[int], episodes: list[list[int]]) -> None:
    events = [Event(type=EventType.CART_INFUSION, date=_day(n)) for n in days]
    assert infusion_episodes(events) == [tuple(_day(n) for n in e) for e in episodes]


def _crs(n: int, grade: int, day0: date = D0) -> Assessment:
    """A CRS assessment on day n that grades to ``grade`` (0-4)."""
    findings: dict[str, Any] = {"temperature_c": 38.5 if grade else 37.0, "hypotension": False,
                                "oxygen_device": "none", "vasopressors": []}
    if grade == 2:
        findings["hypotension"] = True
    elif grade == 3:
        findings["vasopressors"] = ["norepinephrine"]
    elif grade == 4:
        findings["vasopressors"] = ["norepinephrine", "phenylephrine"]
    return Assessment(kind=AssessmentKind.CRS, date=_day(n, day0), findings=findings)


def _icans(n: int, ice: int) -> Assessment:
    return Assessment(kind=AssessmentKind.ICANS, date=_day(n), findings={
        "ice_score": ice, "consciousness": "alert", "seizure": "none", "motor": "none",
        "cerebral_edema": "none"})


def _treatment(n: int, *drugs: str) -> Course:
    return Course(name="CRS treatment", category=CourseCategory.SUPPORTIVE, start_date=_day(n),
                  drugs=tuple(DrugLine(drug=d, dose=10, unit=DoseUnit.MG, days=(1,))
                              for d in drugs))


CART = [Event(type=EventType.CART_INFUSION, date=D0)]


def _episode(assessments: list[Assessment], courses: list[Course] = (),
             events: list[Event] = CART) -> list[dict[str, Any]]:
    rec = _record(events=events, assessments=assessments, courses=courses,
                  measurements=[Measurement(date=_day(-30), height_cm=170, weight_kg=70)])
    assert all(g.value is not None for g in derive(rec).grades)
    return to_document(rec, derive(rec))["summary"]["cellular_therapy"]


@pytest.mark.parametrize(("assessments", "expected"), [
    pytest.param([], {"occurred": None, "onset_day": None, "worst_grade": None,
                      "worst_day": None, "resolved_day": None, "treatment": []},
                 id="no-assessment-occurred-null"),
    pytest.param([_crs(2, 0), _crs(4, 0)], {"occurred": False, "onset_day": None,
                                            "worst_grade": 0, "worst_day": 2,
                                            "resolved_day": None, "treatment": []},
                 id="only-grade-0-did-not-occur"),
    pytest.param([_crs(1, 1), _crs(3, 3), _crs(4, 3), _crs(6, 1), _crs(8, 0), _crs(9, 0)],
                 {"occurred": True, "onset_day": 1, "worst_grade": 3, "worst_day": 3,
                  "resolved_day": 8, "treatment": []}, id="worst-tie-earliest-resolved-first-0"),
    pytest.param([_crs(1, 2), _crs(2, 0), _crs(3, 1)],
                 {"occurred": True, "onset_day": 1, "worst_grade": 2, "worst_day": 1,
                  "resolved_day": None, "treatment": []},
                 id="relapse-after-a-0-not-resolved"),
    pytest.param([_crs(30, 2)], {"occurred": True, "onset_day": 30, "worst_grade": 2,
                                 "worst_day": 30, "resolved_day": None, "treatment": []},
                 id="day-30-inside-the-window"),
    pytest.param([_crs(31, 2)], {"occurred": None, "onset_day": None, "worst_grade": None,
                                 "worst_day": None, "resolved_day": None, "treatment": []},
                 id="day-31-outside-the-window"),
    pytest.param([_crs(-1, 2)], {"occurred": None, "onset_day": None, "worst_grade": None,
                                 "worst_day": None, "resolved_day": None, "treatment": []},
                 id="before-day-0-outside"),
])
def test_cellular_therapy_crs_onset_worst_resolution(assessments: list[Assessment],
                                                     expected: dict[str, Any]) -> None:
    (episode,) = _episode(assessments)
    assert episode["crs"] == expected


@pytest.mark.parametrize(("n", "occurred"), [
    pytest.param(60, True, id="icans-day-60-inside"), pytest.param(61, None, id="day-61-outside"),
])
def test_cellular_therapy_icans_window_is_day_0_to_60(n: int, occurred: bool | None) -> None:
    (episode,) = _episode([_icans(n, 5)])
    assert episode["icans"]["occurred"] is occurred
    if occurred:
        assert (episode["icans"]["onset_day"], episode["icans"]["worst_grade"]) == (n, 2)


@pytest.mark.parametrize(("courses", "assessments", "crs", "icans"), [
    pytest.param([_treatment(3, "tocilizumab", "dexamethasone", "ondansetron")],
                 [_crs(3, 3), _icans(3, 10)], ["dexamethasone", "tocilizumab"], [],
                 id="only-listed-drugs-sorted-none-when-not-occurred"),
    pytest.param([_treatment(31, "tocilizumab"), _treatment(40, "dexamethasone")],
                 [_crs(3, 2), _icans(5, 6)], [], ["dexamethasone", "tocilizumab"],
                 id="each-syndrome-its-own-window"),
    pytest.param([_treatment(-1, "dexamethasone")], [_crs(3, 2)], [], [],
                 id="before-day-0-not-counted"),
    pytest.param([_treatment(2, "Tocilizumab"), _treatment(5, "tocilizumab", "anakinra")],
                 [_crs(3, 2)], ["anakinra", "tocilizumab"], [], id="distinct-any-case"),
])
def test_cellular_therapy_treatment_given_in_the_window(
        courses: list[Course], assessments: list[Assessment], crs: list[str],
        icans: list[str]) -> None:
    (episode,) = _episode(assessments, courses)
    assert episode["crs"]["treatment"] == crs
    assert episode["icans"]["treatment"] == icans


def test_cellular_therapy_window_ends_before_the_next_episode() -> None:
    events = [Event(type=EventType.CART_INFUSION, date=D0),
              Event(type=EventType.CART_INFUSION, date=_day(20))]
    first, second = _episode([_crs(19, 2), _crs(20, 3)], events=events)
    assert (first["infusion_dates"], second["infusion_date"]) == ([D0.isoformat()],
                                                                 _day(20).isoformat())
    assert (first["crs"]["worst_grade"], first["crs"]["worst_day"]) == (2, 19)
    assert (second["crs"]["worst_grade"], second["crs"]["worst_day"]) == (3, 0)


def test_cellular_therapy_empty_without_infusions() -> None:
    assert _episode([_crs(3, 3)], events=[]) == []


# --- transplant roll-up ----------------------------------------------------------------------

def _agvhd(n: int, rash: int, day0: date) -> Assessment:
    return Assessment(kind=AssessmentKind.AGVHD, date=_day(n, day0), findings={
        "skin_rash_bsa_pct": rash, "bilirubin_mg_dl": 0.5, "upper_gi_persistent": False,
        "stool_ml_day": 100})


def test_transplant_roll_up_per_hsct() -> None:
    h1, h2 = date(2025, 1, 1), date(2025, 9, 1)
    events = [Event(type=EventType.HSCT, date=h2), Event(type=EventType.HSCT, date=h1)]
    assessments = [_agvhd(100, 30, h1), _agvhd(101, 60, h1), _agvhd(10, 10, h2),
                   Assessment(kind=AssessmentKind.CGVHD, date=_day(150, h1), findings={
                       "skin": 1, "mouth": 2, "eyes": 0, "gi": 0, "liver": 0, "lungs": 0,
                       "joints_fascia": 0, "genital": 0})]
    marrow = [MarrowResult(date=_day(30, h1), donor_chimerism_pct=99),
              MarrowResult(date=_day(90, h1), donor_chimerism_pct=80),
              MarrowResult(date=_day(95, h1)),                       # no chimerism value
              MarrowResult(date=_day(5, h2), donor_chimerism_pct=96)]
    labs = (_labs(LabTest.ANC, [(1, 0.1), (14, 0.6), (15, 0.7), (16, 0.8)], h1)
            + _labs(LabTest.ANC, [(2, 0.1), (20, 0.6), (21, 0.7), (22, 0.8)], h2))
    rec = _record(events=events, assessments=assessments, marrow=marrow, labs=labs)
    first, second = to_document(rec, derive(rec))["summary"]["transplant"]
    assert first == {"hsct_date": "2025-01-01", "neutrophil_day": 14, "platelet_day": None,
                     "agvhd_worst_grade_by_day_100": 1, "agvhd_worst_grade_after_day_100": 2,
                     "cgvhd_worst_severity": "moderate", "latest_chimerism_pct": 80,
                     "latest_chimerism": "mixed"}
    assert second == {"hsct_date": "2025-09-01", "neutrophil_day": 20, "platelet_day": None,
                      "agvhd_worst_grade_by_day_100": 1, "agvhd_worst_grade_after_day_100": None,
                      "cgvhd_worst_severity": None, "latest_chimerism_pct": 96,
                      "latest_chimerism": "full"}


def test_transplant_roll_up_empty_without_hsct() -> None:
    rec = _record(events=CART)
    assert to_document(rec, derive(rec))["summary"]["transplant"] == []


# --- the document ---------------------------------------------------------------------------

def test_a_1_0_document_imports_unchanged_and_round_trips() -> None:
    doc = json.loads(DEMO_RECORD.read_text(encoding="utf-8"))
    record, problems = parse_record(doc)
    assert problems == [] and record is not None
    exported = dumps(to_document(record, derive(record)))
    again, problems = parse_record(json.loads(exported))
    assert problems == [] and again == record
    assert dumps(to_document(again, derive(again))) == exported
    assert dumps(to_document(again)) == dumps(to_document(record))
