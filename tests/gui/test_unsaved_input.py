"""Typed input is never dropped silently: leaving a patient or closing asks first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from clinical.record import LabTest, Patient, Sex
from gui.bridge import StoreBridge
from gui.labs_grid import TESTS
from gui.main_window import MainWindow
from guitest_helpers import open_toxicity_form, type_into
from resources import DEMO_MRN

Button = QMessageBox.StandardButton


def add_other_patient(bridge: StoreBridge) -> Patient:
    return bridge.add_patient(Patient(mrn="P-0002", name="Second patient", sex=Sex.FEMALE,
                                      diagnosis="AML"))


def click_patient(qtbot: Any, window: MainWindow, mrn: str) -> None:
    plist = window.patient_list
    row = [p.mrn for p in plist.patients()].index(mrn)
    rect = plist.table.visualRect(plist.model.index(row, 0))
    qtbot.mouseClick(plist.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_opening_another_patient_asks_and_cancel_keeps_the_input(
        qtbot: Any, demo_window: MainWindow, bridge: StoreBridge, dialogs: Any) -> None:
    other = add_other_patient(bridge)
    form = open_toxicity_form(demo_window.workspace, "crs")
    type_into(qtbot, form.field("findings.temperature_c"), "38.7")
    demo_id = demo_window.workspace.patient_id

    click_patient(qtbot, demo_window, other.mrn)         # dialogs answer Cancel
    (question,) = dialogs.of("question")
    assert question[1] == "Unsaved input" and "CRS" in question[2]
    assert demo_window.workspace.patient_id == demo_id
    assert form.field("findings.temperature_c").edit.text() == "38.7"
    assert demo_window.workspace.record.patient.mrn == DEMO_MRN


def test_opening_another_patient_after_discard_switches(
        qtbot: Any, demo_window: MainWindow, bridge: StoreBridge, dialogs: Any) -> None:
    other = add_other_patient(bridge)
    form = demo_window.workspace.measurement_form
    type_into(qtbot, form.field("weight_kg"), "64")
    dialogs.question = Button.Discard
    click_patient(qtbot, demo_window, other.mrn)
    assert demo_window.workspace.patient_id == other.id
    assert form.field("weight_kg").edit.text() == ""
    assert demo_window.windowTitle() == "hemalog — Second patient (P-0002)"


def test_opening_another_patient_without_input_does_not_ask(
        qtbot: Any, demo_window: MainWindow, bridge: StoreBridge, dialogs: Any) -> None:
    other = add_other_patient(bridge)
    click_patient(qtbot, demo_window, other.mrn)
    assert dialogs.of("question") == []
    assert demo_window.workspace.patient_id == other.id


def test_closing_with_input_asks_and_cancel_keeps_window_and_input(
        qtbot: Any, demo_window: MainWindow, dialogs: Any) -> None:
    form = demo_window.workspace.marrow_form
    type_into(qtbot, form.field("blasts_pct"), "4")
    assert not demo_window.close()
    (question,) = dialogs.of("question")
    assert "Marrow result" in question[2]
    assert demo_window.isVisible()
    assert form.field("blasts_pct").edit.text() == "4"


def test_unsaved_lab_rows_count_as_input(
        qtbot: Any, demo_window: MainWindow, dialogs: Any) -> None:
    grid = demo_window.workspace.labs
    row = grid.add_row("2025-08-09")
    grid.table.item(row, 1 + TESTS.index(LabTest.WBC)).setText("4.4")
    assert not demo_window.close()
    assert "Labs" in dialogs.of("question")[0][2]
    assert grid.table.item(row, 1 + TESTS.index(LabTest.WBC)).text() == "4.4"


def test_closing_without_input_does_not_ask(demo_window: MainWindow, dialogs: Any) -> None:
    assert demo_window.close()
    assert dialogs.of("question") == []
