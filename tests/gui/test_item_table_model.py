"""ItemTableModel passes Qt's model tester, empty, filled and after a reset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from gui.models.item_table_model import Column, ItemTableModel


@dataclass(frozen=True)
class Row:
    when: date
    name: str
    value: float | None


COLUMNS = [Column("Date", lambda r: r.when.isoformat()),
           Column("Name", lambda r: r.name, tooltip=lambda r: f"about {r.name}"),
           Column("Value", lambda r: "" if r.value is None else f"{r.value:g}",
                  align_right=True)]
ITEMS = [Row(date(2025, 4, 10), "CRS", 3), Row(date(2025, 4, 7), "CAR-T", None),
         Row(date(2025, 5, 23), "HSCT", 0.5)]


def test_model_passes_qt_model_tester(qtmodeltester: Any) -> None:
    model = ItemTableModel(COLUMNS)
    qtmodeltester.check(model)
    model.set_items(ITEMS)
    qtmodeltester.check(model)
    model.set_items(ITEMS[:1])
    model.set_items([])
    qtmodeltester.check(model)


def test_model_reads_rows_columns_and_roles(qtbot: Any) -> None:
    model = ItemTableModel(COLUMNS)
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset], order="strict"):
        model.set_items(ITEMS)
    assert (model.rowCount(), model.columnCount()) == (3, 3)
    assert model.rowCount(model.index(0, 0)) == 0   # a table: no children
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == \
        ["Date", "Name", "Value"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.data(model.index(1, 2)) == ""
    assert model.data(model.index(2, 2)) == "0.5"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole) == "about CRS"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) is None
    assert model.data(model.index(0, 2), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.data(QModelIndex()) is None
    assert model.item_at(2) is ITEMS[2] and model.items() == ITEMS
    model.items().clear()                          # a copy: the model keeps its rows
    assert model.rowCount() == 3
