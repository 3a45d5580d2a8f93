"""Small user-like actions shared by the GUI tests (type, Tab, choose, click, read)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton, QCheckBox, QComboBox, QStyle, QStyleOptionButton, QWidget,
)

from gui.forms.fields import FieldWidget
from gui.workspace import PatientWorkspace

LEFT = Qt.MouseButton.LeftButton


def type_into(qtbot: Any, field: FieldWidget, text: str, *, replace: bool = True) -> None:
    """Click into a text/number field and type, as a user would (select all first)."""
    edit = field.focus_widget()
    edit.setFocus()
    if replace:
        edit.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(edit, text)


def click(qtbot: Any, button: QAbstractButton) -> None:
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    qtbot.mouseClick(button, LEFT)


def tick(qtbot: Any, box: QCheckBox) -> None:
    """Click a check box where a user clicks: on its box-and-text area, not the empty
    space a layout may give it to the right."""
    option = QStyleOptionButton()
    option.initFrom(box)
    option.text = box.text()
    area = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxClickRect, option, box)
    qtbot.mouseClick(box, LEFT, pos=area.center())


def choose(combo: QComboBox, text: str) -> None:
    """Pick an entry by its visible text (as from the drop-down: activated is emitted)."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not among {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def set_date(field: FieldWidget, iso: str) -> None:
    """Type a date into a DateField as a person does: click into its text (all selected),
    type it key by key, then Tab out (leaving the field is when it is entered)."""
    edit: Any = field.focus_widget()
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, iso)
    QTest.keyClick(edit, Qt.Key.Key_Tab)


def open_section(workspace: PatientWorkspace, section: QWidget) -> None:
    workspace.tabs.setCurrentWidget(section)


def open_toxicity_form(workspace: PatientWorkspace, kind: str) -> Any:
    workspace.tabs.setCurrentWidget(workspace.toxicity)
    form = workspace.toxicity.forms[kind]
    workspace.toxicity.tabs.setCurrentWidget(form)
    return form


def column_of(model: QAbstractItemModel, header: str) -> int:
    for col in range(model.columnCount()):
        if model.headerData(col, Qt.Orientation.Horizontal) == header:
            return col
    raise AssertionError(f"no column {header!r}")


def row_texts(model: QAbstractItemModel, row: int) -> dict[str, str]:
    """One table row as {header: shown text}."""
    return {model.headerData(c, Qt.Orientation.Horizontal):
            model.data(model.index(row, c)) for c in range(model.columnCount())}


def row_of_item(model: Any, item_id: int) -> int:
    """The row showing the item with this id in an ItemTableModel."""
    for row, item in enumerate(model.items()):
        if item.id == item_id:
            return row
    raise AssertionError(f"item {item_id} is not shown")


def table_texts(table: Any, row: int) -> list[str]:
    """A QTableWidget row's texts."""
    return [table.item(row, c).text() if table.item(row, c) else ""
            for c in range(table.columnCount())]


def select_item(qtbot: Any, section: Any, predicate: Any) -> Any:
    """Click the first row of an ItemSection whose item matches; returns the item."""
    for row, item in enumerate(section.model.items()):
        if predicate(item):
            rect = section.table.visualRect(section.model.index(row, 0))
            qtbot.mouseClick(section.table.viewport(), LEFT, pos=rect.center())
            assert section.selected() == item
            return item
    raise AssertionError("no matching row")


def select_row(qtbot: Any, table: Any, row: int) -> None:
    """Click a row of a QTableView, as a user would."""
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())
