"""Floors: the same kind of work done by the bare libraries, measured in the same run.

A figure next to its floor tells how much hemalog adds on top of what Qt,
SQLite, pyqtgraph and reportlab cost anyway.
"""

from __future__ import annotations

import io
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median(fn, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


BARE_QT = ("import os; os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
           "from PySide6.QtWidgets import QApplication, QMainWindow\n"
           "app = QApplication([]); w = QMainWindow(); w.resize(1366, 768); w.show()\n"
           "w.repaint()\n"
           "os._exit(0)\n")


@cache
def bare_qt_start(quick: bool) -> float:
    """A fresh interpreter showing an empty QMainWindow (offscreen), wall time."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return _median(lambda: subprocess.run([sys.executable, "-c", BARE_QT], env=env,
                                          check=True, capture_output=True), 2 if quick else 5)


@cache
def sqlite_insert_commit(quick: bool) -> float:
    """One raw sqlite3 INSERT + COMMIT in WAL mode with synchronous=FULL."""
    folder = Path(tempfile.mkdtemp(prefix="hemalog-floor-"))
    conn = sqlite3.connect(folder / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v REAL)")

    def once() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (1.5)")
        conn.execute("COMMIT")
    result = _median(once, 5 if quick else 21)
    conn.close()
    return result


@cache
def pyqtgraph_points(quick: bool, points: int = 20_000) -> float:
    """pyqtgraph alone: one PlotWidget given ``points`` points, then a repaint."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    widget = pg.PlotWidget()
    widget.resize(900, 250)
    widget.show()
    app.processEvents()  # exposed: repaint() paints for real from here on
    curve = widget.plot(pen=pg.mkPen("k", width=1))
    xs = np.arange(points, dtype=float)

    def once() -> None:
        curve.setData(xs, np.sin(xs / 50.0))
        widget.viewport().repaint()
    result = _median(once, 5)
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return result


@cache
def reportlab_one_page(quick: bool) -> float:
    """reportlab alone: a one-page PDF with a heading, a paragraph and a small table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()

    def once() -> None:
        out = io.BytesIO()
        SimpleDocTemplate(out, pagesize=A4).build([
            Paragraph("Patient summary", styles["Title"]),
            Paragraph("One page of text. " * 40, styles["Normal"]),
            Table([["date", "test", "value"]] + [["2025-01-01", "anc", "0.5"]] * 20)])
    return _median(once, 5)
