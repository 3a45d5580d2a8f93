"""Overview: everything that happened, newest first, filterable by kind.

The timeline is built for what the filter shows: the default, everything but daily
labs, leaves out the entry (and the messages) of every lab date, which at hospital scale
are most of the work. A save that leaves every shown row as it was (a lab value, with
the labs filtered out) does not refill the table: the rows, their widths, the selection
and the scroll position stay."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout,
    QWidget,
)

import lang
from clinical.derive import Derived
from clinical.messages import Msg, Seq
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


def _wording(value: Any) -> Any:
    """What a title or detail says, in any language: a message's template and parameters
    (two templates may share an English text and still read differently in Chinese)."""
    if isinstance(value, Msg):
        return (value.template.code, {k: _wording(v) for k, v in value.params.items()})
    if isinstance(value, Seq):
        return (value.sep, [_wording(item) for item in value.items])
    return value


def _row_key(entry: TimelineEntry) -> tuple[Any, ...]:
    return (entry.date, entry.kind, _wording(entry.title), _wording(entry.detail))


def _with_labs(kind: str | None) -> bool:
    """Whether the filter ``kind`` shows the daily labs' entries."""
    return kind is None or kind == "lab"


class Overview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []
        self._entries_have_labs = False     # whether _entries hold the labs' entries
        self._record: Record | None = None
        self._derived: Derived | None = None
        self._owed = False   # a record shown while hidden: built when it comes into view
        self._shown_key: tuple[Any, ...] | None = None   # what the table's rows say
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
        self._record, self._derived = record, derived
        if self.isHidden():
            self._owed = True
            return
        self._build()

    def showEvent(self, event: QShowEvent) -> None:
        if self._owed:
            self._build()
        super().showEvent(event)

    def _build(self) -> None:
        """The entries of the record held, as many as the filter needs (the daily labs'
        entries only when it shows them), then the table."""
        self._owed = False
        if self._record is None or self._derived is None:
            return
        self._entries_have_labs = _with_labs(self.filter.currentData())
        self._entries = timeline(self._record, self._derived,
                                 include_labs=self._entries_have_labs)
        self._fill()

    def _apply_filter(self) -> None:
        if _with_labs(self.filter.currentData()) and not self._entries_have_labs:
            # The labs' entries were left out: the timeline with them, now or once in view.
            if self.isHidden():
                self._owed = True
            else:
                self._build()
            return
        self._fill()

    def _fill(self) -> None:
        kind = self.filter.currentData()
        rows = [e for e in self._entries
                if kind is None or e.kind == kind or (kind == "no_labs" and e.kind != "lab")]
        # The Day column reads the anchors: the same rows and anchors show the same cells.
        anchors = dict(self._derived.anchors) if self._derived is not None else {}
        key = (anchors, [_row_key(e) for e in rows])
        if key == self._shown_key:
            return
        self._shown_key = key
        self.model.set_items(rows)
