"""The treatment timeline of page 1, after the seed case's Figure 3.

Figure 3 of the case report shows the treatment process from diagnosis to
allo-HSCT: every regimen in order, each followed by the bone-marrow (flow
cytometry) MRD result that judged it, then CAR-T and HSCT. Here each course is
one row, in date order, drawn as a bar from its first to its last dose on a
shared date axis, with its marrow MRD result as a diamond at the marrow date;
CAR-T infusion and HSCT are vertical lines through every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect
from reportlab.lib.colors import white

from clinical.dosing import fmt
from clinical.record import Course, CourseCategory, EventType, MarrowResult
from reports.context import ReportContext
from reports.drawing import (
    CATEGORY_FILL, DEFAULT_FILL, FAINT, INK, MARKER_STYLE, DateAxis, faded, new_drawing, fit,
    marker, place_labels, text, vline, wrap_lines,
)

__all__ = ["TimelineRow", "timeline_rows", "timeline_figure", "mrd_text"]


@dataclass(frozen=True)
class TimelineRow:
    label: str
    category: str                   # course category, or "diagnosis"
    start: date
    end: date                       # last day given (inclusive)
    mrd: MarrowResult | None        # the marrow MRD that followed
    course_index: int | None = None  # into record.courses (None for the diagnosis row)


def mrd_text(m: MarrowResult, ctx: ReportContext | None = None) -> str:
    """'MRD 22.9 %', 'MRD not detected', 'MRD 0.005 % (neg)' (Chinese with ctx)."""
    if m.mrd_pct is None:
        return "MRD —"
    if m.mrd_pct == 0:
        return "MRD not detected" if ctx is None else ctx.translate("Report", "MRD not detected")
    if m.mrd_pct < 0.01:
        if ctx is None:
            return f"MRD {fmt(m.mrd_pct)} % (neg)"
        return ctx.translate("Report", "MRD {pct} % (neg)").format(pct=fmt(m.mrd_pct))
    return f"MRD {fmt(m.mrd_pct)} %"


def _course_span(ctx: ReportContext, index: int) -> tuple[date, date] | None:
    dates = [d for calc in ctx.derived.doses[index] if calc.dates for d in calc.dates]
    course: Course = ctx.record.courses[index]
    if not dates and course.start_date is not None:
        dates = [course.start_date]
    return (min(dates), max(dates)) if dates else None


def timeline_rows(ctx: ReportContext) -> tuple[list[TimelineRow], list[str]]:
    """Diagnosis, then the courses in date order, each with the MRD that followed it.

    The MRD "that followed" a course is the first marrow MRD after the course
    began and on or before the day the next course began. Also returns the names
    of courses that have no dates (not drawn).
    """
    record = ctx.record
    spans = []
    undated = []
    for i, course in enumerate(record.courses):
        span = _course_span(ctx, i)
        if span is None:
            undated.append(course.name)
        else:
            spans.append((span[0], i, span[1]))
    spans.sort()
    marrow = sorted((m for m in record.marrow if m.mrd_pct is not None), key=lambda m: m.date)
    rows: list[TimelineRow] = []
    diagnosis = record.patient.diagnosis_date or min(
        (e.date for e in record.events if e.type is EventType.DIAGNOSIS), default=None)
    first_start = spans[0][0] if spans else None
    if diagnosis is not None:
        before = [m for m in marrow if first_start is None or m.date <= first_start]
        label = ctx.translate("Report", "Diagnosis: {diagnosis}").format(
            diagnosis=record.patient.diagnosis)
        rows.append(TimelineRow(label, "diagnosis",
                                diagnosis, diagnosis, before[0] if before else None))
    # Supportive courses (CRS treatment, transfusion support) are drawn but take no MRD:
    # the MRD after a treatment course is the one before the next treatment course.
    treating = [span for span in spans
                if record.courses[span[1]].category is not CourseCategory.SUPPORTIVE]
    for start, i, end in spans:
        course = record.courses[i]
        after = None
        if course.category is not CourseCategory.SUPPORTIVE:
            k = treating.index((start, i, end))
            next_start = treating[k + 1][0] if k + 1 < len(treating) else date.max
            after = next((m for m in marrow if start < m.date <= next_start), None)
        rows.append(TimelineRow(course.name, course.category.value, start, end, after, i))
    return rows, undated


def timeline_figure(ctx: ReportContext, width: float, max_height: float) -> Drawing | None:
    rows, _undated = timeline_rows(ctx)
    if not rows:
        return None
    fonts = ctx.fonts
    top_h, axis_h = 22.0, 20.0
    row_h = min(15.0, max(3.0, (max_height - top_h - axis_h) / len(rows)))
    size = max(3.5, min(7.5, row_h * 0.72))
    height = top_h + axis_h + row_h * len(rows)
    drawing, g = new_drawing(ctx.fonts, width, height)

    label_w = width * 0.33
    dates = [r.start for r in rows] + [r.end for r in rows]
    dates += [r.mrd.date for r in rows if r.mrd is not None]
    dates += list(ctx.derived.anchors.values())
    first, last = min(dates), max(dates)
    pad = max(3, (last - first).days // 40)
    # Room on the right for the last MRD label, so labels can follow their diamonds.
    room = max((fonts.width(mrd_text(r.mrd, ctx), size, bold=True) for r in rows if r.mrd),
               default=0.0) + row_h * 0.3 + 4
    x0, x1 = label_w + 6, width - 4
    scale = max(x1 - x0 - room, (x1 - x0) / 2) / ((last - first).days + 2 * pad)
    extra = int((x1 - x0) / scale) - ((last - first).days + 2 * pad)
    axis = DateAxis(first - timedelta(days=pad), last + timedelta(days=pad + max(extra, 0)),
                    x0, x1)
    y_axis = axis_h
    y_top = axis_h + row_h * len(rows)

    # Row stripes and labels.
    for n, row in enumerate(rows):
        y = y_top - (n + 1) * row_h
        if n % 2 == 0:
            g.add(Rect(0, y, width, row_h, fillColor=faded(INK, 0.05), strokeColor=None))
        number = "" if row.category == "diagnosis" else f"{n if rows[0].category == 'diagnosis' else n + 1}. "
        bold = row.category in ("cellular_therapy", "diagnosis")
        value = number + ctx.scrub(row.label)
        wrap_size = min(size, row_h / 2.15)
        if fonts.width(value, size, bold=bold) > label_w - 4 and wrap_size >= 5:
            lsize = wrap_size
            lines = wrap_lines(fonts, value, lsize, label_w - 4, 2, bold=bold)
        else:
            line, lsize = fit(fonts, value, size, label_w - 4, min_size=max(3.5, size - 1.5),
                              bold=bold)
            lines = [line]
        lead = lsize * 1.08
        base = y + row_h / 2 + (len(lines) - 1) * lead / 2 - lsize * 0.34
        for k, line in enumerate(lines):
            g.add(text(fonts, 2, base - k * lead, line, lsize, bold=bold))

    # CAR-T and HSCT through every row, labelled above.
    spans, anchor_labels = [], []
    for kind, when in sorted(ctx.derived.anchors.items(), key=lambda kv: kv[1]):
        colour, dash, lw = MARKER_STYLE[kind.value]
        x = axis.x(when)
        g.add(vline(x, y_axis, y_top + 3, colour, dash, lw))
        name = "CAR-T" if kind is EventType.CART_INFUSION else "HSCT"
        label = f"{name} {ctx.date(when)}"
        w = fonts.width(label, 7, bold=True)
        left = min(max(x - w / 2, label_w), width - w)
        spans.append((left, left + w))
        anchor_labels.append((left, label, colour))
    for (left, label, colour), level in zip(anchor_labels, place_labels(spans, 2)):
        g.add(text(fonts, left, y_top + 5 + level * 8.5, label, 7, colour=colour, bold=True))

    # Bars and MRD diamonds.
    for n, row in enumerate(rows):
        yc = y_top - (n + 0.5) * row_h
        x0 = axis.x(row.start)
        if row.category == "diagnosis":
            g.add(Circle(x0, yc, max(1.5, row_h * 0.22), fillColor=INK, strokeColor=INK))
            bar_right = x0 + 3
        else:
            x1 = max(axis.x(row.end + timedelta(days=1)), x0 + 1.5)
            fill = CATEGORY_FILL.get(row.category, DEFAULT_FILL)
            g.add(Rect(x0, yc - row_h * 0.28, x1 - x0, row_h * 0.56,
                       fillColor=faded(fill, 0.6), strokeColor=fill, strokeWidth=0.6))
            bar_right = x1
        if row.mrd is None:
            continue
        xm = axis.x(row.mrd.date)
        negative = row.mrd.mrd_pct is not None and row.mrd.mrd_pct < 0.01
        g.add(Line(bar_right, yc, xm, yc, strokeColor=FAINT, strokeWidth=0.5,
                   strokeDashArray=[1, 1]))
        g.add(marker("diamond", xm, yc, max(1.6, row_h * 0.26), INK, filled=not negative))
        label = mrd_text(row.mrd, ctx)
        w = fonts.width(label, size, bold=not negative)
        left = xm + row_h * 0.3 + 2 if xm + row_h * 0.3 + 2 + w <= width else x0 - 3 - w
        g.add(Rect(left - 0.5, yc - size * 0.45, w + 1, size * 1.05, fillColor=white,
                   strokeColor=None))
        g.add(text(fonts, left, yc - size * 0.36, label, size, bold=not negative))

    axis.draw(g, ctx, y_axis, 6.5)
    g.add(Line(axis.x0, y_top, axis.x1, y_top, strokeColor=FAINT, strokeWidth=0.4))
    return drawing
