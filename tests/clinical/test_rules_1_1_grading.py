"""clinical-rules.md Part A 1.1, grading decisions: "Rounding (scope)", "CRS inputs" and
"Absent qualifiers". One test per decision, one row per edge the text names.

"Rounding moved the value across a cut-point" is read as: the raw value, compared
with the table's rows as printed, is not in the row its half-up rounded value
falls in. So a value crosses up (rash 24.6 -> 25), down (rash 50.4 -> 50, raw
"> 50"), or out of the gap between two printed rows (bilirubin 3.04 -> 3.0 and
3.05 -> 3.1, both between "2.0-3.0" and "3.1-6.0"); a value that rounds within
its own row (3.14 -> 3.1, flow 6.05 -> 6.1, both already in the row) is not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from clinical.grading.agvhd import grade_agvhd
from clinical.grading.cgvhd import ORGANS, grade_cgvhd
from clinical.grading.crs import grade_crs
from clinical.grading.result import AMBIGUOUS, PROVISIONAL, Grade

# --- findings builders: everything assessed, nothing but the value under test set ---

CRS_BASE: dict[str, Any] = {"temperature_c": 38.5, "fever_other_cause": False,
                            "fever_masked": False, "hypotension": False, "vasopressors": [],
                            "oxygen_device": "none"}
AGVHD_BASE: dict[str, Any] = {"skin_rash_bsa_pct": 0, "skin_bullae": False,
                              "bilirubin_mg_dl": 0.5, "upper_gi_persistent": False,
                              "stool_ml_day": 0, "severe_abdominal_pain": False,
                              "bloody_stool": False}


def crs(**changes: Any) -> dict[str, Any]:
    """CRS_BASE with changes; a change to None removes the key (absent, not null)."""
    f = {**CRS_BASE, **changes}
    return {k: v for k, v in f.items() if v is not None}


def agvhd(**changes: Any) -> dict[str, Any]:
    f = {**AGVHD_BASE, **changes}
    return {k: v for k, v in f.items() if v is not None}


def ambiguous_flags(g: Grade) -> list[str]:
    return [f for f in g.flags if f.startswith(AMBIGUOUS)]


def provisional_flags(g: Grade) -> tuple[str, ...]:
    return tuple(f for f in g.flags if f.startswith(PROVISIONAL))


# --- Rounding (scope) ---------------------------------------------------------------

# Each kind grades one value and returns the grade and what the cut-point decided
# (fever yes/no, the oxygen component, an organ stage, the lung score).
Measure = Callable[[float], tuple[Grade, Any]]


def _temperature(v: float) -> tuple[Grade, Any]:
    g = grade_crs(crs(temperature_c=v))
    return g, g.details["fever"]


def _flow(v: float) -> tuple[Grade, Any]:
    g = grade_crs(crs(oxygen_device="nasal_cannula", oxygen_l_min=v))
    return g, g.details["oxygen_component"]


def _flow_beside_vasopressor(v: float) -> tuple[Grade, Any]:
    # One vasopressor gives grade 3 whatever the flow: the crossing is still flagged.
    g = grade_crs(crs(hypotension=True, vasopressors=["dopamine"],
                      oxygen_device="nasal_cannula", oxygen_l_min=v))
    return g, g.details["oxygen_component"]


def _agvhd(key: str, organ: str, **extra: Any) -> Measure:
    def measure(v: float) -> tuple[Grade, Any]:
        g = grade_agvhd(agvhd(**{key: v}, **extra))
        return g, g.details["stages"][organ]
    return measure


def _fev1(v: float, **kwargs: Any) -> tuple[Grade, Any]:
    g = grade_cgvhd(dict.fromkeys((o for o in ORGANS if o != "lungs"), 0), lung_fev1_pct=v,
                    **kwargs)
    return g, g.details["scores"]["lungs"]


MEASURES: dict[str, Measure] = {
    "temperature": _temperature,
    "flow": _flow,
    "flow beside a vasopressor": _flow_beside_vasopressor,
    "bilirubin mg/dL": _agvhd("bilirubin_mg_dl", "liver"),
    "bilirubin umol/L": _agvhd("bilirubin_umol_l", "liver", bilirubin_mg_dl=None),
    "stool mL/day": _agvhd("stool_ml_day", "lower_gi"),
    "stool mL/kg/day": _agvhd("stool_ml_kg_day", "lower_gi", stool_ml_day=None),
    "rash %": _agvhd("skin_rash_bsa_pct", "skin"),
    "FEV1 %": _fev1,
    "FEV1 % NIH 2005": lambda v: _fev1(v, lung_symptom_score=3, version="NIH 2005"),
}


def r(kind: str, value: float, decided: Any, flagged: bool, rounded: str, reason: str,
      edge: str) -> Any:
    """A row: `rounded` is the compared value as it must appear in the flag; `reason`
    is text the grade's reason must contain (the deciding finding)."""
    return pytest.param(kind, value, decided, flagged, rounded, reason,
                        id=f"{kind} {value} {edge}")


ROUNDING = [
    # Temperature, 0.1, fever ">= 38.0": only an up-crossing exists (a value at or
    # above 38.0 never rounds below it).
    r("temperature", 37.9, False, False, "37.9", "no fever (37.9 °C < 38.0)", "below"),
    r("temperature", 37.85, False, False, "37.9", "no fever (37.85 °C", "tie to 37.9"),
    r("temperature", 37.94, False, False, "37.9", "no fever", "rounds down, no crossing"),
    r("temperature", 37.95, True, True, "38.0", "fever 37.95 rounded to 38.0", "up across"),
    r("temperature", 38.0, True, False, "38.0", "fever 38.0 °C", "at"),
    r("temperature", 38.04, True, False, "38.0", "fever 38.04 °C", "above, rounds to cut"),
    r("temperature", 38.1, True, False, "38.1", "fever 38.1 °C", "above"),
    # Oxygen flow, 0.1, low flow "<= 6", high "> 6": only a down-crossing exists.
    r("flow", 5.9, 2, False, "5.9", "nasal cannula 5.9 L/min (low flow", "below"),
    r("flow", 5.95, 2, False, "6.0", "(low flow", "rounds up to cut, no crossing"),
    r("flow", 6, 2, False, "6", "nasal cannula 6 L/min (low flow", "at"),
    r("flow", 6.04, 2, True, "6.0", "6.04 L/min rounded to 6.0 (low flow", "down across"),
    # 6.05 is "> 6" as typed and 6.1 after rounding (as a binary float it is
    # 6.0499999..., which float arithmetic would round to 6.0).
    r("flow", 6.05, 3, False, "6.1", "nasal cannula 6.05 L/min (high flow", "no crossing"),
    r("flow", 6.1, 3, False, "6.1", "(high flow", "above"),
    r("flow beside a vasopressor", 6.04, 2, True, "6.0", "grade 3: one vasopressor",
      "down across, grade unchanged"),
    r("flow beside a vasopressor", 6.05, 3, False, "6.1", "grade 3: one vasopressor",
      "no crossing, grade unchanged"),
    # Bilirubin mg/dL, 0.1: "<2.0", "2.0-3.0", "3.1-6.0", "6.1-15.0", ">15.0".
    r("bilirubin mg/dL", 1.9, 0, False, "1.9", "no organ involved", "below 2.0"),
    r("bilirubin mg/dL", 1.94, 0, False, "1.9", "no organ involved", "no crossing"),
    r("bilirubin mg/dL", 1.95, 1, True, "2.0", "bilirubin 2.0 mg/dL, 2.0-3.0", "up across"),
    r("bilirubin mg/dL", 1.96, 1, True, "2.0", "bilirubin 2.0 mg/dL, 2.0-3.0", "up across"),
    r("bilirubin mg/dL", 2.0, 1, False, "2.0", "bilirubin 2.0 mg/dL, 2.0-3.0", "at 2.0"),
    r("bilirubin mg/dL", 2.04, 1, False, "2.0", "bilirubin 2.0 mg/dL", "above 2.0"),
    r("bilirubin mg/dL", 3.0, 1, False, "3.0", "bilirubin 3.0 mg/dL, 2.0-3.0", "at 3.0"),
    r("bilirubin mg/dL", 3.04, 1, True, "3.0", "bilirubin 3.0 mg/dL, 2.0-3.0",
      "down across (gap 3.0-3.1)"),
    r("bilirubin mg/dL", 3.05, 2, True, "3.1", "bilirubin 3.1 mg/dL, 3.1-6.0",
      "up across (gap 3.0-3.1)"),
    r("bilirubin mg/dL", 3.1, 2, False, "3.1", "bilirubin 3.1 mg/dL, 3.1-6.0", "at 3.1"),
    r("bilirubin mg/dL", 3.14, 2, False, "3.1", "bilirubin 3.1 mg/dL", "no crossing"),
    r("bilirubin mg/dL", 6.0, 2, False, "6.0", "bilirubin 6.0 mg/dL, 3.1-6.0", "at 6.0"),
    r("bilirubin mg/dL", 6.04, 2, True, "6.0", "bilirubin 6.0 mg/dL", "down across"),
    r("bilirubin mg/dL", 6.05, 3, True, "6.1", "bilirubin 6.1 mg/dL, 6.1-15.0", "up across"),
    r("bilirubin mg/dL", 6.1, 3, False, "6.1", "bilirubin 6.1 mg/dL, 6.1-15.0", "at 6.1"),
    r("bilirubin mg/dL", 15.0, 3, False, "15.0", "bilirubin 15.0 mg/dL, 6.1-15.0", "at 15.0"),
    r("bilirubin mg/dL", 15.04, 3, True, "15.0", "bilirubin 15.0 mg/dL, 6.1-15.0",
      "down across (raw > 15.0)"),
    r("bilirubin mg/dL", 15.05, 4, False, "15.1", "bilirubin 15.1 mg/dL, >15.0", "no crossing"),
    r("bilirubin mg/dL", 15.1, 4, False, "15.1", "bilirubin 15.1 mg/dL, >15.0", "above"),
    # Bilirubin umol/L: divided by 17.1 first, then rounded to 0.1 mg/dL.
    r("bilirubin umol/L", 33.5, 1, True, "2.0", "33.5 µmol/L = 2.0 mg/dL", "1.959 up across"),
    r("bilirubin umol/L", 34.2, 1, False, "2.0", "34.2 µmol/L = 2.0 mg/dL", "2.0 at"),
    r("bilirubin umol/L", 51, 1, False, "3.0", "51 µmol/L = 3.0 mg/dL", "2.982 no crossing"),
    r("bilirubin umol/L", 52, 1, True, "3.0", "52 µmol/L = 3.0 mg/dL", "3.041 down across"),
    r("bilirubin umol/L", 53, 2, True, "3.1", "53 µmol/L = 3.1 mg/dL", "3.099 up across"),
    # Stool mL/day, whole: "<500", "500-999", "1000-1500", ">1500".
    r("stool mL/day", 499, 0, False, "499", "no organ involved", "below 500"),
    r("stool mL/day", 499.4, 0, False, "499", "no organ involved", "no crossing"),
    r("stool mL/day", 499.5, 1, True, "500", "stool 500 mL/day, 500-999", "up across"),
    r("stool mL/day", 500, 1, False, "500", "stool 500 mL/day, 500-999", "at 500"),
    r("stool mL/day", 999, 1, False, "999", "stool 999 mL/day, 500-999", "at 999"),
    r("stool mL/day", 999.4, 1, True, "999", "stool 999 mL/day", "down across (gap)"),
    r("stool mL/day", 999.5, 2, True, "1000", "stool 1000 mL/day, 1000-1500", "up across (gap)"),
    r("stool mL/day", 1000, 2, False, "1000", "stool 1000 mL/day, 1000-1500", "at 1000"),
    r("stool mL/day", 1500, 2, False, "1500", "stool 1500 mL/day, 1000-1500", "at 1500"),
    r("stool mL/day", 1500.4, 2, True, "1500", "stool 1500 mL/day, 1000-1500",
      "down across (raw > 1500)"),
    r("stool mL/day", 1500.5, 3, False, "1501", "stool 1501 mL/day, >1500", "no crossing"),
    r("stool mL/day", 1501, 3, False, "1501", "stool 1501 mL/day, >1500", "above"),
    # Stool mL/kg/day, 0.1: "<10.0", "10.0-19.9", "20.0-30.0", ">30.0".
    r("stool mL/kg/day", 9.9, 0, False, "9.9", "no organ involved", "below 10"),
    r("stool mL/kg/day", 9.94, 0, False, "9.9", "no organ involved", "no crossing"),
    r("stool mL/kg/day", 9.95, 1, True, "10.0", "stool 10.0 mL/kg/day, 10.0-19.9", "up across"),
    r("stool mL/kg/day", 10.0, 1, False, "10.0", "stool 10.0 mL/kg/day, 10.0-19.9", "at 10"),
    r("stool mL/kg/day", 19.9, 1, False, "19.9", "stool 19.9 mL/kg/day, 10.0-19.9", "at 19.9"),
    r("stool mL/kg/day", 19.94, 1, True, "19.9", "stool 19.9 mL/kg/day", "down across (gap)"),
    r("stool mL/kg/day", 19.95, 2, True, "20.0", "stool 20.0 mL/kg/day, 20.0-30.0",
      "up across (gap)"),
    r("stool mL/kg/day", 20.0, 2, False, "20.0", "stool 20.0 mL/kg/day, 20.0-30.0", "at 20"),
    r("stool mL/kg/day", 30.0, 2, False, "30.0", "stool 30.0 mL/kg/day, 20.0-30.0", "at 30"),
    r("stool mL/kg/day", 30.04, 2, True, "30.0", "stool 30.0 mL/kg/day",
      "down across (raw > 30.0)"),
    r("stool mL/kg/day", 30.05, 3, False, "30.1", "stool 30.1 mL/kg/day, >30.0", "no crossing"),
    r("stool mL/kg/day", 30.1, 3, False, "30.1", "stool 30.1 mL/kg/day, >30.0", "above"),
    # Rash % BSA, whole: "0", "<25", "25-50", ">50".
    r("rash %", 0, 0, False, "0", "no organ involved", "at 0"),
    r("rash %", 0.4, 0, True, "0", "no organ involved", "down across to 0"),
    r("rash %", 0.5, 1, False, "1", "rash 1% BSA, <25%", "no crossing"),
    r("rash %", 24, 1, False, "24", "rash 24% BSA, <25%", "below 25"),
    r("rash %", 24.4, 1, False, "24", "rash 24% BSA, <25%", "no crossing"),
    r("rash %", 24.5, 2, True, "25", "rash 25% BSA, 25-50%", "up across (tie)"),
    r("rash %", 24.6, 2, True, "25", "rash 25% BSA, 25-50%", "up across"),
    r("rash %", 25, 2, False, "25", "rash 25% BSA, 25-50%", "at 25"),
    r("rash %", 25.4, 2, False, "25", "rash 25% BSA", "no crossing"),
    r("rash %", 50, 2, False, "50", "rash 50% BSA, 25-50%", "at 50"),
    r("rash %", 50.4, 2, True, "50", "rash 50% BSA, 25-50%", "down across (raw > 50)"),
    r("rash %", 50.5, 3, False, "51", "rash 51% BSA, >50%", "no crossing"),
    r("rash %", 51, 3, False, "51", "rash 51% BSA, >50%", "above"),
    # FEV1 % predicted, whole: "<= 39" 3, "40-59" 2, "60-79" 1, ">= 80" 0.
    r("FEV1 %", 39, 3, False, "39", "lungs score 3 (lung >= 2; FEV1 39%)", "at 39"),
    r("FEV1 %", 39.4, 3, True, "39", "lungs score 3 (lung >= 2; FEV1 39%)", "down across"),
    r("FEV1 %", 39.5, 2, True, "40", "lungs score 2 (lung >= 2; FEV1 40%)", "up across"),
    r("FEV1 %", 40, 2, False, "40", "lungs score 2 (lung >= 2; FEV1 40%)", "at 40"),
    r("FEV1 %", 45.5, 2, False, "46", "FEV1 46%", "no crossing"),
    r("FEV1 %", 59, 2, False, "59", "lungs score 2 (lung >= 2; FEV1 59%)", "at 59"),
    r("FEV1 %", 59.4, 2, True, "59", "FEV1 59%", "down across"),
    r("FEV1 %", 59.6, 1, True, "60", "lungs score 1 (lung 1; FEV1 60%)", "up across"),
    r("FEV1 %", 60, 1, False, "60", "lungs score 1 (lung 1; FEV1 60%)", "at 60"),
    r("FEV1 %", 79, 1, False, "79", "lungs score 1 (lung 1; FEV1 79%)", "at 79"),
    r("FEV1 %", 79.4, 1, True, "79", "lungs score 1 (lung 1; FEV1 79%)", "down across"),
    r("FEV1 %", 79.5, 0, True, "80", "none: all organs score 0", "up across"),
    r("FEV1 %", 80, 0, False, "80", "none: all organs score 0", "at 80"),
    r("FEV1 %", 80.4, 0, False, "80", "none: all organs score 0", "no crossing"),
    # Under NIH 2005 a higher symptom score wins; the FEV1 crossing is still flagged.
    r("FEV1 % NIH 2005", 79.5, 3, True, "80", "severe: lungs score 3", "up across, not used"),
]


@pytest.mark.parametrize(("kind", "value", "decided", "flagged", "rounded", "reason"), ROUNDING)
def test_rounding_scope_flags_crossing_in_both_directions(
        kind: str, value: float, decided: Any, flagged: bool, rounded: str, reason: str) -> None:
    g, outcome = MEASURES[kind](value)
    assert outcome == decided
    assert reason in g.reason and "\n" not in g.reason
    rounding = [f for f in ambiguous_flags(g) if "rounded" in f]
    if kind == "FEV1 % NIH 2005":
        # The NIH 2005/2014 disagreement is flagged too (not a rounding flag).
        assert len(ambiguous_flags(g)) == 2
    else:
        assert ambiguous_flags(g) == rounding
    assert len(rounding) == (1 if flagged else 0)
    if flagged:
        # The flag names the value as given and the value compared.
        (flag,) = rounding
        assert f"{value:g}" in flag
        assert re.search(rf"rounded (half-up )?to {re.escape(rounded)}(?![0-9.])", flag)
        if kind == "FEV1 % NIH 2005":
            assert "NIH 2005 uses the higher symptom score (3)" in flag
    assert provisional_flags(g) == ()


# --- CRS inputs: fever_other_cause absent means false ------------------------------

def _cause(**changes: Any) -> dict[str, Any]:
    return crs(fever_other_cause=None, **changes)


@pytest.mark.parametrize(("findings", "grade", "reason"), [
    pytest.param(_cause(), 1, "grade 1: fever 38.5 °C", id="febrile, nothing else"),
    pytest.param(_cause(temperature_c=38.0), 1, "grade 1: fever 38.0 °C", id="febrile at 38.0"),
    pytest.param(_cause(temperature_c=37.9), 0, "no fever (37.9 °C < 38.0)", id="afebrile"),
    pytest.param(_cause(hypotension=True), 2, "hypotension not requiring vasopressors",
                 id="febrile with hypotension"),
    pytest.param(_cause(oxygen_device="cpap"), 4, "CPAP", id="febrile on CPAP"),
    pytest.param(_cause(temperature_c=37.0, fever_masked=True, vasopressors=["dopamine"],
                        hypotension=True), 3, "one vasopressor (dopamine)", id="masked"),
    pytest.param(_cause(temperature_c=None, fever_masked=True, oxygen_device="facemask"), 3,
                 "facemask", id="masked, no temperature"),
])
def test_crs_absent_fever_other_cause_is_false(findings: dict[str, Any], grade: int,
                                               reason: str) -> None:
    g = grade_crs(findings)
    assert g.value == grade and reason in g.reason
    assert g.flags == ()  # not "not assessed": a qualifier, not a finding
    assert "fever_other_cause" not in g.reason
    assert g == grade_crs({**findings, "fever_other_cause": False})
    # The same findings with the qualifier set: a fever no longer counts.
    explained = grade_crs({**findings, "fever_other_cause": True})
    if not findings.get("fever_masked") and grade:
        assert explained.value == 0


# --- Absent qualifiers: fever_masked absent means false -----------------------------

def _masked(**changes: Any) -> dict[str, Any]:
    return crs(fever_masked=None, **changes)


@pytest.mark.parametrize(("findings", "grade", "reason"), [
    # 1.0's code gave these a provisional "fever_masked not assessed" flag.
    pytest.param(_masked(temperature_c=37.0, hypotension=True, vasopressors=["dopamine"]), 0,
                 "no fever (37.0 °C < 38.0) and fever not masked", id="afebrile, vasopressor"),
    pytest.param(_masked(temperature_c=36.9, oxygen_device="bipap"), 0,
                 "no fever (36.9 °C < 38.0) and fever not masked", id="afebrile, BiPAP"),
    pytest.param(_masked(temperature_c=37.0), 0, "no fever", id="afebrile, nothing else"),
    pytest.param(_masked(temperature_c=38.3, fever_other_cause=True, oxygen_device="facemask"),
                 0, "fever explained by another cause", id="fever explained, facemask"),
    pytest.param(_masked(), 1, "grade 1: fever 38.5 °C", id="febrile"),
    pytest.param(_masked(oxygen_device="non_rebreather"), 3, "non-rebreather", id="febrile, NRB"),
])
def test_crs_absent_fever_masked_is_false(findings: dict[str, Any], grade: int,
                                          reason: str) -> None:
    g = grade_crs(findings)
    assert g.value == grade and reason in g.reason
    assert g.flags == ()
    assert "not assessed" not in g.reason
    assert g.details["fever_masked"] is False
    assert g == grade_crs({**findings, "fever_masked": False})


# --- CRS inputs: absent hypotension / oxygen_device ---------------------------------

@pytest.mark.parametrize(("findings", "grade", "missing"), [
    pytest.param(crs(hypotension=None, vasopressors=None), 1, "hypotension",
                 id="febrile, hypotension absent: could raise to 4"),
    pytest.param(crs(oxygen_device=None), 1, "oxygen", id="febrile, oxygen absent"),
    pytest.param(crs(hypotension=None, vasopressors=None, oxygen_device=None), 1,
                 "hypotension, oxygen", id="febrile, both absent"),
    pytest.param(crs(oxygen_device="nasal_cannula", oxygen_l_min=2, hypotension=None,
                     vasopressors=None), 2, "hypotension", id="grade 2, hypotension absent"),
    pytest.param(crs(oxygen_device="facemask", hypotension=None, vasopressors=None), 3,
                 "hypotension", id="grade 3, hypotension absent"),
    pytest.param(crs(hypotension=True, vasopressors=["dopamine"], oxygen_device=None), 3,
                 "oxygen", id="grade 3, oxygen absent"),
    pytest.param(crs(temperature_c=37.0, fever_masked=True, oxygen_device=None), 0,
                 "oxygen", id="masked afebrile grade 0, oxygen absent"),
    # No flag: the missing finding cannot raise the grade.
    pytest.param(crs(oxygen_device="cpap", hypotension=None, vasopressors=None), 4, None,
                 id="grade 4, hypotension absent"),
    pytest.param(crs(hypotension=True, vasopressors=["dopamine", "phenylephrine"],
                     oxygen_device=None), 4, None, id="grade 4, oxygen absent"),
    pytest.param(crs(hypotension=None, vasopressors=None, oxygen_device=None, fatal=True), 5,
                 None, id="grade 5, both absent"),
    pytest.param(crs(hypotension=None, vasopressors=[], oxygen_device="blow_by"), 2, None,
                 id="grade 2, hypotension absent but no vasopressor given: at most 2"),
    pytest.param(crs(temperature_c=37.0, hypotension=None, vasopressors=None,
                     oxygen_device=None), 0, None, id="afebrile unmasked: not CRS whatever"),
])
def test_crs_absent_hypotension_or_oxygen_provisional_only_when_it_could_raise(
        findings: dict[str, Any], grade: int, missing: str | None) -> None:
    g = grade_crs(findings)
    assert g.value == grade
    if missing is None:
        assert provisional_flags(g) == ()
        assert "not assessed" not in g.reason
    else:
        assert provisional_flags(g) == (f"{PROVISIONAL}: {missing} not assessed",)
        assert g.reason.endswith(f"; {missing} not assessed")
    # The grade is computed from what is present, never from a guessed finding.
    component = {"hypotension": "hypotension_component", "oxygen": "oxygen_component"}
    for name, key in component.items():
        if missing and name in missing:
            assert g.details[key] is None


# --- CRS inputs: fatal gives 5 whatever else ----------------------------------------

@pytest.mark.parametrize("findings", [
    pytest.param({"fatal": True}, id="fatal alone"),
    pytest.param(crs(fatal=True), id="febrile, nothing else"),
    pytest.param(crs(fatal=True, temperature_c=36.5), id="afebrile, unmasked"),
    pytest.param(crs(fatal=True, fever_other_cause=True), id="fever explained by another cause"),
    pytest.param(crs(fatal=True, temperature_c=None, hypotension=None, vasopressors=None,
                     oxygen_device=None), id="nothing else assessed"),
    pytest.param(crs(fatal=True, temperature_c=37.95), id="temperature rounded across 38.0"),
    pytest.param(crs(fatal=True, oxygen_device="nasal_cannula", oxygen_l_min=6.04),
                 id="flow rounded across 6"),
    pytest.param(crs(fatal=True, hypotension=True, vasopressors=["vasopressin"]),
                 id="vasopressin alone"),
    pytest.param(crs(fatal=True, hypotension=True, vasopressors=["a", "b"],
                     oxygen_device="mechanical_ventilation"), id="grade 4 findings"),
    pytest.param(crs(fatal=True, temperature_c=37.0, fever_masked=True), id="masked afebrile"),
])
def test_crs_fatal_is_grade_5_whatever_else(findings: dict[str, Any]) -> None:
    g = grade_crs(findings)
    assert g.value == 5
    assert g.reason == "grade 5: death due to CRS"
    assert g.flags == ()
    # Without `fatal` the same findings never give 5.
    assert grade_crs({**findings, "fatal": False}).value < 5
