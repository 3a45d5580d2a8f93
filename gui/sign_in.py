"""Who is at the keyboard: sign in, or create the administrator account on first run.

A refused sign-in shows the store's words (storage.accounts.SignInRefused): after
repeated failures, how long the name waits; never whether the name exists.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from clinical.accounts import Role, User, password_problems
from clinical.errors import HemalogError
from gui import keymap
from gui.bridge import StoreBridge
from storage.accounts import WRONG, SignInRefused

ERROR_STYLE = "color: #b00020;"


def in_words(line: str) -> str:
    """'password: at least 8 characters' -> 'Password: at least 8 characters.'"""
    line = line.strip()
    if not line:
        return line
    line = line[0].upper() + line[1:]
    return line if line.endswith((".", "?", "!")) else line + "."


NOT_RECOGNISED = in_words(WRONG)   # what a refused sign-in says, whoever the name is


def password_edit(accessible: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible)
    return edit


def _message_label(accessible: str) -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName(accessible)
    return label


class SignInDialog(QDialog):
    """User name and password; ``user`` holds the signed-in User once accepted."""

    intro_text = "Sign in with your hemalog account."
    button_key = "sign_in.sign_in"   # the keyboard map's label of the accept button

    def __init__(self, bridge: StoreBridge, user_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.user: User | None = None
        self.setWindowTitle("Sign in to hemalog")
        self.intro = QLabel(self.intro_text)
        self.intro.setWordWrap(True)
        self.user_name = QLineEdit(user_name)
        self.user_name.setAccessibleName("User name")
        self.password = password_edit("Password")
        self.message = _message_label("Sign-in problem")
        form = QFormLayout()
        for text, field in ((keymap.label("sign_in.user_name"), self.user_name),
                            (keymap.label("sign_in.password"), self.password)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton(keymap.label(self.button_key),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        self.cancel_button: QPushButton | None = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self._connect_signals()
        self._on_text_changed()
        (self.password if user_name else self.user_name).setFocus()

    def _connect_signals(self) -> None:
        self.user_name.textChanged.connect(self._on_text_changed)
        self.password.textChanged.connect(self._on_text_changed)
        self.buttons.accepted.connect(self._on_sign_in)
        self.buttons.rejected.connect(self.reject)

    def _on_text_changed(self) -> None:
        self.sign_in_button.setEnabled(bool(self.user_name.text().strip())
                                       and bool(self.password.text()))

    def _on_sign_in(self) -> None:
        if not self.sign_in_button.isEnabled():  # Enter with a field still empty
            return
        try:
            user = self.bridge.attempt_sign_in(self.user_name.text().strip(),
                                               self.password.text())
        except SignInRefused as exc:   # wrong, or wait: the same words whoever the name is
            self.message.setText("\n".join(in_words(line) for line in exc.lines))
            self.password.clear()
            self.password.setFocus()
            return
        self.user = user
        self.message.clear()
        self.password.clear()  # nothing secret stays in a widget
        self.accept()


class FirstAdminDialog(QDialog):
    """First run: the database has no accounts, so make the administrator's."""

    def __init__(self, bridge: StoreBridge, user_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.user: User | None = None
        self.setWindowTitle("Create the administrator account")
        self.intro = QLabel(
            "<b>Create the administrator account</b><p>This database has no user accounts "
            "yet. The administrator signs in first, then adds the ward staff "
            "(File ▸ Users…).</p>")
        self.intro.setWordWrap(True)
        self.user_name = QLineEdit(user_name)
        self.user_name.setAccessibleName("User name")
        self.display_name = QLineEdit()
        self.display_name.setAccessibleName("Display name")
        self.display_name.setPlaceholderText("e.g. Dr Ann Lee (shown in the status bar)")
        self.password = password_edit("Password")
        self.repeat = password_edit("Password again")
        self.problems = _message_label("Problems")
        form = QFormLayout()
        for text, field in ((keymap.label("first_admin.user_name"), self.user_name),
                            (keymap.label("first_admin.display_name"), self.display_name),
                            (keymap.label("first_admin.password"), self.password),
                            (keymap.label("first_admin.repeat"), self.repeat)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(keymap.label("first_admin.create"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        for edit in (self.user_name, self.password, self.repeat):
            edit.textChanged.connect(self._on_text_changed)
        self.buttons.accepted.connect(self._on_create)
        self.buttons.rejected.connect(self.reject)
        self._on_text_changed()
        (self.display_name if user_name else self.user_name).setFocus()

    def current_problems(self) -> list[str]:
        """What stops the account being created, in words (empty fields say nothing yet)."""
        password, repeat = self.password.text(), self.repeat.text()
        problems = [in_words(p) for p in password_problems(password)] if password else []
        if repeat and repeat != password:
            problems.append("The two passwords do not match.")
        return problems

    def _on_text_changed(self) -> None:
        problems = self.current_problems()
        self.problems.setText("\n".join(problems))
        self.create_button.setEnabled(
            not problems and bool(self.user_name.text().strip())
            and bool(self.password.text()) and self.repeat.text() == self.password.text())

    def _on_create(self) -> None:
        if not self.create_button.isEnabled():
            return
        try:
            user = self.bridge.add_user(self.user_name.text().strip(), self.password.text(),
                                        Role.ADMIN, self.display_name.text().strip() or None)
        except HemalogError as exc:
            self.problems.setText("\n".join(in_words(line) for line in exc.lines))
            return
        self.user = user
        self.password.clear()
        self.repeat.clear()
        self.accept()
