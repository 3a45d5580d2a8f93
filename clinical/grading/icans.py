"""ICANS grade, ASTCT 2019 (Lee et al. 2019), per clinical-rules.md Part A and Part B §2.

The grade is the worst of five domains: a cognitive screen (ICE for adults and
children aged 12 or more, CAPD for children under 12), level of consciousness,
seizure, motor findings and raised ICP / cerebral oedema. A domain that was not
assessed is never read as normal: the grade is computed from the domains that
are present and carries a provisional flag when a missing domain could have
raised it.

Reasons and flags are ``Msg``s (clinical/messages.py) whose English is the
wording below; the findings of each domain are vocabulary (context "term").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from clinical.errors import HemalogError
from clinical.grading.result import (Grade, ambiguous, clauses, graded, not_assessed, noted,
                                     provisional)
from clinical.messages import Msg, msg, translate

__all__ = ["SCALE", "CAPD_ANSWERS", "CAPD_ITEMS", "ICE_ITEMS", "capd_score_from_items",
           "grade_icans", "ice_score_from_items"]

SCALE: Final = "ASTCT 2019"

# ICE items and their maximum points (Part B §2.1); the total is 0-10.
ICE_ITEMS: Final[Mapping[str, int]] = {
    "orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1,
}

# CAPD (Part B §2.3): items 1-4 are reverse-scored (never 4 .. always 0),
# items 5-8 are scored directly (never 0 .. always 4); the total is 0-32.
CAPD_ANSWERS: Final = ("never", "rarely", "sometimes", "often", "always")
_CAPD_REVERSED: Final = ("eye_contact", "purposeful", "aware", "communicates")
_CAPD_DIRECT: Final = ("restless", "inconsolable", "underactive", "slow_to_respond")
CAPD_ITEMS: Final = _CAPD_REVERSED + _CAPD_DIRECT
_CAPD_POINTS: Final[Mapping[str, Mapping[str, int]]] = {
    **{item: {a: 4 - i for i, a in enumerate(CAPD_ANSWERS)} for item in _CAPD_REVERSED},
    **{item: {a: i for i, a in enumerate(CAPD_ANSWERS)} for item in _CAPD_DIRECT},
}
_CAPD_MAX: Final = 32
_CAPD_POSITIVE: Final = 9       # >= 9 is a positive delirium screen -> grade 3

# ICE 0-2 -> 3, 3-6 -> 2, 7-9 -> 1, 10 -> 0; indexed by the score.
_ICE_GRADE: Final = (3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 0)
_ICE_BAND: Final = ("0-2",) * 3 + ("3-6",) * 4 + ("7-9",) * 3 + ("10",)

# -- the words of the reasons and flags (English as it has always been) -----------------
_T_FATAL = translate("clinical", "death due to ICANS", "icans.fatal")
_T_CAPD_BAND = translate("clinical", "CAPD {score} ({band})", "icans.capd_band")
_T_ICE_BAND = translate("clinical", "ICE score {score} ({band})", "icans.ice_band")
_T_CAPD = translate("clinical", "CAPD {score}", "icans.capd")
_T_ICE = translate("clinical", "ICE score {score}", "icans.ice")
_T_AGE_12 = translate("clinical", "age 12: ICE used (ASTCT: ICE from 12 years; NCIt C188936: CAPD for 12 and under)", "icans.ambiguous.age_12")
_T_UNABLE = translate("clinical", "{finding} (ICE 0: unable to perform)", "icans.ice_0_unable")
_T_SCREEN_ONLY = translate("clinical", "{screen} and no other ICANS finding", "icans.screen_only")
_T_CAPD_0 = translate("clinical", "CAPD 0 graded 0 (the ASTCT table's grade 1 is CAPD 1-8; paraphrases reading '< 9' would give 1)", "icans.ambiguous.capd_0")
_T_NONE = translate("clinical", "no ICANS finding", "icans.no_finding")

# The cognitive clauses, made once per score (a Msg cannot change; graders share them).
_ICE_TEXT: Final = tuple(msg(_T_ICE_BAND, score=ice, band=_ICE_BAND[ice]) for ice in range(11))
_CAPD_TEXT: Final = tuple(msg(_T_CAPD_BAND, score=capd, band="1-8" if capd < _CAPD_POSITIVE
                              else ">= 9") for capd in range(_CAPD_MAX + 1))
_ICE_ONLY: Final = tuple(msg(_T_SCREEN_ONLY, screen=msg(_T_ICE, score=ice)) for ice in range(11))
_CAPD_ONLY: Final = tuple(msg(_T_SCREEN_ONLY, screen=msg(_T_CAPD, score=capd))
                          for capd in range(_CAPD_MAX + 1))

# The domains and screens named in "... not assessed".
_INSTRUMENTS: Final[Mapping[str, Msg]] = {
    "ICE": msg(translate("term", "ICE", "term.icans.ice")),
    "CAPD": msg(translate("term", "CAPD", "term.icans.capd")),
}


# The non-cognitive domains: finding key, label for "not assessed", value -> (grade, text).
_DOMAINS: Final[tuple[tuple[str, str, Mapping[str, tuple[int, str]]], ...]] = (
    ("consciousness", msg(translate("term", "consciousness", "term.icans.consciousness")), {
        "alert": (0, ""),
        "awakens_spontaneously": (1, msg(translate("term", "awakens spontaneously (depressed level of consciousness)", "term.icans.awakens_spontaneously"))),
        "awakens_to_voice": (2, msg(translate("term", "awakens only to voice", "term.icans.awakens_to_voice"))),
        "awakens_to_touch": (3, msg(translate("term", "awakens only to tactile stimulus", "term.icans.awakens_to_touch"))),
        "unarousable": (4, msg(translate("term", "unarousable", "term.icans.unarousable"))),
    }),
    ("seizure", msg(translate("term", "seizure", "term.icans.seizure")), {
        "none": (0, ""),
        "rapidly_resolving": (3, msg(translate("term", "seizure that resolved rapidly", "term.icans.seizure_rapidly_resolving"))),
        "life_threatening": (4, msg(translate("term", "life-threatening prolonged or repetitive seizure", "term.icans.seizure_life_threatening"))),
    }),
    ("motor", msg(translate("term", "motor", "term.icans.motor")), {
        "none": (0, ""),
        "deep_focal_weakness": (4, msg(translate("term", "deep focal motor weakness", "term.icans.deep_focal_weakness"))),
    }),
    ("cerebral_edema", msg(translate("term", "cerebral oedema", "term.icans.cerebral_edema")), {
        "none": (0, ""),
        "focal": (3, msg(translate("term", "focal cerebral oedema on imaging", "term.icans.cerebral_edema_focal"))),
        "diffuse": (4, msg(translate("term", "diffuse cerebral oedema", "term.icans.cerebral_edema_diffuse"))),
    }),
)
_COGNITIVE_MAX: Final = 3       # ICE and CAPD reach 3; 4 comes from consciousness
_DOMAIN_MAX: Final = 4


def _is_int(value: Any) -> bool:
    # bool is an int subclass, but True is not a score.
    return type(value) is int


def ice_score_from_items(items: Mapping[str, Any]) -> int:
    """The ICE score (0-10) from its five items; every item is required."""
    total = 0
    for name, top in ICE_ITEMS.items():
        points = items.get(name)
        if points is None:
            raise HemalogError(f"findings.ice_items.{name}: is required")
        if not _is_int(points) or not 0 <= points <= top:
            raise HemalogError(f"findings.ice_items.{name}: must be a whole number 0-{top}")
        total += points
    if len(items) > len(ICE_ITEMS):
        extra = ", ".join(sorted(set(items) - set(ICE_ITEMS)))
        raise HemalogError(f"findings.ice_items: unknown item(s) {extra}")
    return total


def capd_score_from_items(items: Mapping[str, str]) -> int:
    """The CAPD total (0-32) from its eight answers; every item is required."""
    total = 0
    for name in CAPD_ITEMS:
        answer = items.get(name)
        if answer is None:
            raise HemalogError(f"capd_items.{name}: is required")
        try:
            total += _CAPD_POINTS[name][answer.lower()]
        except (KeyError, AttributeError):
            raise HemalogError(f"capd_items.{name}: must be one of "
                               f"{', '.join(CAPD_ANSWERS)}") from None
    if len(items) > len(CAPD_ITEMS):
        extra = ", ".join(sorted(set(items) - set(CAPD_ITEMS)))
        raise HemalogError(f"capd_items: unknown item(s) {extra}")
    return total


def _ice(findings: Mapping[str, Any]) -> int | None:
    """The ICE score used: from the items when given (both given must agree)."""
    score = findings.get("ice_score")
    items = findings.get("ice_items")
    if items is not None:
        from_items = ice_score_from_items(items)
        if score is not None and score != from_items:
            raise HemalogError(f"findings.ice_score: is {score} but the ICE items add up "
                               f"to {from_items}")
        return from_items
    if score is not None and (not _is_int(score) or not 0 <= score <= 10):
        raise HemalogError("findings.ice_score: must be a whole number 0-10")
    return score


def _capd(score: int | None, items: Mapping[str, str] | None) -> int | None:
    """The CAPD total used: from the items when given (both given must agree)."""
    if items is not None:
        from_items = capd_score_from_items(items)
        if score is not None and score != from_items:
            raise HemalogError(f"capd_score: is {score} but the CAPD items add up to {from_items}")
        return from_items
    if score is not None and (not _is_int(score) or not 0 <= score <= _CAPD_MAX):
        raise HemalogError(f"capd_score: must be a whole number 0-{_CAPD_MAX}")
    return score


def grade_icans(findings: Mapping[str, Any], *, age_years: float | None = None,
                capd_score: int | None = None,
                capd_items: Mapping[str, str] | None = None) -> Grade:
    """Grade ICANS from an assessment's findings (record-format.md `icans` keys).

    ``age_years`` chooses the cognitive screen: under 12 the CAPD
    (``capd_score`` or ``capd_items``), otherwise the ICE. Without an age the
    ICE is used, and the CAPD only when no ICE was given (ASTCT also uses the
    CAPD for older patients with developmental delay).
    """
    if findings.get("fatal"):
        return Grade(5, SCALE, graded(5, msg(_T_FATAL)), (), {"fatal": True})

    flags: list[str] = []
    ice = _ice(findings)
    capd = _capd(capd_score, capd_items)
    child = age_years is not None and age_years < 12
    details: dict[str, Any] = {"ice_score": ice, "capd_score": capd}

    # The cognitive domain: (grade or None, text, label when missing).
    cognitive: int | None = None
    cognitive_text = ""
    if child or (ice is None and capd is not None):
        instrument = "CAPD"
        if child and ice is not None:
            # ICE is not validated under 12: keep it on record, do not grade on it.
            details["ice_score_not_used"] = True
        if capd is not None:
            cognitive = 0 if capd == 0 else (1 if capd < _CAPD_POSITIVE else 3)
            cognitive_text = _CAPD_TEXT[capd]
    else:
        instrument = "ICE"
        if ice is not None:
            cognitive = _ICE_GRADE[ice]
            cognitive_text = _ICE_TEXT[ice]
            if age_years is not None and age_years < 13:
                flags.append(ambiguous(msg(_T_AGE_12)))
    details["instrument"] = instrument

    domains: dict[str, int | None] = {"cognitive": cognitive}
    decided: list[tuple[int, str]] = [(cognitive, cognitive_text)] if cognitive else []
    missing: list[tuple[str, int]] = [] if cognitive is not None else [
        (_INSTRUMENTS[instrument], _COGNITIVE_MAX)]
    for key, label, table in _DOMAINS:
        observed = findings.get(key)
        if observed is None:
            domains[key] = None
            missing.append((label, _DOMAIN_MAX))
            continue
        try:
            grade, text = table[observed]
        except (KeyError, TypeError):
            raise HemalogError(f"findings.{key}: unknown value {observed!r}") from None
        domains[key] = grade
        if grade:
            decided.append((grade, text))
    details["domains"] = domains

    value = max((g for g, _ in decided), default=0)
    if value:
        texts = [t for g, t in decided if g == value]
        if instrument == "ICE" and ice == 0 and domains["consciousness"] == 4:
            texts = [msg(_T_UNABLE, finding=t) if t == "unarousable" else t for t in texts]
        because = clauses(texts)
    elif cognitive is not None:
        because = _ICE_ONLY[ice] if instrument == "ICE" else _CAPD_ONLY[capd]  # type: ignore[index]
        if instrument == "CAPD":
            # The ASTCT table gives grade 1 for CAPD 1-8; paraphrases say "< 9".
            flags.append(ambiguous(msg(_T_CAPD_0)))
    else:
        because = msg(_T_NONE)

    # Only the domains that could have raised the grade make it provisional.
    unassessed = [label for label, ceiling in missing if ceiling > value]
    if unassessed:
        text = not_assessed(unassessed)
        because = noted(because, text)
        flags.append(provisional(text))
    return Grade(value, SCALE, graded(value, because), tuple(flags), details)
