"""ASTCT 2019 ICANS grading: every row of clinical-vectors.md §B, boundaries, properties."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.errors import HemalogError
from clinical.grading.icans import capd_score_from_items, grade_icans, ice_score_from_items
from clinical.grading.result import PROVISIONAL, Grade

# Pure functions: the autouse home-folder fixture is harmless between examples,
# and no example database is written into the shared tree.
PROPERTY = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

SCALE = "ASTCT 2019"
# Every non-cognitive domain assessed and normal.
NORMAL: dict[str, Any] = {"consciousness": "alert", "seizure": "none", "motor": "none",
                          "cerebral_edema": "none"}


def icans(**changes: Any) -> dict[str, Any]:
    """Fully assessed findings: NORMAL with the given domains changed."""
    return {**NORMAL, **changes}


def is_provisional(g: Grade) -> bool:
    return any(flag.startswith(PROVISIONAL) for flag in g.flags)


ICANS_16_ITEMS = {"eye_contact": "often", "purposeful": "sometimes", "aware": "often",
                  "communicates": "rarely", "restless": "sometimes", "inconsolable": "never",
                  "underactive": "rarely", "slow_to_respond": "never"}

# (findings, keyword arguments, expected grade, AMBIGUOUS row?, text the reason must contain)
VECTORS = [
    pytest.param(icans(ice_score=7), {}, 1, False, "ICE score 7 (7-9)", id="ICANS-01"),
    pytest.param(icans(ice_score=6), {}, 2, False, "ICE score 6 (3-6)", id="ICANS-02"),
    pytest.param(icans(ice_score=10, consciousness="awakens_to_voice"), {}, 2,
                 False, "awakens only to voice", id="ICANS-03"),
    # The primary's own example: ICE 3 (grade 2) plus a generalized seizure (grade 3).
    pytest.param(icans(ice_score=3, seizure="rapidly_resolving"), {}, 3,
                 False, "seizure", id="ICANS-04"),
    # Awake with global aphasia: ICE 0 while alert.
    pytest.param(icans(ice_score=0), {}, 3, False, "ICE score 0 (0-2)", id="ICANS-05"),
    pytest.param(icans(ice_score=0, consciousness="unarousable"), {}, 4,
                 False, "unarousable", id="ICANS-06"),
    pytest.param(icans(ice_score=9, cerebral_edema="focal"), {}, 3,
                 False, "focal cerebral oedema", id="ICANS-07"),
    # New hemiparesis is deep focal motor weakness.
    pytest.param(icans(ice_score=8, motor="deep_focal_weakness"), {}, 4,
                 False, "deep focal motor weakness", id="ICANS-08"),
    # Tremor and myoclonus are outside the ICANS findings vocabulary (they are
    # excluded from ICANS and graded in CTCAE), so the record holds only ICE 10
    # and normal domains.
    pytest.param(icans(ice_score=10), {}, 0, False, "no other ICANS finding", id="ICANS-09"),
    pytest.param(icans(ice_score=2), {}, 3, False, "ICE score 2 (0-2)", id="ICANS-10"),
    # A seizure lasting 6 min (> 5 min) is life-threatening. Nothing else was
    # assessed, yet nothing missing could raise grade 4, so it is not provisional.
    pytest.param({"seizure": "life_threatening"}, {}, 4, False, "seizure", id="ICANS-11"),
    # Year, month, city yes, hospital no (3); names 3/3; follows a command;
    # cannot write; counts backwards (1): 3 + 3 + 1 + 0 + 1 = 8.
    pytest.param(icans(ice_items={"orientation": 3, "naming": 3, "commands": 1,
                                  "writing": 0, "attention": 1}), {}, 1,
                 False, "ICE score 8 (7-9)", id="ICANS-12"),
    # Subdural haematoma with surrounding oedema is intracranial haemorrhage,
    # excluded from ICANS (graded in CTCAE): the oedema is not recorded as an
    # ICANS finding, so cerebral_edema stays "none" and ICE 9 decides.
    pytest.param(icans(ice_score=9), {}, 1, False, "ICE score 9 (7-9)", id="ICANS-13"),
    pytest.param(icans(consciousness="awakens_spontaneously"),
                 {"age_years": 8, "capd_score": 8}, 1, False, "CAPD 8 (1-8)", id="ICANS-14"),
    pytest.param(icans(consciousness="awakens_to_voice"),
                 {"age_years": 8, "capd_score": 8}, 2,
                 False, "awakens only to voice", id="ICANS-15"),
    pytest.param(icans(), {"age_years": 6, "capd_items": ICANS_16_ITEMS}, 3,
                 False, "CAPD 10 (>= 9)", id="ICANS-16"),
    # A cooperative 12-year-old does the ICE (normal here).
    pytest.param(icans(ice_score=10), {"age_years": 12}, 0,
                 True, "ICE score 10", id="ICANS-17"),
    pytest.param(icans(), {"age_years": 5, "capd_score": 0}, 0, True, "CAPD 0", id="ICANS-18"),
]


@pytest.mark.parametrize(("findings", "kwargs", "expected", "is_ambiguous", "reason_part"),
                         VECTORS)
def test_vector(findings: dict[str, Any], kwargs: dict[str, Any], expected: int,
                is_ambiguous: bool, reason_part: str) -> None:
    g = grade_icans(findings, **kwargs)
    assert g.value == expected
    assert g.scale == SCALE
    assert g.reason.startswith(f"grade {expected}: ") and "\n" not in g.reason
    assert reason_part in g.reason
    # AMBIGUOUS rows carry the flag; every other row must not.
    assert g.is_ambiguous is is_ambiguous
    assert not is_provisional(g)


def test_icans_12_score_comes_from_the_items() -> None:
    g = grade_icans(icans(ice_items={"orientation": 3, "naming": 3, "commands": 1,
                                     "writing": 0, "attention": 1}))
    assert g.details["ice_score"] == 8 and g.details["instrument"] == "ICE"


def test_icans_16_capd_items_score_10() -> None:
    assert capd_score_from_items(ICANS_16_ITEMS) == 10
    g = grade_icans(icans(), age_years=6, capd_items=ICANS_16_ITEMS)
    assert g.details["capd_score"] == 10 and g.details["instrument"] == "CAPD"


def test_icans_17_uses_ice_at_exactly_12() -> None:
    g = grade_icans(icans(ice_score=6), age_years=12, capd_score=0)
    assert g.value == 2 and g.details["instrument"] == "ICE" and g.is_ambiguous


# --- boundaries ---------------------------------------------------------------

@pytest.mark.parametrize(("ice", "expected", "band"), [
    (10, 0, "10"), (9, 1, "7-9"), (7, 1, "7-9"), (6, 2, "3-6"), (3, 2, "3-6"),
    (2, 3, "0-2"), (0, 3, "0-2"),
])
def test_ice_cut_points(ice: int, expected: int, band: str) -> None:
    g = grade_icans(icans(ice_score=ice))
    assert g.value == expected and g.flags == ()
    assert f"ICE score {ice}" in g.reason and (expected == 0 or f"({band})" in g.reason)


@pytest.mark.parametrize(("capd", "expected"), [(0, 0), (1, 1), (8, 1), (9, 3), (32, 3)])
def test_capd_cut_points(capd: int, expected: int) -> None:
    g = grade_icans(icans(), age_years=8, capd_score=capd)
    assert g.value == expected
    assert g.is_ambiguous is (capd == 0)


def test_capd_0_is_not_flagged_when_another_domain_decides() -> None:
    g = grade_icans(icans(consciousness="awakens_to_voice"), age_years=5, capd_score=0)
    assert g.value == 2 and g.flags == ()


@pytest.mark.parametrize(("consciousness", "expected"), [
    ("alert", 0), ("awakens_spontaneously", 1), ("awakens_to_voice", 2),
    ("awakens_to_touch", 3), ("unarousable", 4),
])
def test_every_level_of_consciousness(consciousness: str, expected: int) -> None:
    assert grade_icans(icans(ice_score=10, consciousness=consciousness)).value == expected


def test_diffuse_oedema_is_4() -> None:
    assert grade_icans(icans(ice_score=10, cerebral_edema="diffuse")).value == 4


@pytest.mark.parametrize(("age", "instrument", "flagged"), [
    (11.9, "CAPD", False), (12, "ICE", True), (12.5, "ICE", True), (13, "ICE", False),
    (None, "ICE", False),
])
def test_the_age_chooses_the_screen(age: float | None, instrument: str, flagged: bool) -> None:
    g = grade_icans(icans(ice_score=8), age_years=age, capd_score=9)
    assert g.details["instrument"] == instrument
    assert g.value == (3 if instrument == "CAPD" else 1)
    assert g.is_ambiguous is flagged


def test_capd_alone_is_used_for_an_older_patient() -> None:
    # ASTCT also uses the CAPD for older patients with developmental delay.
    g = grade_icans(icans(), age_years=30, capd_score=4)
    assert g.value == 1 and g.details["instrument"] == "CAPD" and g.flags == ()


def test_fatal_is_5() -> None:
    g = grade_icans({"fatal": True})
    assert g.value == 5 and "death" in g.reason


# --- validation ---------------------------------------------------------------

def test_ice_score_from_items() -> None:
    assert ice_score_from_items({"orientation": 4, "naming": 3, "commands": 1,
                                 "writing": 1, "attention": 1}) == 10
    with pytest.raises(HemalogError, match="naming"):
        ice_score_from_items({"orientation": 4, "naming": 4, "commands": 1,
                              "writing": 1, "attention": 1})
    with pytest.raises(HemalogError, match="attention"):
        ice_score_from_items({"orientation": 4, "naming": 3, "commands": 1, "writing": 1})


def test_ice_score_and_items_that_disagree_are_an_error() -> None:
    items = {"orientation": 3, "naming": 3, "commands": 1, "writing": 0, "attention": 1}
    with pytest.raises(HemalogError, match="ice_score"):
        grade_icans(icans(ice_score=9, ice_items=items))
    assert grade_icans(icans(ice_score=8, ice_items=items)).value == 1


def test_bad_capd_input_is_an_error() -> None:
    with pytest.raises(HemalogError, match="capd_score"):
        grade_icans(icans(), age_years=6, capd_score=9, capd_items=ICANS_16_ITEMS)
    with pytest.raises(HemalogError, match="restless"):
        capd_score_from_items({**ICANS_16_ITEMS, "restless": "sometimes?"})


def test_unknown_domain_value_is_an_error() -> None:
    with pytest.raises(HemalogError, match="seizure"):
        grade_icans(icans(ice_score=10, seizure="tonic_clonic"))


# --- missing is not zero ------------------------------------------------------

def test_missing_domains_make_the_grade_provisional() -> None:
    g = grade_icans({"ice_score": 10, "consciousness": "alert"})
    assert g.value == 0 and is_provisional(g) and not g.is_ambiguous
    assert "seizure, motor, cerebral oedema not assessed" in g.reason
    assert g.details["domains"]["seizure"] is None


def test_missing_ice_is_provisional() -> None:
    g = grade_icans(icans(consciousness="awakens_spontaneously"))
    assert g.value == 1 and is_provisional(g) and "ICE not assessed" in g.reason


def test_a_missing_screen_cannot_raise_a_grade_of_3() -> None:
    # ICE and CAPD reach grade 3 at most; the other domains reach 4.
    g = grade_icans(icans(seizure="rapidly_resolving"))
    assert g.value == 3 and g.flags == ()


def test_ice_under_12_is_not_used_for_grading() -> None:
    g = grade_icans(icans(ice_score=2), age_years=8)
    assert g.value == 0 and is_provisional(g) and "CAPD not assessed" in g.reason
    assert g.details["ice_score_not_used"] is True


# --- properties ---------------------------------------------------------------

ORDERS: dict[str, tuple[str, ...]] = {
    "consciousness": ("alert", "awakens_spontaneously", "awakens_to_voice",
                      "awakens_to_touch", "unarousable"),
    "seizure": ("none", "rapidly_resolving", "life_threatening"),
    "motor": ("none", "deep_focal_weakness"),
    "cerebral_edema": ("none", "focal", "diffuse"),
}
findings = st.fixed_dictionaries({"ice_score": st.integers(0, 10),
                                  **{k: st.sampled_from(v) for k, v in ORDERS.items()}})


@pytest.mark.parametrize("what", ["ice_score", *ORDERS])
@PROPERTY
@given(f=findings, data=st.data())
def test_a_worse_finding_never_lowers_the_grade(what: str, f: dict[str, Any],
                                                data: st.DataObject) -> None:
    worse = dict(f)
    if what == "ice_score":
        worse["ice_score"] = data.draw(st.integers(0, f["ice_score"]))
    else:
        order = ORDERS[what]
        worse[what] = data.draw(st.sampled_from(order[order.index(f[what]):]))
    assert grade_icans(worse).value >= grade_icans(f).value


@PROPERTY
@given(f=findings, capd=st.integers(0, 31), more=st.integers(1, 10), age=st.integers(1, 11))
def test_a_higher_capd_never_lowers_the_grade(f: dict[str, Any], capd: int, more: int,
                                              age: int) -> None:
    worse = min(capd + more, 32)
    assert (grade_icans(f, age_years=age, capd_score=worse).value
            >= grade_icans(f, age_years=age, capd_score=capd).value)


@PROPERTY
@given(f=st.fixed_dictionaries({}, optional={
    "ice_score": st.integers(0, 10), "fatal": st.booleans(),
    **{k: st.sampled_from(v) for k, v in ORDERS.items()}}))
def test_any_findings_give_a_grade_with_a_one_line_reason(f: dict[str, Any]) -> None:
    g = grade_icans(f)
    assert g.value in range(6) and g.scale == SCALE
    assert g.reason.startswith(f"grade {g.value}: ") and "\n" not in g.reason
    assert is_provisional(g) == ("not assessed" in g.reason)
    # Filling in a missing domain as normal never changes the grade computed.
    assert grade_icans({**NORMAL, **f}).value == g.value
