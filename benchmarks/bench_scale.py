"""Issue 8: the figures at hospital scale, each beside its floor.

Full run: the hospital cohort (5,000 patients, ~3 years each). Quick run: a
20-patient cohort, to check the code paths without failing on timing noise.
"""

from __future__ import annotations

import atexit
import io
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import floors  # noqa: E402
from benchmarks.cohorts import COHORTS, LARGEST_MRN, cohort_database  # noqa: E402
from benchmarks.harness import benchmark, fact  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_STATE: dict[str, Any] = {}


def _db(quick: bool) -> Path:
    return cohort_database("mini" if quick else "hospital", log=not quick)


START_SCRIPT = """
import os, sys, tempfile
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, sys.argv[2])
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from gui.bridge import StoreBridge
from gui.main_window import MainWindow
from gui.settings import Settings
from storage.repository import SqliteStore
app = QApplication([])
store = SqliteStore(sys.argv[1], user="bench")
window = MainWindow(StoreBridge(store), Settings(QSettings(
    os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)))
window.show()
window.repaint()   # the first frame is painted: the window is on screen
os._exit(0)        # stop here: what runs after the first frame is not start-up
"""


def _start_setup(quick: bool) -> Path:
    return _db(quick)


@benchmark("start: app until the main window is shown", setup=_start_setup, target=1.5,
           floor=floors.bare_qt_start, max_ratio=3.0)
def _start(db: Path) -> None:
    subprocess.run([sys.executable, "-c", START_SCRIPT, str(db), str(ROOT)], check=True,
                   capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def _window(quick: bool) -> dict[str, Any]:
    key = "mini" if quick else "hospital"
    if _STATE.get("key") != key:
        from PySide6.QtCore import QSettings, QtMsgType, qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

        from gui.bridge import StoreBridge
        from gui.main_window import MainWindow
        from gui.settings import Settings
        from storage.repository import SqliteStore

        qInstallMessageHandler(lambda kind, _c, msg: print(msg)
                               if kind == QtMsgType.QtFatalMsg else None)
        _close()
        app = QApplication.instance() or QApplication([])
        tmp = Path(tempfile.mkdtemp(prefix="hemalog-bench-scale-"))
        store = SqliteStore(_db(quick), user="bench")
        bridge = StoreBridge(store)
        window = MainWindow(bridge, Settings(QSettings(str(tmp / "s.ini"),
                                                       QSettings.Format.IniFormat)))
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        largest = store.patients.get_by_mrn(LARGEST_MRN)
        _STATE.update(key=key, app=app, store=store, bridge=bridge, window=window,
                      largest=largest, queries=iter(["wa", "wan", "wang", "li", "zh", "王",
                                                     "syn-01", "syn-004", "chen", "mü"] * 5),
                      day=date(2030, 1, 1))
        atexit.register(_close)
    return _STATE


def _close() -> None:
    window = _STATE.pop("window", None)
    if window is not None:
        window.workspace.labs.set_labs(None, [])   # drop rows without orphaning their items
        window.close()
        window.deleteLater()
        _STATE["app"].processEvents()
        _STATE.pop("store").close()
    _STATE.pop("key", None)


@benchmark("search: patients as you type", setup=_window, target=0.05)
def _search(state: dict[str, Any]) -> None:
    patient_list = state["window"].patient_list
    patient_list.search.setText(next(state["queries"]))
    state["app"].processEvents()
    assert patient_list.model.rowCount() >= 0


def _closed(quick: bool) -> dict[str, Any]:
    """No patient open, and the plots forget theirs: every run opens from scratch."""
    state = _window(quick)
    state["window"].workspace.open_patient(None)
    state["window"].workspace.patient_id = None
    plots = state["window"].plots.plots
    plots.patient_id = None
    plots._context_key = None
    return state


@benchmark("open: the largest patient", setup=_closed, target=0.3)
def _open(state: dict[str, Any]) -> None:
    state["window"].open_patient(state["largest"])
    state["app"].processEvents()


def _opened(quick: bool) -> dict[str, Any]:
    """The largest patient open on the Labs tab, as a nurse entering counts has it."""
    state = _window(quick)
    workspace = state["window"].workspace
    if workspace.patient_id != state["largest"].id:
        state["window"].open_patient(state["largest"])
    workspace.tabs.setCurrentWidget(workspace.labs)
    state["app"].processEvents()
    state["day"] += timedelta(days=1)
    return state


@benchmark("save: a lab value until the plot shows it", setup=_opened, target=0.05,
           floor=floors.sqlite_insert_commit)
def _save(state: dict[str, Any]) -> None:
    from clinical.record import LabTest
    from gui.labs_grid import TESTS

    grid = state["window"].workspace.labs
    row = grid.add_row(state["day"].isoformat())
    grid.table.item(row, 1 + TESTS.index(LabTest.ANC)).setText("0.8")
    assert grid.save_row(row)
    state["app"].processEvents()
    x = (state["day"] - state["window"].plots.plots.origin).days
    xs, _ys = state["window"].plots.plots.curves["anc"].getOriginalDataset()
    assert x in set(xs.tolist())


def _pdf_setup(quick: bool) -> Any:
    state = _window(quick)
    return state["store"].load_record(state["largest"].id)


@benchmark("report: the largest patient's PDF", setup=_pdf_setup, target=3.0,
           floor=floors.reportlab_one_page)
def _pdf(record: Any) -> None:
    from reports.summary import build_summary_pdf

    build_summary_pdf(record, out=io.BytesIO(), printed_by="bench", database="bench.db")


@fact("database size per patient-year", unit="bytes")
def _size(quick: bool) -> float:
    name = "mini" if quick else "hospital"
    patients, days = COHORTS[name]
    db = _db(quick)
    return db.stat().st_size / (patients * days / 365)


@benchmark("verify: whole file, every data row replayed", setup=_db, runs=1)
def _verify(db: Path) -> None:
    """Issue 13: `hemalog verify` replays every data row against its audit trail now;
    the figure is reported, with no target (it runs with the daily backup, not at start)."""
    from storage.integrity import verify_database

    result = verify_database(db)
    assert result.ok, result.lines()


@benchmark("start: quick check of the database", setup=_db, target=0.05)
def _quick_check(db: Path) -> None:
    """What start-up runs before the window opens; it must not replay the data."""
    from storage.integrity import quick_check

    result = quick_check(db)
    assert result.ok, result.lines()
