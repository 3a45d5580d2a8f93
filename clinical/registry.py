"""The registry export: one row per CAR-T infusion episode and one per HSCT (issue 17).

Transplant and CAR-T centres report every infusion to registries (CIBMTR's cellular
therapy and transplant forms, the EBMT registry's MED-A) by re-reading the chart.
Every answer below is a roll-up hemalog already derives for the printed summary and
the record export (``summary.cellular_therapy``, ``summary.transplant``,
clinical/rollups.py), so the registry file says exactly what the summary says.

``COLUMNS`` is the column dictionary: each column's name, the rows it applies to and
the registry question it answers (README's "Registry export" table is checked against
it by a test). Days count from the episode's day 0 (the first infusion of the episode,
or the HSCT date), as the registries count them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from clinical.derive import Derived, Rollups
from clinical.record import EventType, Record
from clinical.rollups import CellularTherapyEpisode, SyndromeRollup, TransplantRollup

__all__ = ["RegistryColumn", "COLUMNS", "registry_rows", "HEADER"]


@dataclass(frozen=True)
class RegistryColumn:
    name: str
    rows: str           # "both", "cart" or "hsct"
    question: str       # the registry question it answers


COLUMNS: tuple[RegistryColumn, ...] = (
    RegistryColumn("record_type", "both", "Which report: 'cart' (a CAR-T infusion episode: "
                   "cellular therapy forms) or 'hsct' (a transplant: transplant forms)"),
    RegistryColumn("mrn", "both", "The centre's patient identifier (the registry's own ID is "
                   "linked by the data manager)"),
    RegistryColumn("sex", "both", "Recipient sex"),
    RegistryColumn("birth_date", "both", "Recipient date of birth"),
    RegistryColumn("diagnosis", "both", "Primary disease for which the therapy was given"),
    RegistryColumn("diagnosis_date", "both", "Date of diagnosis of the primary disease"),
    RegistryColumn("therapy_date", "both", "Date of the (first) infusion of the product: "
                   "CAR-T infusion date, or HSCT date (day 0)"),
    RegistryColumn("infusion_dates", "cart", "Dates of every infusion of the episode (split "
                   "doses), separated by ';'"),
    RegistryColumn("product", "cart", "Cellular product infused (as recorded on the "
                   "infusion event)"),
    RegistryColumn("cells_per_kg", "cart", "Cell dose infused (cells/kg)"),
    RegistryColumn("crs_occurred", "cart", "Did cytokine release syndrome occur after the "
                   "infusion? (yes/no; empty: not assessed)"),
    RegistryColumn("crs_onset_day", "cart", "CRS: date of onset, as the day after infusion"),
    RegistryColumn("crs_worst_grade", "cart", "CRS: maximum grade (ASTCT consensus 2019)"),
    RegistryColumn("crs_worst_day", "cart", "CRS: day the maximum grade was first reached"),
    RegistryColumn("crs_resolved_day", "cart", "CRS: day of resolution (empty: not resolved "
                   "within the episode's records)"),
    RegistryColumn("crs_treatment", "cart", "CRS: therapy given (tocilizumab, "
                   "corticosteroids, ...), separated by ';'"),
    RegistryColumn("icans_occurred", "cart", "Did immune effector cell-associated "
                   "neurotoxicity syndrome (ICANS) occur? (yes/no; empty: not assessed)"),
    RegistryColumn("icans_onset_day", "cart", "ICANS: date of onset, as the day after infusion"),
    RegistryColumn("icans_worst_grade", "cart", "ICANS: maximum grade (ASTCT consensus 2019)"),
    RegistryColumn("icans_worst_day", "cart", "ICANS: day the maximum grade was first reached"),
    RegistryColumn("icans_resolved_day", "cart", "ICANS: day of resolution"),
    RegistryColumn("icans_treatment", "cart", "ICANS: therapy given, separated by ';'"),
    RegistryColumn("donor_relation", "hsct", "Donor relation to the recipient"),
    RegistryColumn("hla_match", "hsct", "HLA match of donor and recipient"),
    RegistryColumn("graft", "hsct", "Donor type (haploidentical, matched sibling, matched "
                   "unrelated, cord)"),
    RegistryColumn("conditioning_intensity", "hsct", "Conditioning intensity (MAC, RIC, NMA)"),
    RegistryColumn("neutrophil_engraftment_day", "hsct", "Neutrophil recovery: day of the first "
                   "of 3 consecutive days with ANC >= 0.5 x10^9/L (empty: not reached)"),
    RegistryColumn("platelet_engraftment_day", "hsct", "Platelet recovery: day of the first of "
                   "3 consecutive daily values >= 20 x10^9/L, the last platelet transfusion 7 "
                   "or more days before it (empty: not reached)"),
    RegistryColumn("agvhd_worst_grade_by_day_100", "hsct", "Acute GVHD: maximum overall grade "
                   "(MAGIC) up to day +100"),
    RegistryColumn("agvhd_worst_grade_after_day_100", "hsct", "Acute GVHD: maximum overall "
                   "grade after day +100 (late acute)"),
    RegistryColumn("cgvhd_worst_severity", "hsct", "Chronic GVHD: maximum severity (NIH 2014 "
                   "global: none, mild, moderate, severe)"),
    RegistryColumn("latest_chimerism_pct", "hsct", "Donor chimerism: latest value (% donor)"),
    RegistryColumn("latest_chimerism", "hsct", "Donor chimerism: latest category (full, "
                   "mixed, autologous)"),
    RegistryColumn("relapse_date", "both", "Relapse or progression after the therapy: date "
                   "of the first recorded (empty: none recorded)"),
    RegistryColumn("death_date", "both", "Date of death (empty: not recorded as dead)"),
    RegistryColumn("last_follow_up_date", "both", "Date of last contact: the latest date of "
                   "anything in the record"),
)

HEADER: tuple[str, ...] = tuple(c.name for c in COLUMNS)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _syndrome(prefix: str, s: SyndromeRollup) -> dict[str, Any]:
    return {f"{prefix}_occurred": _yes_no(s.occurred), f"{prefix}_onset_day": s.onset_day,
            f"{prefix}_worst_grade": s.worst_grade, f"{prefix}_worst_day": s.worst_day,
            f"{prefix}_resolved_day": s.resolved_day,
            f"{prefix}_treatment": ";".join(s.treatment) or None}


def _last_date(record: Record) -> date | None:
    dates = [item.date for kind in (record.measurements, record.events, record.labs,
                                    record.marrow, record.assessments) for item in kind]
    dates += [c.start_date for c in record.courses if c.start_date is not None]
    return max(dates, default=None)


def _patient(record: Record, therapy: date, seen: date | None) -> dict[str, Any]:
    p = record.patient
    after = [e for e in record.events if e.date >= therapy]
    relapse = min((e.date for e in after if e.type is EventType.RELAPSE), default=None)
    death = min((e.date for e in record.events if e.type is EventType.DEATH), default=None)
    return {"mrn": p.mrn, "sex": p.sex.value, "birth_date": p.birth_date,
            "diagnosis": p.diagnosis, "diagnosis_date": p.diagnosis_date,
            "relapse_date": relapse, "death_date": death,
            "last_follow_up_date": max(filter(None, (_last_date(record), seen)), default=None)}


def _cart(record: Record, episode: CellularTherapyEpisode, seen: date | None
          ) -> dict[str, Any]:
    infusion = next((e for e in record.events if e.type is EventType.CART_INFUSION
                     and e.date == episode.infusion_date), None)
    details = infusion.details if infusion is not None else {}
    return {"record_type": "cart", **_patient(record, episode.infusion_date, seen),
            "therapy_date": episode.infusion_date,
            "infusion_dates": ";".join(d.isoformat() for d in episode.infusion_dates),
            "product": details.get("product"), "cells_per_kg": details.get("cells_per_kg"),
            **_syndrome("crs", episode.crs), **_syndrome("icans", episode.icans)}


def _hsct(record: Record, t: TransplantRollup, seen: date | None) -> dict[str, Any]:
    event = next((e for e in record.events if e.type is EventType.HSCT
                  and e.date == t.hsct_date), None)
    details = event.details if event is not None else {}
    return {"record_type": "hsct", **_patient(record, t.hsct_date, seen),
            "therapy_date": t.hsct_date,
            **{k: details.get(k) for k in ("donor_relation", "hla_match", "graft",
                                           "conditioning_intensity")},
            "neutrophil_engraftment_day": t.neutrophil_day,
            "platelet_engraftment_day": t.platelet_day,
            "agvhd_worst_grade_by_day_100": t.agvhd_worst_grade_by_day_100,
            "agvhd_worst_grade_after_day_100": t.agvhd_worst_grade_after_day_100,
            "cgvhd_worst_severity": t.cgvhd_worst_severity,
            "latest_chimerism_pct": t.latest_chimerism_pct,
            "latest_chimerism": t.latest_chimerism}


def registry_rows(record: Record, derived: Derived | Rollups, *, start: date | None = None,
                  end: date | None = None, last_seen: date | None = None
                  ) -> list[dict[str, Any]]:
    """The registry rows of one patient (CAR-T episodes, then transplants, each by
    date) whose therapy date is within [start, end]; every row has every column.
    ``last_seen``: the latest date of the patient's labs when ``record`` holds only
    some of them (the last contact is the latest date of anything)."""
    rows = [_cart(record, e, last_seen) for e in derived.cellular_therapy] + \
        [_hsct(record, t, last_seen) for t in derived.transplant]
    out = []
    for row in rows:
        when = row["therapy_date"]
        if (start is not None and when < start) or (end is not None and when > end):
            continue
        out.append({name: row.get(name) for name in HEADER})
    return out


def cell_text(value: Any) -> str:
    """A value as the CSV writes it: dates ISO, numbers as stored, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rows_as_text(rows: Iterable[dict[str, Any]]) -> Sequence[Sequence[str]]:
    return [[cell_text(row[name]) for name in HEADER] for row in rows]
