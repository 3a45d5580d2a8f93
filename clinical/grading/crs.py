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

Reasons and flags are ``Msg``s (clinical/messages.py) whose English is the
wording below; a vasopressor from the known list and the oxygen device are
vocabulary (context "term"), a drug name typed free-form stays as typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Final, NamedTuple

from clinical.errors import HemalogError
from clinical.grading.result import (Grade, ambiguous, clauses, graded, not_assessed, noted,
                                     provisional)
from clinical.messages import Msg, Seq, Template, msg, translate
from clinical.units import as_typed, per_typed_number

__all__ = ["SCALE", "VASOPRESSOR_TERMS", "grade_crs"]

SCALE: Final = "ASTCT 2019"

# Values are rounded half-up to the table's precision (0.1) before comparing.
_TENTH: Final = Decimal("0.1")
_FEVER_C: Final = Decimal("38.0")   # >= 38.0 °C, inclusive
_LOW_FLOW: Final = Decimal(6)       # <= 6 L/min is low flow; > 6 is high flow

_VASOPRESSIN: Final = "vasopressin"

# The vasopressors the CRS form offers, by their lower-cased name: named in the
# reader's language. Any other name is shown as typed.
VASOPRESSOR_TERMS: Final[Mapping[str, Template]] = {
    "norepinephrine": translate("term", "norepinephrine", "term.vasopressor.norepinephrine"),
    "epinephrine": translate("term", "epinephrine", "term.vasopressor.epinephrine"),
    "phenylephrine": translate("term", "phenylephrine", "term.vasopressor.phenylephrine"),
    "dopamine": translate("term", "dopamine", "term.vasopressor.dopamine"),
    "vasopressin": translate("term", "vasopressin", "term.vasopressor.vasopressin"),
    "angiotensin ii": translate("term", "angiotensin ii", "term.vasopressor.angiotensin_ii"),
}

# -- the words of the reasons and flags (English as it has always been) -----------------
_T_FATAL = translate("clinical", "death due to CRS", "crs.fatal")
_T_OTHER_CAUSE = translate("clinical", "fever explained by another cause", "crs.fever_other_cause")
_T_NO_TEMP = translate("clinical", "no temperature recorded and fever not masked",
                       "crs.no_temperature")
_T_NO_FEVER = translate("clinical", "no fever ({temperature} °C < 38.0) and fever not masked", "crs.no_fever")
_T_FEVER = translate("clinical", "fever {temperature} °C (>= 38.0) without hypotension or hypoxia", "crs.fever_only")
_T_FEVER_ROUNDED = translate("clinical", "fever {temperature} rounded to 38.0 °C (>= 38.0) without hypotension or hypoxia", "crs.fever_only_rounded")
_T_AFEBRILE = translate("clinical", "afebrile", "crs.afebrile")
_T_MASKED = translate("clinical", "fever masked, {why}, no hypotension or hypoxia (resolved or not CRS)", "crs.masked")
_T_MASKED_CHOICE = translate("clinical", "resolved or not CRS: masked and afebrile with no hypotension or hypoxia graded 0, not 1", "crs.ambiguous.masked_afebrile")
_T_TEMP_ROUNDED = translate("clinical", "temperature {temperature} °C rounded half-up to 38.0: counted as fever", "crs.ambiguous.temperature_rounded")
_T_SEVERAL = translate("clinical", "{count} vasopressors excluding vasopressin ({drugs})", "crs.several_vasopressors")
_T_ONE = translate("clinical", "one vasopressor ({drug})", "crs.one_vasopressor")
_T_ONE_WITH_VP = translate("clinical", "one vasopressor ({drug}) with vasopressin", "crs.one_vasopressor_with_vasopressin")
_T_VP_ALONE = translate("clinical", "vasopressin alone (counted as one vasopressor)", "crs.vasopressin_alone")
_T_VP_CHOICE = translate("clinical", "vasopressin alone counted as one vasopressor (grade 3); ASTCT does not say whether it counts", "crs.ambiguous.vasopressin_alone")
_T_HYPO_UNLISTED = translate("clinical", "hypotension (graded as not requiring vasopressors)", "crs.hypotension_pressors_unknown")
_T_HYPO = translate("clinical", "hypotension not requiring vasopressors", "crs.hypotension_no_pressors")
_T_NASAL_UNKNOWN = translate("clinical", "{device} (graded as low flow)", "crs.oxygen.flow_unknown")
_T_NASAL_HIGH = translate("clinical", "{device} {flow} L/min (high flow, > 6 L/min)", "crs.oxygen.high_flow")
_T_NASAL_LOW = translate("clinical", "{device} {flow} L/min (low flow, <= 6 L/min)", "crs.oxygen.low_flow")
_T_NASAL_LOW_ROUNDED = translate("clinical", "{device} {flow} L/min rounded to {rounded} (low flow, <= 6 L/min)", "crs.oxygen.low_flow_rounded")
_T_FLOW_ROUNDED_LOW = translate("clinical", "oxygen flow {flow} L/min rounded half-up to {rounded}: low flow", "crs.ambiguous.flow_rounded_low")
_T_LOW_FLOW_DEVICE = translate("clinical", "{device} (low flow)", "crs.oxygen.low_flow_device")
_T_GRADE3_DEVICE = translate("clinical", "{device} (grade 3 oxygen)", "crs.oxygen.grade3_device")
_T_POSITIVE_PRESSURE = translate("clinical", "{device} (positive pressure)", "crs.oxygen.positive_pressure")

# Findings named in "... not assessed".
_T_TEMPERATURE = translate("term", "temperature", "term.crs.finding.temperature")
_T_HYPOTENSION = translate("term", "hypotension", "term.crs.finding.hypotension")
_T_VASOPRESSORS = translate("term", "vasopressors", "term.crs.finding.vasopressors")
_T_OXYGEN = translate("term", "oxygen", "term.crs.finding.oxygen")
_T_OXYGEN_FLOW = translate("term", "oxygen flow", "term.crs.finding.oxygen_flow")

_NASAL: Final = msg(translate("term", "nasal cannula", "term.crs.device.nasal_cannula"))


def _device(grade: int, clause: Template, english: Template) -> tuple[int, Msg]:
    return grade, msg(clause, device=msg(english))


# Devices other than the nasal cannula, whose grade also depends on the flow.
_DEVICE: Final[Mapping[str, tuple[int, str]]] = {
    "none": (0, ""),
    "blow_by": _device(2, _T_LOW_FLOW_DEVICE, translate(
        "term", "blow-by oxygen", "term.crs.device.blow_by")),
    "facemask": _device(3, _T_GRADE3_DEVICE, translate(
        "term", "facemask", "term.crs.device.facemask")),
    "non_rebreather": _device(3, _T_GRADE3_DEVICE, translate(
        "term", "non-rebreather mask", "term.crs.device.non_rebreather")),
    "venturi": _device(3, _T_GRADE3_DEVICE, translate(
        "term", "Venturi mask", "term.crs.device.venturi")),
    "cpap": _device(4, _T_POSITIVE_PRESSURE, translate(
        "term", "CPAP", "term.crs.device.cpap")),
    "bipap": _device(4, _T_POSITIVE_PRESSURE, translate(
        "term", "BiPAP", "term.crs.device.bipap")),
    "mechanical_ventilation": _device(4, _T_POSITIVE_PRESSURE, translate(
        "term", "mechanical ventilation", "term.crs.device.mechanical_ventilation")),
}
_NASAL_CANNULA: Final = "nasal_cannula"


def _decimal(value: Any, key: str) -> Decimal:
    """A finding as the exact decimal that was typed (str() of a float is its shortest repr,
    so 37.85 is 37.85, not 37.8499999...)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise HemalogError(f"findings.{key}: must be a number, not {value!r}")
    d = as_typed(value)
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


_DRUG_WORDS: Final[Mapping[str, Msg]] = {name: msg(term) for name, term in VASOPRESSOR_TERMS.items()}


def _drug(name: str) -> str:
    """A vasopressor as shown: the known ones in the reader's language, others as typed."""
    return _DRUG_WORDS.get(name, name)


@per_typed_number(4096)
def _temperature(value: Any) -> tuple[Decimal, Decimal, str]:
    """A temperature as typed (checked), rounded half-up to 0.1, and as shown ("38.0")."""
    temp = _decimal(value, "temperature_c")
    return temp, _tenths(temp), _temp(temp)


@lru_cache(maxsize=4096)
def _fever(shown: str, by_rounding: bool) -> Msg:
    """The clause of a grade 1 fever ("fever 38.5 °C (>= 38.0) ..."), one per temperature."""
    return msg(_T_FEVER_ROUNDED if by_rounding else _T_FEVER, temperature=shown)


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


_NOT_ASSESSED_HYPOTENSION: Final = msg(_T_HYPOTENSION)
_NOT_ASSESSED_PRESSORS: Final = msg(_T_VASOPRESSORS)
_NOT_ASSESSED_OXYGEN: Final = msg(_T_OXYGEN)
_NOT_ASSESSED_FLOW: Final = msg(_T_OXYGEN_FLOW)
# The components that depend on no number, made once (a _Component cannot change).
_NO_COMPONENT: Final = _Component(0, "", 0)
_VASOPRESSIN_ALONE: Final = _Component(3, msg(_T_VP_ALONE), 3, alt=2, choice=msg(_T_VP_CHOICE))
_HYPOTENSION_PRESSORS_UNKNOWN: Final = _Component(2, msg(_T_HYPO_UNLISTED), 4,
                                                  _NOT_ASSESSED_PRESSORS)
_HYPOTENSION: Final = _Component(2, msg(_T_HYPO), 2)
_HYPOTENSION_UNKNOWN: Final = _Component(None, "", 4, _NOT_ASSESSED_HYPOTENSION)
_HYPOTENSION_UNKNOWN_NO_PRESSORS: Final = _Component(None, "", 2, _NOT_ASSESSED_HYPOTENSION)
_OXYGEN_UNKNOWN: Final = _Component(None, "", 4, _NOT_ASSESSED_OXYGEN)
_NASAL_FLOW_UNKNOWN: Final = _Component(2, msg(_T_NASAL_UNKNOWN, device=_NASAL), 3,
                                        _NOT_ASSESSED_FLOW)
_DEVICE_COMPONENT: Final = {device: _Component(grade, text, grade)
                            for device, (grade, text) in _DEVICE.items()}


def _hypotension(findings: Mapping[str, Any]) -> tuple[_Component, tuple[str, ...]]:
    """The hypotension component and the vasopressors counted (vasopressin excluded).

    Vasopressors given imply hypotension needing them, so they decide even when
    `hypotension` was left blank.
    """
    hypotension = findings.get("hypotension")
    raw = findings.get("vasopressors")
    names = _pressor_names(raw) if raw is not None else ()
    counted = tuple(n for n in names if n != _VASOPRESSIN) if _VASOPRESSIN in names else names
    if counted:
        return _pressors(counted, _VASOPRESSIN in names), counted
    if names:  # vasopressin and nothing else
        return _VASOPRESSIN_ALONE, counted
    if hypotension is True:
        if raw is None:  # pressors not recorded: could be grade 3 or 4
            return _HYPOTENSION_PRESSORS_UNKNOWN, counted
        return _HYPOTENSION, counted
    if hypotension is None:
        # With no vasopressor list either, the missing finding could reach grade 4.
        return (_HYPOTENSION_UNKNOWN if raw is None else _HYPOTENSION_UNKNOWN_NO_PRESSORS), counted
    return _NO_COMPONENT, counted


@lru_cache(maxsize=1024)
def _pressors(counted: tuple[str, ...], with_vasopressin: bool) -> _Component:
    """The component of the vasopressors counted (vasopressin excluded), one per list."""
    if len(counted) >= 2:
        drugs = Seq([_drug(n) for n in counted], "comma")
        return _Component(4, msg(_T_SEVERAL, count=len(counted), drugs=drugs), 4)
    # A second vasopressor cannot be missing: the list was given.
    one = _T_ONE_WITH_VP if with_vasopressin else _T_ONE
    return _Component(3, msg(one, drug=_drug(counted[0])), 3)


def _oxygen(findings: Mapping[str, Any]) -> _Component:
    """The oxygen component from the device (and the flow for a nasal cannula)."""
    device = findings.get("oxygen_device")
    if device is None:
        return _OXYGEN_UNKNOWN
    if device == _NASAL_CANNULA:
        flow = findings.get("oxygen_l_min")
        if flow is None:
            return _NASAL_FLOW_UNKNOWN
        return _nasal_cannula(flow)
    try:
        return _DEVICE_COMPONENT[device]
    except (KeyError, TypeError):
        raise HemalogError(f"findings.oxygen_device: unknown device {device!r}") from None


@per_typed_number(1024)
def _nasal_cannula(flow: Any) -> _Component:
    """The component of a nasal cannula at ``flow`` L/min (one per flow as typed)."""
    raw = _decimal(flow, "oxygen_l_min")
    rounded = _tenths(raw)
    high = rounded > _LOW_FLOW
    # "<= 6" and "> 6" leave no gap, so rounding can only move a flow down
    # across the cut (6.04 -> 6.0: "> 6" as typed, low flow once rounded);
    # 6.05 -> 6.1 is "> 6" either way and is not flagged.
    crossed = high != (raw > _LOW_FLOW)
    # So a flow that crossed is low flow once rounded.
    rounding = "" if not crossed else msg(_T_FLOW_ROUNDED_LOW, flow=_num(raw),
                                          rounded=str(rounded))
    if crossed:
        text = msg(_T_NASAL_LOW_ROUNDED, device=_NASAL, flow=_num(raw), rounded=str(rounded))
    else:
        text = msg(_T_NASAL_HIGH if high else _T_NASAL_LOW, device=_NASAL, flow=_num(raw))
    return _Component(3 if high else 2, text, 3 if high else 2, rounding=rounding)


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
        return Grade(5, SCALE, graded(5, msg(_T_FATAL)), (), {"fatal": True})

    raw_temp = findings.get("temperature_c")
    temp, temp_rounded, shown = (None, None, "") if raw_temp is None else _temperature(raw_temp)
    # Qualifiers, not findings: absent means false (Part A 1.1), never "not assessed".
    other_cause = bool(findings.get("fever_other_cause"))
    masked = bool(findings.get("fever_masked"))
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
    # The clause after "grade N: ".
    because: str
    if not fever_met:
        # Fever requirement not met: not CRS, whatever the components say.
        if other_cause and fever is not False:
            because = msg(_T_OTHER_CAUSE)
        elif temp is None:
            because = msg(_T_NO_TEMP)
            missing.append(msg(_T_TEMPERATURE))
        else:
            because = msg(_T_NO_FEVER, temperature=shown)
    elif value >= 2:
        because = clauses([c.text for c in (hypo, oxy) if c.grade == value])
    elif value == 1 and temp is not None:
        because = _fever(shown, fever_by_rounding)
    else:
        why = msg(_T_OTHER_CAUSE if other_cause else _T_AFEBRILE)
        because = msg(_T_MASKED, why=why)
        flags.append(ambiguous(msg(_T_MASKED_CHOICE)))
        if temp is None and not other_cause:
            missing.append(msg(_T_TEMPERATURE))  # a fever would make it grade 1
    if fever_met:
        for c in (hypo, oxy):
            if c.missing and c.ceiling > value:
                missing.append(c.missing)

    # Part A 1.1: a rounding that moved a value across a cut-point is flagged,
    # whatever the grade. Other ambiguous readings (vasopressin alone) are
    # flagged only where the other reading changes the grade.
    if fever_by_rounding and temp is not None:
        flags.append(ambiguous(msg(_T_TEMP_ROUNDED, temperature=shown)))
    if oxy.rounding:
        flags.append(ambiguous(oxy.rounding))
    if hypo.choice and _value(fever_met, febrile, max(hypo.alt or 0, oxy_g)) != value:
        flags.append(ambiguous(hypo.choice))

    if missing:
        text = not_assessed(missing)
        because = noted(because, text)
        flags.append(provisional(text))
    return Grade(value, SCALE, graded(value, because), tuple(flags), details)
