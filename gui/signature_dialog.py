"""Sign a change that alters what the record means: the signer's password again.

21 CFR 11.200: an electronic signature is the signer's ID and password. Voiding an item
or correcting a graded assessment asks for it after the reason; the signature (who,
meaning, when) goes into the change's audit row. Cancel changes nothing, and the form
or table behind keeps everything typed.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

import lang
from clinical.errors import HemalogError
from gui import keymap
from gui.bridge import StoreBridge
from gui.sign_in import ERROR_STYLE, password_edit


def wait_words(seconds: int) -> str:
    """45 -> '45 s', 125 -> '2 min 5 s', 900 -> '15 min'."""
    minutes, rest = divmod(max(1, int(seconds)), 60)
    if not minutes:
        return QCoreApplication.translate("SignatureDialog", "{s} s").format(s=rest)
    if not rest:
        return QCoreApplication.translate("SignatureDialog", "{min} min").format(min=minutes)
    return QCoreApplication.translate("SignatureDialog", "{min} min {s} s").format(
        min=minutes, s=rest)


class SignatureDialog(QDialog):
    """'Sign: voided because …': the signed-in user (fixed) and a password field.

    ``signature`` holds {"by", "meaning", "at"} once accepted.
    """

    def __init__(self, bridge: StoreBridge, meaning: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        account = bridge.account
        if account is None:
            raise ValueError("a signature needs someone signed in")
        self.bridge = bridge
        self.meaning = meaning
        self.account = account
        self.signature: dict[str, str] | None = None
        shown = lang.render(meaning)
        self.setWindowTitle(self.tr("Sign: {meaning}").format(meaning=shown))
        self.intro = QLabel(self.tr(
            "<b>Sign: {meaning}</b><p>This changes what the record says. Your password again is your signature: who signed, when and why stay in the audit trail.</p>"  # noqa: E501
        ).format(meaning=escape(shown)))
        self.intro.setWordWrap(True)
        self.signer = QLineEdit(f"{account.display_name} ({account.username})")
        self.signer.setAccessibleName(self.tr("Signer"))
        self.signer.setReadOnly(True)           # the signed-in user signs, no one else
        self.signer.setFrame(False)
        self.signer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.password = password_edit(self.tr("Password"))
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Signature problem"))
        form = QFormLayout()
        form.addRow(self.tr("Signer"), self.signer)
        label = QLabel(keymap.label("signature.password"))
        label.setBuddy(self.password)
        form.addRow(label, self.password)
        self.buttons = QDialogButtonBox()
        self.sign_button = self.buttons.addButton(keymap.label("signature.sign"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.password.textChanged.connect(self._on_text_changed)
        self.buttons.accepted.connect(self._on_sign)
        self.buttons.rejected.connect(self.reject)
        self._on_text_changed()
        self.password.setFocus()

    def _on_text_changed(self) -> None:
        self.sign_button.setEnabled(bool(self.password.text()))

    def _locked_words(self) -> str | None:
        wait = self.bridge.wait_seconds(self.account.username)
        if wait <= 0:
            return None
        return self.tr(
            "Too many wrong passwords for {name}: try again in {wait}. Nothing was changed."
        ).format(name=self.account.username, wait=wait_words(wait))

    def _on_sign(self) -> None:
        if not self.sign_button.isEnabled():   # Enter with no password yet
            return
        password = self.password.text()
        self.password.clear()                  # nothing secret stays in a widget
        try:
            locked = self._locked_words()      # a locked name is not checked at all
            signature = None if locked else self.bridge.sign(password, self.meaning)
        except HemalogError as exc:            # the database busy or unreadable: say so
            self.message.setText(self.tr("Not signed: {why}").format(
                why=" ".join(lang.render(line) for line in exc.lines)))
            return
        if signature is None:
            self.message.setText(locked or self._locked_words() or self.tr(
                "The password is wrong: nothing was changed. Type it again, or Cancel."))
            self.password.setFocus()
            return
        self.signature = signature
        self.message.clear()
        self.accept()


def ask_signature(parent: QWidget | None, bridge: StoreBridge, meaning: str
                  ) -> dict[str, str] | None:
    """The signed-in user's signature for ``meaning``, or None when they cancel."""
    dialog = SignatureDialog(bridge, meaning, parent)
    try:
        dialog.exec()                 # set only when a right password was typed
        return dialog.signature
    finally:
        dialog.deleteLater()
