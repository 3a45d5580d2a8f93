"""Start the ward app: check the database, sign in, back up, show the main window.

``start`` holds every start-up step and returns the main window (or the exit
code when start-up stops), so tests drive it without running the event loop.

The language: HEMALOG_LANG, else the system's, until someone signs in; then the
account's, or the one picked in the sign-in dialog (remembered on the account).
"""

from __future__ import annotations

import os

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

import lang
from clinical.accounts import User
from clinical.errors import HemalogError
from gui.background import DailyBackup, run_with_progress
from gui.bridge import StoreBridge
from gui.i18n import use_language
from gui.main_window import MainWindow
from gui.settings import APPLICATION, ORGANISATION, Settings
from gui.sign_in import FirstAdminDialog, SignInDialog
from gui.teardown import tear_down
from storage import database_file, is_server_url, open_store
from storage.backup import (
    backup_folder, daily_backup, newest_good_backup, refuse_interrupted_restore,
    remove_stale_partials, restore,
)
from storage.history import refuse_first_admin_if_accounts_existed
from storage.integrity import quick_check
from storage.locations import current_user, default_database

log = logging.getLogger("hemalog.qt")

EXIT_OK, EXIT_FAILED = 0, 1
Button = QMessageBox.StandardButton
RunModal = Callable[[QDialog], bool]


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    log.log(level, message)


def exec_modal(dialog: QDialog) -> bool:
    """Show a start-up dialog and wait; True when accepted."""
    return dialog.exec() == QDialog.DialogCode.Accepted


# --- step 1: a database that passes its check (or a restored backup) ----------------------
def check_database(db_path: Path) -> bool:
    """True when the file is sound (or absent: a new one is made), or was restored."""
    if not db_path.exists():
        return True
    # The quick check: the file opens, its schema reads, the newest audit rows chain.
    # The full check (about 5 min on a 4.7 GB hospital file: it replays every data row)
    # runs in `hemalog verify` and on each daily backup's copy.
    result = run_with_progress(
        lambda: quick_check(db_path),
        QCoreApplication.translate("App", "Checking {name} (integrity and audit trail)…")
        .format(name=db_path.name))
    if result.ok:
        return True
    problems = lang.render_lines(result.lines()[:5])
    backup = newest_good_backup(db_path)
    damaged = QCoreApplication.translate("App", "The database is damaged")
    if backup is None:
        QMessageBox.critical(None, damaged, QCoreApplication.translate(
            "App", "{path} fails its integrity check:\n{problems}\n\nNo backup that passes verification was found in {folder}.\nhemalog will not open this file. Ask IT support to restore it (hemalog restore FILE).",  # noqa: E501
        ).format(path=db_path, problems=problems, folder=backup_folder(db_path)))
        return False
    answer = QMessageBox.question(None, damaged, QCoreApplication.translate(
        "App", "{path} fails its integrity check:\n{problems}\n\nRestore the newest good backup, {backup}?\nChanges made after that backup will be missing. The damaged file is kept aside, not deleted.",  # noqa: E501
    ).format(path=db_path, problems=problems, backup=backup.name),
        Button.Yes | Button.No, Button.No)
    if answer != Button.Yes:
        QMessageBox.critical(None, damaged, QCoreApplication.translate(
            "App", "{path} was not restored, so hemalog will not open it.").format(path=db_path))
        return False
    try:
        aside = restore(db_path, backup)
    except (HemalogError, OSError) as exc:
        lines = exc.lines if isinstance(exc, HemalogError) else [str(exc)]
        QMessageBox.critical(None, QCoreApplication.translate("App", "The backup was not restored"),
                             lang.render_lines(lines))
        return False
    QMessageBox.information(None, QCoreApplication.translate("App", "Backup restored"),
                            QCoreApplication.translate(
                                "App", "{path} was restored from {backup}.\nThe damaged file is kept as {aside}.",  # noqa: E501
                            ).format(path=db_path, backup=backup.name, aside=aside.name))
    return True


# --- step 2: who is at the keyboard ------------------------------------------------------
def sign_in(bridge: StoreBridge, user_name: str | None,
            run_modal: RunModal = exec_modal) -> tuple[User, str | None] | None:
    """First run: create the administrator; otherwise sign in. None: cancelled.

    Returns the account and the language picked in the dialog (None: left as it was).
    """
    dialog: SignInDialog | FirstAdminDialog
    if bridge.has_accounts():
        dialog = SignInDialog(bridge, user_name or "")
    else:
        # A database that ever had accounts never offers this to whoever comes first.
        refuse_first_admin_if_accounts_existed(bridge.store)
        dialog = FirstAdminDialog(bridge, user_name or "")
    # parentless and owned by Python: the dialog goes when this function returns
    if not run_modal(dialog) or dialog.user is None:
        return None
    return dialog.user, dialog.chosen_language()


def use_account_language(bridge: StoreBridge, picked: str | None) -> str:
    """The language once signed in: one picked in the sign-in dialog (remembered on the
    account), else the account's, else the one the dialog showed. Returns it."""
    account = bridge.account
    if picked is not None:
        if account is not None and account.language != picked:
            try:
                bridge.set_language(picked)
            except HemalogError as exc:   # not remembered; this session still uses it
                log.warning("language not remembered: %s", " ".join(exc.lines))
        return use_language(picked)
    if account is not None and account.language:
        return use_language(account.language)
    return lang.current()


# --- all steps ---------------------------------------------------------------------------
def start(db_path: Path | str, user: str | None = None, settings: Settings | None = None, *,
          run_modal: RunModal = exec_modal, idle_lock_ms: int | None = None,
          language: str | None = None) -> MainWindow | int:
    """Every start-up step before the event loop: the shown main window, or an exit code.

    ``db_path``: a database file, or a postgresql:// URL (a server: no file to check or
    back up; the sign-in connects, and says so in one line when the server cannot be
    reached, so the person can try again).
    ``language``: an explicit choice (the command line); else HEMALOG_LANG, else the
    system's, until the account's applies. The caller owns the window's store
    (``window.bridge.store``) and closes it.
    """
    use_language(lang.choose(language))
    cannot_open = QCoreApplication.translate("App", "hemalog cannot open the database")
    if isinstance(db_path, str) and is_server_url(db_path):
        return _start_on_server(db_path, user, settings, run_modal=run_modal,
                                idle_lock_ms=idle_lock_ms, cannot_open=cannot_open)
    db_path = Path(db_path)
    try:  # never start an empty database where an interrupted restore left its files
        refuse_interrupted_restore(db_path)
        remove_stale_partials(db_path)
    except HemalogError as exc:
        QMessageBox.critical(None, cannot_open, lang.render_lines(exc.lines))
        return EXIT_FAILED
    if not check_database(db_path):
        return EXIT_FAILED
    try:
        store = open_store(db_path, user=current_user(user))
    except HemalogError as exc:
        QMessageBox.critical(None, cannot_open, lang.render_lines(exc.lines))
        return EXIT_FAILED
    bridge = StoreBridge(store)
    try:
        signed = sign_in(bridge, user, run_modal)
    except HemalogError as exc:  # e.g. the database is locked by a long write
        QMessageBox.critical(None, QCoreApplication.translate("App", "hemalog cannot sign in"),
                             lang.render_lines(exc.lines))
        signed = None
    if signed is None:
        store.close()
        return EXIT_OK
    account, picked = signed
    bridge.sign_in(account)
    use_account_language(bridge, picked)
    window = MainWindow(bridge, settings, idle_lock_ms=idle_lock_ms)
    window.show()
    # The daily backup copies and then verifies the whole file: seconds on a ward
    # database, minutes on a hospital one. It runs beside the app, never before it.
    window.watch_backup(DailyBackup(db_path, daily_backup))
    return window


def _start_on_server(url: str, user: str | None, settings: Settings | None, *,
                     run_modal: RunModal, idle_lock_ms: int | None,
                     cannot_open: str) -> MainWindow | int:
    """``start`` on a server database: open (nothing connects yet), sign in, show."""
    try:
        store = open_store(url, user=current_user(user))
    except HemalogError as exc:
        QMessageBox.critical(None, cannot_open, lang.render_lines(exc.lines))
        return EXIT_FAILED
    bridge = StoreBridge(store)
    signed = sign_in(bridge, user, run_modal)
    if signed is None:
        store.close()
        return EXIT_OK
    account, picked = signed
    bridge.sign_in(account)
    use_account_language(bridge, picked)
    window = MainWindow(bridge, settings, idle_lock_ms=idle_lock_ms)
    window.show()
    return window


def run_app(db: str | None = None, user: str | None = None, language: str | None = None) -> int:
    """Open the ward app on the database; returns the exit code."""
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("hemalog")
    use_language(lang.choose(language), app)   # the first words shown are in it
    cannot_open = QCoreApplication.translate("App", "hemalog cannot open the database")
    try:
        path: Path | str
        named = "--db" if db else "HEMALOG_DB"
        db = db or os.environ.get("HEMALOG_DB") or None
        if db and is_server_url(db):
            from storage.pg_store import check_url

            path = check_url(db, named=named)
        else:
            path = database_file(db) if db else default_database()
    except OSError as exc:  # the data folder cannot be made
        QMessageBox.critical(None, cannot_open, str(exc))
        return EXIT_FAILED
    except HemalogError as exc:  # a target this hemalog cannot open (a server URL)
        QMessageBox.critical(None, cannot_open, lang.render_lines(exc.lines))
        return EXIT_FAILED
    window = start(path, user, language=language)
    if isinstance(window, int):
        return window
    try:
        return app.exec()
    finally:
        window.stop_live_updates()   # no feed thread outlives the store
        store = window.bridge.store
        backup = window.daily_backup
        del window
        if backup is not None and backup.running:
            # Its signals must find Qt alive: the backup (a private file, renamed when
            # whole) is let finish; it takes seconds for a ward's database.
            backup.wait(120)
        tear_down()                  # Qt first, in order: nothing left for the exit to free
        store.close()
