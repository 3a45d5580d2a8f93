"""Slow file work off the GUI thread: the start-up check and the daily backup.

Both read the database through their own SQLite connections, so they can run
beside the app. On a hospital-sized file each takes a minute or more.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog

import lang
from clinical.errors import HemalogError

log = logging.getLogger(__name__)
T = TypeVar("T")


def run_with_progress(work: Callable[[], T], label: str, *, delay_s: float = 0.4) -> T:
    """Run ``work`` in a thread; if it takes longer than ``delay_s`` say so in a busy
    dialog (the screen stays painted). Returns its result or raises its exception."""
    outcome: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="hemalog-check", daemon=True).start()
    progress: QProgressDialog | None = None
    if not done.wait(delay_s):
        progress = QProgressDialog(label, "", 0, 0)
        progress.setCancelButton(None)         # nothing to cancel: the check must finish
        progress.setWindowTitle("hemalog")
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setMinimumDuration(0)
        progress.show()
        while not done.wait(0.05):
            QApplication.processEvents()
        progress.close()
        progress.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


class DailyBackup(QObject):
    """Runs the daily backup in a thread; says when it is done or what went wrong."""

    finished = Signal(object)   # Path of the new backup, or None when none was due
    failed = Signal(str)        # one line for the status bar

    def __init__(self, database: Path, backup: Callable[[Path], Path | None]) -> None:
        # No Qt parent on purpose: the running thread holds a Python reference, so the
        # object cannot be deleted under it when the window closes first.
        super().__init__()
        self.database = database
        self._backup = backup
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="hemalog-backup", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """True when the backup has ended (tests; a clean exit)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def _run(self) -> None:
        # Signals emitted here reach slots in the GUI thread through its event queue.
        try:
            made = self._backup(self.database)
        except HemalogError as exc:
            self._fail(" ".join(lang.render(line) for line in exc.lines))
        except OSError as exc:
            self._fail(str(exc))
        except Exception:  # never let a backup take the app down
            log.exception("daily backup")
            self._fail(QCoreApplication.translate("DailyBackup",
                                                  "internal error (see the log)"))
        else:
            self.finished.emit(made)

    def _fail(self, why: str) -> None:
        self.failed.emit(self.tr("Automatic backup failed: {why}").format(why=why))
