"""A course from a regimen template: drug lines with live doses and warnings."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton,
    QTableWidget, QTableWidgetItem, QWidget,
)

import lang
from clinical.dosing import compute_doses, fmt
from clinical.errors import HemalogError
from clinical.record import Course, CourseCategory, DayReference, Record
from clinical.regimens import RegimenTemplate, course_from_template
from clinical.schema import Problem
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.fields import ChoiceField, DateField, TextField, _number_or_text
from gui.forms.item_form import ItemForm, plain_words
from gui.help import WhyButton
from storage.templates import load_templates, save_template

COLUMNS = ("Drug", "Dose", "Unit", "Days", "Per day", "Route", "Amount", "Dates", "Warnings")
# The header shows the warnings column as a sign: its cells flag a line, and the
# warnings themselves are listed whole under the table (a column would need 300 px).
HEADERS = (QT_TRANSLATE_NOOP("CourseForm", "Drug"), QT_TRANSLATE_NOOP("CourseForm", "Dose"), QT_TRANSLATE_NOOP("CourseForm", "Unit"), QT_TRANSLATE_NOOP("CourseForm", "Days"), QT_TRANSLATE_NOOP("CourseForm", "/day"), QT_TRANSLATE_NOOP("CourseForm", "Route"), QT_TRANSLATE_NOOP("CourseForm", "Amount"), QT_TRANSLATE_NOOP("CourseForm", "Dates"), "⚠")
# Course categories and where the days count from, as the form lists them.
CATEGORY_NAMES = {"chemotherapy": QT_TRANSLATE_NOOP("CourseForm", "chemotherapy"), "lymphodepletion": QT_TRANSLATE_NOOP("CourseForm", "lymphodepletion"),
                  "conditioning": QT_TRANSLATE_NOOP("CourseForm", "conditioning"), "gvhd_prophylaxis": QT_TRANSLATE_NOOP("CourseForm", "gvhd prophylaxis"),
                  "cellular_therapy": QT_TRANSLATE_NOOP("CourseForm", "cellular therapy"), "targeted": QT_TRANSLATE_NOOP("CourseForm", "targeted"),
                  "supportive": QT_TRANSLATE_NOOP("CourseForm", "supportive"), "other": QT_TRANSLATE_NOOP("CourseForm", "other")}
EDITABLE = 6
_RANGE = re.compile(r"^(-?\d+)(?:\.\.|-)(-?\d+)$")
_WARN = QBrush(QColor("#fde7e9"))


def parse_days(text: str) -> list[Any]:
    """'1-5, 8, 11' or '-9..-2' -> a list of ints; bad parts stay text for the validator."""
    days: list[Any] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        match = _RANGE.match(part)
        if match and int(match.group(1)) <= int(match.group(2)):
            days.extend(range(int(match.group(1)), int(match.group(2)) + 1))
            continue
        try:
            days.append(int(part))
        except ValueError:
            days.append(part)
    return days


def format_days(days: tuple[int, ...] | list[int]) -> str:
    """(1, 2, 3, 4, 8) -> '1-4, 8'; runs with negative days as '-9..-2'."""
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}{'..' if run[0] < 0 else '-'}{run[-1]}")
        else:
            parts.extend(str(d) for d in run)
    return ", ".join(parts)


def short_dates(dates: tuple[date, ...] | list[date]) -> str:
    """'1 Sep', '1 Sep–5 Sep': the first and last date of a line, short enough for its
    column (the year is the start date's; every date, with its year, in the tooltip)."""
    if not dates:
        return QCoreApplication.translate("CourseForm", "unknown")
    first, last = dates[0], dates[-1]
    text = _day_month(first)
    return text if first == last else f"{text}–{_day_month(last)}"


def _day_month(when: date) -> str:
    """'1 Sep' in English, '9月1日' in Chinese."""
    month = MONTHS[when.month - 1] if lang.current() == lang.EN else str(when.month)
    return QCoreApplication.translate("CourseForm", "{day} {month}").format(day=when.day,
                                                                           month=month)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _problem_words(p: Problem) -> str:
    """A problem as 'path: words' (English as before; the words in the reader's language)."""
    words = plain_words(p.message)
    return f"{p.path}: {words}" if p.path else words


class CourseForm(ItemForm):
    kind = "courses"
    title = QT_TRANSLATE_NOOP("CourseForm", "Course")

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        self.templates, self.template_problems = load_templates()
        self.record: Record | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("CourseForm", h) for h in HEADERS])
        self.table.horizontalHeaderItem(COLUMNS.index("Warnings")).setToolTip(
            QCoreApplication.translate("CourseForm", "Warnings: listed in full under the table"))
        self.table.setAccessibleName(QCoreApplication.translate("CourseForm", "Drug lines"))
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(28)
        # Asks for the width of all its columns, so the section gives the form that
        # much (at 1366 px every column fits without scrolling sideways).
        self.table.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COLUMNS.index("Warnings"), QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COLUMNS.index("Warnings"), 28)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.setMinimumHeight(180)
        self.table.itemChanged.connect(self._on_cell_changed)
        self.warnings_label = QLabel()
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setAccessibleName(
            QCoreApplication.translate("CourseForm", "Dose warnings"))
        self.warnings_label.setStyleSheet("color: #8a1c1c;")
        self.warnings_label.setVisible(False)
        # "Why?": the dose limits and cumulative checks in docs/clinical-rules.md
        self.why_button = WhyButton("dose-limits", QCoreApplication.translate(
            "CourseForm", "dose warnings"))
        self.why_button.setVisible(False)
        self.body_label = QLabel()
        self.body_label.setAccessibleName(
            QCoreApplication.translate("CourseForm", "Body size used"))
        self.body_label.setWordWrap(True)
        self.template_combo = QComboBox()
        self.template_combo.setAccessibleName(
            QCoreApplication.translate("CourseForm", "Regimen template"))
        self.template_combo.addItem(
            QCoreApplication.translate("CourseForm", "— choose a regimen template —"), None)
        for t in self.templates:
            self.template_combo.addItem(
                QCoreApplication.translate("CourseForm", "{name} (saved here)").format(name=t.name)
                if t.user_made else t.name, t)
        self.template_combo.activated.connect(self._apply_template)
        # The chosen template's notes, whole and wrapped (they can run to a paragraph).
        self.template_notes = QLabel()
        self.template_notes.setWordWrap(True)
        self.template_notes.setAccessibleName(
            QCoreApplication.translate("CourseForm", "Regimen template notes"))
        self.template_notes.setVisible(False)
        super().__init__(bridge, parent)
        picker = QHBoxLayout()
        picker.addWidget(QLabel(keymap.label("course.regimen")))
        picker.itemAt(0).widget().setBuddy(self.template_combo)
        picker.addWidget(self.template_combo, 1)
        self.form.insertRow(0, picker)
        self.form.insertRow(1, self.template_notes)
        self.extra.addWidget(self.body_label)
        self.extra.addWidget(self.table)
        warnings = QHBoxLayout()
        warnings.addWidget(self.warnings_label, 1)
        warnings.addWidget(self.why_button, 0, Qt.AlignmentFlag.AlignTop)
        self.extra.addLayout(warnings)
        lines = QHBoxLayout()
        add = QPushButton(keymap.label("course.add_line"))
        add.clicked.connect(lambda: self._add_row(None))
        remove = QPushButton(self.tr("Remove drug line"))
        remove.clicked.connect(self._remove_row)
        save_as = QPushButton(keymap.label("course.save_template"))
        save_as.clicked.connect(self.save_as_template)
        for b in (add, remove, save_as):
            b.setAccessibleName(b.text().replace("&", ""))
            lines.addWidget(b)
        lines.addStretch(1)
        self.extra.addLayout(lines)
        self.field("day_reference").changed.connect(self._sync_start_date)
        self._sync_start_date()
        self.status.setWordWrap(True)   # "From template: …" must not widen the form

    def build(self) -> None:
        self.add_field(TextField("name", keymap.label("course.name")))
        self.add_field(ChoiceField("category", self.tr("Category"),
                                   [(c.value, self.tr(CATEGORY_NAMES.get(c.value, c.value)))
                                    for c in CourseCategory], optional=False))
        self.add_field(ChoiceField("day_reference", self.tr("Days count from"), [
            (DayReference.COURSE_START.value, self.tr("course start (day 1 = start date)")),
            (DayReference.HSCT.value, self.tr("transplant (HSCT = day 0)")),
            (DayReference.CART_INFUSION.value, self.tr("CAR-T infusion (day 0)"))],
            optional=False))
        self.add_field(DateField("start_date", keymap.label("course.start_date")))
        self.add_field(TextField("notes", keymap.label("course.notes")))

    # --- the patient context ----------------------------------------------------------
    def set_record(self, record: Record | None) -> None:
        """The patient's record, for BSA, anchors and cumulative doses."""
        self.record = record
        self.refresh()

    # --- rows ---------------------------------------------------------------------------
    def _add_row(self, line: Any) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = ["", "", "mg/m2", "", "1", ""]
        if line is not None:
            values = [line.drug, fmt(line.dose), line.unit.value, format_days(line.days),
                      str(line.doses_per_day), line.route or ""]
        for col, text in enumerate(values):
            cell = QTableWidgetItem(text)
            if col == 0:
                cell.setData(Qt.ItemDataRole.UserRole, line)
            self.table.setItem(row, col, cell)
        self._add_result_cells(row)
        self.table.blockSignals(False)
        self._on_cell_changed()

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._on_cell_changed()

    def _set_rows(self, drugs: Any) -> None:
        self.table.setRowCount(0)
        for line in drugs:
            self._add_row(line)

    def _on_cell_changed(self, *_: Any) -> None:
        self._on_field_changed()

    def _row_doc(self, row: int) -> dict[str, Any]:
        text = [self.table.item(row, c).text() if self.table.item(row, c) else ""
                for c in range(EDITABLE)]
        doc: dict[str, Any] = {"drug": text[0].strip().lower() or None,
                               "dose": _number_or_text(text[1]), "unit": text[2].strip() or None,
                               "days": parse_days(text[3]),
                               "doses_per_day": _number_or_text(text[4]) or 1,
                               "route": text[5].strip() or None}
        return {k: v for k, v in doc.items() if v is not None}

    # --- the document -------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        snap = super().snapshot()
        if hasattr(self, "table"):
            snap["drugs"] = [self._row_doc(r) for r in range(self.table.rowCount())]
        return snap

    def document(self) -> dict[str, Any]:
        doc = super().document()
        if doc.get("day_reference") != DayReference.COURSE_START.value:
            doc.pop("start_date", None)
        doc["drugs"] = [self._row_doc(r) for r in range(self.table.rowCount())] \
            if hasattr(self, "table") else []
        return doc

    def to_domain(self) -> tuple[Any, list[Problem]]:
        obj, problems = super().to_domain()
        if isinstance(obj, Course):  # keep the saved lines' ids for corrections
            drugs = []
            for row, line in enumerate(obj.drugs):
                saved = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
                drugs.append(dataclasses.replace(line, id=saved.id, version=saved.version)
                             if saved is not None and saved.id is not None else line)
            obj = dataclasses.replace(obj, drugs=tuple(drugs))
        return obj, problems

    def _restore(self, values: dict[str, Any]) -> None:
        values = dict(values)  # a snapshot from the undo history: never change it
        drugs = values.pop("drugs", None)
        super()._restore(values)
        if drugs is not None and hasattr(self, "table"):
            self.table.blockSignals(True)
            self.table.setRowCount(0)
            for d in drugs:
                self._add_raw_row(d)
            self.table.blockSignals(False)
            self.refresh()

    def _add_raw_row(self, d: dict[str, Any]) -> None:
        """A row from a snapshot (undo): the values as they were typed."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        days = d.get("days", [])
        values = [d.get("drug", ""), str(d.get("dose", "")), d.get("unit", ""),
                  format_days(days) if all(isinstance(x, int) for x in days)
                  else ", ".join(map(str, days)), str(d.get("doses_per_day", 1)),
                  d.get("route", "")]
        for col, text in enumerate(values):
            self.table.setItem(row, col, QTableWidgetItem(text))
        self._add_result_cells(row)

    def _add_result_cells(self, row: int) -> None:
        for col in range(EDITABLE, len(COLUMNS)):
            cell = QTableWidgetItem("")
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, col, cell)

    def first_field(self) -> QWidget | None:
        """A course starts from its regimen template, the first row of the form."""
        return self.template_combo

    def load(self, obj: Any) -> None:
        super().load(obj)
        self._set_rows(obj.drugs)
        self._reset_history()

    def clear(self) -> None:
        super().clear()
        if hasattr(self, "table"):
            self.table.setRowCount(0)
            self.template_combo.setCurrentIndex(0)
            self.template_notes.setText("")
            self.template_notes.setVisible(False)
            self._reset_history()

    # --- templates ------------------------------------------------------------------------
    def _apply_template(self, index: int) -> None:
        template: RegimenTemplate | None = self.template_combo.itemData(index)
        if template is None:
            return
        start = self.field("start_date").date()   # None while the typed date is refused
        course = course_from_template(template, start)
        self.field("name").set_value(course.name)
        self.field("category").set_value(course.category.value)
        self.field("day_reference").set_value(course.day_reference.value)
        # Whole, never cut mid-word: the notes field holds them all, the label wraps them.
        self.field("notes").set_value(course.notes or None)
        shown = "\n".join(filter(None, [course.notes, self.tr("Source: {source}").format(
            source=template.source) if template.source else ""]))
        self.template_notes.setText(shown)
        self.template_notes.setVisible(bool(shown))
        self._set_rows(course.drugs)
        self.status.setText(self.tr("From template {name}.").format(name=template.name))

    def save_as_template(self) -> None:
        obj, problems = self.to_domain()
        if obj is None:
            QMessageBox.information(self, self.tr("Save as template"),
                                    self.tr("Complete the course first: {problems}").format(
                                        problems=lang.separators(lang.current())["semicolon"].join(
                                            _problem_words(p) for p in problems[:3])))
            return
        name, ok = QInputDialog.getText(self, self.tr("Save as template"),
                                        self.tr("Template name:"), text=obj.name)
        if not ok:
            return
        try:
            save_template(obj, name, f"saved from a course by {self.bridge.user}")
        except HemalogError as exc:
            QMessageBox.warning(self, self.tr("Template not saved"), lang.render_lines(exc.lines))
            return
        self.templates, _ = load_templates()
        self.status.setText(self.tr("Saved as template {name}.").format(name=repr(name)))

    # --- live doses -------------------------------------------------------------------------
    def _sync_start_date(self) -> None:
        counts_from_start = self.field("day_reference").value() == DayReference.COURSE_START.value
        self.field("start_date").setEnabled(counts_from_start)

    def on_result(self, obj: Any) -> None:
        if not hasattr(self, "table"):
            return
        self.table.blockSignals(True)
        try:
            self._show_doses(obj)
        finally:
            self.table.blockSignals(False)

    def _show_doses(self, obj: Any) -> None:
        for row in range(self.table.rowCount()):
            for col in range(EDITABLE, len(COLUMNS)):
                self.table.item(row, col).setText("")
                self.table.item(row, col).setBackground(QBrush())
        self.warnings_label.setText("")
        self.warnings_label.setVisible(False)
        self.why_button.setVisible(False)
        if not isinstance(obj, Course):
            self.body_label.setText(self.tr("Doses appear when every line is complete."))
            return
        record = self.record
        others = [c for c in (record.courses if record else ()) if c.id != obj.id]
        calcs = compute_doses([*others, obj], record.measurements if record else (),
                              record.events if record else ())[-1]
        # One measurement basis per course (clinical-rules.md Part A 1.1).
        self.body_label.setText(self.tr("Doses use: {body}").format(
            body=lang.render(calcs[0].body.describe()) if calcs else "—"))
        listed: list[str] = []
        for row, calc in enumerate(calcs):
            amount = "—" if calc.amount is None else f"{fmt(calc.amount)} {calc.unit}"
            self.table.item(row, EDITABLE).setText(
                f"{amount} × {calc.administrations}")
            self.table.item(row, EDITABLE).setToolTip(lang.render(calc.basis))
            self.table.item(row, EDITABLE + 1).setText(short_dates(calc.dates or ()))
            self.table.item(row, EDITABLE + 1).setToolTip(
                ", ".join(d.isoformat() for d in calc.dates or ())
                or QCoreApplication.translate("CourseForm", "unknown"))
            warn = self.table.item(row, EDITABLE + 2)
            warn.setText("⚠" if calc.warnings else "")
            warn.setToolTip("\n".join(lang.render(w) for w in calc.warnings))
            if calc.warnings:
                drug = self.table.item(row, 0).text().strip() or self.tr("line {n}").format(
                    n=row + 1)
                listed.extend(f"⚠ {drug}: {lang.render(w)}" for w in calc.warnings)
                for col in range(len(COLUMNS)):
                    self.table.item(row, col).setBackground(_WARN)
        self.warnings_label.setText("\n".join(listed))
        self.warnings_label.setVisible(bool(listed))
        self.why_button.setVisible(bool(listed))

    def _line_words(self, p: Problem) -> str:
        """'Line 2 dose must be a number': a drug line's problem, the line counted from 1."""
        match = re.match(r"^drugs\[(\d+)\]\.?(.*)$", p.path)
        if match is None:
            return _problem_words(p)
        field = match.group(2)
        return self.tr("Line {n} {field}{problem}").format(
            n=int(match.group(1)) + 1, field=self._column_words(field),
            problem=plain_words(p.message))

    def _column_words(self, path: str) -> str:
        """The rest of a line's path as the table's column names it ('dose ', 'days[2] ')."""
        if not path:
            return ""
        key = re.sub(r"\[\d+\]", "", path)
        if lang.current() != lang.EN:
            names = {"drug": "Drug", "dose": "Dose", "unit": "Unit", "days": "Days",
                     "doses_per_day": "/day", "route": "Route"}
            if key in names:
                return QCoreApplication.translate("CourseForm", names[key]) + " "
        return path + " "

    def show_problems(self, problems: list[Problem]) -> None:
        line_problems = [p for p in problems if p.path.startswith("drugs")]
        super().show_problems([p for p in problems if not p.path.startswith("drugs")])
        if line_problems:
            words = [self.tr("Add at least one drug line.") if p.path == "drugs" else
                     self._line_words(p) for p in line_problems]
            text = self.general_error.text()
            self.general_error.setText("\n".join(filter(None, [text, *words])))
