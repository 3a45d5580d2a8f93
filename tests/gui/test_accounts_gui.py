"""Accounts in the ward app: first run, sign-in, the idle lock, roles, Users…, History,
the status bar and the start-up integrity check. Driven as a user: type, click, read."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from clinical.accounts import Role, User
from clinical.audit import AuditAction, AuditEntry
from clinical.errors import HemalogError
from clinical.record import AssessmentKind, EventType
from gui import app as app_module
from gui.app import EXIT_FAILED, EXIT_OK, start
from gui.background import run_with_progress
from gui.bridge import StoreBridge
from gui.history_view import changes, describe
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.sign_in import NOT_RECOGNISED, FirstAdminDialog, SignInDialog
from gui.users_dialog import UsersDialog
from guitest_helpers import (
    click, open_section, open_toxicity_form, row_texts, select_item, select_row, tick,
    type_into,
)
from storage.backup import backup_folder, backup_to, last_backup
from storage.integrity import verify_database
from storage.repository import SqliteStore
from tests.conftest import open_test_store

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True

Button = QMessageBox.StandardButton
PASSWORDS = {"ada": "admin-pass-1", "nina": "nurse-pass-1", "phil": "doctor-pass-1"}
Driver = Callable[[QDialog], bool]


@pytest.fixture
def people(store: SqliteStore) -> dict[str, User]:
    """An admin (the first account), who adds a nurse and a physician; then no one is
    signed in, as when the app starts."""
    ada = store.accounts.create("ada", PASSWORDS["ada"], Role.ADMIN, "Ada Admin")
    store.sign_in(ada)
    people = {
        "ada": ada,
        "nina": store.accounts.create("nina", PASSWORDS["nina"], Role.NURSE, "Nina Nurse"),
        "phil": store.accounts.create("phil", PASSWORDS["phil"], Role.PHYSICIAN, "Dr Phil"),
    }
    store.role, store.audit.user = None, "nurse"
    return people


@pytest.fixture
def window_as(qtbot: Any, bridge: StoreBridge, settings: Settings, dialogs: Any,
              people: dict[str, User], no_trend_plots: None) -> Callable[..., MainWindow]:
    """The main window with someone signed in (optionally a short idle lock)."""

    def discard_on_teardown(_window: MainWindow) -> None:
        dialogs.question = Button.Discard

    def make(who: str, *, idle_lock_ms: int | None = None, demo: bool = True) -> MainWindow:
        bridge.sign_in(people[who])
        window = MainWindow(bridge, settings, idle_lock_ms=idle_lock_ms)
        qtbot.addWidget(window, before_close_func=discard_on_teardown)
        with qtbot.waitExposed(window):
            window.show()
        if demo:
            window.load_demo()
        return window

    return make


@pytest.fixture
def start_app(qtbot: Any, settings: Settings, dialogs: Any, no_trend_plots: None,
              request: pytest.FixtureRequest) -> Callable[..., MainWindow | int]:
    """gui.app.start on a database, answering its dialogs with ``driver``."""

    def discard_on_teardown(_window: MainWindow) -> None:
        dialogs.question = Button.Discard

    def run(db_path: Path, user: str | None, driver: Driver, **kwargs: Any
            ) -> MainWindow | int:
        result = start(db_path, user, settings, run_modal=driver, **kwargs)
        if isinstance(result, MainWindow):
            qtbot.addWidget(result, before_close_func=discard_on_teardown)
            request.addfinalizer(result.bridge.store.close)
            backup = result.daily_backup
            if backup is not None:      # a file's daily backup (a server has none of its own)
                request.addfinalizer(lambda: backup.wait(30))
        return result

    return run


def driver(qtbot: Any, steps: Callable[[Any], None], seen: list[QDialog] | None = None
           ) -> Driver:
    """Shows the start-up dialog (not blocking), lets ``steps`` act in it, returns accepted."""

    def run(dialog: QDialog) -> bool:
        qtbot.addWidget(dialog)
        with qtbot.waitExposed(dialog):
            dialog.show()
        if seen is not None:
            seen.append(dialog)
        steps(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted

    return run


def type_text(qtbot: Any, edit: Any, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def sign_in_steps(qtbot: Any, password: str) -> Callable[[SignInDialog], None]:
    def steps(dialog: SignInDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        type_text(qtbot, dialog.password, password)
        click(qtbot, dialog.sign_in_button)
    return steps


# --- first run and sign-in -----------------------------------------------------------------
def test_first_run_creates_the_administrator_and_signs_in(
        qtbot: Any, tmp_path: Path, start_app: Any) -> None:
    db_path = tmp_path / "ward.db"

    def create_admin(dialog: FirstAdminDialog) -> None:
        assert isinstance(dialog, FirstAdminDialog)
        assert dialog.windowTitle() == "Create the administrator account"
        assert dialog.user_name.text() == "ada"            # from --user
        assert not dialog.create_button.isEnabled()
        type_text(qtbot, dialog.display_name, "Ada Admin")
        type_text(qtbot, dialog.password, "short")
        assert dialog.problems.text() == "Password: at least 8 characters."
        assert not dialog.create_button.isEnabled()
        type_text(qtbot, dialog.password, "admin-pass-1")
        type_text(qtbot, dialog.repeat, "admin-pass-2")
        assert dialog.problems.text() == "The two passwords do not match."
        assert not dialog.create_button.isEnabled()
        type_text(qtbot, dialog.repeat, "admin-pass-1")
        assert dialog.problems.text() == ""
        click(qtbot, dialog.create_button)

    window = start_app(db_path, "ada", driver(qtbot, create_admin))
    assert isinstance(window, MainWindow)
    store = window.bridge.store
    (admin,) = store.accounts.list()
    assert (admin.username, admin.display_name, admin.role) == ("ada", "Ada Admin", Role.ADMIN)
    assert store.role is Role.ADMIN and store.user == "ada"
    assert store.accounts.authenticate("ada", "admin-pass-1") == admin
    assert "User: Ada Admin (admin)" in window.session_status.text()
    assert window.users_action.isEnabled()


def test_cancelling_the_first_run_opens_nothing(qtbot: Any, tmp_path: Path,
                                                start_app: Any) -> None:
    def cancel(dialog: FirstAdminDialog) -> None:
        dialog.reject()

    assert start_app(tmp_path / "ward.db", None, driver(qtbot, cancel)) == EXIT_OK
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()]


def test_a_wrong_password_is_refused_and_nothing_is_signed_in(
        qtbot: Any, where: Path | str, store: SqliteStore, people: dict[str, User],
        start_app: Any) -> None:
    seen: list[QDialog] = []

    def wrong_then_cancel(dialog: SignInDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        assert dialog.user_name.text() == "nina"           # from --user
        assert not dialog.sign_in_button.isEnabled()       # no password yet
        type_text(qtbot, dialog.password, "not-her-password")
        click(qtbot, dialog.sign_in_button)
        assert dialog.message.text() == NOT_RECOGNISED
        assert dialog.password.text() == "" and dialog.user_name.text() == "nina"
        assert dialog.isVisible() and dialog.user is None
        assert not dialog.sign_in_button.isEnabled()       # the password was cleared
        click(qtbot, dialog.cancel_button)

    audit_before = store.audit.count()
    result = start_app(where, "nina", driver(qtbot, wrong_then_cancel, seen))
    assert result == EXIT_OK
    assert len(seen) == 1
    assert store.audit.count() == audit_before + 1         # only the refusal is recorded
    assert store.audit.entries()[-1].action is AuditAction.SIGN_IN_FAILED


def test_the_sign_in_dialog_alone_signs_no_one_in_on_a_wrong_password(
        qtbot: Any, bridge: StoreBridge, people: dict[str, User]) -> None:
    dialog = SignInDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.user_name, "phil")
    assert not dialog.sign_in_button.isEnabled()
    type_text(qtbot, dialog.password, "nurse-pass-1")     # someone else's password
    click(qtbot, dialog.sign_in_button)
    assert dialog.message.text() == NOT_RECOGNISED
    assert bridge.account is None and bridge.role is None and bridge.user == "nurse"
    qtbot.keyClicks(dialog.password, PASSWORDS["phil"])   # the focus is back in Password
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)    # Enter signs in
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user == people["phil"]
    assert bridge.account is None                          # the caller signs the store in


def test_signing_in_signs_the_store_and_saves_carry_the_user(
        qtbot: Any, where: Path | str, people: dict[str, User], start_app: Any) -> None:
    window = start_app(where, "phil", driver(qtbot, sign_in_steps(qtbot, PASSWORDS["phil"])))
    assert isinstance(window, MainWindow)
    store = window.bridge.store
    assert (store.user, store.role) == ("phil", Role.PHYSICIAN)
    assert not window.users_action.isEnabled()
    with qtbot.waitSignal(window.workspace.record_shown, timeout=5000):
        click(qtbot, window.welcome.demo_button)
    pid = window.workspace.patient_id
    assert pid is not None
    entries = store.audit.entries(pid)
    assert entries and {e.user for e in entries} == {"phil"}


# --- idle lock ------------------------------------------------------------------------------
def test_idle_lock_keeps_half_typed_input_and_the_password_unlocks(
        qtbot: Any, window_as: Any) -> None:
    # Loading the demo can take longer than 300 ms on a busy machine: the short interval
    # starts once the form is open, so the idle time measured is the test's own.
    window = window_as("nina", idle_lock_ms=60_000)
    workspace = window.workspace
    form = open_toxicity_form(workspace, "crs")
    temperature = form.field("findings.temperature_c")
    window.idle_lock.set_interval(300)
    type_into(qtbot, temperature, "39.")
    assert not window.idle_lock.is_locked                 # typing counts as input

    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=5000)
    lock = window.idle_lock.dialog
    assert lock is not None and lock.isVisible() and lock.isModal()
    assert window.idle_lock.cover.isVisible()             # patient data hidden meanwhile
    assert lock.user_name.text() == "nina" and lock.user_name.isReadOnly()
    assert temperature.focus_widget().text() == "39."     # nothing cleared
    lock.reject()                                         # Escape / close: still locked
    assert window.idle_lock.is_locked and lock.isVisible()

    type_text(qtbot, lock.password, "wrong-password")
    click(qtbot, lock.sign_in_button)
    assert lock.message.text() == NOT_RECOGNISED and window.idle_lock.is_locked

    type_text(qtbot, lock.password, PASSWORDS["nina"])
    with qtbot.waitSignal(window.idle_lock.unlocked, timeout=2000):
        click(qtbot, lock.sign_in_button)
    assert not window.idle_lock.is_locked and not window.idle_lock.cover.isVisible()
    assert temperature.focus_widget().text() == "39."
    assert "CRS" in workspace.unsaved()
    assert workspace.tabs.currentWidget() is workspace.toxicity
    assert workspace.toxicity.tabs.currentWidget() is form
    assert window.bridge.user == "nina"
    assert window.idle_lock.timer.isActive()              # watching again


def test_someone_else_may_unlock_and_the_store_records_them(
        qtbot: Any, window_as: Any, store: SqliteStore) -> None:
    window = window_as("nina", idle_lock_ms=200, demo=False)
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=5000)
    lock = window.idle_lock.dialog
    assert lock is not None
    click(qtbot, lock.switch_button)
    assert not lock.user_name.isReadOnly() and lock.user_name.text() == ""
    type_text(qtbot, lock.user_name, "ada")
    type_text(qtbot, lock.password, PASSWORDS["ada"])
    with qtbot.waitSignal(window.idle_lock.unlocked, timeout=2000):
        click(qtbot, lock.sign_in_button)
    assert (store.user, store.role) == ("ada", Role.ADMIN)
    assert "User: Ada Admin (admin)" in window.session_status.text()
    assert window.users_action.isEnabled()                # the admin's menu now


def test_focus_returns_to_the_field_after_unlocking(qtbot: Any, window_as: Any) -> None:
    window = window_as("nina", idle_lock_ms=200, demo=False)
    window.activateWindow()
    search = window.patient_list.search
    search.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClicks(search, "DEM")
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=5000)
    lock = window.idle_lock.dialog
    assert lock is not None
    type_text(qtbot, lock.password, PASSWORDS["nina"])
    click(qtbot, lock.sign_in_button)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search, timeout=2000)
    assert search.text() == "DEM"


def test_no_lock_without_anyone_signed_in(qtbot: Any, bridge: StoreBridge,
                                          settings: Settings) -> None:
    window = MainWindow(bridge, settings, idle_lock_ms=50)
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(200)
    assert not window.idle_lock.is_locked


def test_the_idle_lock_preference(settings: Settings) -> None:
    assert settings.idle_lock_minutes() == 10
    settings.set_idle_lock_minutes(3)
    assert settings.idle_lock_minutes() == 3
    with pytest.raises(ValueError):
        settings.set_idle_lock_minutes(0)


# --- roles ------------------------------------------------------------------------------
def crs_row(qtbot: Any, window: MainWindow) -> Any:
    section = window.workspace.toxicity.section
    open_section(window.workspace, window.workspace.toxicity)
    return select_item(qtbot, section, lambda a: a.kind is AssessmentKind.CRS)


def test_a_nurse_cannot_void_an_assessment(qtbot: Any, window_as: Any, store: SqliteStore,
                                           dialogs: Any) -> None:
    window = window_as("nina")
    section = window.workspace.toxicity.section
    crs = crs_row(qtbot, window)
    before = (store.counts(), store.assessments.list(window.workspace.patient_id))
    dialogs.text = "entered in error"
    with qtbot.assertNotEmitted(window.bridge.item_voided):
        click(qtbot, section.void_button)
    assert dialogs.of("warning") == [
        ("warning", "Not voided", "Only a physician may void an assessment.")]
    assert dialogs.of("getText") == []                     # not asked why, then refused
    assert (store.counts(), store.assessments.list(window.workspace.patient_id)) == before
    assert crs in section.model.items()


def test_a_physician_can_void_an_assessment(qtbot: Any, window_as: Any, store: SqliteStore,
                                            dialogs: Any) -> None:
    window = window_as("phil")
    section = window.workspace.toxicity.section
    crs = crs_row(qtbot, window)
    dialogs.text, dialogs.password = "entered in error", PASSWORDS["phil"]   # signed
    with qtbot.waitSignal(section.voided, timeout=2000):
        click(qtbot, section.void_button)
    assert dialogs.of("warning") == []
    pid = window.workspace.patient_id
    assert crs.id not in [a.id for a in store.assessments.list(pid)]
    (void,) = [e for e in store.audit.entries(pid) if e.action is AuditAction.VOID]
    assert (void.row_id, void.user, void.reason) == (crs.id, "phil", "entered in error")
    assert void.signature is not None and void.signature["by"] == "phil"


def test_a_refusal_from_the_store_is_said_in_the_same_words(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the GUI's check and the store's rules ever disagree, the store still wins."""
    window = window_as("nina")
    crs_row(qtbot, window)
    monkeypatch.setattr("gui.item_section.allowed", lambda *args: True)
    dialogs.text, dialogs.password = "entered in error", PASSWORDS["nina"]   # signed
    click(qtbot, window.workspace.toxicity.section.void_button)
    assert dialogs.of("warning")[-1][2] == "Only a physician may void an assessment."


def test_users_is_disabled_for_a_nurse(window_as: Any) -> None:
    window = window_as("nina", demo=False)
    assert not window.users_action.isEnabled()
    window.users_action.trigger()
    assert window.users_dialog is None


def test_the_admin_manages_users(qtbot: Any, window_as: Any, store: SqliteStore,
                                 people: dict[str, User], gui_backend: str,
                                 where: Path | str) -> None:
    def authenticate(name: str, password: str) -> User | None:
        """As another workstation would (on a server, signing in connects as the login)."""
        with open_test_store(gui_backend, where) as other:
            return other.accounts.authenticate(name, password)

    window = window_as("ada", demo=False)
    assert window.users_action.isEnabled()
    window.users_action.trigger()
    dialog = window.users_dialog
    assert isinstance(dialog, UsersDialog) and dialog.isVisible()
    qtbot.addWidget(dialog)
    model = dialog.model
    assert [row_texts(model, r) for r in range(model.rowCount())] == [
        {"User name": "ada", "Display name": "Ada Admin", "Role": "admin", "Active": "yes"},
        {"User name": "nina", "Display name": "Nina Nurse", "Role": "nurse", "Active": "yes"},
        {"User name": "phil", "Display name": "Dr Phil", "Role": "physician", "Active": "yes"},
    ]

    # add a user: a short password is refused in words, then it works
    type_text(qtbot, dialog.add_name, "sam")
    type_text(qtbot, dialog.add_display, "Sam Staff")
    dialog.add_role.setCurrentIndex(dialog.add_role.findData(Role.NURSE))
    type_text(qtbot, dialog.add_password, "short")
    click(qtbot, dialog.add_button)
    assert dialog.message.text() == "Password: at least 8 characters."
    assert [u.username for u in store.accounts.list()] == ["ada", "nina", "phil"]
    type_text(qtbot, dialog.add_password, "sam-pass-123")
    click(qtbot, dialog.add_button)
    assert dialog.message.text() == "Added sam (nurse)."
    sam = authenticate("sam", "sam-pass-123")
    assert sam is not None and (sam.display_name, sam.role) == ("Sam Staff", Role.NURSE)
    assert dialog.add_name.text() == "" and dialog.add_password.text() == ""

    # change nina's role
    select_row(qtbot, dialog.table, 1)
    assert dialog.selected().username == "nina"
    dialog.role_choice.setCurrentIndex(dialog.role_choice.findData(Role.PHYSICIAN))
    click(qtbot, dialog.role_button)
    assert {u.username: u.role for u in store.accounts.list()}["nina"] is Role.PHYSICIAN
    assert row_texts(model, 1)["Role"] == "physician"

    # reset her password
    type_text(qtbot, dialog.new_password, "nina-new-pass")
    click(qtbot, dialog.password_button)
    assert authenticate("nina", "nina-new-pass") is not None
    assert authenticate("nina", PASSWORDS["nina"]) is None

    # disable, then enable
    click(qtbot, dialog.disable_button)
    assert row_texts(model, 1)["Active"] == "disabled"
    assert authenticate("nina", "nina-new-pass") is None
    assert dialog.disable_button.text() == "&Enable"
    click(qtbot, dialog.disable_button)
    assert authenticate("nina", "nina-new-pass") is not None

    # the admin cannot lock themselves out
    select_row(qtbot, dialog.table, 0)
    click(qtbot, dialog.disable_button)
    assert dialog.message.text() == "You cannot disable your own account."
    assert authenticate("ada", PASSWORDS["ada"]) is not None


# --- history ------------------------------------------------------------------------------
def reason_typo(self: Any) -> str:
    """Stands in for the reason dialog (a plain function, not a Mock: style.md §8)."""
    return "typo"


def test_history_shows_a_correction_with_old_new_and_reason(
        qtbot: Any, window_as: Any, monkeypatch: pytest.MonkeyPatch, dialogs: Any) -> None:
    window = window_as("nina")
    workspace = window.workspace
    section, form = workspace.measurements, workspace.measurement_form
    open_section(workspace, section)
    select_item(qtbot, section, lambda m: m.weight_kg == 65)
    click(qtbot, section.correct_button)
    monkeypatch.setattr(type(form), "ask_reason", reason_typo)
    type_into(qtbot, form.field("weight_kg"), "56")
    with qtbot.waitSignal(window.bridge.item_saved, timeout=2000):
        click(qtbot, form.save_button)

    open_section(workspace, workspace.history)
    history = workspace.history
    top = row_texts(history.model, 0)
    assert top["Action"] == "corrected"
    assert top["What"] == "measurements 2024-06-06"
    assert top["Changes"] == "Weight: 65 → 56"
    assert top["Reason"] == "typo"
    assert top["Who"] == "Nina Nurse"
    assert top["When"][:10] == datetime.now().strftime("%Y-%m-%d")   # local, to the minute
    assert len(top["When"]) == len("2025-07-22 10:03")
    assert row_texts(history.model, history.model.rowCount() - 1)["Action"] == "added"
    select_row(qtbot, history.table, 0)                    # the pane below says it in full
    details = history.details.text()
    assert details.startswith("<b>Corrected</b> measurements 2024-06-06 · ")
    assert "Nina Nurse (nina)<br>Weight: 65 → 56<br><b>Reason:</b> typo" in details

    tick(qtbot, history.changes_only)                      # hide the import's additions
    assert [row_texts(history.model, r)["Action"]
            for r in range(history.model.rowCount())] == ["corrected"]
    tick(qtbot, history.changes_only)

    # while it is shown it follows each change
    events = workspace.events
    event = next(e for e in events.model.items() if e.type is EventType.TRANSFUSION)
    with qtbot.waitSignal(window.bridge.record_changed, timeout=2000):
        window.bridge.void_item("events", workspace.patient_id, event.id, "entered twice",
                                window.bridge.sign(PASSWORDS["nina"],
                                                   "voided because entered twice"))
    top = row_texts(history.model, 0)
    assert (top["Action"], top["Reason"], top["Changes"]) == ("voided", "entered twice", "")
    assert top["What"].startswith("events ") and top["What"].endswith(" transfusion")


def test_history_compares_findings_field_by_field() -> None:
    entry = AuditEntry(
        id=1, at="2025-04-10T08:00:00.000Z", user="phil", patient_id=1, table="assessments",
        row_id=3, action=AuditAction.UPDATE, reason="typo",
        old={"date": "2025-04-10", "kind": "crs", "version": 1, "voided": 0,
             "findings": '{"temperature_c": 39.6, "hypotension": true}'},
        new={"date": "2025-04-10", "kind": "crs", "version": 2, "voided": 0,
             "findings": '{"temperature_c": 39.9, "hypotension": true}'})
    assert changes(entry) == ["findings.temperature_c: 39.6 → 39.9"]
    assert describe(entry) == "assessments 2025-04-10 crs"


# --- status bar and start-up checks -------------------------------------------------------
@pytest.mark.sqlite_only
def test_status_bar_shows_the_last_backup(qtbot: Any, db_path: Path, people: dict[str, User],
                                          start_app: Any) -> None:
    window = start_app(db_path, "nina", driver(qtbot, sign_in_steps(qtbot, PASSWORDS["nina"])))
    assert isinstance(window, MainWindow)
    assert window.daily_backup is not None and window.daily_backup.wait(30)  # beside the app
    qtbot.waitUntil(lambda: "never" not in window.session_status.text(), timeout=5000)
    made = last_backup(db_path)
    assert made is not None                                # the daily backup ran at start
    shown = made.astimezone().strftime("%Y-%m-%d %H:%M")
    assert window.session_status.text() == (
        f"Database: {db_path}  ·  User: Nina Nurse (nurse)  ·  Last backup: {shown}")


@pytest.mark.sqlite_only
def test_status_bar_says_never_without_a_backup(window: MainWindow) -> None:
    assert window.session_status.text().endswith("User: nurse  ·  Last backup: never")


def failing_backup(database: Path, now: Any = None) -> Path | None:
    raise HemalogError(f"{database}: the disk is full")


@pytest.mark.sqlite_only
def test_a_failed_backup_is_shown_and_does_not_block_start(
        qtbot: Any, db_path: Path, people: dict[str, User], start_app: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "daily_backup", failing_backup)
    window = start_app(db_path, "nina", driver(qtbot, sign_in_steps(qtbot, PASSWORDS["nina"])))
    assert isinstance(window, MainWindow) and window.isVisible()   # start went on
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=5000)
    assert window.statusBar().currentMessage() == \
        f"Automatic backup failed: {db_path}: the disk is full"
    assert window.session_status.text().endswith("Last backup: never")


def damage(path: Path) -> None:
    path.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def test_a_damaged_database_without_a_backup_stops_start(
        qtbot: Any, tmp_path: Path, start_app: Any, dialogs: Any) -> None:
    db_path = tmp_path / "ward.db"
    damage(db_path)
    asked: list[QDialog] = []
    assert start_app(db_path, None, driver(qtbot, lambda d: None, asked)) == EXIT_FAILED
    assert asked == []                                     # no sign-in on a damaged file
    (critical,) = dialogs.of("critical")
    assert critical[1] == "The database is damaged" and "No backup" in critical[2]


def make_backup(tmp_path: Path, db_path: Path, stamp: str) -> Path:
    """A good backup (holding one admin account), named as daily_backup names them."""
    source = tmp_path / "source.db"
    with SqliteStore(source, user="tester") as good:
        good.accounts.create("ada", PASSWORDS["ada"], Role.ADMIN)
    folder = backup_folder(db_path)
    folder.mkdir(exist_ok=True)
    return backup_to(source, folder / f"{db_path.stem}-{stamp}.db")


def test_a_damaged_database_is_restored_from_the_newest_good_backup(
        qtbot: Any, tmp_path: Path, start_app: Any, dialogs: Any) -> None:
    db_path = tmp_path / "ward.db"
    older = make_backup(tmp_path, db_path, "20250101-080000")
    newest_bad = backup_folder(db_path) / f"{db_path.stem}-20250301-080000.db"
    newest_bad.write_bytes(b"broken" * 100)
    damage(db_path)
    dialogs.question = Button.Yes
    asked: list[QDialog] = []
    window = start_app(db_path, "ada", driver(qtbot, sign_in_steps(qtbot, PASSWORDS["ada"]),
                                              asked))
    (question,) = dialogs.of("question")
    assert older.name in question[2] and newest_bad.name not in question[2]
    assert dialogs.of("information")[0][1] == "Backup restored"
    assert verify_database(db_path).ok
    assert isinstance(window, MainWindow) and window.bridge.store.user == "ada"
    assert list(tmp_path.glob("ward.db.replaced-*"))       # the damaged file is kept


def test_declining_the_restore_exits_with_1(qtbot: Any, tmp_path: Path, start_app: Any,
                                            dialogs: Any) -> None:
    db_path = tmp_path / "ward.db"
    make_backup(tmp_path, db_path, "20250101-080000")
    damage(db_path)
    damaged = db_path.read_bytes()
    dialogs.question = Button.No
    assert start_app(db_path, None, driver(qtbot, lambda d: None)) == EXIT_FAILED
    assert dialogs.of("critical")[0][2].endswith("was not restored, so hemalog will not open it.")
    assert db_path.read_bytes() == damaged


def test_a_slow_check_shows_a_busy_dialog_and_returns_its_result(qtbot: Any) -> None:
    shown: list[str] = []

    def slow() -> int:
        time.sleep(0.4)
        return 42

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        shown.append(dialog.labelText() if isinstance(dialog, QProgressDialog) else "")

    QTimer.singleShot(150, look)
    assert run_with_progress(slow, "Checking ward.db…", delay_s=0.05) == 42
    assert shown == ["Checking ward.db…"]
    assert QApplication.activeModalWidget() is None


def test_a_failed_check_raises_in_the_caller(qtbot: Any) -> None:
    def broken() -> None:
        raise HemalogError("ward.db: cannot be read")

    with pytest.raises(HemalogError, match="cannot be read"):
        run_with_progress(broken, "Checking…", delay_s=0.05)
