"""The FHIR R4 Bundle of a record (issue 17): valid by the fhir.resources models, one
resource per fact of the record, every reference inside the bundle."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from clinical.derive import derive
from clinical.fhir_bundle import LOINC, fhir_bundle, fhir_json, validate_bundle
from clinical.record import AssessmentKind, EventType, Record
from clinical.record_schema import parse_record
from resources import DEMO_RECORD

pytest.importorskip("fhir.resources")


@pytest.fixture(scope="module")
def seed() -> Record:
    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert problems == [] and record is not None
    return record


@pytest.fixture(scope="module")
def bundle(seed: Record) -> dict:
    return fhir_bundle(seed, derive(seed), generated="2026-12-01T00:00:00+00:00")


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_seed_bundle_validates_entry_by_entry(bundle: dict) -> None:
    model = validate_bundle(bundle, every_entry=True)
    assert model.type == "collection" and len(model.entry) == len(bundle["entry"])


def test_one_resource_per_fact_of_the_record(seed: Record, bundle: dict) -> None:
    derived = derive(seed)
    counts = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    administrations = sum(len(calc.dates) * max(line.doses_per_day, 1)
                          for course, calcs in zip(seed.courses, derived.doses)
                          for line, calc in zip(course.drugs, calcs) if calc.dates)
    marrow = sum(getattr(m, k) is not None for m in seed.marrow
                 for k in ("blasts_pct", "mrd_pct", "donor_chimerism_pct"))
    graded = sum(g.value is not None for g in derived.grades)
    procedures = sum(e.type in (EventType.HSCT, EventType.CART_INFUSION) for e in seed.events)
    assert counts == {"Patient": 1, "Condition": 1, "Procedure": procedures,
                      "MedicationAdministration": administrations,
                      "Observation": len(seed.labs) + marrow + graded}
    assert procedures == 3 and administrations == 252      # the seed case as published
    # A drug given twice a day on three days is six administrations.
    assert administrations > sum(len(c.dates or ()) for cs in derived.doses for c in cs)


def test_every_reference_resolves_and_every_url_is_unique(bundle: dict) -> None:
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls)) and all(u.startswith("urn:uuid:") for u in urls)
    patient = _resources(bundle, "Patient")[0]
    for entry in bundle["entry"][1:]:
        assert entry["resource"]["subject"] == {"reference": f"urn:uuid:{patient['id']}"}
    broken = dict(bundle, entry=bundle["entry"][1:])     # without the Patient
    with pytest.raises(ValueError, match="references that name no entry"):
        validate_bundle(broken)


def test_labs_carry_loinc_ucum_range_and_ctcae_grade(seed: Record, bundle: dict) -> None:
    labs = [o for o in _resources(bundle, "Observation")
            if o["category"][0]["coding"][0]["code"] == "laboratory" and "interpretation" in o]
    assert labs, "some seed counts have a CTCAE grade"
    hb = next(o for o in _resources(bundle, "Observation")
              if o["code"]["coding"][0].get("code") == LOINC[seed.labs[2].test][0])
    assert hb["valueQuantity"]["system"] == "http://unitsofmeasure.org"
    grades = [o["interpretation"][0]["coding"][0]["code"] for o in labs]
    assert set(grades) <= {f"grade-{n}" for n in range(5)}


def test_grades_carry_scale_and_reason(seed: Record, bundle: dict) -> None:
    crs = next(o for o in _resources(bundle, "Observation")
               if o["code"]["coding"][0]["code"] == "grade.crs")
    assert crs["valueInteger"] == 3
    assert "ASTCT" in crs["method"]["text"]
    assert crs["note"][0]["text"] == "grade 3: one vasopressor (dopamine)"
    kinds = {o["code"]["coding"][0]["code"] for o in _resources(bundle, "Observation")}
    assert {f"grade.{k.value}" for k in AssessmentKind if
            any(a.kind is k for a in seed.assessments)} <= kinds


def test_a_deidentified_bundle_holds_no_name_mrn_birth_date_nor_notes(seed: Record) -> None:
    import dataclasses
    from datetime import date
    named = dataclasses.replace(seed, patient=dataclasses.replace(
        seed.patient, name="Zhang Wei", birth_date=date(1973, 5, 2)))
    text = fhir_json(fhir_bundle(named, derive(named), deidentified=True))
    for secret in ("Zhang Wei", seed.patient.mrn, "1973-05-02", "urn:hemalog:mrn"):
        assert secret not in text
    notes = [n for e in seed.events if e.notes for n in [e.notes]]
    assert notes and not any(n in text for n in notes)
    validate_bundle(json.loads(text), every_entry=False)
    # Two de-identified exports share no resource id (they cannot be linked by them).
    again = fhir_bundle(named, derive(named), deidentified=True)
    assert {e["fullUrl"] for e in again["entry"]}.isdisjoint(
        e["fullUrl"] for e in json.loads(text)["entry"])


def test_the_identified_bundle_is_the_same_every_time(seed: Record, bundle: dict) -> None:
    again = fhir_bundle(seed, derive(seed), generated="2026-12-01T00:00:00+00:00")
    assert fhir_json(again) == fhir_json(bundle)
    patient = _resources(bundle, "Patient")[0]
    assert patient["identifier"] == [{"system": "urn:hemalog:mrn", "value": seed.patient.mrn}]


def test_the_command_writes_a_valid_bundle(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import main
    db = tmp_path / "ward.db"
    assert main.main(["--db", str(db), "demo"]) == 0
    out = tmp_path / "bundle.json"
    assert main.main(["--db", str(db), "export", "DEMO-CD7-001", "--format", "fhir",
                      "-o", str(out)]) == 0
    written = json.loads(out.read_text("utf-8"))
    validate_bundle(written, every_entry=False)
    assert written["timestamp"]
    capsys.readouterr()
    assert main.main(["--db", str(db), "export", "DEMO-CD7-001", "--deidentified"]) == 1
    assert "use --format fhir or --format csv" in capsys.readouterr().err
