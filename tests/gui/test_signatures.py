"""Signatures in the app (issue 14): voiding anything and correcting a graded assessment
ask the signed-in user's password again after the reason; the audit row keeps who signed,
the meaning and when. Driven as a user: the password is typed into the real dialog."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from clinical.accounts import Role, User
from clinical.audit import AuditAction, AuditEntry
from clinical.record import AssessmentKind, EventType, LabTest
from gui.bridge import StoreBridge
from gui.history_view import local_time
from gui.labs_grid import TESTS, LabsGrid
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.signature_dialog import SignatureDialog
from guitest_helpers import (
    click, open_section, open_toxicity_form, row_texts, select_item, type_into,
)
from storage.repository import SqliteStore

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True

Button = QMessageBox.StandardButton
PASSWORDS = {"phil": "doctor-pass-1", "nina": "nurse-pass-1"}
WRONG = "The password is wrong: nothing was changed. Type it again, or Cancel."


@pytest.fixture
def people(store: SqliteStore) -> dict[str, User]:
    """A physician and a nurse, added by the administrator (the first account)."""
    store.sign_in(store.accounts.create("ada", "admin-pass-1", Role.ADMIN, "Ada Admin"))
    return {"phil": store.accounts.create("phil", PASSWORDS["phil"], Role.PHYSICIAN, "Dr Phil"),
            "nina": store.accounts.create("nina", PASSWORDS["nina"], Role.NURSE, "Nina Nurse")}


@pytest.fixture
def window_as(qtbot: Any, bridge: StoreBridge, settings: Settings, dialogs: Any,
              people: dict[str, User], no_trend_plots: None) -> Callable[[str], MainWindow]:
    """The main window with someone signed in and the demo patient open."""

    def discard_on_teardown(_window: MainWindow) -> None:
        dialogs.question = Button.Discard

    def make(who: str) -> MainWindow:
        bridge.sign_in(people[who])
        window = MainWindow(bridge, settings)
        qtbot.addWidget(window, before_close_func=discard_on_teardown)
        with qtbot.waitExposed(window):
            window.show()
        window.load_demo()
        return window

    return make


def entries(store: SqliteStore, window: MainWindow, action: AuditAction) -> list[AuditEntry]:
    return [e for e in store.audit.entries(window.workspace.patient_id) if e.action is action]


def assert_signed(entry: AuditEntry, by: str, meaning: str) -> None:
    assert entry.signature is not None
    assert (entry.signature["by"], entry.signature["meaning"]) == (by, meaning)
    at = datetime.fromisoformat(entry.signature["at"])
    assert abs((datetime.now(UTC) - at).total_seconds()) < 60


def void_transfusion(qtbot: Any, window: MainWindow) -> Any:
    section = window.workspace.events
    open_section(window.workspace, section)
    event = select_item(qtbot, section, lambda e: e.type is EventType.TRANSFUSION)
    click(qtbot, section.void_button)
    return event


# --- voiding ----------------------------------------------------------------------------------
def test_voiding_asks_for_the_password_and_the_audit_row_holds_the_signature(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any) -> None:
    window = window_as("nina")
    dialogs.text, dialogs.password = "entered twice", PASSWORDS["nina"]
    event = void_transfusion(qtbot, window)
    assert [c[0] for c in dialogs.calls] == ["getText", "signature"]   # the reason first
    assert dialogs.of("signature") == [("signature", "Sign: voided because entered twice", "")]
    assert event.id not in [e.id for e in store.events.list(window.workspace.patient_id)]
    (void,) = entries(store, window, AuditAction.VOID)
    assert (void.row_id, void.user, void.reason) == (event.id, "nina", "entered twice")
    assert_signed(void, "nina", "voided because entered twice")


def test_a_wrong_password_does_not_void_and_says_so(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any) -> None:
    window = window_as("nina")
    dialogs.text, dialogs.password = "entered twice", "not-her-password"
    with qtbot.assertNotEmitted(window.bridge.item_voided):
        event = void_transfusion(qtbot, window)
    assert dialogs.of("signature") == [("signature", "Sign: voided because entered twice", WRONG)]
    assert event in window.workspace.events.model.items()
    assert event.id in [e.id for e in store.events.list(window.workspace.patient_id)]
    assert entries(store, window, AuditAction.VOID) == []


def test_cancelling_the_signature_keeps_the_item(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any) -> None:
    window = window_as("phil")
    section = window.workspace.toxicity.section
    open_section(window.workspace, window.workspace.toxicity)
    crs = select_item(qtbot, section, lambda a: a.kind is AssessmentKind.CRS)
    dialogs.text, dialogs.password = "entered in error", None      # Cancel in the dialog
    with qtbot.assertNotEmitted(section.voided):
        click(qtbot, section.void_button)
    assert dialogs.of("signature") == [("signature", "Sign: voided because entered in error", "")]
    assert dialogs.of("warning") == []
    assert crs in section.model.items() and section.selected() == crs
    assert crs.id in [a.id for a in store.assessments.list(window.workspace.patient_id)]


# --- correcting -------------------------------------------------------------------------------
def correct_crs(qtbot: Any, window: MainWindow) -> tuple[Any, Any]:
    """Correct the seed CRS assessment: 39.9 typed into Temperature, then Save."""
    section = window.workspace.toxicity.section
    open_toxicity_form(window.workspace, "crs")
    crs = select_item(qtbot, section, lambda a: a.kind is AssessmentKind.CRS)
    click(qtbot, section.correct_button)
    form = window.workspace.toxicity.forms["crs"]
    type_into(qtbot, form.field("findings.temperature_c"), "39.9")
    click(qtbot, form.save_button)
    return crs, form


def test_correcting_a_crs_assessment_asks_for_the_signature(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any) -> None:
    window = window_as("phil")
    dialogs.text, dialogs.password = "typo", PASSWORDS["phil"]
    crs, form = correct_crs(qtbot, window)
    assert [c[0] for c in dialogs.calls] == ["getText", "signature"]
    assert dialogs.of("signature") == [("signature", "Sign: corrected because typo", "")]
    stored = store.assessments.get(crs.id)
    assert stored.findings["temperature_c"] == 39.9 and stored.version == crs.version + 1
    (update,) = entries(store, window, AuditAction.UPDATE)
    assert (update.row_id, update.user, update.reason) == (crs.id, "phil", "typo")
    assert_signed(update, "phil", "corrected because typo")
    assert form.status.text().startswith("Saved")


def test_cancelling_a_correction_signature_keeps_the_forms_input(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any) -> None:
    window = window_as("phil")
    dialogs.text, dialogs.password = "typo", None
    crs, form = correct_crs(qtbot, window)
    assert dialogs.of("signature") == [("signature", "Sign: corrected because typo", "")]
    assert form.status.text() == "Not saved: this correction needs your signature"
    assert form.field("findings.temperature_c").focus_widget().text() == "39.9"
    assert store.assessments.get(crs.id) == crs
    dialogs.password = PASSWORDS["phil"]                      # Save again: signed this time
    with qtbot.waitSignal(form.saved, timeout=2000):
        click(qtbot, form.save_button)
    assert store.assessments.get(crs.id).findings["temperature_c"] == 39.9


def test_correcting_a_measurement_does_not_ask_for_a_signature(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any) -> None:
    window = window_as("nina")
    workspace = window.workspace
    section, form = workspace.measurements, workspace.measurement_form
    open_section(workspace, section)
    select_item(qtbot, section, lambda m: m.weight_kg == 65)
    click(qtbot, section.correct_button)
    type_into(qtbot, form.field("weight_kg"), "56")
    dialogs.text = "typo"
    with qtbot.waitSignal(window.bridge.item_saved, timeout=2000):
        click(qtbot, form.save_button)
    assert dialogs.of("signature") == []
    (update,) = entries(store, window, AuditAction.UPDATE)
    assert update.signature is None


# --- the labs grid ------------------------------------------------------------------------------
COL = {test: i for i, test in enumerate(TESTS, start=1)}


def grid_of(qtbot: Any, window: MainWindow) -> LabsGrid:
    workspace = window.workspace
    open_section(workspace, workspace.labs)
    with qtbot.waitActive(window):
        window.activateWindow()
    return workspace.labs


def edit_cell(qtbot: Any, grid: LabsGrid, iso: str, test: LabTest, keys: list[Any]) -> None:
    """Go to a saved cell, open its editor (F2), press ``keys``, then Enter."""
    row = next(r for r in range(grid.table.rowCount()) if grid.table.item(r, 0).text() == iso)
    grid.table.setFocus()
    grid.table.setCurrentCell(row, COL[test])
    qtbot.keyClick(grid.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    for key in keys:
        if isinstance(key, str):
            qtbot.keyClicks(editor, key)
        else:
            qtbot.keyClick(editor, key)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(1)


def test_correcting_a_lab_value_does_not_ask_for_a_signature(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any) -> None:
    window = window_as("nina")
    grid = grid_of(qtbot, window)
    dialogs.text = "digits swapped"
    with qtbot.waitSignal(grid.row_saved, timeout=2000):
        edit_cell(qtbot, grid, "2025-07-22", LabTest.WBC, ["7.57"])
    assert dialogs.of("getText") and dialogs.of("signature") == []
    (update,) = entries(store, window, AuditAction.UPDATE)
    assert (update.new["value"], update.signature) == (7.57, None)


def test_clearing_a_saved_lab_value_voids_it_only_when_signed(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any) -> None:
    window = window_as("nina")
    grid = grid_of(qtbot, window)
    before = store.counts()
    dialogs.text, dialogs.password = "wrong patient's sample", None
    edit_cell(qtbot, grid, "2025-07-22", LabTest.WBC, [Qt.Key.Key_Backspace])
    assert dialogs.of("signature") == [
        ("signature", "Sign: voided because wrong patient's sample", "")]
    assert grid.message.text() == ("Not saved: clearing a saved value voids it, and a void "
                                   "needs your signature.")
    assert store.counts() == before and grid.is_dirty()        # the cleared cell stays cleared
    dialogs.password = PASSWORDS["nina"]
    with qtbot.waitSignal(grid.row_saved, timeout=2000):
        qtbot.keyClick(grid.table, Qt.Key.Key_Return)            # Enter on the row saves it
    (void,) = entries(store, window, AuditAction.VOID)
    assert void.table == "labs" and void.old["test"] == "wbc"
    assert_signed(void, "nina", "voided because wrong patient's sample")


# --- the dialog itself --------------------------------------------------------------------------
def test_the_dialog_shows_the_signer_who_cannot_be_changed(
        qtbot: Any, bridge: StoreBridge, people: dict[str, User]) -> None:
    bridge.sign_in(people["phil"])
    dialog = SignatureDialog(bridge, "voided because entered twice")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Sign: voided because entered twice"
    assert dialog.signer.text() == "Dr Phil (phil)"
    assert dialog.signer.isReadOnly()
    assert dialog.signer.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.sign_button.isEnabled()                  # no password yet
    qtbot.keyClicks(dialog.password, PASSWORDS["phil"])
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.signature is not None and dialog.signature["by"] == "phil"
    assert dialog.password.text() == ""                        # nothing secret stays


def test_after_five_wrong_passwords_the_dialog_says_how_long_to_wait(
        qtbot: Any, bridge: StoreBridge, people: dict[str, User]) -> None:
    bridge.sign_in(people["nina"])
    dialog = SignatureDialog(bridge, "voided because entered twice")
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(4):
        qtbot.keyClicks(dialog.password, "not-her-password")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        assert dialog.message.text() == WRONG
    qtbot.keyClicks(dialog.password, "not-her-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert re.fullmatch(r"Too many wrong passwords for nina: try again in (30|29) s\. "
                        r"Nothing was changed\.", dialog.message.text()), dialog.message.text()
    qtbot.keyClicks(dialog.password, PASSWORDS["nina"])         # even the right one waits
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.signature is None and dialog.isVisible()
    assert dialog.message.text().startswith("Too many wrong passwords for nina")


# --- History --------------------------------------------------------------------------------
def test_history_shows_the_workstation_and_the_signature(
        qtbot: Any, window_as: Any, store: SqliteStore, dialogs: Any) -> None:
    window = window_as("nina")
    dialogs.text, dialogs.password = "entered twice", PASSWORDS["nina"]
    void_transfusion(qtbot, window)
    workspace = window.workspace
    open_section(workspace, workspace.history)
    top = row_texts(workspace.history.model, 0)
    assert top["Action"] == "voided" and top["Workstation"] == store.audit.workstation
    (void,) = entries(store, window, AuditAction.VOID)
    assert void.signature is not None
    assert top["Signature"] == (f"signed by Nina Nurse (nina) {local_time(void.signature['at'])}: "
                                "voided because entered twice")
    added = row_texts(workspace.history.model, workspace.history.model.rowCount() - 1)
    assert added["Action"] == "added" and added["Signature"] == ""
    workspace.history.table.selectRow(0)
    details = workspace.history.details.text()
    assert "<b>Signature:</b> signed by Nina Nurse (nina)" in details
    assert f"<b>Workstation:</b> {store.audit.workstation}" in details
