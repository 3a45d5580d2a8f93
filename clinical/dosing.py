"""Doses for this patient: BSA, the amount per administration, and safety warnings.

A computed amount is never capped or changed: a warning says what the limit
is and the clinician decides (clinical-rules.md Part A, Dosing).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from clinical.days import ANCHOR_LABELS, anchors, course_dates
from clinical.messages import Msg, Seq, Template, msg, translate
from clinical.record import Course, DayReference, DoseUnit, DrugLine, Event, EventType, Measurement

__all__ = ["BsaFormula", "bsa", "bsa_rounded", "BodySize", "body_size", "CourseBasis", "course_basis",
           "DoseCalculation", "DoseLimits",
           "load_dose_limits", "compute_line", "compute_doses", "doxorubicin_equivalent", "fmt",
           "drug_term", "DRUG_TERMS"]


# --- vocabulary: drug names hemalog knows (the dose-limits list, the CRS/ICANS drugs and
# the shipped regimen templates), each rendered in the reader's language. A drug name a
# clinician typed that is not one of these stays as typed.
DRUG_TERMS: dict[str, Template] = {t.english: t for t in (
    translate("term", "vincristine", "term.drug.vincristine"),
    translate("term", "tocilizumab", "term.drug.tocilizumab"),
    translate("term", "doxorubicin", "term.drug.doxorubicin"),
    translate("term", "daunorubicin", "term.drug.daunorubicin"),
    translate("term", "epirubicin", "term.drug.epirubicin"),
    translate("term", "mitoxantrone", "term.drug.mitoxantrone"),
    translate("term", "idarubicin", "term.drug.idarubicin"),
    translate("term", "bleomycin", "term.drug.bleomycin"),
    translate("term", "siltuximab", "term.drug.siltuximab"),
    translate("term", "anakinra", "term.drug.anakinra"),
    translate("term", "dexamethasone", "term.drug.dexamethasone"),
    translate("term", "methylprednisolone", "term.drug.methylprednisolone"),
    translate("term", "hydrocortisone", "term.drug.hydrocortisone"),
    translate("term", "azacitidine", "term.drug.azacitidine"),
    translate("term", "busulfan", "term.drug.busulfan"),
    translate("term", "carmustine", "term.drug.carmustine"),
    translate("term", "cd7 car-t cells", "term.drug.cd7_car_t_cells"),
    translate("term", "chidamide", "term.drug.chidamide"),
    translate("term", "cisplatin", "term.drug.cisplatin"),
    translate("term", "cyclophosphamide", "term.drug.cyclophosphamide"),
    translate("term", "cyclosporine", "term.drug.cyclosporine"),
    translate("term", "cytarabine", "term.drug.cytarabine"),
    translate("term", "etoposide", "term.drug.etoposide"),
    translate("term", "fludarabine", "term.drug.fludarabine"),
    translate("term", "gemcitabine", "term.drug.gemcitabine"),
    translate("term", "melphalan", "term.drug.melphalan"),
    translate("term", "methotrexate", "term.drug.methotrexate"),
    translate("term", "mycophenolate mofetil", "term.drug.mycophenolate_mofetil"),
    translate("term", "prednisone", "term.drug.prednisone"),
    translate("term", "rabbit anti-thymocyte globulin", "term.drug.rabbit_atg"),
    translate("term", "rituximab", "term.drug.rituximab"),
    translate("term", "selinexor", "term.drug.selinexor"),
    translate("term", "venetoclax", "term.drug.venetoclax"),
    translate("term", "vindesine", "term.drug.vindesine"),
)}


def drug_key(name: str) -> str:
    """A drug name as the dose limits are looked up: case and spacing as typed do not
    matter ("Vincristine", " vincristine " and "VINCRISTINE" meet the same 2 mg cap).
    Only for comparing: the name stays as the clinician typed it."""
    return " ".join(name.split()).casefold()


def drug_term(name: str) -> Msg | str:
    """A drug name as a vocabulary word when hemalog knows it exactly; else as typed."""
    template = DRUG_TERMS.get(name)
    return name if template is None else msg(template)


# Words of the body-size and dose texts.
HEIGHT = msg(translate("term", "height", "term.body.height"))
WEIGHT = msg(translate("term", "weight", "term.body.weight"))
HEIGHT_AND_WEIGHT = msg(translate("term", "height and weight", "term.body.height_and_weight"))
# Units that are words ("units", "cells"); the others (mg, g/m2...) read the same everywhere.
_UNIT_TERMS: dict[str, Template] = {t.english: t for t in (
    translate("term", "units", "term.unit.units"),
    translate("term", "cells", "term.unit.cells"),
    translate("term", "units/m2", "term.unit.units_m2"),
    translate("term", "cells/kg", "term.unit.cells_kg"),
)}


def _unit(unit: str) -> Msg | str:
    text = str(unit)
    template = _UNIT_TERMS.get(text)
    return text if template is None else msg(template)


NO_BODY_SIZE = translate("clinical", "no height or weight recorded", "dosing.body.none")
MEASURED_TOGETHER = translate("clinical", "{sizes}, measured {date}", "dosing.body.measured_together")
MEASURED_ON = translate("clinical", "{size} measured {date}", "dosing.body.measured_on")
NO_BSA = translate("clinical", "no BSA (no {lacking}) — {measured}", "dosing.body.no_bsa")
BODY_BSA = translate("clinical", "BSA {bsa} m² — {measured}", "dosing.body.bsa")
BODY_BSA_FORMULA = translate("clinical", "BSA {bsa} m² ({formula}) — {measured}",
                             "dosing.body.bsa_formula")

BASIS_NEEDS_BSA = translate("clinical", "{dose} {unit} needs the BSA", "dosing.basis.needs_bsa")
BASIS_NEEDS_WEIGHT = translate("clinical", "{dose} {unit} needs the weight",
                               "dosing.basis.needs_weight")
BASIS_PER_BSA = translate("clinical", "{dose} {unit} × BSA {bsa} m² = {amount} {amount_unit}",
                          "dosing.basis.per_bsa")
BASIS_PER_KG = translate("clinical", "{dose} {unit} × {weight} kg = {amount} {amount_unit}",
                         "dosing.basis.per_kg")
BASIS_FLAT = translate("clinical", "{dose} {unit} (flat dose)", "dosing.basis.flat")

NOT_RECORDED = translate("clinical", "no {missing} recorded on or before the first dose: cannot work out {dose} {unit}", "dosing.warning.no_body_size")
SINGLE_DOSE_CAP = translate("clinical", "single dose {amount} {unit} is above the {cap} {unit} cap for {drug}: check the order (hemalog has not changed it)", "dosing.warning.single_dose_cap")
PER_M2_CAP = translate("clinical", "{dose} mg/m² is above {cap} mg/m² for {drug}: {note}",
                       "dosing.warning.per_m2_cap")
# The notes of resources/dosing/dose_limits.json, so that they can be rendered too
# (a note edited in the file and not listed here is shown as written).
_NOTES: dict[str, Template] = {t.english: t for t in (
    translate("clinical", "conventional vincristine is 1.4 mg/m2 (1.5-2 mg/m2 in children); a higher dose per m2 suggests liposomal vincristine was meant", "dosing.note.vincristine_liposomal"),
)}
NO_ANCHOR = translate("clinical", "no {anchor} recorded: the dates of days counted from it are unknown (doses use the latest height and weight)", "dosing.warning.no_anchor")
ANTHRACYCLINE_NEEDS_BSA = translate("clinical", "{drug} needs a BSA to count towards the cumulative anthracycline dose: the running total is unknown", "dosing.warning.anthracycline_needs_bsa")
LINE_IN_COURSE = translate("clinical", "{drug} in {course}", "dosing.warning.line_in_course")
ANTHRACYCLINE_AT_LEAST = translate("clinical", "cumulative anthracycline at least {total} mg/m² doxorubicin-equivalent: the running total is unknown ({lines} had no BSA)", "dosing.anthracycline.at_least")
ANTHRACYCLINE_UNKNOWN = translate("clinical", "cumulative anthracycline unknown mg/m² doxorubicin-equivalent: the running total is unknown ({lines} had no BSA)", "dosing.anthracycline.unknown")
ANTHRACYCLINE_TOTAL = translate("clinical", "cumulative anthracycline {total} mg/m² doxorubicin-equivalent", "dosing.anthracycline.total")
ANTHRACYCLINE_LIMIT = translate("clinical", "{head} reaches the {limit} mg/m² lifetime limit",
                                "dosing.anthracycline.limit")
ANTHRACYCLINE_LIMIT_CARDIAC = translate("clinical", "{head} reaches the {limit} mg/m² lifetime limit (400 with prior cardiotoxic therapy or irradiation)", "dosing.anthracycline.limit_cardiac_risk")
ANTHRACYCLINE_ALERT = translate("clinical", "{head} reaches the {alert} mg/m² alert (limit {limit})",
                                "dosing.anthracycline.alert")
CUMULATIVE_LIMIT = translate("clinical", "cumulative {drug} {total} {unit} is above the {limit} {unit} lifetime limit", "dosing.warning.cumulative_limit")


class BsaFormula(StrEnum):
    MOSTELLER = "Mosteller"
    DUBOIS = "DuBois"
    HAYCOCK = "Haycock"


# The DuBois constant is 0.007184; public code carries a 0.0087184 typo that
# inflates BSA by about 21 % (clinical-rules.md §8.1) - a test pins it.
DUBOIS_CONSTANT = 0.007184
HAYCOCK_CONSTANT = 0.024265


def bsa(height_cm: float, weight_kg: float, formula: BsaFormula = BsaFormula.MOSTELLER) -> float:
    """Body surface area in m², unrounded."""
    if formula is BsaFormula.MOSTELLER:
        return math.sqrt(height_cm * weight_kg / 3600)
    if formula is BsaFormula.DUBOIS:
        return DUBOIS_CONSTANT * weight_kg ** 0.425 * height_cm ** 0.725
    return HAYCOCK_CONSTANT * weight_kg ** 0.5378 * height_cm ** 0.3964


def bsa_rounded(height_cm: float, weight_kg: float,
                formula: BsaFormula = BsaFormula.MOSTELLER) -> Decimal:
    """BSA rounded half-up to 0.01 m², the value that multiplies a dose and is shown
    (clinical-rules.md Part A 1.1). Mosteller is worked out in decimal so that a
    BSA of exactly 1.745 rounds to 1.75 rather than to whatever binary noise says."""
    if formula is BsaFormula.MOSTELLER:
        with localcontext() as ctx:
            ctx.prec = 28
            exact = (_dec(height_cm) * _dec(weight_kg) / Decimal(3600)).sqrt()
        return _round(exact, "0.01")
    return _round(_dec(bsa(height_cm, weight_kg, formula)), "0.01")


def _dec(x: float | int | Decimal) -> Decimal:
    # Through str() so 1.4 is exactly 1.4, not 1.399999999999999911...
    return x if isinstance(x, Decimal) else Decimal(str(x))


def _round(x: Decimal, places: str) -> Decimal:
    return x.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def fmt(x: Decimal | float | int) -> str:
    """A number without trailing zeros: 2.002, 1.75, 97500000."""
    d = _dec(x).normalize()
    return f"{d:f}"


@dataclass(frozen=True)
class BodySize:
    """Height, weight and BSA used for a course, with where they came from."""

    height_cm: float | None
    weight_kg: float | None
    height_date: date | None
    weight_date: date | None
    bsa_m2: Decimal | None            # rounded to 0.01 m², as doses are ordered
    formula: BsaFormula = BsaFormula.MOSTELLER

    def describe(self) -> Msg:
        """'BSA 1.68 m² — 175 cm, 58 kg, measured 2024-09-02' (dates apart when they differ)."""
        sizes = [(f"{fmt(v)} {unit}", str(d)) for v, unit, d in (
            (self.height_cm, "cm", self.height_date), (self.weight_kg, "kg", self.weight_date))
            if v is not None]
        if not sizes:
            return msg(NO_BODY_SIZE)
        measured: Msg | Seq
        if len({d for _, d in sizes}) == 1:
            measured = msg(MEASURED_TOGETHER, sizes=Seq((t for t, _ in sizes), "comma"),
                           date=sizes[0][1])
        else:
            measured = Seq((msg(MEASURED_ON, size=t, date=d) for t, d in sizes), "comma")
        if self.bsa_m2 is None:
            lacking = HEIGHT if self.height_cm is None else WEIGHT
            return msg(NO_BSA, lacking=lacking, measured=measured)
        if self.formula is BsaFormula.MOSTELLER:
            return msg(BODY_BSA, bsa=fmt(self.bsa_m2), measured=measured)
        return msg(BODY_BSA_FORMULA, bsa=fmt(self.bsa_m2), formula=self.formula.value,
                   measured=measured)


def body_size(measurements: Iterable[Measurement], on: date | None = None,
              formula: BsaFormula = BsaFormula.MOSTELLER) -> BodySize:
    """The latest height and weight on or before ``on`` (any date when None)."""
    height: tuple[date, float] | None = None
    weight: tuple[date, float] | None = None
    for m in measurements:
        if on is not None and m.date > on:
            continue
        if m.height_cm is not None and (height is None or m.date >= height[0]):
            height = (m.date, m.height_cm)
        if m.weight_kg is not None and (weight is None or m.date >= weight[0]):
            weight = (m.date, m.weight_kg)
    area = None
    if height and weight:
        area = bsa_rounded(height[1], weight[1], formula)
    return BodySize(height[1] if height else None, weight[1] if weight else None,
                    height[0] if height else None, weight[0] if weight else None, area, formula)


@dataclass(frozen=True)
class DoseLimits:
    """Dose-safety limits (resources/dosing/dose_limits.json), each with its source."""

    single_dose_caps: Mapping[str, tuple[Decimal, str, str]]      # drug -> (max, unit, source)
    per_m2_caps: Mapping[str, tuple[Decimal, str]]                # drug -> (max mg/m², note)
    anthracycline_ratios: Mapping[str, Decimal]
    legacy_ratios: Mapping[str, Decimal]
    anthracycline_alert: Decimal
    anthracycline_limit: Decimal
    anthracycline_limit_cardiac_risk: Decimal
    cumulative_limits: Mapping[str, tuple[Decimal, str]]          # drug -> (max, unit)


DEFAULT_LIMITS_FILE = Path(__file__).resolve().parent.parent / "resources" / "dosing" / "dose_limits.json"

# The older COG practice treated daunorubicin and epirubicin as 1:1 and
# idarubicin and mitoxantrone as 4x (clinical-rules.md §8.2, ANT-03).
_LEGACY_RATIOS = {"doxorubicin": Decimal(1), "daunorubicin": Decimal(1), "epirubicin": Decimal(1),
                  "idarubicin": Decimal(4), "mitoxantrone": Decimal(4)}


@cache
def load_dose_limits(path: Path = DEFAULT_LIMITS_FILE) -> DoseLimits:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    anth = data["anthracyclines"]
    return DoseLimits(
        single_dose_caps={c["drug"]: (_dec(c["max_amount"]), c["unit"], c["source"])
                          for c in data["single_dose_caps"]},
        per_m2_caps={c["drug"]: (_dec(c["max_dose"]), c["note"]) for c in data["per_m2_caps"]},
        anthracycline_ratios={k: _dec(v) for k, v in anth["doxorubicin_equivalent_ratio"].items()},
        legacy_ratios=_LEGACY_RATIOS,
        anthracycline_alert=_dec(anth["alert_mg_m2"]),
        anthracycline_limit=_dec(anth["limit_mg_m2"]),
        anthracycline_limit_cardiac_risk=_dec(anth["limit_with_cardiac_risk_mg_m2"]),
        cumulative_limits={c["drug"]: (_dec(c["max_cumulative"]), c["unit"])
                           for c in data["cumulative_drug_limits"]},
    )


def doxorubicin_equivalent(drug: str, mg_m2: float | Decimal, *, legacy: bool = False,
                           limits: DoseLimits | None = None) -> Decimal | None:
    """mg/m² of an anthracycline as doxorubicin-equivalent mg/m² (None if not one)."""
    limits = limits or load_dose_limits()
    ratios = limits.legacy_ratios if legacy else limits.anthracycline_ratios
    ratio = ratios.get(drug_key(drug))
    return None if ratio is None else _dec(mg_m2) * ratio


@dataclass(frozen=True)
class DoseCalculation:
    """One drug line worked out for this patient (the export's `computed` + `warnings`)."""

    amount: Decimal | None            # per administration, in ``unit``
    unit: str
    administrations: int
    total: Decimal | None
    dates: tuple[date, ...] | None
    basis: str                        # why: "1.4 mg/m² × BSA 1.43 m² = 2.002 mg" (a Msg)
    body: BodySize
    warnings: tuple[str, ...] = ()    # each a Msg: code and parameters, English as str
    dose_mg_m2: Decimal | None = None  # per administration, for cumulative limits


# Dose unit -> the unit of the amount given.
_PER_BSA = {DoseUnit.MG_M2: "mg", DoseUnit.G_M2: "g", DoseUnit.UNITS_M2: "units"}
_PER_KG = {DoseUnit.MG_KG: "mg", DoseUnit.CELLS_KG: "cells"}


def _line_amount(line: DrugLine, body: BodySize) -> tuple[Decimal | None, str, Msg, list[str]]:
    """(amount, unit, basis, warnings) for one administration."""
    dose = _dec(line.dose)
    unit = line.unit
    shown = {"dose": fmt(dose), "unit": _unit(unit.value)}
    if unit in _PER_BSA:
        out_unit = _PER_BSA[unit]
        if body.bsa_m2 is None:
            missing = (HEIGHT_AND_WEIGHT if body.height_cm is None and body.weight_kg is None
                       else HEIGHT if body.height_cm is None else WEIGHT)
            return None, out_unit, msg(BASIS_NEEDS_BSA, **shown), [
                msg(NOT_RECORDED, missing=missing, **shown)]
        amount = _round(dose * body.bsa_m2, "0.001")
        return amount, out_unit, msg(BASIS_PER_BSA, bsa=fmt(body.bsa_m2), amount=fmt(amount),
                                     amount_unit=_unit(out_unit), **shown), []
    if unit in _PER_KG:
        out_unit = _PER_KG[unit]
        if body.weight_kg is None:
            return None, out_unit, msg(BASIS_NEEDS_WEIGHT, **shown), [
                msg(NOT_RECORDED, missing=WEIGHT, **shown)]
        amount = _round(dose * _dec(body.weight_kg), "0.001")
        return amount, out_unit, msg(BASIS_PER_KG, weight=fmt(body.weight_kg), amount=fmt(amount),
                                     amount_unit=_unit(out_unit), **shown), []
    return dose, unit.value, msg(BASIS_FLAT, **shown), []


def _mg_m2(line: DrugLine, amount: Decimal | None, body: BodySize) -> Decimal | None:
    """The dose per administration in mg/m² (for anthracycline and cumulative sums)."""
    dose = _dec(line.dose)
    if line.unit is DoseUnit.MG_M2:
        return dose
    if line.unit is DoseUnit.G_M2:
        return dose * 1000
    if amount is not None and body.bsa_m2:
        if line.unit in (DoseUnit.MG, DoseUnit.MG_KG):
            return amount / body.bsa_m2
        if line.unit is DoseUnit.G:
            return amount * 1000 / body.bsa_m2
    return None


def compute_line(line: DrugLine, body: BodySize, *, dates: Sequence[date] | None = None,
                 limits: DoseLimits | None = None) -> DoseCalculation:
    """One drug line for a body size: amount, administrations, total and single-dose checks."""
    limits = limits or load_dose_limits()
    amount, unit, basis, warnings = _line_amount(line, body)
    administrations = len(line.days) * line.doses_per_day
    total = None if amount is None else amount * administrations
    cap = limits.single_dose_caps.get(drug_key(line.drug))
    if cap and amount is not None and unit == cap[1] and amount > cap[0]:
        warnings.append(msg(SINGLE_DOSE_CAP, amount=fmt(amount), unit=_unit(unit), cap=fmt(cap[0]),
                            drug=drug_term(line.drug)))
    per_m2 = limits.per_m2_caps.get(drug_key(line.drug))
    if per_m2 and line.unit is DoseUnit.MG_M2 and _dec(line.dose) > per_m2[0]:
        note = _NOTES.get(per_m2[1])
        warnings.append(msg(PER_M2_CAP, dose=fmt(line.dose), cap=fmt(per_m2[0]),
                            drug=drug_term(line.drug),
                            note=per_m2[1] if note is None else msg(note)))
    return DoseCalculation(amount, unit, administrations, total,
                           tuple(dates) if dates is not None else None, basis, body,
                           tuple(warnings), _mg_m2(line, amount, body))


@dataclass(frozen=True)
class CourseBasis:
    """A course's one measurement basis (clinical-rules.md Part A 1.1, Dosing).

    Chosen once per course from its first administration date: the latest
    height and the latest weight on or before that date, each on its own. With
    no first date (the course counts from an event the record lacks) the
    latest measurements are used and ``missing_anchor`` names the event.
    """

    first_date: date | None
    body: BodySize
    line_dates: tuple[tuple[date, ...] | None, ...]   # per drug line; None: unknown
    missing_anchor: str | None = None   # the anchor's label (a Msg)


def course_basis(course: Course, measurements: Iterable[Measurement],
                 anchor_dates: Mapping[EventType, date],
                 formula: BsaFormula = BsaFormula.MOSTELLER) -> CourseBasis:
    """The measurement basis every drug line of ``course`` is dosed from."""
    line_dates: list[tuple[date, ...] | None] = []
    for line in course.drugs:
        found = course_dates(course, line.days, anchor_dates)
        # One date per calendar day, in order (a q12h line on day 1 is one date).
        line_dates.append(None if found is None else tuple(sorted(set(found))))
    known = [d for dates in line_dates if dates for d in dates]
    first = min(known) if known else None
    missing = None
    if first is None and course.day_reference is not DayReference.COURSE_START:
        missing = ANCHOR_LABELS[EventType(course.day_reference.value)]
    return CourseBasis(first, body_size(measurements, first, formula), tuple(line_dates),
                       missing)


def _course_lines(course: Course, measurements: Sequence[Measurement],
                  anchor_dates: Mapping[EventType, date], limits: DoseLimits,
                  formula: BsaFormula) -> tuple[CourseBasis, list[DoseCalculation]]:
    basis = course_basis(course, measurements, anchor_dates, formula)
    calcs = []
    for line, dates in zip(course.drugs, basis.line_dates):
        calc = compute_line(line, basis.body, dates=dates if dates is not None else (),
                            limits=limits)
        if basis.missing_anchor is not None:
            calc = replace(calc, warnings=(
                msg(NO_ANCHOR, anchor=basis.missing_anchor), *calc.warnings))
        calcs.append(calc)
    return basis, calcs


def compute_doses(courses: Sequence[Course], measurements: Sequence[Measurement],
                  events: Sequence[Event], *, limits: DoseLimits | None = None,
                  formula: BsaFormula = BsaFormula.MOSTELLER,
                  cardiac_risk: bool = False,
                  prior_doxorubicin_equivalent: float = 0) -> list[list[DoseCalculation]]:
    """Every drug line of every course worked out, in the courses' order.

    Each course is dosed from one measurement basis (``course_basis``).
    Cumulative checks (anthracyclines as doxorubicin-equivalent, per-drug
    lifetime limits) run course by course in order of first administration
    (list order on a tie). ``cardiac_risk`` (prior cardiotoxic therapy or
    mediastinal irradiation) lowers the anthracycline limit to the label's 400 mg/m².
    """
    limits = limits or load_dose_limits()
    anchor_dates = anchors(events)
    worked = [_course_lines(c, measurements, anchor_dates, limits, formula) for c in courses]
    results = [calcs for _, calcs in worked]
    _add_cumulative_warnings(courses, [b for b, _ in worked], results, limits, cardiac_risk,
                             _dec(prior_doxorubicin_equivalent))
    return results


def _add_cumulative_warnings(courses: Sequence[Course], bases: Sequence[CourseBasis],
                             results: list[list[DoseCalculation]], limits: DoseLimits,
                             cardiac_risk: bool, prior: Decimal) -> None:
    order = sorted(range(len(courses)),
                   key=lambda ci: (bases[ci].first_date or date.max, ci))
    anthracycline = prior
    unknown: list[Msg] = []          # the lines that left the running total unknown
    per_drug: dict[str, Decimal] = {}
    limit = limits.anthracycline_limit_cardiac_risk if cardiac_risk else limits.anthracycline_limit
    for ci in order:
        course = courses[ci]
        extra: dict[int, list[str]] = {}
        anth_lines = [li for li, line in enumerate(course.drugs)
                      if drug_key(line.drug) in limits.anthracycline_ratios]
        for li in anth_lines:
            line, calc = course.drugs[li], results[ci][li]
            # Part A 1.1: "a line without a BSA makes the running total unknown", read
            # literally: an mg/m² line whose course has no BSA is not counted either.
            if calc.dose_mg_m2 is None or calc.body.bsa_m2 is None:
                unknown.append(msg(LINE_IN_COURSE, drug=drug_term(line.drug), course=course.name))
                extra.setdefault(li, []).append(
                    msg(ANTHRACYCLINE_NEEDS_BSA, drug=drug_term(line.drug)))
            else:
                anthracycline += (calc.dose_mg_m2 * calc.administrations
                                  * limits.anthracycline_ratios[drug_key(line.drug)])
        if anth_lines:
            message = _anthracycline_message(anthracycline, unknown, limit, limits, cardiac_risk)
            if message:
                for li in anth_lines:
                    extra.setdefault(li, []).append(message)
        for li, line in enumerate(course.drugs):
            calc = results[ci][li]
            cap = limits.cumulative_limits.get(drug_key(line.drug))
            if cap is None:
                continue
            max_total, unit = cap
            per_admin = calc.dose_mg_m2 if unit == "mg/m2" else (
                calc.amount if calc.unit == unit else None)
            if per_admin is not None:
                key = drug_key(line.drug)   # "Bleomycin" and "bleomycin" add up
                per_drug[key] = per_drug.get(key, Decimal(0)) + per_admin * calc.administrations
                if per_drug[key] > max_total:
                    extra.setdefault(li, []).append(msg(
                        CUMULATIVE_LIMIT, drug=drug_term(line.drug),
                        total=fmt(_round(per_drug[key], '0.1')), unit=_unit(unit),
                        limit=fmt(max_total)))
        for li, texts in extra.items():
            calc = results[ci][li]
            results[ci][li] = replace(calc, warnings=calc.warnings + tuple(texts))


def _anthracycline_message(total: Decimal, unknown: Sequence[Msg], limit: Decimal,
                           limits: DoseLimits, cardiac_risk: bool) -> Msg | None:
    """The cumulative-anthracycline warning for a course (None below the alert)."""
    shown = fmt(_round(total, "1"))
    if unknown:
        lines = Seq(unknown, "semicolon")
        head = (msg(ANTHRACYCLINE_AT_LEAST, total=shown, lines=lines) if total
                else msg(ANTHRACYCLINE_UNKNOWN, lines=lines))
    else:
        head = msg(ANTHRACYCLINE_TOTAL, total=shown)
    if total >= limit:
        return msg(ANTHRACYCLINE_LIMIT_CARDIAC if cardiac_risk else ANTHRACYCLINE_LIMIT,
                   head=head, limit=fmt(limit))
    if total >= limits.anthracycline_alert:
        return msg(ANTHRACYCLINE_ALERT, head=head, alert=fmt(limits.anthracycline_alert),
                   limit=fmt(limit))
    return head if unknown else None
