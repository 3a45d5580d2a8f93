"""Cytokine release syndrome grade, ASTCT 2019 (Lee et al. 2019), per clinical-rules.md Part A.

The grade is the more severe of a hypotension component and an oxygen
component, gated by the fever requirement. A finding that was not assessed is
never read as "absent": the grade is computed from what is present and carries
a provisional flag, but only when the missing finding could have raised it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Final, NamedTuple

from clinical.errors import HemalogError
from clinical.grading.result import Grade, ambiguous, provisional

__all__ = ["SCALE", "grade_crs"]

SCALE: Final = "ASTCT 2019"

# Thresholds in tenths (°C, L/min): values are rounded half-up to the table's
# precision (0.1) before comparing, so the comparisons are on integers.
_FEVER_TENTHS: Final = 380      # >= 38.0 °C, inclusive
_LOW_FLOW_TENTHS: Final = 60    # <= 6 L/min is low flow; > 6 is high flow
# Absorbs binary noise such as 37.85 * 10 == 378.49999999999994 (decimal 37.85 is a tie).
_EPS: Final = 1e-9

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


def _tenths(value: float) -> int:
    """Round half-up to 0.1 and return tenths (37.95 -> 380)."""
    return math.floor(value * 10.0 + 0.5 + _EPS)


def _num(value: float) -> str:
    """Short display of a flow: 6 -> "6", 6.1 -> "6.1"."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _temp(value: float) -> str:
    """Display of a temperature, always with a decimal: 38 -> "38.0", 37.95 -> "37.95"."""
    text = f"{float(value):.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


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
    """

    grade: int | None
    text: str
    ceiling: int
    missing: str = ""
    alt: int | None = None
    choice: str = ""


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
        tenths = _tenths(flow)
        if tenths > _LOW_FLOW_TENTHS:
            return _Component(3, f"nasal cannula {_num(flow)} L/min (high flow, > 6 L/min)", 3)
        text = f"nasal cannula {_num(flow)} L/min (low flow, <= 6 L/min)"
        if flow > 6:  # rounding moved it across the cut-point (6.04 -> 6.0)
            return _Component(2, text, 2, alt=3, choice=f"oxygen flow {_num(flow)} L/min rounded "
                                                     f"half-up to {tenths / 10:.1f}: low flow")
        return _Component(2, text, 2)
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

    temp = findings.get("temperature_c")
    other_cause = bool(findings.get("fever_other_cause"))
    masked_raw = findings.get("fever_masked")
    masked = bool(masked_raw)
    temp_tenths = None if temp is None else _tenths(temp)
    fever = None if temp_tenths is None else temp_tenths >= _FEVER_TENTHS
    febrile = fever is True and not other_cause
    fever_met = febrile or masked

    hypo, counted = _hypotension(findings)
    oxy = _oxygen(findings)
    hypo_g, oxy_g = hypo.grade or 0, oxy.grade or 0
    value = _value(fever_met, febrile, max(hypo_g, oxy_g))
    details: dict[str, Any] = {
        "fever": fever, "fever_masked": masked,
        "temperature_rounded_c": None if temp_tenths is None else temp_tenths / 10,
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
        # A blank fever_masked could have let the components decide.
        if masked_raw is None and max(hypo.ceiling, oxy.ceiling) > 0:
            missing.append("fever_masked")
    elif value >= 2:
        texts = [c.text for c in (hypo, oxy) if c.grade == value]
        reason = f"grade {value}: {' and '.join(texts)}"
    elif value == 1 and temp is not None:
        shown = _temp(temp) if temp >= 38.0 else f"{_temp(temp)} rounded to 38.0"
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

    # Ambiguous readings are flagged only where the other reading changes the grade.
    if fever and temp is not None and temp < 38.0 and not other_cause \
            and _value(masked, False, max(hypo_g, oxy_g)) != value:
        flags.append(ambiguous(f"temperature {_temp(temp)} °C rounded half-up to 38.0: "
                               "counted as fever"))
    if hypo.choice and _value(fever_met, febrile, max(hypo.alt or 0, oxy_g)) != value:
        flags.append(ambiguous(hypo.choice))
    if oxy.choice and _value(fever_met, febrile, max(hypo_g, oxy.alt or 0)) != value:
        flags.append(ambiguous(oxy.choice))

    if missing:
        text = f"{', '.join(missing)} not assessed"
        reason = f"{reason}; {text}"
        flags.append(provisional(text))
    return Grade(value, SCALE, reason, tuple(flags), details)
