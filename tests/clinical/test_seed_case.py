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
        "engraftment": {"neutrophil": {"date": "2025-06-06", "day": 14},
                        "platelet": {"date": "2025-07-07", "day": 45}},
    }


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
