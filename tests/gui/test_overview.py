"""The Overview tab: built when it comes into view, so a value saved on another tab
reaches the plots without waiting for the timeline of the whole course."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

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
