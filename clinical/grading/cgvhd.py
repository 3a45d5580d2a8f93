"""Chronic GVHD: NIH 2014 global severity from organ scores (NIH 2005 for comparison).

The rules are clinical-rules.md Part A "Chronic GVHD (NIH 2014)" and Part B §4.

Reasons and flags are ``Msg``s (clinical/messages.py) whose English is the
wording below; organ and severity names are vocabulary (context "term").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Final

from clinical.errors import HemalogError
from clinical.grading.result import Grade, ambiguous, not_assessed, noted, provisional
from clinical.messages import Msg, Seq, as_written, msg, translate
from clinical.units import as_typed

__all__ = ["ORGANS", "SEVERITIES", "VERSIONS", "grade_cgvhd", "fev1_lung_score"]

ORGANS = ("skin", "mouth", "eyes", "gi", "liver", "lungs", "joints_fascia", "genital")
SEVERITIES = ("none", "mild", "moderate", "severe")
VERSIONS = ("NIH 2014", "NIH 2005")

_NAMES: dict[str, Msg] = {
    "skin": msg(translate("term", "skin", "term.gvhd.organ.skin")),
    "mouth": msg(translate("term", "mouth", "term.gvhd.organ.mouth")),
    "eyes": msg(translate("term", "eyes", "term.gvhd.organ.eyes")),
    "gi": msg(translate("term", "GI tract", "term.gvhd.organ.gi_tract")),
    "liver": msg(translate("term", "liver", "term.gvhd.organ.liver")),
    "lungs": msg(translate("term", "lungs", "term.gvhd.organ.lungs")),
    "joints_fascia": msg(translate("term", "joints/fascia", "term.gvhd.organ.joints_fascia")),
    "genital": msg(translate("term", "genital tract", "term.gvhd.organ.genital_tract")),
}
# Number words (three organs score 1): 3-7 non-lung organs (lungs 1 is moderate anyway).
_COUNT: dict[int, Msg] = {
    3: msg(translate("term", "three", "term.number.three")),
    4: msg(translate("term", "four", "term.number.four")),
    5: msg(translate("term", "five", "term.number.five")),
    6: msg(translate("term", "six", "term.number.six")),
    7: msg(translate("term", "seven", "term.number.seven")),
}
_SEVERITY: dict[str, Msg] = {
    "none": msg(translate("term", "none", "term.cgvhd.none")),
    "mild": msg(translate("term", "mild", "term.cgvhd.mild")),
    "moderate": msg(translate("term", "moderate", "term.cgvhd.moderate")),
    "severe": msg(translate("term", "severe", "term.cgvhd.severe")),
}

# -- the words of the reasons and flags (English as it has always been) -----------------
# "severe: lungs score 2 (lung >= 2)": the severity and the clause that decided it.
_T_SEVERITY = translate("clinical", "{severity}: {because}", "cgvhd.severity")
_T_FEV1 = translate("clinical", "FEV1 {pct}%", "cgvhd.source.fev1")
_T_SYMPTOM = translate("clinical", "symptom score", "cgvhd.source.symptom_score")
_T_ENTERED = translate("clinical", "entered", "cgvhd.source.entered")
_T_ENTERED_SCORE = translate("clinical", "entered lung score", "cgvhd.source.entered_lung_score")
_T_FEV1_ROUNDED = translate("clinical", "FEV1 {fev1}% rounded to {rounded}% (lung score {score})", "cgvhd.ambiguous.fev1_rounded")
_T_BY_2014 = translate("clinical", "lung score {score} from {source} (NIH 2014); the higher {other} {other_score} would count under NIH 2005", "cgvhd.ambiguous.lung_2014")
_T_BY_2005 = translate("clinical", "lung score {score} from {source} (NIH 2005, higher); NIH 2014 would use {other} ({other_score})", "cgvhd.ambiguous.lung_2005")
_T_2005_HIGHER = translate("clinical", "NIH 2005 uses the higher {source} ({score})", "cgvhd.nih_2005_higher")
_T_LUNG_SEVERE = translate("clinical", "lungs score {score} (lung >= 2)", "cgvhd.lung_severe")
_T_LUNG_SEVERE_FROM = translate("clinical", "lungs score {score} (lung >= 2; {source})", "cgvhd.lung_severe_source")
_T_ANY_3 = translate("clinical", "{organs} score 3 (any organ 3)", "cgvhd.any_organ_3")
_T_LUNG_1 = translate("clinical", "lungs score 1 (lung 1)", "cgvhd.lung_1")
_T_LUNG_1_FROM = translate("clinical", "lungs score 1 (lung 1; {source})", "cgvhd.lung_1_source")
_T_ORGAN_2 = translate("clinical", "{organs} score 2 (non-lung organ 2)", "cgvhd.organ_2")
_T_ONES = translate("clinical", "{count} organs score 1 ({organs})", "cgvhd.organs_1")
_T_ONE_1 = translate("clinical", "one organ scores 1 ({organs})", "cgvhd.one_organ_1")
_T_TWO_1 = translate("clinical", "two organs score 1 ({organs})", "cgvhd.two_organs_1")
_T_ALL_0 = translate("clinical", "all organs score 0", "cgvhd.all_0")
_T_ASSESSED_0 = translate("clinical", "all assessed organs score 0", "cgvhd.all_assessed_0")
_T_EXCLUDED = translate("clinical", "{organs} excluded (other cause)", "cgvhd.excluded")
_ORGAN_SET = frozenset(ORGANS)
_NO_ORGANS: frozenset[str] = frozenset()
_ONE = Decimal(1)
# The lung score as entered (a source named only in flags).
_ENTERED: Final = msg(_T_ENTERED)
_LUNG_1: Final = msg(_T_LUNG_1)
_LUNG_SEVERE: Final = {score: msg(_T_LUNG_SEVERE, score=score) for score in (2, 3)}
_ALL_0: Final = msg(_T_ALL_0)
_ASSESSED_0: Final = msg(_T_ASSESSED_0)
# Rounded FEV1 % at or above each value: score 2, 1, 0 (<= 39 is 3).
_FEV1_FIRSTS = (40, 60, 80)


def _score(value: Any, what: str) -> int:
    if type(value) is not int or not 0 <= value <= 3:  # bool is an int subclass: refuse it
        raise HemalogError(f"{what}: must be an integer score 0-3, not {value!r}")
    return value


def fev1_lung_score(fev1_pct: float) -> tuple[int, int, bool]:
    """NIH 2014 lung score from FEV1 % predicted: (score, rounded %, ambiguous).

    FEV1 is rounded half-up to a whole percent first (Part A 1.1); the value
    is ambiguous when rounding moved it across a cut-point, in either
    direction: the printed rows are closed (<= 39, 40-59, 60-79, >= 80), so a
    fraction between two rows is claimed by neither and rounding alone placed
    it (79.5 -> 80 up into score 0, 79.4 -> 79 down into score 1, 39.4 -> 39
    down into score 3). A fraction inside a row (80.4, 45.5) is not flagged.
    """
    raw = as_typed(fev1_pct)
    if not raw.is_finite() or raw < 0:
        raise HemalogError(f"FEV1: must be a finite percentage >= 0, not {fev1_pct!r}")
    rounded = int(raw.quantize(_ONE, rounding=ROUND_HALF_UP))
    score = 3 - sum(rounded >= first for first in _FEV1_FIRSTS)
    # Rows are closed (<= 39, 40-59, 60-79, >= 80): any fraction just below a
    # row's first value falls in a gap, and rounding alone decided the score.
    between = raw != rounded and int(raw) + 1 in _FEV1_FIRSTS
    return score, rounded, between


def _lung(findings: Mapping[str, Any], fev1_pct: float | None, symptom: int | None,
          version: str, flags: list[str]) -> tuple[int | None, str]:
    """The lung score the version uses, and a note on where it came from."""
    entered = findings.get("lungs")
    sources: list[tuple[int, str]] = []
    rounding = ""
    if fev1_pct is not None:
        score, rounded, between = fev1_lung_score(fev1_pct)
        if between:
            rounding = msg(_T_FEV1_ROUNDED, fev1=as_written(fev1_pct), rounded=rounded,
                           score=score)
        sources.append((score, msg(_T_FEV1, pct=rounded)))
    if entered is not None:
        sources.append((_score(entered, "findings.lungs"), _ENTERED))
    if symptom is not None:
        sources.append((_score(symptom, "lung_symptom_score"), msg(_T_SYMPTOM)))
    if not sources:
        return None, ""
    # NIH 2014 uses the FEV1 score instead of symptoms; NIH 2005 used the higher.
    by_2014 = sources[0]
    by_2005 = max(sources, key=lambda s: s[0])
    if by_2014[0] != by_2005[0]:
        used, other = (by_2014, by_2005) if version == "NIH 2014" else (by_2005, by_2014)
        flags.append(ambiguous(msg(_T_BY_2014 if version == "NIH 2014" else _T_BY_2005,
                                   score=used[0], source=used[1], other=other[1],
                                   other_score=other[0])))
    chosen = by_2014 if version == "NIH 2014" else by_2005
    if rounding:
        # Part A 1.1: a rounding across a cut-point is flagged whatever the result,
        # also when NIH 2005 takes another, higher lung score.
        if chosen is not sources[0]:
            source = msg(_T_ENTERED_SCORE) if chosen[1] is _ENTERED else chosen[1]
            rounding = noted(rounding, msg(_T_2005_HIGHER, source=source, score=chosen[0]))
        flags.append(ambiguous(rounding))
    return chosen[0], ("" if chosen[1] is _ENTERED else chosen[1])


def _names(organs: Sequence[str]) -> Seq:
    return Seq([_NAMES[o] for o in organs], "comma")


# The clauses that name organs, by which organs (a Msg cannot change: made once per list).
_ORGANS_CLAUSE: Final = {3: _T_ANY_3, 2: _T_ORGAN_2, -1: _T_EXCLUDED}


@lru_cache(maxsize=2048)
def _organs_clause(score: int | None, organs: tuple[str, ...]) -> Msg:
    """"skin, eyes score 2 (...)" for score 2 or 3, "... organs score 1 (...)" for 1,
    "... excluded (other cause)" for -1, and "... not assessed" for None."""
    names = _names(organs)
    if score is None:
        return not_assessed(names.items)
    if score != 1:
        return msg(_ORGANS_CLAUSE[score], organs=names)
    if len(organs) >= 3:
        return msg(_T_ONES, count=_COUNT[len(organs)], organs=names)
    return msg(_T_ONE_1 if len(organs) == 1 else _T_TWO_1, organs=names)


# "provisional: <organ> not assessed", one per organ.
_PROVISIONAL: Final = {organ: provisional(not_assessed(name)) for organ, name in _NAMES.items()}


def _severity(scores: dict[str, int | None], lung_note: str) -> tuple[str, str]:
    """Global severity, top-down (Part B §4.2), and the clause naming what decided it."""
    lung = scores["lungs"] or 0
    if lung >= 2:
        if lung_note:
            return "severe", msg(_T_LUNG_SEVERE_FROM, score=lung, source=lung_note)
        return "severe", _LUNG_SEVERE[lung]
    worst = 0
    ones = 0
    for organ, score in scores.items():
        if score is not None and organ != "lungs":
            if score > worst:
                worst = score
            if score == 1:
                ones += 1
    if worst == 3:
        return "severe", _organs_clause(3, tuple(o for o, s in scores.items() if s == 3))
    if lung == 1:
        if lung_note:
            return "moderate", msg(_T_LUNG_1_FROM, source=lung_note)
        return "moderate", _LUNG_1
    if worst == 2:
        return "moderate", _organs_clause(2, tuple(o for o, s in scores.items() if s == 2))
    if ones:
        return ("moderate" if ones >= 3 else "mild",
                _organs_clause(1, tuple(o for o, s in scores.items() if s == 1)))
    return "none", _ALL_0


def grade_cgvhd(findings: Mapping[str, Any], *, lung_fev1_pct: float | None = None,
                lung_symptom_score: int | None = None,
                skin_components: tuple[int, int] | None = None,
                excluded_organs: Collection[str] = (), version: str = "NIH 2014") -> Grade:
    """NIH global severity ("none" | "mild" | "moderate" | "severe") from organ scores 0-3.

    ``lung_fev1_pct`` gives the lung score under NIH 2014 (overriding the
    entered or symptom score); under "NIH 2005" the higher score is used.
    ``skin_components`` (BSA, sclerosis) gives skin as the higher of the two.
    ``excluded_organs`` are entirely explained by another cause and left out.
    An organ with no score is not assessed: severity comes from the others,
    with a provisional flag (a blank can only lower the severity).
    ``details["scores"]`` holds the score used per organ (None: excluded or
    not assessed). Bad scores raise HemalogError; an unknown version or organ
    name is a programming error (ValueError).
    """
    if version not in VERSIONS:
        raise ValueError(f"unknown cGVHD version {version!r}; expected one of {VERSIONS}")
    excluded = frozenset(excluded_organs) if excluded_organs else _NO_ORGANS
    if excluded and not excluded <= _ORGAN_SET:
        raise ValueError(f"unknown organs excluded: {sorted(excluded - _ORGAN_SET)}")
    flags: list[str] = []
    scores: dict[str, int | None] = dict.fromkeys(ORGANS)
    for organ in ORGANS:
        value = findings.get(organ)
        if value is not None and organ not in excluded:
            # Inline check of _score(): this loop is the hot path.
            scores[organ] = (value if type(value) is int and 0 <= value <= 3
                             else _score(value, f"findings.{organ}"))
    if skin_components is not None and "skin" not in excluded:
        bsa, sclerosis = (_score(c, "skin component") for c in skin_components)
        skin = max(bsa, sclerosis)
        if scores["skin"] is not None and scores["skin"] != skin:
            raise HemalogError(f"findings.skin: is {scores['skin']} but its components "
                             f"{skin_components} give {skin}")
        scores["skin"] = skin
    lung_note = ""
    if "lungs" not in excluded and (lung_fev1_pct is not None or lung_symptom_score is not None):
        scores["lungs"], lung_note = _lung(findings, lung_fev1_pct, lung_symptom_score,
                                           version, flags)
    severity, because = _severity(scores, lung_note)
    missing = [o for o, s in scores.items() if s is None and o not in excluded]
    if missing and severity == "none":
        because = _ASSESSED_0
    if excluded:
        because = noted(because, _organs_clause(-1, tuple(o for o in ORGANS if o in excluded)))
    if missing:
        because = noted(because, _organs_clause(None, tuple(missing)))
        flags.extend(_PROVISIONAL[o] for o in missing)
    details = {"scores": scores, "excluded": [o for o in ORGANS if o in excluded]}
    reason = msg(_T_SEVERITY, severity=_SEVERITY[severity], because=because)
    return Grade(severity, version, reason, tuple(flags), details)
