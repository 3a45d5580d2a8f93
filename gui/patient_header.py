"""The patient header, always visible: who, what, BSA, day counters, max grades."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QWidget

import lang
from clinical.days import day_counters
from clinical.derive import Derived
from clinical.dosing import fmt
from clinical.record import AssessmentKind, Record
from gui.forms.assessment_form import grade_text
from gui.forms.fields import DateField
from gui.help import WhyButton

_KIND_NAMES = {AssessmentKind.CRS: "CRS", AssessmentKind.ICANS: "ICANS",
               AssessmentKind.AGVHD: "aGVHD", AssessmentKind.CGVHD: "cGVHD"}


def age_text(record: Record, on: date) -> str:
    p = record.patient
    if p.birth_date:
        years = on.year - p.birth_date.year - ((on.month, on.day) < (p.birth_date.month,
                                                                     p.birth_date.day))
        return QCoreApplication.translate("PatientHeader", "{years} y").format(years=years)
    if p.age_at_diagnosis is not None:
        return QCoreApplication.translate("PatientHeader", "{years} y at diagnosis").format(
            years=p.age_at_diagnosis)
    return QCoreApplication.translate("PatientHeader", "age unknown")


def sex_text(value: str) -> str:
    """The patient's sex as the window's language writes it (男/女)."""
    names = {"male": QCoreApplication.translate("PatientHeader", "male"),
             "female": QCoreApplication.translate("PatientHeader", "female"),
             "other": QCoreApplication.translate("PatientHeader", "other"),
             "unknown": QCoreApplication.translate("PatientHeader", "unknown")}
    return names.get(value, value)


def diagnosis_text(record: Record) -> str:
    p = record.patient
    markers = " ".join(f"{m}{'+' if v.value == 'pos' else '−' if v.value == 'neg' else ' ' + v.value}"
                       for m, v in p.immunophenotype.items())
    return f"{p.diagnosis} ({markers})" if markers else p.diagnosis


class ElidedLabel(QLabel):
    """A label that never wraps: each line of its text is elided ("…") to the width it
    gets, so the header stays a few lines tall on a 1366 px screen. ``text()`` is the
    whole text and the tooltip shows it whole too: no fact is lost, only shortened."""

    def __init__(self, explanation: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._explanation = explanation
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setToolTip(explanation)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self._update_tooltip()

    def set_explanation(self, explanation: str) -> None:
        self._explanation = explanation
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        parts = [p for p in (self.text(), self._explanation) if p]
        self.setToolTip("\n\n".join(parts))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 60), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()   # one line of the widest text, lines stacked
        return QSize(min(hint.width(), 400), hint.height())

    def is_elided(self) -> bool:
        metrics = self.fontMetrics()
        room = self.contentsRect().width()
        return any(metrics.horizontalAdvance(line) > room for line in self.text().split("\n"))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = self.contentsRect()
        metrics = self.fontMetrics()
        painter.setPen(self.palette().color(self.foregroundRole()))
        y = rect.top()
        for line in self.text().split("\n"):
            shown = metrics.elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
            self.style().drawItemText(
                painter, rect.adjusted(0, y - rect.top(), 0, 0),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                self.palette(), self.isEnabled(), shown)
            y += metrics.lineSpacing()
        painter.end()


class PatientHeader(QFrame):
    """Name, MRN, sex and age, diagnosis, BSA, day counters for a chosen date, max grades."""

    date_changed = Signal(object)   # datetime.date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Patient header"))
        self.name = ElidedLabel()
        self.name.setAccessibleName(self.tr("Patient name"))
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.identity = ElidedLabel()
        # Compact at 1366 px: one line each, elided, the whole text in the tooltip.
        self.diagnosis = ElidedLabel()
        self.diagnosis.setAccessibleName(self.tr("Diagnosis"))
        self.bsa = QLabel()
        self.days = ElidedLabel()
        self.days.setAccessibleName(self.tr("Day counters"))
        self.grades = ElidedLabel()
        self.grades.setAccessibleName(self.tr("Maximum grades"))
        # One line per CAR-T episode and per transplant: the registry roll-ups.
        self.rollups = ElidedLabel(self.tr(
            "Per CAR-T episode (infusions less than 7 days apart are one; days from its first infusion): CRS counted to day +30 and ICANS to day +60, onset, worst grade, resolution and treatment given in that window.\nPer transplant: engraftment, worst acute GVHD by and after day +100, worst chronic GVHD, latest chimerism."))  # noqa: E501
        self.rollups.setAccessibleName(self.tr("CAR-T and transplant roll-ups"))
        small = self.rollups.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.rollups.setFont(small)
        # Typed like every date (t-3 works); the counters follow once the date is entered
        # (Tab, Enter or a calendar pick), not at every keystroke of a half-typed date.
        self._as_of = date.today()
        self.on_date = DateField("as_of", self.tr("Day counters as of"), echo=False)
        self.on_date.committed.connect(self._on_date_committed)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 2, 8, 2)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.name, 0, 0)
        grid.addWidget(self.identity, 0, 1)
        grid.addWidget(self.bsa, 0, 2)
        as_of = QLabel(self.tr("Days as of"))
        as_of.setBuddy(self.on_date.edit)
        grid.addWidget(as_of, 0, 3, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.on_date, 0, 4)
        grid.addWidget(self.diagnosis, 1, 0, 1, 5)
        days = QHBoxLayout()
        days.setContentsMargins(0, 0, 0, 0)
        days.addWidget(self.days, 1)
        # "Why?": how engraftment is dated, in docs/clinical-rules.md
        self.why_engraftment = WhyButton("engraftment-neutrophil", self.tr("engraftment"))
        self.why_engraftment.setFlat(True)
        self.why_engraftment.setStyleSheet("padding: 0px 6px; color: #1a4f8a;")
        self.why_engraftment.setVisible(False)
        days.addWidget(self.why_engraftment)
        grid.addLayout(days, 2, 0, 1, 5)
        grid.addWidget(self.grades, 3, 0, 1, 5)
        grid.addWidget(self.rollups, 4, 0, 1, 5)
        grid.setColumnStretch(1, 1)

    def as_of(self) -> date:
        """The date the counters are for: the last one entered (a refused text keeps it)."""
        return self._as_of

    def set_as_of(self, when: date) -> None:
        """Counters as of ``when`` (a rebuilt header keeps the date the person chose)."""
        self._as_of = when
        self.on_date.set_value(when)

    def _on_date_committed(self, when: date | None) -> None:
        if when is not None and when != self._as_of:
            self._as_of = when
            self.date_changed.emit(when)

    def show_record(self, record: Record | None, derived: Derived | None) -> None:
        if record is None or derived is None:
            for label in (self.name, self.identity, self.diagnosis, self.bsa, self.days,
                          self.grades, self.rollups):
                label.setText("")
            self.name.setText(self.tr("No patient open"))
            return
        p = record.patient
        on = self.as_of()
        self.name.setText(p.name)
        self.identity.setText(self.tr("MRN {mrn} · {sex} · {age}").format(
            mrn=p.mrn, sex=sex_text(p.sex.value), age=age_text(record, on)))
        self.diagnosis.setText(diagnosis_text(record))
        body = derived.body
        self.bsa.setText(self.tr("BSA {bsa} m²").format(bsa=fmt(body.bsa_m2))
                         if body.bsa_m2 is not None else self.tr("BSA: no height/weight"))
        self.bsa.setToolTip(lang.render(body.describe()))
        counters = (lang.render(day_counters(on, derived.anchors))
                    or self.tr("No CAR-T infusion or transplant recorded"))
        summary = derived.engraftment_summary() or {}
        lineages = ((self.tr("Neutrophils engrafted day +{day} ({date})"),
                     summary.get("neutrophil")),
                    (self.tr("Platelets engrafted day +{day} ({date})"), summary.get("platelet")))
        engrafted = [text.format(day=e["day"], date=e["date"])
                     for text, e in lineages if e and e["date"]]
        self.days.setText(" · ".join([counters, *engrafted]))
        self.why_engraftment.setVisible(bool(engrafted))
        reasons = [lang.render(g.reason) for g in derived.engraftment.values()]
        self.days.set_explanation("\n".join(reasons))
        parts = []
        for kind in AssessmentKind:
            best = derived.max_grades.get(kind)
            if best is None:
                parts.append(f"{_KIND_NAMES[kind]} —")
            else:
                text = grade_text(kind.value, best.value)
                # the grade alone: "Grade 3" -> "3", "严重程度：中度" -> "中度"
                text = (text.replace("Grade ", "").replace("Severity: ", "")
                        if lang.current() == lang.EN else text.split("：")[-1])
                parts.append(self.tr("{kind} max {grade} ({date})").format(
                    kind=_KIND_NAMES[kind], grade=text, date=best.date))
        self.grades.setText(" · ".join(parts))
        lines = [lang.render(e.describe()) for e in derived.cellular_therapy]
        lines += [lang.render(t.describe()) for t in derived.transplant]
        self.rollups.setText("\n".join(lines))
        self.rollups.setVisible(bool(lines))
