"""File ▸ Import lab results…: a lab system's file into the open patient's labs.

Two steps. **Columns** (CSV and XLSX only): which column holds the date, the test,
the value, the unit and the reference range (long form), or which columns are tests
(wide form), filled in from the header or from a saved mapping, with the file's first
rows shown underneath; the choice can be saved under a name for next time and for
the command line (`--mapping NAME`). **Preview**: every result, what happens to it
(added, skipped as already there, refused) and why, conversions noted; Import saves
all of it in one transaction, and stays disabled while anything is refused.
An HL7 file goes straight to the preview.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QStackedWidget, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

import lang
from clinical.errors import HemalogError
from clinical.lab_import import (
    DATE_FORMATS, Action, ColumnMapping, LabImportPlan, guess_mapping, offered_units,
    shown_value,
)
from gui.bridge import StoreBridge
from gui.forms.item_form import ERROR_STYLE, error_words
from storage.lab_files import (
    MappingStore, file_kind, read_lab_file, settings_files, table_preview, ward_codes,
    wide_columns,
)

_NONE = ""   # the "(none)" entry of an optional column


class LabImportDialog(QDialog):
    """Import ``path`` for the patient ``mrn``; ``saved`` is how many labs were saved."""

    def __init__(self, bridge: StoreBridge, mrn: str, path: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge, self.mrn, self.path = bridge, mrn, Path(path)
        self.saved = 0
        self.plans: list[tuple[int | None, LabImportPlan]] = []
        self.lab_file: Any = None
        self.setWindowTitle(self.tr("Import lab results — {file}").format(file=self.path.name))
        self.codes = ward_codes()
        self.mappings = MappingStore(settings_files()[0])
        self.pages = QStackedWidget()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.back_button = QPushButton(self.tr("&Back to the columns"))
        self.next_button = QPushButton(self.tr("&Preview"))
        self.import_button = QPushButton(self.tr("&Import"))
        for button in (self.back_button, self.next_button, self.import_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.back_button.clicked.connect(self._to_columns)
        self.next_button.clicked.connect(self.preview)
        self.import_button.clicked.connect(self.do_import)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(1000, 620)
        self.header: list[str] = []
        self.first_rows: list[list[Any]] = []
        self._build_preview_page()
        self.import_button.hide()
        self.back_button.hide()
        self.next_button.hide()
        try:
            if file_kind(self.path) != "hl7":
                self.header, self.first_rows = table_preview(self.path)
        except HemalogError as exc:   # unreadable: said once, nothing more to do
            self._refuse(exc)
            self.pages.setCurrentWidget(self.preview_page)
            return
        if self.header:
            self._build_columns_page()
            self._fill_columns(guess_mapping(self.header, self.codes))
            self._to_columns()
        else:
            self.preview()

    # --- the columns ------------------------------------------------------------------------
    def _combo(self, name: str, optional: bool) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        if optional:
            box.addItem(self.tr("(none)"), _NONE)
        for column in self.header:
            box.addItem(column, column)
        return box

    def _build_columns_page(self) -> None:
        page = QWidget()
        self.saved_box = QComboBox()
        self.saved_box.setAccessibleName(self.tr("Saved columns"))
        self.saved_box.addItem(self.tr("As the header names them"), None)
        for name in self.mappings.names():
            self.saved_box.addItem(name, name)
        self.saved_box.activated.connect(self._use_saved)
        self.form_box = QComboBox()
        self.form_box.setAccessibleName(self.tr("Layout"))
        self.form_box.addItem(self.tr("Long: one result per row"), "long")
        self.form_box.addItem(self.tr("Wide: one column per test"), "wide")
        self.form_box.currentIndexChanged.connect(self._show_form)
        self.date_box = self._combo(self.tr("Date column"), False)
        self.format_box = QComboBox()
        self.format_box.setAccessibleName(self.tr("Date written as"))
        for fmt in DATE_FORMATS:
            self.format_box.addItem(fmt, fmt)
        self.mrn_box = self._combo(self.tr("MRN column"), True)
        self.test_box = self._combo(self.tr("Test column"), False)
        self.value_box = self._combo(self.tr("Value column"), False)
        self.unit_box = self._combo(self.tr("Unit column"), True)
        self.range_box = self._combo(self.tr("Reference range column"), True)
        self.tests_label = QLabel()
        self.tests_label.setWordWrap(True)
        # Wide form: each test column with its unit (from the header, or chosen here).
        self.units_table = QTableWidget(0, 3)
        self.units_table.setAccessibleName(self.tr("Test columns and their units"))
        self.units_table.setHorizontalHeaderLabels(
            [self.tr("Column"), self.tr("Test"), self.tr("Unit")])
        self.units_table.verticalHeader().setVisible(False)
        self.units_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.units_table.horizontalHeader().setStretchLastSection(True)
        self.units_table.setMaximumHeight(170)
        self._unit_boxes: dict[str, QComboBox] = {}
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Save the columns as"))
        self.name_edit.setPlaceholderText(self.tr("a name, e.g. the lab system's (optional)"))
        form = QFormLayout()
        rows = [(self.tr("&Saved columns:"), self.saved_box), (self.tr("&Layout:"), self.form_box),
                (self.tr("&Date:"), self.date_box), (self.tr("Date &written as:"), self.format_box),
                (self.tr("&MRN:"), self.mrn_box), (self.tr("&Test:"), self.test_box),
                (self.tr("&Value:"), self.value_box), (self.tr("&Unit:"), self.unit_box),
                (self.tr("&Reference range:"), self.range_box),
                (self.tr("Save the columns &as:"), self.name_edit)]
        self._long_rows = (self.test_box, self.value_box, self.unit_box, self.range_box)
        self._labels: dict[QWidget, QLabel] = {}
        for text, widget in rows:
            label = QLabel(text)
            label.setBuddy(widget)
            self._labels[widget] = label
            form.addRow(label, widget)
        form.addRow(self.tests_label)
        form.addRow(self.units_table)
        self.sample = QTableWidget(len(self.first_rows), len(self.header))
        self.sample.setAccessibleName(self.tr("First rows of the file"))
        self.sample.setHorizontalHeaderLabels(self.header)
        self.sample.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, cells in enumerate(self.first_rows):
            for c, value in enumerate(cells[:len(self.header)]):
                self.sample.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        column = QVBoxLayout(page)
        column.addLayout(form)
        column.addWidget(QLabel(self.tr("The first rows of the file:")))
        column.addWidget(self.sample, 1)
        self.pages.insertWidget(0, page)
        self.columns_page = page

    @staticmethod
    def _select(box: QComboBox, value: str | None) -> None:
        index = box.findData(value or _NONE)
        box.setCurrentIndex(max(index, 0))

    def _fill_columns(self, mapping: ColumnMapping) -> None:
        self._select(self.form_box, mapping.form)
        self._select(self.date_box, mapping.date)
        self._select(self.format_box, mapping.date_format)
        self._select(self.mrn_box, mapping.mrn)
        for box, value in ((self.test_box, mapping.test), (self.value_box, mapping.value),
                           (self.unit_box, mapping.unit), (self.range_box, mapping.reference)):
            self._select(box, value)
        self._base = mapping
        self._show_form()

    def _use_saved(self, _index: int) -> None:
        name = self.saved_box.currentData()
        try:
            mapping = guess_mapping(self.header, self.codes) if name is None \
                else self.mappings.load(name)
        except HemalogError as exc:
            self._refuse(exc)
            return
        self.message.clear()
        self._fill_columns(mapping)
        if name:
            self.name_edit.setText(name)

    def _show_form(self) -> None:
        wide = self.form_box.currentData() == "wide"
        for widget in self._long_rows:
            widget.setVisible(not wide)
            self._labels[widget].setVisible(not wide)
        if wide:
            self._fill_units()
        self.tests_label.setVisible(wide)
        self.units_table.setVisible(wide and self.units_table.rowCount() > 0)

    def _fill_units(self) -> None:
        """One row per test column: its test and its unit (the header's, the saved
        mapping's, or one to choose when the lab wrote none)."""
        chosen = {column: box.currentData() for column, box in self._unit_boxes.items()}
        base = dataclasses.replace(self.mapping(), units=None)
        columns = wide_columns(base, self.header, self.codes)
        self.tests_label.setText(self.tr("Test columns (a unit the header does not give is chosen here):") if columns else self.tr("No column is named as a test hemalog knows."))  # noqa: E501
        self.units_table.setRowCount(len(columns))
        self._unit_boxes = {}
        saved_units = dict(getattr(self, "_base", ColumnMapping()).units or {})
        for r, (column, test, unit) in enumerate(columns):
            self.units_table.setItem(r, 0, QTableWidgetItem(column))
            self.units_table.setItem(r, 1, QTableWidgetItem(test.value if test else ""))
            box = QComboBox()
            box.setAccessibleName(self.tr("Unit of {column}").format(column=column))
            box.addItem(self.tr("as the header says: {unit}").format(unit=unit) if unit
                        else self.tr("(none given)"), _NONE)
            for offered in (offered_units(test) if test else []):
                box.addItem(offered, offered)
            wanted = chosen.get(column) or saved_units.get(column)
            if wanted:
                box.setCurrentIndex(max(box.findData(wanted), 0))
            self.units_table.setCellWidget(r, 2, box)
            self._unit_boxes[column] = box
        self.units_table.resizeColumnsToContents()

    def mapping(self) -> ColumnMapping:
        """The columns as chosen on screen."""
        def chosen(box: QComboBox) -> str | None:
            return box.currentData() or None

        base = getattr(self, "_base", ColumnMapping())
        wide = self.form_box.currentData() == "wide"
        units = {column: box.currentData() for column, box in self._unit_boxes.items()
                 if box.currentData()} if wide else {}
        return dataclasses.replace(
            base, units=units or None, name=self.name_edit.text().strip(), form="wide" if wide else "long",
            date=chosen(self.date_box) or "", date_format=self.format_box.currentData(),
            mrn=chosen(self.mrn_box),
            test=None if wide else chosen(self.test_box),
            value=None if wide else chosen(self.value_box),
            unit=None if wide else chosen(self.unit_box),
            reference=None if wide else chosen(self.range_box),
            low=None if wide else base.low, high=None if wide else base.high)

    def _to_columns(self) -> None:
        self.pages.setCurrentWidget(self.columns_page)
        self.back_button.hide()
        self.next_button.show()
        self.import_button.hide()
        self.message.clear()
        self.saved_box.setFocus()

    # --- the preview ------------------------------------------------------------------------
    def _build_preview_page(self) -> None:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setAccessibleName(self.tr("What each result becomes"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Where in the file"), self.tr("Date"), self.tr("Test"), self.tr("Value saved"),
            self.tr("What happens"), self.tr("Why, and notes")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.show_box = QComboBox()
        self.show_box.setAccessibleName(self.tr("Show results"))
        self.show_box.addItem(self.tr("Every result"), None)
        self.show_box.addItem(self.tr("Refused"), Action.REFUSE.value)
        self.show_box.addItem(self.tr("To add"), Action.ADD.value)
        self.show_box.addItem(self.tr("Skipped"), Action.SKIP.value)
        self.show_box.currentIndexChanged.connect(self._filter_rows)
        show_label = QLabel(self.tr("Sho&w:"))
        show_label.setBuddy(self.show_box)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(show_label)
        top.addWidget(self.show_box)
        column = QVBoxLayout(page)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        self.pages.addWidget(page)
        self.preview_page = page
        self._row_actions: list[Action] = []

    def _refuse(self, exc: HemalogError) -> None:
        self.message.setText(error_words(exc.lines))

    def preview(self) -> None:
        """Read the file with the columns chosen and show what each result becomes."""
        mapping = self.mapping() if self.header else None
        try:
            if mapping is not None and mapping.name:
                self.mappings.check_name(mapping.name)
            self.lab_file = read_lab_file(self.path, codes=self.codes, mapping=mapping)
            self.plans = self.bridge.plan_lab_file(self.lab_file, self.codes, self.mrn)
            if mapping is not None and mapping.name:
                self.mappings.save(dataclasses.replace(self.lab_file.mapping, name=mapping.name))
        except HemalogError as exc:
            self._refuse(exc)
            return
        except OSError as exc:
            self.message.setText(self.tr("The columns could not be saved: {reason}")
                                 .format(reason=exc.strerror or exc))
            return
        self.message.clear()
        self._fill_preview()
        self.pages.setCurrentWidget(self.preview_page)
        self.next_button.hide()
        self.back_button.setVisible(bool(self.header))
        self.import_button.show()
        self.table.setFocus()

    def counts(self) -> dict[str, int]:
        total = {a.value: 0 for a in Action}
        for _pid, plan in self.plans:
            for key, n in plan.counts().items():
                total[key] += n
        return total

    def _fill_preview(self) -> None:
        rows = [row for _pid, plan in self.plans for row in plan.rows]
        words = {Action.ADD: self.tr("added"), Action.SKIP: self.tr("skipped"),
                 Action.REFUSE: self.tr("REFUSED")}
        tints = {Action.SKIP: QColor("#eeeeee"), Action.REFUSE: QColor("#f8d0d0")}
        self.table.setRowCount(len(rows))
        self._row_actions = [row.action for row in rows]
        for r, row in enumerate(rows):
            lab, source = row.lab, row.source
            why = [lang.render(row.why)] if row.why is not None else []
            cells = [source.where,
                     lab.date.isoformat() if lab else str(source.when or ""),
                     lab.test.value if lab else str(source.code),
                     f"{lab.value} {lab.unit}" if lab else shown_value(source.value),
                     words[row.action],
                     "; ".join(why + [lang.render(n) for n in row.notes])]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.action in tints:
                    item.setBackground(tints[row.action])
                if c == 5:
                    item.setToolTip(text)
                self.table.setItem(r, c, item)
        counts = self.counts()
        text = self.tr("{total} results for {mrn}: {add} to add, {skip} skipped (already "
                       "there or empty), {refuse} refused.").format(
            total=len(rows), mrn=self.mrn, add=counts["add"], skip=counts["skip"],
            refuse=counts["refuse"])
        unread = getattr(self.lab_file, "unread", [])
        if unread:
            text += " " + self.tr("Columns not read: {columns}.").format(
                columns=", ".join(unread))
        self.summary.setText(text)
        if counts["refuse"]:
            self.message.setText(self.tr(
                "Nothing can be imported while any result is refused (all or nothing): "
                "correct the file or the columns, or add the code to the ward's lab code "
                "table, then preview again."))
        self.import_button.setEnabled(not counts["refuse"] and counts["add"] > 0)
        # Refusals first when there are any: they are what the user must act on.
        self.show_box.setCurrentIndex(self.show_box.findData(
            Action.REFUSE.value if counts["refuse"] else None))
        self._filter_rows()

    def _filter_rows(self) -> None:
        shown = self.show_box.currentData()
        for r, action in enumerate(self._row_actions):
            self.table.setRowHidden(r, shown is not None and action.value != shown)

    def do_import(self) -> None:
        if self.lab_file is None:
            return
        try:
            self.saved = self.bridge.import_lab_plans(self.plans, self.lab_file.source)
        except HemalogError as exc:
            self.message.setText(self.tr("Not imported. {reason}").format(
                reason=error_words(exc.lines)))
            return
        self.accept()
