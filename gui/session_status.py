"""The status bar's permanent line: which database, who is signed in, the last backup."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

from gui.bridge import StoreBridge
from gui.permissions import role_name
from storage import is_server_url
from storage.backup import backup_folder, last_backup


def local_stamp(when: datetime | None) -> str:
    if when is None:
        return QCoreApplication.translate("SessionStatus", "never")
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


class SessionStatus(QLabel):
    """'Database: … · User: Ann Lee (physician) · Last backup: 2025-07-22 08:03'."""

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setAccessibleName(self.tr("Session"))
        self.bridge.signed_in.connect(self._on_signed_in)
        self.refresh()

    def who(self) -> str:
        account = self.bridge.account
        if account is None:
            return self.bridge.user
        return f"{account.display_name} ({role_name(account.role)})"

    def refresh(self) -> None:
        location = self.bridge.store.location
        if is_server_url(location):   # no backup folder: the server's are IT's (README)
            self.setText(self.tr("Database: {path}  ·  User: {user}")
                         .format(path=location, user=self.who()))
            self.setToolTip("{}\n{}".format(self.text(), self.tr(
                "A server's backups are made on the server (pg_dump) and with hemalog backup")))
            return
        try:
            backup = local_stamp(last_backup(location))
        except OSError:  # the backup folder cannot be read: say so, do not fail
            backup = self.tr("unknown")
        self.setText(self.tr("Database: {path}  ·  User: {user}  ·  Last backup: {backup}")
                     .format(path=location, user=self.who(), backup=backup))
        kept = self.tr("Automatic daily backups are kept in {folder}").format(
            folder=backup_folder(location))
        self.setToolTip(f"{self.text()}\n{kept}")

    def _on_signed_in(self, _user: object) -> None:
        self.refresh()

    # A long database path would push the line past a 1366 px window's edge: the line
    # gives way, its middle (the path) shortened with "…"; text() stays whole.
    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 200), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle,
                                              rect.width())
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(),
                                  self.isEnabled(), shown)
        painter.end()
