"""A read-only table model over a list of clinical objects, one column per getter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    align_right: bool = False
    tooltip: Callable[[Any], str] | None = None


Index = QModelIndex | QPersistentModelIndex
# The roles ItemTableModel.data answers (as plain ints: comparing them is the hot path).
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ANSWERED = frozenset({_DISPLAY, _TOOLTIP, int(Qt.ItemDataRole.TextAlignmentRole.value)})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


class ItemTableModel(QAbstractTableModel):
    """Rows are items (newest first unless told otherwise); no SQL, no rules here."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._items: list[Any] = []

    def set_items(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> Any:
        return self._items[row]

    def items(self) -> list[Any]:
        return list(self._items)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked for about eight roles per cell each time a view sizes its columns to their
        # contents: the roles this model has nothing for are answered first, at once.
        if role not in _ANSWERED or not index.isValid() \
                or not (0 <= index.row() < len(self._items)):
            return None
        column = self._columns[index.column()]
        if role == _DISPLAY:
            return column.text(self._items[index.row()])
        if role == _TOOLTIP:
            return None if column.tooltip is None else column.tooltip(self._items[index.row()])
        return _RIGHT if column.align_right else None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        return None


def item_table_view(model: ItemTableModel, accessible_name: str) -> QTableView:
    """A read-only table of items: whole-row single selection, columns sized to content."""
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(accessible_name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Fit the rows on screen, not the first 1,000: a search at hospital scale returns
    # hundreds of rows, and measuring them all took 80-140 ms per keystroke.
    header.setResizeContentsPrecision(0)
    header.setStretchLastSection(True)
    return table


def selected_id(table: QTableView) -> Any:
    """The id of the item in the table's selected row (None: nothing selected)."""
    model = table.model()
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    return getattr(model.item_at(rows[0].row()), "id", None) if rows else None


def reselect(table: QTableView, item_id: Any) -> None:
    """Select again the row of the item with this id, if it is still shown: a table
    filled anew (another workstation saved) keeps what the user had chosen."""
    model = table.model()
    if item_id is None:
        return
    for row, item in enumerate(model.items()):
        if getattr(item, "id", None) == item_id:
            index = model.index(row, 0)
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
            table.selectionModel().setCurrentIndex(index, flags)
            return
