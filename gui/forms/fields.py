"""Input widgets for form fields: each reads and writes one JSON-ready value.

An empty field means "not given" (None), never 0: "missing is not zero".
Typed text that is not a number is passed through as text so the domain
validator can name the problem ("must be a number, not text").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget, QCheckBox, QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton,
    QVBoxLayout, QWidget,
)

import lang
from clinical.days import day_counters
from clinical.record import EventType
from gui.forms.dates import Refused, examples, parse_date, refusal_words, short_words

DATE_NOTE_STYLE = "color: #555;"
DATE_PROBLEM_STYLE = "color: #b00020;"   # as a form's field problems (item_form.ERROR_STYLE)
_CALENDAR_PARTS = {"qt_calendar_calendarview": QT_TRANSLATE_NOOP("DateField", "Days of the month"),
                   "qt_calendar_prevmonth": QT_TRANSLATE_NOOP("DateField", "Previous month"),
                   "qt_calendar_nextmonth": QT_TRANSLATE_NOOP("DateField", "Next month"),
                   "qt_calendar_monthbutton": QT_TRANSLATE_NOOP("DateField", "Month"),
                   "qt_calendar_yearbutton": QT_TRANSLATE_NOOP("DateField", "Year"),
                   "qt_calendar_yearedit": QT_TRANSLATE_NOOP("DateField", "Year")}
# Typed names may be separated as a Chinese keyboard types them, too.
_LIST_SEPARATORS = re.compile(r"[,，、]")


def plain_label(label: str) -> str:
    """A label without its keyboard mnemonic: '&Temperature' -> 'Temperature', '&&' -> '&',
    and the Chinese way of giving one, '体温(&P)' -> '体温' (not '体温(P)')."""
    label = _MNEMONIC_SUFFIX.sub("", label)
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&")


# "(&P)" after a label that has no letter of its own to underline.
_MNEMONIC_SUFFIX = re.compile(r"\s*[(（]&[^&\s][)）]")


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
        self.edit.setPlaceholderText(placeholder or self.tr("not assessed"))
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
    """Comma-separated names (e.g. vasopressors) as a list; empty -> None.

    With ``names``, the name being typed completes inline once its first letters
    fit one known name ("nor" -> "nor|epinephrine", the rest selected): typing on
    replaces the suggestion, Tab or a comma keeps it. Nothing is completed while
    deleting, and any other name may still be typed in full.

    ``aliases`` maps other names of the same things (the Chinese 多巴胺) to the name
    the record stores (dopamine): they complete too (from one character, as a Chinese
    name is typed), and the list saved holds the stored name. The text stays as typed
    and a note under it says what is stored ("多巴胺 → dopamine"), so the change is seen.
    A Chinese comma or 、 separates names as a comma does.
    """

    def __init__(self, key: str, label: str, *, placeholder: str = "",
                 names: Sequence[str] = (), aliases: Mapping[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(key, label, placeholder=placeholder, parent=parent)
        self._names = tuple(names)
        self._aliases = dict(aliases or {})
        if self._names or self._aliases:
            self.edit.textEdited.connect(self._complete)
            self.edit.installEventFilter(self)
        self._last = ""
        self.stored_note = QLabel()
        self.stored_note.setStyleSheet(DATE_NOTE_STYLE)
        self.stored_note.setWordWrap(True)
        self.stored_note.setAccessibleName(self.tr("{field}: saved as").format(field=self.name))
        self.stored_note.setVisible(False)
        self._layout.removeWidget(self.edit)
        column = QVBoxLayout()
        column.setSpacing(1)
        column.addWidget(self.edit)
        column.addWidget(self.stored_note)
        self._layout.addLayout(column, 1)
        if self._aliases:
            self.edit.textChanged.connect(self._show_stored)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # A comma after a suggestion keeps it: drop the selection before the comma lands
        # (typed as a key, or committed by a Chinese input method).
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            typed = event.text()
        elif watched is self.edit and event.type() == QEvent.Type.InputMethod:
            typed = event.commitString()[:1]
        else:
            return False
        if (typed and _LIST_SEPARATORS.fullmatch(typed) and self.edit.hasSelectedText()
                and self.edit.selectionStart() + len(self.edit.selectedText())
                == len(self.edit.text())):
            self.edit.end(False)
        return False

    def _complete(self, text: str) -> None:
        grew = len(text) > len(self._last) and text.startswith(self._last)
        self._last = text
        if not grew or self.edit.cursorPosition() != len(text):
            return
        word = _LIST_SEPARATORS.split(text)[-1].lstrip()
        if len(word) < (1 if word and not word.isascii() else 2):
            return
        fits = [n for n in (*self._names, *self._aliases) if n.startswith(word.lower())]
        if len(fits) != 1 or fits[0] == word.lower():
            return
        rest = fits[0][len(word):]
        self.edit.setText(text + rest)
        self.edit.setSelection(len(text), len(rest))

    def _typed(self) -> list[str]:
        return [part.strip() for part in _LIST_SEPARATORS.split(self.edit.text()) if part.strip()]

    def _show_stored(self) -> None:
        """Say which typed names are stored under another name (多巴胺 → dopamine)."""
        mapped = [(t, self._aliases[t]) for t in self._typed() if t in self._aliases]
        text = ""
        if mapped:
            pairs = lang.separators(lang.current())["comma"].join(
                f"{typed} \u2192 {stored}" for typed, stored in mapped)
            text = self.tr("Saved as: {pairs}").format(pairs=pairs)
        self.stored_note.setText(text)
        self.stored_note.setVisible(bool(text))

    def value(self) -> Any:
        items = [self._aliases.get(t, t) for t in self._typed()]
        return items or None

    def set_value(self, value: Any) -> None:
        self.edit.setText(", ".join(value) if value else "")


class ChoiceField(FieldWidget):
    """One of a fixed list; ``optional`` adds a first "—" entry meaning not given."""

    def __init__(self, key: str, label: str, choices: Sequence[tuple[str, str]], *,
                 optional: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(key, label, parent)
        self.choices = dict(choices)   # stored value -> as the list shows it
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
    """A calendar date typed as one piece of text, or picked from a calendar.

    One QLineEdit, so one Tab enters and one Tab leaves, and "-" is a character, never a
    jump to another section (a QDateEdit shown as yyyy-MM-dd turned a typed 2025-04-10
    into 2025-11-04). What it reads is gui/forms/dates.py: year first (2025-04-10,
    20250410, 2025/4/10) or t, t-3, t+1; anything ambiguous or impossible is refused with
    the reason just under the text, never guessed. Leaving the field rewrites an accepted
    date as 2025-04-10, so what is saved is what is shown. Under it, small: the weekday,
    the month by name and the day counters of that date (``set_anchors``). Alt+Down or F4
    opens the calendar (arrows move, Enter picks, Esc closes without a change).

    ``today_by_default``: an empty value (a cleared form) shows today, as the item forms
    always did; False keeps an optional date (birth date) empty. ``echo``: False shows
    only problems under it (where the day counters are already on screen).
    """

    committed = Signal(object)   # date | None: on leaving the field, Enter, or a pick
    # How many date fields this process has made: the workspace looks for its date
    # fields again (to show them the patient's day counters) only when one was made since.
    made = 0

    def __init__(self, key: str, label: str, *, today_by_default: bool = True,
                 echo: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(key, label, parent)
        DateField.made += 1
        self._today_by_default = today_by_default
        self._echo = echo
        self._anchors: dict[EventType, date] = {}
        self.popup: QFrame | None = None              # built on first use
        self.calendar: QCalendarWidget | None = None
        self.edit = QLineEdit()
        self.edit.setAccessibleName(self.name)
        self.edit.setPlaceholderText(self.tr("yyyy-mm-dd"))
        self.edit.setToolTip(self.tr(
            "Type the date year first: {examples}.\nAlt+Down or F4 opens a calendar.").format(examples=examples()))
        metrics = self.edit.fontMetrics()
        self.edit.setMinimumWidth(metrics.horizontalAdvance("8888-88-88") + 12)
        self.edit.setMaximumWidth(metrics.horizontalAdvance("8888-88-88 ") + 40)
        self.edit.installEventFilter(self)
        # The calendar button is for the mouse: the keyboard has Alt+Down, and a second
        # Tab stop would bring back the extra Tabs this field exists to remove.
        self.pick = QToolButton()
        self.pick.setText("\u25be")
        self.pick.setFixedWidth(18)
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pick.setAccessibleName(self.tr("Pick the {field} from a calendar").format(
            field=self.name.lower() if lang.current() == lang.EN else self.name))
        self.pick.setToolTip(self.tr("Calendar (Alt+Down or F4)"))
        self.pick.clicked.connect(self.show_calendar)
        self.note = QLabel()
        self.note.setAccessibleName(self.tr("{field}: weekday and day counters").format(
            field=self.name))
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.note.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.note.setFont(font)
        # The note goes just under the text, not to its right: the forms' field column is
        # narrow beside the plots, and a note wrapped into a tall column pushed the date
        # away from its label.
        row = QHBoxLayout()
        row.setSpacing(2)
        row.addWidget(self.edit)
        row.addWidget(self.pick)
        row.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(1)
        column.addLayout(row)
        column.addWidget(self.note)
        self._layout.addLayout(column, 1)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._on_text)
        self.edit.editingFinished.connect(self._on_editing_finished)
        self.set_value(None)

    # --- reading ------------------------------------------------------------------------
    def reading(self) -> date | None | Refused:
        return parse_date(self.edit.text(), date.today())

    def date(self) -> date | None:
        """The date typed, or None (empty or refused)."""
        when = self.reading()
        return when if isinstance(when, date) else None

    def problem(self) -> str | None:
        """Why the text is refused, in words naming the field; None when it is read."""
        when = self.reading()
        return refusal_words(when, self.name) if isinstance(when, Refused) else None

    def value(self) -> Any:
        """The ISO date, None when empty, or the text as typed when refused (so the domain
        validator names the field and nothing is saved)."""
        when = self.reading()
        if isinstance(when, Refused):
            return when.text
        return None if when is None else when.isoformat()

    def set_value(self, value: Any) -> None:
        if value is None and self._today_by_default:
            value = date.today()
        if isinstance(value, date):
            value = value.isoformat()
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit

    def set_anchors(self, anchors: Mapping[EventType, date]) -> None:
        """The patient's day-0 dates (CAR-T, HSCT) for the counters shown beside the date."""
        self._anchors = dict(anchors)
        self._show_note()

    # --- showing --------------------------------------------------------------------------
    def _on_text(self) -> None:
        self._show_note()
        self.changed.emit()

    def _show_note(self) -> None:
        when = self.reading()
        if isinstance(when, Refused):
            text = refusal_words(when, self.name)
            self.note.setStyleSheet(DATE_PROBLEM_STYLE)
        else:
            text = ""
            if isinstance(when, date) and self._echo:
                counters = lang.render(day_counters(when, self._anchors))
                text = short_words(when) + (f" \u00b7 {counters}" if counters else "")
            self.note.setStyleSheet(DATE_NOTE_STYLE)
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.edit.setAccessibleDescription(text)

    def _on_editing_finished(self) -> None:
        when = self.reading()
        if isinstance(when, date) and self.edit.text() != when.isoformat():
            self.edit.setText(when.isoformat())   # t-3, 20250410 -> 2025-04-07, 2025-04-10
        self.committed.emit(when if isinstance(when, date) else None)

    # --- the calendar -----------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            key: QKeyEvent = event  # type: ignore[assignment]
            if key.key() == Qt.Key.Key_F4 or (
                    key.key() == Qt.Key.Key_Down
                    and key.modifiers() & Qt.KeyboardModifier.AltModifier):
                self.show_calendar()
                return True
        elif obj is self.popup and event.type() == QEvent.Type.Hide:
            self.edit.setFocus()   # Esc or a click outside: back to the text, unchanged
        return super().eventFilter(obj, event)

    def _build_calendar(self) -> tuple[QFrame, QCalendarWidget]:
        calendar = QCalendarWidget()
        calendar.setGridVisible(True)
        calendar.setAccessibleName(self.tr("{field} calendar").format(field=self.name))
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        for child, name in _CALENDAR_PARTS.items():  # Qt leaves these unnamed
            part = calendar.findChild(QWidget, child)
            if part is not None:
                part.setAccessibleName(QCoreApplication.translate("DateField", name))
        # A popup like QDateEdit's own: arrows move, Enter picks, Esc closes.
        popup = QFrame(self, Qt.WindowType.Popup)
        popup.setFrameShape(QFrame.Shape.StyledPanel)
        popup.setAccessibleName(self.tr("{field} calendar").format(field=self.name))
        layout = QVBoxLayout(popup)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(calendar)
        popup.installEventFilter(self)
        return popup, calendar

    def show_calendar(self) -> None:
        """Open the calendar under the field on the typed date (or today)."""
        if self.popup is None or self.calendar is None:
            self.popup, self.calendar = self._build_calendar()
        when = self.date() or date.today()
        self.calendar.setSelectedDate(QDate(when.year, when.month, when.day))
        self.popup.adjustSize()
        self.popup.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        self.popup.show()
        self.calendar.setFocus()

    def _picked(self, picked: QDate) -> None:
        self.set_value(picked.toPython())
        if self.popup is not None:
            self.popup.close()
        self.edit.setFocus()
        self.edit.selectAll()
        self.committed.emit(self.date())
