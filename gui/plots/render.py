"""Render the trend plots to a PNG without a screen (hemalog plot, letters, reports)."""

from __future__ import annotations

import os
from pathlib import Path

from clinical.derive import derive
from clinical.errors import HemalogError
from clinical.record import EventType, Record
from gui.plots.axes import XMode


def render_png(record: Record, out: Path, *, anchor: str = "date",
               size: tuple[int, int] = (1400, 1500)) -> Path:
    """Draw the same panels as the app into ``out``; anchor is cart, hsct or date."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gui.plots.trend_plots import TrendPlots

    mode = {"date": XMode.CALENDAR, "cart": XMode.CART, "hsct": XMode.HSCT}[anchor]
    derived = derive(record)
    needed = {XMode.CART: EventType.CART_INFUSION, XMode.HSCT: EventType.HSCT}.get(mode)
    if needed is not None and needed not in derived.anchors:
        raise HemalogError(f"--anchor {anchor}: this patient has no "
                           f"{'CAR-T infusion' if needed is EventType.CART_INFUSION else 'HSCT'}")
    app = QApplication.instance() or QApplication([])
    plots = TrendPlots()
    plots.resize(*size)
    plots.show()
    plots.show_record(record.patient.id or 0, record, derived)
    plots.set_mode(mode)
    plots.reset_view()
    app.processEvents()
    plots._place_band_labels()
    app.processEvents()
    ok = plots.save_png(str(out))
    plots.close()
    plots.deleteLater()
    app.processEvents()
    if not ok:
        raise HemalogError(f"{out}: cannot write the image")
    return out
