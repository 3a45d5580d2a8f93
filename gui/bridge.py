"""The Qt face of the repositories: every write goes through here and is announced.

Widgets never touch the store directly for writes; after each successful
write the bridge emits a signal so lists, headers and plots update at once.

What other workstations save arrives the same way (issue 16): ``take_change`` turns a
change the store's watch reported (gui/live.py brings it to the GUI thread) into the
same ``record_changed`` a save of this workstation emits, so every view refreshes by
the one path. A database that cannot be reached (storage.sql.ConnectionLost) is
announced with ``reachable_changed(False)``; ``probe`` finds out when it is back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from clinical.accounts import Role, User, needs_signature
from clinical.audit import AuditEntry
from clinical.errors import HemalogError
from clinical.record import Patient, PatientSummary, Record
from storage.audit import now_utc
from storage.contract import Store
from storage.live import Change
from storage.sql import ConnectionLost

T = TypeVar("T")

# Record-list names (as in the record format) -> repository attribute.
KINDS = ("measurements", "courses", "events", "labs", "marrow", "assessments")


class StoreBridge(QObject):
    """Wraps a Store (storage.contract); emits typed signals after each successful write."""

    patient_saved = Signal(object)           # Patient
    item_saved = Signal(str, int, object)    # kind, patient_id, item (new or corrected)
    item_voided = Signal(str, int, int)      # kind, patient_id, item id
    record_changed = Signal(int)             # patient_id: anything about it changed
    signed_in = Signal(object)               # User: who is at the keyboard from now on
    users_changed = Signal()                 # an account was added or changed
    remote_changed = Signal(object)          # storage.live.Change another workstation made
    reachable_changed = Signal(bool)         # the database was lost (False) or is back (True)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.account: User | None = None     # None: no one signed in (tests, no accounts)
        self.reachable = True                # False from a ConnectionLost until a read works

    # --- other workstations and a lost database -----------------------------------------
    def take_change(self, change: Change) -> None:
        """What another workstation committed, in the GUI thread: each changed patient's
        ``record_changed`` (the path this workstation's own saves take), then
        ``remote_changed`` for the views that show more than one patient (the list)."""
        for patient_id in sorted(change.patients):
            self.record_changed.emit(patient_id)
        self.remote_changed.emit(change)

    def set_reachable(self, reachable: bool) -> None:
        """Announce a lost database (or its return) once per transition."""
        if reachable != self.reachable:
            self.reachable = reachable
            self.reachable_changed.emit(reachable)

    @contextmanager
    def _announcing_loss(self) -> Iterator[None]:
        """A ConnectionLost is announced (the banner) and raised on, unchanged: the
        caller refuses the save and keeps what was typed, as for any refused save."""
        try:
            yield
        except ConnectionLost:
            self.set_reachable(False)
            raise

    def _call(self, call: Callable[[], T]) -> T:
        """``call()`` (a read or a write of the store), a lost database announced."""
        with self._announcing_loss():
            return call()

    def probe(self) -> bool:
        """One cheap read: True (and ``reachable_changed(True)`` if it had been lost)
        when the database answers again; False while it is still away."""
        try:
            self.store.patients.list_mrns([""])   # one indexed lookup; no row comes back
        except ConnectionLost:
            self.set_reachable(False)
            return False
        except HemalogError:   # it answered (e.g. a refusal): it is reachable
            pass
        self.set_reachable(True)
        return True

    @property
    def user(self) -> str:
        return self.store.user

    @property
    def role(self) -> Role | None:
        return self.store.role

    # --- accounts -------------------------------------------------------------
    def has_accounts(self) -> bool:
        return self.store.has_accounts

    def authenticate(self, username: str, password: str) -> User | None:
        return self.store.accounts.authenticate(username, password)

    def attempt_sign_in(self, username: str, password: str) -> User:
        """The account when the password is right; otherwise SignInRefused, whose message
        says how long a locked name waits and never whether the name exists. Every
        failure is audited; the caller signs the store in (``sign_in``)."""
        return self.store.accounts.sign_in(username, password)

    def locked_names(self) -> list[tuple[str, int]]:
        """(name tried, seconds left) for each name waiting after failed sign-ins."""
        return self.store.accounts.locked()

    def wait_seconds(self, username: str) -> int:
        """How long this name still waits before a password is checked again (0: not locked)."""
        return dict(self.locked_names()).get(username, 0)

    def unlock(self, username: str) -> None:
        """An administrator lets a locked name try again at once (audited)."""
        self.store.accounts.unlock(username)
        self.users_changed.emit()

    # --- signatures -------------------------------------------------------------
    def signature_needed(self, kind: str, action: str) -> bool:
        """Whether this change is signed: voiding anything, correcting a graded assessment,
        by whoever is signed in (without accounts there is no one to sign)."""
        return self.account is not None and needs_signature(kind, action)

    def sign(self, password: str, meaning: str) -> dict[str, str] | None:
        """The signed-in user's signature (who, meaning, when) if ``password`` is theirs;
        None if not (a wrong password counts as a failed sign-in)."""
        account = self.account
        if account is None:
            raise HemalogError("a signature is needed: no one is signed in to sign")
        if not self.store.accounts.verify_password(account, password):
            return None
        return {"by": account.username, "meaning": str(meaning), "at": now_utc()}

    def sign_in(self, user: User) -> None:
        """Writes are audited under this user and its role's rules apply from now on."""
        self.store.sign_in(user)
        self.account = user
        self.signed_in.emit(user)

    def set_language(self, language: str | None) -> User:
        """Remember the signed-in person's language on their account (audited); None
        forgets the choice (the system's language applies again)."""
        account = self.account
        if account is None:
            raise HemalogError("a language is remembered per account: no one is signed in")
        self.account = self.store.accounts.set_language(account.username, language)
        self.users_changed.emit()
        return self.account

    def users(self) -> list[User]:
        return self.store.accounts.list()

    def add_user(self, username: str, password: str, role: Role,
                 display_name: str | None = None) -> User:
        user = self.store.accounts.create(username, password, role, display_name)
        self.users_changed.emit()
        return user

    def set_role(self, user_id: int, role: Role) -> None:
        self.store.accounts.set_role(user_id, role)
        self.users_changed.emit()

    def set_password(self, user_id: int, password: str) -> None:
        self.store.accounts.set_password(user_id, password)
        self.users_changed.emit()

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self.store.accounts.set_disabled(user_id, disabled)
        self.users_changed.emit()

    def history(self, patient_id: int) -> list[AuditEntry]:
        """The patient's audit trail, oldest first."""
        with self._announcing_loss(), self.store.reading():
            return self.store.audit.entries(patient_id)

    def _repo(self, kind: str) -> Any:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind}")
        return getattr(self.store, kind)

    # --- patients -------------------------------------------------------------
    def patients(self, search: str = "") -> list[PatientSummary]:
        """The patient list's rows: id, MRN, name and diagnosis of each match."""
        return self._call(lambda: self.store.patients.summaries(search))

    def add_patient(self, patient: Patient) -> Patient:
        saved = self._call(lambda: self.store.patients.add(patient))
        self.patient_saved.emit(saved)
        return saved

    def update_patient(self, patient: Patient, reason: str | None = None) -> Patient:
        saved = self._call(lambda: self.store.patients.update(patient, reason))
        self.patient_saved.emit(saved)
        self.record_changed.emit(saved.id)
        return saved

    def load_demo(self) -> Patient:
        """Import the demo patient (the published case)."""
        from resources import DEMO_RECORD
        from storage.record_files import import_files

        (patient,) = self._call(lambda: import_files(self.store, [DEMO_RECORD]))
        self.patient_saved.emit(patient)
        return patient

    def load_record(self, patient_id: int) -> Record:
        return self._call(lambda: self.store.load_record(patient_id))

    # --- items ------------------------------------------------------------------
    def items(self, kind: str, patient_id: int) -> list[Any]:
        return self._call(lambda: self._repo(kind).list(patient_id))

    def save_item(self, kind: str, patient_id: int, item: Any, reason: str | None = None,
                  signature: dict[str, str] | None = None) -> Any:
        """Add a new item (id None) or correct a saved one; returns the saved item.
        A correction that changes the record's meaning carries the signer's ``signature``."""
        repo = self._repo(kind)
        with self._announcing_loss():
            saved = repo.add(patient_id, item) if item.id is None else \
                repo.update(item, reason, signature)
        self.item_saved.emit(kind, patient_id, saved)
        self.record_changed.emit(patient_id)
        return saved

    # --- lab files (File ▸ Import lab results…) -------------------------------------------
    def plan_lab_file(self, lab_file: Any, codes: Any, mrn: str) -> list[Any]:
        """What each result of ``lab_file`` becomes for ``mrn`` (nothing saved)."""
        from storage.lab_files import plan_file
        return self._call(lambda: plan_file(self.store, lab_file, codes, mrn=mrn))

    def import_lab_plans(self, plans: list[Any], source: str) -> int:
        """Save the plans' labs (all or nothing); every patient's views refresh."""
        from storage.lab_files import import_plans
        with self._announcing_loss():
            saved = import_plans(self.store, plans, source)
        for patient_id, _plan in plans:
            if patient_id is not None:
                self.record_changed.emit(patient_id)
        return saved

    def write_registry(self, output: Any, start: Any, end: Any) -> int:
        """File ▸ Registry export…: the CSV of every patient's CAR-T and HSCT rows."""
        from storage import is_server_url
        from storage.registry_export import write_registry
        database = None if is_server_url(self.store.location) else Path(self.store.location)
        return self._call(lambda: write_registry(self.store, output, database=database,
                                                 start=start, end=end))

    def void_item(self, kind: str, patient_id: int, item_id: int, reason: str,
                  signature: dict[str, str] | None = None) -> None:
        with self._announcing_loss():
            self._repo(kind).void(item_id, reason, signature)
        self.item_voided.emit(kind, patient_id, item_id)
        self.record_changed.emit(patient_id)
