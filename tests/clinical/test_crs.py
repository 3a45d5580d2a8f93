"""ASTCT 2019 CRS grading: every row of clinical-vectors.md §A, boundaries, properties."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.errors import HemalogError
from clinical.grading.crs import grade_crs
from clinical.grading.result import PROVISIONAL, Grade

# Pure functions: the autouse home-folder fixture is harmless between examples,
# and no example database is written into the shared tree.
PROPERTY = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

SCALE = "ASTCT 2019"


def crs(temp: float | None = 38.5, *, masked: bool = False, other: bool = False,
        hypotension: bool = False, pressors: tuple[str, ...] = (), device: str = "none",
        flow: float | None = None, fatal: bool | None = None) -> dict[str, Any]:
    """A fully assessed set of findings (nothing left blank unless asked)."""
    f: dict[str, Any] = {"fever_other_cause": other, "fever_masked": masked,
                         "hypotension": hypotension, "vasopressors": list(pressors),
                         "oxygen_device": device}
    if temp is not None:
        f["temperature_c"] = temp
    if flow is not None:
        f["oxygen_l_min"] = flow
    if fatal is not None:
        f["fatal"] = fatal
    return f


def is_provisional(g: Grade) -> bool:
    return any(flag.startswith(PROVISIONAL) for flag in g.flags)


# (findings, expected grade, AMBIGUOUS row?, text the reason must contain)
VECTORS = [
    pytest.param(crs(38.0), 1, False, "38.0", id="CRS-01"),
    pytest.param(crs(37.9), 0, False, "no fever (37.9 °C < 38.0)", id="CRS-02"),
    pytest.param(crs(38.5, device="nasal_cannula", flow=6), 2,
                 False, "nasal cannula 6 L/min (low flow, <= 6 L/min)", id="CRS-03"),
    pytest.param(crs(38.5, device="nasal_cannula", flow=7), 3,
                 False, "> 6 L/min", id="CRS-04"),
    # Hypotension corrected by a fluid bolus: hypotension without vasopressors.
    pytest.param(crs(38.5, hypotension=True), 2,
                 False, "hypotension not requiring vasopressors", id="CRS-05"),
    # Vasopressin beside one vasopressor is not a second agent.
    pytest.param(crs(38.6, hypotension=True, pressors=("norepinephrine", "vasopressin"),
                     device="nasal_cannula", flow=2), 3,
                 False, "one vasopressor (norepinephrine)", id="CRS-06"),
    pytest.param(crs(39.0, hypotension=True, pressors=("norepinephrine", "phenylephrine")), 4,
                 False, "norepinephrine, phenylephrine", id="CRS-07"),
    # The primary's own example: the more severe component decides.
    pytest.param(crs(38.4, hypotension=True, pressors=("dopamine",),
                     device="nasal_cannula", flow=2), 3,
                 False, "one vasopressor (dopamine)", id="CRS-08"),
    # Tocilizumab given for established CRS: fever no longer required.
    pytest.param(crs(37.2, masked=True, hypotension=True, pressors=("norepinephrine",)), 3,
                 False, "one vasopressor", id="CRS-09"),
    # Acetaminophen for established CRS also masks; BiPAP is positive pressure.
    pytest.param(crs(36.9, masked=True, device="bipap"), 4,
                 False, "BiPAP (positive pressure)", id="CRS-10"),
    # The grade-4 ALT rise and creatinine 3x baseline are outside the CRS findings
    # vocabulary: organ toxicities never change the CRS grade (graded in CTCAE).
    pytest.param(crs(38.2), 1, False, "without hypotension or hypoxia", id="CRS-11"),
    # Documented E. coli bacteraemia explains the fever.
    pytest.param(crs(38.3, other=True), 0,
                 False, "fever explained by another cause", id="CRS-12"),
    pytest.param(crs(37.0, masked=True), 0, True, "resolved or not CRS", id="CRS-13"),
    pytest.param(crs(38.5, hypotension=True, pressors=("vasopressin",)), 3,
                 True, "vasopressin alone", id="CRS-14"),
    pytest.param({"fatal": True}, 5, False, "death due to CRS", id="CRS-15"),
]


@pytest.mark.parametrize(("findings", "expected", "is_ambiguous", "reason_part"), VECTORS)
def test_vector(findings: dict[str, Any], expected: int, is_ambiguous: bool,
                reason_part: str) -> None:
    g = grade_crs(findings)
    assert g.value == expected
    assert g.scale == SCALE
    assert g.reason.startswith(f"grade {expected}: ") and "\n" not in g.reason
    assert reason_part in g.reason
    # AMBIGUOUS rows carry the flag; every other row must not.
    assert g.is_ambiguous is is_ambiguous
    # The vectors are fully assessed, so nothing is provisional.
    assert not is_provisional(g)


def test_seed_case_is_grade_3_because_of_dopamine() -> None:
    g = grade_crs({"temperature_c": 39.6, "fever_masked": False, "hypotension": True,
                   "vasopressors": ["dopamine"], "oxygen_device": "none"})
    assert (g.value, g.flags) == (3, ())
    assert g.reason == "grade 3: one vasopressor (dopamine)"
    assert g.details["hypotension_component"] == 3
    assert g.details["oxygen_component"] == 0
    assert g.details["vasopressors_counted"] == 1


# --- boundaries ---------------------------------------------------------------

@pytest.mark.parametrize(("temp", "expected"), [(38.0, 1), (37.9, 0), (38, 1), (41.0, 1)])
def test_fever_is_38_inclusive(temp: float, expected: int) -> None:
    g = grade_crs(crs(temp))
    assert g.value == expected and g.flags == ()


@pytest.mark.parametrize(("flow", "expected", "criterion"), [
    (6, 2, "<= 6 L/min"), (6.0, 2, "<= 6 L/min"), (6.1, 3, "> 6 L/min"), (0.5, 2, "low flow"),
])
def test_nasal_cannula_6_is_low_flow(flow: float, expected: int, criterion: str) -> None:
    g = grade_crs(crs(38.5, device="nasal_cannula", flow=flow))
    assert g.value == expected and criterion in g.reason and g.flags == ()
    assert g.details["oxygen_component"] == expected


def test_temperature_rounded_half_up_across_the_cut_point_is_flagged() -> None:
    g = grade_crs(crs(37.95))
    assert g.value == 1 and g.is_ambiguous
    assert g.details["temperature_rounded_c"] == 38.0
    below = grade_crs(crs(37.94))
    assert below.value == 0 and below.flags == ()


def test_flow_rounded_across_the_cut_point_is_flagged() -> None:
    g = grade_crs(crs(38.5, device="nasal_cannula", flow=6.04))
    assert g.value == 2 and g.is_ambiguous
    # Part A 1.1: the crossing is flagged even when a vasopressor already gives
    # grade 3 (1.0's code flagged it only where it changed the grade).
    g = grade_crs(crs(38.5, hypotension=True, pressors=("dopamine",),
                      device="nasal_cannula", flow=6.04))
    assert g.value == 3 and g.is_ambiguous and len(g.flags) == 1


@pytest.mark.parametrize(("device", "expected"), [
    ("none", 1), ("blow_by", 2), ("facemask", 3), ("non_rebreather", 3), ("venturi", 3),
    ("cpap", 4), ("bipap", 4), ("mechanical_ventilation", 4),
])
def test_every_oxygen_device(device: str, expected: int) -> None:
    assert grade_crs(crs(38.5, device=device)).value == expected


# --- vasopressors -------------------------------------------------------------

def test_vasopressor_names_are_compared_case_insensitively() -> None:
    g = grade_crs(crs(38.5, hypotension=True, pressors=("Norepinephrine", " VASOPRESSIN ")))
    assert g.value == 3 and g.flags == () and g.details["vasopressors_counted"] == 1
    alone = grade_crs(crs(38.5, hypotension=True, pressors=("Vasopressin",)))
    assert alone.value == 3 and alone.is_ambiguous
    assert alone.details["vasopressors_counted"] == 0


def test_the_same_vasopressor_twice_is_one() -> None:
    g = grade_crs(crs(38.5, hypotension=True, pressors=("dopamine", "Dopamine")))
    assert g.value == 3 and g.details["vasopressors_counted"] == 1


def test_vasopressin_alone_is_not_flagged_when_oxygen_decides() -> None:
    g = grade_crs(crs(38.5, hypotension=True, pressors=("vasopressin",), device="facemask"))
    assert g.value == 3 and not g.is_ambiguous
    g = grade_crs(crs(38.5, hypotension=True, pressors=("vasopressin",), device="cpap"))
    assert g.value == 4 and not g.is_ambiguous


def test_afebrile_unmasked_is_not_crs_whatever_the_components() -> None:
    g = grade_crs(crs(37.0, hypotension=True, pressors=("a", "b"), device="mechanical_ventilation"))
    assert g.value == 0 and g.flags == ()


def test_fatal_is_5() -> None:
    assert grade_crs(crs(37.0, fatal=True)).value == 5
    assert grade_crs(crs(38.5, fatal=False)).value == 1


def test_unknown_oxygen_device_is_an_error() -> None:
    with pytest.raises(HemalogError, match="oxygen_device"):
        grade_crs(crs(38.5, device="hfnc"))


# --- missing is not zero ------------------------------------------------------

def test_missing_oxygen_makes_the_grade_provisional() -> None:
    f = crs(38.5, hypotension=True)
    del f["oxygen_device"]
    g = grade_crs(f)
    assert g.value == 2 and is_provisional(g) and not g.is_ambiguous
    assert "oxygen not assessed" in g.reason
    assert g.details["oxygen_component"] is None


def test_missing_hypotension_makes_the_grade_provisional() -> None:
    f = crs(38.5, device="facemask")
    del f["hypotension"], f["vasopressors"]
    g = grade_crs(f)
    assert g.value == 3 and is_provisional(g)
    assert "hypotension not assessed" in g.reason
    assert g.details["hypotension_component"] is None


def test_missing_finding_that_cannot_raise_the_grade_is_not_flagged() -> None:
    f = crs(38.5, device="cpap")
    del f["hypotension"], f["vasopressors"]
    g = grade_crs(f)
    assert g.value == 4 and g.flags == ()


def test_missing_temperature_without_masking_is_provisional_grade_0() -> None:
    g = grade_crs(crs(None, hypotension=True, pressors=("dopamine",)))
    assert g.value == 0 and is_provisional(g)
    assert "temperature not assessed" in g.reason


def test_missing_temperature_with_masking_lets_the_components_decide() -> None:
    g = grade_crs(crs(None, masked=True, hypotension=True, pressors=("dopamine",)))
    assert g.value == 3 and g.flags == ()


def test_hypotension_without_a_vasopressor_list_is_provisional() -> None:
    f = crs(38.5, hypotension=True)
    del f["vasopressors"]
    g = grade_crs(f)
    assert g.value == 2 and is_provisional(g) and "vasopressors not assessed" in g.reason


def test_blank_fever_masked_means_not_masked() -> None:
    # Part A 1.1 "Absent qualifiers": absent fever_masked is false, not "not assessed".
    f = crs(37.0, hypotension=True, pressors=("dopamine",))
    del f["fever_masked"]
    g = grade_crs(f)
    assert g.value == 0 and g.flags == ()
    f = crs(37.0)
    del f["fever_masked"]
    assert grade_crs(f).flags == ()


# --- properties ---------------------------------------------------------------

PRESSORS = ("norepinephrine", "vasopressin", "dopamine", "phenylephrine", "epinephrine",
            "Vasopressin")
# More intensive devices have a higher rank; devices of one rank grade alike.
DEVICE_RANK = {"none": 0, "blow_by": 1, "nasal_cannula": 2, "facemask": 3,
               "non_rebreather": 3, "venturi": 3, "cpap": 4, "bipap": 4,
               "mechanical_ventilation": 4}

temperatures = st.integers(350, 415).map(lambda t: t / 10)
flows = st.integers(1, 150).map(lambda f: f / 10)
findings = st.fixed_dictionaries({
    "temperature_c": temperatures,
    "fever_other_cause": st.booleans(),
    "fever_masked": st.booleans(),
    "hypotension": st.booleans(),
    "vasopressors": st.lists(st.sampled_from(PRESSORS), max_size=3),
    "oxygen_device": st.sampled_from(sorted(DEVICE_RANK)),
    "oxygen_l_min": flows,
})


def _worse(f: dict[str, Any], data: st.DataObject, what: str) -> dict[str, Any]:
    """The same findings with one of them made worse."""
    worse = dict(f)
    if what == "temperature":
        worse["temperature_c"] = f["temperature_c"] + data.draw(st.integers(0, 40)) / 10
    elif what == "hypotension":
        worse["hypotension"] = True
    elif what == "vasopressor":
        worse["vasopressors"] = [*f["vasopressors"], data.draw(st.sampled_from(PRESSORS))]
    elif what == "device":
        rank = DEVICE_RANK[f["oxygen_device"]]
        worse["oxygen_device"] = data.draw(
            st.sampled_from(sorted(d for d, r in DEVICE_RANK.items() if r >= rank)))
    else:
        worse["oxygen_l_min"] = f["oxygen_l_min"] + data.draw(flows)
    return worse


@pytest.mark.parametrize("what", ["temperature", "hypotension", "vasopressor", "device", "flow"])
@PROPERTY
@given(f=findings, data=st.data())
def test_a_worse_finding_never_lowers_the_grade(what: str, f: dict[str, Any],
                                                data: st.DataObject) -> None:
    assert grade_crs(_worse(f, data, what)).value >= grade_crs(f).value


@PROPERTY
@given(f=st.fixed_dictionaries({}, optional={
    "temperature_c": temperatures, "fever_other_cause": st.booleans(),
    "fever_masked": st.booleans(), "hypotension": st.booleans(),
    "vasopressors": st.lists(st.sampled_from(PRESSORS), max_size=3),
    "oxygen_device": st.sampled_from(sorted(DEVICE_RANK)), "oxygen_l_min": flows,
    "fatal": st.booleans()}))
def test_any_findings_give_a_grade_with_a_one_line_reason(f: dict[str, Any]) -> None:
    g = grade_crs(f)
    assert g.value in range(6) and g.scale == SCALE
    assert g.reason.startswith(f"grade {g.value}: ") and "\n" not in g.reason
    # A provisional grade says in its reason what was not assessed.
    assert is_provisional(g) == ("not assessed" in g.reason)
