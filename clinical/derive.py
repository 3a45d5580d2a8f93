"""Everything hemalog derives from a record: doses, grades, MRD, engraftment, summary.

One pure function, ``derive(record)``, feeds the export, the forms, the
patient header and the printout, so they can never disagree.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from clinical.days import anchors, day_number
from clinical.dosing import BodySize, DoseCalculation, body_size, compute_doses
from clinical.engraftment import engraftment_flags, engraftment_from_record
from clinical.grading.ctcae import (
    CTCAE_V5_NUMBER as CTCAE_VERSION, LabCtcae, ctcae_grades, ctcae_terms, lab_ctcae,
)
from clinical.grading.agvhd import grade_agvhd
from clinical.grading.cgvhd import grade_cgvhd
from clinical.grading.crs import grade_crs
from clinical.grading.icans import grade_icans
from clinical.grading.result import Grade
from clinical.marrow import chimerism_category, mrd_negative
from clinical.record import Assessment, AssessmentKind, EventType, Lab, Record
from clinical.messages import msg
from clinical.rollups import (
    CGVHD_SEVERITY, CHIMERISM_WORDS, CellularTherapyEpisode, TransplantRollup, cellular_therapy,
    transplant_rollups,
)

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
    if AssessmentKind(kind) is AssessmentKind.CGVHD and value in CGVHD_SEVERITY:
        return msg(CGVHD_SEVERITY[value])      # a vocabulary word, rendered per reader
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
    labs: Sequence[Lab]                      # the record's labs, for the per-lab grades
    ctcae: list[int | None]                  # CTCAE v5.0 grade per lab (format 1.1)
    chimerism: list[Grade | None]            # per marrow result (None: no value)
    cellular_therapy: list[CellularTherapyEpisode]
    transplant: list[TransplantRollup]

    def lab_ctcae(self, index: int) -> LabCtcae | None:
        """The CTCAE v5.0 grade of one lab with its term and reason (None: not graded)."""
        lab = self.labs[index]
        return lab_ctcae(lab.test, lab.value, lab.lln)

    def lab_ctcae_docs(self) -> list[dict[str, Any] | None]:
        """Each lab's derived `ctcae` object, or None for tests CTCAE does not grade here."""
        terms = ctcae_terms()
        return [None if (term := terms.get(lab.test)) is None else
                {"term": term, "grade": grade, "version": CTCAE_VERSION}
                for lab, grade in zip(self.labs, self.ctcae)]

    def chimerism_doc(self, index: int) -> tuple[str | None, list[str]]:
        """A marrow result's derived `chimerism` and `flags`."""
        grade = self.chimerism[index]
        if grade is None:
            return None, []
        flags = ["chimerism_boundary"] if grade.is_ambiguous else []
        return CHIMERISM_WORDS[grade.value], flags

    def summary(self) -> dict[str, Any]:
        """The record format's derived `summary` object."""
        return {
            "bsa_m2": float(self.body.bsa_m2) if self.body.bsa_m2 is not None else None,
            "anchors": {t.value: (self.anchors[t].isoformat() if t in self.anchors else None)
                        for t in (EventType.CART_INFUSION, EventType.HSCT)},
            "max_grade": {k.value: (self.max_grades[k].value if k in self.max_grades else None)
                          for k in AssessmentKind},
            "engraftment": self.engraftment_summary(),
            "cellular_therapy": [e.doc() for e in self.cellular_therapy],
            "transplant": [t.doc() for t in self.transplant],
        }

    def engraftment_summary(self) -> dict[str, Any] | None:
        """The summary's `engraftment`: per lineage {"date", "day", "flags"}; None without
        an HSCT."""
        hsct = self.anchors.get(EventType.HSCT)
        if hsct is None:
            return None                      # no HSCT: null, as in format 1.0
        out: dict[str, Any] = {}
        for lineage in ("neutrophil", "platelet"):
            grade = self.engraftment[lineage]
            reached = isinstance(grade.value, date)
            out[lineage] = {"date": grade.value.isoformat() if reached else None,
                            "day": day_number(grade.value, hsct) if reached else None,
                            "flags": engraftment_flags(grade)}
        return out


def derive(record: Record, *, as_of: date | None = None,
           previous: tuple[Record, Derived] | None = None) -> Derived:
    """Work out everything derived for a record (``as_of`` limits the header's max grades).

    ``previous``: the same patient's record as derived before (with what came of it).
    What depends only on parts of the record that are the very same objects there (a
    record is immutable; a lab saved replaces only ``labs``) is taken over, not worked
    out again: the doses of years of courses are not recomputed for one blood count."""
    same = _SameParts(record, previous)
    grades = same.take("grades", ("assessments",)) or \
        [grade_assessment(a) for a in record.assessments]
    max_grades: dict[AssessmentKind, MaxGrade] = {}
    for assessment, grade in zip(record.assessments, grades):
        if as_of is not None and assessment.date > as_of:
            continue
        best = max_grades.get(assessment.kind)
        if best is None or grade_rank(assessment.kind, grade.value) > grade_rank(assessment.kind, best.value):
            max_grades[assessment.kind] = MaxGrade(grade.value, assessment.date, grade.reason)
    doses = same.take("doses", ("courses", "measurements", "events")) or \
        compute_doses(record.courses, record.measurements, record.events)
    engraftment = engraftment_from_record(record.labs, record.events)
    anchor_dates = anchors(record.events)
    return Derived(
        doses=doses,
        grades=grades,
        mrd=same.take("mrd", ("marrow",)) or
        [mrd_negative(m.mrd_pct, m.mrd_lod_pct) for m in record.marrow],
        engraftment=engraftment,
        anchors=anchor_dates,
        body=body_size(record.measurements),
        max_grades=max_grades,
        labs=record.labs,
        ctcae=same.per_lab("ctcae", ctcae_grades),
        chimerism=same.take("chimerism", ("marrow",)) or
        [None if m.donor_chimerism_pct is None else
         chimerism_category(m.donor_chimerism_pct) for m in record.marrow],
        cellular_therapy=same.take("cellular_therapy",
                                   ("events", "assessments", "courses", "measurements")) or
        cellular_therapy(record.events, record.assessments, grades, record.courses, doses),
        transplant=transplant_rollups(record.events, record.assessments, grades,
                                      record.marrow, _engraftment_days(record, engraftment)),
    )


class _SameParts:
    """What of a previous derivation may be taken over for ``record``."""

    def __init__(self, record: Record, previous: tuple[Record, Derived] | None) -> None:
        self.record = record
        self.before, self.derived = previous if previous is not None else (None, None)

    def take(self, field: str, parts: tuple[str, ...]) -> Any:
        """The previous ``field`` when every one of ``parts`` of the record is the very
        object it was (and the patient is the same one); None otherwise."""
        if self.before is None or self.before.patient is not self.record.patient:
            return None
        if all(getattr(self.before, p) is getattr(self.record, p) for p in parts):
            return getattr(self.derived, field)
        return None

    def per_lab(self, field: str, work_out: Callable[[Sequence[Lab]], list[Any]]) -> list[Any]:
        """A list with one entry per lab, each worked out from its lab alone. When the
        labs begin with the very lab objects derived before (a lab saved is added at the
        end), their entries are taken over and only the labs after them worked out."""
        labs = self.record.labs
        if self.before is None or self.before.patient is not self.record.patient:
            return work_out(labs)
        before = self.before.labs
        if len(before) <= len(labs) and all(map(operator.is_, labs, before)):
            return [*getattr(self.derived, field), *work_out(labs[len(before):])]
        return work_out(labs)


@dataclass(frozen=True)
class Rollups:
    """The registry's part of ``Derived``: the CAR-T episodes and the transplants."""

    cellular_therapy: list[CellularTherapyEpisode]
    transplant: list[TransplantRollup]


def rollups(record: Record) -> Rollups:
    """``derive(record).cellular_therapy`` and ``.transplant`` without the rest (doses
    only when there is a CAR-T infusion to roll up, engraftment only with an HSCT): the
    registry export works them out for every patient of a ward."""
    kinds = {e.type for e in record.events}
    grades = [grade_assessment(a) for a in record.assessments]
    cart: list[CellularTherapyEpisode] = []
    if EventType.CART_INFUSION in kinds:
        doses = compute_doses(record.courses, record.measurements, record.events)
        cart = cellular_therapy(record.events, record.assessments, grades, record.courses,
                                doses)
    hsct: list[TransplantRollup] = []
    if EventType.HSCT in kinds:
        engraftment = engraftment_from_record(record.labs, record.events)
        hsct = transplant_rollups(record.events, record.assessments, grades, record.marrow,
                                  _engraftment_days(record, engraftment))
    return Rollups(cart, hsct)


def _engraftment_days(record: Record, first: Mapping[str, Grade]
                      ) -> dict[date, tuple[int | None, int | None]]:
    """(neutrophil day, platelet day) per HSCT date. The first HSCT's are the summary's;
    a later HSCT is worked out from its own day 0 with the labs before the next one."""
    hscts = sorted({e.date for e in record.events if e.type is EventType.HSCT})
    out: dict[date, tuple[int | None, int | None]] = {}
    for k, day0 in enumerate(hscts):
        if k == 0:
            found = first
        else:
            stop = hscts[k + 1] if k + 1 < len(hscts) else date.max
            events = [e for e in record.events
                      if e.type is not EventType.HSCT or e.date == day0]
            labs = [lab for lab in record.labs if lab.date < stop]
            found = engraftment_from_record(labs, events)
        out[day0] = tuple(  # type: ignore[assignment]
            day_number(found[lineage].value, day0) if isinstance(found[lineage].value, date)
            else None for lineage in ("neutrophil", "platelet"))
    return out
