"""The base of every data-entry form: fields, live validation, undo, save.

A form declares its fields; the domain validator (clinical.record_schema)
checks the document they make, and each problem is shown beside its field in
plain words. Save stays disabled until the item is valid. Nothing typed is
lost: a failed save keeps every value in place.
"""

from __future__ import annotations

from clinical.audit import CORRECTED_BECAUSE
from clinical.messages import msg

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout,
    QWidget,
)

import lang
from clinical import record_json
from clinical.errors import HemalogError
from clinical.record_schema import parse_item
from clinical.schema import Problem
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.fields import FieldWidget
from gui.signature_dialog import ask_signature

ERROR_STYLE = "color: #b00020;"

_DOCS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "measurements": record_json.measurement_doc,
    "courses": record_json.course_doc,
    "events": record_json.event_doc,
    "labs": record_json.lab_doc,
    "marrow": record_json.marrow_doc,
    "assessments": record_json.assessment_doc,
}

_WORDS = [
    (re.compile(r"must be >= (\S+)"), r"must be \1 or more"),
    (re.compile(r"must be <= (\S+)"), r"must be \1 or less"),
    (re.compile(r"must be > (\S+)"), r"must be more than \1"),
    (re.compile(r"must be < (\S+)"), r"must be less than \1"),
    (re.compile(r"^is required$"), "is needed"),
    (re.compile(r"must be a number, not text"), "must be a number"),
    (re.compile(r"must be a whole number, not text"), "must be a whole number"),
]


def plain_words(message: str) -> str:
    """A validator message in words a nurse reads at a glance.

    In English the validator's wording is made plainer here; in another language the
    message (a clinical ``Msg``) is rendered in the reader's words (``lang.render``).
    """
    if lang.current() != lang.EN:
        return lang.render(message)
    message = str(message)
    for pattern, replacement in _WORDS:
        message = pattern.sub(replacement, message)
    return message


def error_words(lines: Any) -> str:
    """An error's lines (``HemalogError.lines``) in the reader's language, on one line."""
    return " ".join(lang.render(line) for line in lines)


def _path_last(path: str) -> str:
    """'findings.oxygen_l_min' -> 'oxygen_l_min': the key a path no field claims ends in."""
    return re.sub(r"\[\d+\]", "", path).rsplit(".", 1)[-1]


def describe(obj: Any) -> str:
    """A few words naming an item: 'course R-CHOP', 'item of 2025-04-10'."""
    name = getattr(obj, "name", None)
    if name:
        return QCoreApplication.translate("ItemForm", "course {name}").format(name=name)
    when = getattr(obj, "date", None)
    if when:
        return QCoreApplication.translate("ItemForm", "item of {date}").format(date=when)
    return QCoreApplication.translate("ItemForm", "item")


def _get_path(doc: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        if not isinstance(doc, dict):
            return None
        doc = doc.get(part)  # type: ignore[assignment]
    return doc


def _set_path(doc: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        doc = doc.setdefault(part, {})
    if value is not None:
        doc[last] = value


class ItemForm(QWidget):
    """One item of one kind; subclasses add fields in ``build()``."""

    kind = ""                 # record list name: "labs", "assessments", ...
    title = ""
    saved = Signal(object)    # the saved item
    validity_changed = Signal(bool)

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.patient_id: int | None = None
        self._editing: Any = None          # the saved item being corrected
        self._fields: dict[str, FieldWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._history: list[dict[str, Any]] = []
        self._restoring = False
        self._baseline: dict[str, Any] = {}
        self._last_obj: Any = None
        # Problems show once the user has typed or tried to save, never on a pristine
        # or just-cleared form: a nurse starting an entry sees no red.
        self._touched = False

        outer = QVBoxLayout(self)
        # Compact: at 1366×768 every field, the live result and Save fit without scrolling.
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(4)
        self.heading = QLabel(f"<b>{self.shown_title()}</b>")
        outer.addWidget(self.heading)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(3)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.build()
        self.extra = QVBoxLayout()
        outer.addLayout(self.extra)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.setAccessibleName(self.tr("Problems"))
        outer.addWidget(self.general_error)
        buttons = QHBoxLayout()
        # Ctrl+S is the main window's (it saves the form in view): a shortcut set on the
        # button would also take the place of its Alt+S.
        self.save_button = QPushButton(keymap.with_shortcut(keymap.label("form.save"),
                                                            "form.save"))
        self.save_button.setAccessibleName(self.tr("Save {form}").format(form=self.shown_title()))
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(keymap.label("form.clear"))
        self.new_button.setAccessibleName(self.tr("Clear {form} form").format(
            form=self.shown_title()))
        self.new_button.clicked.connect(self.clear)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Save status"))
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.status, 1)
        outer.addLayout(buttons)
        outer.addStretch(1)
        for sequence in keymap.sequences("form.undo"):
            undo = QShortcut(sequence, self)
            undo.setContext(keymap.context(keymap.SHORTCUTS["form.undo"].scope))
            undo.activated.connect(self.undo)
        self._baseline = self.snapshot()
        self._history = [self._baseline]
        self.refresh()

    def shown_title(self) -> str:
        """The form's title in the reader's language (``title`` stays the English, marked
        with QT_TRANSLATE_NOOP in the form's own class)."""
        for cls in type(self).__mro__:
            if "title" in vars(cls):
                return QCoreApplication.translate(cls.__name__, self.title)
        return self.title

    # --- building ---------------------------------------------------------------
    def build(self) -> None:
        """Add fields with ``add_field``; subclasses override."""

    def add_field(self, field: FieldWidget) -> FieldWidget:
        label = QLabel(field.label)
        label.setBuddy(field.focus_widget())
        error = QLabel()
        error.setWordWrap(True)   # a long message wraps instead of widening the form
        error.setStyleSheet(ERROR_STYLE)
        error.setVisible(False)
        error.setAccessibleName(self.tr("{field} problem").format(field=field.name))
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(field)
        layout.addWidget(error)
        self.form.addRow(label, box)
        self._fields[field.key] = field
        self._errors[field.key] = error
        field.changed.connect(self._on_field_changed)
        return field

    def field(self, key: str) -> FieldWidget:
        return self._fields[key]

    def fields(self) -> dict[str, FieldWidget]:
        """Every field by its key ("findings.temperature_c"), in the form's order."""
        return dict(self._fields)

    def first_field(self) -> QWidget | None:
        """Where the cursor goes when the form opens: its first shown, enabled field."""
        for field in self._fields.values():
            if field.isVisibleTo(self) and field.isEnabled():
                return field.focus_widget()
        return None

    def focus_first(self) -> None:
        widget = self.first_field()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()   # typing replaces the default (today's date), as Tab does

    # --- the document -----------------------------------------------------------
    def base_document(self) -> dict[str, Any]:
        """Keys the form always sends (e.g. an assessment's kind)."""
        return {}

    def document(self) -> dict[str, Any]:
        doc = self.base_document()
        for key, field in self._fields.items():
            _set_path(doc, key, field.value())
        return doc

    def to_domain(self) -> tuple[Any, list[Problem]]:
        obj, problems = parse_item(self.kind, self.document())
        if obj is not None and self._editing is not None:
            obj = dataclasses.replace(obj, id=self._editing.id, version=self._editing.version)
        return obj, problems

    def snapshot(self) -> dict[str, Any]:
        return {key: field.value() for key, field in self._fields.items()}

    def is_dirty(self) -> bool:
        return self.snapshot() != self._baseline

    # --- loading ------------------------------------------------------------------
    def set_patient(self, patient_id: int | None) -> None:
        self.patient_id = patient_id
        self.clear()

    def load(self, obj: Any) -> None:
        """Fill the form from a saved item to correct it."""
        self._touched = False
        doc = _DOCS[self.kind](obj)
        self._restore({key: _get_path(doc, key) for key in self._fields})
        self._editing = obj
        self._reset_history()
        self.status.setText(self.tr("Correcting the saved {item}").format(item=describe(obj)))

    def clear(self) -> None:
        self._touched = False
        self._restore({key: None for key in self._fields})
        self._editing = None
        self._reset_history()
        self.status.setText("")

    def _reset_history(self) -> None:
        self._baseline = self.snapshot()
        self._history = [self._baseline]
        self.refresh()

    def _restore(self, values: dict[str, Any]) -> None:
        self._restoring = True
        try:
            for key, value in values.items():
                self._fields[key].set_value(value)
        finally:
            self._restoring = False
        self.refresh()

    def undo(self) -> None:
        """Step back to the previous state of the form (before saving)."""
        if len(self._history) > 1:
            self._history.pop()
            self._restore(self._history[-1])

    # --- validation -------------------------------------------------------------
    def _on_field_changed(self) -> None:
        if not self._restoring:
            snap = self.snapshot()
            if snap != self._history[-1]:
                self._history.append(snap)
                self._touched = True
        self.refresh()

    def refresh(self) -> None:
        obj, problems = self.to_domain()
        self._last_obj = obj
        self.show_problems(problems if self._touched else [])
        valid = obj is not None and self.patient_id is not None and self.is_complete(obj)
        self.save_button.setEnabled(valid and (self.is_dirty() or self._editing is None))
        self.on_result(obj)
        self.validity_changed.emit(valid)

    def is_complete(self, obj: Any) -> bool:
        """Whether a valid item says anything worth saving (a blank form does not)."""
        return True

    def on_result(self, obj: Any) -> None:
        """Hook for live results (grades, doses); ``obj`` is None while invalid."""

    def show_problems(self, problems: list[Problem]) -> None:
        for label in self._errors.values():
            label.setVisible(False)
        general = []
        for problem in problems:
            key = self._field_for(problem.path)
            words = self.field_words(plain_words(problem.message))
            if key is None:
                where = self.field_words(_path_last(problem.path)).replace("_", " ")
                general.append(self.tr("{field}: {problem}").format(field=where, problem=words)
                               if where else words[:1].upper() + words[1:])
                continue
            field = self._fields[key]
            own = getattr(field, "problem", None)
            if own is not None and own():
                continue   # the date field already says why, in words, under the date
            label = self._errors[key]
            label.setText(self.tr("{field} {problem}").format(field=field.name, problem=words))
            label.setVisible(True)
        self.general_error.setText("\n".join(general))

    def field_words(self, text: str) -> str:
        """Internal key names in a message become the fields' labels: a nurse reads
        'needs height or weight', never 'needs height_cm or weight_kg'."""
        for key, field in self._fields.items():
            name = key.rsplit(".", 1)[-1]
            words = field.name if field.name[1:2].isupper() \
                else field.name[:1].lower() + field.name[1:]   # MRD stays MRD
            text = re.sub(rf"\b{re.escape(name)}\b", words, text)
        return text

    def _field_for(self, path: str) -> str | None:
        best = None
        for key in self._fields:
            if path == key or path.startswith(key + ".") or path.startswith(key + "["):
                if best is None or len(key) > len(best):
                    best = key
        return best

    # --- saving -------------------------------------------------------------------
    def ask_reason(self) -> str | None:
        """Why a saved item is corrected (kept in the audit log); None cancels."""
        text, ok = QInputDialog.getText(self, self.tr("Correct a saved item"),
                                        self.tr("Reason for the correction:"))
        return text.strip() if ok and text.strip() else None

    def save(self) -> Any:
        obj, problems = self.to_domain()
        self._touched = True   # a try to save shows what is missing
        if obj is None or self.patient_id is None or not self.is_complete(obj):
            self.show_problems(problems)
            return None
        reason = signature = None
        if self._editing is not None:
            reason = self.ask_reason()
            if reason is None:
                self.status.setText(self.tr("Not saved: a correction needs a reason"))
                return None
            if self.bridge.signature_needed(self.kind, "update"):   # a graded assessment
                signature = ask_signature(self, self.bridge, msg(CORRECTED_BECAUSE, reason=reason))
                if signature is None:   # cancelled: everything typed stays
                    self.status.setText(self.tr("Not saved: this correction needs your signature"))
                    return None
        try:
            saved = self.bridge.save_item(self.kind, self.patient_id, obj, reason, signature)
        except HemalogError as exc:  # a conflict or a locked file: keep what was typed
            self.general_error.setText(self.tr("Not saved. {reason}").format(
                reason=error_words(exc.lines)))
            return None
        self.after_save(saved)
        self.saved.emit(saved)
        return saved

    def after_save(self, saved: Any) -> None:
        """Ready for the next entry: keep the date, clear the rest."""
        keep = {k: v for k, v in self.snapshot().items() if k == "date"}
        self.clear()
        self._restore(keep)
        self._reset_history()
        self.status.setText(self.tr("Saved {item}.").format(item=describe(saved)))
        self.focus_first()   # ready for the next entry
