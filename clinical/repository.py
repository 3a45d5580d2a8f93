"""The narrow interface through which the app reaches stored records.

Only storage/ implements it (with SQLite today); everything above it talks to
these Protocols and gets clinical objects back, never rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from clinical.record import Patient, Record

T = TypeVar("T")


class ItemRepository(Protocol[T]):
    """One kind of per-patient item (labs, courses, ...)."""

    def add(self, patient_id: int, item: T) -> T:
        """Save a new item; returns it with its id and version."""

    def update(self, item: T, reason: str | None = None) -> T:
        """Correct a saved item (its version must match); the old value stays in the audit log."""

    def void(self, item_id: int, reason: str) -> None:
        """Withdraw an item with a reason; it stays in the database and the audit log."""

    def get(self, item_id: int) -> T:
        """One item by id (voided items too)."""

    def list(self, patient_id: int, include_voided: bool = False) -> list[T]:
        """A patient's items in their recorded order."""


class PatientRepository(Protocol):
    def add(self, patient: Patient) -> Patient: ...
    def update(self, patient: Patient, reason: str | None = None) -> Patient: ...
    def void(self, patient_id: int, reason: str) -> None: ...
    def get(self, patient_id: int) -> Patient: ...
    def get_by_mrn(self, mrn: str) -> Patient: ...
    def list(self, search: str = "") -> list[Patient]: ...


class RecordStore(Protocol):
    """All repositories of one database, plus whole-record operations."""

    patients: PatientRepository

    def add_records(self, records: Sequence[Record]) -> list[Patient]:
        """Add whole records in one all-or-nothing write."""

    def load_record(self, patient_id: int) -> Record:
        """A patient's whole current record (voided items left out)."""
