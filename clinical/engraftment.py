"""Neutrophil and platelet engraftment after HSCT, and primary graft failure.

CIBMTR Forms Instruction Manual and ASTCT 2021 definitions as decided in
clinical-rules.md Part A "Engraftment" and Part B §6. Every series is reduced
to one value per day (that day's lowest) in a single pass and then scanned
once, so a patient with tens of thousands of lab rows costs O(n log n) at
most (the sort of distinct days).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from clinical.grading.ctcae import dec, fmt
from clinical.grading.result import Grade, ambiguous, provisional
from clinical.record import Event, EventType, Lab, LabTest

SCALE = "CIBMTR/ASTCT 2021"

ANC_THRESHOLD = Decimal("0.5")
RUN_LENGTH = 3  # consecutive values on different days
PGF_DAY = 30  # ASTCT 2021: PBSC or bone marrow
PGF_DAY_CORD = 42  # ASTCT 2021: umbilical cord blood
OLDER_PGF_DAY = 28  # pre-2021 definitions for BM/PBSC (Part B §6.3)
TRANSFUSION_FREE_DAYS = 7  # last platelet transfusion on or before D - 7

_CORD_GRAFTS = frozenset({"cord", "ucb", "cord_blood", "umbilical_cord_blood"})


@dataclass(frozen=True)
class _Series:
    """One value per day on or after day 0, in date order."""

    dates: list[date]
    lowest: list[Decimal]
    highest: list[Decimal]
    several: list[date]  # days that had more than one value


def _daily(values: Iterable[tuple[date, float]], start: date, end: date | None) -> _Series:
    """Reduce raw (date, value) pairs to each day's lowest and highest, one pass."""
    lo: dict[date, Decimal] = {}
    hi: dict[date, Decimal] = {}
    count: dict[date, int] = {}
    for d, v in values:
        if d < start or (end is not None and d > end):
            continue
        x = dec(v)
        if x < 0:
            raise ValueError(f"count cannot be negative: {v!r} on {d.isoformat()}")
        prev = lo.get(d)
        if prev is None:
            lo[d] = hi[d] = x
            count[d] = 1
            continue
        if x < prev:
            lo[d] = x
        if x > hi[d]:
            hi[d] = x
        count[d] += 1
    dates = sorted(lo)
    return _Series(dates, [lo[d] for d in dates], [hi[d] for d in dates],
                   [d for d in dates if count[d] > 1])


def _day(d: date, anchor: date) -> int:
    return (d - anchor).days


def _d(n: int) -> str:
    return f"d+{n}" if n >= 0 else f"d{n}"


def _is_cord(graft: str | None) -> bool:
    return graft is not None and graft.strip().lower() in _CORD_GRAFTS


def anc_from_differential(wbc: float, segs_pct: float, bands_pct: float) -> float:
    """ANC = WBC x (% segmented + % bands) / 100, for when no ANC is printed."""
    w, s, b = dec(wbc), dec(segs_pct), dec(bands_pct)
    if w < 0 or s < 0 or b < 0:
        raise ValueError("WBC and percentages cannot be negative")
    if s + b > 100:
        raise ValueError(f"segmented + bands = {fmt(s + b)} % exceeds 100 %")
    return float(w * (s + b) / 100)


# --- neutrophils -----------------------------------------------------------


@dataclass(frozen=True)
class _AncScan:
    nadir: int | None  # index of the first value < 0.5
    engrafted: int | None  # index of the first of three values >= 0.5
    pending: int | None  # start of an unfinished run at the end of the data


def _scan_anc(values: list[Decimal]) -> _AncScan:
    nadir = next((i for i, v in enumerate(values) if v < ANC_THRESHOLD), None)
    if nadir is None:
        return _AncScan(None, None, None)
    run_start: int | None = None
    run = 0
    for i in range(nadir + 1, len(values)):
        if values[i] >= ANC_THRESHOLD:
            if run == 0:
                run_start = i
            run += 1
            if run == RUN_LENGTH:
                return _AncScan(nadir, run_start, None)
        else:
            run = 0  # any value below 0.5 resets the run
    return _AncScan(nadir, None, run_start if run else None)


def _apply_manual(series: _Series, manual: Mapping[date, float]) -> tuple[_Series, list[date]]:
    """At exactly 0.5 the manual differential decides (CIBMTR); elsewhere it is ignored."""
    used: list[date] = []
    lowest, highest = list(series.lowest), list(series.highest)
    for i, d in enumerate(series.dates):
        if d not in manual:
            continue
        m = dec(manual[d])
        if lowest[i] == ANC_THRESHOLD:
            lowest[i] = m
            used.append(d)
        if highest[i] == ANC_THRESHOLD:
            highest[i] = m
    return _Series(series.dates, lowest, highest, series.several), used


def _grade(value: Any, reason: str, flags: list[str], details: dict[str, Any]) -> Grade:
    return Grade(value, SCALE, reason, tuple(dict.fromkeys(flags)), details)



def _several_values_flag(what: str, series: Any, used: int | None, highest: int | None,
                         hsct_date: date) -> str:
    """The ambiguous flag for days with several values: each day's lowest was used;
    say what the daily highest would have given."""
    alt_text = ("the same date" if highest == used else "no date" if highest is None else
                _d(_day(series.dates[highest], hsct_date)))
    shown = ", ".join(_d(_day(d, hsct_date)) for d in series.several[:5])
    return ambiguous(f"{len(series.several)} day(s) with several {what} values ({shown}); "
                     f"each day's lowest used, the daily highest would give {alt_text}")

def neutrophil_engraftment(
    anc: Sequence[tuple[date, float]],
    hsct_date: date,
    *,
    graft: str | None = None,
    as_of: date | None = None,
    manual_anc: Mapping[date, float] | None = None,
) -> Grade:
    """Neutrophil engraftment date, or None with the reason (CIBMTR/ASTCT 2021).

    The date is the first of three consecutive daily values >= 0.5 x10^9/L
    after the first value below 0.5 on or after day 0. Primary graft failure
    is flagged when there is no recovery by day +30 (+42 for cord blood) and
    ``as_of`` (default: the last value's date) is past that day.
    """
    series = _daily(anc, hsct_date, as_of)
    manual_used: list[date] = []
    if manual_anc:
        series, manual_used = _apply_manual(series, manual_anc)
    cord = _is_cord(graft)
    limit = PGF_DAY_CORD if cord else PGF_DAY
    details: dict[str, Any] = {"date": None, "day": None, "primary_graft_failure": None,
                               "graft": graft, "limit_day": limit, "nadir_date": None,
                               "manual_differential_days": manual_used}
    if not series.dates:
        return _grade(None, f"no ANC values on or after day 0 ({hsct_date.isoformat()})",
                      [provisional("ANC not measured after day 0")], details)

    assessed = as_of if as_of is not None else series.dates[-1]
    assessed_day = _day(assessed, hsct_date)
    details["as_of"], details["as_of_day"] = assessed, assessed_day
    flags: list[str] = []
    scan = _scan_anc(series.lowest)

    if series.several:
        # Part A: use each day's lowest and flag; name what the daily highest would give.
        flags.append(_several_values_flag("ANC", series, scan.engrafted,
                                          _scan_anc(series.highest).engrafted, hsct_date))
        details["days_with_several_values"] = series.several

    if scan.nadir is None:
        details["primary_graft_failure"] = False
        flags.append("never neutropenic")
        flags.append(ambiguous("no ANC < 0.5 after day 0, so no engraftment date is given "
                               "(the CIBMTR text for this case was not retrieved)"))
        return _grade(None, f"never neutropenic: no ANC < 0.5 from day 0 to {_d(assessed_day)}",
                      flags, details)
    nadir_date = series.dates[scan.nadir]
    details["nadir_date"] = nadir_date
    where = f"after the first value < 0.5 on {_d(_day(nadir_date, hsct_date))}"

    graft_unknown = graft is None
    if scan.engrafted is not None:
        e_date = series.dates[scan.engrafted]
        e_day = _day(e_date, hsct_date)
        details["date"], details["day"] = e_date, e_day
        reason = (f"neutrophil engraftment {_d(e_day)} ({e_date.isoformat()}): first of "
                  f"{RUN_LENGTH} consecutive daily values >= 0.5 {where}")
        if e_day > limit:
            details["primary_graft_failure"] = True
            flags.append("primary graft failure")
            reason += f"; recovery after the {_d(limit)} limit: primary graft failure by ASTCT 2021"
            if graft_unknown and e_day <= PGF_DAY_CORD:
                flags.append(provisional("graft source not recorded: the d+30 limit was used "
                                         "(cord blood would allow d+42)"))
        else:
            details["primary_graft_failure"] = False
        return _grade(e_date, reason, flags, details)

    # Not engrafted (yet).
    if scan.pending is not None and _day(series.dates[scan.pending], hsct_date) <= limit:
        p_day = _day(series.dates[scan.pending], hsct_date)
        return _grade(None, f"not yet engrafted: ANC >= 0.5 since {_d(p_day)}, awaiting "
                      f"{RUN_LENGTH} consecutive values (assessed {_d(assessed_day)})", flags, details)
    if assessed_day > limit:
        details["primary_graft_failure"] = True
        flags.append("primary graft failure")
        if graft_unknown and assessed_day <= PGF_DAY_CORD:
            flags.append(provisional("graft source not recorded: the d+30 limit was used "
                                     "(cord blood would allow d+42)"))
        return _grade(None, f"primary graft failure: ANC >= 0.5 not reached by {_d(limit)} "
                      f"(assessed {_d(assessed_day)}; ASTCT 2021 also requires pancytopenia)",
                      flags, details)
    if not cord and assessed_day > OLDER_PGF_DAY:
        flags.append(ambiguous(f"older definitions (day +{OLDER_PGF_DAY} for BM/PBSC) would call "
                               f"this primary graft failure; ASTCT 2021 waits until {_d(limit)}"))
        return _grade(None, f"not yet engrafted; not yet evaluable for primary graft failure "
                      f"(assessed {_d(assessed_day)}, ASTCT limit {_d(limit)})", flags, details)
    return _grade(None, f"not yet engrafted (assessed {_d(assessed_day)}; primary graft failure "
                  f"limit {_d(limit)})", flags, details)


# --- platelets -------------------------------------------------------------


@dataclass(frozen=True)
class _PltScan:
    recovered: int | None
    restarts: list[tuple[date, date]]  # (run start, transfusion that broke it)


def _scan_plt(dates: list[date], values: list[Decimal], start: int,
              threshold: Decimal, tx: list[date]) -> _PltScan:
    """First of three consecutive values >= threshold, transfusion-free for 7 days before."""
    restarts: list[tuple[date, date]] = []
    run_start: int | None = None
    run = 0
    free = timedelta(days=TRANSFUSION_FREE_DAYS)
    i = start
    while i < len(dates):
        d = dates[i]
        if values[i] < threshold:
            run, run_start = 0, None
            i += 1
            continue
        if run_start is not None:
            # A platelet transfusion after the run's first day restarts the search.
            k = bisect_right(tx, dates[run_start])
            if k < len(tx) and tx[k] <= d:
                restarts.append((dates[run_start], tx[k]))
                run, run_start = 0, None
                continue  # re-examine this day as a possible new first day
            run += 1
        else:
            # Eligible first day: the last transfusion on or before D is on or before D - 7.
            k = bisect_right(tx, d)
            if k and tx[k - 1] > d - free:
                i += 1
                continue
            run_start, run = i, 1
        if run == RUN_LENGTH:
            return _PltScan(run_start, restarts)
        i += 1
    return _PltScan(None, restarts)


def platelet_engraftment(
    plt: Sequence[tuple[date, float]],
    transfusions: Sequence[date],
    hsct_date: date,
    *,
    threshold: float = 20,
) -> Grade:
    """Platelet recovery date (>= threshold, default 20 x10^9/L), or None with the reason.

    The first of three consecutive daily values >= threshold after the first
    value below it on or after day 0, whose first date D has the last platelet
    transfusion on or before D - 7. ``transfusions`` must be platelet
    transfusions only. A transfusion inside the three days restarts the search.
    """
    thr = dec(threshold)
    series = _daily(plt, hsct_date, None)
    tx = sorted(set(transfusions))
    details: dict[str, Any] = {"date": None, "day": None, "threshold": float(thr),
                               "nadir_date": None, "restarts": [], "earliest_eligible": None}
    if not series.dates:
        return _grade(None, f"no platelet values on or after day 0 ({hsct_date.isoformat()})",
                      [provisional("platelets not measured after day 0")], details)
    flags: list[str] = []
    label = f">= {fmt(thr)}"
    nadir = next((i for i, v in enumerate(series.lowest) if v < thr), None)
    # A transfusion on or before day -7 cannot affect any date from day 0 on.
    relevant_tx = tx[bisect_right(tx, hsct_date - timedelta(days=TRANSFUSION_FREE_DAYS)):]
    if nadir is None:
        if not relevant_tx:
            return _grade(None, f"not applicable: platelets never below {fmt(thr)} after day 0 "
                          f"and no platelet transfusion", flags, details)
        # Kept up by transfusions: the nadir rule cannot apply, the 7-day rule still does.
        flags.append(ambiguous(f"platelets never below {fmt(thr)} after day 0 but transfused; "
                               f"searched from day 0"))
        first = 0
    else:
        details["nadir_date"] = series.dates[nadir]
        first = nadir + 1

    scan = _scan_plt(series.dates, series.lowest, first, thr, tx)
    details["restarts"] = [{"run_start": s, "transfusion": t} for s, t in scan.restarts]
    if series.several:
        alt = _scan_plt(series.dates, series.highest, first, thr, tx)
        flags.append(_several_values_flag("platelet", series, scan.recovered, alt.recovered,
                                          hsct_date))
        details["days_with_several_values"] = series.several
    for s, t in scan.restarts:
        flags.append(ambiguous(f"platelet transfusion on {_d(_day(t, hsct_date))} inside the run "
                               f"from {_d(_day(s, hsct_date))}: search restarted (not stated by CIBMTR)"))

    if scan.recovered is not None:
        r_date = series.dates[scan.recovered]
        r_day = _day(r_date, hsct_date)
        details["date"], details["day"] = r_date, r_day
        k = bisect_right(tx, r_date)
        last = tx[k - 1].isoformat() if k else "none"
        return _grade(r_date, f"platelet recovery {label} on {_d(r_day)} ({r_date.isoformat()}): first "
                      f"of {RUN_LENGTH} consecutive daily values {label}, last platelet transfusion "
                      f"before it: {last}", flags, details)

    last_date = series.dates[-1]
    k = bisect_right(tx, last_date)
    if k:
        eligible = tx[k - 1] + timedelta(days=TRANSFUSION_FREE_DAYS)
        details["earliest_eligible"] = eligible
        details["earliest_eligible_day"] = _day(eligible, hsct_date)
        extra = (f"; earliest eligible date {_d(_day(eligible, hsct_date))} ({eligible.isoformat()}) "
                 f"after the transfusion on {tx[k - 1].isoformat()}") if eligible > last_date else ""
    else:
        extra = ""
    return _grade(None, f"not yet recovered: no {RUN_LENGTH} consecutive daily values {label} "
                  f"free of platelet transfusion for {TRANSFUSION_FREE_DAYS} days "
                  f"(last value {_d(_day(last_date, hsct_date))}){extra}", flags, details)


# --- from a record -----------------------------------------------------------


def engraftment_from_record(labs: Iterable[Lab], events: Iterable[Event], *,
                            as_of: date | None = None) -> dict[str, Grade]:
    """Neutrophil and platelet engraftment from a record's labs and events.

    The anchor is the first HSCT event (its details["graft"] decides the
    graft-failure limit); only transfusions with details["product"] ==
    "platelets" count for the platelet rule.
    """
    event_list = list(events)
    hscts = [e for e in event_list if e.type == EventType.HSCT]
    if not hscts:
        none = {"date": None, "day": None}
        return {"neutrophil": Grade(None, SCALE, "no HSCT recorded", (), dict(none)),
                "platelet": Grade(None, SCALE, "no HSCT recorded", (), dict(none))}
    anchor = min(hscts, key=lambda e: e.date)  # the first by date; ties keep record order
    graft = anchor.details.get("graft")
    anc: list[tuple[date, float]] = []
    plt: list[tuple[date, float]] = []
    for lab in labs:
        if lab.test == LabTest.ANC:
            anc.append((lab.date, lab.value))
        elif lab.test == LabTest.PLT:
            plt.append((lab.date, lab.value))
    transfusions = [e.date for e in event_list
                    if e.type == EventType.TRANSFUSION and e.details.get("product") == "platelets"]
    if as_of is not None:
        plt = [(d, v) for d, v in plt if d <= as_of]
        transfusions = [d for d in transfusions if d <= as_of]
    graft_text = graft if isinstance(graft, str) else None
    return {
        "neutrophil": neutrophil_engraftment(anc, anchor.date, graft=graft_text, as_of=as_of),
        "platelet": platelet_engraftment(plt, transfusions, anchor.date),
    }



# --- the record format's fixed vocabulary (format 1.1) -------------------------------------

ENGRAFTMENT_FLAGS = ("never_neutropenic", "primary_graft_failure", "several_values_a_day",
                     "transfusion_restart")


def engraftment_flags(grade: Grade) -> list[str]:
    """A lineage's flags in the export's fixed vocabulary, in vocabulary order.

    The grade's own flags say the same in words (and name the choice made); these
    codes are for registries and scripts.
    """
    d = grade.details
    found = {
        "never_neutropenic": "never neutropenic" in grade.flags,
        "primary_graft_failure": d.get("primary_graft_failure") is True,
        "several_values_a_day": bool(d.get("days_with_several_values")),
        "transfusion_restart": bool(d.get("restarts")),
    }
    return [f for f in ENGRAFTMENT_FLAGS if found[f]]
