"""Overview: everything that happened, newest first, filterable by kind."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout,
    QWidget,
)

from clinical.derive import Derived
from clinical.record import Record
from clinical.timeline import KINDS, TimelineEntry, day_labels, timeline
from gui.models.item_table_model import Column, ItemTableModel

_KIND_NAMES = {"course": "Courses", "event": "Events", "assessment": "Toxicity",
               "marrow": "Marrow", "lab": "Labs", "measurement": "Measurements"}


class Overview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []
        self._derived: Derived | None = None
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show kind")
        self.filter.addItem("Everything but daily labs", "no_labs")
        self.filter.addItem("Everything", None)
        for kind in KINDS:
            self.filter.addItem(_KIND_NAMES[kind], kind)
        self.filter.currentIndexChanged.connect(self._apply_filter)
        self.model = ItemTableModel([
            Column("Date", lambda e: e.date.isoformat()),
            Column("Day", lambda e: day_labels(e.date, self._derived) if self._derived else ""),
            Column("Kind", lambda e: _KIND_NAMES[e.kind]),
            Column("What", lambda e: e.title),
            Column("Details", lambda e: e.detail, tooltip=lambda e: e.detail),
        ], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Timeline")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        top = QHBoxLayout()
        label = QLabel("&Show:")
        label.setBuddy(self.filter)
        top.addWidget(label)
        top.addWidget(self.filter)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def show_record(self, record: Record, derived: Derived) -> None:
        self._derived = derived
        self._entries = timeline(record, derived)
        self._apply_filter()

    def _apply_filter(self) -> None:
        kind = self.filter.currentData()
        self.model.set_items([e for e in self._entries
                              if kind is None or e.kind == kind
                              or (kind == "no_labs" and e.kind != "lab")])
