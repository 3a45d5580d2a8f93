"""Labs as a grid: one row per date, a column per test; Enter saves the row.

Rows pasted from a spreadsheet (date, then values in column order) become
pending rows; each is checked like a typed one and saved with Enter or
"Save changed rows". Values may be typed in any accepted unit (chosen above
the grid); they are converted to the stored unit on save.

Each saved count (ANC, PLT, WBC, ALC, Hb) shows its CTCAE v5.0 grade as text after
the value ("0.3  G4"), a tint that darkens with the grade (readable in grey print)
and the reason as its tooltip. The grade is drawn by the delegate, never written into
the cell: the cell's text stays the value the clinician typed.
"""

from __future__ import annotations

from clinical.audit import VOIDED_BECAUSE
from clinical.messages import msg

import dataclasses
import functools
from datetime import date, timedelta
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QComboBox, QGridLayout, QHBoxLayout, QInputDialog, QLabel, QPushButton,
    QStyledItemDelegate, QStyleOptionViewItem, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

import lang
from clinical.errors import HemalogError
from clinical.grading.ctcae import LabCtcae, ctcae_terms, lab_ctcae
from clinical.record import Lab, LabTest
from clinical.record_schema import parse_item
from clinical.units import LAB_UNITS
from gui.bridge import StoreBridge
from gui.forms.dates import Refused, parse_date, refusal_words
from gui.forms.fields import _number_or_text
from gui.forms.item_form import ERROR_STYLE, error_words, plain_words
from gui.signature_dialog import ask_signature

TESTS = tuple(LabTest)
# English; test_name() gives them in the reader's language (the abbreviations stay).
TEST_NAMES = {"wbc": QT_TRANSLATE_NOOP("LabsGrid", "WBC"), "anc": QT_TRANSLATE_NOOP("LabsGrid", "ANC"), "alc": QT_TRANSLATE_NOOP("LabsGrid", "ALC"), "plt": QT_TRANSLATE_NOOP("LabsGrid", "PLT"), "hb": QT_TRANSLATE_NOOP("LabsGrid", "Hb"),
              "crp": QT_TRANSLATE_NOOP("LabsGrid", "CRP"), "ferritin": QT_TRANSLATE_NOOP("LabsGrid", "Ferritin"), "il6": QT_TRANSLATE_NOOP("LabsGrid", "IL-6"),
              "bilirubin": QT_TRANSLATE_NOOP("LabsGrid", "Bilirubin"), "creatinine": QT_TRANSLATE_NOOP("LabsGrid", "Creatinine"),
              "car_t_pct": QT_TRANSLATE_NOOP("LabsGrid", "CAR-T"), "tcr_pct": QT_TRANSLATE_NOOP("LabsGrid", "TCR")}


def _tr(text: str) -> str:
    return QCoreApplication.translate("LabsGrid", text)


def test_name(test: LabTest | str) -> str:
    """A lab test as the grid names it, in the reader's language."""
    key = test.value if isinstance(test, LabTest) else test
    return _tr(TEST_NAMES.get(key, key))
_BAD = QBrush(QColor("#fde7e9"))
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_PENDING = QBrush(QColor("#fff8d6"))

# CTCAE grade shown after a saved count. The tints are ColorBrewer "Purples" (a
# single-hue sequential scale, safe for colour-blind readers and kept apart from the
# yellow of pending rows and the pink of bad ones): each grade is clearly darker than
# the one before, so they also separate in grey print. The text carries the grade;
# the tint only helps the eye.
GRADE_ROLE = Qt.ItemDataRole.UserRole + 1   # the grade label the delegate draws
GRADE_TINTS = {1: QColor("#efedf5"), 2: QColor("#bcbddc"), 3: QColor("#807dba"),
               4: QColor("#3f007d")}
_TINT_BRUSHES = {grade: QBrush(tint) for grade, tint in GRADE_TINTS.items()}
_LIGHT_TEXT = QBrush(QColor("#ffffff"))     # on a dark tint (grade 4)
UNGRADED = "G\u22641"                        # "G≤1": above the grade 2 cut, no LLN to split 1 from 0
_GRADED = frozenset(ctcae_terms())            # the tests graded per value: anc, plt, wbc, alc, hb
GRADE_GAP = "  "                             # between the value and its grade label


def grade_label(ctcae: LabCtcae) -> str:
    """'G0'..'G4', or 'G≤1' when the lab gave no LLN to decide between grade 1 and 0."""
    return UNGRADED if ctcae.grade is None else f"G{ctcae.grade}"


def _is_dark(color: QColor) -> bool:
    return color.lightness() < 128


class _Look(NamedTuple):
    """How a saved count's grade is shown."""

    label: str               # after the value: "G4", or "G≤1"
    tip: str                 # the reason, as the tooltip
    spoken: str              # for a screen reader, after the value
    tint: QBrush | None      # grades 1-4
    ink: QBrush | None       # light text on a dark tint


@functools.lru_cache(maxsize=1 << 16)
def _look(test: LabTest, value: float, lln: float | None, unit: str, shown_unit: str,
          language: str = lang.EN) -> _Look | None:
    """The grade of one stored value as shown, or None for a test CTCAE does not grade
    here. Cached (per language): the whole grid is filled again after every save."""
    ctcae = lab_ctcae(test, value, lln)
    if ctcae is None:
        return None
    tip = lang.render(ctcae.reason(), language)
    if shown_unit != unit:
        tip += "\n" + QCoreApplication.translate("LabsGrid", "Shown in {shown}; graded in the stored unit, {unit}.").format(
            shown=shown_unit, unit=unit)
    spoken = (QCoreApplication.translate("LabsGrid", "not graded, no LLN") if ctcae.grade is None
              else QCoreApplication.translate("LabsGrid", "CTCAE grade {grade}").format(grade=ctcae.grade))
    tint = _TINT_BRUSHES.get(ctcae.grade or 0)
    ink = _LIGHT_TEXT if tint is not None and _is_dark(tint.color()) else None
    return _Look(grade_label(ctcae), tip, spoken, tint, ink)


def legend_html() -> str:
    """The legend under the grid: each grade label on its own tint."""
    def chip(grade: int) -> str:
        tint = GRADE_TINTS[grade]
        ink = "#ffffff" if _is_dark(tint) else "#000000"
        return (f'<span style="background-color:{tint.name()}; color:{ink}">'
                f'&nbsp;G{grade}&nbsp;</span>')
    return QCoreApplication.translate("LabsGrid", "<b>CTCAE v5.0</b> grade after each saved count: {chips} (darker is worse); G0 not below the lab's LLN; {ungraded} grade 0 or 1, the lab gave no LLN. Point at a value for why.").format(  # noqa: E501
        chips=" ".join(chip(g) for g in sorted(GRADE_TINTS)), ungraded=UNGRADED)


class _GradeDelegate(QStyledItemDelegate):
    """Draws a saved count's grade label after its value; the editor gets the value only."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        label = index.data(GRADE_ROLE)
        if label:
            option.text = f"{option.text}{GRADE_GAP}{label}"


class _StatusLine(QWidget):
    """The grid's one-line status ("Saved the labs of 2025-04-10."): a QLabel in a widget
    of its own, which asks the layouts for room only when a new text needs another size.

    A QLabel in a layout has every layout up to the window worked out again whenever its
    text changes, and the tab widget holding the grid then repaints the whole Labs
    section (table, legend, unit lists): after each value saved that was about half of
    the time until the plot showed it. Texts of the same size (the next date saved) now
    repaint the line alone; a longer or shorter one is laid out as before."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)   # no layout: a LayoutRequest from it stops here
        self._hints = (self.label.sizeHint(), self.label.minimumSizeHint())

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802
        self.label.setText(text)
        hints = (self.label.sizeHint(), self.label.minimumSizeHint())
        if hints != self._hints:
            self._hints = hints
            self.updateGeometry()

    def setAccessibleName(self, name: str) -> None:  # noqa: N802
        self.label.setAccessibleName(name)

    def accessibleName(self) -> str:  # noqa: N802
        return self.label.accessibleName()

    def sizeHint(self) -> QSize:  # noqa: N802
        return self._hints[0]

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self._hints[1]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self.label.resize(event.size())
        super().resizeEvent(event)


def _text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class LabsGrid(QWidget):
    """The labs grid for one patient."""

    row_saved = Signal(str)   # ISO date

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.patient_id: int | None = None
        self._saved: dict[tuple[str, LabTest], Lab] = {}   # (ISO date, test): lab shown
        self._labs: list[Lab] = []   # the saved labs last given (indexed in _saved when shown)
        self._saving_row = -1
        self._last_saved_iso: str | None = None
        self._touched: list[QTableWidgetItem] = []   # date cells of rows typed in or added
        self._waiting: list[tuple[str | None, str, dict[LabTest, str]]] = []
        self._stale = False
        self.units: dict[LabTest, QComboBox] = {}
        unit_bar = QGridLayout()
        unit_bar.addWidget(QLabel(self.tr("Type values in:")), 0, 0)
        for test in TESTS:
            choices = list(LAB_UNITS[test])
            if len(choices) > 1:
                combo = QComboBox()
                combo.addItems(choices)
                combo.setAccessibleName(self.tr("{test} unit").format(test=test_name(test)))
                combo.setProperty("previous", 0)
                combo.currentIndexChanged.connect(self._on_unit_changed)
                self.units[test] = combo
                place = len(self.units) - 1
                row, col = divmod(place, 3)
                unit_bar.addWidget(QLabel(test_name(test)), row, 1 + 2 * col)
                unit_bar.addWidget(combo, row, 2 + 2 * col)
        unit_bar.setColumnStretch(7, 1)
        self.table = QTableWidget(0, len(TESTS) + 1)
        self.table.setAccessibleName(self.tr("Labs grid"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.installEventFilter(self)
        self.table.setItemDelegate(_GradeDelegate(self.table))
        # Enter in an open cell editor commits the cell and saves the row at once.
        self.table.itemDelegate().closeEditor.connect(self._on_close_editor)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setAccessibleName(self.tr("Labs problems"))
        self.status = _StatusLine()
        self.status.setAccessibleName(self.tr("Labs save status"))
        new_row = QPushButton(self.tr("&New row"))
        new_row.setAccessibleName(self.tr("New lab row"))
        new_row.clicked.connect(lambda: self.add_row(date.today().isoformat(), focus=True))
        save_all = QPushButton(self.tr("Save &changed rows"))
        save_all.setAccessibleName(self.tr("Save changed lab rows"))
        save_all.clicked.connect(self.save_changed_rows)
        buttons = QHBoxLayout()
        buttons.addWidget(new_row)
        buttons.addWidget(save_all)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(unit_bar)
        layout.addWidget(self.table)
        self.legend = QLabel(legend_html())
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName(self.tr("CTCAE grade legend"))
        layout.addWidget(self.legend)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        hint = QLabel(self.tr("Tab moves across; Enter saves the row and offers the next day's. Paste rows from a spreadsheet: date, then values in column order."))  # noqa: E501
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self._update_headers()

    # --- units ----------------------------------------------------------------------------
    def unit_of(self, test: LabTest) -> str:
        combo = self.units.get(test)
        return combo.currentText() if combo else next(iter(LAB_UNITS[test]))

    def _factor(self, test: LabTest) -> float:
        return LAB_UNITS[test][self.unit_of(test)]

    def _update_headers(self) -> None:
        labels = [self.tr("Date")] + [f"{test_name(t)}\n{self.unit_of(t)}" for t in TESTS]
        self.table.setHorizontalHeaderLabels(labels)
        # Columns as wide as a value, its grade label and the header need, no wider: at
        # 1366 pixels beside the plots the counts must fit without scrolling sideways.
        cells = self.table.fontMetrics()
        heads = self.table.horizontalHeader().fontMetrics()
        for col, label in enumerate(labels):
            if col == 0:
                sample = "8888-88-88"
            elif TESTS[col - 1] in _GRADED:
                sample = "888.88" + GRADE_GAP + UNGRADED
            else:
                sample = "8888.88"
            width = max(cells.horizontalAdvance(sample),
                        *(heads.horizontalAdvance(line) for line in label.split("\n")))
            self.table.setColumnWidth(col, width + 18)

    def _on_unit_changed(self) -> None:
        combo = self.sender()
        if self.is_dirty() and isinstance(combo, QComboBox):
            # Typed values are in the old unit: switching now would change their meaning.
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.property("previous") or 0)
            combo.blockSignals(False)
            self.status.setText(self.tr("Save the changed rows before switching units."))
            return
        if isinstance(combo, QComboBox):
            combo.setProperty("previous", combo.currentIndex())
        self._update_headers()
        self._fill()

    # --- data ------------------------------------------------------------------------------
    def set_labs(self, patient_id: int | None, labs: list[Lab]) -> None:
        """Show a patient's saved labs; unsaved rows of the same patient stay."""
        if self._saving_row >= 0:
            return  # mid-save: save_row reloads once when the whole row is written
        pending = self._pending_rows() if patient_id == self.patient_id else []
        self._show(patient_id, labs, pending)

    def _show(self, patient_id: int | None, labs: list[Lab],
              pending: list[tuple[str | None, str, dict[LabTest, str]]]) -> None:
        self.patient_id = patient_id
        # Years of daily counts make thousands of cells: build them (and the index of the
        # saved values they show) when the grid is first seen, not every time the
        # patient is opened or a value saved elsewhere.
        self._labs = labs
        self._waiting = pending
        self._stale = True
        if self.isVisible():
            self._render()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._render()

    def _render(self) -> None:
        """Rows for the saved labs, then the unsaved rows put back as they were typed."""
        pending, self._waiting, self._stale = self._waiting, [], False
        self._saved = {}
        for lab in self._labs:  # the latest saved value per date and test is the one shown
            self._saved[(lab.date.isoformat(), lab.test)] = lab
        self._fill()
        for original, iso, values in reversed(pending):
            row = self._row_of(original) if original else None
            if row is None:
                self.add_row(iso, values)
                continue
            self.table.blockSignals(True)
            self.table.item(row, 0).setText(iso)
            for col, test in enumerate(TESTS, start=1):
                self.table.item(row, col).setText(values[test])
            self.table.blockSignals(False)
            self._mark(row)

    def _touched_rows(self) -> list[int]:
        """Rows someone typed in or added (only these can differ from what is saved)."""
        rows = {self.table.row(item) for item in self._touched}
        return sorted(r for r in rows if r >= 0)

    def _pending_rows(self) -> list[tuple[str | None, str, dict[LabTest, str]]]:
        """(date saved under, date typed, every cell's text) for each unsaved row."""
        if self._stale:
            return list(self._waiting)
        out = []
        for row in self._touched_rows():
            if row != self._saving_row and self._row_changed(row):
                out.append((self.table.item(row, 0).data(Qt.ItemDataRole.UserRole),
                            self.table.item(row, 0).text(),
                            {t: self.table.item(row, c).text()
                             for c, t in enumerate(TESTS, start=1)}))
        return out

    def _row_of(self, iso: str) -> int | None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == iso:
                return row
        return None

    def _fill(self) -> None:
        dates = sorted({d for d, _ in self._saved}, reverse=True)
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.table.setRowCount(len(dates))
        for row, d in enumerate(dates):
            labs = {t: self._saved.get((d, t)) for t in TESTS}
            self._set_row(row, d, {t: self._shown(lab) for t, lab in labs.items()}, labs)
        self.table.blockSignals(False)
        self._touched = []
        self.message.setText("")

    def _shown(self, lab: Lab | None) -> str:
        if lab is None:
            return ""
        return _text(round(lab.value / self._factor(lab.test), 6))

    def _insert_row(self, iso: str, values: dict[LabTest, str], at: int | None = None) -> int:
        row = self.table.rowCount() if at is None else at
        self.table.insertRow(row)
        return self._set_row(row, iso, values)

    def _set_row(self, row: int, iso: str, values: dict[LabTest, str],
                 saved: dict[LabTest, Lab | None] | None = None) -> int:
        date_cell = QTableWidgetItem(iso)
        date_cell.setData(Qt.ItemDataRole.UserRole, iso)  # the date the row was saved under
        self.table.setItem(row, 0, date_cell)
        for col, test in enumerate(TESTS, start=1):
            cell = QTableWidgetItem(values.get(test, ""))
            cell.setData(Qt.ItemDataRole.UserRole, values.get(test, ""))
            cell.setTextAlignment(_RIGHT)
            lab = (saved or {}).get(test)
            if lab is not None and test in _GRADED:   # before it is in the table: no signals
                self._show_grade(cell, lab, None, fresh=True)
            self.table.setItem(row, col, cell)
        return row

    def _ensure_rendered(self) -> None:
        if self._stale:
            self._render()

    def add_row(self, iso: str, values: dict[LabTest, str] | None = None, *,
                focus: bool = False) -> int:
        """A new pending row at the top (typed or pasted)."""
        self._ensure_rendered()
        self.table.blockSignals(True)
        row = self._insert_row(iso, {}, at=0)
        self.table.item(row, 0).setData(Qt.ItemDataRole.UserRole, None)
        self._touched.append(self.table.item(row, 0))
        for col, test in enumerate(TESTS, start=1):
            self.table.item(row, col).setText((values or {}).get(test, ""))
        self.table.blockSignals(False)
        self._mark(row)
        if focus:   # on the date first: it is today, and a late entry is for another day
            self.table.setCurrentCell(row, 0)
            self.table.editItem(self.table.item(row, 0))
        return row

    def focus_grid(self) -> None:
        """Put the keyboard in the grid: on its current cell, else the first one; an
        empty grid starts a new row (today's, on its date cell) at once."""
        self._ensure_rendered()
        if not self.table.rowCount() and self.patient_id is not None:
            self.add_row(date.today().isoformat(), focus=True)
            return
        if (self.table.currentRow() < 0 or self.table.currentColumn() < 0) \
                and self.table.rowCount():
            self.table.setCurrentCell(0, 0)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def next_day(self, iso: str) -> str | None:
        """The date a row after ``iso`` is for when counts are entered day by day: the
        first later day, up to today, that has no row yet; None when there is none."""
        try:
            day = date.fromisoformat(iso)
        except ValueError:
            return None
        taken = {self.table.item(r, 0).text() for r in range(self.table.rowCount())}
        today = date.today()
        day += timedelta(days=1)
        while day <= today:
            if day.isoformat() not in taken:
                return day.isoformat()
            day += timedelta(days=1)
        return None

    def _save_and_continue(self, row: int) -> None:
        """Enter on a row: save it; after a new row, the next day's row opens on its
        date (typed over or accepted with Tab), so a week of counts is typed in one go."""
        was_new = 0 <= row < self.table.rowCount() and \
            self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) is None
        if not self.save_row(row) or not was_new:
            return
        saved = self._row_of(self._last_saved_iso) if self._last_saved_iso else None
        following = self.next_day(self._last_saved_iso or "")
        if following is None:
            if saved is not None:
                self.table.setCurrentCell(saved, 0)
            return
        # After the editor that pressed Enter has closed (this may run inside its signal).
        QTimer.singleShot(0, lambda: self._open_following(following))

    def _open_following(self, iso: str) -> None:
        taken = {self.table.item(r, 0).text() for r in range(self.table.rowCount())}
        if self.patient_id is not None and iso not in taken:
            self.add_row(iso, focus=True)
            self.status.setText(self.tr("{status} Next: {date} (type another date over it, or Esc).")
                                .format(status=self.status.text(), date=iso))

    # --- editing ---------------------------------------------------------------------------
    def _row_changed(self, row: int) -> bool:
        date_cell = self.table.item(row, 0)
        typed = any(self.table.item(row, c).text().strip() for c in range(1, len(TESTS) + 1))
        if date_cell.data(Qt.ItemDataRole.UserRole) is None and not typed:
            return False   # a new row with only its date: nothing to save or to lose yet
        if date_cell.data(Qt.ItemDataRole.UserRole) != date_cell.text().strip():
            return True
        return any(self.table.item(row, c).text().strip() !=
                   (self.table.item(row, c).data(Qt.ItemDataRole.UserRole) or "")
                   for c in range(1, len(TESTS) + 1))

    @property
    def saving(self) -> bool:
        """A row is being saved (its own refreshes wait until the whole row is written)."""
        return self._saving_row >= 0

    def is_dirty(self) -> bool:
        if self._stale:
            return bool(self._waiting)
        return any(self._row_changed(r) for r in self._touched_rows())

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        date_cell = self.table.item(item.row(), 0)
        if date_cell is not None and date_cell not in self._touched:
            self._touched.append(date_cell)
        self._mark(item.row())

    # --- the date cell: read like every date field (gui/forms/dates.py) ----------------------
    def _date_reading(self, row: int) -> date | None | Refused:
        return parse_date(self.table.item(row, 0).text(), date.today())

    def _row_iso(self, row: int) -> str:
        """The row's date as ISO text, or the text as typed when it is not read as a date."""
        when = self._date_reading(row)
        if isinstance(when, date):
            return when.isoformat()
        return self.table.item(row, 0).text().strip()

    def _normalise_date(self, row: int) -> None:
        """An accepted 20250410 or t-3 is shown as 2025-04-10: what is saved is what is shown.
        Called with the table's signals blocked."""
        cell = self.table.item(row, 0)
        when = self._date_reading(row)
        if isinstance(when, date) and cell.text() != when.isoformat():
            cell.setText(when.isoformat())

    def _row_docs(self, row: int) -> list[tuple[LabTest, dict[str, Any] | None, str]]:
        """(test, lab document or None when emptied, original text) for changed cells."""
        iso = self._row_iso(row)
        moved = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) not in (None, iso)
        out = []
        for col, test in enumerate(TESTS, start=1):
            cell = self.table.item(row, col)
            text, before = cell.text().strip(), cell.data(Qt.ItemDataRole.UserRole) or ""
            if text == before and not (moved and text):
                continue
            doc = None if not text else {"date": iso, "test": test.value,
                                         "value": _number_or_text(text),
                                         "unit": self.unit_of(test)}
            out.append((test, doc, before))
        return out

    def _check_row(self, row: int) -> list[str]:
        problems = []
        when = self._date_reading(row)
        refused = isinstance(when, Refused)
        if isinstance(when, Refused):   # said once for the row, not again for each value
            problems.append(refusal_words(when, self.tr("Date")))
        for test, doc, _ in self._row_docs(row):
            if doc is None:
                continue
            _, found = parse_item("labs", doc)
            problems.extend(self.tr("{date} {test}: {problem}").format(
                date=doc["date"], test=test_name(test), problem=plain_words(p.message))
                for p in found if not (refused and p.path == "date"))
        return problems

    def _mark(self, row: int) -> None:
        self.table.blockSignals(True)
        self._normalise_date(row)
        changed = self._row_changed(row)
        problems = self._check_row(row) if changed else []
        state = _BAD if problems else _PENDING if changed else None
        self.table.item(row, 0).setBackground(state or QBrush())
        for col in range(1, len(TESTS) + 1):
            self._show_grade(self.table.item(row, col), self._saved_lab(row, col), state)
        self.table.blockSignals(False)
        self.message.setText("\n".join(problems))

    # --- CTCAE grades (display only) ----------------------------------------------------------
    def _saved_lab(self, row: int, col: int) -> Lab | None:
        """The saved lab a cell shows, or None when the cell is empty or typed over."""
        cell = self.table.item(row, col)
        saved_iso = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        text = cell.text().strip()
        if saved_iso is None or not text or text != (cell.data(Qt.ItemDataRole.UserRole) or ""):
            return None
        return self._saved.get((saved_iso, TESTS[col - 1]))

    def _show_grade(self, cell: QTableWidgetItem, lab: Lab | None, state: QBrush | None, *,
                    fresh: bool = False) -> None:
        """The grade label, tooltip and tint of a saved count; the row's pending or bad
        colour (state) wins over the tint. Graded from the stored value, whatever the unit
        shown; the cell's text (the value) is never touched. A fresh cell (not yet in the
        table, no colours) needs nothing cleared."""
        look = None if lab is None else _look(lab.test, lab.value, lab.lln, lab.unit,
                                              self.unit_of(lab.test), lang.current())
        if look is None:
            if not fresh:
                cell.setData(GRADE_ROLE, None)
                cell.setToolTip("")
                cell.setData(Qt.ItemDataRole.AccessibleTextRole, None)
                cell.setData(Qt.ItemDataRole.ForegroundRole, None)
                cell.setBackground(state or QBrush())
            return
        cell.setData(GRADE_ROLE, look.label)
        cell.setToolTip(look.tip)
        cell.setData(Qt.ItemDataRole.AccessibleTextRole, f"{cell.text()}, {look.spoken}")
        background = state or look.tint
        if background is not None or not fresh:
            cell.setBackground(background or QBrush())
        if look.ink is not None or not fresh:
            cell.setData(Qt.ItemDataRole.ForegroundRole, None if state else look.ink)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if key_event.matches(QKeySequence.StandardKey.Paste):
                self.paste(QGuiApplication.clipboard().text())
                return True
            if key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    self.table.state() != QAbstractItemView.State.EditingState:
                self._save_and_continue(self.table.currentRow())
                return True
        return super().eventFilter(obj, event)

    def _on_close_editor(self, _editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self._save_and_continue(self.table.currentRow())

    def paste(self, text: str) -> int:
        """Pending rows from tab- or comma-separated lines: date, then values in column order."""
        self._ensure_rendered()
        count = 0
        for line in text.splitlines():
            parts = [p.strip() for p in (line.split("\t") if "\t" in line else line.split(","))]
            if not parts or not parts[0]:
                continue
            values = {test: parts[i + 1] for i, test in enumerate(TESTS) if i + 1 < len(parts)}
            self.add_row(parts[0], values)
            count += 1
        self.status.setText(self.tr("{count} pasted row(s): check them, then Enter or Save changed rows.")
                            .format(count=count))
        return count

    # --- saving -----------------------------------------------------------------------------
    def save_row(self, row: int) -> bool:
        """Save one row's changed cells; nothing on the row is lost if any cell is bad."""
        self._ensure_rendered()
        if row < 0 or self.patient_id is None or not self._row_changed(row):
            return False
        problems = self._check_row(row)
        if problems:
            self.message.setText(self.tr("Not saved. {reason}").format(reason="\n".join(problems)))
            return False
        changes = self._row_docs(row)
        reason = None
        if any(before for _, _, before in changes):
            reason, ok = QInputDialog.getText(self, self.tr("Correct saved values"),
                                              self.tr("Reason for the correction:"))
            if not ok or not reason.strip():
                self.message.setText(self.tr("Not saved: a correction needs a reason."))
                return False
        signature = None
        if any(doc is None and before for _, doc, before in changes) and \
                self.bridge.signature_needed("labs", "void"):
            # A cleared saved value is voided: the signer signs it (ask once for the row).
            signature = ask_signature(self, self.bridge,
                                      msg(VOIDED_BECAUSE, reason=(reason or '').strip()))
            if signature is None:   # cancelled: the row stays as typed
                self.message.setText(self.tr("Not saved: clearing a saved value voids it, and a void needs your signature."))  # noqa: E501
                return False
        old_iso = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        iso = self._row_iso(row)
        self._saving_row = row   # refreshes triggered by our own saves wait till the end
        problem = ""
        try:
            for test, doc, before in changes:
                col = 1 + TESTS.index(test)
                saved = self._saved.get((old_iso, test)) if before else None
                if doc is None:
                    if saved is not None:
                        self.bridge.void_item("labs", self.patient_id, saved.id,
                                              reason or "cleared in the labs grid", signature)
                        self._saved.pop((old_iso, test), None)
                else:
                    lab, _ = parse_item("labs", doc)
                    if saved is not None:
                        lab = dataclasses.replace(lab, id=saved.id, version=saved.version)
                    self._saved[(iso, test)] = self.bridge.save_item(
                        "labs", self.patient_id, lab, reason)
                # This cell now matches the database: it is no longer pending.
                cell = self.table.item(row, col)
                cell.setData(Qt.ItemDataRole.UserRole, cell.text().strip())
        except HemalogError as exc:
            problem = self.tr("Not saved. {reason}").format(reason=error_words(exc.lines))
        finally:
            self._saving_row = -1
        if old_iso not in (None, iso) and not problem:
            # The row moved to another date: regroup from the database, keeping unsaved rows.
            self._show(self.patient_id, self.bridge.items("labs", self.patient_id),
                       self._pending_rows())
        elif not problem:
            self.table.item(row, 0).setData(Qt.ItemDataRole.UserRole, iso)
        self._mark(row)
        if problem:  # the cells that failed stay as typed, still marked as pending
            self.message.setText(problem)
            return False
        self.status.setText(self.tr("Saved the labs of {date}.").format(date=iso))
        self._last_saved_iso = iso
        self.row_saved.emit(iso)
        return True

    def save_changed_rows(self) -> int:
        self._ensure_rendered()
        rows = [r for r in self._touched_rows() if self._row_changed(r)]
        dates = [self.table.item(r, 0).text() for r in rows]
        saved = 0
        for iso in dates:  # saving refreshes the grid, so find each row again by date
            for r in range(self.table.rowCount()):
                if self.table.item(r, 0).text() == iso and self._row_changed(r):
                    saved += self.save_row(r)
                    break
        return saved
