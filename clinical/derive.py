"""Everything hemalog derives from a record: doses, grades, MRD, engraftment, summary.

One pure function, ``derive(record)``, feeds the export, the forms, the
patient header and the printout, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from clinical.days import anchors, day_number
from clinical.dosing import BodySize, DoseCalculation, body_size, compute_doses
from clinical.engraftment import engraftment_from_record
from clinical.grading.agvhd import grade_agvhd
from clinical.grading.cgvhd import grade_cgvhd
from clinical.grading.crs import grade_crs
from clinical.grading.icans import grade_icans
from clinical.grading.result import Grade
from clinical.marrow import mrd_negative
from clinical.record import Assessment, AssessmentKind, EventType, Record

__all__ = ["Derived", "MaxGrade", "derive", "grade_assessment", "grade_rank", "grade_label",
           "CGVHD_ORDER"]

CGVHD_ORDER = ("none", "mild", "moderate", "severe")

_GRADERS = {
    AssessmentKind.CRS: grade_crs,
    AssessmentKind.ICANS: grade_icans,
    AssessmentKind.AGVHD: grade_agvhd,
    AssessmentKind.CGVHD: grade_cgvhd,
}


def grade_assessment(assessment: Assessment) -> Grade:
    """Grade one assessment from its findings, on its kind's scale."""
    return _GRADERS[assessment.kind](assessment.findings)


def grade_rank(kind: AssessmentKind, value: Any) -> int:
    """Grades of one kind on one scale: 0-5, chronic GVHD none 0 ... severe 3; -1 unknown."""
    if kind is AssessmentKind.CGVHD:
        return CGVHD_ORDER.index(value) if value in CGVHD_ORDER else -1
    return value if isinstance(value, int) else -1


_ROMAN = {0: "0", 1: "I", 2: "II", 3: "III", 4: "IV"}


def grade_label(kind: AssessmentKind | str, value: Any) -> str | None:
    """How a grade is written: '3', 'III' for acute GVHD (MAGIC), 'moderate' for chronic
    GVHD; None when it cannot be derived."""
    if value is None:
        return None
    if AssessmentKind(kind) is AssessmentKind.AGVHD:
        return _ROMAN.get(value, str(value))
    return str(value)


@dataclass(frozen=True)
class MaxGrade:
    """The worst grade of one kind so far, and the assessment that gave it."""

    value: Any
    date: date
    reason: str


@dataclass(frozen=True)
class Derived:
    doses: list[list[DoseCalculation]]       # per course, per drug line
    grades: list[Grade]                      # per assessment, in record order
    mrd: list[Grade]                         # per marrow result
    engraftment: Mapping[str, Grade]         # "neutrophil", "platelet"
    anchors: Mapping[EventType, date]
    body: BodySize                           # latest height and weight
    max_grades: Mapping[AssessmentKind, MaxGrade]

    def summary(self) -> dict[str, Any]:
        """The record format's derived `summary` object."""
        return {
            "bsa_m2": float(self.body.bsa_m2) if self.body.bsa_m2 is not None else None,
            "anchors": {t.value: (self.anchors[t].isoformat() if t in self.anchors else None)
                        for t in (EventType.CART_INFUSION, EventType.HSCT)},
            "max_grade": {k.value: (self.max_grades[k].value if k in self.max_grades else None)
                          for k in AssessmentKind},
            "engraftment": {lineage: self._engraftment_doc(lineage)
                            for lineage in ("neutrophil", "platelet")},
        }

    def _engraftment_doc(self, lineage: str) -> dict[str, Any] | None:
        grade = self.engraftment.get(lineage)
        if grade is None or not isinstance(grade.value, date):
            return None
        hsct = self.anchors.get(EventType.HSCT)
        day = day_number(grade.value, hsct) if hsct else None
        return {"date": grade.value.isoformat(), "day": day}


def derive(record: Record, *, as_of: date | None = None) -> Derived:
    """Work out everything derived for a record (``as_of`` limits the header's max grades)."""
    grades = [grade_assessment(a) for a in record.assessments]
    max_grades: dict[AssessmentKind, MaxGrade] = {}
    for assessment, grade in zip(record.assessments, grades):
        if as_of is not None and assessment.date > as_of:
            continue
        best = max_grades.get(assessment.kind)
        if best is None or grade_rank(assessment.kind, grade.value) > grade_rank(assessment.kind, best.value):
            max_grades[assessment.kind] = MaxGrade(grade.value, assessment.date, grade.reason)
    return Derived(
        doses=compute_doses(record.courses, record.measurements, record.events),
        grades=grades,
        mrd=[mrd_negative(m.mrd_pct, m.mrd_lod_pct) for m in record.marrow],
        engraftment=engraftment_from_record(record.labs, record.events),
        anchors=anchors(record.events),
        body=body_size(record.measurements),
        max_grades=max_grades,
    )
