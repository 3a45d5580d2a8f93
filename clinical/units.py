"""Lab tests, their accepted units and the conversions applied on import."""

from __future__ import annotations

from clinical.record import LabTest

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


def stored_unit(test: LabTest) -> str:
    return next(iter(LAB_UNITS[test]))


def to_stored_unit(test: LabTest, unit: str, value: float) -> float:
    """Convert a value in an accepted unit to the stored unit.

    The product is rounded to 10 significant decimals so that 0.1 * 3 is
    stored as 0.3, not 0.30000000000000004.
    """
    factor = LAB_UNITS[test][unit]
    if factor == 1.0:
        return value
    converted = round(value * factor, 10)
    return int(converted) if converted.is_integer() else converted
