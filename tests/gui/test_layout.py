"""Issue 12: at 1366×768 with the plots open, a form's Save button and live result are on
screen without scrolling."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from gui.main_window import MainWindow
from guitest_helpers import click, open_section, open_toxicity_form


def _on_screen(widget: QWidget, window: MainWindow) -> bool:
    """Wholly visible: not clipped by a scroll area and inside the window."""
    if not widget.isVisible() or widget.visibleRegion().isEmpty():
        return False
    seen = widget.visibleRegion().boundingRect()
    if seen.size() != widget.rect().size():
        return False                      # partly scrolled out of its viewport
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


@pytest.fixture
def ward_screen(demo_window: MainWindow, qtbot: Any) -> MainWindow:
    window = demo_window
    window.showNormal()
    window.resize(1366, 768)
    window.plots_dock.show()
    window._default_layout()   # the first-start layout for this width
    qtbot.wait(50)
    return window


def _course_from_template(ws: Any) -> Any:
    """The course form holding R-CHOP's five lines (one with a warning)."""
    open_section(ws, ws.courses)
    form = ws.course_form
    combo = form.template_combo
    index = combo.findText("R-CHOP")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    return form


FORMS = {
    "course": _course_from_template,
    "CRS": lambda ws: open_toxicity_form(ws, "crs"),
    "ICANS": lambda ws: open_toxicity_form(ws, "icans"),
    "acute GVHD": lambda ws: open_toxicity_form(ws, "agvhd"),
    "chronic GVHD": lambda ws: open_toxicity_form(ws, "cgvhd"),
    "measurements": lambda ws: (open_section(ws, ws.measurements), ws.measurement_form)[1],
    "marrow": lambda ws: (open_section(ws, ws.marrow), ws.marrow_form)[1],
    "events": lambda ws: (open_section(ws, ws.events), ws.event_form)[1],
}


@pytest.mark.parametrize("name", FORMS)
def test_save_and_live_result_visible_without_scrolling_at_1366x768(
        ward_screen: MainWindow, qtbot: Any, name: str) -> None:
    form = FORMS[name](ward_screen.workspace)
    qtbot.wait(50)
    assert _on_screen(form.save_button, ward_screen), f"{name}: Save is scrolled or clipped"
    result = getattr(form, "result_box", None)
    if result is not None:
        assert _on_screen(result, ward_screen) or (
            result.visibleRegion().boundingRect().height() == result.height()), \
            f"{name}: the live grade is scrolled out of view"
    table = getattr(form, "table", None)
    if name == "course":   # every column of the drug lines, and the warnings, in view
        assert table.horizontalScrollBar().maximum() == 0, "course: the drug lines scroll sideways"
        assert _on_screen(table, ward_screen), "course: the drug lines are clipped"
        assert _on_screen(form.warnings_label, ward_screen), "course: warnings out of view"


def test_labs_grid_and_its_save_button_fit_at_1366x768(
        ward_screen: MainWindow, qtbot: Any) -> None:
    from PySide6.QtWidgets import QPushButton
    ws = ward_screen.workspace
    open_section(ws, ws.labs)
    qtbot.wait(50)
    save = next(b for b in ws.labs.findChildren(QPushButton)
                if b.accessibleName() == "Save changed lab rows")
    assert _on_screen(save, ward_screen), "labs: Save changed rows is clipped"
    table = ws.labs.table
    assert table.isVisible() and table.viewport().height() >= 5 * table.rowHeight(0), \
        "labs: fewer than five rows of the grid in view"


@pytest.mark.parametrize("kind", ["crs", "icans", "agvhd", "cgvhd"])
def test_the_toxicity_forms_still_fit_once_a_treatment_is_saved(
        ward_screen: MainWindow, qtbot: Any, kind: str) -> None:
    """The "Saved course ..." line once sat beside the maximum grades and squeezed them
    into a column five lines high, so the ICANS Save went below the fold; it is said in
    the status bar now."""
    ws = ward_screen.workspace
    open_toxicity_form(ws, "crs")
    toxicity = ws.toxicity
    click(qtbot, toxicity.treatment_button)
    dialog = toxicity.treatment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    with qtbot.waitSignal(ws.bridge.item_saved, timeout=2000):
        click(qtbot, dialog.save_button)
    bar = ward_screen.statusBar()
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("Saved course CRS treatment from "),
                    timeout=2000)
    form = open_toxicity_form(ws, kind)
    qtbot.wait(50)
    assert bar.currentMessage().startswith("Saved course CRS treatment from ")
    lines = toxicity.max_label.height() / toxicity.max_label.fontMetrics().lineSpacing()
    assert lines < 3.5, f"the maximum grades take {lines:.1f} lines"
    assert _on_screen(form.save_button, ward_screen), f"{kind}: Save is scrolled or clipped"
