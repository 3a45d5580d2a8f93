"""The patient list: search by MRN or name as you type (Chinese names too)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from clinical.record import PatientSummary
from gui import keymap
from gui.bridge import StoreBridge
from gui.help import TOPIC
from gui.models.item_table_model import (
    Column, ItemTableModel, item_table_view, reselect, selected_id,
)
from storage.sql import ConnectionLost


class PatientList(QWidget):
    patient_chosen = Signal(object)     # PatientSummary
    new_patient_requested = Signal()

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty(TOPIC, "patients")   # F1: the guide's section on finding patients
        self.bridge = bridge
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find patient: MRN or name ({key})").format(
            key=keymap.shortcut_text("file.find")))
        self.search.setAccessibleName(self.tr("Find patient"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._open_first)
        # A slim list cuts the diagnosis: every cell's tooltip tells the whole row.
        self.model = ItemTableModel([Column(self.tr("MRN"), lambda p: p.mrn, tooltip=_whole),
                                     Column(self.tr("Name"), lambda p: p.name, tooltip=_whole),
                                     Column(self.tr("Diagnosis"), lambda p: p.diagnosis,
                                            tooltip=_whole)], self)
        self.table = item_table_view(self.model, self.tr("Patients"))
        self.table.activated.connect(self._open_index)
        self.table.clicked.connect(self._open_index)
        new = QPushButton(keymap.label("main.new_patient"))
        new.setAccessibleName(self.tr("New patient"))
        new.clicked.connect(self.new_patient_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(new)
        # a bound method: a list rebuilt in another language is disconnected when deleted
        bridge.patient_saved.connect(self._on_patient_saved)
        bridge.remote_changed.connect(self._on_patient_saved)   # another workstation's
        self.refresh()

    def _on_patient_saved(self, _patient: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """The patients matching the search as typed; the selected patient stays
        selected (a list refreshed by another workstation's save moves nothing). A
        database that cannot be reached leaves the last list shown (the window says why)."""
        try:
            patients = self.bridge.patients(self.search.text())
        except ConnectionLost:
            return
        chosen = selected_id(self.table)
        self.model.set_items(patients)
        reselect(self.table, chosen)

    def patients(self) -> list[PatientSummary]:
        return self.model.items()

    def _open_index(self, index: object) -> None:
        self.patient_chosen.emit(self.model.item_at(index.row()))  # type: ignore[attr-defined]

    def _open_first(self) -> None:
        if self.model.rowCount():
            self.patient_chosen.emit(self.model.item_at(0))


def _whole(patient: Any) -> str:
    """The whole row as a tooltip: MRN, name and diagnosis."""
    return f"{patient.mrn} · {patient.name}\n{patient.diagnosis}"
