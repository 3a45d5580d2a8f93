"""The research export (issue 17): every patient as one CSV per kind of data, joined by a
pseudonymous patient key, with a data dictionary in REDCap's import format.

Each table's columns are REDCap variables (lower case, unique across the project; the
first, ``record_id``, is the patient key), each table a REDCap instrument (form) of
that name, repeating where a patient has many rows. ``TABLES`` declares them once; the
rows and the dictionary both come from it, so they cannot disagree.

Derived values travel with what they were derived from: each lab its CTCAE v5.0 grade,
each drug line the amount computed for the patient, each assessment its grade, scale
and reason. ``deidentified`` leaves out the name, MRN and date of birth and every free
text (notes can name people); dates of care stay.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from clinical.derive import Derived, grade_label
from clinical.record import (
    AssessmentKind, CourseCategory, DayReference, DoseUnit, EventType, LabTest, MrdMethod,
    Record, Sex,
)

__all__ = ["Variable", "TABLES", "table_rows", "redcap_dictionary", "REDCAP_HEADER",
           "IDENTIFYING"]


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    kind: str = "text"              # text, date, number, integer, choice, notes
    choices: tuple[str, ...] = ()   # kind "choice": the values written
    identifying: bool = False       # left out of a de-identified export
    free_text: bool = False         # left out of a de-identified export (may name people)


def _choice(name: str, label: str, enum: type[Enum]) -> Variable:
    return Variable(name, label, "choice", tuple(str(m.value) for m in enum))


_KEY = Variable("record_id", "Patient key (pseudonymous; the same patient has the same "
                "key in every export of this database)")

TABLES: dict[str, tuple[Variable, ...]] = {
    "patients": (
        _KEY,
        Variable("mrn", "Medical record number", identifying=True),
        Variable("name", "Name", identifying=True),
        Variable("birth_date", "Date of birth", "date", identifying=True),
        _choice("sex", "Sex", Sex),
        Variable("age_at_diagnosis", "Age at diagnosis (years)", "integer"),
        Variable("diagnosis", "Diagnosis"),
        Variable("diagnosis_date", "Date of diagnosis", "date"),
        Variable("immunophenotype", "Immunophenotype (marker: result; ...)"),
        Variable("patient_notes", "Notes", "notes", free_text=True),
    ),
    "measurements": (
        _KEY,
        Variable("measurement_date", "Date measured", "date"),
        Variable("height_cm", "Height (cm)", "number"),
        Variable("weight_kg", "Weight (kg)", "number"),
    ),
    "courses": (
        _KEY,
        Variable("course_id", "Course number (within the patient, in record order)", "integer"),
        Variable("course_name", "Course or regimen"),
        _choice("course_category", "Category", CourseCategory),
        Variable("course_start_date", "Start date", "date"),
        _choice("course_day_reference", "Days count from", DayReference),
        Variable("course_notes", "Notes", "notes", free_text=True),
    ),
    "drug_lines": (
        _KEY,
        Variable("drug_course_id", "Course number (courses.course_id)", "integer"),
        Variable("drug_line", "Line within the course", "integer"),
        Variable("drug_name", "Drug"),
        Variable("drug_dose", "Dose as prescribed", "number"),
        _choice("drug_dose_unit", "Dose unit", DoseUnit),
        Variable("drug_days", "Days given (';' between days)"),
        Variable("drug_doses_per_day", "Doses per day", "integer"),
        Variable("drug_route", "Route"),
        Variable("drug_amount", "Amount per administration computed for the patient",
                 "number"),
        Variable("drug_amount_unit", "Unit of the computed amount"),
        Variable("drug_administrations", "Administrations", "integer"),
        Variable("drug_dates", "Dates given (';' between dates)"),
        Variable("drug_basis", "How the amount was computed"),
        Variable("drug_warnings", "Dose warnings (';' between warnings)"),
    ),
    "events": (
        _KEY,
        _choice("event_type", "Event", EventType),
        Variable("event_date", "Date", "date"),
        Variable("event_details", "Details (JSON)"),
        Variable("event_notes", "Notes", "notes", free_text=True),
    ),
    "labs": (
        _KEY,
        Variable("lab_date", "Date", "date"),
        _choice("lab_test", "Test", LabTest),
        Variable("lab_value", "Value (in lab_unit)", "number"),
        Variable("lab_unit", "Unit"),
        Variable("lab_lln", "Lower limit of normal", "number"),
        Variable("lab_uln", "Upper limit of normal", "number"),
        Variable("lab_ctcae_grade", "CTCAE v5.0 grade (counts)", "integer"),
    ),
    "marrow": (
        _KEY,
        Variable("marrow_date", "Date", "date"),
        Variable("blasts_pct", "Blasts (%)", "number"),
        Variable("mrd_pct", "MRD (%)", "number"),
        _choice("mrd_method", "MRD method", MrdMethod),
        Variable("mrd_lod_pct", "MRD limit of detection (%)", "number"),
        Variable("mrd_negative", "MRD negative (yes/no)"),
        Variable("cellularity_pct", "Cellularity (%)", "number"),
        Variable("donor_chimerism_pct", "Donor chimerism (%)", "number"),
        Variable("chimerism_category", "Chimerism category"),
        Variable("fibrosis_grade", "Fibrosis grade"),
        Variable("karyotype", "Karyotype"),
        Variable("marrow_notes", "Notes", "notes", free_text=True),
    ),
    "assessments": (
        _KEY,
        _choice("assessment_kind", "Assessment", AssessmentKind),
        Variable("assessment_date", "Date", "date"),
        Variable("assessment_grade", "Grade (or cGVHD severity)"),
        Variable("assessment_scale", "Scale"),
        Variable("assessment_reason", "Why this grade"),
        Variable("assessment_findings", "Findings as recorded (JSON)"),
        Variable("assessment_notes", "Notes", "notes", free_text=True),
    ),
}

IDENTIFYING = frozenset(v.name for vs in TABLES.values() for v in vs
                        if v.identifying or v.free_text)


def _columns(table: str, deidentified: bool) -> list[Variable]:
    return [v for v in TABLES[table] if not (deidentified and v.name in IDENTIFYING)]


def header(table: str, deidentified: bool) -> list[str]:
    return [v.name for v in _columns(table, deidentified)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() \
            else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _join(values: Iterable[Any]) -> str:
    return ";".join(_text(v) for v in values)


def _rows(record: Record, derived: Derived) -> dict[str, list[dict[str, Any]]]:
    p = record.patient
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    out["patients"].append({
        "mrn": p.mrn, "name": p.name, "birth_date": p.birth_date, "sex": p.sex,
        "age_at_diagnosis": p.age_at_diagnosis, "diagnosis": p.diagnosis,
        "diagnosis_date": p.diagnosis_date,
        "immunophenotype": "; ".join(f"{k}: {_text(v)}" for k, v in p.immunophenotype.items()),
        "patient_notes": p.notes})
    for m in record.measurements:
        out["measurements"].append({"measurement_date": m.date, "height_cm": m.height_cm,
                                    "weight_kg": m.weight_kg})
    for c, (course, calcs) in enumerate(zip(record.courses, derived.doses), start=1):
        out["courses"].append({
            "course_id": c, "course_name": course.name, "course_category": course.category,
            "course_start_date": course.start_date,
            "course_day_reference": course.day_reference, "course_notes": course.notes})
        for k, (line, calc) in enumerate(zip(course.drugs, calcs), start=1):
            out["drug_lines"].append({
                "drug_course_id": c, "drug_line": k, "drug_name": line.drug,
                "drug_dose": line.dose, "drug_dose_unit": line.unit,
                "drug_days": _join(line.days), "drug_doses_per_day": line.doses_per_day,
                "drug_route": line.route, "drug_amount": calc.amount,
                "drug_amount_unit": calc.unit if calc.amount is not None else None,
                "drug_administrations": calc.administrations,
                "drug_dates": _join(calc.dates or ()), "drug_basis": str(calc.basis),
                "drug_warnings": _join(str(w) for w in calc.warnings)})
    for e in record.events:
        out["events"].append({"event_type": e.type, "event_date": e.date,
                              "event_details": json.dumps(e.details, ensure_ascii=False,
                                                          sort_keys=True) if e.details else "",
                              "event_notes": e.notes})
    for lab, grade in zip(record.labs, derived.ctcae):
        out["labs"].append({"lab_date": lab.date, "lab_test": lab.test, "lab_value": lab.value,
                            "lab_unit": lab.unit, "lab_lln": lab.lln, "lab_uln": lab.uln,
                            "lab_ctcae_grade": grade})
    for m, negative, category in zip(record.marrow, derived.mrd, derived.chimerism):
        out["marrow"].append({
            "marrow_date": m.date, "blasts_pct": m.blasts_pct, "mrd_pct": m.mrd_pct,
            "mrd_method": m.mrd_method, "mrd_lod_pct": m.mrd_lod_pct,
            "mrd_negative": getattr(negative, "value", negative),
            "cellularity_pct": m.cellularity_pct, "donor_chimerism_pct": m.donor_chimerism_pct,
            "chimerism_category": getattr(category, "value", category),
            "fibrosis_grade": m.fibrosis_grade, "karyotype": m.karyotype,
            "marrow_notes": m.notes})
    for a, grade in zip(record.assessments, derived.grades):
        out["assessments"].append({
            "assessment_kind": a.kind, "assessment_date": a.date,
            "assessment_grade": grade_label(a.kind, grade.value) if grade.value is not None
            else None,
            "assessment_scale": grade.scale, "assessment_reason": str(grade.reason),
            "assessment_findings": json.dumps(a.findings, ensure_ascii=False, sort_keys=True),
            "assessment_notes": a.notes})
    return out


def table_rows(record: Record, derived: Derived, key: str, *, deidentified: bool
               ) -> dict[str, list[list[str]]]:
    """Each table's rows of one patient, as text in ``header`` order."""
    out = {}
    for table, rows in _rows(record, derived).items():
        names = header(table, deidentified)
        out[table] = [[key if n == "record_id" else _text(row.get(n)) for n in names]
                      for row in rows]
    return out


REDCAP_HEADER = ("Variable / Field Name", "Form Name", "Section Header", "Field Type",
                 "Field Label", "Choices, Calculations, OR Slider Labels", "Field Note",
                 "Text Validation Type OR Show Slider Number", "Text Validation Min",
                 "Text Validation Max", "Identifier?",
                 "Branching Logic (Show field only if...)", "Required Field?",
                 "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
                 "Matrix Ranking?", "Field Annotation")

_VALIDATION = {"date": "date_ymd", "number": "number", "integer": "integer"}


def redcap_dictionary(deidentified: bool) -> list[list[str]]:
    """The data dictionary rows (REDCap's data dictionary CSV, without its header):
    ``record_id`` once, first; then each instrument's variables."""
    rows: list[list[str]] = []
    seen: set[str] = set()
    for table, _variables in TABLES.items():
        for v in _columns(table, deidentified):
            if v.name in seen:
                continue
            seen.add(v.name)
            kind = {"choice": "dropdown", "notes": "notes"}.get(v.kind, "text")
            choices = " | ".join(f"{c}, {c}" for c in v.choices) if v.kind == "choice" else ""
            row = {"Variable / Field Name": v.name, "Form Name": table, "Field Type": kind,
                   "Field Label": v.label, "Choices, Calculations, OR Slider Labels": choices,
                   "Text Validation Type OR Show Slider Number": _VALIDATION.get(v.kind, ""),
                   "Identifier?": "y" if v.identifying else "",
                   "Required Field?": "y" if v.name == "record_id" else ""}
            rows.append([row.get(h, "") for h in REDCAP_HEADER])
    return rows

