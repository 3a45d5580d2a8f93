"""Input widgets for form fields: each reads and writes one JSON-ready value.

An empty field means "not given" (None), never 0: "missing is not zero".
Typed text that is not a number is passed through as text so the domain
validator can name the problem ("must be a number, not text").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QWidget,
)


def plain_label(label: str) -> str:
    """A label without its keyboard mnemonic: '&Temperature' -> 'Temperature', '&&' -> '&'."""
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&")


class FieldWidget(QWidget):
    """Base: a labelled input with ``value()``, ``set_value()`` and ``changed``.

    ``label`` keeps its mnemonic for the QLabel; ``name`` is the words alone, for
    messages and screen readers.
    """

    changed = Signal()

    def __init__(self, key: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.label = label
        self.name = plain_label(label)
        self.setAccessibleName(self.name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._layout = layout

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self


def _number_or_text(text: str) -> Any:
    text = text.strip().replace(",", ".") if text.count(",") == 1 and "." not in text else text.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return text  # the validator will say "must be a number"
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


class NumberField(FieldWidget):
    """A number typed as text, with its unit shown beside it."""

    def __init__(self, key: str, label: str, unit: str = "", *, integer: bool = False,
                 placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(key, label, parent)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(self.name)
        self.edit.setPlaceholderText(placeholder or "not assessed")
        self.edit.setMaximumWidth(140)
        self.edit.textChanged.connect(self.changed)
        self._integer = integer
        self._layout.addWidget(self.edit)
        if unit:
            self._layout.addWidget(QLabel(unit))
        self._layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self) -> Any:
        return _number_or_text(self.edit.text())

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else _format_number(value))

    def focus_widget(self) -> QWidget:
        return self.edit


def _format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class TextField(FieldWidget):
    def __init__(self, key: str, label: str, *, placeholder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(key, label, parent)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(self.name)
        self.edit.setPlaceholderText(placeholder)
        self.edit.textChanged.connect(self.changed)
        self._layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def value(self) -> Any:
        text = self.edit.text().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class ListField(TextField):
    """Comma-separated names (e.g. vasopressors) as a list; empty -> None."""

    def value(self) -> Any:
        items = [part.strip() for part in self.edit.text().split(",") if part.strip()]
        return items or None

    def set_value(self, value: Any) -> None:
        self.edit.setText(", ".join(value) if value else "")


class ChoiceField(FieldWidget):
    """One of a fixed list; ``optional`` adds a first "—" entry meaning not given."""

    def __init__(self, key: str, label: str, choices: Sequence[tuple[str, str]], *,
                 optional: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(key, label, parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName(self.name)
        if optional:
            self.combo.addItem("—", None)
        for value, text in choices:
            self.combo.addItem(text, value)
        self.combo.currentIndexChanged.connect(self.changed)
        self._layout.addWidget(self.combo)
        self._layout.addStretch(1)
        self.setFocusProxy(self.combo)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widget(self) -> QWidget:
        return self.combo


class CheckField(FieldWidget):
    """A yes/no finding; unchecked is an explicit "no"."""

    def __init__(self, key: str, label: str, text: str = "", *,
                 parent: QWidget | None = None) -> None:
        super().__init__(key, label, parent)
        self.box = QCheckBox(text or label)
        self.box.setAccessibleName(self.name)
        self.box.toggled.connect(self.changed)
        self._layout.addWidget(self.box)
        self._layout.addStretch(1)
        self.setFocusProxy(self.box)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def focus_widget(self) -> QWidget:
        return self.box


class DateField(FieldWidget):
    """A calendar date, today by default, typed or picked."""

    def __init__(self, key: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(key, label, parent)
        self.edit = QDateEdit()
        self.edit.setAccessibleName(self.name)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate.currentDate())
        self.edit.dateChanged.connect(self.changed)
        self._layout.addWidget(self.edit)
        self._layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self) -> Any:
        return self.edit.date().toString(Qt.DateFormat.ISODate)

    def set_value(self, value: Any) -> None:
        if isinstance(value, date):
            value = value.isoformat()
        self.edit.setDate(QDate.fromString(value, Qt.DateFormat.ISODate) if value
                          else QDate.currentDate())

    def focus_widget(self) -> QWidget:
        return self.edit
