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
from clinical.messages import Msg, Seq, msg, translate
from clinical.record import Event, EventType, Lab, LabTest

SCALE = "CIBMTR/ASTCT 2021"

ANC_THRESHOLD = Decimal("0.5")
RUN_LENGTH = 3  # consecutive values on different days
PGF_DAY = 30  # ASTCT 2021: PBSC or bone marrow
PGF_DAY_CORD = 42  # ASTCT 2021: umbilical cord blood
OLDER_PGF_DAY = 28  # pre-2021 definitions for BM/PBSC (Part B §6.3)
TRANSFUSION_FREE_DAYS = 7  # last platelet transfusion on or before D - 7

_CORD_GRAFTS = frozenset({"cord", "ucb", "cord_blood", "umbilical_cord_blood"})

# --- what the rules say (clinical.messages): English as always, rendered per reader ---

DAY_PLUS = translate("clinical", "d+{n}", "engraftment.day.after")
DAY_MINUS = translate("clinical", "d{n}", "engraftment.day.before")
ANC = msg(translate("term", "ANC", "term.lab.anc_short"))
PLATELET = msg(translate("term", "platelet", "term.lineage.platelet"))
SAME_DATE = translate("clinical", "the same date", "engraftment.alternative.same_date")
NO_DATE = translate("clinical", "no date", "engraftment.alternative.no_date")
SEVERAL_VALUES = translate("clinical", "{count} day(s) with several {what} values ({days}); each day's lowest used, the daily highest would give {alternative}", "engraftment.flag.several_values")
NO_ANC = translate("clinical", "no ANC values on or after day 0 ({date})", "engraftment.anc.none")
ANC_NOT_MEASURED = translate("clinical", "ANC not measured after day 0", "engraftment.anc.not_measured")
NEVER_NEUTROPENIC = msg(translate("clinical", "never neutropenic", "engraftment.flag.never_neutropenic"))
NEVER_NEUTROPENIC_CHOICE = translate("clinical", "no ANC < 0.5 after day 0, so no engraftment date is given (the CIBMTR text for this case was not retrieved)", "engraftment.anc.never_neutropenic_choice")
NEVER_NEUTROPENIC_REASON = translate("clinical", "never neutropenic: no ANC < 0.5 from day 0 to {day}", "engraftment.anc.never_neutropenic")
AFTER_NADIR = translate("clinical", "after the first value < 0.5 on {day}", "engraftment.anc.after_nadir")
NEUTROPHIL_ENGRAFTED = translate("clinical", "neutrophil engraftment {day} ({date}): first of {run} consecutive daily values >= 0.5 {where}", "engraftment.anc.engrafted")
RECOVERY_AFTER_LIMIT = translate("clinical", "{reason}; recovery after the {limit} limit: primary graft failure by ASTCT 2021", "engraftment.anc.engrafted_after_limit")
PRIMARY_GRAFT_FAILURE = msg(translate("clinical", "primary graft failure", "engraftment.flag.primary_graft_failure"))
GRAFT_SOURCE_UNKNOWN = translate("clinical", "graft source not recorded: the d+30 limit was used (cord blood would allow d+42)", "engraftment.graft_source_unknown")
AWAITING_RUN = translate("clinical", "not yet engrafted: ANC >= 0.5 since {day}, awaiting {run} consecutive values (assessed {assessed})", "engraftment.anc.awaiting_run")
GRAFT_FAILURE_REASON = translate("clinical", "primary graft failure: ANC >= 0.5 not reached by {limit} (assessed {assessed}; ASTCT 2021 also requires pancytopenia)", "engraftment.anc.primary_graft_failure")
OLDER_DEFINITIONS = translate("clinical", "older definitions (day +{older} for BM/PBSC) would call this primary graft failure; ASTCT 2021 waits until {limit}", "engraftment.anc.older_definitions")
NOT_YET_EVALUABLE = translate("clinical", "not yet engrafted; not yet evaluable for primary graft failure (assessed {assessed}, ASTCT limit {limit})", "engraftment.anc.not_yet_evaluable")
NOT_YET_ENGRAFTED = translate("clinical", "not yet engrafted (assessed {assessed}; primary graft failure limit {limit})", "engraftment.anc.not_yet")
NO_PLATELETS = translate("clinical", "no platelet values on or after day 0 ({date})", "engraftment.plt.none")
PLATELETS_NOT_MEASURED = translate("clinical", "platelets not measured after day 0", "engraftment.plt.not_measured")
PLT_NOT_APPLICABLE = translate("clinical", "not applicable: platelets never below {threshold} after day 0 and no platelet transfusion", "engraftment.plt.not_applicable")
PLT_NEVER_BELOW_TRANSFUSED = translate("clinical", "platelets never below {threshold} after day 0 but transfused; searched from day 0", "engraftment.plt.never_below_transfused")
PLT_RESTART = translate("clinical", "platelet transfusion on {transfusion} inside the run from {start}: search restarted (not stated by CIBMTR)", "engraftment.plt.restart")
PLT_RECOVERED = translate("clinical", "platelet recovery >= {threshold} on {day} ({date}): first of {run} consecutive daily values >= {threshold}, last platelet transfusion before it: {last}", "engraftment.plt.recovered")
NO_TRANSFUSION = translate("clinical", "none", "engraftment.plt.no_transfusion")
PLT_NOT_YET = translate("clinical", "not yet recovered: no {run} consecutive daily values >= {threshold} free of platelet transfusion for {days} days (last value {last})", "engraftment.plt.not_yet")
PLT_NOT_YET_ELIGIBLE = translate("clinical", "not yet recovered: no {run} consecutive daily values >= {threshold} free of platelet transfusion for {days} days (last value {last}); earliest eligible date {eligible_day} ({eligible_date}) after the transfusion on {transfusion}", "engraftment.plt.not_yet_eligible")
NO_HSCT = translate("clinical", "no HSCT recorded", "engraftment.no_hsct")


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


def _d(n: int) -> Msg:
    return msg(DAY_PLUS, n=n) if n >= 0 else msg(DAY_MINUS, n=n)


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


def _grade(value: Any, reason: Msg, flags: list[str], details: dict[str, Any]) -> Grade:
    return Grade(value, SCALE, reason, tuple(dict.fromkeys(flags)), details)



def _several_values_flag(what: Msg, series: Any, used: int | None, highest: int | None,
                         hsct_date: date) -> str:
    """The ambiguous flag for days with several values: each day's lowest was used;
    say what the daily highest would have given."""
    alternative = (msg(SAME_DATE) if highest == used else msg(NO_DATE) if highest is None else
                   _d(_day(series.dates[highest], hsct_date)))
    shown = Seq((_d(_day(d, hsct_date)) for d in series.several[:5]), "comma")
    return ambiguous(msg(SEVERAL_VALUES, count=len(series.several), what=what, days=shown,
                         alternative=alternative))

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
        return _grade(None, msg(NO_ANC, date=hsct_date.isoformat()),
                      [provisional(msg(ANC_NOT_MEASURED))], details)

    assessed = as_of if as_of is not None else series.dates[-1]
    assessed_day = _day(assessed, hsct_date)
    details["as_of"], details["as_of_day"] = assessed, assessed_day
    flags: list[str] = []
    scan = _scan_anc(series.lowest)

    if series.several:
        # Part A: use each day's lowest and flag; name what the daily highest would give.
        flags.append(_several_values_flag(ANC, series, scan.engrafted,
                                          _scan_anc(series.highest).engrafted, hsct_date))
        details["days_with_several_values"] = series.several

    if scan.nadir is None:
        details["primary_graft_failure"] = False
        flags.append(NEVER_NEUTROPENIC)
        flags.append(ambiguous(msg(NEVER_NEUTROPENIC_CHOICE)))
        return _grade(None, msg(NEVER_NEUTROPENIC_REASON, day=_d(assessed_day)), flags, details)
    nadir_date = series.dates[scan.nadir]
    details["nadir_date"] = nadir_date
    where = msg(AFTER_NADIR, day=_d(_day(nadir_date, hsct_date)))

    graft_unknown = graft is None
    if scan.engrafted is not None:
        e_date = series.dates[scan.engrafted]
        e_day = _day(e_date, hsct_date)
        details["date"], details["day"] = e_date, e_day
        reason = msg(NEUTROPHIL_ENGRAFTED, day=_d(e_day), date=e_date.isoformat(),
                     run=RUN_LENGTH, where=where)
        if e_day > limit:
            details["primary_graft_failure"] = True
            flags.append(PRIMARY_GRAFT_FAILURE)
            reason = msg(RECOVERY_AFTER_LIMIT, reason=reason, limit=_d(limit))
            if graft_unknown and e_day <= PGF_DAY_CORD:
                flags.append(provisional(msg(GRAFT_SOURCE_UNKNOWN)))
        else:
            details["primary_graft_failure"] = False
        return _grade(e_date, reason, flags, details)

    # Not engrafted (yet).
    if scan.pending is not None and _day(series.dates[scan.pending], hsct_date) <= limit:
        p_day = _day(series.dates[scan.pending], hsct_date)
        return _grade(None, msg(AWAITING_RUN, day=_d(p_day), run=RUN_LENGTH,
                                assessed=_d(assessed_day)), flags, details)
    if assessed_day > limit:
        details["primary_graft_failure"] = True
        flags.append(PRIMARY_GRAFT_FAILURE)
        if graft_unknown and assessed_day <= PGF_DAY_CORD:
            flags.append(provisional(msg(GRAFT_SOURCE_UNKNOWN)))
        return _grade(None, msg(GRAFT_FAILURE_REASON, limit=_d(limit), assessed=_d(assessed_day)),
                      flags, details)
    if not cord and assessed_day > OLDER_PGF_DAY:
        flags.append(ambiguous(msg(OLDER_DEFINITIONS, older=OLDER_PGF_DAY, limit=_d(limit))))
        return _grade(None, msg(NOT_YET_EVALUABLE, assessed=_d(assessed_day), limit=_d(limit)),
                      flags, details)
    return _grade(None, msg(NOT_YET_ENGRAFTED, assessed=_d(assessed_day), limit=_d(limit)),
                  flags, details)


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
        return _grade(None, msg(NO_PLATELETS, date=hsct_date.isoformat()),
                      [provisional(msg(PLATELETS_NOT_MEASURED))], details)
    flags: list[str] = []
    shown_thr = fmt(thr)
    nadir = next((i for i, v in enumerate(series.lowest) if v < thr), None)
    # A transfusion on or before day -7 cannot affect any date from day 0 on.
    relevant_tx = tx[bisect_right(tx, hsct_date - timedelta(days=TRANSFUSION_FREE_DAYS)):]
    if nadir is None:
        if not relevant_tx:
            return _grade(None, msg(PLT_NOT_APPLICABLE, threshold=shown_thr), flags, details)
        # Kept up by transfusions: the nadir rule cannot apply, the 7-day rule still does.
        flags.append(ambiguous(msg(PLT_NEVER_BELOW_TRANSFUSED, threshold=shown_thr)))
        first = 0
    else:
        details["nadir_date"] = series.dates[nadir]
        first = nadir + 1

    scan = _scan_plt(series.dates, series.lowest, first, thr, tx)
    details["restarts"] = [{"run_start": s, "transfusion": t} for s, t in scan.restarts]
    if series.several:
        alt = _scan_plt(series.dates, series.highest, first, thr, tx)
        flags.append(_several_values_flag(PLATELET, series, scan.recovered, alt.recovered,
                                          hsct_date))
        details["days_with_several_values"] = series.several
    for s, t in scan.restarts:
        flags.append(ambiguous(msg(PLT_RESTART, transfusion=_d(_day(t, hsct_date)),
                                   start=_d(_day(s, hsct_date)))))

    if scan.recovered is not None:
        r_date = series.dates[scan.recovered]
        r_day = _day(r_date, hsct_date)
        details["date"], details["day"] = r_date, r_day
        k = bisect_right(tx, r_date)
        last = tx[k - 1].isoformat() if k else msg(NO_TRANSFUSION)
        return _grade(r_date, msg(PLT_RECOVERED, threshold=shown_thr, day=_d(r_day),
                                  date=r_date.isoformat(), run=RUN_LENGTH, last=last),
                      flags, details)

    last_date = series.dates[-1]
    k = bisect_right(tx, last_date)
    shown = {"run": RUN_LENGTH, "threshold": shown_thr, "days": TRANSFUSION_FREE_DAYS,
             "last": _d(_day(last_date, hsct_date))}
    if k:
        eligible = tx[k - 1] + timedelta(days=TRANSFUSION_FREE_DAYS)
        details["earliest_eligible"] = eligible
        details["earliest_eligible_day"] = _day(eligible, hsct_date)
        if eligible > last_date:
            return _grade(None, msg(PLT_NOT_YET_ELIGIBLE, eligible_day=_d(_day(eligible, hsct_date)),
                                    eligible_date=eligible.isoformat(),
                                    transfusion=tx[k - 1].isoformat(), **shown), flags, details)
    return _grade(None, msg(PLT_NOT_YET, **shown), flags, details)


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
        return {"neutrophil": Grade(None, SCALE, msg(NO_HSCT), (), dict(none)),
                "platelet": Grade(None, SCALE, msg(NO_HSCT), (), dict(none))}
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
