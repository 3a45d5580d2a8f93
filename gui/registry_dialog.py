"""File ▸ Registry export…: every patient's CAR-T and HSCT rows as one CSV file.

The dates are optional (empty: every infusion and transplant); Save asks where, then
the file is written as `hemalog registry` writes it (storage/registry_export.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QVBoxLayout, QWidget,
)

from clinical.errors import HemalogError
from gui.bridge import StoreBridge
from gui.forms.fields import DateField
from gui.forms.item_form import ERROR_STYLE, error_words


class RegistryDialog(QDialog):
    """``written``: (path, rows) once a file was written."""

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.written: tuple[Path, int] | None = None
        self.setWindowTitle(self.tr("Registry export"))
        intro = QLabel(self.tr(
            "One row per CAR-T infusion and per HSCT of every patient, for registry "
            "reporting (the columns are listed in the README). Leave the dates empty "
            "for all of them."))
        intro.setWordWrap(True)
        self.start = DateField("start", self.tr("&From"), today_by_default=False)
        self.end = DateField("end", self.tr("&To"), today_by_default=False)
        form = QFormLayout()
        for field in (self.start, self.end):
            label = QLabel(field.name)
            label.setBuddy(field.focus_widget())
            form.addRow(label, field)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save as…"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.start.focus_widget().setFocus()

    def choose_file(self) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the registry export"),
            str(Path(folder) / f"registry_{date.today().isoformat()}.csv"),
            self.tr("CSV file (*.csv)"))
        return name

    def save(self) -> None:
        problems = [p for p in (self.start.problem(), self.end.problem()) if p]
        if problems:
            self.message.setText(self.tr("Not saved. {reason}").format(reason=" ".join(problems)))
            return
        start, end = self.start.date(), self.end.date()
        if start and end and start > end:
            self.message.setText(self.tr("Not saved. The From date is after the To date."))
            self.start.focus_widget().setFocus()
            return
        name = self.choose_file()
        if not name:
            return
        try:
            rows = self.bridge.write_registry(Path(name), start, end)
        except HemalogError as exc:
            self.message.setText(self.tr("Not saved. {reason}").format(
                reason=error_words(exc.lines)))
            return
        self.written = (Path(name), rows)
        self.accept()
