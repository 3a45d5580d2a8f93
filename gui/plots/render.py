"""Render the trend plots to a PNG without a screen (hemalog plot, letters, reports)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import lang
from clinical.derive import Derived, derive
from clinical.errors import HemalogError
from clinical.record import EventType, Record
from gui.plots.axes import XMode
from storage.outputs import check_output, write_atomically

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from gui.plots.trend_plots import TrendPlots


def render_png(record: Record, out: Path, *, anchor: str = "date",
               size: tuple[int, int] = (1400, 1500), language: str | None = None) -> Path:
    """Draw the same panels as the app into ``out``; anchor is cart, hsct or date.

    ``language`` ("en", "zh_CN"): the titles and labels; by default the app's
    current one. The translators are installed for the drawing and put back after.

    The image is encoded in memory and written with storage.outputs, so ``out``
    is checked (never a folder, a device or a database), created 0600 and
    replaced atomically: a full disk leaves no empty or half PNG behind.
    """
    check_output(out, None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    mode = {"date": XMode.CALENDAR, "cart": XMode.CART, "hsct": XMode.HSCT}[anchor]
    derived = derive(record)
    needed = {XMode.CART: EventType.CART_INFUSION, XMode.HSCT: EventType.HSCT}.get(mode)
    if needed is not None and needed not in derived.anchors:
        words = lang.Words(lang.choose())      # a message for the person at the terminal
        text = (words.translate("Plots", "--anchor {anchor}: this patient has no CAR-T infusion")
                if needed is EventType.CART_INFUSION else
                words.translate("Plots", "--anchor {anchor}: this patient has no HSCT"))
        raise HemalogError(text.format(anchor=anchor))
    app = QApplication.instance() or QApplication([])
    previous = lang.current()
    if language is not None and language != previous:
        from gui.i18n import use_language
        use_language(language, app)
    try:
        png = _draw(record, derived, mode, size, app)
    finally:
        if language is not None and language != previous:
            use_language(previous, app)
    if png is None:
        raise HemalogError(lang.Words(lang.choose()).translate(
            "Plots", "{file}: cannot draw the image").format(file=out))
    return write_atomically(out, png)


def _draw(record: Record, derived: Derived, mode: XMode, size: tuple[int, int],
          app: QCoreApplication) -> bytes | None:
    from gui.plots.trend_plots import TrendPlots

    plots = TrendPlots()
    plots.resize(*size)
    plots.show()
    plots.show_record(record.patient.id or 0, record, derived)
    plots.set_mode(mode)
    plots.reset_view()
    app.processEvents()
    plots._place_band_labels()
    app.processEvents()
    png = _png_bytes(plots)
    plots.close()
    plots.deleteLater()
    app.processEvents()
    return png


def _png_bytes(plots: TrendPlots) -> bytes | None:
    """Encode the panels in memory, so the file is written once, whole and private."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = plots.layout_widget.grab().save(buffer, "PNG")
    buffer.close()
    return bytes(data.data()) if ok and not data.isEmpty() else None
