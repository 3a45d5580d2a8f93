"""The status bar's permanent line: which database, who is signed in, the last backup."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QWidget

from gui.bridge import StoreBridge
from storage.backup import backup_folder, last_backup


def local_stamp(when: datetime | None) -> str:
    return "never" if when is None else when.astimezone().strftime("%Y-%m-%d %H:%M")


class SessionStatus(QLabel):
    """'Database: … · User: Ann Lee (physician) · Last backup: 2025-07-22 08:03'."""

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setAccessibleName("Session")
        self.bridge.signed_in.connect(self._on_signed_in)
        self.refresh()

    def who(self) -> str:
        account = self.bridge.account
        if account is None:
            return self.bridge.user
        return f"{account.display_name} ({account.role.value})"

    def refresh(self) -> None:
        path = self.bridge.store.path
        try:
            backup = local_stamp(last_backup(path))
        except OSError:  # the backup folder cannot be read: say so, do not fail
            backup = "unknown"
        self.setText(f"Database: {path}  ·  User: {self.who()}  ·  Last backup: {backup}")
        self.setToolTip(f"Automatic daily backups are kept in {backup_folder(path)}")

    def _on_signed_in(self, _user: object) -> None:
        self.refresh()
