"""Chronic GVHD: NIH 2014 global severity from organ scores (NIH 2005 for comparison).

The rules are clinical-rules.md Part A "Chronic GVHD (NIH 2014)" and Part B §4.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from clinical.errors import HemalogError
from clinical.grading.result import Grade, ambiguous, provisional

__all__ = ["ORGANS", "SEVERITIES", "VERSIONS", "grade_cgvhd", "fev1_lung_score"]

ORGANS = ("skin", "mouth", "eyes", "gi", "liver", "lungs", "joints_fascia", "genital")
SEVERITIES = ("none", "mild", "moderate", "severe")
VERSIONS = ("NIH 2014", "NIH 2005")

_NAMES = {"skin": "skin", "mouth": "mouth", "eyes": "eyes", "gi": "GI tract", "liver": "liver",
          "lungs": "lungs", "joints_fascia": "joints/fascia", "genital": "genital tract"}
_COUNT = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")
_ORGAN_SET = frozenset(ORGANS)
_NO_ORGANS: frozenset[str] = frozenset()
_ONE = Decimal(1)
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
    raw = fev1_pct if isinstance(fev1_pct, Decimal) else Decimal(str(fev1_pct))
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
            rounding = f"FEV1 {fev1_pct}% rounded to {rounded}% (lung score {score})"
        sources.append((score, f"FEV1 {rounded}%"))
    if entered is not None:
        sources.append((_score(entered, "findings.lungs"), "entered"))
    if symptom is not None:
        sources.append((_score(symptom, "lung_symptom_score"), "symptom score"))
    if not sources:
        return None, ""
    # NIH 2014 uses the FEV1 score instead of symptoms; NIH 2005 used the higher.
    by_2014 = sources[0]
    by_2005 = max(sources, key=lambda s: s[0])
    if by_2014[0] != by_2005[0]:
        if version == "NIH 2014":
            flags.append(ambiguous(f"lung score {by_2014[0]} from {by_2014[1]} (NIH 2014); "
                                   f"the higher {by_2005[1]} {by_2005[0]} would count under NIH 2005"))
        else:
            flags.append(ambiguous(f"lung score {by_2005[0]} from {by_2005[1]} (NIH 2005, higher); "
                                   f"NIH 2014 would use {by_2014[1]} ({by_2014[0]})"))
    chosen = by_2014 if version == "NIH 2014" else by_2005
    if rounding:
        # Part A 1.1: a rounding across a cut-point is flagged whatever the result,
        # also when NIH 2005 takes another, higher lung score.
        other = "entered lung score" if chosen[1] == "entered" else chosen[1]
        used = "" if chosen is sources[0] else f"; NIH 2005 uses the higher {other} ({chosen[0]})"
        flags.append(ambiguous(rounding + used))
    return chosen[0], ("" if chosen[1] == "entered" else chosen[1])


def _names(organs: list[str]) -> str:
    return ", ".join(_NAMES[o] for o in organs)


def _severity(scores: dict[str, int | None], lung_note: str) -> tuple[str, str]:
    """Global severity, top-down (Part B §4.2), and the reason naming what decided it."""
    lung = scores["lungs"] or 0
    note = f"; {lung_note}" if lung_note else ""
    if lung >= 2:
        return "severe", f"severe: lungs score {lung} (lung >= 2{note})"
    worst = 0
    ones = 0
    for organ, score in scores.items():
        if score is not None and organ != "lungs":
            if score > worst:
                worst = score
            if score == 1:
                ones += 1
    if worst == 3:
        threes = [o for o, s in scores.items() if s == 3]
        return "severe", f"severe: {_names(threes)} score 3 (any organ 3)"
    if lung == 1:
        return "moderate", f"moderate: lungs score 1 (lung 1{note})"
    if worst == 2:
        twos = [o for o, s in scores.items() if s == 2]
        return "moderate", f"moderate: {_names(twos)} score 2 (non-lung organ 2)"
    if ones:
        names = _names([o for o, s in scores.items() if s == 1])
        if ones >= 3:
            return "moderate", f"moderate: {_COUNT[ones]} organs score 1 ({names})"
        organs = "one organ scores" if ones == 1 else "two organs score"
        return "mild", f"mild: {organs} 1 ({names})"
    return "none", "none: all organs score 0"


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
    severity, reason = _severity(scores, lung_note)
    if excluded:
        reason += f"; {_names([o for o in ORGANS if o in excluded])} excluded (other cause)"
    missing = [o for o, s in scores.items() if s is None and o not in excluded]
    if missing:
        if severity == "none":
            reason = reason.replace("all organs", "all assessed organs", 1)
        reason += f"; {_names(missing)} not assessed"
        flags.extend(provisional(f"{_NAMES[o]} not assessed") for o in missing)
    details = {"scores": scores, "excluded": [o for o in ORGANS if o in excluded]}
    return Grade(severity, version, reason, tuple(flags), details)
