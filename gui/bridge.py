"""The Qt face of the repositories: every write goes through here and is announced.

Widgets never touch the store directly for writes; after each successful
write the bridge emits a signal so lists, headers and plots update at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from clinical.accounts import Role, User, needs_signature
from clinical.audit import AuditEntry
from clinical.errors import HemalogError
from clinical.record import Patient, Record
from storage.audit import now_utc
from storage.contract import Store

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

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.account: User | None = None     # None: no one signed in (tests, no accounts)

    @property
    def user(self) -> str:
        return self.store.user

    @property
    def role(self) -> Role | None:
        return self.store.role

    # --- accounts -------------------------------------------------------------
    def has_accounts(self) -> bool:
        return self.store.accounts.count() > 0

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
        with self.store.reading():
            return self.store.audit.entries(patient_id)

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

    def save_item(self, kind: str, patient_id: int, item: Any, reason: str | None = None,
                  signature: dict[str, str] | None = None) -> Any:
        """Add a new item (id None) or correct a saved one; returns the saved item.
        A correction that changes the record's meaning carries the signer's ``signature``."""
        repo = self._repo(kind)
        saved = repo.add(patient_id, item) if item.id is None else \
            repo.update(item, reason, signature)
        self.item_saved.emit(kind, patient_id, saved)
        self.record_changed.emit(patient_id)
        return saved

    def void_item(self, kind: str, patient_id: int, item_id: int, reason: str,
                  signature: dict[str, str] | None = None) -> None:
        self._repo(kind).void(item_id, reason, signature)
        self.item_voided.emit(kind, patient_id, item_id)
        self.record_changed.emit(patient_id)
