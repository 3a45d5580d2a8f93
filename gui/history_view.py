"""History: the patient's audit trail, newest first, in words.

Each row says when (local time), who, on which workstation, what item, what happened
(added, corrected, voided), the fields that changed (old → new), the reason and, for a
signed change (a void, a graded assessment's correction), the signature.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QSplitter, QTableView,
    QVBoxLayout, QWidget,
)

import lang
from clinical.audit import CORRECTED_BECAUSE, VOIDED_BECAUSE, AuditAction, AuditEntry
from clinical.messages import msg
from gui.bridge import StoreBridge
from gui.models.item_table_model import Column, ItemTableModel
from storage.sql import ConnectionLost

# The keys of lists edited in a grid rather than a form: a lab row, a course's drug line.
GRID_FIELDS = {
    "labs": {"date": QT_TRANSLATE_NOOP("HistoryView", "date"),
             "value": QT_TRANSLATE_NOOP("HistoryView", "value"),
             "unit": QT_TRANSLATE_NOOP("HistoryView", "unit"),
             "lln": QT_TRANSLATE_NOOP("HistoryView", "lower limit"),
             "uln": QT_TRANSLATE_NOOP("HistoryView", "upper limit")},
    "drug_lines": {"drug": QT_TRANSLATE_NOOP("HistoryView", "drug"),
                   "dose": QT_TRANSLATE_NOOP("HistoryView", "dose"),
                   "unit": QT_TRANSLATE_NOOP("HistoryView", "unit"),
                   "days": QT_TRANSLATE_NOOP("HistoryView", "days"),
                   "doses_per_day": QT_TRANSLATE_NOOP("HistoryView", "doses per day"),
                   "route": QT_TRANSLATE_NOOP("HistoryView", "route")},
}

# A yes/no finding (a tick box) as History shows it.
YES_NO = (QT_TRANSLATE_NOOP("HistoryView", "yes"), QT_TRANSLATE_NOOP("HistoryView", "no"))

ACTIONS = {AuditAction.INSERT: QT_TRANSLATE_NOOP("HistoryView", "added"),
           AuditAction.UPDATE: QT_TRANSLATE_NOOP("HistoryView", "corrected"),
           AuditAction.VOID: QT_TRANSLATE_NOOP("HistoryView", "voided")}

# The record's lists as the reader's language names them (the audit keeps the names).
TABLES = {"patients": QT_TRANSLATE_NOOP("HistoryView", "patients"),
          "courses": QT_TRANSLATE_NOOP("HistoryView", "courses"),
          "drug_lines": QT_TRANSLATE_NOOP("HistoryView", "drug lines"),
          "events": QT_TRANSLATE_NOOP("HistoryView", "events"),
          "labs": QT_TRANSLATE_NOOP("HistoryView", "labs"),
          "marrow": QT_TRANSLATE_NOOP("HistoryView", "marrow"),
          "measurements": QT_TRANSLATE_NOOP("HistoryView", "measurements"),
          "assessments": QT_TRANSLATE_NOOP("HistoryView", "assessments")}


def _tr(english: str) -> str:
    return QCoreApplication.translate("HistoryView", english)


def action_word(action: AuditAction | str) -> str:
    """'corrected' in the window's language."""
    english = ACTIONS.get(action)  # type: ignore[call-overload]
    return _tr(english) if english else str(action)

# Bookkeeping the reader does not need: identity, order, versions, the void flag (the
# action says it) and the void reason (the Reason column says it).
SKIPPED = frozenset({"id", "patient_id", "course_id", "seq", "version", "voided", "void_reason",
                     "search_key"})

# What names an item after its date: the lab test, the event type, the course name...
NAMING_KEYS = ("test", "type", "kind", "name", "drug", "mrn")


def local_time(at: str) -> str:
    """'2025-07-22T08:03:00.000Z' -> '2025-07-22 10:03' in this computer's time zone."""
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


@dataclass
class Words:
    """How the forms name each field and stored value, by audit table, in the reader's
    language: History says "Temperature (highest): 38.9 → 38.6" and "events 2025-06-01
    transfusion" in the words of the form that was typed into, not the record's keys
    (a key no form names is shown as stored)."""

    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    values: dict[tuple[str, str], dict[Any, str]] = field(default_factory=dict)

    def add_form(self, table: str, fields: Mapping[str, Any]) -> None:
        """A form's fields (FieldWidgets by key): each one's words, and a choice's items."""
        self.add_names(table, {key: widget.name for key, widget in fields.items()})
        for key, widget in fields.items():
            choices = getattr(widget, "choices", None)
            if choices:
                self.values.setdefault((table, key), {}).update(choices)

    def add_values(self, table: str, key: str, shown: Mapping[Any, str]) -> None:
        self.values.setdefault((table, key), {}).update(shown)

    def add_names(self, table: str, names: Mapping[str, str]) -> None:
        """Names of keys, already in the reader's language (a form's field keeps its own)."""
        for key, name in names.items():
            self.labels.setdefault((table, key), name)

    def add_labels(self, table: str, labels: Mapping[str, str]) -> None:
        """Words for keys no form field names, by their English (translated here)."""
        self.add_names(table, {key: _tr(english) for key, english in labels.items()})

    def label(self, table: str, key: str) -> str:
        return self.labels.get((table, key), key)

    def value(self, table: str, key: str, value: Any) -> str:
        shown = self.values.get((table, key))
        if shown and isinstance(value, list):
            return _value([shown.get(v, v) if isinstance(v, str) else v for v in value])
        if shown and isinstance(value, str) and value in shown:
            return shown[value]
        return _value(value)


NO_WORDS = Words()   # the record's own keys and values (never added to)


def describe(entry: AuditEntry, words: Words = NO_WORDS) -> str:
    """'labs 2025-07-22 wbc', 'courses 2024-06-18 CP pre-phase', 'patients DEMO-1'."""
    row = entry.new or entry.old or {}
    table = TABLES.get(entry.table)
    parts = [_tr(table) if table else entry.table.replace("_", " ")]
    when = row.get("date") or row.get("start_date")
    if when:
        parts.append(str(when))
    for key in NAMING_KEYS:
        if row.get(key):
            parts.append(words.value(entry.table, key, row[key]))
            break
    return " ".join(parts)


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _tr(YES_NO[0] if value else YES_NO[1])
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "—"
    return str(value)


def _as_mapping(value: Any) -> dict[str, Any] | None:
    """Findings, details and the like are stored as JSON text: compare them key by key."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.startswith("{"):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _diff(table: str, old: dict[str, Any], new: dict[str, Any], words: Words,
          prefix: str = "") -> list[str]:
    changes = []
    for key in sorted(set(old) | set(new)):
        if not prefix and key in SKIPPED:
            continue
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        nested_before, nested_after = _as_mapping(before), _as_mapping(after)
        if nested_before is not None or nested_after is not None:
            nested = _diff(table, nested_before or {}, nested_after or {}, words,
                           f"{prefix}{key}.")
            if nested:
                changes.extend(nested)
                continue
        path = prefix + key
        changes.append(f"{words.label(table, path)}: {words.value(table, path, before)} → "
                       f"{words.value(table, path, after)}")
    return changes


def signature_text(entry: AuditEntry, names: dict[str, str] | None = None) -> str:
    """'signed by Dr Phil (phil) 2025-07-22 10:03: voided because entered twice'
    (empty when unsigned)."""
    signature = entry.signature
    if not signature:
        return ""
    by = str(signature.get("by", ""))
    shown = (names or {}).get(by)
    who = f"{shown} ({by})" if shown and shown != by else by
    at = local_time(str(signature.get("at", "")))
    return QCoreApplication.translate("HistoryView", "signed by {who} {at}: {meaning}").format(
        who=who, at=at, meaning=_meaning(str(signature.get("meaning", ""))))


def _meaning(text: str) -> str:
    """What was signed, in the reader's language: the audit keeps the English sentence
    ("voided because entered twice"); the two sentences hemalog asks to sign are said
    again from their templates with the reason as typed, any other text as stored."""
    for template in (VOIDED_BECAUSE, CORRECTED_BECAUSE):
        opening = template.english.split("{reason}")[0]
        if text.startswith(opening) and len(text) > len(opening):
            return lang.render(msg(template, reason=text[len(opening):]))
    return lang.render(text)


def changes(entry: AuditEntry, words: Words = NO_WORDS) -> list[str]:
    """The fields a correction changed, 'weight_kg: 65 → 56' ('Weight: 65 → 56' in the
    forms' words); nothing for added/voided."""
    if entry.action is not AuditAction.UPDATE or entry.old is None or entry.new is None:
        return []
    return _diff(entry.table, entry.old, entry.new, words)


def added_values(entry: AuditEntry, words: Words = NO_WORDS) -> list[str]:
    """What an added item held, 'weight_kg: 65' (for the details of one entry)."""
    if entry.action is not AuditAction.INSERT or not entry.new:
        return []
    return [line.replace("— → ", "", 1) for line in _diff(entry.table, {}, entry.new, words)]


class HistoryView(QWidget):
    """The audit trail of the open patient; reloads on each change while it is shown.

    Columns are capped in width so that the changes and the reason stay in view beside
    the plots dock; the pane below the table spells out the selected entry in full.
    """

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.patient_id: int | None = None
        self._stale = True
        self._entries: list[AuditEntry] = []
        self._names: dict[str, str] = {}
        self.words = NO_WORDS    # the forms' words, once the workspace gives them
        self.model = ItemTableModel([
            Column(self.tr("When"), lambda e: local_time(e.at),
                   tooltip=lambda e: f"{e.at} (UTC)"),
            Column(self.tr("Who"), lambda e: self._names.get(e.user, e.user),
                   tooltip=lambda e: self.tr("user name: {name}").format(name=e.user)),
            Column(self.tr("Workstation"), lambda e: e.workstation or "",
                   tooltip=lambda e: e.workstation or self.tr("not recorded (before schema 3)")),
            Column(self.tr("What"), lambda e: describe(e, self.words)),
            Column(self.tr("Action"), lambda e: action_word(e.action)),
            Column(self.tr("Changes"), lambda e: "; ".join(changes(e, self.words)),
                   tooltip=lambda e: "\n".join(changes(e, self.words))),
            Column(self.tr("Reason"), lambda e: e.reason or "", tooltip=lambda e: e.reason or ""),
            Column(self.tr("Signature"), lambda e: signature_text(e, self._names),
                   tooltip=lambda e: signature_text(e, self._names)),
        ], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Audit trail"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("History summary"))
        self.changes_only = QCheckBox(self.tr("Only corrections and voids"))
        self.changes_only.setAccessibleName(self.tr("Show only corrections and voids"))
        self.details = QLabel()
        self.details.setAccessibleName(self.tr("Selected change"))
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setMargin(6)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.changes_only)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("history")  # its position is remembered
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.bridge.record_changed.connect(self._on_record_changed)
        self.changes_only.toggled.connect(lambda _on: self._show_entries())
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def show_patient(self, patient_id: int | None) -> None:
        self.patient_id = patient_id
        self._stale = True
        self.refresh_if_shown()

    def refresh(self) -> None:
        try:
            entries = [] if self.patient_id is None else sorted(
                self.bridge.history(self.patient_id), key=lambda e: e.id, reverse=True)
            names = {u.username: u.display_name for u in self.bridge.users()}
        except ConnectionLost:   # the last trail read stays; read again when shown next
            self.bridge.set_reachable(False)
            return
        self._stale = False
        self._entries, self._names = entries, names
        self._show_entries()

    def refresh_if_shown(self) -> None:
        # The trail can be long; read it only when someone looks at it.
        if self.isVisible():
            self.refresh()

    def _show_entries(self) -> None:
        shown = [e for e in self._entries if not self.changes_only.isChecked()
                 or e.action is not AuditAction.INSERT]
        self.model.set_items(shown)
        corrected = sum(e.action is AuditAction.UPDATE for e in self._entries)
        voided = sum(e.action is AuditAction.VOID for e in self._entries)
        self.summary.setText(
            "" if self.patient_id is None else
            self.tr("{n} changes, newest first: {corrected} corrected, {voided} voided. Nothing is ever deleted.")  # noqa: E501
            .format(n=len(self._entries), corrected=corrected, voided=voided))
        self._size_columns()
        self._on_selection_changed()

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        for column, widest in enumerate((130, 120, 110, 190, 80, 260, 200)):
            self.table.resizeColumnToContents(column)
            header.resizeSection(column, min(header.sectionSize(column), widest))

    def selected(self) -> AuditEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_at(rows[0].row()) if rows else None

    def _on_selection_changed(self, *_args: object) -> None:
        entry = self.selected()
        if entry is None:
            self.details.setText(self.tr("Select a row to see the change in full."))
            return
        who = self._names.get(entry.user)
        who = f"{who} ({entry.user})" if who and who != entry.user else entry.user
        lines = changes(entry, self.words) or added_values(entry, self.words)
        text = (f"<b>{escape(action_word(entry.action).capitalize())}</b> "
                f"{escape(describe(entry, self.words))} · {local_time(entry.at)} · {escape(who)}")
        if lines:
            text += "<br>" + "<br>".join(escape(line) for line in lines)
        if entry.reason:
            text += self.tr("<br><b>Reason:</b> {reason}").format(reason=escape(entry.reason))
        signed = signature_text(entry, self._names)
        if signed:
            text += self.tr("<br><b>Signature:</b> {signed}").format(signed=escape(signed))
        if entry.workstation:
            text += self.tr("<br><b>Workstation:</b> {workstation}").format(
                workstation=escape(entry.workstation))
        self.details.setText(text)

    def _on_record_changed(self, patient_id: int) -> None:
        if patient_id == self.patient_id:
            self._stale = True
            self.refresh_if_shown()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()
