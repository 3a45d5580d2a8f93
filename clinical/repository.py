"""The narrow interface through which the app reaches stored records.

Only storage/ implements it (a SQLite file or a PostgreSQL server); everything above it talks to
these Protocols and gets clinical objects back, never rows. The whole store
(accounts, audit trail, transactions) is ``storage.contract.Store``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

from clinical.record import Lab, Patient, PatientSummary, Record

T = TypeVar("T")


class ItemRepository(Protocol[T]):
    """One kind of per-patient item (labs, courses, ...)."""

    def add(self, patient_id: int, item: T) -> T:
        """Save a new item; returns it with its id and version."""

    def update(self, item: T, reason: str | None = None,
               signature: dict[str, str] | None = None) -> T:
        """Correct a saved item (its version must match); the old value stays in the audit
        log. A correction that changes the record's meaning carries the signer's
        ``signature`` (by, meaning, at: clinical.accounts.needs_signature)."""

    def void(self, item_id: int, reason: str, signature: dict[str, str] | None = None) -> None:
        """Withdraw an item with a reason (signed by whoever is signed in); it stays in
        the database and the audit log."""

    def get(self, item_id: int) -> T:
        """One item by id (voided items too)."""

    def list(self, patient_id: int, include_voided: bool = False) -> list[T]:
        """A patient's items in their recorded order."""


class DatedItemRepository(ItemRepository[T], Protocol[T]):
    """Items with one date each and no parts (measurements, events, labs, marrow,
    assessments): they may also be added many at once."""

    def add_many(self, patient_id: int, items: Sequence[T], reason: str | None = None
                 ) -> int:
        """Save new items in one transaction, all or none, each audited with ``reason``
        (where they came from: a lab file's name and hash); how many."""

    def last_date(self, patient_id: int) -> date | None:
        """The latest date of the patient's current items of this kind."""


class LabRepository(DatedItemRepository[Lab], Protocol):
    """The labs: also read by test, for exports that read years of counts."""

    def of_tests(self, patient_id: int, tests: Sequence[Any], since: date | None = None
                 ) -> list[Lab]:
        """Current labs of ``tests`` (from ``since`` on), in record order."""


class PatientRepository(Protocol):
    """The patients of one database."""

    def add(self, patient: Patient) -> Patient:
        """Save a new patient (its MRN must be free); returns it with its id and version."""

    def update(self, patient: Patient, reason: str | None = None) -> Patient:
        """Correct a patient's details (its version must match)."""

    def with_events(self, types: Sequence[Any]) -> list[int]:
        """Ids of current patients with a current event of one of ``types``, by MRN."""

    def void(self, item_id: int, reason: str, signature: dict[str, str] | None = None) -> None:
        """Withdraw a patient with a reason; nothing is deleted."""

    def get(self, item_id: int) -> Patient:
        """One patient by id (voided too)."""

    def get_by_mrn(self, mrn: str) -> Patient:
        """The current patient with this MRN; NotFoundError when there is none."""

    def list(self, search: str = "") -> list[Patient]:
        """Current patients whose MRN or name (or its pinyin) holds ``search``, by MRN."""

    def summaries(self, search: str = "") -> list[PatientSummary]:
        """What ``list`` finds, as id, MRN, name and diagnosis only (the patient list:
        no need to read every patient's whole row)."""

    def list_mrns(self, mrns: Sequence[str]) -> list[str]:
        """Which of these MRNs are taken (voided patients included)."""


class RecordStore(Protocol):
    """All repositories of one database, plus whole-record operations."""

    @property
    def patients(self) -> PatientRepository:
        """The patients of this database."""

    def add_records(self, records: Sequence[Record]) -> list[Patient]:
        """Add whole records in one all-or-nothing write."""

    def load_record(self, patient_id: int) -> Record:
        """A patient's whole current record (voided items left out)."""
