"""Toxicity: the four grading forms and every assessment with its grade and reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QSizePolicy, QTabWidget, QVBoxLayout, QWidget

from clinical.derive import Derived
from clinical.record import Assessment, AssessmentKind, Record
from gui.bridge import StoreBridge
from gui.forms.agvhd_form import AgvhdForm
from gui.forms.assessment_form import AssessmentForm, grade_text
from gui.forms.cgvhd_form import CgvhdForm
from gui.forms.crs_form import CrsForm
from gui.forms.icans_form import IcansForm
from gui.item_section import ItemSection
from gui.models.item_table_model import Column

NAMES = {"crs": "CRS", "icans": "ICANS", "agvhd": "Acute GVHD", "cgvhd": "Chronic GVHD"}


class ToxicitySection(QWidget):
    """Forms for CRS, ICANS, acute and chronic GVHD beside the graded assessments."""

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forms: dict[str, AssessmentForm] = {
            "crs": CrsForm(bridge), "icans": IcansForm(bridge),
            "agvhd": AgvhdForm(bridge), "cgvhd": CgvhdForm(bridge)}
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Toxicity forms")
        for kind, form in self.forms.items():
            self.tabs.addTab(form, NAMES[kind])
        self._grades: dict[int, Any] = {}
        columns = [
            Column("Date", lambda a: a.date.isoformat()),
            Column("Kind", lambda a: NAMES[a.kind.value]),
            Column("Grade", lambda a: self._grade_text(a)),
            Column("Reason", lambda a: self._grade(a).reason,
                   tooltip=lambda a: "\n".join([self._grade(a).reason, *self._grade(a).flags])),
            Column("Flags", lambda a: "; ".join(self._grade(a).flags)),
        ]
        self.section = ItemSection(bridge, "assessments", columns, self.tabs,
                                   form_for=self._form_for, name="assessment")
        self.max_label = QLabel()
        self.max_label.setAccessibleName("Maximum grade per kind")
        self.max_label.setWordWrap(True)
        self.max_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.max_label)
        layout.addWidget(self.section, 1)

    def _grade(self, a: Assessment) -> Any:
        return self._grades[id(a)]

    def _grade_text(self, a: Assessment) -> str:
        return grade_text(a.kind.value, self._grade(a).value).replace("Severity: ", "")

    def _form_for(self, item: Assessment) -> AssessmentForm:
        form = self.forms[item.kind.value]
        self.tabs.setCurrentWidget(form)
        return form

    def set_patient(self, patient_id: int | None) -> None:
        for form in self.forms.values():
            form.set_patient(patient_id)

    def show_record(self, patient_id: int, record: Record, derived: Derived) -> None:
        pairs = sorted(zip(record.assessments, derived.grades),
                       key=lambda p: (p[0].date, p[0].id or 0), reverse=True)
        self._grades = {id(a): g for a, g in pairs}
        self.section.set_items(patient_id, [a for a, _ in pairs])
        parts = []
        for kind in AssessmentKind:
            best = derived.max_grades.get(kind)
            parts.append(f"{NAMES[kind.value]}: " + (
                "none recorded" if best is None else
                f"max {grade_text(kind.value, best.value).replace('Severity: ', '')} "
                f"on {best.date}"))
        self.max_label.setText("   ·   ".join(parts))

    def dirty_forms(self) -> list[str]:
        return [NAMES[k] for k, f in self.forms.items() if f.is_dirty()]
