"""The patient header, always visible: who, what, BSA, day counters, max grades."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from clinical.days import day_counters
from clinical.derive import Derived
from clinical.dosing import fmt
from clinical.record import AssessmentKind, Record
from gui.forms.assessment_form import grade_text
from gui.forms.fields import DateField

_KIND_NAMES = {AssessmentKind.CRS: "CRS", AssessmentKind.ICANS: "ICANS",
               AssessmentKind.AGVHD: "aGVHD", AssessmentKind.CGVHD: "cGVHD"}


def age_text(record: Record, on: date) -> str:
    p = record.patient
    if p.birth_date:
        years = on.year - p.birth_date.year - ((on.month, on.day) < (p.birth_date.month,
                                                                     p.birth_date.day))
        return f"{years} y"
    if p.age_at_diagnosis is not None:
        return f"{p.age_at_diagnosis} y at diagnosis"
    return "age unknown"


def diagnosis_text(record: Record) -> str:
    p = record.patient
    markers = " ".join(f"{m}{'+' if v.value == 'pos' else '−' if v.value == 'neg' else ' ' + v.value}"
                       for m, v in p.immunophenotype.items())
    return f"{p.diagnosis} ({markers})" if markers else p.diagnosis


class PatientHeader(QFrame):
    """Name, MRN, sex and age, diagnosis, BSA, day counters for a chosen date, max grades."""

    date_changed = Signal(object)   # datetime.date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Patient header")
        self.name = QLabel()
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.identity = QLabel()
        self.diagnosis = QLabel()
        self.diagnosis.setWordWrap(True)
        self.bsa = QLabel()
        self.days = QLabel()
        self.days.setAccessibleName("Day counters")
        self.grades = QLabel()
        self.grades.setAccessibleName("Maximum grades")
        # One line per CAR-T episode and per transplant: the registry roll-ups.
        self.rollups = QLabel()
        self.rollups.setAccessibleName("CAR-T and transplant roll-ups")
        self.rollups.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Typed like every date (t-3 works); the counters follow once the date is entered
        # (Tab, Enter or a calendar pick), not at every keystroke of a half-typed date.
        self._as_of = date.today()
        self.on_date = DateField("as_of", "Day counters as of", echo=False)
        self.on_date.committed.connect(self._on_date_committed)
        for label in (self.identity, self.bsa, self.days, self.grades, self.rollups):
            label.setWordWrap(True)  # the header shrinks with the window instead of clipping
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 4, 8, 4)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.name, 0, 0)
        grid.addWidget(self.identity, 0, 1)
        grid.addWidget(self.bsa, 0, 2)
        grid.addWidget(self.diagnosis, 1, 0, 1, 3)
        grid.addWidget(self.days, 2, 0, 1, 2)
        as_of = QLabel("as of")
        as_of.setBuddy(self.on_date.edit)
        grid.addWidget(as_of, 2, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.on_date, 2, 3)
        grid.addWidget(self.grades, 3, 0, 1, 4)
        grid.addWidget(self.rollups, 4, 0, 1, 4)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 2)

    def as_of(self) -> date:
        """The date the counters are for: the last one entered (a refused text keeps it)."""
        return self._as_of

    def _on_date_committed(self, when: date | None) -> None:
        if when is not None and when != self._as_of:
            self._as_of = when
            self.date_changed.emit(when)

    def show_record(self, record: Record | None, derived: Derived | None) -> None:
        if record is None or derived is None:
            for label in (self.name, self.identity, self.diagnosis, self.bsa, self.days,
                          self.grades, self.rollups):
                label.setText("")
            self.name.setText("No patient open")
            return
        p = record.patient
        on = self.as_of()
        self.name.setText(p.name)
        self.identity.setText(f"MRN {p.mrn} · {p.sex.value} · {age_text(record, on)}")
        self.diagnosis.setText(diagnosis_text(record))
        body = derived.body
        self.bsa.setText(f"BSA {fmt(body.bsa_m2)} m²" if body.bsa_m2 is not None
                         else "BSA: no height/weight")
        self.bsa.setToolTip(body.describe())
        counters = day_counters(on, derived.anchors) or "No CAR-T infusion or transplant recorded"
        summary = derived.engraftment_summary() or {}
        engrafted = [f"{name} engrafted day +{e['day']} ({e['date']})"
                     for name, e in (("Neutrophils", summary.get("neutrophil")),
                                     ("Platelets", summary.get("platelet"))) if e and e["date"]]
        self.days.setText("  ·  ".join([counters, *engrafted]))
        reasons = [g.reason for g in derived.engraftment.values()]
        self.days.setToolTip("\n".join(reasons))
        parts = []
        for kind in AssessmentKind:
            best = derived.max_grades.get(kind)
            if best is None:
                parts.append(f"{_KIND_NAMES[kind]} —")
            else:
                text = grade_text(kind.value, best.value).replace("Grade ", "").replace(
                    "Severity: ", "")
                parts.append(f"{_KIND_NAMES[kind]} max {text} ({best.date})")
        self.grades.setText("  ·  ".join(parts))
        lines = [e.describe() for e in derived.cellular_therapy]
        lines += [t.describe() for t in derived.transplant]
        self.rollups.setText("\n".join(lines))
        self.rollups.setVisible(bool(lines))
        self.rollups.setToolTip(
            "Per CAR-T episode (infusions less than 7 days apart are one; days from its first "
            "infusion): CRS counted to day +30 and ICANS to day +60, onset, worst grade, "
            "resolution and treatment given in that window.\nPer transplant: engraftment, "
            "worst acute GVHD by and after day +100, worst chronic GVHD, latest chimerism.")
