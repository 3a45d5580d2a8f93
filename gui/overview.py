"""Overview: everything that happened, newest first, filterable by kind."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout,
    QWidget,
)

import lang
from clinical.derive import Derived
from clinical.record import Record
from clinical.timeline import KINDS, TimelineEntry, day_labels, timeline
from gui.models.item_table_model import Column, ItemTableModel

_KIND_NAMES = {"course": QT_TRANSLATE_NOOP("Overview", "Courses"),
               "event": QT_TRANSLATE_NOOP("Overview", "Events"),
               "assessment": QT_TRANSLATE_NOOP("Overview", "Toxicity"),
               "marrow": QT_TRANSLATE_NOOP("Overview", "Marrow"),
               "lab": QT_TRANSLATE_NOOP("Overview", "Labs"),
               "measurement": QT_TRANSLATE_NOOP("Overview", "Measurements")}


def kind_name(kind: str) -> str:
    return QCoreApplication.translate("Overview", _KIND_NAMES[kind])


class Overview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []
        self._derived: Derived | None = None
        self._owed: Record | None = None   # shown while hidden: built when shown
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Show kind"))
        self.filter.addItem(self.tr("Everything but daily labs"), "no_labs")
        self.filter.addItem(self.tr("Everything"), None)
        for kind in KINDS:
            self.filter.addItem(kind_name(kind), kind)
        self.filter.currentIndexChanged.connect(self._apply_filter)
        self.model = ItemTableModel([
            Column(self.tr("Date"), lambda e: e.date.isoformat()),
            Column(self.tr("Day"), lambda e: lang.render(day_labels(e.date, self._derived))
                   if self._derived else ""),
            Column(self.tr("Kind"), lambda e: kind_name(e.kind)),
            Column(self.tr("What"), lambda e: lang.render(e.title)),
            Column(self.tr("Details"), lambda e: lang.render(e.detail),
                   tooltip=lambda e: lang.render(e.detail)),
        ], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Timeline"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        top = QHBoxLayout()
        label = QLabel(self.tr("&Show:"))
        label.setBuddy(self.filter)
        top.addWidget(label)
        top.addWidget(self.filter)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def show_record(self, record: Record, derived: Derived) -> None:
        """The timeline of ``record``. Built at once when the overview is in view, else
        when it comes into view: a lab saved on the Labs tab does not wait for the
        timeline of years of a patient's course (a few hundred ms) before the plot."""
        self._derived = derived
        if self.isHidden():
            self._owed = record
            return
        self._owed = None
        self._entries = timeline(record, derived)
        self._apply_filter()

    def showEvent(self, event: QShowEvent) -> None:
        if self._owed is not None and self._derived is not None:
            self.show_record(self._owed, self._derived)
        super().showEvent(event)

    def _apply_filter(self) -> None:
        kind = self.filter.currentData()
        self.model.set_items([e for e in self._entries
                              if kind is None or e.kind == kind
                              or (kind == "no_labs" and e.kind != "lab")])
