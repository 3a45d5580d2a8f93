"""The ward app: opening the demo patient (< 300 ms) and saving a lab row (< 50 ms)."""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.harness import at_end, benchmark  # noqa: E402
from clinical.record import Lab, LabTest  # noqa: E402
from gui.bridge import StoreBridge  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.settings import Settings  # noqa: E402
from storage import open_store  # noqa: E402

_STATE: dict[str, Any] = {}


def _window() -> MainWindow:
    """One window with the demo patient, reused by every run."""
    if "window" not in _STATE:
        # Offscreen Qt chatters about window hints; keep the table readable.
        qInstallMessageHandler(lambda kind, _ctx, msg: None if kind != QtMsgType.QtFatalMsg
                               else print(msg))
        app = QApplication.instance() or QApplication([])
        tmp = Path(tempfile.mkdtemp(prefix="hemalog-bench-gui-"))
        store = open_store(tmp / "gui.db", user="bench")
        bridge = StoreBridge(store)
        window = MainWindow(bridge, Settings(QSettings(str(tmp / "s.ini"),
                                                       QSettings.Format.IniFormat)))
        window.show()
        patient = bridge.load_demo()
        app.processEvents()
        _STATE.update(app=app, window=window, bridge=bridge, patient=patient, day=0,
                      store=store)
        at_end(_close)
    return _STATE["window"]


def _close() -> None:
    """Tear Qt down before the interpreter does (PySide crashes if left to the GC)."""
    window = _STATE.pop("window", None)
    if window is None:   # closed already
        return
    window.close()
    window.deleteLater()
    _STATE["app"].processEvents()
    _STATE.pop("store").close()
    _STATE.clear()


def _open_setup(quick: bool) -> MainWindow:
    window = _window()
    window.workspace.open_patient(None)   # close it so each run opens it afresh
    window.workspace.patient_id = None
    return window


@benchmark("app: open the demo patient", setup=_open_setup, target=0.3)
def _open(window: MainWindow) -> None:
    window.open_patient(_STATE["patient"])
    _STATE["app"].processEvents()


def _save_setup(quick: bool) -> MainWindow:
    window = _window()
    if window.workspace.patient_id is None:
        window.open_patient(_STATE["patient"])
    _STATE["day"] += 1
    return window


@benchmark("app: save a lab row until every view shows it", setup=_save_setup, target=0.05)
def _save(window: MainWindow) -> None:
    grid = window.workspace.labs
    row = grid.add_row((date(2026, 1, 1) + timedelta(days=_STATE["day"])).isoformat())
    grid.table.item(row, 1 + list(LabTest).index(LabTest.ANC)).setText("1.2")
    assert grid.save_row(row)
    _STATE["app"].processEvents()
    assert any(isinstance(x, Lab) for x in window.workspace.record.labs)
