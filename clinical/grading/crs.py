"""Cytokine release syndrome grade, ASTCT 2019 (Lee et al. 2019), per clinical-rules.md Part A.

The grade is the more severe of a hypotension component and an oxygen
component, gated by the fever requirement. Part A 1.1 decides the inputs:
`fever_other_cause` and `fever_masked` absent mean false (they qualify a fever;
they are not findings); `hypotension` or `oxygen_device` absent means not
assessed, and the grade is computed from what is present with a provisional
flag only when the missing finding could have raised it (never at grade 4 or
5); `fatal` gives grade 5 whatever else was recorded.

Temperature and oxygen flow are rounded half-up to 0.1 before they are
compared (Part A 1.1 "Rounding (scope)"), in Decimal, never in binary floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, NamedTuple

from clinical.errors import HemalogError
from clinical.grading.result import Grade, ambiguous, provisional

__all__ = ["SCALE", "grade_crs"]

SCALE: Final = "ASTCT 2019"

# Values are rounded half-up to the table's precision (0.1) before comparing.
_TENTH: Final = Decimal("0.1")
_FEVER_C: Final = Decimal("38.0")   # >= 38.0 °C, inclusive
_LOW_FLOW: Final = Decimal(6)       # <= 6 L/min is low flow; > 6 is high flow

_VASOPRESSIN: Final = "vasopressin"

# Devices other than the nasal cannula, whose grade also depends on the flow.
_DEVICE: Final[Mapping[str, tuple[int, str]]] = {
    "none": (0, ""),
    "blow_by": (2, "blow-by oxygen (low flow)"),
    "facemask": (3, "facemask (grade 3 oxygen)"),
    "non_rebreather": (3, "non-rebreather mask (grade 3 oxygen)"),
    "venturi": (3, "Venturi mask (grade 3 oxygen)"),
    "cpap": (4, "CPAP (positive pressure)"),
    "bipap": (4, "BiPAP (positive pressure)"),
    "mechanical_ventilation": (4, "mechanical ventilation (positive pressure)"),
}
_NASAL_CANNULA: Final = "nasal_cannula"


def _decimal(value: Any, key: str) -> Decimal:
    """A finding as the exact decimal that was typed (str() of a float is its shortest repr,
    so 37.85 is 37.85, not 37.8499999...)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise HemalogError(f"findings.{key}: must be a number, not {value!r}")
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if not d.is_finite():
        raise HemalogError(f"findings.{key}: must be a finite number, not {value!r}")
    return d


def _tenths(value: Decimal) -> Decimal:
    """Round half-up to 0.1 (37.95 -> 38.0, 6.04 -> 6.0)."""
    return value.quantize(_TENTH, rounding=ROUND_HALF_UP)


def _num(value: Decimal) -> str:
    """Short display of a flow: 6 -> "6", 6.0 -> "6", 6.04 -> "6.04"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _temp(value: Decimal) -> str:
    """Display of a temperature, always with a decimal: 38 -> "38.0", 37.95 -> "37.95"."""
    text = _num(value)
    return text if "." in text else text + ".0"


def _pressor_names(raw: Any) -> tuple[str, ...]:
    """Distinct, lower-cased drug names in their given order (a bare string is one name)."""
    if not raw:
        return ()
    items: Iterable[Any] = (raw,) if isinstance(raw, str) else raw
    names: list[str] = []
    for item in items:
        name = str(item).strip().lower()
        if name and name not in names:
            names.append(name)
    return tuple(names)


class _Component(NamedTuple):
    """One ASTCT component as read from the findings.

    ``grade`` is None when the component was not assessed at all; ``ceiling`` is
    the highest grade the unassessed part could give (so a provisional flag is
    raised only when it could have changed the result); ``alt`` is the grade
    under the other reading of an ambiguous case, with ``choice`` naming it.
    ``rounding`` names a rounding that moved a value across a cut-point: it is
    flagged whatever the grade (Part A 1.1), unlike ``choice``.
    """

    grade: int | None
    text: str
    ceiling: int
    missing: str = ""
    alt: int | None = None
    choice: str = ""
    rounding: str = ""


def _hypotension(findings: Mapping[str, Any]) -> tuple[_Component, tuple[str, ...]]:
    """The hypotension component and the vasopressors counted (vasopressin excluded).

    Vasopressors given imply hypotension needing them, so they decide even when
    `hypotension` was left blank.
    """
    hypotension = findings.get("hypotension")
    raw = findings.get("vasopressors")
    names = _pressor_names(raw) if raw is not None else ()
    counted = tuple(n for n in names if n != _VASOPRESSIN) if _VASOPRESSIN in names else names
    if len(counted) >= 2:
        return _Component(4, f"{len(counted)} vasopressors excluding vasopressin "
                             f"({', '.join(counted)})", 4), counted
    if len(counted) == 1:
        # A second vasopressor cannot be missing: the list was given.
        with_vp = " with vasopressin" if _VASOPRESSIN in names else ""
        return _Component(3, f"one vasopressor ({counted[0]}){with_vp}", 3), counted
    if names:  # vasopressin and nothing else
        return _Component(3, "vasopressin alone (counted as one vasopressor)", 3, alt=2,
                          choice="vasopressin alone counted as one vasopressor (grade 3); "
                                 "ASTCT does not say whether it counts"), counted
    if hypotension is True:
        if raw is None:  # pressors not recorded: could be grade 3 or 4
            return _Component(2, "hypotension (graded as not requiring vasopressors)", 4,
                              "vasopressors"), counted
        return _Component(2, "hypotension not requiring vasopressors", 2), counted
    if hypotension is None:
        # With no vasopressor list either, the missing finding could reach grade 4.
        return _Component(None, "", 4 if raw is None else 2, "hypotension"), counted
    return _Component(0, "", 0), counted


def _oxygen(findings: Mapping[str, Any]) -> _Component:
    """The oxygen component from the device (and the flow for a nasal cannula)."""
    device = findings.get("oxygen_device")
    if device is None:
        return _Component(None, "", 4, "oxygen")
    if device == _NASAL_CANNULA:
        flow = findings.get("oxygen_l_min")
        if flow is None:
            return _Component(2, "nasal cannula (graded as low flow)", 3, "oxygen flow")
        raw = _decimal(flow, "oxygen_l_min")
        rounded = _tenths(raw)
        high = rounded > _LOW_FLOW
        # "<= 6" and "> 6" leave no gap, so rounding can only move a flow down
        # across the cut (6.04 -> 6.0: "> 6" as typed, low flow once rounded);
        # 6.05 -> 6.1 is "> 6" either way and is not flagged.
        crossed = high != (raw > _LOW_FLOW)
        rounding = "" if not crossed else (
            f"oxygen flow {_num(raw)} L/min rounded half-up to {rounded}: "
            f"{'high' if high else 'low'} flow")
        shown = f"{_num(raw)} L/min rounded to {rounded}" if crossed else f"{_num(raw)} L/min"
        if high:
            return _Component(3, f"nasal cannula {shown} (high flow, > 6 L/min)", 3,
                              rounding=rounding)
        return _Component(2, f"nasal cannula {shown} (low flow, <= 6 L/min)", 2,
                          rounding=rounding)
    try:
        grade, text = _DEVICE[device]
    except (KeyError, TypeError):
        raise HemalogError(f"findings.oxygen_device: unknown device {device!r}") from None
    return _Component(grade, text, grade)


def _value(fever_met: bool, febrile: bool, component: int) -> int:
    """Part A CRS steps 3 and 6: the grade from the gate and the worse component."""
    if not fever_met:
        return 0
    if component:
        return component
    return 1 if febrile else 0


def grade_crs(findings: Mapping[str, Any]) -> Grade:
    """Grade CRS from an assessment's findings (record-format.md `crs` keys)."""
    if findings.get("fatal"):
        return Grade(5, SCALE, "grade 5: death due to CRS", (), {"fatal": True})

    raw_temp = findings.get("temperature_c")
    temp = None if raw_temp is None else _decimal(raw_temp, "temperature_c")
    # Qualifiers, not findings: absent means false (Part A 1.1), never "not assessed".
    other_cause = bool(findings.get("fever_other_cause"))
    masked = bool(findings.get("fever_masked"))
    temp_rounded = None if temp is None else _tenths(temp)
    fever = None if temp_rounded is None else temp_rounded >= _FEVER_C
    # The cut is inclusive and at the table's precision, so rounding can only
    # move a temperature up across it (37.95 -> 38.0), never down.
    fever_by_rounding = fever is True and temp is not None and temp < _FEVER_C
    febrile = fever is True and not other_cause
    fever_met = febrile or masked

    hypo, counted = _hypotension(findings)
    oxy = _oxygen(findings)
    hypo_g, oxy_g = hypo.grade or 0, oxy.grade or 0
    value = _value(fever_met, febrile, max(hypo_g, oxy_g))
    details: dict[str, Any] = {
        "fever": fever, "fever_masked": masked,
        "temperature_rounded_c": None if temp_rounded is None else float(temp_rounded),
        "hypotension_component": hypo.grade, "oxygen_component": oxy.grade,
        "vasopressors_counted": len(counted), "vasopressors": counted,
    }

    flags: list[str] = []
    missing: list[str] = []
    if not fever_met:
        # Fever requirement not met: not CRS, whatever the components say.
        if other_cause and fever is not False:
            reason = "grade 0: fever explained by another cause"
        elif temp is None:
            reason = "grade 0: no temperature recorded and fever not masked"
            missing.append("temperature")
        else:
            reason = f"grade 0: no fever ({_temp(temp)} °C < 38.0) and fever not masked"
    elif value >= 2:
        texts = [c.text for c in (hypo, oxy) if c.grade == value]
        reason = f"grade {value}: {' and '.join(texts)}"
    elif value == 1 and temp is not None:
        shown = f"{_temp(temp)} rounded to 38.0" if fever_by_rounding else _temp(temp)
        reason = f"grade 1: fever {shown} °C (>= 38.0) without hypotension or hypoxia"
    else:
        why = "fever explained by another cause" if other_cause else "afebrile"
        reason = f"grade 0: fever masked, {why}, no hypotension or hypoxia (resolved or not CRS)"
        flags.append(ambiguous("resolved or not CRS: masked and afebrile with no hypotension "
                               "or hypoxia graded 0, not 1"))
        if temp is None and not other_cause:
            missing.append("temperature")  # a fever would make it grade 1
    if fever_met:
        for c in (hypo, oxy):
            if c.missing and c.ceiling > value:
                missing.append(c.missing)

    # Part A 1.1: a rounding that moved a value across a cut-point is flagged,
    # whatever the grade. Other ambiguous readings (vasopressin alone) are
    # flagged only where the other reading changes the grade.
    if fever_by_rounding:
        flags.append(ambiguous(f"temperature {_temp(temp)} °C rounded half-up to 38.0: "
                               "counted as fever"))
    if oxy.rounding:
        flags.append(ambiguous(oxy.rounding))
    if hypo.choice and _value(fever_met, febrile, max(hypo.alt or 0, oxy_g)) != value:
        flags.append(ambiguous(hypo.choice))

    if missing:
        text = f"{', '.join(missing)} not assessed"
        reason = f"{reason}; {text}"
        flags.append(provisional(text))
    return Grade(value, SCALE, reason, tuple(flags), details)
