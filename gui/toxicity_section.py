"""Toxicity: the four grading forms and every assessment with its grade and reason.

"Record CRS/ICANS treatment…" (Alt+A, gui/keymap.py) records the treatment given for CRS or ICANS
in one step, as one supportive course (gui/treatment_dialog.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPushButton, QSizePolicy, QTabWidget, QVBoxLayout, QWidget,
)

import lang
from clinical.derive import Derived
from clinical.record import Assessment, AssessmentKind, Record
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.agvhd_form import AgvhdForm
from gui.forms.assessment_form import AssessmentForm, grade_text, grade_words
from gui.forms.cgvhd_form import CgvhdForm
from gui.forms.crs_form import CrsForm
from gui.forms.icans_form import IcansForm
from gui.item_section import ItemSection
from gui.models.item_table_model import Column
from gui.treatment_dialog import CRS_TEMPLATE, ICANS_TEMPLATE, TreatmentDialog

NAMES = {"crs": QT_TRANSLATE_NOOP("ToxicitySection", "CRS"),
         "icans": QT_TRANSLATE_NOOP("ToxicitySection", "ICANS"),
         "agvhd": QT_TRANSLATE_NOOP("ToxicitySection", "Acute GVHD"),
         "cgvhd": QT_TRANSLATE_NOOP("ToxicitySection", "Chronic GVHD")}


def kind_name(kind: str) -> str:
    """An assessment kind as the tabs name it, in the reader's language."""
    return QCoreApplication.translate("ToxicitySection", NAMES.get(kind, kind))
TREATMENT_TEMPLATES = {"crs": CRS_TEMPLATE, "icans": ICANS_TEMPLATE}


class ToxicitySection(QWidget):
    """Forms for CRS, ICANS, acute and chronic GVHD beside the graded assessments."""

    # "Saved course CRS treatment from 2025-04-11 (see Courses).": for the status bar
    treatment_saved = Signal(str)

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.patient_id: int | None = None
        self.treatment_dialog: TreatmentDialog | None = None   # while it is open
        self.forms: dict[str, AssessmentForm] = {
            "crs": CrsForm(bridge), "icans": IcansForm(bridge),
            "agvhd": AgvhdForm(bridge), "cgvhd": CgvhdForm(bridge)}
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Toxicity forms"))
        for kind, form in self.forms.items():
            self.tabs.addTab(form, kind_name(kind))
        self._grades: dict[int, Any] = {}
        columns = [
            Column(self.tr("Date"), lambda a: a.date.isoformat()),
            Column(self.tr("Kind"), lambda a: kind_name(a.kind.value)),
            Column(self.tr("Grade"), lambda a: self._grade_text(a)),
            Column(self.tr("Reason"), lambda a: lang.render(self._grade(a).reason),
                   tooltip=lambda a: "\n".join(lang.render(line) for line in
                                               [self._grade(a).reason, *self._grade(a).flags])),
            Column(self.tr("Flags"), lambda a: lang.separators(lang.current())["semicolon"].join(
                lang.render(flag) for flag in self._grade(a).flags)),
        ]
        self.section = ItemSection(bridge, "assessments", columns, self.tabs,
                                   form_for=self._form_for, name=self.tr("assessment"))
        self.max_label = QLabel()
        self.max_label.setAccessibleName(self.tr("Maximum grade per kind"))
        self.max_label.setWordWrap(True)
        self.max_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # Alt+A: kept free on every Toxicity sub-tab (the keyboard map's clash test checks).
        self.treatment_button = QPushButton(keymap.label("toxicity.treatment"))
        self.treatment_button.setAccessibleName(self.tr("Record CRS or ICANS treatment"))
        self.treatment_button.setToolTip(self.tr(
            "Record the treatment given for CRS or ICANS (tocilizumab, dexamethasone, ...) as one supportive course on one date, dosed and checked (Alt+A)"))  # noqa: E501
        self.treatment_button.clicked.connect(self.record_treatment)
        top = QHBoxLayout()
        top.addWidget(self.max_label, 1)
        top.addWidget(self.treatment_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.section, 1)

    def _grade(self, a: Assessment) -> Any:
        return self._grades[id(a)]

    def _grade_text(self, a: Assessment) -> str:
        if lang.current() == lang.EN:
            return grade_text(a.kind.value, self._grade(a).value).replace("Severity: ", "")
        return grade_words(a.kind.value, self._grade(a).value) or grade_text(
            a.kind.value, self._grade(a).value)

    def _form_for(self, item: Assessment) -> AssessmentForm:
        form = self.forms[item.kind.value]
        self.tabs.setCurrentWidget(form)
        return form

    def set_patient(self, patient_id: int | None) -> None:
        self.patient_id = patient_id
        for form in self.forms.values():
            form.set_patient(patient_id)

    def show_record(self, patient_id: int, record: Record, derived: Derived) -> None:
        self.patient_id = patient_id
        pairs = sorted(zip(record.assessments, derived.grades),
                       key=lambda p: (p[0].date, p[0].id or 0), reverse=True)
        self._grades = {id(a): g for a, g in pairs}
        self.section.set_items(patient_id, [a for a, _ in pairs])
        parts = []
        for kind in AssessmentKind:
            best = derived.max_grades.get(kind)
            if best is None:
                parts.append(self.tr("{kind}: none recorded").format(kind=kind_name(kind.value)))
                continue
            shown = (grade_text(kind.value, best.value).replace("Severity: ", "")
                     if lang.current() == lang.EN
                     else grade_words(kind.value, best.value) or grade_text(kind.value, None))
            parts.append(self.tr("{kind}: max {grade} on {date}").format(
                kind=kind_name(kind.value), grade=shown, date=best.date))
        self.max_label.setText("   ·   ".join(parts))

    # --- CRS/ICANS treatment ---------------------------------------------------------------------
    def treatment_defaults(self) -> tuple[date, str, str]:
        """(date, template name, where the date came from): the selected CRS/ICANS
        assessment, else the CRS/ICANS form in front, else today with CRS treatment."""
        item = self.section.selected()
        if isinstance(item, Assessment) and item.kind.value in TREATMENT_TEMPLATES:
            kind = item.kind.value
            return (item.date, TREATMENT_TEMPLATES[kind],
                    self.tr("the selected {kind} assessment of {date}").format(
                        kind=kind_name(kind), date=item.date.isoformat()))
        for kind, template in TREATMENT_TEMPLATES.items():
            form = self.forms[kind]
            if self.tabs.currentWidget() is form:
                value = form.field("date").value()
                try:
                    when = date.fromisoformat(value) if value else None
                except ValueError:
                    when = None
                if when is not None:
                    return when, template, (self.tr("today") if when == date.today()
                                            else self.tr("the date in the {kind} form").format(
                                                kind=kind_name(kind)))
                return date.today(), template, self.tr("today")
        return date.today(), CRS_TEMPLATE, self.tr("today")

    def record_treatment(self) -> TreatmentDialog | None:
        """Open the dialog on the patient's record as stored now; a save reloads the workspace."""
        if self.patient_id is None:
            return None
        start, template, start_from = self.treatment_defaults()
        dialog = TreatmentDialog(self.bridge, self.patient_id,
                                 self.bridge.load_record(self.patient_id), start=start,
                                 template=template, start_from=start_from, parent=self.window())
        dialog.finished.connect(lambda _result: self._treatment_closed(dialog))
        self.treatment_dialog = dialog
        dialog.open()
        return dialog

    def _treatment_closed(self, dialog: TreatmentDialog) -> None:
        saved = dialog.saved_course
        if saved is not None:
            first = saved.start_date.isoformat() if saved.start_date else ""
            # Said in the window's status bar, as a lab import is: beside the maximum
            # grades it squeezed them into a column five lines high, and the forms'
            # Save buttons went below the fold at 1366x768.
            self.treatment_saved.emit(self.tr("Saved course {name} from {date} (see Courses).")
                                      .format(name=saved.name, date=first))
        if self.treatment_dialog is dialog:
            self.treatment_dialog = None
        dialog.deleteLater()
        self.treatment_button.setFocus()

    def current_form(self) -> AssessmentForm:
        """The sub-form in view (what Ctrl+S saves)."""
        form = self.tabs.currentWidget()
        assert isinstance(form, AssessmentForm)
        return form

    def dirty_forms(self) -> list[str]:
        return [kind_name(k) for k, f in self.forms.items() if f.is_dirty()]
