"""Lock the window after some minutes without input; a password unlocks it.

Locking hides the window's content behind a cover and shows a modal dialog;
nothing underneath is closed or cleared, so half-typed forms are still there
after unlocking. Another member of staff may sign in instead, and from then on
the store records their name.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication, QDialogButtonBox, QLabel, QMainWindow, QVBoxLayout, QWidget,
)
from shiboken6 import isValid

from clinical.accounts import User
from gui import keymap
from gui.bridge import StoreBridge
from gui.sign_in import SignInDialog

# Input that counts as someone using the app (not paints, timers or focus changes).
INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel,
})


def idle_words(interval_ms: int) -> str:
    minutes = round(interval_ms / 60_000)
    if minutes < 1:
        return QCoreApplication.translate("LockDialog", "for a while")
    if minutes == 1:
        return QCoreApplication.translate("LockDialog", "for 1 minute")
    return QCoreApplication.translate("LockDialog", "for {minutes} minutes").format(
        minutes=minutes)


class LockDialog(SignInDialog):
    """The signed-in user's password (or another user's name and password) unlocks."""

    button_key = "lock.unlock"   # Un&lock: Alt+U is the user name above it
    show_language = False        # the window's language is the signed-in person's

    def __init__(self, bridge: StoreBridge, user: User, idle: str,
                 parent: QWidget | None = None) -> None:
        self._locked_user = user
        self._idle = idle
        super().__init__(bridge, user.username, parent)
        self.user_name.setReadOnly(True)    # fixed: it reads as text, not as a field
        self.user_name.setFrame(False)
        self.user_name.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if self.cancel_button is not None:   # locked means no way round it
            self.buttons.removeButton(self.cancel_button)
            self.cancel_button.deleteLater()
            self.cancel_button = None
        self.switch_button = self.buttons.addButton(keymap.label("lock.switch_user"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.switch_button.setAutoDefault(False)
        self.switch_button.clicked.connect(self._on_switch_user)
        self.password.setFocus()

    def intro_text(self) -> str:
        return self.tr(
            "<b>Locked: no input {idle}.</b><p>Everything typed is kept. Enter the password of {name} to go on, or sign in as someone else.</p>"  # noqa: E501
        ).format(idle=self._idle, name=escape(self._locked_user.display_name))

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("hemalog is locked"))

    def _on_switch_user(self) -> None:
        self.user_name.setReadOnly(False)
        self.user_name.setFrame(True)
        self.user_name.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.user_name.clear()
        self.password.clear()
        self.message.clear()
        self.user_name.setFocus()
        self.switch_button.setEnabled(False)

    def reject(self) -> None:
        """Escape and the close button do nothing: only a password unlocks."""


class LockCover(QWidget):
    """An opaque sheet over the main window's content while it is locked."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setAutoFillBackground(True)
        self.setAccessibleName(self.tr("Locked"))
        self.label = label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 60, 20, 20)   # above the dialog, which sits centred
        layout.addWidget(label)
        layout.addStretch(1)
        self.hide()
        window.installEventFilter(self)

    def cover(self) -> None:
        # Worded when shown: the window's language may have changed since it was made.
        self.label.setText(self.tr(
            "<h2>hemalog is locked</h2><p>The patient data is hidden until someone signs in.</p>"))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and self.isVisible():
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
        return False


class IdleLock(QObject):
    """Watches the whole app's input; after ``interval_ms`` without any, locks ``window``.

    Only locks when someone is signed in (a database without accounts has no one
    to unlock it).
    """

    locked = Signal()
    unlocked = Signal(object)   # User who unlocked

    def __init__(self, window: QMainWindow, bridge: StoreBridge, interval_ms: int) -> None:
        super().__init__(window)
        self._window = window
        self.bridge = bridge
        self.dialog: LockDialog | None = None
        self.cover = LockCover(window)
        self._focus: QWidget | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def set_interval(self, interval_ms: int) -> None:
        self.timer.setInterval(interval_ms)
        if self.dialog is None:
            self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.dialog is None and event.type() in INPUT_EVENTS:
            self.timer.start()   # restart: the idle time counts from the last input
        return False

    def lock(self) -> None:
        account = self.bridge.account
        if self.dialog is not None or account is None:
            return
        self._focus = QApplication.focusWidget()
        self.timer.stop()
        self.cover.cover()
        self.dialog = LockDialog(self.bridge, account, idle_words(self.timer.interval()),
                                 self._window)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self._on_unlocked)
        self.dialog.show()
        self.locked.emit()

    def _on_unlocked(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None or dialog.user is None:
            return
        user = dialog.user
        dialog.deleteLater()
        self.bridge.sign_in(user)   # the same user again, or the one who took over
        self.cover.hide()
        if self._focus is not None and isValid(self._focus):
            self._focus.activateWindow()
            self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = None
        self.timer.start()
        self.unlocked.emit(user)
