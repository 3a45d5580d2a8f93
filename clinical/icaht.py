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
from clinical.messages import Msg, msg, translate

SCALE = "EHA/EBMT 2023"

SEVERE = Decimal("0.5")  # ANC <= 500/uL
PROFOUND = Decimal("0.1")  # ANC <= 100/uL
FIRST_DAY, LAST_DAY = 0, 30
MIN_RECOVERY_DAYS = 3  # a recovery lasting fewer days does not count as recovery

# Late ICAHT: ANC <= cut -> grade, worst first.
_LATE_CUTS: tuple[tuple[int, Decimal], ...] = (
    (4, Decimal("0.1")), (3, Decimal("0.5")), (2, Decimal("1.0")), (1, Decimal("1.5")))

# --- what the rules say (clinical.messages): English as always, rendered per reader ---

NO_VALUES = translate("clinical", "no ANC values on days 0-30", "icaht.early.no_values")
NOT_MEASURED = translate("clinical", "ANC not measured", "icaht.early.not_measured")
NEVER_ABOVE = translate("clinical", "ANC never above 0.5 from day 0 to day 30", "icaht.early.never_above")
PROFOUND_14 = translate("clinical", "{days} days with ANC <= 0.1 (>= 14)", "icaht.early.profound_14")
SEVERE_14 = translate("clinical", "{days} days with ANC <= 0.5 (>= 14)", "icaht.early.severe_14")
PROFOUND_7 = translate("clinical", "{days} days with ANC <= 0.1 (>= 7)", "icaht.early.profound_7")
SEVERE_7_13 = translate("clinical", "{days} days with ANC <= 0.5 (7-13)", "icaht.early.severe_7_13")
SEVERE_1_6 = translate("clinical", "{days} days with ANC <= 0.5 (< 7)", "icaht.early.severe_1_6")
NO_SEVERE_DAY = translate("clinical", "no day with ANC <= 0.5", "icaht.early.none")
WITH_BLIPS = translate("clinical", "{why}, including {days} day(s) of a recovery shorter than 3 days", "icaht.early.with_short_recoveries")
SHORT_RECOVERY_CHOICE = translate("clinical", "ANC rose above 0.5 only for < 3 days: grade 3 because it was not 'never above 0.5'; the open-source code (31 cumulative days) gives 4", "icaht.early.short_recovery_choice")
INFERRED = translate("clinical", "{days} unmeasured day(s) between neutropenic values counted as neutropenic", "icaht.early.inferred_days")
FIRST_DAYS_MISSING = translate("clinical", "days {first}-{last} not measured", "icaht.early.first_days_missing")
NOT_MEASURED_AFTER = translate("clinical", "ANC not measured after day {day}", "icaht.early.not_measured_after")
EARLY = translate("clinical", "early ICAHT grade {grade}: {why}", "icaht.early.grade")
LATE_TOO_FEW = translate("clinical", "late ICAHT needs at least two ANC measurements after day +30 ({count} given)", "icaht.late.too_few")
SECOND_MEASUREMENT = translate("clinical", "second ANC measurement", "icaht.late.second_measurement")
LATE = translate("clinical", "late ICAHT grade {grade}: two measurements with ANC <= {cut} (values {lowest} and {confirmed})", "icaht.late.grade")
LATE_ZERO = translate("clinical", "late ICAHT grade 0: fewer than two measurements with ANC <= 1.5 (second-lowest {confirmed})", "icaht.late.grade_0")


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
        return Grade(None, SCALE, msg(NO_VALUES), (provisional(msg(NOT_MEASURED)),), details)
    severe = _count(days, values, SEVERE)
    profound = _count(days, values, PROFOUND)
    details.update({"days_le_0_5": severe.days, "days_le_0_1": profound.days,
                    "recovery_blip_days": severe.blips, "inferred_days": severe.inferred})
    covered = days[-1] == LAST_DAY
    never_above = covered and all(v <= SEVERE for v in values.values())

    flags: list[str] = []
    why: Msg
    if never_above or profound.days >= 14:
        grade = 4
        why = (msg(NEVER_ABOVE) if never_above else msg(PROFOUND_14, days=profound.days))
    elif severe.days >= 14 or profound.days >= 7:
        grade = 3
        why = (msg(SEVERE_14, days=severe.days) if severe.days >= 14
               else msg(PROFOUND_7, days=profound.days))
        if severe.days == LAST_DAY - FIRST_DAY + 1:
            # Every day counts only because short recoveries do not count as recovery.
            flags.append(ambiguous(msg(SHORT_RECOVERY_CHOICE)))
    elif severe.days >= 7:
        grade, why = 2, msg(SEVERE_7_13, days=severe.days)
    elif severe.days >= 1:
        grade, why = 1, msg(SEVERE_1_6, days=severe.days)
    else:
        grade, why = 0, msg(NO_SEVERE_DAY)
    if severe.blips:
        why = msg(WITH_BLIPS, why=why, days=severe.blips)

    if severe.inferred or profound.inferred:
        flags.append(provisional(msg(INFERRED, days=max(severe.inferred, profound.inferred))))
    if days[0] > FIRST_DAY:
        flags.append(provisional(msg(FIRST_DAYS_MISSING, first=FIRST_DAY, last=days[0] - 1)))
    if not covered and grade < 4:
        flags.append(provisional(msg(NOT_MEASURED_AFTER, day=days[-1])))
    return Grade(grade, SCALE, msg(EARLY, grade=grade, why=why), tuple(flags), details)


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
        return Grade(None, SCALE, msg(LATE_TOO_FEW, count=len(values)),
                     (provisional(msg(SECOND_MEASUREMENT)),), details)
    confirmed = values[1]
    details["confirmed_value"] = float(confirmed)
    details["lowest"] = float(values[0])
    for grade, cut in _LATE_CUTS:
        if confirmed <= cut:
            return Grade(grade, SCALE, msg(LATE, grade=grade, cut=fmt(cut), lowest=fmt(values[0]),
                                           confirmed=fmt(confirmed)), (), details)
    return Grade(0, SCALE, msg(LATE_ZERO, confirmed=fmt(confirmed)), (), details)
