"""Start the ward app: QApplication, the store, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from clinical.errors import HemalogError
from gui.bridge import StoreBridge
from gui.main_window import MainWindow
from gui.settings import APPLICATION, ORGANISATION
from storage.locations import current_user, default_database
from storage.repository import SqliteStore

log = logging.getLogger("hemalog.qt")


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    log.log(level, message)


def run_app(db: str | None = None, user: str | None = None) -> int:
    """Open the ward app on the database; returns the exit code."""
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("hemalog")
    try:
        store = SqliteStore(Path(db) if db else default_database(), user=current_user(user))
    except HemalogError as exc:
        QMessageBox.critical(None, "hemalog cannot open the database", "\n".join(exc.lines))
        return 1
    window = MainWindow(StoreBridge(store))
    window.show()
    try:
        return app.exec()
    finally:
        store.close()
