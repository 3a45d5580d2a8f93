"""The tables after page 1: courses, toxicity, marrow and events.

Every table repeats its header row on each page it runs onto (LongTable with
repeatRows=1) and wraps text in Paragraph cells, so long names and warnings
never run out of their column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import LongTable, Paragraph, TableStyle

from clinical.days import reference_label
from clinical.derive import grade_label
from clinical.dosing import DoseCalculation, fmt
from clinical.marrow import chimerism_category
from clinical.record import DoseUnit, DrugLine, EventType
from reports.context import ReportContext
from reports.timeline_figure import mrd_text, timeline_rows
from reports.vocabulary import code_text

__all__ = ["Styles", "base_style", "courses_table", "toxicity_table", "marrow_table", "events_table",
           "unit_text", "days_text", "course_order", "grade_text", "mrd_status", "event_title"]

NOTES_IN_TABLES = 1500      # characters of one item's notes printed in a table cell

HEADER_BG = colors.HexColor("#E4E4E4")
COURSE_BG = colors.HexColor("#F1F1F1")
GRID = colors.HexColor("#9A9A9A")
WARN = colors.HexColor("#A8200D")
NOTE = colors.HexColor("#555555")


@dataclass
class Styles:
    """Paragraph styles in the report's fonts."""

    ctx: ReportContext

    def __post_init__(self) -> None:
        f = self.ctx.fonts
        self.body = ParagraphStyle("body", fontName=f.regular, fontSize=8, leading=10)
        self.cell = ParagraphStyle("cell", fontName=f.regular, fontSize=7.3, leading=8.8)
        self.small = ParagraphStyle("small", parent=self.cell, fontSize=6.3, leading=7.6,
                                    textColor=NOTE)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=f.bold)
        self.h1 = ParagraphStyle("h1", fontName=f.bold, fontSize=15, leading=18)
        self.h2 = ParagraphStyle("h2", fontName=f.bold, fontSize=11, leading=14,
                                 spaceBefore=10, spaceAfter=4)
        self.caption = ParagraphStyle("caption", parent=self.cell, fontSize=6.8, leading=8.4,
                                      textColor=NOTE)
        if not self.ctx.english:
            # Chinese has no spaces to break at: break between any two characters, and give
            # the taller CJK glyphs a little more room between lines.
            for style in (self.body, self.cell, self.small, self.head, self.h1, self.h2,
                          self.caption):
                style.wordWrap = "CJK"
                style.leading = round(style.fontSize * 1.32, 1)

    def p(self, text: Any, style: ParagraphStyle | None = None, *, bold: bool = False,
          scrub: bool = True) -> Paragraph:
        if text is not None:
            text = self.ctx.render(text)  # a clinical message in the printout's language
        value = self.ctx.scrub(text) if scrub else str(text)
        return Paragraph(self.ctx.fonts.markup(value, bold=bold), style or self.cell)

    def lines(self, *parts: tuple[str, str]) -> Paragraph:
        """One cell from (kind, text) parts: kind is 'b' bold, 'n' normal, 's' small, 'w' warning."""
        out = []
        f = self.ctx.fonts
        for kind, value in parts:
            if not value:
                continue
            value = self.ctx.scrub(self.ctx.render(value))
            if kind == "b":
                out.append(f.markup(value, bold=True))
            elif kind == "s":
                out.append(f'<font size="6.3" color="#555555">{f.markup(value)}</font>')
            elif kind == "w":
                out.append(f'<font color="#A8200D">{f.markup("⚠ " + value)}</font>')
            else:
                out.append(f.markup(value))
        return Paragraph("<br/>".join(out), self.cell)


def base_style(ctx: ReportContext) -> list[tuple]:
    """Table defaults in our font (reportlab's default Helvetica would not be embedded)."""
    return [("FONT", (0, 0), (-1, -1), ctx.fonts.regular, 7.3)]


def _table(ctx: ReportContext, rows: list[list[Any]], widths: Sequence[float],
           extra: Sequence[tuple] = ()) -> LongTable:
    # splitInRow: a row taller than a page (a pasted letter in the notes) splits too.
    table = LongTable(rows, colWidths=list(widths), repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([
        *base_style(ctx),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        *extra,
    ]))
    return table


def _header(styles: Styles, names: Sequence[str]) -> list[Paragraph]:
    """The header row (``names`` already in the printout's language)."""
    return [styles.p(n, styles.head, bold=True, scrub=False) for n in names]


def _widths(total: float, parts: Sequence[float]) -> list[float]:
    s = sum(parts)
    return [total * p / s for p in parts]


# --- courses ---------------------------------------------------------------------------
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def category_text(category: str, ctx: ReportContext | None = None) -> str:
    """'gvhd_prophylaxis' -> 'GVHD prophylaxis' (in the printout's language)."""
    if ctx is None:
        return category.replace("_", " ").replace("gvhd", "GVHD")
    return code_text(ctx.words, category)


def unit_text(unit: str) -> str:
    """'mg/m2' -> 'mg/m²' (also inside a sentence such as a dose basis)."""
    return unit.replace("/m2", "/m²")


def amount_text(x: Decimal | None, unit: str, ctx: ReportContext | None = None) -> str:
    """'350 mg', '9.75×10⁷ cells' (cell doses are unreadable as plain digits)."""
    if x is None:
        return "—"
    shown = unit_text(unit)
    if ctx is not None and not ctx.english and "cells" in shown:
        shown = shown.replace("cells", ctx.translate("Report", "cells"))
    if abs(x) >= 100_000:
        exponent = int(x.adjusted())
        mantissa = fmt((x / Decimal(10) ** exponent).quantize(Decimal("0.01")))
        return f"{mantissa}×10{str(exponent).translate(_SUPERSCRIPT)} {shown}"
    return f"{fmt(x)} {shown}"


_BIG_NUMBER = re.compile(r"(?<![\d.])\d{6,}(?:\.\d+)?(?![\d.])")


def _basis(text: str) -> str:
    """A dose basis for print: m², and 9.75×10⁷ instead of 97500000."""
    return _BIG_NUMBER.sub(lambda m: amount_text(Decimal(m[0]), "").strip(), unit_text(text))


def _signed(n: int) -> str:
    return f"\u2212{-n}" if n < 0 else str(n)


def days_text(days: Sequence[int], ctx: ReportContext | None = None) -> str:
    """(1, 2, 3, 4, 11) -> 'd1–4, 11'; (−9, −8, −7) -> 'd−9 to −7' (Chinese 'd−9至−7')."""
    if not days:
        return "—"
    to = " to " if ctx is None else ctx.translate("Report", " to ")
    values = sorted(set(days))
    parts, start, prev = [], values[0], values[0]
    for d in values[1:] + [None]:  # type: ignore[list-item]
        if d is not None and d == prev + 1:
            prev = d
            continue
        if start == prev:
            parts.append(_signed(start))
        elif start >= 0:
            parts.append(f"{start}–{prev}")
        else:
            parts.append(f"{_signed(start)}{to}{_signed(prev)}")
        if d is not None:
            start = prev = d
    return "d" + ", ".join(parts)


def course_order(ctx: ReportContext) -> list[int]:
    """Course indices in date order of first dose (undated courses last, as recorded)."""
    def first(i: int) -> date:
        dates = [d for c in ctx.derived.doses[i] if c.dates for d in c.dates]
        start = ctx.record.courses[i].start_date
        return min(dates) if dates else start or date.max
    return sorted(range(len(ctx.record.courses)), key=lambda i: (first(i), i))


def _drug_row(styles: Styles, ctx: ReportContext, line: DrugLine, calc: DoseCalculation) -> list[Any]:
    route = f" ({line.route})" if line.route else ""
    per_day = (ctx.translate("Report", "{n}× a day").format(n=line.doses_per_day)
               if line.doses_per_day > 1 else "")
    ordered = styles.lines(("n", amount_text(Decimal(str(line.dose)), line.unit.value, ctx)),
                           ("s", per_day))
    if calc.amount is None:
        computed = styles.lines(("n", ctx.translate("Report", "not computed")),
                                ("s", ctx.render(calc.basis)))
    else:
        total = (f" × {calc.administrations} = {amount_text(calc.total, calc.unit, ctx)}"
                 if calc.administrations > 1 else "")
        computed = styles.lines(("n", f"{amount_text(calc.amount, calc.unit, ctx)}{total}"),
                                ("s", _basis(ctx.render(calc.basis))
                                 if "flat dose" not in str(calc.basis) else ""))
    dates = ctx.date_range(calc.dates[0], calc.dates[-1]) if calc.dates else "—"
    warnings = styles.lines(*(("w", w) for w in calc.warnings)) if calc.warnings else ""
    return [styles.p(line.drug + route), ordered, computed,
            styles.p(days_text(line.days, ctx)), styles.p(dates), warnings]


_SIZED_UNITS = frozenset({DoseUnit.MG_M2, DoseUnit.G_M2, DoseUnit.UNITS_M2, DoseUnit.MG_KG,
                          DoseUnit.CELLS_KG})


def courses_table(ctx: ReportContext, styles: Styles, width: float) -> LongTable | None:
    record, derived = ctx.record, ctx.derived
    if not record.courses:
        return None
    rows_info, _undated = timeline_rows(ctx)
    followed = {r.course_index: r.mrd for r in rows_info if r.course_index is not None}
    rows: list[list[Any]] = [_header(styles, (
        ctx.translate("Report", "Drug"), ctx.translate("Report", "Dose as ordered"),
        ctx.translate("Report", "Computed amount"), ctx.translate("Report", "Days"),
        ctx.translate("Report", "Dates"), ctx.translate("Report", "Warnings")))]
    extra: list[tuple] = []
    for number, i in enumerate(course_order(ctx), start=1):
        course, calcs = record.courses[i], derived.doses[i]
        dates = [d for c in calcs if c.dates for d in c.dates]
        when = (ctx.date_range(min(dates), max(dates)) if dates
                else ctx.translate("Report", "no dates"))
        mrd = followed.get(i)
        after = (ctx.translate("Report", " · followed by {mrd} ({date})").format(
            mrd=mrd_text(mrd, ctx), date=ctx.date(mrd.date)) if mrd is not None and dates else "")
        # The course's one measurement basis, once (clinical-rules.md Part A 1.1).
        sized = any(line.unit in _SIZED_UNITS for line in course.drugs)
        basis = (ctx.translate("Report", "Doses from {body}").format(
            body=ctx.render(calcs[0].body.describe())) if sized and calcs else "")
        head = styles.lines(("b", f"{number}. {course.name}"),
                            ("n", f"{category_text(course.category.value, ctx)} · {when} "
                                  f"({ctx.render(reference_label(course))}){after}"),
                            ("n", basis),
                            ("s", ctx.notes(course.notes, NOTES_IN_TABLES)))
        r = len(rows)
        rows.append([head, "", "", "", "", ""])
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), COURSE_BG),
                  ("LINEABOVE", (0, r), (-1, r), 0.6, colors.black)]
        for line, calc in zip(course.drugs, calcs):
            rows.append(_drug_row(styles, ctx, line, calc))
    return _table(ctx, rows, _widths(width, (16, 12, 24, 11, 19, 18)), extra)


# --- toxicity, marrow, events ----------------------------------------------------------
def _kind_name(ctx: ReportContext, kind: str) -> str:
    return {"crs": ctx.translate("Report", "CRS"), "icans": ctx.translate("Report", "ICANS"),
            "agvhd": ctx.translate("Report", "Acute GVHD"),
            "cgvhd": ctx.translate("Report", "Chronic GVHD")}[kind]


def grade_text(kind: str, value: Any, ctx: ReportContext | None = None) -> str:
    """'grade 3', 'grade II' (acute GVHD), 'moderate' (chronic GVHD); Chinese '3级'."""
    label = grade_label(kind, value)
    if ctx is None:
        if label is None:
            return "cannot be derived"
        return label if kind == "cgvhd" else f"grade {label}"
    if label is None:
        return ctx.translate("Report", "cannot be derived")
    if kind == "cgvhd":
        return ctx.term(label)
    return ctx.translate("Report", "grade {grade}").format(grade=label)


def mrd_status(ctx: ReportContext, negative: bool | None) -> str:
    """MRD negativity in words: negative, positive, not evaluable."""
    if negative is None:
        return ctx.translate("Report", "not evaluable")
    return (ctx.translate("Report", "negative") if negative
            else ctx.translate("Report", "positive"))


def _when_names(ctx: ReportContext) -> list[str]:
    """Date and day-counter columns; a de-identified copy has only the day."""
    day = ctx.translate("Report", "Day")
    return [day] if ctx.deidentified else [ctx.translate("Report", "Date"), day]


def _when_parts(ctx: ReportContext, date_part: float, day_part: float) -> list[float]:
    return [date_part + day_part] if ctx.deidentified else [date_part, day_part]


def _when_cells(ctx: ReportContext, styles: Styles, d: date) -> list[Paragraph]:
    """'2025-04-10' and one line per anchor ('CAR-T day +3', 'HSCT day −43')."""
    counters = ctx.counters(d)
    days = (styles.lines(*(("n", c) for c in counters.split(" · "))) if counters
            else styles.p(ctx.relative(d) if ctx.deidentified else "—"))
    return [days] if ctx.deidentified else [styles.p(ctx.date(d)), days]


def toxicity_table(ctx: ReportContext, styles: Styles, width: float) -> LongTable | None:
    pairs = sorted(zip(ctx.record.assessments, ctx.derived.grades), key=lambda p: p[0].date)
    if not pairs:
        return None
    rows: list[list[Any]] = [_header(styles, [
        *_when_names(ctx), ctx.translate("Report", "Assessment"),
        ctx.translate("Report", "Grade"), ctx.translate("Report", "Reason"),
        ctx.translate("Report", "Flags")])]
    for a, grade in pairs:
        rows.append([*_when_cells(ctx, styles, a.date), styles.p(_kind_name(ctx, a.kind.value)),
                     styles.p(grade_text(a.kind.value, grade.value, ctx), bold=True),
                     styles.lines(("n", ctx.reason(grade.reason)),
                                  ("s", ctx.notes(a.notes, NOTES_IN_TABLES))),
                     styles.lines(*(("n", ctx.render(f)) for f in grade.flags))])
    return _table(ctx, rows, _widths(width, (*_when_parts(ctx, 12, 15), 12, 10, 33, 18)))


def marrow_table(ctx: ReportContext, styles: Styles, width: float) -> LongTable | None:
    pairs = sorted(zip(ctx.record.marrow, ctx.derived.mrd), key=lambda p: p[0].date)
    if not pairs:
        return None
    notes = not ctx.deidentified and any(m.notes for m, _ in pairs)
    names = [*_when_names(ctx), ctx.translate("Report", "Blasts"), "MRD",
             ctx.translate("Report", "MRD negativity (10⁻⁴)"),
             ctx.translate("Report", "Donor chimerism")]
    parts = [*_when_parts(ctx, 13, 15), 8, 12, 30, 22]
    if notes:
        names.append(ctx.translate("Report", "Notes"))
        parts = [*_when_parts(ctx, 12, 14), 8, 10, 22, 15, 19]
    rows: list[list[Any]] = [_header(styles, names)]
    for m, mrd in pairs:
        mrd_cell = "—"
        if m.mrd_pct is not None:
            method = ", ".join(x for x in (ctx.term(m.mrd_method.value) if m.mrd_method else "",
                                           f"LOD {fmt(m.mrd_lod_pct)} %"
                                           if m.mrd_lod_pct is not None else "") if x)
            mrd_cell = styles.lines(("b", f"{fmt(m.mrd_pct)} %"), ("s", method))
        status = mrd_status(ctx, mrd.value)
        category = mrd.details.get("category")
        negativity = (styles.lines(("b", status + (f" ({ctx.term(category)})" if category
                                                   else "")),
                                   ("s", ctx.render(mrd.reason).split(": ", 1)[-1]
                                    .split("：", 1)[-1]))
                      if m.mrd_pct is not None else "—")
        chimerism = "—"
        if m.donor_chimerism_pct is not None:
            grade = chimerism_category(m.donor_chimerism_pct)
            chimerism = styles.lines(("b", ctx.translate("Report", "{pct} % donor").format(
                                         pct=fmt(m.donor_chimerism_pct))),
                                     ("n", code_text(ctx.words, grade.value)))
        row = [*_when_cells(ctx, styles, m.date),
               styles.p(f"{fmt(m.blasts_pct)} %" if m.blasts_pct is not None else "—"),
               mrd_cell, negativity, chimerism]
        if notes:
            row.append(styles.lines(("s", ctx.notes(m.notes, NOTES_IN_TABLES))))
        rows.append(row)
    return _table(ctx, rows, _widths(width, parts))


_EVENT_TITLES = {"cart_infusion": "CAR-T infusion", "hsct": "Stem cell transplant",
                 "pet_ct": "PET-CT", "last_follow_up": "Last follow-up",
                 "engraftment_confirmed": "Engraftment confirmed"}


def event_title(event_type: EventType, ctx: ReportContext | None = None) -> str:
    english = _EVENT_TITLES.get(event_type.value,
                                event_type.value.replace("_", " ").capitalize())
    if ctx is None or ctx.english:
        return english
    return {
        "diagnosis": ctx.translate("Report", "Diagnosis"),
        "cart_infusion": ctx.translate("Report", "CAR-T infusion"),
        "hsct": ctx.translate("Report", "Stem cell transplant"),
        "pet_ct": "PET-CT",
        "transfusion": ctx.translate("Report", "Transfusion"),
        "infection": ctx.translate("Report", "Infection"),
        "engraftment_confirmed": ctx.translate("Report", "Engraftment confirmed"),
        "relapse": ctx.translate("Report", "Relapse"),
        "death": ctx.translate("Report", "Death"),
        "last_follow_up": ctx.translate("Report", "Last follow-up"),
        "other": ctx.translate("Report", "Other"),
    }.get(event_type.value, english)


def _detail(ctx: ReportContext, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return code_text(ctx.words, value) if isinstance(value, str) else str(value)
    return amount_text(Decimal(str(value)), "").strip()


def events_table(ctx: ReportContext, styles: Styles, width: float) -> LongTable | None:
    events = sorted(ctx.record.events, key=lambda e: e.date)
    if not events:
        return None
    notes = not ctx.deidentified and any(e.notes for e in events)
    names = [*_when_names(ctx), ctx.translate("Report", "Event"),
             ctx.translate("Report", "Details")] + (
        [ctx.translate("Report", "Notes")] if notes else [])
    parts = [*_when_parts(ctx, 13, 15), 15, 30] + ([27] if notes else [])
    rows: list[list[Any]] = [_header(styles, names)]
    colon = ": " if ctx.english else "："
    for e in events:
        details = ", ".join(f"{code_text(ctx.words, k)}{colon}{_detail(ctx, v)}"
                            for k, v in e.details.items())
        row = [*_when_cells(ctx, styles, e.date),
               styles.p(event_title(e.type, ctx), bold=e.type in (EventType.CART_INFUSION,
                                                                  EventType.HSCT)),
               styles.p(details)]
        if notes:
            row.append(styles.lines(("s", ctx.notes(e.notes, NOTES_IN_TABLES))))
        rows.append(row)
    return _table(ctx, rows, _widths(width, parts))
