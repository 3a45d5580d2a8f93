"""MAGIC 2016 acute GVHD: every vector of clinical-vectors.md §C, cut-points and monotonicity."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinical.errors import HemalogError
from clinical.grading.agvhd import (IBMTR_SCALE, KEYSTONE_SCALE, SCALE, grade_agvhd,
                                    ibmtr_index, keystone_grade)
from clinical.grading.result import AMBIGUOUS, PROVISIONAL, Grade

# Every organ assessed and at stage 0, so a vector changes only what it names.
BASE: dict[str, Any] = {"skin_rash_bsa_pct": 0, "skin_bullae": False, "bilirubin_mg_dl": 0.5,
                        "upper_gi_persistent": False, "stool_ml_day": 0,
                        "severe_abdominal_pain": False, "bloody_stool": False}
ZERO = {"skin": 0, "liver": 0, "upper_gi": 0, "lower_gi": 0}


def findings(**changes: Any) -> dict[str, Any]:
    """BASE with changes applied; a change to None removes the finding."""
    f = {**BASE, **changes}
    return {k: v for k, v in f.items() if v is not None}


def child(ml_kg: float) -> dict[str, Any]:
    return findings(stool_ml_day=None, stool_ml_kg_day=ml_kg)


def episodes_only(n: int) -> dict[str, Any]:
    return findings(stool_ml_day=None, stool_episodes_day=n)


def ambiguous_flags(g: Grade) -> list[str]:
    return [f for f in g.flags if f.startswith(AMBIGUOUS)]


# (findings, grade, non-zero stages, ambiguous?)
VECTORS = [
    pytest.param(findings(bilirubin_mg_dl=1.9), 0, {}, False, id="GVHD-01"),
    pytest.param(findings(bilirubin_mg_dl=2.0), 2, {"liver": 1}, False, id="GVHD-02"),
    pytest.param(findings(bilirubin_mg_dl=3.0), 2, {"liver": 1}, False, id="GVHD-03"),
    pytest.param(findings(bilirubin_mg_dl=3.1), 3, {"liver": 2}, False, id="GVHD-04"),
    pytest.param(findings(bilirubin_mg_dl=6.0), 3, {"liver": 2}, False, id="GVHD-05"),
    pytest.param(findings(bilirubin_mg_dl=6.1), 3, {"liver": 3}, False, id="GVHD-06"),
    pytest.param(findings(bilirubin_mg_dl=15.0), 3, {"liver": 3}, False, id="GVHD-07"),
    pytest.param(findings(bilirubin_mg_dl=15.1), 4, {"liver": 4}, False, id="GVHD-08"),
    pytest.param(findings(bilirubin_mg_dl=3.05), 3, {"liver": 2}, True, id="GVHD-09"),
    pytest.param(findings(bilirubin_mg_dl=None, bilirubin_umol_l=51), 2, {"liver": 1}, False,
                 id="GVHD-10"),
    pytest.param(findings(stool_ml_day=499), 0, {}, False, id="GVHD-11"),
    pytest.param(findings(stool_ml_day=500), 2, {"lower_gi": 1}, False, id="GVHD-12"),
    pytest.param(findings(stool_ml_day=999), 2, {"lower_gi": 1}, False, id="GVHD-13"),
    pytest.param(findings(stool_ml_day=1000), 3, {"lower_gi": 2}, False, id="GVHD-14"),
    pytest.param(findings(stool_ml_day=1500), 3, {"lower_gi": 2}, False, id="GVHD-15"),
    pytest.param(findings(stool_ml_day=1501), 3, {"lower_gi": 3}, False, id="GVHD-16"),
    pytest.param(episodes_only(4), 2, {"lower_gi": 1}, False, id="GVHD-17"),
    pytest.param(episodes_only(5), 3, {"lower_gi": 2}, False, id="GVHD-18"),
    pytest.param(findings(stool_ml_day=450, stool_episodes_day=5), 0, {}, True, id="GVHD-19"),
    pytest.param(child(9.95), 2, {"lower_gi": 1}, True, id="GVHD-20"),
    pytest.param(child(20.0), 3, {"lower_gi": 2}, False, id="GVHD-21"),
    pytest.param(child(30.0), 3, {"lower_gi": 2}, False, id="GVHD-22"),
    pytest.param(child(31.0), 3, {"lower_gi": 3}, False, id="GVHD-23"),
    # AMBIGUOUS in the vectors, but its "hemalog:" wording fixes the answer (adult
    # episode cut-offs always; the findings carry no weight) and asks for no flag.
    pytest.param(episodes_only(3), 2, {"lower_gi": 1}, False, id="GVHD-24"),
    pytest.param(findings(stool_ml_day=300, bloody_stool=True), 4, {"lower_gi": 4}, False,
                 id="GVHD-25"),
    pytest.param(findings(stool_ml_day=300), 0, {}, False, id="GVHD-26"),  # biopsy is no finding
    pytest.param(findings(skin_rash_bsa_pct=50), 1, {"skin": 2}, False, id="GVHD-27"),
    pytest.param(findings(skin_rash_bsa_pct=51), 2, {"skin": 3}, False, id="GVHD-28"),
    pytest.param(findings(skin_rash_bsa_pct=100), 2, {"skin": 3}, False, id="GVHD-29"),
    pytest.param(findings(skin_rash_bsa_pct=100, skin_bullae=True), 4, {"skin": 4}, False,
                 id="GVHD-30"),
    pytest.param(findings(skin_rash_bsa_pct=10, upper_gi_persistent=True), 2,
                 {"skin": 1, "upper_gi": 1}, False, id="GVHD-31"),
    pytest.param(findings(skin_rash_bsa_pct=60, bilirubin_mg_dl=4.0, upper_gi_persistent=True), 3,
                 {"skin": 3, "liver": 2, "upper_gi": 1}, False, id="GVHD-32"),
    pytest.param(findings(stool_ml_day=300, severe_abdominal_pain=True), 4, {"lower_gi": 4}, False,
                 id="GVHD-33"),
    pytest.param(findings(skin_rash_bsa_pct=30, stool_ml_day=600), 2,
                 {"skin": 2, "lower_gi": 1}, False, id="GVHD-34"),
    pytest.param(findings(skin_rash_bsa_pct=10), 1, {"skin": 1}, False, id="GVHD-35"),
]

ROMAN = ("0", "I", "II", "III", "IV")


@pytest.mark.parametrize(("f", "grade", "stages", "is_ambiguous"), VECTORS)
def test_vector(f: dict[str, Any], grade: int, stages: dict[str, int], is_ambiguous: bool) -> None:
    g = grade_agvhd(f)
    assert g.value == grade
    assert g.scale == SCALE
    assert g.details["stages"] == {**ZERO, **stages}
    assert g.reason.startswith(f"grade {ROMAN[grade]}: ")
    assert "\n" not in g.reason
    assert g.is_ambiguous is is_ambiguous
    assert len(ambiguous_flags(g)) == (1 if is_ambiguous else 0)
    assert not any(flag.startswith(PROVISIONAL) for flag in g.flags)


def test_gvhd_09_flag_names_raw_and_rounded() -> None:
    g = grade_agvhd(findings(bilirubin_mg_dl=3.05))
    assert "3.05" in g.flags[0] and "3.1" in g.flags[0]
    assert g.reason == "grade III: liver stage 2 (bilirubin 3.1 mg/dL, 3.1-6.0)"


def test_gvhd_10_converts_before_rounding() -> None:
    g = grade_agvhd(findings(bilirubin_mg_dl=None, bilirubin_umol_l=51))
    assert g.details["compared"]["bilirubin_mg_dl"] == 3.0
    assert "51 µmol/L = 3.0 mg/dL" in g.reason


def test_gvhd_19_flag_names_episode_stage() -> None:
    (flag,) = grade_agvhd(findings(stool_ml_day=450, stool_episodes_day=5)).flags
    assert "stage 2" in flag and "5 episodes" in flag


def test_gvhd_20_flag_names_raw_and_rounded() -> None:
    (flag,) = grade_agvhd(child(9.95)).flags
    assert "9.95" in flag and "10.0" in flag


def test_reason_wording() -> None:
    assert grade_agvhd(findings()).reason == "grade 0: no organ involved"
    assert grade_agvhd(findings(skin_rash_bsa_pct=60, bilirubin_mg_dl=4.0)).reason == \
        "grade III: liver stage 2 (bilirubin 4.0 mg/dL, 3.1-6.0)"
    assert grade_agvhd(findings(skin_rash_bsa_pct=60)).reason == \
        "grade II: skin stage 3 (rash 60% BSA, >50%)"
    assert grade_agvhd(episodes_only(8)).reason == \
        "grade III: lower GI stage 3 (8 episodes/day, >7)"


# -- the other scales (vectors GVHD-33..35) ---------------------------------------------

@pytest.mark.parametrize(("f", "magic", "ibmtr", "keystone"), [
    pytest.param(findings(stool_ml_day=300, severe_abdominal_pain=True), 4, "D", 3, id="GVHD-33"),
    pytest.param(findings(skin_rash_bsa_pct=30, stool_ml_day=600), 2, "B", 2, id="GVHD-34"),
    pytest.param(findings(skin_rash_bsa_pct=10), 1, "A", 1, id="GVHD-35"),
])
def test_other_scales(f: dict[str, Any], magic: int, ibmtr: str, keystone: int) -> None:
    g = grade_agvhd(f)
    assert g.value == magic
    assert ibmtr_index(g.details["stages"]) == ibmtr
    assert keystone_grade(g.details["stages"]) == keystone
    assert (IBMTR_SCALE, KEYSTONE_SCALE) == ("IBMTR 1997", "Keystone 1994")


@pytest.mark.parametrize(("stages", "index"), [
    ({}, "none"),
    ({"skin": 1}, "A"),
    ({"skin": 2}, "B"),
    ({"liver": 1}, "B"),
    ({"upper_gi": 1}, "B"),          # gut = max(upper, lower)
    ({"skin": 1, "lower_gi": 2}, "B"),
    ({"skin": 3}, "C"),
    ({"liver": 3, "skin": 1}, "C"),
    ({"lower_gi": 4}, "D"),
    ({"skin": 4, "liver": None}, "D"),
])
def test_ibmtr_index(stages: dict[str, int | None], index: str) -> None:
    assert ibmtr_index({**ZERO, **stages}) == index


@pytest.mark.parametrize(("stages", "grade"), [
    ({}, 0),
    ({"skin": 2}, 1),
    ({"skin": 3}, 2),
    ({"liver": 1}, 2),
    ({"upper_gi": 1}, 0),            # gut = lower GI only (nausea needs histology)
    ({"lower_gi": 1}, 2),
    ({"lower_gi": 4}, 3),            # gut 4 is III in Keystone, IV in MAGIC
    ({"liver": 3}, 3),
    ({"liver": 4}, 4),
    ({"skin": 4}, 4),
])
def test_keystone_grade(stages: dict[str, int], grade: int) -> None:
    assert keystone_grade({**ZERO, **stages}) == grade


# -- cut-points ---------------------------------------------------------------------------

@pytest.mark.parametrize(("bilirubin", "stage", "flagged"), [
    (1.94, 0, False), (1.95, 1, True), (1.99, 1, True), (2.0, 1, False), (3.0, 1, False),
    (3.04, 1, True), (3.05, 2, True), (3.1, 2, False), (6.0, 2, False), (6.04, 2, True),
    (6.05, 3, True), (6.1, 3, False), (15.0, 3, False), (15.04, 3, True), (15.05, 4, False),
    (15.1, 4, False), (0, 0, False), (2, 1, False),
])
def test_bilirubin_mg_dl_cut_points(bilirubin: float, stage: int, flagged: bool) -> None:
    g = grade_agvhd(findings(bilirubin_mg_dl=bilirubin))
    assert g.details["stages"]["liver"] == stage
    assert g.is_ambiguous is flagged


@pytest.mark.parametrize(("umol", "mg", "stage", "flagged"), [
    (34, 2.0, 1, True),      # 1.988 rounds up across "< 2.0"
    (34.2, 2.0, 1, False),
    (51, 3.0, 1, False),     # 2.982 -> 3.0 stays in 2.0-3.0 (bloodref's 51-102 bin says 2)
    (51.3, 3.0, 1, False),
    (52, 3.0, 1, True),      # 3.041: between the rows 3.0 and 3.1
    (53, 3.1, 2, True),      # 3.099
    (53.01, 3.1, 2, False),
    (102.6, 6.0, 2, False),
    (104.31, 6.1, 3, False),
    (256.5, 15.0, 3, False),
    (257, 15.0, 3, True),    # 15.03 is "> 15.0" as written, 15.0 after rounding
    (258.21, 15.1, 4, False),
])
def test_bilirubin_umol_cut_points(umol: float, mg: float, stage: int, flagged: bool) -> None:
    g = grade_agvhd(findings(bilirubin_mg_dl=None, bilirubin_umol_l=umol))
    assert g.details["compared"]["bilirubin_mg_dl"] == mg
    assert g.details["stages"]["liver"] == stage
    assert g.is_ambiguous is flagged


@pytest.mark.parametrize(("stool", "stage", "flagged"), [
    (499, 0, False), (500, 1, False), (999, 1, False), (1000, 2, False), (1500, 2, False),
    (1501, 3, False), (499.4, 0, False), (499.5, 1, True), (999.5, 2, True), (1500.4, 2, True),
    (1500.5, 3, False), (0, 0, False),
])
def test_stool_volume_cut_points(stool: float, stage: int, flagged: bool) -> None:
    g = grade_agvhd(findings(stool_ml_day=stool))
    assert g.details["stages"]["lower_gi"] == stage
    assert g.is_ambiguous is flagged


@pytest.mark.parametrize(("episodes", "stage"), [
    (0, 0), (2, 0), (3, 1), (4, 1), (5, 2), (7, 2), (8, 3), (20, 3),
])
def test_episode_cut_points(episodes: int, stage: int) -> None:
    g = grade_agvhd(episodes_only(episodes))
    assert g.details["stages"]["lower_gi"] == stage
    assert not g.flags


@pytest.mark.parametrize(("ml_kg", "stage", "flagged"), [
    (9.9, 0, False), (9.94, 0, False), (9.95, 1, True), (10, 1, False), (19.9, 1, False),
    (19.95, 2, True), (20, 2, False), (30, 2, False), (30.04, 2, True), (30.1, 3, False),
])
def test_stool_per_kg_cut_points(ml_kg: float, stage: int, flagged: bool) -> None:
    g = grade_agvhd(child(ml_kg))
    assert g.details["stages"]["lower_gi"] == stage
    assert g.is_ambiguous is flagged


# Part A 1.1: rash % is rounded half-up to a whole percent before staging
# (24.9 -> 25 is stage 2, flagged; under 1.0's code it was stage 1 unflagged).
@pytest.mark.parametrize(("rash", "stage", "flagged"), [
    (0, 0, False), (0.5, 1, False), (24, 1, False), (24.9, 2, True), (25, 2, False),
    (50, 2, False), (50.5, 3, False), (51, 3, False), (100, 3, False),
])
def test_rash_cut_points(rash: float, stage: int, flagged: bool) -> None:
    g = grade_agvhd(findings(skin_rash_bsa_pct=rash))
    assert g.details["stages"]["skin"] == stage
    assert g.is_ambiguous is flagged and len(g.flags) == (1 if flagged else 0)


# -- missing findings, disagreements, validation ------------------------------------------

@pytest.mark.parametrize(("removed", "organ", "name"), [
    (("skin_rash_bsa_pct", "skin_bullae"), "skin", "skin"),
    (("bilirubin_mg_dl",), "liver", "liver"),
    (("upper_gi_persistent",), "upper_gi", "upper GI"),
    (("stool_ml_day", "severe_abdominal_pain", "bloody_stool"), "lower_gi", "lower GI"),
])
def test_missing_organ_is_provisional_not_zero(removed: tuple[str, ...], organ: str,
                                               name: str) -> None:
    g = grade_agvhd(findings(**dict.fromkeys(removed)))
    assert g.details["stages"][organ] is None
    assert g.value == 0
    assert g.flags == (f"{PROVISIONAL}: {name} not assessed",)
    assert not g.is_ambiguous
    assert g.reason == f"grade 0: no organ involved; {name} not assessed"


def test_missing_organ_does_not_hide_the_others() -> None:
    g = grade_agvhd(findings(bilirubin_mg_dl=None, stool_ml_day=1200))
    assert g.value == 3
    assert g.reason == "grade III: lower GI stage 2 (stool 1200 mL/day, 1000-1500); liver not assessed"


def test_nothing_assessed() -> None:
    g = grade_agvhd({})
    assert g.value == 0
    assert g.details["stages"] == dict.fromkeys(ZERO)
    assert len(g.flags) == 4 and all(f.startswith(PROVISIONAL) for f in g.flags)
    assert g.reason == "grade 0: no organ assessed"


def test_stage_four_lower_gi_without_volume_is_assessed() -> None:
    g = grade_agvhd(findings(stool_ml_day=None, severe_abdominal_pain=True))
    assert g.details["stages"]["lower_gi"] == 4 and not g.flags


def test_agreeing_volume_and_episodes_are_not_flagged() -> None:
    g = grade_agvhd(findings(stool_ml_day=700, stool_episodes_day=4))
    assert g.details["stages"]["lower_gi"] == 1 and not g.flags


def test_per_kg_volume_wins_over_mL_per_day_and_flags_disagreement() -> None:
    g = grade_agvhd(findings(stool_ml_day=400, stool_ml_kg_day=20.0))
    assert g.details["stages"]["lower_gi"] == 2
    assert g.is_ambiguous and "400 mL/day" in g.flags[0]


def test_episodes_compared_with_per_kg_volume() -> None:
    g = grade_agvhd(findings(stool_ml_day=None, stool_ml_kg_day=5.0, stool_episodes_day=8))
    assert g.details["stages"]["lower_gi"] == 0
    assert g.is_ambiguous


@pytest.mark.parametrize("f", [
    findings(skin_rash_bsa_pct=50, skin_bullae=True),
    findings(skin_rash_bsa_pct=None, skin_bullae=True),
    findings(bilirubin_umol_l=40),
    findings(bilirubin_mg_dl=-1),
    findings(bilirubin_mg_dl=float("nan")),
    findings(skin_rash_bsa_pct=101),
])
def test_invalid_findings_raise(f: dict[str, Any]) -> None:
    with pytest.raises(HemalogError, match=r"^findings\."):
        grade_agvhd(f)


# -- monotonicity ------------------------------------------------------------------------

_rash = st.one_of(st.none(), st.integers(0, 100), st.floats(0, 100, allow_nan=False))
_bilirubin = st.floats(0, 40, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def agvhd_findings(draw: st.DrawFn) -> dict[str, Any]:
    """Any valid findings, some organs possibly not assessed."""
    f: dict[str, Any] = {}
    rash = draw(_rash)
    if rash is not None:
        f["skin_rash_bsa_pct"] = rash
        f["skin_bullae"] = rash > 50 and draw(st.booleans())
    if draw(st.booleans()):
        f["bilirubin_mg_dl"] = draw(_bilirubin)
    elif draw(st.booleans()):
        f["bilirubin_umol_l"] = draw(st.floats(0, 700, allow_nan=False).map(lambda x: round(x, 1)))
    for key, value in (("upper_gi_persistent", st.booleans()),
                       ("stool_ml_day", st.floats(0, 3000, allow_nan=False).map(lambda x: round(x, 1))),
                       ("stool_episodes_day", st.integers(0, 15)),
                       ("stool_ml_kg_day", st.floats(0, 50, allow_nan=False).map(lambda x: round(x, 2))),
                       ("severe_abdominal_pain", st.booleans()), ("bloody_stool", st.booleans())):
        if draw(st.booleans()):
            f[key] = draw(value)
    return f


_NUMERIC = ("skin_rash_bsa_pct", "bilirubin_mg_dl", "bilirubin_umol_l", "stool_ml_day",
            "stool_episodes_day", "stool_ml_kg_day")
_LIMITS = {"skin_rash_bsa_pct": 100, "bilirubin_mg_dl": 60, "bilirubin_umol_l": 1000,
           "stool_ml_day": 5000, "stool_episodes_day": 30, "stool_ml_kg_day": 100}
_BOOLEANS = ("upper_gi_persistent", "severe_abdominal_pain", "bloody_stool", "skin_bullae")


@settings(max_examples=300, deadline=None, database=None)
@given(agvhd_findings(), st.data())
def test_a_worse_finding_never_lowers_the_grade(f: dict[str, Any], data: st.DataObject) -> None:
    before = grade_agvhd(f).value
    worse = dict(f)
    choices = [k for k in _NUMERIC if k in f] + [k for k in _BOOLEANS if not f.get(k)]
    if f.get("skin_rash_bsa_pct", 0) <= 50:
        choices = [k for k in choices if k != "skin_bullae"]   # bullae need rash > 50
    if not choices:
        return
    key = data.draw(st.sampled_from(choices))
    if key in _NUMERIC:
        if isinstance(f[key], int):
            worse[key] = data.draw(st.integers(f[key], _LIMITS[key]))
        else:
            worse[key] = data.draw(st.floats(f[key], _LIMITS[key], allow_nan=False))
    else:
        worse[key] = True
    assert grade_agvhd(worse).value >= before
