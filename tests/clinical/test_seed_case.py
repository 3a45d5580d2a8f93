"""The published case, derived end to end (issue 3 acceptance)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from clinical.derive import derive
from clinical.record import AssessmentKind, Record
from clinical.record_json import to_document
from clinical.record_schema import parse_record
from resources import DEMO_RECORD


@pytest.fixture(scope="module")
def seed() -> Record:
    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert problems == [] and record is not None
    return record


def test_seed_case_summary(seed: Record) -> None:
    summary = to_document(seed, derive(seed))["summary"]
    assert summary == {
        "bsa_m2": 1.75,
        "anchors": {"cart_infusion": "2025-04-07", "hsct": "2025-05-23"},
        "max_grade": {"crs": 3, "icans": 0, "agvhd": 0, "cgvhd": "none"},
        "engraftment": {"neutrophil": {"date": "2025-06-06", "day": 14, "flags": []},
                        "platelet": {"date": "2025-07-07", "day": 45, "flags": []}},
        # Format 1.1: one cellular-therapy episode (7 and 8 April, day 0 = 7 April).
        "cellular_therapy": [{
            "infusion_date": "2025-04-07", "infusion_dates": ["2025-04-07", "2025-04-08"],
            "crs": {"occurred": True, "onset_day": 3, "worst_grade": 3, "worst_day": 3,
                    "resolved_day": None, "treatment": ["dexamethasone", "tocilizumab"]},
            "icans": {"occurred": False, "onset_day": None, "worst_grade": 0, "worst_day": 3,
                      "resolved_day": None, "treatment": []},
        }],
        "transplant": [{
            "hsct_date": "2025-05-23", "neutrophil_day": 14, "platelet_day": 45,
            "agvhd_worst_grade_by_day_100": 0, "agvhd_worst_grade_after_day_100": None,
            "cgvhd_worst_severity": "none", "latest_chimerism_pct": 93.33,
            "latest_chimerism": "mixed",
        }],
    }


def test_seed_case_roll_ups_read_in_one_line_each(seed: Record) -> None:
    derived = derive(seed)
    (episode,) = derived.cellular_therapy
    assert episode.describe() == ("CAR-T 2025-04-07: CRS from day +3, worst grade 3 on day +3, "
                                  "tocilizumab, dexamethasone · ICANS none")
    (hsct,) = derived.transplant
    assert hsct.describe() == ("HSCT 2025-05-23: neutrophils day +14, platelets day +45 · "
                               "aGVHD worst 0 by day +100 · cGVHD none · chimerism 93.33 % mixed")


def test_seed_case_marrow_chimerism_and_lab_ctcae(seed: Record) -> None:
    doc = to_document(seed, derive(seed))
    chimerism = [(m["chimerism"], m["flags"]) for m in doc["marrow"]]
    assert chimerism[-1] == ("mixed", []) and chimerism[:-1] == [(None, [])] * 11
    graded = [lab for lab in doc["labs"] if lab["test"] in {"anc", "plt", "wbc", "alc", "hb"}]
    assert graded and all(lab["ctcae"]["version"] == "5.0" for lab in graded)
    assert all("ctcae" not in lab for lab in doc["labs"] if lab not in graded)


def test_seed_case_crs_is_grade_3_because_of_dopamine(seed: Record) -> None:
    derived = derive(seed)
    crs = derived.max_grades[AssessmentKind.CRS]
    assert crs.value == 3 and crs.date == date(2025, 4, 10)
    assert "dopamine" in crs.reason


def test_seed_case_export_has_every_derived_key(seed: Record) -> None:
    doc = to_document(seed, derive(seed))
    for course in doc["courses"]:
        for line in course["drugs"]:
            assert set(line["computed"]) == {"amount", "unit", "administrations", "total", "dates"}
            assert line["warnings"] == []
    first = doc["courses"][0]["drugs"][0]
    assert first["computed"] == {"amount": 350, "unit": "mg", "administrations": 5,
                                 "total": 1750, "dates": ["2024-06-18", "2024-06-19",
                                                          "2024-06-20", "2024-06-21",
                                                          "2024-06-22"]}
    by_kind = {a["kind"]: a for a in doc["assessments"]}
    assert by_kind["crs"]["grade"] == 3 and by_kind["crs"]["scale"] == "ASTCT 2019"
    assert by_kind["icans"]["grade"] == 0
    assert by_kind["agvhd"]["grade"] == 0
    assert by_kind["agvhd"]["stages"] == {"skin": 0, "liver": 0, "upper_gi": 0, "lower_gi": 0}
    assert by_kind["cgvhd"]["severity"] == "none" and "grade" not in by_kind["cgvhd"]
    assert all(a["reason"] and a["flags"] == [] for a in doc["assessments"])
    mrd = [m["mrd_negative"] for m in doc["marrow"]]
    assert mrd[:2] == [False, False] and mrd[-3:] == [True, True, True]


# --- derive(previous=...): what a saved lab cannot change is taken over ----------------------------
def test_a_derivation_after_one_lab_equals_one_from_scratch_and_reuses_the_doses(
        seed: Record) -> None:
    import dataclasses

    from clinical.record import Lab, LabTest
    before = derive(seed)
    lab = Lab(date=date(2025, 6, 5), test=LabTest.ANC, value=0.4, unit="10^9/L")
    after = dataclasses.replace(seed, labs=(*seed.labs, lab))
    again = derive(after, previous=(seed, before))
    assert again == derive(after)            # the same facts as worked out from scratch
    assert again.doses is before.doses and again.grades is before.grades
    assert again.ctcae != before.ctcae       # what depends on labs is worked out anew


@pytest.mark.parametrize("part", ["courses", "measurements", "events", "assessments", "marrow"])
def test_a_changed_part_is_worked_out_anew(seed: Record, part: str) -> None:
    import dataclasses
    before = derive(seed)
    changed = dataclasses.replace(seed, **{part: tuple(getattr(seed, part))[:-1]})
    assert derive(changed, previous=(seed, before)) == derive(changed)


def test_another_patients_derivation_is_never_taken_over(seed: Record) -> None:
    import dataclasses
    before = derive(seed)
    marked = dataclasses.replace(before, doses=[["taken over"]])
    # The same courses, measurements and events objects, but another patient's record.
    other = dataclasses.replace(seed, patient=dataclasses.replace(seed.patient, mrn="X-2"))
    assert derive(other, previous=(seed, marked)).doses == before.doses
    assert derive(seed, previous=(seed, marked)).doses == [["taken over"]]   # the control


def test_the_per_lab_grades_of_the_labs_before_a_saved_one_are_taken_over(seed: Record) -> None:
    """CTCAE per lab: the labs that are the very objects derived before keep their
    grades, the lab added is graded; a lab corrected or voided in place, or another
    patient, is graded anew from scratch."""
    import dataclasses

    from clinical.record import Lab, LabTest
    before = derive(seed)
    marked = dataclasses.replace(before, ctcae=["kept"] * len(seed.labs))
    lab = Lab(date=date(2025, 6, 5), test=LabTest.ANC, value=0.4, unit="10^9/L")
    after = dataclasses.replace(seed, labs=(*seed.labs, lab))
    assert derive(after, previous=(seed, marked)).ctcae == ["kept"] * len(seed.labs) + [4]
    assert derive(after, previous=(seed, before)).ctcae == derive(after).ctcae
    corrected = dataclasses.replace(seed, labs=(
        dataclasses.replace(seed.labs[0], value=0.1), *seed.labs[1:]))
    assert derive(corrected, previous=(seed, marked)).ctcae == derive(corrected).ctcae
    voided = dataclasses.replace(seed, labs=seed.labs[1:])
    assert derive(voided, previous=(seed, marked)).ctcae == derive(voided).ctcae
    other = dataclasses.replace(after, patient=dataclasses.replace(seed.patient, mrn="X-2"))
    assert derive(other, previous=(seed, marked)).ctcae == derive(after).ctcae


# --- a reason quotes a finding as the record file writes it ------------------------------------
@pytest.mark.parametrize("findings, shown", [
    ({"bilirubin_umol_l": 34.0}, "bilirubin 34 µmol/L"),
    ({"bilirubin_mg_dl": 2.0}, "bilirubin 2.0 mg/dL"),          # rounded for the table: kept
    ({"stool_ml_day": 500.0, "stool_episodes_day": 8.0}, "8 episodes"),
])
def test_a_whole_number_finding_reads_the_same_after_a_round_trip(
        findings: dict, shown: str) -> None:
    """Found by the round-trip property test: 34.0 was quoted "34.0" in the reason while
    the export writes the finding as 34, so the re-imported record's reason said "34"."""
    from clinical.grading.agvhd import grade_agvhd
    from clinical.record_json import plain
    as_entered = grade_agvhd(findings)
    after_export = grade_agvhd(plain(findings))
    texts = [str(as_entered.reason), *map(str, as_entered.flags)]
    assert texts == [str(after_export.reason), *map(str, after_export.flags)]
    assert any(shown in t for t in texts), texts
