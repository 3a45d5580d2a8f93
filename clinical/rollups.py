"""Registry roll-ups: one entry per cellular-therapy episode and one per transplant.

clinical-rules.md Part A 1.1 ("new derived values") and record-format.md
("Derived keys added in format 1.1"): what a CAR-T or transplant registry asks
of every infusion, worked out from the record instead of read off the chart.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from clinical.days import format_day
from clinical.dosing import DoseCalculation
from clinical.grading.result import Grade
from clinical.marrow import chimerism_category
from clinical.record import Assessment, AssessmentKind, Course, Event, EventType, MarrowResult

__all__ = ["EPISODE_GAP_DAYS", "CRS_WINDOW_DAYS", "ICANS_WINDOW_DAYS", "SYNDROME_DRUGS",
           "SyndromeRollup", "CellularTherapyEpisode", "TransplantRollup", "infusion_episodes",
           "cellular_therapy", "transplant_rollups", "CHIMERISM_WORDS"]

EPISODE_GAP_DAYS = 7       # an infusion less than 7 days after the previous one joins its episode
CRS_WINDOW_DAYS = 30       # CRS counted from day 0 to day +30
ICANS_WINDOW_DAYS = 60     # ICANS counted from day 0 to day +60
AGVHD_EARLY_LAST_DAY = 100
# Drugs that count as treatment of CRS or ICANS when given in the syndrome's window.
SYNDROME_DRUGS = frozenset({"tocilizumab", "siltuximab", "anakinra", "dexamethasone",
                            "methylprednisolone", "hydrocortisone"})
CHIMERISM_WORDS = {"full_donor": "full", "mixed": "mixed", "autologous_reconstitution": "autologous"}
_CGVHD_ORDER = ("none", "mild", "moderate", "severe")


@dataclass(frozen=True)
class SyndromeRollup:
    """CRS or ICANS over one episode's window; days count from the episode's day 0."""

    name: str                       # "CRS" or "ICANS"
    occurred: bool | None           # None: no assessment of that kind in the window
    onset_day: int | None
    worst_grade: int | None
    worst_day: int | None
    resolved_day: int | None
    treatment: tuple[str, ...]      # sorted, for the export
    treatment_given: tuple[str, ...] = ()  # in the order first given, for people

    def doc(self) -> dict[str, Any]:
        return {"occurred": self.occurred, "onset_day": self.onset_day,
                "worst_grade": self.worst_grade, "worst_day": self.worst_day,
                "resolved_day": self.resolved_day, "treatment": list(self.treatment)}

    def describe(self) -> str:
        """'CRS from day +3, worst grade 3 on day +3, tocilizumab, dexamethasone'."""
        if self.occurred is None:
            return f"{self.name} not assessed"
        if not self.occurred:
            return f"{self.name} none"
        parts = [f"{self.name} from {format_day(self.onset_day or 0)}",
                 f"worst grade {self.worst_grade} on {format_day(self.worst_day or 0)}"]
        if self.resolved_day is not None:
            parts.append(f"resolved {format_day(self.resolved_day)}")
        parts.append(", ".join(self.treatment_given) if self.treatment_given
                     else "no treatment recorded")
        return ", ".join(parts)


@dataclass(frozen=True)
class CellularTherapyEpisode:
    infusion_dates: tuple[date, ...]
    crs: SyndromeRollup
    icans: SyndromeRollup

    @property
    def infusion_date(self) -> date:
        return self.infusion_dates[0]

    def doc(self) -> dict[str, Any]:
        return {"infusion_date": self.infusion_date.isoformat(),
                "infusion_dates": [d.isoformat() for d in self.infusion_dates],
                "crs": self.crs.doc(), "icans": self.icans.doc()}

    def describe(self) -> str:
        """'CAR-T 2025-04-07: CRS from day +3, worst grade 3 on day +3, ... · ICANS none'."""
        return f"CAR-T {self.infusion_date.isoformat()}: {self.crs.describe()} · {self.icans.describe()}"


@dataclass(frozen=True)
class TransplantRollup:
    hsct_date: date
    neutrophil_day: int | None
    platelet_day: int | None
    agvhd_worst_grade_by_day_100: int | None
    agvhd_worst_grade_after_day_100: int | None
    cgvhd_worst_severity: str | None
    latest_chimerism_pct: float | None
    latest_chimerism: str | None

    def doc(self) -> dict[str, Any]:
        return {"hsct_date": self.hsct_date.isoformat(),
                "neutrophil_day": self.neutrophil_day, "platelet_day": self.platelet_day,
                "agvhd_worst_grade_by_day_100": self.agvhd_worst_grade_by_day_100,
                "agvhd_worst_grade_after_day_100": self.agvhd_worst_grade_after_day_100,
                "cgvhd_worst_severity": self.cgvhd_worst_severity,
                "latest_chimerism_pct": self.latest_chimerism_pct,
                "latest_chimerism": self.latest_chimerism}

    def describe(self) -> str:
        """'HSCT 2025-05-23: neutrophils day +14, platelets day +45 · aGVHD worst 0 by day +100
        · cGVHD none · chimerism 93.33 % mixed'."""
        roman = {0: "0", 1: "I", 2: "II", 3: "III", 4: "IV"}

        def day(n: int | None) -> str:
            return "not yet" if n is None else format_day(n)

        parts = [f"neutrophils {day(self.neutrophil_day)}, platelets {day(self.platelet_day)}"]
        early, late = self.agvhd_worst_grade_by_day_100, self.agvhd_worst_grade_after_day_100
        agvhd = "aGVHD not assessed" if early is None and late is None else (
            "aGVHD worst " + ", ".join(
                f"{roman.get(g, g)} {when}" for g, when in
                ((early, "by day +100"), (late, "after day +100")) if g is not None))
        parts.append(agvhd)
        parts.append(f"cGVHD {self.cgvhd_worst_severity or 'not assessed'}")
        if self.latest_chimerism_pct is not None:
            parts.append(f"chimerism {self.latest_chimerism_pct:g} % {self.latest_chimerism}")
        return f"HSCT {self.hsct_date.isoformat()}: " + " · ".join(parts)


# --- cellular therapy -----------------------------------------------------------------------

def infusion_episodes(events: Sequence[Event]) -> list[tuple[date, ...]]:
    """CAR-T infusion dates grouped into episodes, in date order: an infusion less than
    7 days after the previous infusion joins its episode (days 0, 5 and 10 are one)."""
    dates = sorted(e.date for e in events if e.type is EventType.CART_INFUSION)
    episodes: list[list[date]] = []
    for d in dates:
        if episodes and (d - episodes[-1][-1]).days < EPISODE_GAP_DAYS:
            episodes[-1].append(d)
        else:
            episodes.append([d])
    return [tuple(dict.fromkeys(e)) for e in episodes]


def _syndrome(name: str, graded: Sequence[tuple[date, int]], day0: date, end: date,
              administered: Sequence[tuple[date, str]]) -> SyndromeRollup:
    """One syndrome over [day0, end]; ``graded`` is in date order (record order on a tie)."""
    inside = [(d, g) for d, g in graded if day0 <= d <= end]
    if not inside:
        return SyndromeRollup(name, None, None, None, None, None, ())
    worst_date, worst = inside[0]
    for d, g in inside:
        if g > worst:               # a tie keeps the earliest date
            worst_date, worst = d, g
    occurred = worst >= 1
    onset = next((d for d, g in inside if g >= 1), None)
    resolved = None
    if occurred:
        last_positive = max(i for i, (_, g) in enumerate(inside) if g >= 1)
        resolved = next((d for d, g in inside[last_positive + 1:] if g == 0), None)
    given: list[str] = []
    if occurred:
        lo = bisect_left(administered, (day0, ""))
        for d, drug in administered[lo:]:
            if d > end:
                break
            if drug not in given:
                given.append(drug)

    def day(d: date | None) -> int | None:
        return None if d is None else (d - day0).days

    return SyndromeRollup(name, occurred, day(onset), worst, day(worst_date), day(resolved),
                          tuple(sorted(given)), tuple(given))


def _administered(courses: Sequence[Course],
                  doses: Sequence[Sequence[DoseCalculation]]) -> list[tuple[date, str]]:
    """(date, drug) of every CRS/ICANS drug given, in date order (line order on a tie)."""
    out: list[tuple[date, int, str]] = []
    n = 0
    for course, calcs in zip(courses, doses):
        for line, calc in zip(course.drugs, calcs):
            drug = line.drug.strip().lower()
            if drug in SYNDROME_DRUGS and calc.dates:
                out.extend((d, n, drug) for d in calc.dates)
            n += 1
    out.sort()
    return [(d, drug) for d, _, drug in out]


def cellular_therapy(events: Sequence[Event], assessments: Sequence[Assessment],
                     grades: Sequence[Grade], courses: Sequence[Course],
                     doses: Sequence[Sequence[DoseCalculation]]) -> list[CellularTherapyEpisode]:
    """One roll-up per cellular-therapy episode, in date order."""
    episodes = infusion_episodes(events)
    if not episodes:
        return []
    by_kind: dict[AssessmentKind, list[tuple[date, int, int]]] = {
        AssessmentKind.CRS: [], AssessmentKind.ICANS: []}
    for i, (a, g) in enumerate(zip(assessments, grades)):
        if a.kind in by_kind and isinstance(g.value, int):
            by_kind[a.kind].append((a.date, i, g.value))
    crs = [(d, g) for d, _, g in sorted(by_kind[AssessmentKind.CRS])]
    icans = [(d, g) for d, _, g in sorted(by_kind[AssessmentKind.ICANS])]
    given = _administered(courses, doses)
    out = []
    for k, dates in enumerate(episodes):
        day0 = dates[0]
        stop = episodes[k + 1][0] - timedelta(days=1) if k + 1 < len(episodes) else date.max
        crs_end = min(day0 + timedelta(days=CRS_WINDOW_DAYS), stop)
        icans_end = min(day0 + timedelta(days=ICANS_WINDOW_DAYS), stop)
        out.append(CellularTherapyEpisode(
            dates, _syndrome("CRS", crs, day0, crs_end, given),
            _syndrome("ICANS", icans, day0, icans_end, given)))
    return out


# --- transplant -----------------------------------------------------------------------------

def transplant_rollups(events: Sequence[Event], assessments: Sequence[Assessment],
                       grades: Sequence[Grade], marrow: Sequence[MarrowResult],
                       engraftment_days: Mapping[date, tuple[int | None, int | None]]
                       ) -> list[TransplantRollup]:
    """One roll-up per HSCT event, in date order; each looks from its day 0 up to the day
    before the next HSCT. ``engraftment_days`` gives (neutrophil day, platelet day) per
    HSCT date, worked out as the summary's engraftment is."""
    hscts = sorted({e.date for e in events if e.type is EventType.HSCT})
    out = []
    for k, day0 in enumerate(hscts):
        stop = hscts[k + 1] - timedelta(days=1) if k + 1 < len(hscts) else date.max
        early: int | None = None
        late: int | None = None
        cgvhd: str | None = None
        for a, g in zip(assessments, grades):
            if not day0 <= a.date <= stop or g.value is None:
                continue
            if a.kind is AssessmentKind.AGVHD and isinstance(g.value, int):
                if (a.date - day0).days <= AGVHD_EARLY_LAST_DAY:
                    early = g.value if early is None else max(early, g.value)
                else:
                    late = g.value if late is None else max(late, g.value)
            elif a.kind is AssessmentKind.CGVHD and g.value in _CGVHD_ORDER:
                if cgvhd is None or _CGVHD_ORDER.index(g.value) > _CGVHD_ORDER.index(cgvhd):
                    cgvhd = g.value
        latest: MarrowResult | None = None
        for m in marrow:
            if m.donor_chimerism_pct is not None and day0 <= m.date <= stop and (
                    latest is None or m.date >= latest.date):
                latest = m
        category = None
        if latest is not None and latest.donor_chimerism_pct is not None:
            category = CHIMERISM_WORDS[chimerism_category(latest.donor_chimerism_pct).value]
        neutrophil, platelet = engraftment_days.get(day0, (None, None))
        out.append(TransplantRollup(
            day0, neutrophil, platelet, early, late, cgvhd,
            None if latest is None else latest.donor_chimerism_pct, category))
    return out
