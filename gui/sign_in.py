"""Who is at the keyboard: sign in, or create the administrator account on first run.

A refused sign-in shows the store's words (storage.accounts.SignInRefused): after
repeated failures, how long the name waits; never whether the name exists.

Both dialogs offer the language (English / 中文): choosing one switches the dialog's
own words at once, and once signed in it is remembered on the account (gui/app.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton,
    QVBoxLayout, QWidget,
)

import lang
from clinical.accounts import Role, User, password_problems
from clinical.errors import HemalogError
from gui import keymap
from gui.bridge import StoreBridge
from gui.i18n import use_language
from storage.accounts import WRONG, SignInRefused

ERROR_STYLE = "color: #b00020;"


def in_words(line: Any) -> str:
    """'password: at least 8 characters' -> 'Password: at least 8 characters.' (a
    clinical message is rendered in the window's language first; Chinese ends in 。)."""
    line = lang.render(line).strip()
    if not line:
        return line
    if lang.current() != lang.EN:
        return line if line.endswith(("。", "？", "！", ".", "?", "!")) else line + "。"
    line = line[0].upper() + line[1:]
    return line if line.endswith((".", "?", "!")) else line + "."


NOT_RECOGNISED = in_words(WRONG)   # what a refused sign-in says (English), whoever the name is


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


class LanguageChooser(QComboBox):
    """English / 中文, each named in itself; ``chosen`` fires when the person picks one."""

    chosen = Signal(str)   # "en" or "zh_CN"

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code, name in lang.LANGUAGE_NAMES.items():
            self.addItem(name, code)
        self.set_language(current)
        self.activated.connect(lambda _i: self.chosen.emit(self.language()))

    def language(self) -> str:
        return str(self.currentData())

    def set_language(self, language: str) -> None:
        index = self.findData(lang.normalise(language) or lang.EN)
        self.setCurrentIndex(max(index, 0))


class _LanguageMixin:
    """The language row of a start-up dialog: a pick switches the application's
    language (the dialog is the only window yet) and the dialog's words."""

    language_key = "sign_in.language"
    chose_language: bool   # the person picked a language here (remember it)
    language: LanguageChooser
    language_label: QLabel

    def _add_language_row(self, form: QFormLayout) -> None:
        self.chose_language = False
        self.language = LanguageChooser(lang.current())
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        form.addRow(self.language_label, self.language)
        self.language.chosen.connect(self._on_language_chosen)

    def _on_language_chosen(self, language: str) -> None:
        self.chose_language = True
        if language != lang.current():
            use_language(language)
            self.retranslate()

    def chosen_language(self) -> str | None:
        """The language picked in this dialog, or None when the person left it as it was."""
        return self.language.language() if self.chose_language else None

    def retranslate(self) -> None:
        raise NotImplementedError


class SignInDialog(_LanguageMixin, QDialog):
    """User name and password; ``user`` holds the signed-in User once accepted."""

    button_key = "sign_in.sign_in"   # the keyboard map's label of the accept button
    show_language = True             # the lock screen hides it (the window's language stays)

    def __init__(self, bridge: StoreBridge, user_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.user: User | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.user_name = QLineEdit(user_name)
        self.password = password_edit("")
        self.message = _message_label("")
        form = QFormLayout()
        self.user_name_label = QLabel()
        self.password_label = QLabel()
        for label, field in ((self.user_name_label, self.user_name),
                             (self.password_label, self.password)):
            label.setBuddy(field)
            form.addRow(label, field)
        self._add_language_row(form)
        if not self.show_language:
            self.language.hide()
            self.language_label.hide()
        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        self.cancel_button: QPushButton | None = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self.retranslate()
        self._connect_signals()
        self._on_text_changed()
        (self.password if user_name else self.user_name).setFocus()

    def intro_text(self) -> str:
        return self.tr("Sign in with your hemalog account.")

    def retranslate(self) -> None:
        """Every word of the dialog in the current language (typed text stays)."""
        self.setWindowTitle(self.tr("Sign in to hemalog"))
        self.intro.setText(self.intro_text())
        self.user_name.setAccessibleName(self.tr("User name"))
        self.password.setAccessibleName(self.tr("Password"))
        self.message.setAccessibleName(self.tr("Sign-in problem"))
        self.language.setAccessibleName(self.tr("Language"))
        self.user_name_label.setText(keymap.label("sign_in.user_name"))
        self.password_label.setText(keymap.label("sign_in.password"))
        self.language_label.setText(keymap.label(self.language_key))
        self.sign_in_button.setText(keymap.label(self.button_key))
        if self.cancel_button is not None:   # Qt's own word (qtbase_<lang>.qm), anew
            self.cancel_button = _renew_cancel(self.buttons, self.cancel_button)
        self.message.clear()   # said in the other language; the next try says it anew

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
        except HemalogError as exc:   # the server cannot be reached: one line; try again
            reason = lang.render(exc.lines[0]).rstrip(" .。") if exc.lines else ""
            self.message.setText(self.tr("Not signed in: {reason}. Press {key} to try again.")
                                 .format(reason=reason,
                                         key=self.sign_in_button.text().replace("&", "")))
            self.sign_in_button.setFocus()
            return
        self.user = user
        self.message.clear()
        self.password.clear()  # nothing secret stays in a widget
        self.accept()


def _renew_cancel(buttons: QDialogButtonBox, old: QPushButton) -> QPushButton:
    """Qt words a standard button when it is made: a new one speaks the new language."""
    buttons.removeButton(old)
    old.deleteLater()
    return buttons.addButton(QDialogButtonBox.StandardButton.Cancel)


class FirstAdminDialog(_LanguageMixin, QDialog):
    """First run: the database has no accounts, so make the administrator's."""

    language_key = "first_admin.language"

    def __init__(self, bridge: StoreBridge, user_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.user: User | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.user_name = QLineEdit(user_name)
        self.display_name = QLineEdit()
        self.password = password_edit("")
        self.repeat = password_edit("")
        self.problems = _message_label("")
        form = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        for key, field in (("first_admin.user_name", self.user_name),
                           ("first_admin.display_name", self.display_name),
                           ("first_admin.password", self.password),
                           ("first_admin.repeat", self.repeat)):
            label = self.labels[key] = QLabel()
            label.setBuddy(field)
            form.addRow(label, field)
        self._add_language_row(form)
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslate()
        for edit in (self.user_name, self.password, self.repeat):
            edit.textChanged.connect(self._on_text_changed)
        self.buttons.accepted.connect(self._on_create)
        self.buttons.rejected.connect(self.reject)
        self._on_text_changed()
        (self.display_name if user_name else self.user_name).setFocus()

    def retranslate(self) -> None:
        """Every word of the dialog in the current language (typed text stays)."""
        self.setWindowTitle(self.tr("Create the administrator account"))
        self.intro.setText(self.tr(
            "<b>Create the administrator account</b><p>This database has no user accounts yet. The administrator signs in first, then adds the ward staff (File ▸ Users…).</p>"))  # noqa: E501
        self.user_name.setAccessibleName(self.tr("User name"))
        self.display_name.setAccessibleName(self.tr("Display name"))
        self.display_name.setPlaceholderText(self.tr("e.g. Dr Ann Lee (shown in the status bar)"))
        self.password.setAccessibleName(self.tr("Password"))
        self.repeat.setAccessibleName(self.tr("Password again"))
        self.problems.setAccessibleName(self.tr("Problems"))
        self.language.setAccessibleName(self.tr("Language"))
        for key, label in self.labels.items():
            label.setText(keymap.label(key))
        self.language_label.setText(keymap.label(self.language_key))
        self.create_button.setText(keymap.label("first_admin.create"))
        self.cancel_button = _renew_cancel(self.buttons, self.cancel_button)
        self._on_text_changed()   # the problems, in the new language

    def current_problems(self) -> list[str]:
        """What stops the account being created, in words (empty fields say nothing yet)."""
        password, repeat = self.password.text(), self.repeat.text()
        problems = [in_words(p) for p in password_problems(password)] if password else []
        if repeat and repeat != password:
            problems.append(self.tr("The two passwords do not match."))
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
