"""New patient (or correct the patient's details), checked like an imported record."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from clinical.errors import HemalogError
from clinical.record import Patient, Sex
from clinical.record_json import patient_doc
from clinical.record_schema import parse_item
from clinical.schema import Problem
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.fields import (ChoiceField, DateField, FieldWidget, NumberField, TextField,
                              plain_label)
from gui.forms.item_form import ERROR_STYLE, error_words, plain_words

_MARKER = re.compile(r"^\s*(\S+?)\s*(\+|-|−|pos|neg|partial|weak)\s*$", re.IGNORECASE)
_WORD = {"+": "pos", "-": "neg", "−": "neg"}
SEX_NAMES = {Sex.UNKNOWN: QT_TRANSLATE_NOOP("PatientDialog", "unknown"),
             Sex.FEMALE: QT_TRANSLATE_NOOP("PatientDialog", "female"),
             Sex.MALE: QT_TRANSLATE_NOOP("PatientDialog", "male"),
             Sex.OTHER: QT_TRANSLATE_NOOP("PatientDialog", "other")}


def sex_name(sex: Sex | str) -> str:
    """A sex as the dialog lists it, in the reader's language (男 / 女 in Chinese)."""
    return QCoreApplication.translate("PatientDialog", SEX_NAMES.get(Sex(sex), str(sex)))


def parse_markers(text: str) -> Any:
    """'CD7+, CD4-, CD2 partial' -> {"CD7": "pos", "CD4": "neg", "CD2": "partial"}.

    Unreadable parts are kept as they are so the validator names them."""
    out: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _MARKER.match(part)
        if match:
            out[match.group(1)] = _WORD.get(match.group(2), match.group(2).lower())
        else:
            out[part] = "?"
    return out or None


def format_markers(markers: dict[str, Any]) -> str:
    sign = {"pos": "+", "neg": "−"}
    return ", ".join(f"{m}{sign[v]}" if v in sign else f"{m} {v}" for m, v in markers.items())


# Each detail's key and its label in the keymap (shortcut letters checked there).
_LABELS = {"mrn": "patient.mrn", "name": "patient.name", "sex": "patient.sex",
           "birth_date": "patient.birth_date", "age_at_diagnosis": "patient.age",
           "diagnosis": "patient.diagnosis", "diagnosis_date": "patient.diagnosis_date",
           "immunophenotype": "patient.immunophenotype", "notes": "patient.notes"}


class PatientDialog(QDialog):
    """Patient details; OK stays disabled until they are valid."""

    @staticmethod
    def words() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """The details' names (by record key) and the sexes as the dialog lists them, in
        the reader's language: for the History."""
        names = {key: plain_label(keymap.label(label)) for key, label in _LABELS.items()}
        return names, {"sex": {s.value: sex_name(s) for s in Sex}}

    def __init__(self, bridge: StoreBridge, patient: Patient | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.patient = patient
        self.saved: Patient | None = None
        self.setWindowTitle(self.tr("New patient") if patient is None
                            else self.tr("Patient details"))
        self.fields: dict[str, FieldWidget] = {}
        form = QFormLayout()
        for field in (
            TextField("mrn", keymap.label(_LABELS["mrn"])),
            TextField("name", keymap.label(_LABELS["name"])),
            # unknown until someone chooses: never a sex the nurse did not pick
            ChoiceField("sex", keymap.label(_LABELS["sex"]),
                        [(s.value, sex_name(s)) for s in (Sex.UNKNOWN, Sex.FEMALE, Sex.MALE,
                                                      Sex.OTHER)], optional=False),
            DateField("birth_date", keymap.label(_LABELS["birth_date"]), today_by_default=False),
            NumberField("age_at_diagnosis", keymap.label(_LABELS["age_at_diagnosis"]), self.tr("years"), integer=True,
                        placeholder=self.tr("if no birth date")),
            TextField("diagnosis", keymap.label(_LABELS["diagnosis"]), placeholder=self.tr("e.g. T-ALL/LBL")),
            DateField("diagnosis_date", keymap.label(_LABELS["diagnosis_date"]),
                      today_by_default=False),
            TextField("immunophenotype", keymap.label(_LABELS["immunophenotype"]),
                      placeholder=self.tr("e.g. CD7+, CD4−, CD2 partial")),
            TextField("notes", keymap.label(_LABELS["notes"])),
        ):
            label = QLabel(field.label)
            label.setBuddy(field.focus_widget())
            form.addRow(label, field)
            self.fields[field.key] = field
            field.changed.connect(self._on_field_changed)
        # A correction says why, as every correction does (kept in the History).
        self.reason: TextField | None = None
        if patient is not None:
            self.reason = TextField("reason", self.tr("Reason for the correction"),
                                    placeholder=self.tr("e.g. name misspelt at admission"))
            form.addRow(QLabel(self.reason.label), self.reason)
            self.reason.changed.connect(self._on_field_changed)
        self._touched = False   # problems show once something is typed or chosen
        self.problems = QLabel()
        self.problems.setStyleSheet(ERROR_STYLE)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName(self.tr("Problems"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        if patient is not None:
            doc = patient_doc(patient)
            for key, field in self.fields.items():
                value = doc.get(key)
                field.set_value(format_markers(value) if key == "immunophenotype" and value
                                else value)
        self._touched = False
        self.refresh()

    def _on_field_changed(self) -> None:
        self._touched = True
        self.refresh()

    def document(self) -> dict[str, Any]:
        doc = {key: f.value() for key, f in self.fields.items()}
        doc["immunophenotype"] = parse_markers(doc["immunophenotype"] or "")
        return {k: v for k, v in doc.items() if v is not None}

    def to_domain(self) -> tuple[Patient | None, list[Problem]]:
        obj, problems = parse_item("patient", self.document())
        if obj is not None and self.patient is not None:
            obj = dataclasses.replace(obj, id=self.patient.id, version=self.patient.version)
        return obj, problems

    def _reason_text(self) -> str:
        return (self.reason.value() or "").strip() if self.reason is not None else ""

    def refresh(self) -> None:
        obj, problems = self.to_domain()
        labels = {k: f.name for k, f in self.fields.items()}
        lines = [self.tr("{field}: {problem}").format(field=labels.get(p.path.split('.')[0], p.path),
                                                      problem=plain_words(p.message))
                 for p in problems]
        reason_missing = self.reason is not None and not self._reason_text()
        if reason_missing:
            lines.append(self.tr("{field}: a correction needs a reason").format(
                field=self.reason.name))   # type: ignore[union-attr]
        self.problems.setText("\n".join(lines) if self._touched else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            obj is not None and not reason_missing)

    def save(self) -> None:
        obj, _ = self.to_domain()
        if obj is None or (self.reason is not None and not self._reason_text()):
            return
        try:
            self.saved = (self.bridge.add_patient(obj) if self.patient is None
                          else self.bridge.update_patient(obj, self._reason_text()))
        except HemalogError as exc:
            self.problems.setText(self.tr("Not saved. {reason}").format(
                reason=error_words(exc.lines)))
            return
        self.accept()
