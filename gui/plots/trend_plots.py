"""Live trend plots beside the forms: panels A–E of the seed case's Figure 2 and an
events strip (toxicity grades, transfusions), with CAR-T / HSCT / PET-CT /
engraftment lines and shaded course bands on every panel.

Curves are created once and updated with setData. A lab saved anywhere in the
app reaches the plot through StoreBridge.item_saved without reloading the patient.
The context (lines, labels) is drawn with items kept from one patient to the next:
creating about a hundred text items and lines anew for each patient opened was half
of what the plots cost then.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QVBoxLayout, QWidget

import lang
from clinical.derive import Derived
from clinical.messages import Msg
from clinical.record import EventType, Lab, LabTest, Record
from clinical.series import MRD_NOT_DETECTED, PANEL_SPECS, TrendData, trend_data
from gui.plots.axes import EPOCH, DayAxis, XMode, day_text
from gui.plots.style import (
    BAND_COLOURS, DEFAULT_BAND, GRADE_COLOURS, MARKER_STYLE, SERIES_STYLE, UNGRADED,
)

pg.setConfigOptions(antialias=True, background="w", foreground="k")

EVENT_ROWS = ("crs", "icans", "agvhd", "cgvhd", "transfusion")
EVENT_NAMES = ("CRS", "ICANS", "aGVHD", "cGVHD", QT_TRANSLATE_NOOP("TrendPlots", "Transf."))
LAB_PANEL = {test: key for key, _t, _y, _l, series, _th in PANEL_SPECS for test, _n in series}
# Stacking of the context items over the curves (which are at 0): each kind above the
# one before, as when they were added in this order after the curves.
Z_MARKER_LINE, Z_THRESHOLD, Z_COURSE_LABEL, Z_MARKER_LABEL = 1, 2, 3, 4


def shown(value: Any) -> str:
    """A word of the panels in the window's language: a clinical message rendered, a
    plain word looked up in the catalogue ("Trends": reports/vocabulary.py), or as is."""
    if isinstance(value, Msg):
        return lang.render(value)
    return QCoreApplication.translate("Trends", str(value))


class _BandsItem(pg.GraphicsObject):
    """Course bands as one item per panel: rectangles across the whole view height.

    One painter pass instead of one LinearRegionItem per course and panel
    (40 courses x 6 panels cost ~0.1 s to create and ~0.1 s to add).
    """

    def __init__(self) -> None:
        super().__init__()
        self._bands: list[tuple[float, float, QColor]] = []
        self.setZValue(-20)

    def set_bands(self, bands: list[tuple[float, float, QColor]]) -> None:
        self._bands = bands
        self.prepareGeometryChange()
        self.update()

    def viewRangeChanged(self) -> None:  # noqa: N802 - pyqtgraph's hook
        self.prepareGeometryChange()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        view = self.getViewBox()
        return QRectF(view.viewRect()) if view is not None else QRectF()

    def paint(self, painter: QPainter, *_: Any) -> None:
        rect = self.boundingRect()
        painter.setPen(Qt.PenStyle.NoPen)
        for x0, x1, colour in self._bands:
            if x1 >= rect.left() and x0 <= rect.right():
                painter.fillRect(QRectF(x0, rect.top(), x1 - x0, rect.height()), colour)


class _SeriesData:
    """One lab series as sorted arrays, with lab ids so corrections and voids apply.

    numpy arrays, not lists: a redraw hands them to the curve as they are (turning
    20,000 list items into an array cost more than painting them)."""

    def __init__(self) -> None:
        self.days = np.zeros(0, dtype=np.int64)     # x in days since EPOCH, sorted
        self.values = np.zeros(0, dtype=float)
        self.ids = np.zeros(0, dtype=np.int64)

    def set(self, labs: list[Lab]) -> None:
        labs = sorted(labs, key=lambda lab: lab.date)
        self.days = np.array([(lab.date - EPOCH).days for lab in labs], dtype=np.int64)
        self.values = np.array([lab.value for lab in labs], dtype=float)
        self.ids = np.array([lab.id or 0 for lab in labs], dtype=np.int64)

    def in_step_with(self, labs: list[Lab]) -> bool:
        """The same labs (ids and values) as these, in any order."""
        return sorted(zip(self.ids.tolist(), self.values.tolist())) == \
            sorted((lab.id or 0, lab.value) for lab in labs)

    def upsert(self, lab: Lab) -> None:
        self.remove(lab.id or 0)
        x = (lab.date - EPOCH).days
        at = int(np.searchsorted(self.days, x, side="right"))  # after same-day values
        self.days = np.insert(self.days, at, x)
        self.values = np.insert(self.values, at, lab.value)
        self.ids = np.insert(self.ids, at, lab.id or 0)

    def remove(self, lab_id: int) -> bool:
        found = np.flatnonzero(self.ids == lab_id)
        if not len(found):
            return False
        at = int(found[0])
        self.days = np.delete(self.days, at)
        self.values = np.delete(self.values, at)
        self.ids = np.delete(self.ids, at)
        return True

    def count_between(self, lo: float, hi: float) -> int:
        """How many points lie in [lo, hi) (days since EPOCH)."""
        return int(np.searchsorted(self.days, hi) - np.searchsorted(self.days, lo))


class TrendPlots(QWidget):
    """The trend panels for one patient."""

    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Trend plots"))
        self.mode = XMode.CALENDAR
        self.origin = EPOCH
        self.trend: TrendData | None = None
        self._trend_labs: Sequence[Lab] = ()   # the labs ``trend`` was made from
        self.patient_id: int | None = None
        self.layout_widget = pg.GraphicsLayoutWidget()
        self.layout_widget.setAccessibleName(self.tr("Trend plot panels"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.layout_widget)
        self.axes: list[DayAxis] = []
        self.panels: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.lab_series: dict[str, _SeriesData] = {}
        self._context_key: Any = None
        self._mrd_key: Any = None   # what the MRD curves show (points, origin)
        # The record's labs the series were last in step with, and the new labs drawn
        # since (see _labs_follow).
        self._synced_labs: Sequence[Lab] | None = None
        self._added_since: list[Lab] = []
        # Context items kept from one patient to the next (see the module's docstring):
        # a panel's vertical marker lines, the threshold lines (made with the first
        # context), the course names along panel B and the line labels along panel A.
        self._marker_lines: dict[str, list[pg.InfiniteLine]] = {}
        self._thresholds_drawn = False
        self._course_labels: list[pg.TextItem] = []
        self._marker_labels: list[pg.TextItem] = []
        self._spot_pen = pg.mkPen("k")                # the event strip's spots' outline
        self._spot_brushes: dict[str, Any] = {}       # their fills, by colour
        self._bands: dict[str, _BandsItem] = {}
        self._labels: list[tuple[pg.PlotItem, pg.TextItem, float, int]] = []
        self._symbols: dict[str, str] = {}
        self._log_y = {key: log_y for key, _t, _y, log_y, _s, _th in PANEL_SPECS}
        self._build()
        # The series drawn from labs (the MRD curve is drawn from the marrow results).
        self._lab_tests = [t for t in self.lab_series if t in {lt.value for lt in LabTest}]
        self._hover = pg.SignalProxy(self.layout_widget.scene().sigMouseMoved, rateLimit=30,
                                     slot=self._on_mouse_moved)

    # --- building --------------------------------------------------------------------
    def _new_plot(self, row: int, title: str, y_label: str) -> pg.PlotItem:
        axis = DayAxis()
        self.axes.append(axis)
        plot = self.layout_widget.addPlot(row=row, col=0, axisItems={"bottom": axis})
        plot.setTitle(title, size="9pt")
        plot.setLabel("left", y_label)
        # No grid: with 20,000 points a frame costs 25 ms with it, 13 ms without
        # (the bands, markers and threshold lines carry the reading).
        plot.showGrid(x=False, y=False)
        plot.getAxis("left").setWidth(72)  # equal widths keep the linked x axes aligned
        plot.setMenuEnabled(False)
        if self.panels:
            plot.setXLink(next(iter(self.panels.values())))
        return plot

    def _add_bands(self, key: str, plot: pg.PlotItem) -> None:
        bands = _BandsItem()
        plot.addItem(bands, ignoreBounds=True)
        self._bands[key] = bands

    def _build(self) -> None:
        for row, (key, title, y_label, log_y, series, _thresholds) in enumerate(PANEL_SPECS):
            plot = self._new_plot(row, f"{key}  {shown(title)}", shown(y_label))
            plot.setLogMode(y=log_y)
            legend = plot.addLegend(offset=(-10, 5), labelTextSize="8pt")
            legend.setBrush(pg.mkBrush(255, 255, 255, 200))
            for test, label in series:
                colour, style, symbol = SERIES_STYLE[test]
                curve = plot.plot([], [], name=shown(label),
                                  pen=pg.mkPen(colour, width=2, style=style),
                                  symbol=symbol, symbolSize=6, symbolBrush=colour,
                                  symbolPen=pg.mkPen(colour))
                # Years of daily counts: draw only what is in view, decimated to the
                # pixels available (peaks kept, so a nadir is never smoothed away).
                curve.setClipToView(True)
                curve.setDownsampling(auto=True, method="peak")
                curve.opts["autoDownsampleFactor"] = 1.0
                self._symbols[test] = symbol
                self.curves[test] = curve
                self.lab_series[test] = _SeriesData()
            self.panels[key] = plot
            self._add_bands(key, plot)
        nd = self.panels["C"].plot([], [], name=self.tr("MRD not detected"), pen=None,
                                   symbol="o",
                                   symbolSize=8, symbolBrush="w",
                                   symbolPen=pg.mkPen(SERIES_STYLE["mrd"][0], width=2))
        self.curves["mrd_nd"] = nd
        events = self._new_plot(len(PANEL_SPECS), self.tr("Toxicity grades and transfusions"),
                                "")
        events.setYRange(-0.7, len(EVENT_ROWS) - 0.3, padding=0)
        names = [QCoreApplication.translate("TrendPlots", name) for name in EVENT_NAMES]
        events.getAxis("left").setTicks([list(enumerate(names))])
        events.setMouseEnabled(y=False)
        self.panels["events"] = events
        self._add_bands("events", events)
        self.grade_scatter = pg.ScatterPlotItem()
        self.transfusion_scatter = pg.ScatterPlotItem()
        events.addItem(self.grade_scatter)
        events.addItem(self.transfusion_scatter)
        for key in ("D", "events"):
            self.panels[key].setMaximumHeight(150)
        events.setMinimumHeight(120)
        for key in ("A", "B"):
            self.panels[key].vb.sigRangeChanged.connect(self._place_band_labels)
        self.panels["A"].vb.sigXRangeChanged.connect(self._update_symbols)

    # --- data -----------------------------------------------------------------------------
    def show_record(self, patient_id: int, record: Record, derived: Derived) -> None:
        """Draw a patient; for the open patient only what changed is redrawn: the labs
        are in step already when they arrived through ``add_or_update_lab`` (a series
        another workstation added to, corrected or voided is set and drawn anew), and
        the context and MRD curves only when they differ from what is drawn."""
        first = patient_id != self.patient_id
        self.patient_id = patient_id
        if first:
            self._mrd_key = None   # another patient: every curve drawn anew
        # The same patient's trend is worked out from the one drawn (a value saved adds
        # one point, not a sort of every count again).
        previous = None if first or self.trend is None else (self._trend_labs, self.trend)
        self.trend = trend_data(record, derived, previous=previous)
        self._trend_labs = record.labs
        changed = []
        if first or not self._labs_follow(record.labs):
            for test, labs in self._labs_by_test(record.labs).items():
                series = self.lab_series[test]
                if first or not series.in_step_with(labs):
                    series.set(labs)
                    changed.append(test)
        self._synced_labs, self._added_since = record.labs, []
        self._draw_all(changed)
        if first:
            self.reset_view()

    def _labs_follow(self, labs: Sequence[Lab]) -> bool:
        """Whether ``labs`` are the very labs the series were last in step with, then the
        new labs that came through ``add_or_update_lab`` since, in that order: what the
        workspace shows after a value saved here. Checked by identity, at C speed, not
        by grouping and sorting thousands of labs again on every value saved."""
        synced, added = self._synced_labs, self._added_since
        if synced is None or len(labs) != len(synced) + len(added):
            return False
        return all(map(operator.is_, labs, synced)) and \
            all(map(operator.is_, labs[len(synced):], added))

    def _labs_by_test(self, labs: Any) -> dict[str, list[Lab]]:
        """The labs of each plotted test, in the record's order (grouped by the enum
        itself: reading ``.value`` of thousands of labs cost more than the grouping)."""
        by_test: dict[LabTest, list[Lab]] = {LabTest(t): [] for t in self._lab_tests}
        for lab in labs:
            found = by_test.get(lab.test)
            if found is not None:
                found.append(lab)
        return {test.value: found for test, found in by_test.items()}

    def add_or_update_lab(self, lab: Lab) -> None:
        """A lab saved or corrected: move just that point."""
        series = self.lab_series.get(lab.test.value)
        if series is not None and lab.id is not None and bool((series.ids == lab.id).any()):
            self._synced_labs = None   # a correction: the next record is checked in full
        else:
            self._added_since.append(lab)
        if series is None:
            return
        series.upsert(lab)
        self._draw_series(lab.test.value)

    def remove_lab(self, lab_id: int) -> None:
        self._synced_labs = None   # the next record is checked in full
        for test, series in self.lab_series.items():
            if series.remove(lab_id):
                self._draw_series(test)

    def _x(self, d: date) -> int:
        return (d - self.origin).days

    def _offset(self) -> int:
        return (self.origin - EPOCH).days

    def _draw_series(self, test: str, *, symbols: bool = True) -> None:
        s = self.lab_series[test]
        x = s.days.astype(float) - self._offset()
        y = s.values
        if self._log_y[LAB_PANEL[test]]:
            keep = y > 0
            x, y = x[keep], y[keep]
        curve = self.curves[test]
        curve.setData(x, y)
        # Wide pens cost ~250x more to paint than cosmetic 1-px pens (measured: 2 s
        # vs 8 ms for 20,000 points): wide only while the series is short.
        width = 2 if len(x) <= self.WIDE_PEN_UP_TO else 1
        if curve.opts["pen"].widthF() != width:
            colour, style, _symbol = SERIES_STYLE[test]
            curve.setPen(pg.mkPen(colour, width=width, style=style))
        if symbols:
            self._update_symbols()

    def _draw_all(self, tests: list[str] | None = None) -> None:
        """The lab series ``tests`` (None: every one; after the x origin moved), then the
        MRD curves, the context and which panels show, each where it changed."""
        for test in self._lab_tests if tests is None else tests:
            self._draw_series(test, symbols=False)
        if tests is None or tests:
            self._update_symbols()
        trend = self.trend
        if trend is None:
            return
        mrd = next(s for p in trend.panels for s in p.series if s.key == "mrd")
        mrd_key = (mrd.points, mrd.not_detected, self.origin)
        if mrd_key != self._mrd_key:
            self._mrd_key = mrd_key
            self.curves["mrd"].setData([self._x(d) for d, _ in mrd.points],
                                       [v for _, v in mrd.points])
            self.curves["mrd_nd"].setData([self._x(d) for d in mrd.not_detected],
                                          [MRD_NOT_DETECTED] * len(mrd.not_detected))
        self._draw_context(trend)
        changed = False
        for panel in trend.panels:  # panel E only "when present"
            plot = self.panels[panel.key]
            changed |= plot.isVisible() != panel.has_data
            plot.setVisible(panel.has_data)
            plot.setMaximumHeight((150 if panel.key == "D" else 16777215) if panel.has_data else 0)
        if changed:
            self._relayout()

    def _relayout(self) -> None:
        """Share the height again after a panel appeared or went (the first count of its
        kind saved): the grid layout keeps the old row sizes until told, which left a
        new panel about 15 px high until the app was restarted."""
        view = self.layout_widget
        view.ci.layout.invalidate()
        # The central item was sized to what the panels could take then (the events strip
        # alone is at most 150 px): give it the whole view again.
        view.ci.setGeometry(view.range)

    def _draw_context(self, trend: TrendData) -> None:
        key = (trend.bands, trend.markers, trend.grades, trend.transfusions, self.origin)
        if key == self._context_key:
            return  # e.g. a lab was saved: the lines, bands and grades are as they were
        self._context_key = key
        bands = [(self._x(b.start), self._x(b.end),
                  QColor(*BAND_COLOURS.get(b.category, DEFAULT_BAND))) for b in trend.bands]
        pens = [pg.mkPen(colour, width=1.5, style=style) for colour, style in
                (MARKER_STYLE.get(m.kind, ("#444", Qt.PenStyle.DashLine)) for m in trend.markers)]
        for key_, plot in self.panels.items():
            self._bands[key_].set_bands(bands)
            lines = self._marker_lines.setdefault(key_, [])
            for i, (marker, pen) in enumerate(zip(trend.markers, pens)):
                if i == len(lines):
                    lines.append(self._kept(plot, pg.InfiniteLine(
                        pos=self._x(marker.date), angle=90, movable=False, pen=pen),
                        Z_MARKER_LINE))
                else:
                    lines[i].setPen(pen)
                    lines[i].setPos(self._x(marker.date))
                    lines[i].setVisible(True)
            for line in lines[len(trend.markers):]:
                line.setVisible(False)
        self._draw_thresholds()
        self._labels = []
        for i, band in enumerate(trend.bands):  # course names along panel B, staggered
            text = self._text(self._course_labels, i, self.panels["B"], band.label[:28],
                              "#333333", line_label=False)
            self._labels.append((self.panels["B"], text, self._x(band.start), i % 3))
        for i, marker in enumerate(trend.markers):  # line labels along panel A, staggered
            colour, _style = MARKER_STYLE.get(marker.kind, ("#444", Qt.PenStyle.DashLine))
            text = self._text(self._marker_labels, i, self.panels["A"], shown(marker.label),
                              colour, line_label=True)
            text.setVisible(True)
            self._labels.append((self.panels["A"], text, self._x(marker.date), i % 4))
        for unused in (*self._course_labels[len(trend.bands):],
                       *self._marker_labels[len(trend.markers):]):
            unused.setVisible(False)
        self._place_band_labels()
        # One pen and one brush per look, shared by the spots: pyqtgraph renders a
        # symbol for each pen and brush object it is given (a new pair per spot rendered
        # every marker again, and kept each rendering, on every patient opened).
        outline = self._spot_pen
        spots = [{"pos": (self._x(g.date), EVENT_ROWS.index(g.kind)),
                  "size": 8 + 2 * max(g.rank, 0),
                  "brush": self._spot_brush(GRADE_COLOURS[g.rank] if 0 <= g.rank < 6
                                             else UNGRADED),
                  "pen": outline, "symbol": "o", "data": shown(g.label)}
                 for g in trend.grades]
        self.grade_scatter.setData(spots)
        grey = self._spot_brush("#999999")
        self.transfusion_scatter.setData(
            [{"pos": (self._x(d), EVENT_ROWS.index("transfusion")), "size": 10,
              "symbol": "t1", "brush": grey, "pen": outline,
              "data": self.tr("{product} transfusion").format(
                  product=shown(product.replace("_", " ")))}
             for d, product in trend.transfusions])

    def _spot_brush(self, colour: str) -> Any:
        """The one brush of this colour the event strip's spots share."""
        brush = self._spot_brushes.get(colour)
        if brush is None:
            brush = self._spot_brushes[colour] = pg.mkBrush(colour)
        return brush

    def _draw_thresholds(self) -> None:
        """The dashed threshold lines (ANC 0.5, PLT 20, MRD 0.01 %): the same for every
        patient, made with the first context drawn (not before: no patient, no lines)."""
        if self._thresholds_drawn:
            return
        self._thresholds_drawn = True
        for key, _t, _y, log_y, _series, thresholds in PANEL_SPECS:
            for value, label in thresholds:
                line = pg.InfiniteLine(pos=np.log10(value) if log_y else value, angle=0,
                                       movable=False,
                                       pen=pg.mkPen("#555555", width=1,
                                                    style=Qt.PenStyle.DashLine),
                                       label=shown(label), labelOpts={"position": 0.02,
                                                               "color": "#555555"})
                self._kept(self.panels[key], line, Z_THRESHOLD)

    def _text(self, kept: list[pg.TextItem], i: int, plot: pg.PlotItem, words: str,
              colour: str, *, line_label: bool) -> pg.TextItem:
        """The ``i``-th label of its kind (``kept``), made the first time one is needed
        and given its words and colour after. A course name is plain, 7 pt; a line's
        label (``line_label``) bold on a white fill, above the course names."""
        if i < len(kept):
            text = kept[i]
            if text.color != pg.mkColor(colour):
                text.setColor(colour)
            text.setText(words)
            return text
        font = QFont()
        font.setPointSize(7)
        if line_label:
            text = pg.TextItem(words, color=colour, anchor=(0, 0),
                               fill=pg.mkBrush(255, 255, 255, 190))
            font.setBold(True)
        else:
            text = pg.TextItem(words, color=colour, anchor=(0, 0))
        text.setFont(font)
        kept.append(self._kept(plot, text, Z_MARKER_LABEL if line_label else Z_COURSE_LABEL))
        return text

    @staticmethod
    def _kept(plot: pg.PlotItem, item: Any, z: float) -> Any:
        item.setZValue(z)
        plot.addItem(item, ignoreBounds=True)
        return item

    def _place_band_labels(self, *_: Any) -> None:
        """Keep course and line labels near the top of their panel as the view moves."""
        for plot, item, x, level in self._labels:
            (x0, x1), (y0, y1) = plot.viewRange()
            item.setPos(x, y1 - (y1 - y0) * (0.01 + 0.11 * level))
            # Course names only where there is room: about 8 px per day shown or a wide view.
            if plot is self.panels["B"]:
                item.setVisible(plot.vb.width() >= 650 or
                                plot.vb.width() / max(x1 - x0, 1) >= 8)

    WIDE_PEN_UP_TO = 400
    SYMBOLS_UP_TO = 400   # markers on each point only while they stay readable
    # Antialiased lines while the points in view are fewer than about the pixels across;
    # beyond that each pixel column holds a peak pair (see _build) and smoothing adds
    # nothing to see but doubles the cost of a frame (measured: 5 ms vs 2 ms a curve).
    SMOOTH_UP_TO = 1000

    def _update_symbols(self, *_: Any) -> None:
        """Markers for a few hundred points in view; a plain line for thousands."""
        (x0, x1), _y = self.panels["A"].viewRange()
        lo, hi = x0 + self._offset(), x1 + self._offset()
        for test, series in self.lab_series.items():
            shown = series.count_between(lo, hi)
            wanted = self._symbols[test] if shown <= self.SYMBOLS_UP_TO else None
            curve = self.curves[test]
            if curve.opts["symbol"] != wanted:
                curve.setSymbol(wanted)
            smooth = shown <= self.SMOOTH_UP_TO
            if curve.opts["antialias"] != smooth:
                curve.opts["antialias"] = smooth        # passed on by its next setData
                curve.curve.opts["antialias"] = smooth  # painted with from now
                curve.curve.update()

    # --- x axis, ranges, images ----------------------------------------------------------
    def available_modes(self) -> list[XMode]:
        modes = [XMode.CALENDAR]
        if self.trend:
            if EventType.CART_INFUSION in self.trend.anchors:
                modes.append(XMode.CART)
            if EventType.HSCT in self.trend.anchors:
                modes.append(XMode.HSCT)
        return modes

    def set_mode(self, mode: XMode) -> None:
        anchors = self.trend.anchors if self.trend else {}
        event = {XMode.CART: EventType.CART_INFUSION, XMode.HSCT: EventType.HSCT}.get(mode)
        if event is not None and event not in anchors:
            mode = XMode.CALENDAR
        x_range = self.panels["A"].viewRange()[0]
        shift = self._offset()
        self.mode = mode
        self.origin = anchors[event] if event is not None else EPOCH
        for axis in self.axes:
            axis.set_origin(self.origin, mode is XMode.CALENDAR)
        self._draw_all()
        shift -= self._offset()
        self.panels["A"].setXRange(x_range[0] + shift, x_range[1] + shift, padding=0)

    def reset_view(self) -> None:
        for key, plot in self.panels.items():
            plot.enableAutoRange(y=key != "events")
        trend = self.trend
        if trend and trend.first_date() and trend.last_date():
            first, last = self._x(trend.first_date()), self._x(trend.last_date())
            margin = max(3, (last - first) * 0.04)  # room for the last line's label
            self.panels["A"].setXRange(first - 3, last + margin, padding=0)
        self._place_band_labels()

    def show_days(self, first: date, last: date) -> None:
        """Zoom to a date range (range presets)."""
        self.panels["A"].setXRange(self._x(first), self._x(last), padding=0)
        for key, plot in self.panels.items():
            plot.enableAutoRange(y=key != "events")
        self._place_band_labels()

    def save_png(self, path: str) -> bool:
        return self.layout_widget.grab().save(path, "PNG")

    # --- hover ------------------------------------------------------------------------------
    def _on_mouse_moved(self, event: tuple[Any, ...]) -> None:
        pos = event[0]
        for key, plot in self.panels.items():
            if not plot.sceneBoundingRect().contains(pos):
                continue
            point = plot.vb.mapSceneToView(pos)
            text = self._nearest(key, point.x(), point.y())
            if text:
                self.hovered.emit(text)
            return

    def _nearest(self, panel: str, x: float, y: float) -> str:
        best: tuple[float, str] | None = None
        (x0, x1), (y0, y1) = self.panels[panel].viewRange()
        for name, curve in self.curves.items():
            if curve.getViewBox() is not self.panels[panel].vb:
                continue
            xs, ys = curve.getData()
            if xs is None or len(xs) == 0:
                continue
            ys_view = np.log10(ys) if self._log_y.get(panel) else ys
            i = int(np.argmin(((xs - x) / max(x1 - x0, 1e-9)) ** 2 +
                              ((ys_view - y) / max(y1 - y0, 1e-9)) ** 2))
            dist = ((xs[i] - x) / max(x1 - x0, 1e-9)) ** 2
            if best is None or dist < best[0]:
                when = self.origin.fromordinal(self.origin.toordinal() + int(xs[i]))
                label = curve.name() or name
                value = f"{ys[i]:g}"
                best = (dist, f"{label} {value} · {when.isoformat()} · {self._day_labels(when)}")
        return best[1] if best else ""

    def _day_labels(self, when: date) -> str:
        if not self.trend:
            return ""
        names = {"cart_infusion": "CAR-T", "hsct": "HSCT"}
        return ", ".join(self.tr("{anchor} day {day}").format(anchor=names[t.value],
                                                              day=day_text((when - d).days))
                         for t, d in self.trend.anchors.items())

