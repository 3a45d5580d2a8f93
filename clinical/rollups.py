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
from clinical.dosing import DoseCalculation, drug_term
from clinical.grading.result import Grade
from clinical.marrow import chimerism_category
from clinical.messages import Msg, Seq, Template, msg, translate
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

# --- the roll-ups in words (clinical.messages): English as always, rendered per reader ---

SYNDROME_NOT_ASSESSED = translate("clinical", "{name} not assessed", "rollup.syndrome.not_assessed")
SYNDROME_NONE = translate("clinical", "{name} none", "rollup.syndrome.none")
SYNDROME = translate("clinical", "{name} from {onset}, worst grade {grade} on {worst_day}, {treatment}", "rollup.syndrome")
SYNDROME_RESOLVED = translate("clinical", "{name} from {onset}, worst grade {grade} on {worst_day}, resolved {resolved}, {treatment}", "rollup.syndrome.resolved")
NO_TREATMENT = msg(translate("clinical", "no treatment recorded", "rollup.syndrome.no_treatment"))
EPISODE = translate("clinical", "CAR-T {date}: {crs} · {icans}", "rollup.episode")
NOT_YET = msg(translate("clinical", "not yet", "rollup.transplant.not_yet"))
ENGRAFTMENT = translate("clinical", "neutrophils {neutrophil}, platelets {platelet}", "rollup.transplant.engraftment")
AGVHD_NOT_ASSESSED = msg(translate("clinical", "aGVHD not assessed", "rollup.transplant.agvhd_not_assessed"))
AGVHD_WORST = translate("clinical", "aGVHD worst {grades}", "rollup.transplant.agvhd_worst")
AGVHD_BY_DAY_100 = translate("clinical", "{grade} by day +100", "rollup.transplant.agvhd_by_day_100")
AGVHD_AFTER_DAY_100 = translate("clinical", "{grade} after day +100", "rollup.transplant.agvhd_after_day_100")
CGVHD = translate("clinical", "cGVHD {severity}", "rollup.transplant.cgvhd")
CGVHD_NOT_ASSESSED = msg(translate("clinical", "not assessed", "rollup.transplant.cgvhd_not_assessed"))
CHIMERISM = translate("clinical", "chimerism {pct} % {category}", "rollup.transplant.chimerism")
TRANSPLANT = translate("clinical", "HSCT {date}: {engraftment} · {agvhd} · {cgvhd}", "rollup.transplant")
TRANSPLANT_CHIMERISM = translate("clinical", "HSCT {date}: {engraftment} · {agvhd} · {cgvhd} · {chimerism}", "rollup.transplant.with_chimerism")
# Vocabulary: chronic GVHD severities and the chimerism words of the export.
CGVHD_SEVERITY: dict[str, Template] = {t.english: t for t in (
    translate("term", "none", "term.cgvhd.none"),
    translate("term", "mild", "term.cgvhd.mild"),
    translate("term", "moderate", "term.cgvhd.moderate"),
    translate("term", "severe", "term.cgvhd.severe"),
)}
CHIMERISM_TERMS: dict[str, Template] = {t.english: t for t in (
    translate("term", "full", "term.chimerism.full"),
    translate("term", "mixed", "term.chimerism.mixed"),
    translate("term", "autologous", "term.chimerism.autologous"),
)}


def _term(table: Mapping[str, Template], value: str) -> Msg | str:
    template = table.get(value)
    return value if template is None else msg(template)


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

    def describe(self) -> Msg:
        """'CRS from day +3, worst grade 3 on day +3, tocilizumab, dexamethasone'."""
        if self.occurred is None:
            return msg(SYNDROME_NOT_ASSESSED, name=self.name)
        if not self.occurred:
            return msg(SYNDROME_NONE, name=self.name)
        treatment = (Seq((drug_term(d) for d in self.treatment_given), "comma")
                     if self.treatment_given else NO_TREATMENT)
        shown = {"name": self.name, "onset": format_day(self.onset_day or 0),
                 "grade": str(self.worst_grade), "worst_day": format_day(self.worst_day or 0),
                 "treatment": treatment}
        if self.resolved_day is not None:
            return msg(SYNDROME_RESOLVED, resolved=format_day(self.resolved_day), **shown)
        return msg(SYNDROME, **shown)


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

    def describe(self) -> Msg:
        """'CAR-T 2025-04-07: CRS from day +3, worst grade 3 on day +3, ... · ICANS none'."""
        return msg(EPISODE, date=self.infusion_date.isoformat(), crs=self.crs.describe(),
                   icans=self.icans.describe())


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

    def describe(self) -> Msg:
        """'HSCT 2025-05-23: neutrophils day +14, platelets day +45 · aGVHD worst 0 by day +100
        · cGVHD none · chimerism 93.33 % mixed'."""
        roman = {0: "0", 1: "I", 2: "II", 3: "III", 4: "IV"}

        def day(n: int | None) -> Msg:
            return NOT_YET if n is None else format_day(n)

        engraftment = msg(ENGRAFTMENT, neutrophil=day(self.neutrophil_day),
                          platelet=day(self.platelet_day))
        early, late = self.agvhd_worst_grade_by_day_100, self.agvhd_worst_grade_after_day_100
        agvhd = AGVHD_NOT_ASSESSED if early is None and late is None else msg(
            AGVHD_WORST, grades=Seq((msg(when, grade=str(roman.get(g, g))) for g, when in
                                     ((early, AGVHD_BY_DAY_100), (late, AGVHD_AFTER_DAY_100))
                                     if g is not None), "comma"))
        severity = self.cgvhd_worst_severity
        cgvhd = msg(CGVHD, severity=CGVHD_NOT_ASSESSED if not severity
                    else _term(CGVHD_SEVERITY, severity))
        shown = {"date": self.hsct_date.isoformat(), "engraftment": engraftment, "agvhd": agvhd,
                 "cgvhd": cgvhd}
        if self.latest_chimerism_pct is not None:
            category = (str(self.latest_chimerism) if self.latest_chimerism is None
                        else _term(CHIMERISM_TERMS, self.latest_chimerism))
            return msg(TRANSPLANT_CHIMERISM, chimerism=msg(
                CHIMERISM, pct=f"{self.latest_chimerism_pct:g}", category=category), **shown)
        return msg(TRANSPLANT, **shown)


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
