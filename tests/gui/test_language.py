"""Issue 15: the language is the person's. The sign-in dialog's chooser switches its own
words at once and is remembered on the account; File ▸ Preferences… switches the window
without losing anything typed; whoever signs in sees their own language; in Chinese the
main window's menus, tabs and headers speak Chinese and fit at 1366×768.

Tests that read Chinese words need the merged catalogue (resources/i18n/*.qm); the
mechanics (what is remembered, what is rebuilt, what is kept) do not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QTabBar

import lang
from clinical.accounts import Role, User
from gui.app import start
from gui.bridge import StoreBridge
from gui.i18n import use_language
from gui.main_window import MainWindow
from gui.preferences_dialog import PreferencesDialog
from gui.settings import Settings
from gui.sign_in import SignInDialog
from guitest_helpers import click, open_section, open_toxicity_form, type_into
from resources import DEMO_MRN
from storage.repository import SqliteStore

Button = QMessageBox.StandardButton
PASSWORDS = {"ada": "admin-pass-1", "nina": "nurse-pass-1", "li": "doctor-pass-1"}


@pytest.fixture(autouse=True)
def _english_again(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts (and leaves the app) in English, whatever the machine's locale."""
    monkeypatch.setenv("HEMALOG_LANG", "en")
    use_language(lang.EN)
    yield
    use_language(lang.EN)


@pytest.fixture
def people(store: SqliteStore) -> dict[str, User]:
    """An admin, a nurse without a language chosen, and a physician who chose Chinese."""
    ada = store.accounts.create("ada", PASSWORDS["ada"], Role.ADMIN, "Ada Admin")
    store.sign_in(ada)
    people = {
        "ada": ada,
        "nina": store.accounts.create("nina", PASSWORDS["nina"], Role.NURSE, "Nina Nurse"),
        "li": store.accounts.create("li", PASSWORDS["li"], Role.PHYSICIAN, "李医师"),
    }
    people["li"] = store.accounts.set_language("li", lang.ZH)
    store.role, store.audit.user = None, "nurse"
    return people


@pytest.fixture
def window_as(qtbot: Any, bridge: StoreBridge, settings: Settings, dialogs: Any,
              people: dict[str, User], no_trend_plots: None) -> Callable[..., MainWindow]:
    def discard_on_teardown(_window: MainWindow) -> None:
        dialogs.question = Button.Discard

    def make(who: str, *, idle_lock_ms: int | None = None) -> MainWindow:
        bridge.sign_in(people[who])
        window = MainWindow(bridge, settings, idle_lock_ms=idle_lock_ms)
        qtbot.addWidget(window, before_close_func=discard_on_teardown)
        with qtbot.waitExposed(window):
            window.show()
        window.load_demo()
        return window

    return make


def choose_language(qtbot: Any, chooser: Any, name: str) -> None:
    """Pick a language as a person does with the keyboard: focus, then type its first
    letter... 中 has none, so step with the arrow keys to it."""
    chooser.setFocus()
    target = chooser.findText(name)
    assert target >= 0, name
    while chooser.currentIndex() != target:
        key = Qt.Key.Key_Down if chooser.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(chooser, key)


def file_menu_action(window: MainWindow, action: Any) -> None:
    """Choose an item of the File menu (its action, as the menu triggers it)."""
    menu = window.menuBar().actions()[0].menu()
    assert action in menu.actions()
    assert action.isEnabled()
    action.trigger()


def open_preferences(qtbot: Any, window: MainWindow) -> PreferencesDialog:
    file_menu_action(window, window.preferences_action)
    dialog = window.preferences_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


# --- the sign-in dialog ---------------------------------------------------------------------
def test_choosing_chinese_at_sign_in_switches_the_dialog_and_is_remembered(
        qtbot: Any, db_path: Path, people: dict[str, User], settings: Settings,
        dialogs: Any, no_trend_plots: None, request: pytest.FixtureRequest,
        store: SqliteStore) -> None:
    seen: dict[str, Any] = {}

    def steps(dialog: QDialog) -> bool:
        assert isinstance(dialog, SignInDialog)
        qtbot.addWidget(dialog)
        with qtbot.waitExposed(dialog):
            dialog.show()
        seen["title before"] = dialog.windowTitle()
        dialog.user_name.setFocus()
        qtbot.keyClicks(dialog.user_name, "nina")
        choose_language(qtbot, dialog.language, "中文")
        seen["language after choice"] = lang.current()
        seen["title"] = dialog.windowTitle()
        seen["button"] = dialog.sign_in_button.text()
        seen["user name kept"] = dialog.user_name.text()
        dialog.password.setFocus()
        qtbot.keyClicks(dialog.password, PASSWORDS["nina"])
        click(qtbot, dialog.sign_in_button)
        return dialog.result() == QDialog.DialogCode.Accepted

    window = start(db_path, None, settings, run_modal=steps)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window, before_close_func=lambda _w: setattr(dialogs, "question",
                                                                  Button.Discard))
    request.addfinalizer(window.bridge.store.close)
    backup = window.daily_backup
    request.addfinalizer(lambda: backup is not None and backup.wait(30))

    assert seen["title before"] == "Sign in to hemalog"
    assert seen["language after choice"] == lang.ZH
    assert seen["user name kept"] == "nina"
    assert lang.current() == lang.ZH                         # the window too
    assert window.bridge.account is not None and window.bridge.account.language == lang.ZH
    remembered = {u.username: u.language for u in store.accounts.list()}
    assert remembered["nina"] == lang.ZH                     # on the account, for next time
    # The dialog's own words changed at once (needs the merged catalogue):
    assert seen["title"] == "登录 hemalog"
    assert seen["button"] == "登录(&S)"


def test_an_account_that_chose_chinese_gets_it_at_sign_in_without_choosing(
        qtbot: Any, db_path: Path, people: dict[str, User], settings: Settings,
        dialogs: Any, no_trend_plots: None, request: pytest.FixtureRequest) -> None:
    def steps(dialog: QDialog) -> bool:
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.user_name.setFocus()
        qtbot.keyClicks(dialog.user_name, "li")
        dialog.password.setFocus()
        qtbot.keyClicks(dialog.password, PASSWORDS["li"])
        click(qtbot, dialog.sign_in_button)
        return dialog.result() == QDialog.DialogCode.Accepted

    window = start(db_path, None, settings, run_modal=steps)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    request.addfinalizer(window.bridge.store.close)
    backup = window.daily_backup
    request.addfinalizer(lambda: backup is not None and backup.wait(30))
    assert lang.current() == lang.ZH


# --- File ▸ Preferences… --------------------------------------------------------------------
def test_preferences_switch_rebuilds_the_window_on_the_same_patient_and_section(
        qtbot: Any, window_as: Any, store: SqliteStore) -> None:
    window = window_as("nina")
    ws = window.workspace
    form = open_toxicity_form(ws, "icans")
    tab, sub = ws.tabs.currentIndex(), ws.toxicity.tabs.currentIndex()
    window.patient_list.search.setText("DEMO")

    dialog = open_preferences(qtbot, window)
    choose_language(qtbot, dialog.chooser, "中文")
    click(qtbot, dialog.ok_button)

    qtbot.waitUntil(lambda: window.workspace is not ws, timeout=5000)
    assert lang.current() == lang.ZH
    new = window.workspace
    assert new.record is not None and new.record.patient.mrn == DEMO_MRN
    assert window.right.currentWidget() is new
    assert (new.tabs.currentIndex(), new.toxicity.tabs.currentIndex()) == (tab, sub)
    assert new.toxicity.current_form() is not form           # built anew, in Chinese
    assert window.patient_list.search.text() == "DEMO"
    assert {u.username: u.language for u in store.accounts.list()}["nina"] == lang.ZH
    # Back to English the same way: the window follows again.
    dialog = open_preferences(qtbot, window)
    choose_language(qtbot, dialog.chooser, "English")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: lang.current() == lang.EN, timeout=5000)
    assert window.menuBar().actions()[0].text() == "&File"
    assert window.workspace.tabs.tabText(0) == "Overview"


def test_preferences_switch_keeps_unsaved_input_and_applies_once_it_is_saved(
        qtbot: Any, window_as: Any, dialogs: Any, store: SqliteStore) -> None:
    window = window_as("nina")
    ws = window.workspace
    open_section(ws, ws.measurements)
    form = ws.measurement_form
    type_into(qtbot, form.field("weight_kg"), "61.5")
    assert ws.unsaved()

    dialog = open_preferences(qtbot, window)
    choose_language(qtbot, dialog.chooser, "中文")
    click(qtbot, dialog.ok_button)

    (note,) = dialogs.of("information")                      # told when it will change
    assert "中文" in note[2] and "sign in" in note[2]
    assert window.workspace is ws and ws.measurement_form is form   # nothing rebuilt
    assert form.field("weight_kg").value() in (61.5, "61.5")         # nothing lost
    assert lang.current() == lang.EN and window.pending_language == lang.ZH
    assert {u.username: u.language for u in store.accounts.list()}["nina"] == lang.ZH

    before = len(store.measurements.list(ws.patient_id))
    click(qtbot, form.save_button)                           # saved: now it switches
    qtbot.waitUntil(lambda: lang.current() == lang.ZH, timeout=5000)
    assert len(store.measurements.list(ws.patient_id)) == before + 1
    new = window.workspace
    assert new is not ws and window.right.currentWidget() is new
    assert new.tabs.currentWidget() is new.measurements      # the same section
    assert window.pending_language is None


def test_cancelled_preferences_change_nothing(
        qtbot: Any, window_as: Any, store: SqliteStore) -> None:
    window = window_as("nina")
    ws = window.workspace
    dialog = open_preferences(qtbot, window)
    choose_language(qtbot, dialog.chooser, "中文")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.preferences_dialog is None, timeout=2000)
    assert lang.current() == lang.EN and window.workspace is ws
    assert {u.username: u.language for u in store.accounts.list()}["nina"] is None


# --- another person at the lock screen ------------------------------------------------------
def test_signing_in_as_someone_else_applies_their_language(
        qtbot: Any, window_as: Any) -> None:
    window = window_as("nina", idle_lock_ms=60_000)
    window.idle_lock.lock()
    lock = window.idle_lock.dialog
    assert lock is not None and not lock.language.isVisible()   # the lock has no chooser
    click(qtbot, lock.switch_button)
    qtbot.keyClicks(lock.user_name, "li")
    lock.password.setFocus()
    qtbot.keyClicks(lock.password, PASSWORDS["li"])
    click(qtbot, lock.sign_in_button)
    qtbot.waitUntil(lambda: lang.current() == lang.ZH, timeout=5000)
    assert window.bridge.account is not None and window.bridge.account.username == "li"
    assert window.workspace.record is not None                 # the same patient, rebuilt


# --- Chinese on screen (needs the merged catalogue) -----------------------------------------
@pytest.fixture
def chinese_window(qtbot: Any, window_as: Any) -> MainWindow:
    window = window_as("nina")
    assert window.apply_language(lang.ZH)
    window.showNormal()
    window.resize(1366, 768)
    window.plots_dock.show()
    window._default_layout()
    qtbot.wait(50)
    return window


def test_menus_tabs_and_headers_are_chinese(chinese_window: MainWindow) -> None:
    window = chinese_window
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "视图(&V)", "帮助"]
    file_items = [a.text() for a in window.menuBar().actions()[0].menu().actions()
                  if not a.isSeparator()]
    assert file_items[0] == "新建患者(&N)…" and "首选项(&R)…" in file_items
    ws = window.workspace
    assert [ws.tabs.tabText(i) for i in range(ws.tabs.count())][:3] == [
        "概览", "疗程(&C)", "毒性(&X)"]
    model = window.patient_list.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "病历号", "姓名", "诊断"]
    assert window.plots_dock.windowTitle() == "趋势图"
    assert "用户：" in window.session_status.text()
    assert ws.header.identity.text().startswith("病历号 ")


def test_chinese_main_window_fits_1366x768(chinese_window: MainWindow, qtbot: Any) -> None:
    """Every section tab and the header's date field on screen, nothing cut, in Chinese."""
    window = chinese_window
    ws = window.workspace
    bar = ws.tabs.findChild(QTabBar)
    assert bar is not None
    used = sum(bar.tabRect(i).width() for i in range(bar.count()))
    assert used <= bar.width(), "the section tabs scroll"
    header = ws.header
    for widget in (header.on_date, header.bsa):
        seen = widget.visibleRegion().boundingRect()
        assert seen.size() == widget.rect().size(), f"{widget.accessibleName()} is clipped"
    assert window.session_status.isVisible()
    app = QApplication.instance()
    assert app is not None
