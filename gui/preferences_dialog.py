"""File ▸ Preferences…: the signed-in person's language (English or 中文).

The choice is remembered on their account (the main window saves it and switches),
so it follows them to any workstation and to the next sign-in.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

import lang
from gui import keymap
from gui.bridge import StoreBridge
from gui.sign_in import LanguageChooser


class PreferencesDialog(QDialog):
    """The language; ``language()`` is the one chosen once accepted."""

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        account = bridge.account
        self.chooser = LanguageChooser(lang.current())
        self.chooser.setAccessibleName(self.tr("Language"))
        label = QLabel(keymap.label("preferences.language"))
        label.setBuddy(self.chooser)
        self.note = QLabel(
            self.tr("Remembered for {name}: it applies at every sign-in, on any workstation.")
            .format(name=account.display_name) if account is not None else
            self.tr("No one is signed in: the choice lasts until hemalog is closed."))
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(label, self.chooser)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self.chooser.setFocus()

    def language(self) -> str:
        return self.chooser.language()
