"""Correcting a patient's details asks why, as every correction does: the reason typed
is what the audit trail and the History keep."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from clinical.audit import AuditAction
from gui.forms.patient_form import PatientDialog
from gui.main_window import MainWindow
from guitest_helpers import click, open_section, row_texts
from storage.repository import SqliteStore

# Saved through the store: run on a SQLite file and on a server.
BOTH_BACKENDS = True


def _type(edit: Any, text: str) -> None:
    edit.setFocus()
    QTest.keyClicks(edit, text)


def test_a_details_correction_needs_a_reason_and_keeps_it(
        qtbot: Any, demo_window: MainWindow, store: SqliteStore) -> None:
    patient = demo_window.workspace.record.patient
    seen: dict[str, Any] = {}

    def correct() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PatientDialog) and dialog.reason is not None
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        seen["save at first"] = save.isEnabled()
        diagnosis = dialog.fields["diagnosis"].focus_widget()
        diagnosis.setFocus()
        diagnosis.selectAll()
        QTest.keyClicks(diagnosis, "T-LBL")
        seen["save without a reason"] = save.isEnabled()
        seen["problems"] = dialog.problems.text()
        _type(dialog.reason.focus_widget(), "  ")            # blanks are no reason
        seen["save with blanks"] = save.isEnabled()
        _type(dialog.reason.focus_widget(), "diagnosis revised at MDT")
        seen["save with a reason"] = save.isEnabled()
        click(qtbot, save)

    QTimer.singleShot(0, correct)
    demo_window.details_action.trigger()      # File ▸ Patient details…

    assert seen == {"save at first": False, "save without a reason": False,
                    "problems": "Reason for the correction: a correction needs a reason",
                    "save with blanks": False, "save with a reason": True}
    assert store.patients.get(patient.id).diagnosis == "T-LBL"
    (entry,) = [e for e in store.audit.entries(patient.id)
                if e.table == "patients" and e.action is AuditAction.UPDATE]
    assert entry.reason == "diagnosis revised at MDT"
    ws = demo_window.workspace
    open_section(ws, ws.history)
    top = row_texts(ws.history.model, 0)
    assert top["Reason"] == "diagnosis revised at MDT"
    assert top["Changes"] == f"Diagnosis: {patient.diagnosis} → T-LBL"


def test_cancelling_a_details_correction_changes_nothing(
        qtbot: Any, demo_window: MainWindow, store: SqliteStore) -> None:
    patient = demo_window.workspace.record.patient
    before = store.audit.count()

    def change_then_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PatientDialog)
        _type(dialog.fields["name"].focus_widget(), "x")
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel))

    QTimer.singleShot(0, change_then_cancel)
    demo_window.details_action.trigger()
    assert store.patients.get(patient.id) == patient
    assert store.audit.count() == before


def test_a_new_patient_is_not_asked_for_a_reason(qtbot: Any, demo_window: MainWindow) -> None:
    dialog = PatientDialog(demo_window.bridge, parent=demo_window)
    qtbot.addWidget(dialog)
    assert dialog.reason is None
