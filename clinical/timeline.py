"""A patient's course as one chronological list of entries (app overview, printout)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinical.days import anchor_day
from clinical.derive import Derived
from clinical.dosing import drug_term, fmt
from clinical.messages import Msg, Seq, Template, msg, translate
from clinical.record import EventType, Record

KINDS = ("course", "event", "assessment", "marrow", "lab", "measurement")

# --- the entries in words (clinical.messages): English as always, rendered per reader ---

EVENT_TITLES: dict[EventType, Template] = {
    EventType.DIAGNOSIS: translate("term", "Diagnosis", "term.event.diagnosis"),
    EventType.CART_INFUSION: translate("term", "CAR-T infusion", "term.event.cart_infusion"),
    EventType.HSCT: translate("term", "Stem cell transplant", "term.event.hsct"),
    EventType.PET_CT: translate("term", "PET-CT", "term.event.pet_ct"),
    EventType.TRANSFUSION: translate("term", "Transfusion", "term.event.transfusion"),
    EventType.INFECTION: translate("term", "Infection", "term.event.infection"),
    EventType.ENGRAFTMENT_CONFIRMED: translate("term", "Engraftment confirmed",
                                               "term.event.engraftment_confirmed"),
    EventType.RELAPSE: translate("term", "Relapse", "term.event.relapse"),
    EventType.DEATH: translate("term", "Death", "term.event.death"),
    EventType.LAST_FOLLOW_UP: translate("term", "Last follow-up", "term.event.last_follow_up"),
    EventType.OTHER: translate("term", "Other", "term.event.other"),
}
# Blood products (record format: transfusion details.product), as the title shows them.
PRODUCTS: dict[str, Template] = {t.english: t for t in (
    translate("term", "platelets", "term.product.platelets"),
    translate("term", "red cells", "term.product.red_cells"),
    translate("term", "plasma", "term.product.plasma"),
    translate("term", "granulocytes", "term.product.granulocytes"),
)}
# Event detail keys of the record format, as the detail line shows them ("graft haploidentical").
DETAIL_KEYS: dict[str, Template] = {t.english: t for t in (
    translate("term", "product", "term.detail.product"),
    translate("term", "cells per kg", "term.detail.cells_per_kg"),
    translate("term", "donor", "term.detail.donor"),
    translate("term", "donor relation", "term.detail.donor_relation"),
    translate("term", "hla match", "term.detail.hla_match"),
    translate("term", "graft", "term.detail.graft"),
    translate("term", "conditioning intensity", "term.detail.conditioning_intensity"),
    translate("term", "deauville", "term.detail.deauville"),
    translate("term", "response", "term.detail.response"),
    translate("term", "organism", "term.detail.organism"),
    translate("term", "site", "term.detail.site"),
    translate("term", "lineage", "term.detail.lineage"),
)}
# Lab tests by their record-format key, as the labs line shows them ("anc 0.5").
LAB_TESTS: dict[str, Template] = {t.english: t for t in (
    translate("term", "wbc", "term.test.wbc"),
    translate("term", "anc", "term.test.anc"),
    translate("term", "alc", "term.test.alc"),
    translate("term", "plt", "term.test.plt"),
    translate("term", "hb", "term.test.hb"),
    translate("term", "crp", "term.test.crp"),
    translate("term", "ferritin", "term.test.ferritin"),
    translate("term", "il6", "term.test.il6"),
    translate("term", "bilirubin", "term.test.bilirubin"),
    translate("term", "creatinine", "term.test.creatinine"),
    translate("term", "car_t_pct", "term.test.car_t_pct"),
    translate("term", "tcr_pct", "term.test.tcr_pct"),
)}
ASSESSMENT_TITLES: dict[str, Msg] = {
    "crs": msg(translate("term", "CRS", "term.assessment.crs")),
    "icans": msg(translate("term", "ICANS", "term.assessment.icans")),
    "agvhd": msg(translate("term", "Acute GVHD", "term.assessment.agvhd")),
    "cgvhd": msg(translate("term", "Chronic GVHD", "term.assessment.cgvhd")),
}
MRD_STATUS: dict[bool | None, Msg] = {
    True: msg(translate("term", "negative", "term.mrd.negative")),
    False: msg(translate("term", "positive", "term.mrd.positive")),
    None: msg(translate("term", "not evaluable", "term.mrd.not_evaluable")),
}
PARTS = translate("clinical", "{parts}", "timeline.parts")
DOSE_WARNING = translate("clinical", "{drugs} — {count} dose warning", "timeline.course.dose_warning")
DOSE_WARNINGS = translate("clinical", "{drugs} — {count} dose warnings", "timeline.course.dose_warnings")
TRANSFUSION = translate("clinical", "Transfusion: {product}", "timeline.event.transfusion")
DETAIL = translate("clinical", "{key} {value}", "timeline.event.detail")
WITH_NOTES = translate("clinical", "{detail} — {notes}", "timeline.event.with_notes")
BLASTS = translate("clinical", "blasts {pct}%", "timeline.marrow.blasts")
MRD = translate("clinical", "MRD {pct}% ({status})", "timeline.marrow.mrd")
DONOR_CHIMERISM = translate("clinical", "donor chimerism {pct}%", "timeline.marrow.donor_chimerism")
MARROW = msg(translate("term", "Marrow", "term.timeline.marrow"))
LABS = msg(translate("term", "Labs", "term.timeline.labs"))
LAB_VALUE = translate("clinical", "{test} {value}", "timeline.lab_value")
HEIGHT_WEIGHT = msg(translate("term", "Height/weight", "term.timeline.height_weight"))
TWO_DAY_LABELS = translate("clinical", "{first}, {second}", "timeline.day_labels.two")


def _parts(items: list[Msg | str]) -> Msg | str:
    """Items joined with the reader's comma, as one message ("" when there are none)."""
    return msg(PARTS, parts=Seq(items, "comma")) if items else ""


def _term(table: dict[str, Template], value: str) -> Msg | str:
    template = table.get(value)
    return value if template is None else msg(template)


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    kind: str          # one of KINDS
    title: str
    detail: str = ""


def _event_title(event_type: EventType) -> Msg | str:
    template = EVENT_TITLES.get(event_type)
    return (event_type.value.replace("_", " ").capitalize() if template is None
            else msg(template))


def timeline(record: Record, derived: Derived, *, include_labs: bool = True) -> list[TimelineEntry]:
    """Every dated item, newest first (labs grouped one entry per date)."""
    out: list[TimelineEntry] = []
    for course, calcs in zip(record.courses, derived.doses):
        dates = [d for calc in calcs if calc.dates for d in calc.dates]
        start = course.start_date or (min(dates) if dates else None)
        if start is None:
            continue
        warnings = sum(len(c.warnings) for c in calcs)
        detail: Msg | str = _parts([drug_term(d) for d in dict.fromkeys(d.drug for d in course.drugs)])
        if warnings:
            detail = msg(DOSE_WARNINGS if warnings > 1 else DOSE_WARNING, drugs=detail,
                         count=warnings)
        out.append(TimelineEntry(start, "course", course.name, detail))
    for e in record.events:
        title = _event_title(e.type)
        details = dict(e.details)
        if e.type is EventType.TRANSFUSION and "product" in details:
            product = str(details.pop("product")).replace("_", " ")
            title = msg(TRANSFUSION, product=_term(PRODUCTS, product))
        detail = _parts([msg(DETAIL, key=_term(DETAIL_KEYS, k.replace("_", " ")), value=str(v))
                         for k, v in details.items()])
        if e.notes:
            detail = msg(WITH_NOTES, detail=detail, notes=e.notes) if detail else e.notes
        out.append(TimelineEntry(e.date, "event", title, detail))
    for a, grade in zip(record.assessments, derived.grades):
        out.append(TimelineEntry(a.date, "assessment", ASSESSMENT_TITLES[a.kind.value],
                                 grade.reason))
    for m, mrd in zip(record.marrow, derived.mrd):
        parts: list[Msg | str] = []
        if m.blasts_pct is not None:
            parts.append(msg(BLASTS, pct=fmt(m.blasts_pct)))
        if m.mrd_pct is not None:
            parts.append(msg(MRD, pct=fmt(m.mrd_pct), status=MRD_STATUS[mrd.value]))
        if m.donor_chimerism_pct is not None:
            parts.append(msg(DONOR_CHIMERISM, pct=fmt(m.donor_chimerism_pct)))
        out.append(TimelineEntry(m.date, "marrow", MARROW, _parts(parts)))
    if include_labs:
        by_date: dict[date, list[Msg | str]] = {}
        for lab in record.labs:
            by_date.setdefault(lab.date, []).append(
                msg(LAB_VALUE, test=_term(LAB_TESTS, lab.test.value), value=fmt(lab.value)))
        out.extend(TimelineEntry(d, "lab", LABS, _parts(v)) for d, v in by_date.items())
    for m in record.measurements:
        sizes = [f"{fmt(m.height_cm)} cm" if m.height_cm is not None else "",
                 f"{fmt(m.weight_kg)} kg" if m.weight_kg is not None else ""]
        out.append(TimelineEntry(m.date, "measurement", HEIGHT_WEIGHT,
                                 " ".join(p for p in sizes if p)))
    out.sort(key=lambda e: (e.date, KINDS.index(e.kind)), reverse=True)
    return out


def day_labels(on: date, derived: Derived) -> str:
    """'CAR-T day +15, HSCT day −36' for one date."""
    labels = [anchor_day(t, (on - d).days) for t, d in derived.anchors.items()]
    if not labels:
        return ""
    first = labels[0]
    for second in labels[1:]:
        first = msg(TWO_DAY_LABELS, first=first, second=second)
    return first
