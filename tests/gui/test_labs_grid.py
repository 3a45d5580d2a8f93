"""The labs grid: type across with Tab, Enter saves, units are converted, paste rows;
saved counts show their CTCAE v5.0 grade as text, tint and tooltip."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QStyleOptionViewItem

from clinical.record import Lab, LabTest
from gui.labs_grid import TESTS, UNGRADED, LabsGrid
from gui.workspace import PatientWorkspace
from guitest_helpers import choose, click, open_section
from storage.repository import SqliteStore

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True

COL = {test: i for i, test in enumerate(TESTS, start=1)}


@pytest.fixture
def grid(qtbot: Any, workspace: PatientWorkspace) -> LabsGrid:
    """The Labs tab in front, the window active so keys go where the focus is."""
    open_section(workspace, workspace.labs)
    window = workspace.window()
    with qtbot.waitActive(window):
        window.activateWindow()
    return workspace.labs


def press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    qtbot.wait(1)  # the delegate commits a closed editor's text through the event loop


def type_keys(qtbot: Any, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def new_row(qtbot: Any, grid: LabsGrid, iso: str) -> None:
    """New row (the editor opens on its date), type the date, Tab to WBC."""
    click(qtbot, next(b for b in grid.findChildren(QPushButton)
                      if b.accessibleName() == "New lab row"))
    assert grid.table.state() == grid.table.State.EditingState
    assert (grid.table.currentRow(), grid.table.currentColumn()) == (0, 0)
    type_keys(qtbot, iso)   # the date cell's text is selected: typing replaces it
    press(qtbot, Qt.Key.Key_Tab)


def labs_on(store: SqliteStore, pid: int, iso: str) -> dict[str, tuple[float, str]]:
    return {lab.test.value: (lab.value, lab.unit) for lab in store.labs.list(pid)
            if lab.date.isoformat() == iso}


def test_typed_row_with_tab_across_and_enter_is_saved_in_stored_units(
        qtbot: Any, grid: LabsGrid, store: SqliteStore, pid: int) -> None:
    choose(grid.units[LabTest.HB], "g/dL")
    assert grid.table.horizontalHeaderItem(COL[LabTest.HB]).text() == "Hb\ng/dL"
    new_row(qtbot, grid, "2025-08-04")
    for text in ("3.1", "1.2", "", "45"):   # WBC, ANC, ALC left empty, PLT
        type_keys(qtbot, text)
        press(qtbot, Qt.Key.Key_Tab)
    assert grid.table.currentColumn() == COL[LabTest.HB]
    type_keys(qtbot, "9.1")
    assert grid.is_dirty()
    with qtbot.waitSignal(grid.row_saved, timeout=2000) as saved:
        press(qtbot, Qt.Key.Key_Return)   # closes the cell editor
        press(qtbot, Qt.Key.Key_Return)   # saves the row
    assert saved.args == ["2025-08-04"]
    assert labs_on(store, pid, "2025-08-04") == {
        "wbc": (3.1, "10^9/L"), "anc": (1.2, "10^9/L"), "plt": (45, "10^9/L"),
        "hb": (91, "g/L")}
    assert grid.status.text().startswith("Saved the labs of 2025-08-04.")
    assert not grid.is_dirty()
    row = next(r for r in range(grid.table.rowCount())
               if grid.table.item(r, 0).text() == "2025-08-04")
    assert grid.table.item(row, COL[LabTest.HB]).text() == "9.1"  # shown in the chosen unit


def test_one_enter_after_typing_saves_the_row(
        qtbot: Any, grid: LabsGrid, store: SqliteStore, pid: int) -> None:
    new_row(qtbot, grid, "2025-08-05")
    type_keys(qtbot, "2.2")
    press(qtbot, Qt.Key.Key_Return)
    assert labs_on(store, pid, "2025-08-05") == {"wbc": (2.2, "10^9/L")}


def test_pasted_rows_are_pending_until_saved(
        qtbot: Any, grid: LabsGrid, store: SqliteStore, pid: int) -> None:
    QGuiApplication.clipboard().setText("2025-08-01\t3.2\t1.5\n2025-08-02\t2.8\t1.1\n")
    grid.table.setFocus()
    before = store.counts()["labs"]
    qtbot.keyClick(grid.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [grid.table.item(r, 0).text() for r in range(2)] == ["2025-08-02", "2025-08-01"]
    assert grid.status.text().startswith("2 pasted row(s)")
    assert store.counts()["labs"] == before                 # pending, not saved yet
    assert grid.is_dirty()

    assert grid.save_changed_rows() == 2
    assert labs_on(store, pid, "2025-08-01") == {"wbc": (3.2, "10^9/L"), "anc": (1.5, "10^9/L")}
    assert labs_on(store, pid, "2025-08-02") == {"wbc": (2.8, "10^9/L"), "anc": (1.1, "10^9/L")}
    assert not grid.is_dirty()


def test_paste_text_api_then_save_changed_rows(
        grid: LabsGrid, store: SqliteStore, pid: int) -> None:
    assert grid.paste("2025-08-01\t3.2\t1.5\n2025-08-02\t3.0\t1.4") == 2
    assert grid.save_changed_rows() == 2
    assert labs_on(store, pid, "2025-08-01") == {"wbc": (3.2, "10^9/L"), "anc": (1.5, "10^9/L")}
    assert labs_on(store, pid, "2025-08-02") == {"wbc": (3.0, "10^9/L"), "anc": (1.4, "10^9/L")}


def test_a_bad_value_names_date_and_test_and_saves_nothing(
        qtbot: Any, grid: LabsGrid, store: SqliteStore) -> None:
    before = store.counts()
    new_row(qtbot, grid, "2025-08-03")
    type_keys(qtbot, "-1")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "1.0")
    press(qtbot, Qt.Key.Key_Return)
    assert "2025-08-03 WBC" in grid.message.text()
    assert "0 or more" in grid.message.text()
    with qtbot.assertNotEmitted(grid.row_saved):
        press(qtbot, Qt.Key.Key_Return)
        assert grid.save_changed_rows() == 0
    assert grid.message.text().startswith("Not saved.")
    assert "2025-08-03 WBC" in grid.message.text()
    assert store.counts() == before
    # the whole row is still there, the good value too
    assert [grid.table.item(0, c).text() for c in range(3)] == ["2025-08-03", "-1", "1.0"]


def test_a_pasted_bad_value_is_refused_whole_row(
        grid: LabsGrid, store: SqliteStore) -> None:
    before = store.counts()
    grid.paste("2025-08-06\t3.0\tlots")
    assert grid.save_changed_rows() == 0
    assert "2025-08-06 ANC" in grid.message.text() and "number" in grid.message.text()
    assert store.counts() == before


def test_switching_units_keeps_a_pending_row(grid: LabsGrid) -> None:
    row = grid.add_row("2025-08-07")
    grid.table.item(row, COL[LabTest.HB]).setText("90")
    choose(grid.units[LabTest.HB], "g/dL")
    dates = [grid.table.item(r, 0).text() for r in range(grid.table.rowCount())]
    assert "2025-08-07" in dates
    assert grid.is_dirty()


def test_new_row_starts_on_today(qtbot: Any, grid: LabsGrid) -> None:
    click(qtbot, next(b for b in grid.findChildren(QPushButton)
                      if b.accessibleName() == "New lab row"))   # its label is the keymap's
    assert grid.table.item(0, 0).text() == date.today().isoformat()


def test_correcting_a_saved_value_asks_why_and_is_audited(
        qtbot: Any, grid: LabsGrid, store: SqliteStore, pid: int, dialogs: Any) -> None:
    row = next(r for r in range(grid.table.rowCount())
               if grid.table.item(r, 0).text() == "2025-07-22")
    cell = grid.table.item(row, COL[LabTest.WBC])
    assert cell.text() == "7.75"
    cell.setText("7.57")
    dialogs.text = "digits swapped"
    with qtbot.waitSignal(grid.row_saved, timeout=2000):
        assert grid.save_row(row)
    assert dialogs.of("getText")[0][1] == "Correct saved values"
    assert labs_on(store, pid, "2025-07-22")["wbc"] == (7.57, "10^9/L")
    update = [e for e in store.audit.entries(pid) if e.action.value == "update"][-1]
    assert (update.table, update.reason, update.old["value"], update.new["value"]) == (
        "labs", "digits swapped", 7.75, 7.57)


def test_clearing_a_saved_value_voids_it_and_a_cancelled_reason_saves_nothing(
        grid: LabsGrid, store: SqliteStore, pid: int, dialogs: Any) -> None:
    row = next(r for r in range(grid.table.rowCount())
               if grid.table.item(r, 0).text() == "2025-07-22")
    grid.table.item(row, COL[LabTest.WBC]).setText("")
    before = store.counts()
    dialogs.text = None                                   # reason dialog cancelled
    assert not grid.save_row(row)
    assert grid.message.text() == "Not saved: a correction needs a reason."
    assert store.counts() == before and grid.is_dirty()
    dialogs.text = "wrong patient's sample"
    assert grid.save_row(row)
    assert "wbc" not in labs_on(store, pid, "2025-07-22")
    voided = [lab for lab in store.labs.list(pid, include_voided=True)
              if lab.date.isoformat() == "2025-07-22" and lab.test is LabTest.WBC]
    assert len(voided) == 1
    assert store.audit.entries(pid)[-1].action.value == "void"


# --- CTCAE grades -----------------------------------------------------------------------------

def on_screen(grid: LabsGrid, row: int, col: int) -> str:
    """The text the grid paints in a cell (the delegate adds the grade to the value)."""
    option = QStyleOptionViewItem()
    grid.table.itemDelegate().initStyleOption(option, grid.table.model().index(row, col))
    return option.text


def background(grid: LabsGrid, row: int, col: int) -> QColor:
    return grid.table.item(row, col).background().color()


def row_on(grid: LabsGrid, iso: str) -> int:
    return next(r for r in range(grid.table.rowCount()) if grid.table.item(r, 0).text() == iso)


def type_row(qtbot: Any, grid: LabsGrid, iso: str, values: list[str]) -> None:
    """A new row typed across with Tab (WBC, ANC, ALC, PLT, Hb, CRP...), Enter saves it."""
    new_row(qtbot, grid, iso)
    for text in values[:-1]:
        type_keys(qtbot, text)
        press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, values[-1])
    following = grid.next_day(iso)
    with qtbot.waitSignal(grid.row_saved, timeout=2000):
        press(qtbot, Qt.Key.Key_Return)   # closes the cell editor and saves the row
    if following is not None:   # the next day's row opens once the event loop runs
        qtbot.waitUntil(lambda: any(grid.table.item(r, 0).text() == following
                                    for r in range(grid.table.rowCount())), timeout=2000)


def test_a_typed_row_shows_each_counts_grade_once_saved(
        qtbot: Any, grid: LabsGrid, store: SqliteStore, pid: int) -> None:
    choose(grid.units[LabTest.HB], "g/dL")
    new_row(qtbot, grid, "2025-08-10")
    for text in ("3.5", "0.3", "", "60"):   # WBC, ANC, ALC empty, PLT
        type_keys(qtbot, text)
        press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "8.5")                  # Hb 8.5 g/dL = 85 g/L
    press(qtbot, Qt.Key.Key_Tab)
    # Typed but not saved: the values as typed, no grade yet, the row marked as pending.
    assert [on_screen(grid, 0, COL[t]) for t in (LabTest.ANC, LabTest.HB)] == ["0.3", "8.5"]
    assert grid.table.item(0, COL[LabTest.ANC]).toolTip() == ""
    with qtbot.waitSignal(grid.row_saved, timeout=2000):
        press(qtbot, Qt.Key.Key_Return)
    row = row_on(grid, "2025-08-10")
    shown = {t: on_screen(grid, row, COL[t]) for t in (LabTest.WBC, LabTest.ANC, LabTest.ALC,
                                                         LabTest.PLT, LabTest.HB)}
    assert shown == {LabTest.WBC: f"3.5  {UNGRADED}", LabTest.ANC: "0.3  G4", LabTest.ALC: "",
                     LabTest.PLT: "60  G2", LabTest.HB: "8.5  G2"}
    anc = grid.table.item(row, COL[LabTest.ANC])
    assert anc.toolTip() == ("grade 4: ANC 0.3 < 0.5 x10^9/L "
                             "(Neutrophil count decreased, CTCAE v5.0)")
    hb = grid.table.item(row, COL[LabTest.HB]).toolTip()
    assert hb.startswith("grade 2: Hb 85 < 100 g/L (Anemia, CTCAE v5.0)")
    assert "Shown in g/dL" in hb
    # A value above every fixed cut, and the lab gave no LLN: grade 0 or 1, and why.
    assert "no LLN" in grid.table.item(row, COL[LabTest.WBC]).toolTip()
    # A screen reader says the grade too.
    assert anc.data(Qt.ItemDataRole.AccessibleTextRole) == "0.3, CTCAE grade 4"
    # Display only: the cell and the database hold the values as entered.
    assert anc.text() == "0.3" and grid.table.item(row, COL[LabTest.HB]).text() == "8.5"
    assert labs_on(store, pid, "2025-08-10") == {
        "wbc": (3.5, "10^9/L"), "anc": (0.3, "10^9/L"), "plt": (60, "10^9/L"), "hb": (85, "g/L")}
    assert not grid.is_dirty()


def test_grade_tints_darken_with_the_grade_and_grade_0_is_shown(
        qtbot: Any, grid: LabsGrid, workspace: PatientWorkspace, pid: int) -> None:
    # A lab that reports its LLN (as an import would) lets grades 1 and 0 be told apart.
    for test, value, lln in ((LabTest.WBC, 3.5, 4.0), (LabTest.ANC, 2.5, 2.0)):
        workspace.bridge.save_item("labs", pid, Lab(date=date(2025, 8, 11), test=test,
                                                     value=value, unit="10^9/L", lln=lln))
    type_row(qtbot, grid, "2025-08-12", ["0.8", "0.3", "0.4", "40", "75"])
    g1 = row_on(grid, "2025-08-11")
    assert on_screen(grid, g1, COL[LabTest.WBC]) == "3.5  G1"
    assert "< LLN 4" in grid.table.item(g1, COL[LabTest.WBC]).toolTip()
    assert on_screen(grid, g1, COL[LabTest.ANC]) == "2.5  G0"   # not the same as no LLN
    g4 = row_on(grid, "2025-08-12")
    assert [on_screen(grid, g4, COL[t]) for t in (LabTest.WBC, LabTest.ANC, LabTest.ALC,
                                                  LabTest.PLT, LabTest.HB)] == [
        "0.8  G4", "0.3  G4", "0.4  G3", "40  G3", "75  G3"]
    lightness = {grade: background(grid, *cell).lightness() for grade, cell in (
        (1, (g1, COL[LabTest.WBC])), (3, (g4, COL[LabTest.ALC])), (4, (g4, COL[LabTest.ANC])))}
    assert lightness[1] > lightness[3] + 40 > lightness[4] + 80   # apart in grey print too
    assert background(grid, g1, COL[LabTest.ANC]) != background(grid, g1, COL[LabTest.WBC])
    # Dark tint, light text.
    g4_text = grid.table.item(g4, COL[LabTest.ANC]).foreground().color()
    assert g4_text.lightness() - lightness[4] > 120
    legend = grid.legend.text()
    assert "CTCAE v5.0" in legend and all(f"G{g}" in legend for g in range(1, 5))
    assert UNGRADED in legend and "LLN" in legend


def test_a_test_without_ctcae_shows_no_grade(qtbot: Any, grid: LabsGrid) -> None:
    type_row(qtbot, grid, "2025-08-13", ["", "", "", "", "", "150"])   # CRP only
    row = row_on(grid, "2025-08-13")
    assert on_screen(grid, row, COL[LabTest.CRP]) == "150"
    assert grid.table.item(row, COL[LabTest.CRP]).toolTip() == ""
    assert grid.table.item(row, COL[LabTest.CRP]).background().style() == Qt.BrushStyle.NoBrush


def test_correcting_a_graded_value_edits_the_value_only_and_regrades(
        qtbot: Any, grid: LabsGrid, store: SqliteStore, pid: int, dialogs: Any) -> None:
    type_row(qtbot, grid, "2025-08-14", ["", "0.3"])
    row = row_on(grid, "2025-08-14")
    assert on_screen(grid, row, COL[LabTest.ANC]) == "0.3  G4"
    grid.table.setCurrentCell(row, COL[LabTest.ANC])
    grid.table.setFocus()
    press(qtbot, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "0.3"   # no grade in the editor
    editor.selectAll()
    type_keys(qtbot, "1.2")
    press(qtbot, Qt.Key.Key_Tab)
    # Typed over: the old value's grade and tint are gone until the row is saved.
    assert on_screen(grid, row, COL[LabTest.ANC]) == "1.2"
    assert grid.table.item(row, COL[LabTest.ANC]).toolTip() == ""
    assert grid.is_dirty()
    dialogs.text = "wrong sample"
    assert grid.save_row(row)
    assert on_screen(grid, row, COL[LabTest.ANC]) == "1.2  G2"
    assert labs_on(store, pid, "2025-08-14") == {"anc": (1.2, "10^9/L")}


def test_enter_on_a_new_row_opens_the_next_days_row_up_to_today(
        qtbot: Any, grid: LabsGrid, store: SqliteStore, pid: int) -> None:
    """Counts typed day by day: after Enter saves a new row, the next day's row is open
    on its date (Tab accepts it); after today's row, none opens; the empty row left
    open is nothing to save."""
    from datetime import timedelta
    days = [(date.today() - timedelta(days=n)).isoformat() for n in (2, 1, 0)]
    new_row(qtbot, grid, "t-2")
    for n, iso in enumerate(days):
        if n:
            qtbot.waitUntil(lambda: grid.table.state() == grid.table.State.EditingState,
                            timeout=2000)
            assert (grid.table.currentRow(), grid.table.item(0, 0).text()) == (0, iso)
            press(qtbot, Qt.Key.Key_Tab)   # the date as offered
        type_keys(qtbot, f"{n + 2}.5")
        with qtbot.waitSignal(grid.row_saved, timeout=2000):
            press(qtbot, Qt.Key.Key_Return)
        assert labs_on(store, pid, iso) == {"wbc": (n + 2.5, "10^9/L")}
    qtbot.wait(20)
    assert grid.table.state() != grid.table.State.EditingState   # today was the last
    assert not grid.is_dirty()


def test_the_offered_next_day_can_be_typed_over(
        qtbot: Any, grid: LabsGrid, store: SqliteStore, pid: int) -> None:
    from datetime import timedelta
    new_row(qtbot, grid, "t-9")
    type_keys(qtbot, "1.1")
    with qtbot.waitSignal(grid.row_saved, timeout=2000):
        press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.table.state() == grid.table.State.EditingState, timeout=2000)
    assert grid.table.item(0, 0).text() == (date.today() - timedelta(days=8)).isoformat()
    assert not grid.is_dirty()          # only a date offered: nothing to lose yet
    type_keys(qtbot, "t-5")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "1.3")
    with qtbot.waitSignal(grid.row_saved, timeout=2000):
        press(qtbot, Qt.Key.Key_Return)
    iso = (date.today() - timedelta(days=5)).isoformat()
    assert labs_on(store, pid, iso) == {"wbc": (1.3, "10^9/L")}


def test_ctrl_g_on_a_patient_without_labs_starts_todays_row(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore) -> None:
    from clinical.record import Patient, Sex
    window = workspace.window()
    with qtbot.waitActive(window):
        window.activateWindow()
    fresh = store.patients.add(Patient(mrn="LABS-0", name="No Labs", sex=Sex.FEMALE, diagnosis="AML")).id
    workspace.open_patient(fresh)
    workspace.focus_labs_grid()
    qtbot.waitUntil(lambda: workspace.labs.table.state() ==
                    workspace.labs.table.State.EditingState, timeout=2000)
    assert workspace.labs.table.item(0, 0).text() == date.today().isoformat()
    type_keys(qtbot, "t")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "4.4")
    with qtbot.waitSignal(workspace.labs.row_saved, timeout=2000):
        press(qtbot, Qt.Key.Key_Return)
    assert labs_on(store, fresh, date.today().isoformat()) == {"wbc": (4.4, "10^9/L")}


def test_labs_saved_while_the_grid_is_out_of_view_show_and_correct_once_it_is_opened(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int,
        dialogs: Any) -> None:
    """The grid (and its index of the saved values) is built when it is first seen: labs
    saved while another section is in front (a lab file, another workstation) are shown
    with their grades when Ctrl+5 opens Labs, and a value typed over is a correction."""
    window = workspace.window()
    with qtbot.waitActive(window):
        window.activateWindow()
    assert workspace.tabs.currentWidget() is workspace.overview
    for test, value in ((LabTest.ANC, 0.3), (LabTest.PLT, 60)):
        workspace.bridge.save_item("labs", pid, Lab(date=date(2025, 8, 14), test=test,
                                                     value=value, unit="10^9/L"))
    assert workspace.labs.isHidden()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_5,
                   Qt.KeyboardModifier.ControlModifier)                    # Labs
    grid = workspace.labs
    assert workspace.tabs.currentWidget() is grid and grid.table.hasFocus()
    row = row_on(grid, "2025-08-14")
    assert [on_screen(grid, row, COL[t]) for t in (LabTest.ANC, LabTest.PLT)] == [
        "0.3  G4", "60  G2"]
    assert grid.table.item(row, COL[LabTest.ANC]).toolTip().startswith("grade 4: ANC 0.3")
    assert on_screen(grid, row_on(grid, "2025-07-22"), COL[LabTest.WBC]).startswith("7.75")
    saved = next(lab for lab in store.labs.list(pid)
                 if lab.date == date(2025, 8, 14) and lab.test is LabTest.ANC)
    grid.table.setCurrentCell(row, COL[LabTest.ANC])
    dialogs.text = "decimal point missed"
    press(qtbot, Qt.Key.Key_F2)                 # edit the cell: its text is selected
    type_keys(qtbot, "3")
    with qtbot.waitSignal(grid.row_saved, timeout=2000):
        press(qtbot, Qt.Key.Key_Return)
    assert dialogs.of("getText")[-1][1] == "Correct saved values"
    corrected = [lab for lab in store.labs.list(pid)
                 if lab.date == date(2025, 8, 14) and lab.test is LabTest.ANC]
    assert [(lab.id, lab.value) for lab in corrected] == [(saved.id, 3)]
    assert on_screen(grid, row_on(grid, "2025-08-14"), COL[LabTest.ANC]) == f"3  {UNGRADED}"
