"""The Qt face of the repositories: every write goes through here and is announced.

Widgets never touch the store directly for writes; after each successful
write the bridge emits a signal so lists, headers and plots update at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from clinical.record import Patient, Record
from storage.repository import SqliteStore

# Record-list names (as in the record format) -> repository attribute.
KINDS = ("measurements", "courses", "events", "labs", "marrow", "assessments")


class StoreBridge(QObject):
    """Wraps a SqliteStore; emits typed signals after each successful write."""

    patient_saved = Signal(object)           # Patient
    item_saved = Signal(str, int, object)    # kind, patient_id, item (new or corrected)
    item_voided = Signal(str, int, int)      # kind, patient_id, item id
    record_changed = Signal(int)             # patient_id: anything about it changed

    def __init__(self, store: SqliteStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    @property
    def user(self) -> str:
        return self.store.user

    def _repo(self, kind: str) -> Any:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind}")
        return getattr(self.store, kind)

    # --- patients -------------------------------------------------------------
    def patients(self, search: str = "") -> list[Patient]:
        return self.store.patients.list(search)

    def add_patient(self, patient: Patient) -> Patient:
        saved = self.store.patients.add(patient)
        self.patient_saved.emit(saved)
        return saved

    def update_patient(self, patient: Patient, reason: str | None = None) -> Patient:
        saved = self.store.patients.update(patient, reason)
        self.patient_saved.emit(saved)
        self.record_changed.emit(saved.id)
        return saved

    def load_demo(self) -> Patient:
        """Import the demo patient (the published case)."""
        from resources import DEMO_RECORD
        from storage.record_files import import_files

        (patient,) = import_files(self.store, [DEMO_RECORD])
        self.patient_saved.emit(patient)
        return patient

    def load_record(self, patient_id: int) -> Record:
        return self.store.load_record(patient_id)

    # --- items ------------------------------------------------------------------
    def items(self, kind: str, patient_id: int) -> list[Any]:
        return self._repo(kind).list(patient_id)

    def save_item(self, kind: str, patient_id: int, item: Any, reason: str | None = None) -> Any:
        """Add a new item (id None) or correct a saved one; returns the saved item."""
        repo = self._repo(kind)
        saved = repo.add(patient_id, item) if item.id is None else repo.update(item, reason)
        self.item_saved.emit(kind, patient_id, saved)
        self.record_changed.emit(patient_id)
        return saved

    def void_item(self, kind: str, patient_id: int, item_id: int, reason: str) -> None:
        self._repo(kind).void(item_id, reason)
        self.item_voided.emit(kind, patient_id, item_id)
        self.record_changed.emit(patient_id)
