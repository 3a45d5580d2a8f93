"""Shared pieces of the figures: colours, mixed-script labels and axes.

Colours are the Okabe-Ito set the app uses; every series and line also differs
by dash pattern and marker, so a black-and-white copy still tells them apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.context import ReportContext
from reports.fonts import FontSet

BLUE, VERMILLION, ORANGE, GREEN, PURPLE, SKY, GREY = (
    HexColor("#0072B2"), HexColor("#D55E00"), HexColor("#E69F00"), HexColor("#009E73"),
    HexColor("#CC79A7"), HexColor("#56B4E9"), HexColor("#666666"))
INK = HexColor("#222222")
FAINT = HexColor("#BBBBBB")

SOLID: tuple[float, ...] = ()
DASH = (4, 2)
DOT = (1, 1.6)
DASH_DOT = (4, 1.5, 1, 1.5)

# series key -> (colour, dash pattern, marker)
SERIES_STYLE: dict[str, tuple[Color, tuple[float, ...], str]] = {
    "wbc": (BLUE, SOLID, "circle"), "anc": (VERMILLION, DASH, "triangle"),
    "hb": (BLUE, SOLID, "square"), "plt": (ORANGE, DASH, "diamond"),
    "mrd": (VERMILLION, SOLID, "circle"), "tcr_pct": (BLUE, DOT, "triangle"),
    "car_t_pct": (GREEN, SOLID, "circle"), "crp": (BLUE, SOLID, "circle"),
    "ferritin": (ORANGE, DASH, "square"), "il6": (PURPLE, DOT, "triangle"),
}

# marker kind -> (colour, dash pattern, width)
MARKER_STYLE: dict[str, tuple[Color, tuple[float, ...], float]] = {
    "cart_infusion": (GREEN, SOLID, 1.3), "hsct": (PURPLE, SOLID, 2.2),
    "pet_ct": (GREY, DOT, 0.9), "engraftment_neutrophil": (VERMILLION, DASH_DOT, 1.0),
    "engraftment_platelet": (ORANGE, DASH_DOT, 1.0), "diagnosis": (INK, DOT, 0.9),
}

# course category -> band / bar fill (light enough to print under black text)
CATEGORY_FILL: dict[str, Color] = {
    "chemotherapy": HexColor("#56B4E9"), "lymphodepletion": HexColor("#009E73"),
    "conditioning": HexColor("#CC79A7"), "gvhd_prophylaxis": HexColor("#E69F00"),
    "cellular_therapy": HexColor("#D55E00"), "targeted": HexColor("#0072B2"),
}
DEFAULT_FILL = HexColor("#999999")


def faded(colour: Color, alpha: float) -> Color:
    """The colour mixed with white (an opaque tint prints the same everywhere)."""
    return Color(1 - alpha * (1 - colour.red), 1 - alpha * (1 - colour.green),
                 1 - alpha * (1 - colour.blue))


def new_drawing(fonts: FontSet, width: float, height: float) -> tuple[Drawing, Group]:
    """A drawing whose default font is ours (else reportlab sets Helvetica, unembedded)."""
    drawing = Drawing(width, height, initialFontName=fonts.regular, initialFontSize=7)
    group = Group()
    drawing.add(group)
    return drawing, group


def text(fonts: FontSet, x: float, y: float, value: str, size: float, *,
         colour: Color = INK, anchor: str = "start", bold: bool = False) -> Group:
    """A label in script runs (Latin font, CJK font where needed)."""
    runs = list(fonts.runs(value, bold=bold))
    widths = [stringWidth(run, font, size) for font, run in runs]
    total = sum(widths)
    left = x - (total if anchor == "end" else total / 2 if anchor == "middle" else 0)
    group = Group()
    for (font, run), w in zip(runs, widths):
        group.add(String(left, y, run, fontName=font, fontSize=size, fillColor=colour))
        left += w
    return group


def place_labels(spans: list[tuple[float, float]], levels: int, gap: float = 4) -> list[int]:
    """A level (row) for each label span (left, right), spans sorted by left edge, so that
    labels on one level do not overlap; with too few levels a label goes to the level
    whose last label ends first."""
    ends = [-math.inf] * levels
    out = []
    for left, right in spans:
        level = next((i for i, end in enumerate(ends) if left >= end + gap), None)
        if level is None:
            level = min(range(levels), key=lambda i: ends[i])
        ends[level] = max(ends[level], right)
        out.append(level)
    return out


def fit(fonts: FontSet, value: str, size: float, width: float, *, bold: bool = False,
        min_size: float = 5.0) -> tuple[str, float]:
    """Shrink the font down to ``min_size`` to fit ``width``, then cut with an ellipsis."""
    while size > min_size and fonts.width(value, size, bold=bold) > width:
        size = max(min_size, size - 0.25)
    if fonts.width(value, size, bold=bold) <= width:
        return value, size
    while value and fonts.width(value + "…", size, bold=bold) > width:
        value = value[:-1]
    return value.rstrip() + "…", size


def wrap_lines(fonts: FontSet, value: str, size: float, width: float, max_lines: int, *,
               bold: bool = False) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last is cut with an ellipsis."""
    words = value.split(" ")
    lines: list[str] = []
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and fonts.width(line + " " + words[0], size, bold=bold) <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if words:
        lines[-1] = lines[-1] + " " + " ".join(words)
    if lines and fonts.width(lines[-1], size, bold=bold) > width:
        lines[-1] = fit(fonts, lines[-1], size, width, bold=bold, min_size=size)[0]
    return lines


def marker(kind: str, x: float, y: float, r: float, colour: Color, *,
           filled: bool = True) -> Polygon | Rect | Circle:
    """A data-point symbol: circle, square, triangle or diamond."""
    fill = colour if filled else white
    if kind == "square":
        return Rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7, fillColor=fill,
                    strokeColor=colour, strokeWidth=0.6)
    if kind == "triangle":
        return Polygon([x - r, y - r * 0.8, x + r, y - r * 0.8, x, y + r],
                       fillColor=fill, strokeColor=colour, strokeWidth=0.6)
    if kind == "diamond":
        return Polygon([x, y - r * 1.15, x + r, y, x, y + r * 1.15, x - r, y],
                       fillColor=fill, strokeColor=colour, strokeWidth=0.6)
    return Circle(x, y, r, fillColor=fill, strokeColor=colour, strokeWidth=0.6)


def vline(x: float, y0: float, y1: float, colour: Color, dash: tuple[float, ...],
          width: float) -> Line:
    return Line(x, y0, x, y1, strokeColor=colour, strokeWidth=width,
                strokeDashArray=list(dash) or None)


# --- the date axis ------------------------------------------------------------------
_DAY_STEPS = (1, 2, 5, 7, 10, 14, 20, 28, 30, 50, 60, 90, 100, 120, 180, 200, 365, 500, 730)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


@dataclass
class DateAxis:
    """Maps dates to x between ``x0`` and ``x1``; ticks as dates or as day numbers."""

    first: date
    last: date
    x0: float
    x1: float

    def __post_init__(self) -> None:
        if self.last <= self.first:
            self.last = self.first + timedelta(days=1)
        self.scale = (self.x1 - self.x0) / (self.last - self.first).days

    def x(self, d: date) -> float:
        return self.x0 + (d - self.first).days * self.scale

    def contains(self, d: date) -> bool:
        return self.first <= d <= self.last

    def ticks(self, ctx: ReportContext, size: float) -> list[tuple[date, str]]:
        """Tick dates and labels that do not overlap at font ``size``."""
        width = self.x1 - self.x0
        if ctx.deidentified and ctx.reference is not None:
            return self._day_ticks(ctx.reference, width, size, ctx)
        span = (self.last - self.first).days
        label_w = ctx.fonts.width("06-30", size) * 1.5
        if span <= 150:
            # Day and week ticks: the full date on the first tick, then month-day.
            for step in (1, 2, 7, 14):
                if span / step * label_w <= width:
                    shift = (7 - self.first.weekday()) % 7 if step >= 7 else 0
                    start = self.first + timedelta(days=shift)
                    out, year = [], None
                    for i in range(0, span + 1 - shift, step):
                        d = start + timedelta(days=i)
                        out.append((d, d.isoformat() if d.year != year else f"{d:%m-%d}"))
                        year = d.year
                    return out
        month_w = ctx.fonts.width("2024-06", size) * 1.5
        months = span / 30.4
        step = next((s for s in _MONTH_STEPS if months / s * month_w <= width), 48)
        d = _add_months(self.first, 1) if self.first.day != 1 else self.first
        while (d.month - 1) % step:
            d = _add_months(d, 1)
        out = []
        while d <= self.last:
            out.append((d, f"{d.year}" if step >= 12 else f"{d.year}-{d.month:02d}"))
            d = _add_months(d, step)
        return out

    def _day_ticks(self, ref: date, width: float, size: float,
                   ctx: ReportContext) -> list[tuple[date, str]]:
        lo, hi = (self.first - ref).days, (self.last - ref).days
        label_w = ctx.fonts.width("−1000", size) * 1.6
        step = next((s for s in _DAY_STEPS if (hi - lo) / s * label_w <= width), 1000)
        first = math.ceil(lo / step) * step
        out = []
        for n in range(first, hi + 1, step):
            label = f"+{n}" if n > 0 else f"\u2212{-n}" if n < 0 else "0"
            out.append((ref + timedelta(days=n), label))
        return out

    def draw(self, group: Group, ctx: ReportContext, y: float, size: float, *,
             grid_top: float | None = None) -> None:
        """The axis line at ``y`` with ticks and labels below (and a faint grid up to grid_top)."""
        group.add(Line(self.x0, y, self.x1, y, strokeColor=INK, strokeWidth=0.6))
        for d, label in self.ticks(ctx, size):
            x = self.x(d)
            group.add(Line(x, y, x, y - 2.5, strokeColor=INK, strokeWidth=0.5))
            if grid_top is not None:
                group.add(Line(x, y, x, grid_top, strokeColor=faded(black, 0.12),
                               strokeWidth=0.4))
            group.add(text(ctx.fonts, x, y - 3 - size, label, size, anchor="middle"))
