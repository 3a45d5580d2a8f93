"""A patient's course as one chronological list of entries (app overview, printout)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinical.days import format_day
from clinical.derive import Derived
from clinical.dosing import fmt
from clinical.record import EventType, Record

KINDS = ("course", "event", "assessment", "marrow", "lab", "measurement")


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    kind: str          # one of KINDS
    title: str
    detail: str = ""


def _event_title(event_type: EventType) -> str:
    return {"cart_infusion": "CAR-T infusion", "hsct": "Stem cell transplant",
            "pet_ct": "PET-CT", "last_follow_up": "Last follow-up",
            "engraftment_confirmed": "Engraftment confirmed"}.get(
        event_type.value, event_type.value.replace("_", " ").capitalize())


def timeline(record: Record, derived: Derived, *, include_labs: bool = True) -> list[TimelineEntry]:
    """Every dated item, newest first (labs grouped one entry per date)."""
    out: list[TimelineEntry] = []
    for course, calcs in zip(record.courses, derived.doses):
        dates = [d for calc in calcs if calc.dates for d in calc.dates]
        start = course.start_date or (min(dates) if dates else None)
        if start is None:
            continue
        warnings = sum(len(c.warnings) for c in calcs)
        detail = ", ".join(dict.fromkeys(d.drug for d in course.drugs))
        if warnings:
            detail += f" — {warnings} dose warning{'s' if warnings > 1 else ''}"
        out.append(TimelineEntry(start, "course", course.name, detail))
    for e in record.events:
        title = _event_title(e.type)
        details = dict(e.details)
        if e.type is EventType.TRANSFUSION and "product" in details:
            title = f"Transfusion: {str(details.pop('product')).replace('_', ' ')}"
        detail = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in details.items())
        if e.notes:
            detail = f"{detail} — {e.notes}" if detail else e.notes
        out.append(TimelineEntry(e.date, "event", title, detail))
    names = {"crs": "CRS", "icans": "ICANS", "agvhd": "Acute GVHD", "cgvhd": "Chronic GVHD"}
    for a, grade in zip(record.assessments, derived.grades):
        out.append(TimelineEntry(a.date, "assessment", names[a.kind.value], grade.reason))
    for m, mrd in zip(record.marrow, derived.mrd):
        parts = []
        if m.blasts_pct is not None:
            parts.append(f"blasts {fmt(m.blasts_pct)}%")
        if m.mrd_pct is not None:
            status = {True: "negative", False: "positive", None: "not evaluable"}[mrd.value]
            parts.append(f"MRD {fmt(m.mrd_pct)}% ({status})")
        if m.donor_chimerism_pct is not None:
            parts.append(f"donor chimerism {fmt(m.donor_chimerism_pct)}%")
        out.append(TimelineEntry(m.date, "marrow", "Marrow", ", ".join(parts)))
    if include_labs:
        by_date: dict[date, list[str]] = {}
        for lab in record.labs:
            by_date.setdefault(lab.date, []).append(f"{lab.test.value} {fmt(lab.value)}")
        out.extend(TimelineEntry(d, "lab", "Labs", ", ".join(v)) for d, v in by_date.items())
    for m in record.measurements:
        parts = [f"{fmt(m.height_cm)} cm" if m.height_cm is not None else "",
                 f"{fmt(m.weight_kg)} kg" if m.weight_kg is not None else ""]
        out.append(TimelineEntry(m.date, "measurement", "Height/weight",
                                 " ".join(p for p in parts if p)))
    out.sort(key=lambda e: (e.date, KINDS.index(e.kind)), reverse=True)
    return out


def day_labels(on: date, derived: Derived) -> str:
    """'CAR-T day +15, HSCT day −36' for one date."""
    labels = {EventType.CART_INFUSION: "CAR-T", EventType.HSCT: "HSCT"}
    return ", ".join(f"{labels[t]} {format_day((on - d).days)}" for t, d in derived.anchors.items())
