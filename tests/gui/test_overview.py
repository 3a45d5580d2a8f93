"""The Overview tab: built when it comes into view, so a value saved on another tab
reaches the plots without waiting for the timeline of the whole course; the daily labs'
entries are built when the filter first shows them; a save that changes no row shown
leaves the table as it is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

import lang
from gui.main_window import MainWindow
from guitest_helpers import click, open_section

CTRL = Qt.KeyboardModifier.ControlModifier


def _rows(window: MainWindow) -> list[tuple[str, str, str]]:
    model = window.workspace.overview.model
    return [(model.index(r, 0).data(), model.index(r, 2).data(), model.index(r, 4).data())
            for r in range(model.rowCount())]


def test_a_lab_saved_on_the_labs_tab_is_on_the_overview_when_it_is_opened(
        qtbot: Any, demo_window: MainWindow) -> None:
    ws = demo_window.workspace
    with qtbot.waitActive(demo_window):
        demo_window.activateWindow()
    open_section(ws, ws.labs)
    click(qtbot, next(b for b in ws.labs.findChildren(QPushButton)
                      if b.accessibleName() == "New lab row"))
    qtbot.keyClicks(QApplication.focusWidget(), "2025-03-02")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "7.7")          # WBC
    with qtbot.waitSignal(ws.labs.row_saved, timeout=2000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        qtbot.wait(1)
    assert ws.overview.isHidden()       # not in view: not built for this save
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, CTRL)   # Overview
    assert ws.tabs.currentWidget() is ws.overview
    everything = ws.overview.filter.findData(None)
    ws.overview.filter.setCurrentIndex(everything)
    labs_that_day = [r for r in _rows(demo_window) if r[0] == "2025-03-02" and r[1] == "Labs"]
    assert labs_that_day and "7.7" in labs_that_day[0][2]


def _shown(window: MainWindow) -> list[tuple[str, str, str, str]]:
    """Every row as the table shows it: date, kind, what, details."""
    model = window.workspace.overview.model
    return [tuple(model.index(r, c).data() for c in (0, 2, 3, 4))  # type: ignore[misc]
            for r in range(model.rowCount())]


def _expected(window: MainWindow, keep: Any) -> list[tuple[str, str, str, str]]:
    """The whole timeline (labs included) worked out afresh, the rows ``keep`` passes."""
    from clinical.timeline import timeline
    from gui.overview import kind_name
    ws = window.workspace
    return [(e.date.isoformat(), kind_name(e.kind), lang.render(e.title), lang.render(e.detail))
            for e in timeline(ws.record, ws.derived) if keep(e.kind)]


def test_the_daily_labs_entries_come_when_the_filter_first_shows_them(
        qtbot: Any, demo_window: MainWindow) -> None:
    """The default filter leaves the labs out, and so does the timeline built for it;
    choosing Everything (or Labs) with the keys brings them, each as before."""
    ws = demo_window.workspace
    with qtbot.waitActive(demo_window):
        demo_window.activateWindow()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, CTRL)   # Overview, its filter
    assert ws.tabs.currentWidget() is ws.overview
    assert QApplication.focusWidget() is ws.overview.filter
    no_labs = _expected(demo_window, lambda kind: kind != "lab")
    assert _shown(demo_window) == no_labs and len(no_labs) > 20
    qtbot.keyClick(ws.overview.filter, Qt.Key.Key_Down)             # Everything
    assert ws.overview.filter.currentText() == "Everything"
    everything = _shown(demo_window)
    assert everything == _expected(demo_window, lambda kind: True)
    assert sum(1 for row in everything if row[1] == "Labs") > 20     # one per lab date
    for _ in range(5):                                               # ... Marrow, Labs
        qtbot.keyClick(ws.overview.filter, Qt.Key.Key_Down)
    assert ws.overview.filter.currentText() == "Labs"
    assert _shown(demo_window) == _expected(demo_window, lambda kind: kind == "lab")
    qtbot.keyClick(ws.overview.filter, Qt.Key.Key_Home)             # back to the default
    assert _shown(demo_window) == no_labs


def test_a_save_that_changes_no_row_shown_leaves_the_table_and_the_chosen_row(
        qtbot: Any, demo_window: MainWindow) -> None:
    """A lab saved while the overview is in view (a lab file, another workstation) with
    the labs filtered out: the rows are the same, so the table is not filled again and
    the row the reader chose stays chosen. With Everything, the lab's date appears."""
    from datetime import date

    from clinical.record import Lab, LabTest
    from guitest_helpers import select_row
    ws = demo_window.workspace
    table, model = ws.overview.table, ws.overview.model
    select_row(qtbot, table, 3)
    chosen = _shown(demo_window)[3]
    before = _shown(demo_window)
    lab = Lab(date=date(2025, 7, 30), test=LabTest.ANC, value=0.42, unit="10^9/L")
    with qtbot.assertNotEmitted(model.modelReset):
        demo_window.bridge.save_item("labs", ws.patient_id, lab)
    assert _shown(demo_window) == before
    assert [i.row() for i in table.selectionModel().selectedRows()] == [3]
    assert _shown(demo_window)[3] == chosen
    # Everything shows the lab's date now (worked out with the labs, this lab included).
    ws.overview.filter.setCurrentIndex(ws.overview.filter.findData(None))
    rows = _shown(demo_window)
    assert ("2025-07-30", "Labs", "Labs", "anc 0.42") in rows
    assert rows == _expected(demo_window, lambda kind: True)
    # A save that changes a row shown fills the table again, with that row.
    with qtbot.waitSignal(model.modelReset, timeout=2000):
        demo_window.bridge.save_item("labs", ws.patient_id,
                                     Lab(date=date(2025, 7, 31), test=LabTest.PLT, value=15,
                                         unit="10^9/L"))
    assert ("2025-07-31", "Labs", "Labs", "plt 15") in _shown(demo_window)
