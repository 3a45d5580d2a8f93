"""The printable patient summary: ``build_summary_pdf(record, out=..., ...)``.

Page 1 is what a physician hands over at a transfer or shows at an MDT: who,
diagnosis, BSA and anchors with day counters, a key-facts box and the
treatment timeline. Then the courses, toxicity, marrow tables, the trend
panels and the events. Every page carries the patient, "page x of y", when and
by whom it was printed and the database it came from.

Pure reportlab (platypus and reportlab.graphics): no Qt, so it runs from the
command line, in tests and on a server.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
    TableStyle,
)

import lang
from clinical.derive import derive
from clinical.errors import HemalogError
from clinical.record import Record
from clinical.rules import RULES_VERSION
from clinical.series import trend_data
from clinical.version import app_version
from reports.context import ReportContext
from reports.facts import NOTES_ON_PAGE_ONE, header_table, key_facts_table, rollups_table
from reports.fonts import MISSING_CJK_NOTE, FontSet, fonts
from reports.tables import Styles, base_style, courses_table, events_table, marrow_table, toxicity_table
from reports.timeline_figure import timeline_figure, timeline_rows
from reports.trend_figures import trend_drawings
from storage.checkpoints import record_checkpoint

__all__ = ["build_summary_pdf", "PAGE_SIZE"]

PAGE_SIZE = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 17 * mm, 17 * mm


def _draw_text(canvas: Canvas, f: FontSet, x: float, y: float, text: str, size: float, *,
               bold: bool = False, anchor: str = "start") -> None:
    """Draw text in script runs; anchor 'end' right-aligns at x."""
    runs = list(f.runs(text, bold=bold))
    if anchor == "end":
        x -= sum(stringWidth(run, font, size) for font, run in runs)
    line = canvas.beginText(x, y)     # one text object: the runs extract as one line
    for font, run in runs:
        line.setFont(font, size)
        line.textOut(run)
    canvas.drawText(line)


def _shorten(f: FontSet, text: str, size: float, width: float) -> str:
    """Cut the middle of a long path so its beginning and file name both stay."""
    if f.width(text, size) <= width:
        return text
    keep = len(text)
    while keep > 10 and f.width(text[:keep // 2] + "…" + text[-keep // 2:], size) > width:
        keep -= 2
    return text[:keep // 2] + "…" + text[-keep // 2:]


class _PageFurniture:
    """What is drawn on every page, and the page count once known."""

    def __init__(self, ctx: ReportContext) -> None:
        self.ctx = ctx
        self.pages = 0
        # The head of the audit chain, printed short in the footer and noted in the
        # checkpoint file beside the backups: a paper copy proves how far the log reached.
        head = record_checkpoint(Path(ctx.database), "summary printed")
        self.audit = head.short() if head is not None and head.rows else ""

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        ctx, f = self.ctx, self.ctx.fonts
        width, height = PAGE_SIZE
        left, right = MARGIN_X, width - MARGIN_X
        canvas.saveState()
        top = height - MARGIN_TOP + 6 * mm
        who = (ctx.translate("Report", "{name} · de-identified copy").format(
                   name=ctx.patient_name) if ctx.deidentified else
               ctx.translate("Report", "{name} · MRN {mrn}").format(
                   name=ctx.record.patient.name, mrn=ctx.record.patient.mrn))
        _draw_text(canvas, f, left, top, who, 8.5, bold=True)
        _draw_text(canvas, f, right, top, ctx.translate("Report", "hemalog patient summary"),
                   7.5, anchor="end")
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 3, right, top - 3)
        bottom = MARGIN_BOTTOM - 9 * mm
        canvas.line(left, bottom + 9, right, bottom + 9)
        pages = ctx.translate("Report", "Page {page} of {total}").format(page=page, total=total)
        _draw_text(canvas, f, right, bottom, pages, 8, bold=True, anchor="end")
        database = ctx.scrub(os.path.basename(ctx.database) if ctx.deidentified else ctx.database)
        printed = ctx.translate("Report", "Printed {when} by {who} · database: ").format(
            when=f"{ctx.printed_at:%Y-%m-%d %H:%M}", who=ctx.printed_by)
        room = right - left - f.width(pages, 8, bold=True) - 16 - f.width(printed, 7)
        _draw_text(canvas, f, left, bottom, printed + _shorten(f, database, 7, room), 7)
        if self.audit:  # above the rule, below the text frame
            _draw_text(canvas, f, right, bottom + 13, self.audit, 6.5, anchor="end")
        # what produced this page: the program and the clinical rules it applied
        _draw_text(canvas, f, left, bottom + 13, ctx.translate(
            "Report", "hemalog {version} · clinical rules {rules}").format(
                version=app_version(), rules=RULES_VERSION), 6.5)
        canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Holds every page until the end so each can say 'page x of y' (two passes)."""

    def __init__(self, *args: Any, furniture: _PageFurniture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        self._furniture.pages = total
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._furniture.draw(self, number, total)
            super().showPage()
        super().save()


def _canvas_maker(furniture: _PageFurniture) -> Callable[..., Canvas]:
    def make(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(*args, furniture=furniture, **kwargs)
    return make


def _height(flowables: list[Flowable], width: float, frame_h: float) -> float:
    total = 0.0
    for fl in flowables:
        _w, h = fl.wrap(width, frame_h)
        total += h + fl.getSpaceBefore() + fl.getSpaceAfter()
    return total


def _first_page(ctx: ReportContext, styles: Styles, width: float, frame_h: float) -> list[Flowable]:
    story: list[Flowable] = [header_table(ctx, styles, width)]
    notes: list[str] = []
    if ctx.deidentified:
        notes.append(ctx.translate("Report", "De-identified copy for teaching and case reports: initials instead of the name, no MRN, every date shown as a day number ({reference}); free-text notes are left out because they may name people or dates.").format(reference=ctx.reference_text))
    if ctx.fonts.missing_cjk:
        notes.append(MISSING_CJK_NOTE)
    for note in notes:
        box = Table([[styles.p(note, styles.body, bold=True, scrub=False)]], colWidths=[width])
        box.setStyle(TableStyle([*base_style(ctx), ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                                 ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F6F6F6"))]))
        story += [Spacer(1, 4), box]
    story += [Spacer(1, 6), key_facts_table(ctx, styles, width), Spacer(1, 4)]
    rollups = rollups_table(ctx, styles, width)
    if rollups is not None:
        story += [rollups, Spacer(1, 8)]
    caption = _timeline_caption(ctx, styles)
    rows, _ = timeline_rows(ctx)
    if rows:
        title = styles.p(ctx.translate("Report", "Treatment timeline"), styles.h2, bold=True,
                         scrub=False)
        used = _height(story + [title, caption], width, frame_h) + 14
        budget = frame_h - used
        if budget < 170:
            budget = frame_h * 0.6
        figure = timeline_figure(ctx, width, budget)
        story += [KeepTogether([title, figure, caption])] if figure is not None else []
    return story


def _timeline_caption(ctx: ReportContext, styles: Styles) -> Paragraph:
    _rows, undated = timeline_rows(ctx)
    text = ctx.translate("Report", "Each course is a bar from its first to its last dose, in date order, with the bone marrow MRD that followed it (the first marrow after the course began and before the next began): ◆ MRD positive (≥ 0.01 %), ◇ MRD negative. Vertical lines: CAR-T infusion (thin) and HSCT (thick). Bar colours: ")
    swatches = (("chemotherapy", "#56B4E9"), ("lymphodepletion", "#009E73"),
                ("conditioning", "#CC79A7"), ("GVHD prophylaxis", "#E69F00"),
                ("cellular therapy", "#D55E00"))
    comma, stop = (", ", ".") if ctx.english else ("、", "。")
    markup = ctx.fonts.markup(text) + ctx.fonts.markup(comma).join(
        f'<font color="{c}">■</font> {ctx.fonts.markup(ctx.term(n))}' for n, c in swatches
    ) + ctx.fonts.markup(stop)
    if undated:
        markup += ctx.fonts.markup(ctx.translate("Report", " Not drawn (no dates recorded): {courses}.").format(
            courses=", ".join(ctx.scrub(u) for u in undated)))
    if ctx.deidentified:
        markup += ctx.fonts.markup(ctx.translate("Report", " Axis: days ({reference}).").format(
            reference=ctx.reference_text))
    return Paragraph(markup, styles.caption)


def _section(title: str, styles: Styles, table: Flowable | None, intro: str = "") -> list[Flowable]:
    if table is None:
        return []
    head = [styles.p(title, styles.h2, bold=True, scrub=False)]
    if intro:
        head.append(styles.p(intro, styles.caption, scrub=False))
    return [CondPageBreak(90), *head, table]


def _trend_section(ctx: ReportContext, styles: Styles, width: float) -> list[Flowable]:
    trend = trend_data(ctx.record, ctx.derived)
    drawings = trend_drawings(ctx, trend, width)
    if not drawings:
        return []
    intro = ctx.translate("Report", "The panels of the app's trend view, each over its own dates. Shaded: treatment courses. Vertical lines: CAR-T, HSCT, PET-CT (dotted) and engraftment (dash-dot), labelled above each panel. Dashed horizontal lines: thresholds. Series differ by line style and symbol as well as colour.")
    if ctx.deidentified:
        intro += ctx.translate("Report", " Axes in days ({reference}).").format(
            reference=ctx.reference_text)
    out: list[Flowable] = [CondPageBreak(200),
                           styles.p(ctx.translate("Report", "Trends"), styles.h2, bold=True,
                                    scrub=False),
                           styles.p(intro, styles.caption, scrub=False), Spacer(1, 4)]
    for d in drawings:
        out += [d, Spacer(1, 8)]
    return out


def build_story(ctx: ReportContext, width: float, frame_h: float) -> list[Flowable]:
    styles = Styles(ctx)
    story = _first_page(ctx, styles, width, frame_h)
    story.append(PageBreak())
    story += _section(ctx.translate("Report", "Courses and doses"), styles,
                      courses_table(ctx, styles, width),
                      ctx.translate("Report", "Amounts computed from the BSA or weight on or before each course's first dose. hemalog never changes an order: a warning is for the prescriber to check."))
    story += _section(ctx.translate("Report", "Toxicity assessments"), styles,
                      toxicity_table(ctx, styles, width))
    story += _section(ctx.translate("Report", "Bone marrow"), styles,
                      marrow_table(ctx, styles, width),
                      ctx.translate("Report", "MRD negative means below 0.01 % (10⁻⁴); chimerism categories by ASTCT 2021 (full donor > 95 %)."))
    story += _trend_section(ctx, styles, width)
    story += _section(ctx.translate("Report", "Events"), styles,
                      events_table(ctx, styles, width))
    notes = ctx.notes(ctx.record.patient.notes)
    if len(notes) > NOTES_ON_PAGE_ONE:
        story += [CondPageBreak(60), styles.p(ctx.translate("Report", "Patient notes"),
                                              styles.h2, bold=True, scrub=False)]
        story += [styles.p(part, styles.body) for part in notes.split("\n") if part.strip()]
    return story


def build_summary_pdf(record: Record, *, out: Path | BinaryIO, printed_by: str, database: str,
                      printed_at: datetime | None = None, deidentified: bool = False,
                      language: str | None = None) -> int:
    """Write the summary PDF of ``record`` to ``out`` and return its number of pages.

    ``language``: "en" or "zh_CN"; by default the app's current language
    (``lang.current()``, English outside the app). A Chinese summary needs a CJK
    font: without one it is refused (HemalogError) rather than printed as boxes.
    """
    printed_at = printed_at or datetime.now().replace(microsecond=0)
    words = lang.Words(language or lang.current())
    found = fonts()
    if not words.is_english and found.missing_cjk:
        raise HemalogError(words.translate("Report", "cannot print the summary in Chinese: no font for Chinese text was found on this computer; set HEMALOG_CJK_FONT to a TrueType font file (.ttf or .ttc) with Chinese characters, e.g. WenQuanYi Micro Hei"))
    ctx = ReportContext(record, derive(record), found, printed_at, printed_by, database,
                        deidentified, words)
    width = PAGE_SIZE[0] - 2 * MARGIN_X
    frame_h = PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM
    title = ctx.translate("Report", "Patient summary") + (
        "" if deidentified else f" — {record.patient.mrn}")
    subject = (ctx.translate("Report", "hemalog patient summary (de-identified)") if deidentified
               else ctx.translate("Report", "hemalog patient summary"))
    target = str(out) if isinstance(out, Path) else out
    doc = SimpleDocTemplate(
        target, pagesize=PAGE_SIZE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=printed_by,
        subject=subject, creator="hemalog", lang="zh-CN" if not words.is_english else None,
        initialFontName=ctx.fonts.regular)
    furniture = _PageFurniture(ctx)
    # SimpleDocTemplate's frame has 6 pt padding on each side.
    doc.build(build_story(ctx, width - 12, frame_h - 12),
              canvasmaker=_canvas_maker(furniture))
    return furniture.pages
