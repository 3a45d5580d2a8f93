"""File ▸ Import lab results…: choose the columns, read the preview, Import — driven
with the keys and clicks a ward user would use (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from clinical.record import LabTest
from gui.lab_import_dialog import LabImportDialog
from gui.main_window import MainWindow

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture(autouse=True)
def lab_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Saved mappings and the ward's code table in a folder of this test's own."""
    folder = tmp_path / "lab-settings"
    monkeypatch.setenv("HEMALOG_LAB_SETTINGS", str(folder))
    return folder


def _open_dialog(qtbot: Any, window: MainWindow, path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> LabImportDialog:
    asked: list[str] = []

    def get_open_file_name(parent: Any, caption: str, start: str, *args: Any
                           ) -> tuple[str, str]:
        asked.append(caption)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", get_open_file_name)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.import_labs_action.trigger()
    assert asked == ["Import lab results"]
    dialog = window.lab_import_dialog
    assert isinstance(dialog, LabImportDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    return dialog


def _press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = ALT) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _wait_for_preview(qtbot: Any, dialog: LabImportDialog) -> None:
    """A button's Alt+letter clicks it as a mouse would, after its press is drawn."""
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.preview_page, timeout=3000)


def _preview_rows(dialog: LabImportDialog) -> list[list[str]]:
    t = dialog.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_a_wide_csv_is_previewed_then_imported_and_shown(
        qtbot: Any, demo_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, lab_settings: Path) -> None:
    ws = demo_window.workspace
    before = len(ws.record.labs)
    path = tmp_path / "lis-export.csv"
    path.write_text("Sample date,WBC (10^9/L),Hb (g/dL),PLT,CRP,Comment\n"
                    "2025-03-01 07:30,4.1,9.2,120,12,fasting\n"
                    "2025-03-02 07:10,3.9,,110,,\n", encoding="utf-8")
    dialog = _open_dialog(qtbot, demo_window, path, monkeypatch)
    # The columns step: the header's names were recognised (wide form, the date column).
    assert dialog.pages.currentWidget() is dialog.columns_page
    assert dialog.form_box.currentData() == "wide"
    assert dialog.date_box.currentText() == "Sample date"
    units = {dialog.units_table.item(r, 0).text(): (dialog.units_table.item(r, 1).text(),
                                                   dialog.units_table.cellWidget(r, 2).currentText())
             for r in range(dialog.units_table.rowCount())}
    assert units == {"WBC (10^9/L)": ("wbc", "as the header says: 10^9/L"),
                     "Hb (g/dL)": ("hb", "as the header says: g/dL"),
                     "PLT": ("plt", "(none given)"), "CRP": ("crp", "(none given)")}
    dialog.name_edit.setFocus()
    qtbot.keyClicks(dialog.name_edit, "LIS wide")
    _press(qtbot, Qt.Key.Key_P)                      # Alt+P: Preview
    _wait_for_preview(qtbot, dialog)
    # CRP has two units hemalog knows and the file names neither: refused, shown first.
    shown = [r for r in _preview_rows(dialog)
             if not dialog.table.isRowHidden(_preview_rows(dialog).index(r))]
    assert [(r[2], r[4]) for r in shown] == [("CRP", "REFUSED")]
    assert "no unit given for crp" in shown[0][5]
    assert not dialog.import_button.isEnabled()
    _press(qtbot, Qt.Key.Key_B)                      # Alt+B: back to the columns
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.columns_page, timeout=3000)
    crp = dialog._unit_boxes["CRP"]
    crp.setFocus()
    qtbot.keyClicks(crp, "mg/L")                     # a combo box finds what is typed
    assert crp.currentText() == "mg/L"
    _press(qtbot, Qt.Key.Key_P)
    _wait_for_preview(qtbot, dialog)
    rows = _preview_rows(dialog)
    assert [r[4] for r in rows] == ["added"] * 6
    hb = next(r for r in rows if r[2] == "hb")
    assert hb[3] == "92 g/L" and "9.2 g/dL converted to 92 g/L" in hb[5]
    assert "Comment" in dialog.summary.text()          # the column not read is named
    assert dialog.import_button.isEnabled()
    _press(qtbot, Qt.Key.Key_I)                      # Alt+I: Import
    qtbot.waitUntil(lambda: demo_window.lab_import_dialog is None, timeout=3000)
    assert dialog.saved == 6
    assert "Imported 6 lab results from lis-export.csv." in demo_window.statusBar().currentMessage()
    # Saved, shown in the open record (and so in the grid and plots), audited with the file.
    assert len(ws.record.labs) == before + 6
    store = demo_window.bridge.store
    labs = {(lab.date.isoformat(), lab.test): lab.value
            for lab in store.labs.list(ws.patient_id)}
    assert labs[("2025-03-01", LabTest.HB)] == 92
    entry = store.audit.entries(ws.patient_id)[-1]
    assert entry.reason.startswith("imported from lis-export.csv (sha256 ")
    # The columns were saved under the name given: next time they are offered.
    saved = json.loads((lab_settings / "lab-mappings" / "LIS wide.json").read_text("utf-8"))
    assert saved["units"] == {"CRP": "mg/L"} and saved["form"] == "wide"


def test_a_refused_result_keeps_import_disabled_and_saves_nothing(
        qtbot: Any, demo_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ws = demo_window.workspace
    before = len(ws.record.labs)
    path = tmp_path / "long.csv"
    path.write_text("Date,Test,Result,Unit\n"
                    "2025-03-01,WBC,4.1,10^9/L\n"
                    "2025-03-01,PLT,99999,10^9/L\n"
                    "2025-03-01,XYZ,1,\n", encoding="utf-8")
    dialog = _open_dialog(qtbot, demo_window, path, monkeypatch)
    assert dialog.form_box.currentData() == "long"
    assert (dialog.test_box.currentText(), dialog.value_box.currentText()) == ("Test", "Result")
    _press(qtbot, Qt.Key.Key_P)
    _wait_for_preview(qtbot, dialog)
    rows = _preview_rows(dialog)
    assert [r[4] for r in rows] == ["added", "REFUSED", "REFUSED"]
    assert [dialog.table.isRowHidden(r) for r in range(3)] == [True, False, False]
    assert "impossible for plt" in rows[1][5]
    assert "'XYZ' is not a test in the lab code table" in rows[2][5]
    assert not dialog.import_button.isEnabled()
    assert "Nothing can be imported while any result is refused" in dialog.message.text()
    _press(qtbot, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(lambda: demo_window.lab_import_dialog is None, timeout=3000)
    assert len(demo_window.bridge.store.labs.list(ws.patient_id)) == before


def test_an_hl7_file_goes_straight_to_the_preview(
        qtbot: Any, demo_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "results.hl7"
    path.write_bytes(
        b"MSH|^~\\&|LIS|HOSP|HEMALOG|WARD|20250301090000||ORU^R01|M1|P|2.5\r"
        b"PID|1||DEMO-CD7-001^^^HOSP^MR\r"
        b"OBR|1|||CBC|||20250301073000\r"
        b"OBX|1|NM|6690-2^WBC^LN||4.1|10*9/L|3.5-9.5||||F\r"
        b"OBX|2|NM|718-7^Hb^LN||9.2|g/dL|11.5-15.5||||F\r")
    dialog = _open_dialog(qtbot, demo_window, path, monkeypatch)
    assert dialog.pages.currentWidget() is dialog.preview_page
    assert not dialog.back_button.isVisible()
    rows = _preview_rows(dialog)
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        ("message 1, OBX 1", "wbc", "4.1 10^9/L", "added"),
        ("message 1, OBX 2", "hb", "92 g/L", "added")]


def test_an_unreadable_file_is_one_line_and_nothing_else(
        qtbot: Any, demo_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    dialog = _open_dialog(qtbot, demo_window, path, monkeypatch)
    assert "the file is empty" in dialog.message.text()
    assert not dialog.import_button.isVisible() and not dialog.next_button.isVisible()


def test_without_an_open_patient_the_menu_says_so(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a: pytest.fail("no file is asked for without a patient"))
    window.import_labs_action.trigger()
    assert "Open a patient first" in window.statusBar().currentMessage()


# --- File ▸ Registry export… ---------------------------------------------------------------
def test_registry_export_asks_where_and_writes_the_rows_in_the_dates_typed(
        qtbot: Any, demo_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QDialog

    from gui.registry_dialog import RegistryDialog
    target = tmp_path / "registry.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    seen: list[RegistryDialog] = []

    def fill_in(dialog: RegistryDialog) -> int:
        seen.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.start.focus_widget(), "2025-05-01")
        qtbot.keyClick(dialog.start.focus_widget(), Qt.Key.Key_Tab)
        dialog.save_button.click()
        return int(dialog.result() == QDialog.DialogCode.Accepted)

    monkeypatch.setattr(RegistryDialog, "exec", fill_in)
    demo_window.registry_action.trigger()
    assert seen and seen[0].written == (target, 1)
    text = target.read_text("utf-8-sig").splitlines()
    assert text[0].startswith("record_type,mrn,") and text[1].startswith("hsct,DEMO-CD7-001,")
    assert "Registry export: 1 rows saved to" in demo_window.statusBar().currentMessage()


def test_registry_export_refuses_dates_the_wrong_way_round(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.registry_dialog import RegistryDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: pytest.fail("no file is asked for with bad dates"))
    dialog = RegistryDialog(window.bridge, window)
    dialog.show()
    qtbot.keyClicks(dialog.start.focus_widget(), "2025-06-01")
    qtbot.keyClicks(dialog.end.focus_widget(), "2025-05-01")
    dialog.save_button.click()
    assert "From date is after the To date" in dialog.message.text()
    assert dialog.written is None
