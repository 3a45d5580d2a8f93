"""Page 1's patient header and key-facts box."""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Paragraph, Table, TableStyle

from clinical.dosing import fmt
from clinical.marrow import chimerism_category
from clinical.record import AssessmentKind, EventType, Marker, Record
from reports.context import ReportContext
from reports.tables import Styles, base_style, event_title, grade_text

__all__ = ["header_table", "key_facts_table", "age_text", "diagnosis_text"]

NOTES_ON_PAGE_ONE = 600      # characters; longer patient notes continue at the end

_MARKER_TEXT = {Marker.POS: "+", Marker.NEG: "−", Marker.PARTIAL: " partial",
                Marker.WEAK: " weak"}


def age_text(ctx: ReportContext) -> str:
    """Age today (age at diagnosis in a de-identified copy, '90+' above 89)."""
    p = ctx.record.patient

    def years(on: date) -> int:
        assert p.birth_date is not None
        return on.year - p.birth_date.year - ((on.month, on.day) < (p.birth_date.month,
                                                                    p.birth_date.day))
    if p.birth_date and not ctx.deidentified:
        return f"{years(ctx.as_of)} y"
    age = p.age_at_diagnosis
    if age is None and p.birth_date and p.diagnosis_date:
        age = years(p.diagnosis_date)
    if age is None:
        return "age unknown"
    if ctx.deidentified and age > 89:
        return "90+ y at diagnosis"
    return f"{age} y at diagnosis"


def diagnosis_text(record: Record) -> str:
    p = record.patient
    markers = ", ".join(f"{m}{_MARKER_TEXT[v]}" for m, v in p.immunophenotype.items())
    return f"{p.diagnosis} ({markers})" if markers else p.diagnosis


def _bsa_text(ctx: ReportContext) -> str:
    body = ctx.derived.body
    if body.bsa_m2 is None:
        missing = [w for w, v in (("height", body.height_cm), ("weight", body.weight_kg)) if v is None]
        return f"not computed: no {' or '.join(missing)} recorded"
    parts = [f"{fmt(body.height_cm)} cm" if body.height_cm is not None else "",
             f"{fmt(body.weight_kg)} kg" if body.weight_kg is not None else ""]
    measured = body.weight_date or body.height_date
    when = f" on {ctx.date(measured)}" if measured else ""
    return (f"{fmt(body.bsa_m2)} m² ({body.formula.value}; "
            f"{', '.join(p for p in parts if p)}{when})")


def header_table(ctx: ReportContext, styles: Styles, width: float) -> Table:
    p = ctx.record.patient
    label = styles.head
    rows: list[list[Any]] = [[styles.p(ctx.patient_name, styles.h1, bold=True, scrub=False),
                              "", "", ""]]
    who = f"{p.sex.value}, {age_text(ctx)}"
    if ctx.deidentified:
        rows.append([styles.p("Sex, age", label, bold=True), styles.p(who), "", ""])
    else:
        rows.append([styles.p("MRN", label, bold=True), styles.p(p.mrn, bold=True),
                     styles.p("Sex, age", label, bold=True), styles.p(who)])
    diagnosed = f" — diagnosed {ctx.date(p.diagnosis_date)}" if p.diagnosis_date else ""
    rows.append([styles.p("Diagnosis", label, bold=True),
                 styles.p(diagnosis_text(ctx.record) + diagnosed), "", ""])
    rows.append([styles.p("BSA", label, bold=True), styles.p(_bsa_text(ctx)), "", ""])
    anchors = ctx.anchor_lines()
    rows.append([styles.p("Anchors", label, bold=True),
                 styles.lines(*(("n", a) for a in anchors)) if anchors else
                 styles.p("no CAR-T infusion or HSCT recorded"), "", ""])
    notes = ctx.notes(p.notes)
    if notes:
        if len(notes) > NOTES_ON_PAGE_ONE:
            notes = notes[:NOTES_ON_PAGE_ONE].rstrip() + " … (continued under Patient notes)"
        rows.append([styles.p("Notes", label, bold=True), styles.lines(("s", notes)), "", ""])
    w = [width * 0.13, width * 0.37, width * 0.13, width * 0.37]
    table = Table(rows, colWidths=w, hAlign="LEFT")
    style = [*base_style(ctx), ("SPAN", (0, 0), (-1, 0)), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, 0), 5)]
    for r in range(2 if not ctx.deidentified else 1, len(rows)):
        style.append(("SPAN", (1, r), (-1, r)))
    if ctx.deidentified:
        style.append(("SPAN", (1, 1), (-1, 1)))
    table.setStyle(TableStyle(style))
    return table


# --- key facts -------------------------------------------------------------------------
_FACT_KINDS = ((AssessmentKind.CRS, "Max CRS"), (AssessmentKind.ICANS, "Max ICANS"),
               (AssessmentKind.AGVHD, "Max acute GVHD"), (AssessmentKind.CGVHD,
                                                          "Max chronic GVHD"))


def _max_grade(ctx: ReportContext, styles: Styles, kind: AssessmentKind) -> Paragraph:
    best = ctx.derived.max_grades.get(kind)
    if best is None:
        return styles.p("not assessed")
    reason = best.reason.split(": ", 1)[1] if ": " in best.reason else best.reason
    return styles.lines(("b", grade_text(kind.value, best.value)), ("n", ctx.when(best.date)),
                        ("s", reason))


def _engraftment(ctx: ReportContext, styles: Styles, lineage: str) -> Paragraph:
    grade = ctx.derived.engraftment.get(lineage)
    found = (ctx.derived.engraftment_summary() or {}).get(lineage)
    if grade is None:
        return styles.p("—")
    if found and found["day"] is not None:
        day = found["day"]
        when = ctx.when(grade.value) if ctx.deidentified else ctx.date(grade.value)
        return styles.lines(("b", f"day +{day}" if day >= 0 else f"day {day}"), ("n", when))
    return styles.lines(("n", "not reached"), ("s", grade.reason))


def _latest_mrd(ctx: ReportContext, styles: Styles) -> Paragraph:
    pairs = [(m, g) for m, g in zip(ctx.record.marrow, ctx.derived.mrd) if m.mrd_pct is not None]
    if not pairs:
        return styles.p("not recorded")
    m, grade = max(pairs, key=lambda p: p[0].date)
    status = {True: "negative", False: "positive", None: "not evaluable"}[grade.value]
    value = "not detected" if m.mrd_pct == 0 else f"{fmt(m.mrd_pct)} %"
    method = f" by {m.mrd_method.value}" if m.mrd_method else ""
    return styles.lines(("b", f"{value} — {status}"), ("n", ctx.when(m.date) + method))


def _latest_chimerism(ctx: ReportContext, styles: Styles) -> Paragraph:
    found = [m for m in ctx.record.marrow if m.donor_chimerism_pct is not None]
    if not found:
        return styles.p("not recorded")
    m = max(found, key=lambda x: x.date)
    assert m.donor_chimerism_pct is not None
    category = str(chimerism_category(m.donor_chimerism_pct).value).replace("_", " ")
    return styles.lines(("b", f"{fmt(m.donor_chimerism_pct)} % donor — {category}"),
                        ("n", ctx.when(m.date)))


def _latest_pet(ctx: ReportContext, styles: Styles) -> Paragraph:
    pets = [e for e in ctx.record.events if e.type is EventType.PET_CT]
    if not pets:
        return styles.p("not recorded")
    scored = [e for e in pets if e.details.get("deauville") is not None] or pets
    e = max(scored, key=lambda x: x.date)
    score = e.details.get("deauville")
    head = f"Deauville {score}" if score is not None else "no Deauville score"
    response = str(e.details.get("response", "")).replace("_", " ")
    return styles.lines(("b", head + (f" — {response}" if response else "")),
                        ("n", ctx.when(e.date)))


def _status(ctx: ReportContext, styles: Styles) -> Paragraph:
    events = sorted(ctx.record.events, key=lambda e: e.date)
    parts: list[tuple[str, str]] = []
    for kind in (EventType.DEATH, EventType.RELAPSE):
        found = [e for e in events if e.type is kind]
        if found:
            parts.append(("b", f"{event_title(kind)} {ctx.when(found[-1].date)}"))
    follow = [e for e in events if e.type is EventType.LAST_FOLLOW_UP]
    if follow:
        parts.append(("n", f"last follow-up {ctx.when(follow[-1].date)}"))
    return styles.lines(*parts) if parts else styles.p("no follow-up recorded")


def key_facts_table(ctx: ReportContext, styles: Styles, width: float) -> Table:
    label = styles.head
    left = [(name, _max_grade(ctx, styles, kind)) for kind, name in _FACT_KINDS]
    left.append(("Status", _status(ctx, styles)))
    right = [("Neutrophil engraftment", _engraftment(ctx, styles, "neutrophil")),
             ("Platelet engraftment", _engraftment(ctx, styles, "platelet")),
             ("Latest MRD", _latest_mrd(ctx, styles)),
             ("Latest chimerism", _latest_chimerism(ctx, styles)),
             ("Latest PET-CT", _latest_pet(ctx, styles))]
    rows: list[list[Any]] = [[styles.p("Key facts", styles.h2, bold=True, scrub=False), "", "", ""]]
    for (ln, lv), (rn, rv) in zip(left, right):
        rows.append([styles.p(ln, label, bold=True), lv, styles.p(rn, label, bold=True), rv])
    w = [width * 0.15, width * 0.35, width * 0.17, width * 0.33]
    table = Table(rows, colWidths=w, hAlign="LEFT")
    table.setStyle(TableStyle([
        *base_style(ctx), ("SPAN", (0, 0), (-1, 0)),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E4E4")),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.HexColor("#9A9A9A")),
        ("LINEAFTER", (1, 1), (1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, 0), 1),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
    ]))
    return table


def rollups_table(ctx: ReportContext, styles: Styles, width: float) -> Table | None:
    """The registry roll-ups, one line each: per CAR-T episode and per transplant."""
    lines = [e.describe() for e in ctx.derived.cellular_therapy]
    lines += [t.describe() for t in ctx.derived.transplant]
    if not lines:
        return None
    rows: list[list[Any]] = [[styles.p("CAR-T and transplant", styles.head, bold=True,
                                       scrub=False)]]
    rows += [[styles.p(line)] for line in lines]
    table = Table(rows, colWidths=[width], hAlign="LEFT")
    table.setStyle(TableStyle([
        *base_style(ctx), ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E4E4")),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table
