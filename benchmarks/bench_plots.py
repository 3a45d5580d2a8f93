"""Trend plots with 20,000 points per series: one new point redrawn (<= 8 ms and <= 4x
pyqtgraph alone, issue 18) and a saved value until the plot shows it (< 50 ms)."""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks import floors  # noqa: E402
from benchmarks.harness import at_end, benchmark  # noqa: E402
from clinical.derive import derive  # noqa: E402
from clinical.record import Lab, LabTest, Record  # noqa: E402
from clinical.record_schema import parse_record  # noqa: E402
from gui.bridge import StoreBridge  # noqa: E402
from gui.plots.plots_panel import PlotsPanel  # noqa: E402
from resources import DEMO_RECORD  # noqa: E402
from storage import open_store  # noqa: E402

POINTS = 20_000
SERIES = ("wbc", "anc", "hb", "plt")
_STATE: dict[str, Any] = {}


def big_record(points: int) -> dict[str, Any]:
    """The demo record with ``points`` daily values in each of four series."""
    import json
    doc = json.loads(DEMO_RECORD.read_text(encoding="utf-8"))
    doc["patient"] = {**doc["patient"], "mrn": "PLOT-1"}
    start = date(1970, 1, 1)
    doc["labs"] = [{"date": (start + timedelta(days=i)).isoformat(), "test": t,
                    "value": round(1 + (i * 7919 % 1000) / 100, 2),
                    "unit": "g/L" if t == "hb" else "10^9/L"}
                   for i in range(points) for t in SERIES]
    return doc


def _panel(quick: bool) -> dict[str, Any]:
    if "panel" not in _STATE:
        qInstallMessageHandler(lambda kind, _c, msg: print(msg)
                               if kind == QtMsgType.QtFatalMsg else None)
        app = QApplication.instance() or QApplication([])
        tmp = Path(tempfile.mkdtemp(prefix="hemalog-bench-plots-"))
        store = open_store(tmp / "plots.db", user="bench")
        record, problems = parse_record(big_record(2_000 if quick else POINTS))
        assert not problems and record is not None
        (patient,) = store.add_records([record])
        bridge = StoreBridge(store)
        panel = PlotsPanel(bridge)
        panel.resize(900, 1000)
        panel.show()
        loaded: Record = store.load_record(patient.id)
        panel.show_record(patient.id, loaded, derive(loaded))
        app.processEvents()
        _STATE.update(app=app, panel=panel, bridge=bridge, store=store, pid=patient.id,
                      day=date(2030, 1, 1), next_id=10**9)
        at_end(_close)
    _STATE["day"] += timedelta(days=1)
    return _STATE


def _close() -> None:
    panel = _STATE.pop("panel", None)
    if panel is None:   # closed already
        return
    panel.close()
    panel.deleteLater()
    _STATE["app"].processEvents()
    _STATE.pop("store").close()
    _STATE.clear()


@benchmark("plots: redraw after one new point (20,000/series)", setup=_panel, target=0.008,
           floor=floors.pyqtgraph_points, max_ratio=4.0)
def _redraw(state: dict[str, Any]) -> None:
    state["next_id"] += 1
    lab = Lab(date=state["day"], test=LabTest.ANC, value=1.5, unit="10^9/L",
              id=state["next_id"], version=1)
    plots = state["panel"].plots
    plots.add_or_update_lab(lab)
    state["app"].processEvents()   # Qt paints what the new point made dirty


@benchmark("plots: save a lab until the plot shows it (20,000/series)", setup=_panel,
           target=0.05, floor=floors.sqlite_insert_commit)
def _save_to_plot(state: dict[str, Any]) -> None:
    lab = Lab(date=state["day"], test=LabTest.PLT, value=42, unit="10^9/L")
    saved = state["bridge"].save_item("labs", state["pid"], lab)
    state["app"].processEvents()   # the plot is on screen when the event loop has painted
    assert saved.id in state["panel"].plots.lab_series["plt"].ids
