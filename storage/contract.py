"""The storage contract: what the app and the commands use of an open database.

Everything above storage/ (gui/, reports/, main.py) holds a ``Store`` and never
a backend class: ``storage.open_store`` picks the backend from the target and
returns one: ``storage.repository.SqliteStore`` for a file,
``storage.pg_store.PostgresStore`` for a ``postgresql://`` URL (issue 16).

The members are exactly those used above storage/ (and by storage's own
backend-neutral helpers such as ``storage.record_files``). Steps that only a
database file has (its quick check, backups, restore, the page check) are not
part of it: they are storage functions that take the target (``storage.backup``,
``storage.integrity``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, Self

from clinical.accounts import Role, User
from clinical.audit import AuditEntry
from clinical.record import (
    Assessment, Course, Event, MarrowResult, Measurement, Patient, Record,
)
from clinical.repository import (
    DatedItemRepository, ItemRepository, LabRepository, PatientRepository, RecordStore,
)
from storage.live import Change, Watch

__all__ = ["AccountStore", "AuditHistory", "Store"]


class AccountStore(Protocol):
    """Staff accounts: sign-in, and their management by an administrator (audited)."""

    def count(self) -> int:
        """How many accounts exist (disabled ones too)."""

    def list(self) -> list[User]:
        """Every account, by user name."""

    def create(self, username: str, password: str, role: Role,
               display_name: str | None = None) -> User:
        """A new account; only an administrator makes one, except the very first."""

    def sign_in(self, username: str, password: str) -> User:
        """The account when the password is right, the account active and the name not
        waiting; otherwise SignInRefused, worded alike whether the name exists or not.
        On a file every refusal is audited and counted where the file can be written. On
        a server PostgreSQL checks the password when the login connects: a wrong one or
        an unknown name is refused there and logged by the server (its
        password_encryption and pg_hba.conf rules apply), not counted by hemalog; a
        wrong signature password of a signed-in person is counted as on a file."""

    def authenticate(self, username: str, password: str) -> User | None:
        """``sign_in`` without the reason: the account, or None."""

    def verify_password(self, user: User, password: str) -> bool:
        """True when ``password`` is ``user``'s: the second part of a signature. A wrong
        password counts as a failed sign-in of that name."""

    def locked(self) -> list[tuple[str, int]]:
        """(name tried, seconds left) for each name waiting after failed sign-ins."""

    def unlock(self, username: str) -> None:
        """Let a waiting name try again at once (an administrator's action, audited)."""

    def set_role(self, user_id: int, role: Role) -> None:
        """Change an account's role (administrator only, audited)."""

    def set_password(self, user_id: int, password: str) -> None:
        """Set a new password (administrator only, audited)."""

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        """Disable or re-enable an account (administrator only, audited)."""

    def set_language(self, username: str, language: str | None) -> User:
        """Remember an account's language (None: the system's); returns the account."""


class AuditHistory(Protocol):
    """The audit trail as it is read: who changed what, when, and why."""

    def entries(self, patient_id: int | None = None) -> list[AuditEntry]:
        """A patient's audit rows (every row when None), oldest first."""


class Store(RecordStore, Protocol):
    """One open hemalog database: its repositories, accounts and audit trail.

    Reads and writes are refused (PermissionDenied) on a database with staff
    accounts until someone signs in. A store is a context manager that closes it.
    """

    # --- where it lives -------------------------------------------------------------
    @property
    def location(self) -> str:
        """Where the data lives, as text: the status bar, the summary's footer, the key
        of per-database settings and the target of ``storage.backup`` /
        ``storage.checkpoints`` (for a file: its path as given)."""

    @property
    def short_name(self) -> str:
        """A short name for the window title (for a file: its name)."""

    # --- repositories ---------------------------------------------------------------
    @property
    def patients(self) -> PatientRepository:
        """The patients."""

    @property
    def measurements(self) -> DatedItemRepository[Measurement]:
        """Vital signs and other measurements of each patient."""

    @property
    def courses(self) -> ItemRepository[Course]:
        """Treatment courses with their drug lines (saved and corrected as one unit)."""

    @property
    def events(self) -> DatedItemRepository[Event]:
        """Clinical events (infusion, engraftment, discharge...)."""

    @property
    def labs(self) -> LabRepository:
        """Laboratory results."""

    @property
    def marrow(self) -> DatedItemRepository[MarrowResult]:
        """Bone-marrow results."""

    @property
    def assessments(self) -> DatedItemRepository[Assessment]:
        """Graded assessments (CRS, ICANS, GVHD, CTCAE)."""

    @property
    def accounts(self) -> AccountStore:
        """Staff accounts."""

    @property
    def audit(self) -> AuditHistory:
        """The audit trail (read it inside ``reading()``)."""

    # --- who is acting ----------------------------------------------------------------
    @property
    def user(self) -> str:
        """The name every write's audit row records (the signed-in account's, once
        someone signs in)."""

    @property
    def role(self) -> Role | None:
        """The signed-in role; None while no one has signed in."""

    @property
    def has_accounts(self) -> bool:
        """True when the database has staff accounts: then nothing is read or written
        until someone signs in."""

    def ever_had_accounts(self) -> bool:
        """True when the database has or ever had staff accounts (its audit trail says
        so): then "Create the administrator account" is never offered."""

    def sign_in(self, user: User) -> None:
        """From now on writes are recorded under ``user`` and its role's rules apply
        (PermissionDenied for a disabled account)."""

    # --- transactions -------------------------------------------------------------------
    def writing(self) -> AbstractContextManager[None]:
        """One write transaction: all of it commits, or none; nested calls join it.
        Database failures become one clear line (DatabaseError)."""

    def reading(self) -> AbstractContextManager[None]:
        """Reads, with failures as one clear line; refused like writes until someone
        signs in on a database with accounts."""

    # --- whole records --------------------------------------------------------------------
    def add_records(self, records: Sequence[Record]) -> list[Patient]:
        """Add whole records in one all-or-nothing write (import, demo)."""

    def load_record(self, patient_id: int, *, lab_tests: Sequence[Any] | None = None
                    ) -> Record:
        """A patient's whole current record (voided items left out); with
        ``lab_tests``, only the labs of those tests (an export that needs no others)."""

    def counts(self) -> dict[str, int]:
        """Rows per table, voided included (tests, benchmarks)."""

    # --- other workstations ------------------------------------------------------------------
    def watch(self, on_change: Callable[[Change], None],
              on_connection: Callable[[bool], None] | None = None) -> Watch:
        """Tell ``on_change`` what other workstations (or windows, or processes) commit
        to this database, until the returned Watch is closed: on a server by
        LISTEN/NOTIFY, on a file by polling its audit trail (storage.live). Both
        callbacks run in the watch's own thread: a GUI must hand them to its own.
        ``on_connection(False)`` when the feed lost the server, ``(True)`` once back."""

    # --- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection; the store is not used again."""

    def __enter__(self) -> Self:
        """The store itself."""

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
