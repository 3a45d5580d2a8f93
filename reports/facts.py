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
from reports.tables import Styles, base_style, event_title, grade_text, mrd_status
from reports.vocabulary import code_text

__all__ = ["header_table", "key_facts_table", "age_text", "diagnosis_text"]

NOTES_ON_PAGE_ONE = 600      # characters; longer patient notes continue at the end



def age_text(ctx: ReportContext) -> str:
    """Age today (age at diagnosis in a de-identified copy, '90+' above 89)."""
    p = ctx.record.patient

    def years(on: date) -> int:
        assert p.birth_date is not None
        return on.year - p.birth_date.year - ((on.month, on.day) < (p.birth_date.month,
                                                                    p.birth_date.day))
    if p.birth_date and not ctx.deidentified:
        return ctx.translate("Report", "{age} y").format(age=years(ctx.as_of))
    age = p.age_at_diagnosis
    if age is None and p.birth_date and p.diagnosis_date:
        age = years(p.diagnosis_date)
    if age is None:
        return ctx.translate("Report", "age unknown")
    if ctx.deidentified and age > 89:
        return ctx.translate("Report", "90+ y at diagnosis")
    return ctx.translate("Report", "{age} y at diagnosis").format(age=age)


def _marker_text(ctx: ReportContext | None, marker: str, value: Marker) -> str:
    """'CD7+', 'CD4−', 'CD2 partial', 'CD5 weak'."""
    if value is Marker.POS:
        return f"{marker}+"
    if value is Marker.NEG:
        return f"{marker}−"
    if ctx is None or ctx.english:
        return f"{marker} {value.value}"
    if value is Marker.PARTIAL:
        return ctx.translate("Report", "{marker} partial").format(marker=marker)
    return ctx.translate("Report", "{marker} weak").format(marker=marker)


def diagnosis_text(record: Record, ctx: ReportContext | None = None) -> str:
    p = record.patient
    markers = ", ".join(_marker_text(ctx, m, Marker(v)) for m, v in p.immunophenotype.items())
    return f"{p.diagnosis} ({markers})" if markers else p.diagnosis


def _bsa_text(ctx: ReportContext) -> str:
    body = ctx.derived.body
    if body.bsa_m2 is None:
        if body.height_cm is None and body.weight_kg is None:
            return ctx.translate("Report", "not computed: no height or weight recorded")
        if body.height_cm is None:
            return ctx.translate("Report", "not computed: no height recorded")
        return ctx.translate("Report", "not computed: no weight recorded")
    parts = [f"{fmt(body.height_cm)} cm" if body.height_cm is not None else "",
             f"{fmt(body.weight_kg)} kg" if body.weight_kg is not None else ""]
    measured = body.weight_date or body.height_date
    shown = ", ".join(p for p in parts if p)
    if measured:
        shown = ctx.translate("Report", "{body} on {date}").format(body=shown,
                                                                   date=ctx.date(measured))
    return f"{fmt(body.bsa_m2)} m² ({body.formula.value}; {shown})"


def header_table(ctx: ReportContext, styles: Styles, width: float) -> Table:
    p = ctx.record.patient
    label = styles.head
    rows: list[list[Any]] = [[styles.p(ctx.patient_name, styles.h1, bold=True, scrub=False),
                              "", "", ""]]
    who = ctx.translate("Report", "{sex}, {age}").format(sex=ctx.term(p.sex.value),
                                                         age=age_text(ctx))
    sex_age = ctx.translate("Report", "Sex, age")
    if ctx.deidentified:
        rows.append([styles.p(sex_age, label, bold=True), styles.p(who), "", ""])
    else:
        rows.append([styles.p(ctx.translate("Report", "MRN"), label, bold=True),
                     styles.p(p.mrn, bold=True),
                     styles.p(sex_age, label, bold=True), styles.p(who)])
    diagnosed = (ctx.translate("Report", " — diagnosed {date}").format(
        date=ctx.date(p.diagnosis_date)) if p.diagnosis_date else "")
    rows.append([styles.p(ctx.translate("Report", "Diagnosis"), label, bold=True),
                 styles.p(diagnosis_text(ctx.record, ctx) + diagnosed), "", ""])
    rows.append([styles.p(ctx.translate("Report", "BSA"), label, bold=True),
                 styles.p(_bsa_text(ctx)), "", ""])
    anchors = ctx.anchor_lines()
    rows.append([styles.p(ctx.translate("Report", "Anchors"), label, bold=True),
                 styles.lines(*(("n", a) for a in anchors)) if anchors else
                 styles.p(ctx.translate("Report", "no CAR-T infusion or HSCT recorded")), "", ""])
    notes = ctx.notes(p.notes)
    if notes:
        if len(notes) > NOTES_ON_PAGE_ONE:
            notes = (notes[:NOTES_ON_PAGE_ONE].rstrip() + " … " +
                     ctx.translate("Report", "(continued under Patient notes)"))
        rows.append([styles.p(ctx.translate("Report", "Notes"), label, bold=True),
                     styles.lines(("s", notes)), "", ""])
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
def _fact_kinds(ctx: ReportContext) -> tuple[tuple[AssessmentKind, str], ...]:
    return ((AssessmentKind.CRS, ctx.translate("Report", "Max CRS")),
            (AssessmentKind.ICANS, ctx.translate("Report", "Max ICANS")),
            (AssessmentKind.AGVHD, ctx.translate("Report", "Max acute GVHD")),
            (AssessmentKind.CGVHD, ctx.translate("Report", "Max chronic GVHD")))


def _max_grade(ctx: ReportContext, styles: Styles, kind: AssessmentKind) -> Paragraph:
    best = ctx.derived.max_grades.get(kind)
    if best is None:
        return styles.p(ctx.translate("Report", "not assessed"))
    return styles.lines(("b", grade_text(kind.value, best.value, ctx)),
                        ("n", ctx.when(best.date)), ("s", ctx.reason(best.reason)))


def _engraftment(ctx: ReportContext, styles: Styles, lineage: str) -> Paragraph:
    grade = ctx.derived.engraftment.get(lineage)
    found = (ctx.derived.engraftment_summary() or {}).get(lineage)
    if grade is None:
        return styles.p("—")
    if found and found["day"] is not None:
        day = found["day"]
        when = ctx.when(grade.value) if ctx.deidentified else ctx.date(grade.value)
        head = ctx.day(day) if day >= 0 or not ctx.english else f"day {day}"
        return styles.lines(("b", head), ("n", when))
    return styles.lines(("n", ctx.translate("Report", "not reached")),
                        ("s", ctx.render(grade.reason)))


def _latest_mrd(ctx: ReportContext, styles: Styles) -> Paragraph:
    pairs = [(m, g) for m, g in zip(ctx.record.marrow, ctx.derived.mrd) if m.mrd_pct is not None]
    if not pairs:
        return styles.p(ctx.translate("Report", "not recorded"))
    m, grade = max(pairs, key=lambda p: p[0].date)
    status = mrd_status(ctx, grade.value)
    value = (ctx.translate("Report", "not detected") if m.mrd_pct == 0
             else f"{fmt(m.mrd_pct)} %")
    method = (ctx.translate("Report", " by {method}").format(method=ctx.term(m.mrd_method.value))
              if m.mrd_method else "")
    return styles.lines(("b", f"{value} — {status}"), ("n", ctx.when(m.date) + method))


def _latest_chimerism(ctx: ReportContext, styles: Styles) -> Paragraph:
    found = [m for m in ctx.record.marrow if m.donor_chimerism_pct is not None]
    if not found:
        return styles.p(ctx.translate("Report", "not recorded"))
    m = max(found, key=lambda x: x.date)
    assert m.donor_chimerism_pct is not None
    category = code_text(ctx.words, chimerism_category(m.donor_chimerism_pct).value)
    donor = ctx.translate("Report", "{pct} % donor").format(pct=fmt(m.donor_chimerism_pct))
    return styles.lines(("b", f"{donor} — {category}"), ("n", ctx.when(m.date)))


def _latest_pet(ctx: ReportContext, styles: Styles) -> Paragraph:
    pets = [e for e in ctx.record.events if e.type is EventType.PET_CT]
    if not pets:
        return styles.p(ctx.translate("Report", "not recorded"))
    scored = [e for e in pets if e.details.get("deauville") is not None] or pets
    e = max(scored, key=lambda x: x.date)
    score = e.details.get("deauville")
    head = (f"Deauville {score}" if score is not None
            else ctx.translate("Report", "no Deauville score"))
    response = code_text(ctx.words, e.details.get("response", ""))
    return styles.lines(("b", head + (f" — {response}" if response else "")),
                        ("n", ctx.when(e.date)))


def _status(ctx: ReportContext, styles: Styles) -> Paragraph:
    events = sorted(ctx.record.events, key=lambda e: e.date)
    parts: list[tuple[str, str]] = []
    for kind in (EventType.DEATH, EventType.RELAPSE):
        found = [e for e in events if e.type is kind]
        if found:
            parts.append(("b", f"{event_title(kind, ctx)} {ctx.when(found[-1].date)}"))
    follow = [e for e in events if e.type is EventType.LAST_FOLLOW_UP]
    if follow:
        parts.append(("n", ctx.translate("Report", "last follow-up {when}").format(
            when=ctx.when(follow[-1].date))))
    return (styles.lines(*parts) if parts
            else styles.p(ctx.translate("Report", "no follow-up recorded")))


def key_facts_table(ctx: ReportContext, styles: Styles, width: float) -> Table:
    label = styles.head
    left = [(name, _max_grade(ctx, styles, kind)) for kind, name in _fact_kinds(ctx)]
    left.append((ctx.translate("Report", "Status"), _status(ctx, styles)))
    right = [(ctx.translate("Report", "Neutrophil engraftment"),
              _engraftment(ctx, styles, "neutrophil")),
             (ctx.translate("Report", "Platelet engraftment"),
              _engraftment(ctx, styles, "platelet")),
             (ctx.translate("Report", "Latest MRD"), _latest_mrd(ctx, styles)),
             (ctx.translate("Report", "Latest chimerism"), _latest_chimerism(ctx, styles)),
             (ctx.translate("Report", "Latest PET-CT"), _latest_pet(ctx, styles))]
    rows: list[list[Any]] = [[styles.p(ctx.translate("Report", "Key facts"), styles.h2,
                                       bold=True, scrub=False), "", "", ""]]
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
    lines = [ctx.render(e.describe()) for e in ctx.derived.cellular_therapy]
    lines += [ctx.render(t.describe()) for t in ctx.derived.transplant]
    if not lines:
        return None
    rows: list[list[Any]] = [[styles.p(ctx.translate("Report", "CAR-T and transplant"),
                                       styles.head, bold=True, scrub=False)]]
    rows += [[styles.p(line)] for line in lines]
    table = Table(rows, colWidths=[width], hAlign="LEFT")
    table.setStyle(TableStyle([
        *base_style(ctx), ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E4E4")),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table
