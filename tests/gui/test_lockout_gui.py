"""Lockout in the app (issue 14): the sign-in and lock dialogs say how long a name waits
after 5 wrong passwords, in the same words whether the name exists or not, and the
administrator sees locked names in File ▸ Users… and unlocks them. Driven as a user."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt

from clinical.accounts import Role, User
from clinical.audit import AuditAction
from gui import keymap
from gui.bridge import StoreBridge
from gui.idle_lock import LockDialog
from gui.sign_in import NOT_RECOGNISED, SignInDialog
from gui.users_dialog import UsersDialog
from guitest_helpers import click, row_texts, select_row
from storage.accounts import SignInRefused
from storage.repository import SqliteStore

PASSWORDS = {"ada": "admin-pass-1", "nina": "nurse-pass-1"}
WAIT = re.compile(r"Too many failed sign-ins for this name: try again in (30|29) s\.")


@pytest.fixture
def people(store: SqliteStore) -> dict[str, User]:
    """The administrator (the first account) adds a nurse."""
    ada = store.accounts.create("ada", PASSWORDS["ada"], Role.ADMIN, "Ada Admin")
    store.sign_in(ada)
    return {"ada": ada,
            "nina": store.accounts.create("nina", PASSWORDS["nina"], Role.NURSE, "Nina Nurse")}


def try_password(qtbot: Any, dialog: SignInDialog, password: str) -> str:
    """Type a password, press Enter, read what the dialog says."""
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    return dialog.message.text()


def sign_in_dialog(qtbot: Any, bridge: StoreBridge, name: str) -> SignInDialog:
    dialog = SignInDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.user_name, name)
    return dialog


def test_after_5_wrong_passwords_the_sign_in_dialog_says_to_wait(
        qtbot: Any, bridge: StoreBridge, people: dict[str, User]) -> None:
    dialog = sign_in_dialog(qtbot, bridge, "nina")
    for _ in range(4):
        assert try_password(qtbot, dialog, "not-her-password") == NOT_RECOGNISED
    assert WAIT.fullmatch(try_password(qtbot, dialog, "not-her-password"))
    # even the right password waits now, and nothing is signed in
    assert WAIT.fullmatch(try_password(qtbot, dialog, PASSWORDS["nina"]))
    assert dialog.user is None and dialog.isVisible() and bridge.account is None
    assert dialog.password.text() == ""


def test_an_unknown_name_is_refused_and_locked_in_the_same_words(
        qtbot: Any, bridge: StoreBridge, people: dict[str, User]) -> None:
    known = sign_in_dialog(qtbot, bridge, "nina")
    unknown = sign_in_dialog(qtbot, bridge, "nobody")
    said = [(try_password(qtbot, known, "not-her-password"),
             try_password(qtbot, unknown, "not-her-password")) for _ in range(5)]
    assert [k == u for k, u in said] == [True] * 5
    assert WAIT.fullmatch(said[-1][1])


def test_the_lock_dialog_says_how_long_to_wait(
        qtbot: Any, bridge: StoreBridge, people: dict[str, User]) -> None:
    dialog = LockDialog(bridge, people["nina"], "for 10 minutes")
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(4):
        assert try_password(qtbot, dialog, "not-her-password") == NOT_RECOGNISED
    assert WAIT.fullmatch(try_password(qtbot, dialog, "not-her-password"))
    assert dialog.user is None and dialog.isVisible()


def test_failed_sign_ins_in_the_dialog_are_audited(
        qtbot: Any, bridge: StoreBridge, store: SqliteStore, people: dict[str, User]) -> None:
    dialog = sign_in_dialog(qtbot, bridge, "nina")
    try_password(qtbot, dialog, "not-her-password")
    (failed,) = [e for e in store.audit.entries() if e.action is AuditAction.SIGN_IN_FAILED]
    assert failed.new is not None and failed.new["name tried"] == "nina"


def lock_out(store: SqliteStore, name: str) -> None:
    for _ in range(5):
        with pytest.raises(SignInRefused):
            store.accounts.sign_in(name, "not-the-password")


def test_the_users_dialog_lists_the_locked_name_and_unlock_clears_it(
        qtbot: Any, bridge: StoreBridge, store: SqliteStore, people: dict[str, User]) -> None:
    lock_out(store, "nina")
    bridge.sign_in(people["ada"])
    dialog = UsersDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.locked_model
    assert model.rowCount() == 1
    shown = row_texts(model, 0)
    assert shown["Name tried"] == "nina" and shown["Waits"] in ("30 s left", "29 s left")
    assert dialog.unlock_button.text() == keymap.label("users.unlock")
    assert not dialog.unlock_button.isEnabled()            # nothing selected yet
    select_row(qtbot, dialog.locked_table, 0)
    click(qtbot, dialog.unlock_button)
    assert model.rowCount() == 0 and store.accounts.locked() == []
    assert dialog.message.text() == "Unlocked nina: it may sign in again now."
    assert dialog.locked_note.text() == "No name is locked."
    assert store.accounts.sign_in("nina", PASSWORDS["nina"]) == people["nina"]
    (unlocked,) = [e for e in store.audit.entries() if e.action is AuditAction.UNLOCK]
    assert unlocked.user == "ada"


def test_the_time_left_counts_down_while_the_users_dialog_is_open(
        qtbot: Any, bridge: StoreBridge, store: SqliteStore, people: dict[str, User]) -> None:
    lock_out(store, "nina")
    bridge.sign_in(people["ada"])
    dialog = UsersDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    first = row_texts(dialog.locked_model, 0)["Waits"]
    qtbot.waitUntil(lambda: row_texts(dialog.locked_model, 0)["Waits"] != first, timeout=3000)
