"""The trend panels of the app (A–E and the toxicity strip), drawn for paper.

All data comes from ``clinical.series.trend_data`` so the printout and the app
agree. Each panel spans its own data (counts cluster around CAR-T and HSCT,
MRD spans the whole treatment); panels without data are left out.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect
from reportlab.lib.colors import Color, white

from clinical.series import MRD_NOT_DETECTED, Panel, TrendData
from reports.context import ReportContext
from reports.drawing import (
    CATEGORY_FILL, DEFAULT_FILL, GREY, INK, MARKER_STYLE, SERIES_STYLE, VERMILLION, DateAxis,
    new_drawing,
    faded, marker, place_labels, text, vline,
)
from reports.vocabulary import TRENDS, term

__all__ = ["panel_drawing", "events_strip", "trend_drawings"]

MAX_MARKED_POINTS = 150     # above this a series is a line without symbols
_LEFT, _RIGHT, _BOTTOM = 46.0, 30.0, 20.0


def _nice_linear(top: float) -> tuple[float, list[float]]:
    if top <= 0:
        top = 1
    raw = top / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    top = math.ceil(top / step - 1e-9) * step
    return top, [i * step for i in range(int(round(top / step)) + 1)]


def _tick_text(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 1:
        return f"{v:g}"
    return f"{v:.10f}".rstrip("0").rstrip(".")


def _span(dates: list[date]) -> tuple[date, date]:
    first, last = min(dates), max(dates)
    pad = timedelta(days=max(3, (last - first).days // 25))
    return first - pad, last + pad


def _legend(g: Group, ctx: ReportContext, items: list[tuple[str, Color, tuple[float, ...], str,
                                                          bool]], right: float, y: float) -> None:
    """Legend entries right-aligned at ``right``: line sample, symbol, label."""
    x = right
    for label, colour, dash, symbol, filled in reversed(items):
        w = ctx.fonts.width(label, 6.5)
        x -= w
        g.add(text(ctx.fonts, x, y, label, 6.5))
        x -= 20
        if dash is not None:
            g.add(Line(x, y + 2.3, x + 16, y + 2.3, strokeColor=colour, strokeWidth=1.2,
                       strokeDashArray=list(dash) or None))
        g.add(marker(symbol, x + 8, y + 2.3, 2.2, colour, filled=filled))
        x -= 8


_LABEL_STEP = 7.5


def _marker_labels(ctx: ReportContext, trend: TrendData,
                   axis: DateAxis) -> tuple[list[tuple[float, float, str, Color, int]], int]:
    """(x, left, label, colour, level) for each marker line in range, and the levels used."""
    found = []
    for m in trend.markers:
        if not axis.contains(m.date):
            continue
        colour = MARKER_STYLE.get(m.kind, (GREY, (3, 2), 0.8))[0]
        x = axis.x(m.date)
        label = ctx.scrub(ctx.render(m.label))
        w = ctx.fonts.width(label, 6, bold=True)
        left = min(max(x - w / 2, axis.x0 - 30), axis.x1 + _RIGHT - w)
        found.append((x, left, label, colour, w))
    found.sort(key=lambda item: item[1])
    levels = place_labels([(left, left + w) for _x, left, _l, _c, w in found], max(len(found), 1),
                          gap=3)
    out = [(x, left, label, colour, level)
           for (x, left, label, colour, _w), level in zip(found, levels)]
    return out, (max(levels) + 1 if levels else 0)


def _t(ctx: ReportContext, value: object) -> str:
    """A word of the trend panels (clinical/series.py) in the printout's language."""
    return term(ctx.words, TRENDS, value)


def _context_lines(g: Group, ctx: ReportContext, trend: TrendData, axis: DateAxis,
                   y0: float, y1: float,
                   labels: list[tuple[float, float, str, Color, int]]) -> None:
    """Course bands behind the data; marker lines with their labels staggered above."""
    for band in trend.bands:
        if band.end < axis.first or band.start > axis.last:
            continue
        a = axis.x(max(band.start, axis.first))
        b = axis.x(min(band.end, axis.last))
        g.add(Rect(a, y0, max(b - a, 0.8), y1 - y0, strokeColor=None,
                   fillColor=faded(CATEGORY_FILL.get(band.category, DEFAULT_FILL), 0.16)))
    for m in trend.markers:
        if axis.contains(m.date):
            colour, dash, width = MARKER_STYLE.get(m.kind, (GREY, (3, 2), 0.8))
            g.add(vline(axis.x(m.date), y0, y1 + 2, colour, dash, width))
    for x, _left, _label, colour, level in labels:   # connectors first, labels on top
        g.add(Line(x, y1 + 2, x, y1 + 3 + level * _LABEL_STEP, strokeColor=colour,
                   strokeWidth=0.4))
    for x, left, label, colour, level in labels:
        y = y1 + 4 + level * _LABEL_STEP
        g.add(Rect(left - 0.5, y - 1.3, ctx.fonts.width(label, 6, bold=True) + 1, 7,
                   fillColor=white, strokeColor=None))
        g.add(text(ctx.fonts, left, y, label, 6, colour=colour, bold=True))


def panel_drawing(ctx: ReportContext, trend: TrendData, panel: Panel, width: float,
                  height: float) -> Drawing:
    """One panel: title and legend, marker labels, the plot with its axes."""
    fonts = ctx.fonts
    drawing, g = new_drawing(ctx.fonts, width, height)
    x0, x1 = _LEFT, width - _RIGHT
    y0 = _BOTTOM
    dates = [d for s in panel.series for d, _ in s.points]
    dates += [d for s in panel.series for d in s.not_detected]
    axis = DateAxis(*_span(dates), x0, x1)
    labels, levels = _marker_labels(ctx, trend, axis)
    y1 = height - 14 - max(levels, 1) * _LABEL_STEP - 2   # below the title and line labels

    values = [v for s in panel.series for _, v in s.points if not panel.log_y or v > 0]
    values += [t for t, _ in panel.thresholds]
    if panel.log_y:
        values += [MRD_NOT_DETECTED] if any(s.not_detected for s in panel.series) else []
        lo = math.floor(math.log10(min(values)))
        hi = math.ceil(math.log10(max(values)))
        hi = hi if hi > lo else lo + 1
        ticks = [10.0 ** e for e in range(lo, hi + 1)]

        def y_of(v: float) -> float:
            return y0 + (math.log10(v) - lo) / (hi - lo) * (y1 - y0)
    else:
        top, ticks = _nice_linear(max(values) * 1.05)

        def y_of(v: float) -> float:
            return y0 + v / top * (y1 - y0)

    g.add(text(fonts, 0, height - 10, f"{panel.key}   {_t(ctx, panel.title)}", 8.5, bold=True))
    _context_lines(g, ctx, trend, axis, y0, y1, labels)
    for t in ticks:
        y = y_of(t)
        g.add(Line(x0, y, x1, y, strokeColor=faded(INK, 0.1), strokeWidth=0.4))
        g.add(Line(x0 - 2.5, y, x0, y, strokeColor=INK, strokeWidth=0.5))
        g.add(text(fonts, x0 - 4, y - 2.2, _tick_text(t), 6.5, anchor="end"))
    ylabel = text(fonts, 0, 0, _t(ctx, panel.y_label), 6.5, anchor="middle")
    ylabel.transform = (0, 1, -1, 0, 8, (y0 + y1) / 2)
    g.add(ylabel)
    g.add(Line(x0, y0, x0, y1, strokeColor=INK, strokeWidth=0.6))
    for value, label in panel.thresholds:
        y = y_of(value)
        g.add(Line(x0, y, x1, y, strokeColor=GREY, strokeWidth=0.6, strokeDashArray=[2, 2]))
        g.add(text(fonts, x1 + 2, y - 2, _t(ctx, label), 5.5, colour=GREY))

    legend = []
    for s in panel.series:
        colour, dash, symbol = SERIES_STYLE.get(s.key, (INK, (), "circle"))
        points = [(axis.x(d), y_of(v)) for d, v in s.points if not panel.log_y or v > 0]
        if not points and not s.not_detected:
            continue
        legend.append((_t(ctx, s.label), colour, dash, symbol, True))
        if len(points) > 1:
            g.add(PolyLine([c for p in points for c in p], strokeColor=colour, strokeWidth=1.1,
                           strokeDashArray=list(dash) or None, strokeLineJoin=1))
        if len(points) <= MAX_MARKED_POINTS:
            for x, y in points:
                g.add(marker(symbol, x, y, 1.6, colour))
        for d in s.not_detected:
            g.add(marker(symbol, axis.x(d), y_of(MRD_NOT_DETECTED), 2.4, colour, filled=False))
        if s.not_detected:
            legend.append((ctx.translate("Report", "{series} not detected").format(
                series=_t(ctx, s.label)), colour, None, symbol, False))
    _legend(g, ctx, legend, width, height - 10)
    axis.draw(g, ctx, y0, 6.5)
    return drawing


_EVENT_ROWS = ("crs", "icans", "agvhd", "cgvhd", "transfusion")


def events_strip(ctx: ReportContext, trend: TrendData, width: float) -> Drawing | None:
    """Toxicity grades (size and darkness grow with the grade, number beside) and transfusions."""
    if not trend.grades and not trend.transfusions:
        return None
    fonts = ctx.fonts
    row_h = 11.0
    x0, x1, y0 = _LEFT, width - _RIGHT, _BOTTOM
    y1 = y0 + row_h * len(_EVENT_ROWS)
    dates = [m.date for m in trend.grades] + [d for d, _ in trend.transfusions]
    axis = DateAxis(*_span(dates), x0, x1)
    labels, levels = _marker_labels(ctx, trend, axis)
    height = y1 + max(levels, 1) * _LABEL_STEP + 2 + 14
    drawing, g = new_drawing(ctx.fonts, width, height)
    g.add(text(fonts, 0, height - 10,
               ctx.translate("Report", "Toxicity grades and transfusions"), 8.5, bold=True))
    names = ("CRS", "ICANS", "aGVHD", "cGVHD", ctx.translate("Report", "Transfusion"))
    _context_lines(g, ctx, trend, axis, y0, y1, labels)

    def row_y(kind: str) -> float:
        return y1 - (_EVENT_ROWS.index(kind) + 0.5) * row_h

    for kind, name in zip(_EVENT_ROWS, names):
        y = row_y(kind)
        g.add(Line(x0, y, x1, y, strokeColor=faded(INK, 0.1), strokeWidth=0.4))
        g.add(text(fonts, x0 - 4, y - 2.2, name, 6.5, anchor="end"))
    for m in trend.grades:
        x, y = axis.x(m.date), row_y(m.kind)
        rank = max(m.rank, 0)
        shade = faded(VERMILLION if rank else GREY, 0.25 + 0.15 * rank)
        g.add(Circle(x, y, 2 + 0.6 * rank, fillColor=shade if m.rank >= 0 else white,
                     strokeColor=INK, strokeWidth=0.6))
        label = str(m.label)
        grade = label.split(" ", 1)[1] if " " in label else label
        grade = ctx.term(grade)     # chronic GVHD: mild, moderate, severe
        g.add(text(fonts, x + 3.5 + 0.6 * rank, y + 1.5, grade, 6, bold=rank > 0))
    for d, product in trend.transfusions:
        g.add(marker("triangle", axis.x(d), row_y("transfusion"), 2.3, INK,
                     filled="platelet" in product))
    products = sorted({p for _, p in trend.transfusions})
    legend = [(_t(ctx, p.replace("_", " ")), INK, None, "triangle", "platelet" in p)
              for p in products]
    _legend(g, ctx, legend, width, height - 10)
    g.add(Line(x0, y0, x0, y1, strokeColor=INK, strokeWidth=0.6))
    axis.draw(g, ctx, y0, 6.5)
    return drawing


def trend_drawings(ctx: ReportContext, trend: TrendData, width: float) -> list[Drawing]:
    """Every panel that has data, then the toxicity strip."""
    out = []
    for panel in trend.panels:
        if panel.has_data:
            out.append(panel_drawing(ctx, trend, panel, width, 150 if panel.key in "ABC" else 125))
    strip = events_strip(ctx, trend, width)
    if strip is not None:
        out.append(strip)
    return out
