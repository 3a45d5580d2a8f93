"""ICAHT (immune effector cell-associated haematotoxicity), neutrophil grades.

EHA/EBMT consensus (Rejeski et al., Blood 2023) as summarised in
clinical-rules.md Part B §8.4. Early ICAHT (days 0 to +30 after CAR-T) is
graded on cumulative days with ANC <= 0.5 and <= 0.1 x10^9/L (both
inclusive); late ICAHT (after day +30) on the level confirmed by at least two
measurements. Counting should stop at progression, the next line of therapy
or death: pass only the days before such an event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from clinical.grading.ctcae import dec, fmt
from clinical.grading.result import Grade, ambiguous, provisional

SCALE = "EHA/EBMT 2023"

SEVERE = Decimal("0.5")  # ANC <= 500/uL
PROFOUND = Decimal("0.1")  # ANC <= 100/uL
FIRST_DAY, LAST_DAY = 0, 30
MIN_RECOVERY_DAYS = 3  # a recovery lasting fewer days does not count as recovery

# Late ICAHT: ANC <= cut -> grade, worst first.
_LATE_CUTS: tuple[tuple[int, Decimal], ...] = (
    (4, Decimal("0.1")), (3, Decimal("0.5")), (2, Decimal("1.0")), (1, Decimal("1.5")))


@dataclass(frozen=True)
class _Count:
    days: int  # cumulative days at or below the threshold
    inferred: int  # unmeasured days counted because both neighbours were below
    blips: int  # days above the threshold counted because the recovery was < 3 days


def _daily_lowest(anc_by_day: Mapping[int, float | Sequence[float]]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for day, v in anc_by_day.items():
        if not FIRST_DAY <= day <= LAST_DAY:
            continue
        values = [dec(x) for x in v] if isinstance(v, Sequence) else [dec(v)]
        if not values:
            continue
        low = min(values)
        if low < 0:
            raise ValueError(f"ANC cannot be negative on day {day}")
        out[day] = low
    return out


def _count(days: list[int], values: dict[int, Decimal], threshold: Decimal) -> _Count:
    """Cumulative days <= threshold from the first to the last measured day.

    An unmeasured day counts when the measured days either side are both at or
    below the threshold (as in the open-source R implementation); a spell above
    the threshold shorter than 3 days between two spells below counts too.
    """
    if not days:
        return _Count(0, 0, 0)
    below: list[bool] = []
    inferred_flags: list[bool] = []
    for prev, cur in zip([None, *days[:-1]], days, strict=True):
        if prev is not None:
            both = values[prev] <= threshold and values[cur] <= threshold
            for _ in range(prev + 1, cur):
                below.append(both)
                inferred_flags.append(both)
        below.append(values[cur] <= threshold)
        inferred_flags.append(False)

    blips = 0
    i, n = 0, len(below)
    seen_below = False
    while i < n:
        if below[i]:
            seen_below = True
            i += 1
            continue
        j = i
        while j < n and not below[j]:
            j += 1
        # Only a spell between two neutropenic spells is a non-counting recovery.
        if seen_below and j < n and j - i < MIN_RECOVERY_DAYS:
            blips += j - i
        i = j
    return _Count(sum(below) + blips, sum(inferred_flags), blips)


def early_icaht(anc_by_day: Mapping[int, float | Sequence[float]]) -> Grade:
    """Early ICAHT grade 0-4 from ANC by day relative to CAR-T infusion (days 0..30).

    A day with several values uses its lowest. Grade 4: ANC never above 0.5
    in days 0-30, or >= 14 days <= 0.1; grade 3: >= 14 days <= 0.5 or >= 7 days
    <= 0.1; grade 2: 7-13 days <= 0.5; grade 1: 1-6 days.
    """
    values = _daily_lowest(anc_by_day)
    days = sorted(values)
    details: dict[str, object] = {"days_le_0_5": None, "days_le_0_1": None,
                                  "first_day": days[0] if days else None,
                                  "last_day": days[-1] if days else None}
    if not days:
        return Grade(None, SCALE, "no ANC values on days 0-30", (provisional("ANC not measured"),), details)
    severe = _count(days, values, SEVERE)
    profound = _count(days, values, PROFOUND)
    details.update({"days_le_0_5": severe.days, "days_le_0_1": profound.days,
                    "recovery_blip_days": severe.blips, "inferred_days": severe.inferred})
    covered = days[-1] == LAST_DAY
    never_above = covered and all(v <= SEVERE for v in values.values())

    flags: list[str] = []
    if never_above or profound.days >= 14:
        grade = 4
        why = ("ANC never above 0.5 from day 0 to day 30" if never_above
               else f"{profound.days} days with ANC <= 0.1 (>= 14)")
    elif severe.days >= 14 or profound.days >= 7:
        grade = 3
        why = (f"{severe.days} days with ANC <= 0.5 (>= 14)" if severe.days >= 14
               else f"{profound.days} days with ANC <= 0.1 (>= 7)")
        if severe.days == LAST_DAY - FIRST_DAY + 1:
            # Every day counts only because short recoveries do not count as recovery.
            flags.append(ambiguous("ANC rose above 0.5 only for < 3 days: grade 3 because it was not "
                                   "'never above 0.5'; the open-source code (31 cumulative days) gives 4"))
    elif severe.days >= 7:
        grade, why = 2, f"{severe.days} days with ANC <= 0.5 (7-13)"
    elif severe.days >= 1:
        grade, why = 1, f"{severe.days} days with ANC <= 0.5 (< 7)"
    else:
        grade, why = 0, "no day with ANC <= 0.5"
    if severe.blips:
        why += f", including {severe.blips} day(s) of a recovery shorter than 3 days"

    if severe.inferred or profound.inferred:
        flags.append(provisional(f"{max(severe.inferred, profound.inferred)} unmeasured day(s) between "
                                 f"neutropenic values counted as neutropenic"))
    if days[0] > FIRST_DAY:
        flags.append(provisional(f"days {FIRST_DAY}-{days[0] - 1} not measured"))
    if not covered and grade < 4:
        flags.append(provisional(f"ANC not measured after day {days[-1]}"))
    return Grade(grade, SCALE, f"early ICAHT grade {grade}: {why}", tuple(flags), details)


def late_icaht(anc_values_after_day_30: Sequence[float]) -> Grade:
    """Late ICAHT grade 0-4 from ANC values after day +30.

    Needs at least two measurements: the grade is the level reached by at least
    two of them (the second-lowest value), so one transient low does not count.
    ANC <= 1.5 -> 1; <= 1.0 -> 2; <= 0.5 -> 3; <= 0.1 -> 4. Relapse or
    progression must be excluded by the caller.
    """
    values = sorted(dec(v) for v in anc_values_after_day_30)
    details: dict[str, object] = {"count": len(values), "confirmed_value": None}
    if any(v < 0 for v in values):
        raise ValueError("ANC cannot be negative")
    if len(values) < 2:
        return Grade(None, SCALE, f"late ICAHT needs at least two ANC measurements after day +30 "
                     f"({len(values)} given)", (provisional("second ANC measurement"),), details)
    confirmed = values[1]
    details["confirmed_value"] = float(confirmed)
    details["lowest"] = float(values[0])
    for grade, cut in _LATE_CUTS:
        if confirmed <= cut:
            return Grade(grade, SCALE, f"late ICAHT grade {grade}: two measurements with ANC <= {fmt(cut)} "
                         f"(values {fmt(values[0])} and {fmt(confirmed)})", (), details)
    return Grade(0, SCALE, f"late ICAHT grade 0: fewer than two measurements with ANC <= 1.5 "
                 f"(second-lowest {fmt(confirmed)})", (), details)
