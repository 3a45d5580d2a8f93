"""A patient's record as an HL7 FHIR R4 Bundle (issue 17): `hemalog export MRN --format fhir`.

One ``collection`` Bundle holding:

- **Patient**: MRN (identifier), name, sex, date of birth;
- **Condition**: the diagnosis, with its date;
- **Procedure**: each HSCT and each CAR-T infusion (details as a note);
- **MedicationAdministration**: each administration of each drug line with known
  dates (a line given twice a day on three days is six), the dose as prescribed and
  the amount hemalog computed for this patient (``dosage.dose``), the route, and the
  basis of the computation in ``dosage.text``;
- **Observation** for each lab value (LOINC code where the test has one, UCUM unit,
  the reference range, the CTCAE v5.0 grade as an interpretation), for each marrow
  finding (blasts, MRD, donor chimerism, each in %), and for each graded CRS, ICANS,
  aGVHD and cGVHD assessment (the grade as the value, the scale as the method, the
  reason as a note).

Every resource has a ``urn:uuid`` full URL and every reference points at one of them.
The Bundle is checked against the FHIR models of the ``fhir.resources`` package
(its R4B models: R4B is R4's 4.3 release, identical to R4 4.0.1 for every element
used here; ``meta.profile`` is not claimed).

``deidentified``: no name, no MRN, no date of birth, and no free text (notes can
name people); the resource ids are random for that export, so two de-identified
exports cannot be linked by them. Dates of care stay (they carry the clinical
course); a registry or study that needs them shifted does so on its side.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from clinical.derive import Derived, grade_label
from clinical.record import AssessmentKind, EventType, LabTest, Record, Sex

__all__ = ["fhir_bundle", "fhir_json", "validate_bundle", "LOINC", "UCUM"]

LOINC = {LabTest.WBC: ("6690-2", "Leukocytes [#/volume] in Blood by Automated count"),
         LabTest.ANC: ("751-8", "Neutrophils [#/volume] in Blood by Automated count"),
         LabTest.ALC: ("731-0", "Lymphocytes [#/volume] in Blood by Automated count"),
         LabTest.PLT: ("777-3", "Platelets [#/volume] in Blood by Automated count"),
         LabTest.HB: ("718-7", "Hemoglobin [Mass/volume] in Blood"),
         LabTest.CRP: ("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma"),
         LabTest.FERRITIN: ("2276-4", "Ferritin [Mass/volume] in Serum or Plasma"),
         LabTest.IL6: ("26881-3", "Interleukin 6 [Mass/volume] in Serum or Plasma"),
         LabTest.BILIRUBIN: ("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma"),
         LabTest.CREATININE: ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma")}
UCUM = {"10^9/L": "10*9/L", "g/L": "g/L", "mg/L": "mg/L", "ng/mL": "ng/mL",
        "pg/mL": "pg/mL", "umol/L": "umol/L", "%": "%", "mg": "mg", "g": "g",
        "cells": "{cells}", "units": "[U]"}
_HEMALOG = "urn:hemalog:code"           # hemalog's own codes (tests without LOINC, scales)
_MRN = "urn:hemalog:mrn"
_LOINC_SYSTEM, _UCUM_SYSTEM = "http://loinc.org", "http://unitsofmeasure.org"
_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_GENDER = {Sex.MALE: "male", Sex.FEMALE: "female", Sex.OTHER: "other", Sex.UNKNOWN: "unknown"}
_NAMESPACE = uuid.UUID("6f1c2a5e-8d4b-4c3e-9a57-2b0d6e1f4a90")
_SCALE = {AssessmentKind.CRS: "ASTCT 2019 consensus grading of CRS",
          AssessmentKind.ICANS: "ASTCT 2019 consensus grading of ICANS (ICE score)",
          AssessmentKind.AGVHD: "MAGIC criteria for acute GVHD",
          AssessmentKind.CGVHD: "NIH 2014 consensus global severity of chronic GVHD"}
_NAMES = {AssessmentKind.CRS: "Cytokine release syndrome grade",
          AssessmentKind.ICANS: "ICANS grade",
          AssessmentKind.AGVHD: "Acute GVHD overall grade",
          AssessmentKind.CGVHD: "Chronic GVHD global severity"}
_MARROW = {"blasts_pct": "Bone marrow blasts (%)",
           "mrd_pct": "Measurable residual disease (% of cells)",
           "donor_chimerism_pct": "Donor chimerism (% donor)"}
_LAB_NAMES = {LabTest.CAR_T_PCT: "CAR-T cells (% of lymphocytes)",
              LabTest.TCR_PCT: "T-cell receptor gene rearrangement positivity (%)"}


def _number(value: Any) -> int | float:
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


class _Ids:
    def __init__(self, mrn: str, deidentified: bool) -> None:
        self.seed = str(uuid.uuid4()) if deidentified else mrn

    def __call__(self, *parts: Any) -> str:
        return str(uuid.uuid5(_NAMESPACE, "/".join([self.seed, *map(str, parts)])))


def _quantity(value: Any, unit: str) -> dict[str, Any]:
    out: dict[str, Any] = {"value": _number(value), "unit": unit}
    if unit in UCUM:
        out.update(system=_UCUM_SYSTEM, code=UCUM[unit])
    return out


def _entry(uid: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{uid}", "resource": {**resource, "id": uid}}


def fhir_bundle(record: Record, derived: Derived, *, deidentified: bool = False,
                generated: str | None = None) -> dict[str, Any]:
    """The Bundle as JSON-ready data (``validate_bundle`` checks it against the models)."""
    ids = _Ids(record.patient.mrn, deidentified)
    p = record.patient
    patient_id = ids("patient")
    subject = {"reference": f"urn:uuid:{patient_id}"}
    entries: list[dict[str, Any]] = []
    patient: dict[str, Any] = {"resourceType": "Patient", "gender": _GENDER[p.sex]}
    if not deidentified:
        patient["identifier"] = [{"system": _MRN, "value": p.mrn}]
        patient["name"] = [{"text": p.name}]
        if p.birth_date is not None:
            patient["birthDate"] = p.birth_date.isoformat()
    entries.append(_entry(patient_id, patient))
    condition: dict[str, Any] = {
        "resourceType": "Condition", "subject": subject, "code": {"text": p.diagnosis},
        "verificationStatus": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
            "code": "confirmed"}]}}
    if p.diagnosis_date is not None:
        condition["onsetDateTime"] = p.diagnosis_date.isoformat()
    entries.append(_entry(ids("condition"), condition))
    entries += _procedures(record, ids, subject, deidentified)
    entries += _administrations(record, derived, ids, subject)
    entries += _labs(record, derived, ids, subject)
    entries += _marrow(record, ids, subject)
    entries += _assessments(record, derived, ids, subject, deidentified)
    bundle: dict[str, Any] = {"resourceType": "Bundle", "id": ids("bundle"),
                              "type": "collection", "entry": entries}
    if generated is not None:
        bundle["timestamp"] = generated
    return bundle


def _procedures(record: Record, ids: _Ids, subject: dict[str, str], deidentified: bool
                ) -> Iterable[dict[str, Any]]:
    names = {EventType.HSCT: "Allogeneic haematopoietic stem cell transplantation",
             EventType.CART_INFUSION: "CAR-T cell infusion"}
    for n, event in enumerate(record.events):
        if event.type not in names:
            continue
        procedure: dict[str, Any] = {
            "resourceType": "Procedure", "status": "completed", "subject": subject,
            "code": {"coding": [{"system": _HEMALOG, "code": event.type.value,
                                 "display": names[event.type]}],
                     "text": names[event.type]},
            "performedDateTime": event.date.isoformat()}
        details = "; ".join(f"{k}: {v}" for k, v in sorted(event.details.items()))
        notes = [d for d in (details, None if deidentified else event.notes) if d]
        if notes:
            procedure["note"] = [{"text": text} for text in notes]
        yield _entry(ids("event", event.id if event.id is not None else f"#{n}"), procedure)


def _administrations(record: Record, derived: Derived, ids: _Ids, subject: dict[str, str]
                     ) -> Iterable[dict[str, Any]]:
    for c, (course, calcs) in enumerate(zip(record.courses, derived.doses)):
        for k, (line, calc) in enumerate(zip(course.drugs, calcs)):
            if not calc.dates:
                continue   # no dates known (a day reference without its anchor)
            dosage: dict[str, Any] = {"text": f"{_number(line.dose)} {line.unit.value}: "
                                              f"{calc.basis}"}
            if calc.amount is not None:
                dosage["dose"] = _quantity(calc.amount, calc.unit)
            if line.route:
                dosage["route"] = {"text": line.route}
            key = (course.id if course.id is not None else f"#{c}",
                   line.id if line.id is not None else f"#{k}")
            for day in calc.dates:
                for n in range(max(line.doses_per_day, 1)):
                    yield _entry(ids("administration", *key, day.isoformat(), n), {
                        "resourceType": "MedicationAdministration", "status": "completed",
                        "medicationCodeableConcept": {"text": line.drug},
                        "subject": subject, "effectiveDateTime": day.isoformat(),
                        "dosage": dosage,
                        "note": [{"text": f"{course.name} ({course.category.value})"}]})


def _labs(record: Record, derived: Derived, ids: _Ids, subject: dict[str, str]
          ) -> Iterable[dict[str, Any]]:
    for n, (lab, grade) in enumerate(zip(record.labs, derived.ctcae)):
        if lab.test in LOINC:
            code, display = LOINC[lab.test]
            concept = {"coding": [{"system": _LOINC_SYSTEM, "code": code, "display": display}],
                       "text": display}
        else:
            name = _LAB_NAMES.get(lab.test, lab.test.value)
            concept = {"coding": [{"system": _HEMALOG, "code": lab.test.value, "display": name}],
                       "text": name}
        observation: dict[str, Any] = {
            "resourceType": "Observation", "status": "final",
            "category": [{"coding": [{"system": _CATEGORY, "code": "laboratory"}]}],
            "code": concept, "subject": subject, "effectiveDateTime": lab.date.isoformat(),
            "valueQuantity": _quantity(lab.value, lab.unit)}
        if lab.lln is not None or lab.uln is not None:
            observation["referenceRange"] = [{
                k: _quantity(v, lab.unit) for k, v in (("low", lab.lln), ("high", lab.uln))
                if v is not None}]
        if grade is not None:
            observation["interpretation"] = [{
                "coding": [{"system": f"{_HEMALOG}:ctcae-5.0", "code": f"grade-{grade}",
                            "display": f"CTCAE v5.0 grade {grade}"}],
                "text": f"CTCAE v5.0 grade {grade}"}]
        yield _entry(ids("lab", lab.id if lab.id is not None else f"#{n}"), observation)


def _marrow(record: Record, ids: _Ids, subject: dict[str, str]) -> Iterable[dict[str, Any]]:
    for n, m in enumerate(record.marrow):
        for key, name in _MARROW.items():
            value = getattr(m, key)
            if value is None:
                continue
            observation: dict[str, Any] = {
                "resourceType": "Observation", "status": "final",
                "category": [{"coding": [{"system": _CATEGORY, "code": "laboratory"}]}],
                "code": {"coding": [{"system": _HEMALOG, "code": f"marrow.{key}",
                                     "display": name}], "text": name},
                "subject": subject, "effectiveDateTime": m.date.isoformat(),
                "valueQuantity": _quantity(value, "%")}
            if key == "mrd_pct" and m.mrd_method is not None:
                observation["method"] = {"text": m.mrd_method.value}
            yield _entry(ids("marrow", m.id if m.id is not None else f"#{n}", key), observation)


def _assessments(record: Record, derived: Derived, ids: _Ids, subject: dict[str, str],
                 deidentified: bool) -> Iterable[dict[str, Any]]:
    for n, (a, grade) in enumerate(zip(record.assessments, derived.grades)):
        if grade.value is None:
            continue   # not gradable from what was recorded: no grade to send
        name = _NAMES[a.kind]
        observation: dict[str, Any] = {
            "resourceType": "Observation", "status": "final",
            "category": [{"coding": [{"system": _CATEGORY, "code": "exam"}]}],
            "code": {"coding": [{"system": _HEMALOG, "code": f"grade.{a.kind.value}",
                                 "display": name}], "text": name},
            "subject": subject, "effectiveDateTime": a.date.isoformat(),
            "method": {"text": f"{_SCALE[a.kind]} ({grade.scale})"},
            "note": [{"text": str(grade.reason)}] +
            ([{"text": a.notes}] if a.notes and not deidentified else [])}
        if isinstance(grade.value, int) and not isinstance(grade.value, bool):
            observation["valueInteger"] = grade.value
        else:
            label = grade_label(a.kind, grade.value) or str(grade.value)
            observation["valueCodeableConcept"] = {"text": label}
        yield _entry(ids("assessment", a.id if a.id is not None else f"#{n}"), observation)


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _shape(v)) for k, v in value.items() if k != "id"))
    if isinstance(value, list):
        return tuple(_shape(v) for v in value)
    return type(value).__name__


def validate_bundle(bundle: dict[str, Any], *, every_entry: bool = True) -> Any:
    """The Bundle as the ``fhir.resources`` models read it (pydantic ValidationError
    when it breaks FHIR's rules); every reference must name an entry of it.

    ``every_entry`` False checks one entry of each shape (the same elements with
    values of the same types): the export of a patient with years of daily counts
    is checked in well under a second, where the models take about 1.5 ms an entry;
    the tests check every entry of the seed case's bundle."""
    from fhir.resources.R4B.bundle import Bundle

    checked = bundle
    if not every_entry:
        seen: dict[Any, dict[str, Any]] = {}
        for entry in bundle.get("entry", []):
            seen.setdefault(_shape(entry), entry)
        checked = {**bundle, "entry": list(seen.values())}
    model = Bundle.model_validate(checked)
    urls = {e["fullUrl"] for e in bundle.get("entry", [])}
    dangling = sorted({ref for e in bundle.get("entry", [])
                       for ref in _references(e["resource"]) if ref not in urls})
    if dangling:
        raise ValueError(f"references that name no entry of the bundle: {dangling[:5]}")
    return model


def _references(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "reference" and isinstance(v, str):
                yield v
            else:
                yield from _references(v)
    elif isinstance(value, list):
        for v in value:
            yield from _references(v)


def fhir_json(bundle: dict[str, Any]) -> str:
    """The Bundle as JSON text (UTF-8 as written, keys in a stable order)."""
    return json.dumps(bundle, ensure_ascii=False, indent=1) + "\n"
