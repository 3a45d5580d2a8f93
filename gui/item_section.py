"""A workspace section: the saved items in a table beside their entry form.

Select a row and Correct (loads it into the form) or Void (asks a reason, then the
signed-in user's signature: gui/signature_dialog.py).
"""

from __future__ import annotations

from clinical.audit import VOIDED_BECAUSE
from clinical.messages import msg

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QInputDialog, QMessageBox, QPushButton,
    QScrollArea, QSplitter, QTableView, QVBoxLayout, QWidget,
)

import lang
from clinical.accounts import PermissionDenied, allowed
from clinical.errors import HemalogError
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.item_form import ItemForm
from gui.models.item_table_model import Column, ItemTableModel, reselect, selected_id
from gui.permissions import denied_message
from gui.signature_dialog import ask_signature


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


MIN_TABLE = 150    # the saved items' table never narrower than this by default
FORM_SHARE = 0.7   # and the form takes at least this share of the section
STEP = 80          # View ▸ Widen form / Narrow form move the splitter by this much


class FormSplitter(QSplitter):
    """Saved items | form. Until the user moves it (or a saved position is restored)
    the form comes first: it gets the width it needs to show every field, its live
    result and Save, at least ``FORM_SHARE`` of the section, and the table the rest.
    Once placed by the user, a wider section (F9 hiding the plots) widens the form:
    the table keeps its width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.user_sized = False
        self.splitterMoved.connect(self._on_moved)

    def _on_moved(self, _pos: int, _index: int) -> None:
        self.user_sized = True

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        """The form asks for more width (a template's drug lines): fit it again, unless
        the user placed the handle."""
        if event.type() == QEvent.Type.LayoutRequest and not self.user_sized \
                and self.count() == 2:
            QTimer.singleShot(0, self, self._grow_form)   # dropped if the splitter is gone
        return False

    def _grow_form(self) -> None:
        """Only ever wider, so the handle does not jump while someone types."""
        sizes = self.sizes()
        if len(sizes) == 2 and not self.user_sized and self.form_needs() > sizes[1]:
            self.fit_form()

    def placed(self) -> bool:
        """Whether the handle's place is worth keeping: the user moved it (or a kept
        place was restored). An unplaced splitter fits its form anew each time, so a
        section never opened is not remembered at whatever size it had while hidden."""
        return self.user_sized

    def restoreState(self, state: QByteArray) -> bool:  # noqa: N802 - Qt's name
        self.user_sized = super().restoreState(state)
        return self.user_sized

    def form_needs(self) -> int:
        """The width the form's scroll area needs to show the form without scrolling."""
        area = self.widget(1)
        inner = area.widget() if isinstance(area, QScrollArea) else area
        bar = area.verticalScrollBar().sizeHint().width() if isinstance(area, QScrollArea) else 0
        return inner.sizeHint().width() + bar + 4

    def fit_form(self) -> None:
        total = sum(self.sizes())
        if total <= 0 or self.count() < 2:
            return
        form = max(self.form_needs(), int(total * FORM_SHARE))
        form = min(form, total - min(MIN_TABLE, total // 3))
        self.setSizes([total - form, form])

    def widen_form(self, step: int) -> None:
        """Move the handle by ``step`` pixels towards the table (negative: the form)."""
        sizes = self.sizes()
        if len(sizes) < 2:
            return
        step = max(-sizes[1], min(step, sizes[0]))
        self.setSizes([sizes[0] - step, sizes[1] + step])
        self.user_sized = True

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        table = self.sizes()[0] if self.count() else 0
        super().resizeEvent(event)
        if not self.user_sized:
            self.fit_form()
        elif event.oldSize().width() > 0 and self.count() == 2:
            total = sum(self.sizes())
            table = min(table, total - 80)
            self.setSizes([table, total - table])


class ItemSection(QWidget):
    """Table of one kind's items + the form(s) that enter and correct them."""

    voided = Signal(int)

    def __init__(self, bridge: StoreBridge, kind: str, columns: Sequence[Column],
                 form: QWidget, *, form_for: Callable[[Any], ItemForm] | None = None,
                 name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.kind = kind
        self.name = name or kind   # one item in words: "assessment", "marrow result"
        self.patient_id: int | None = None
        self._form_for = form_for or (lambda item: form)  # type: ignore[assignment]
        self.model = ItemTableModel(columns, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Saved {items}").format(items=name or kind))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self.correct_selected)
        self.correct_button = QPushButton(keymap.label("section.correct"))
        self.correct_button.setAccessibleName(self.tr("Correct the selected {item}").format(
            item=name or kind))
        self.correct_button.clicked.connect(self.correct_selected)
        self.void_button = QPushButton(keymap.label("section.void"))
        self.void_button.setAccessibleName(self.tr("Void the selected {item}").format(
            item=name or kind))
        self.void_button.clicked.connect(self.void_selected)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table)
        # One above the other: the saved items' side can then be narrow (at 1366 px the
        # course form needs all but ~190 px of the section for its drug lines).
        for button in (self.correct_button, self.void_button):
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            left_layout.addLayout(row)
        self.splitter = FormSplitter()
        self.splitter.setObjectName(f"section-{kind}")  # its position is remembered
        self.splitter.addWidget(left)
        self.splitter.addWidget(scrolled(form))
        form.installEventFilter(self.splitter)   # a form that grows is fitted again
        self.splitter.setStretchFactor(0, 2)   # a wider window widens the form too
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def set_items(self, patient_id: int | None, items: Sequence[Any]) -> None:
        """Show a patient's items (the caller decides the order)."""
        chosen = selected_id(self.table) if patient_id == self.patient_id else None
        self.patient_id = patient_id
        self.model.set_items(items)
        reselect(self.table, chosen)   # refreshed by a save here or elsewhere: still chosen

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_at(rows[0].row()) if rows else None

    def correct_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        form = self._form_for(item)
        if form.is_dirty() and not _confirm_discard(self):
            return
        form.load(item)
        form.focus_first()

    def void_selected(self) -> None:
        item = self.selected()
        if item is None or self.patient_id is None:
            return
        if not allowed(self.bridge.role, "void", self.kind):  # say so before asking why
            QMessageBox.warning(self, self.tr("Not voided"),
                                denied_message("void", self.kind, self.name))
            return
        reason, ok = QInputDialog.getText(self, self.tr("Void"), self.tr(
            "Why is this item voided? (it stays in the audit trail)"))
        if not ok or not reason.strip():
            return
        signature = None
        if self.bridge.signature_needed(self.kind, "void"):   # the signer's password again
            signature = ask_signature(self, self.bridge, msg(VOIDED_BECAUSE, reason=reason.strip()))
            if signature is None:
                return   # cancelled: nothing voided
        try:
            self.bridge.void_item(self.kind, self.patient_id, item.id, reason.strip(),
                                  signature)
        except PermissionDenied:
            QMessageBox.warning(self, self.tr("Not voided"),
                                denied_message("void", self.kind, self.name))
            return
        except HemalogError as exc:
            QMessageBox.warning(self, self.tr("Not voided"), lang.render_lines(exc.lines))
            return
        self.voided.emit(item.id)


def _confirm_discard(parent: QWidget) -> bool:
    answer = QMessageBox.question(parent, QCoreApplication.translate("ItemSection", "Unsaved input"),
                                  QCoreApplication.translate(
                                      "ItemSection", "The form has unsaved input. Discard it?"),
                                  QMessageBox.StandardButton.Discard
                                  | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard
