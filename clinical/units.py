"""Lab tests, their accepted units and the conversions applied on import."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache, wraps
from typing import Any, TypeVar

from clinical.record import LabTest

T = TypeVar("T")

# For each test: the stored unit first, then every accepted unit with the
# factor that converts it to the stored unit.
LAB_UNITS: dict[LabTest, dict[str, float]] = {
    LabTest.WBC: {"10^9/L": 1.0},
    LabTest.ANC: {"10^9/L": 1.0},
    LabTest.ALC: {"10^9/L": 1.0},
    LabTest.PLT: {"10^9/L": 1.0},
    LabTest.HB: {"g/L": 1.0, "g/dL": 10.0},
    LabTest.CRP: {"mg/L": 1.0, "mg/dL": 10.0},
    LabTest.FERRITIN: {"ng/mL": 1.0, "ug/L": 1.0},
    LabTest.IL6: {"pg/mL": 1.0},
    LabTest.BILIRUBIN: {"umol/L": 1.0, "mg/dL": 17.1},
    LabTest.CREATININE: {"umol/L": 1.0, "mg/dL": 88.4},
    LabTest.CAR_T_PCT: {"%": 1.0},
    LabTest.TCR_PCT: {"%": 1.0},
}

PERCENT_TESTS = frozenset({LabTest.CAR_T_PCT, LabTest.TCR_PCT})


def per_typed_number(maxsize: int) -> Callable[[Callable[[Any], T]], Callable[[Any], T]]:
    """Remember a pure function of a finding's number.

    Ward values repeat (temperatures to 0.1 °C, whole mL, counts to 0.1), and a cohort
    roll-up grades hundreds of thousands of them, so the result for an int or a float is
    kept (at most ``maxsize``, least recently used first out). The value's type is part
    of the key, so 1 and 1.0 are kept apart. True (no number) and 0 are never kept (0.0
    and -0.0 are equal keys, but not the same typed text); they, anything else, and a call that
    raises, is worked out each time. The function must return something that cannot
    change (a Decimal, a tuple of them, a Msg): every caller shares it.
    """
    def decorate(function: Callable[[Any], T]) -> Callable[[Any], T]:
        remembered = lru_cache(maxsize=maxsize)(lambda value, _kind: function(value))

        @wraps(function)
        def call(value: Any) -> T:
            kind = type(value)
            if value and (kind is float or kind is int):
                return remembered(value, kind)
            return function(value)
        call.cache_clear = remembered.cache_clear  # type: ignore[attr-defined]
        return call
    return decorate


@per_typed_number(8192)
def as_typed(value: Any) -> Decimal:
    """A number as the exact decimal that was typed: through str(), whose text of a float
    is its shortest repr, so 37.85 is 37.85, not 37.8499999...

    Remembered for ints and floats (a Decimal cannot change); a Decimal is itself;
    anything else is converted as before, raising what Decimal raises.
    """
    return value if isinstance(value, Decimal) else Decimal(str(value))


def stored_unit(test: LabTest) -> str:
    return next(iter(LAB_UNITS[test]))


def round_significant(value: Decimal, digits: int = 4) -> Decimal:
    """Round half-up to ``digits`` significant digits (20.5200 -> 20.52, 84.996 -> 85.00)."""
    if value == 0:
        return Decimal(0)
    step = Decimal(1).scaleb(value.adjusted() - digits + 1)
    return value.quantize(step, rounding=ROUND_HALF_UP)


def to_stored_unit(test: LabTest, unit: str, value: float) -> float | int:
    """Convert a value in an accepted unit to the stored unit.

    A converted value is stored rounded half-up to 4 significant digits
    (clinical-rules.md Part A 1.1: hb 8.5 g/dL -> 85 g/L; bilirubin 1.2 mg/dL
    -> 20.52 umol/L), worked out in decimal so 0.1 * 3 is 0.3. A value in the
    stored unit is kept exactly as entered.
    """
    factor = LAB_UNITS[test][unit]
    if factor == 1.0:
        return value
    converted = round_significant(Decimal(repr(value)) * Decimal(repr(factor)))
    return int(converted) if converted == converted.to_integral_value() else float(converted)
