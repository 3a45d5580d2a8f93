"""NIH 2014 chronic GVHD global severity: every vector of clinical-vectors.md §D and more."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinical.errors import HemalogError
from clinical.grading.cgvhd import ORGANS, SEVERITIES, fev1_lung_score, grade_cgvhd
from clinical.grading.result import AMBIGUOUS, PROVISIONAL, Grade

RANK = {s: i for i, s in enumerate(SEVERITIES)}


def scores(**given_scores: int | None) -> dict[str, Any]:
    """Every organ assessed at 0 ("unlisted organs = 0"); None removes an organ."""
    f: dict[str, Any] = {**dict.fromkeys(ORGANS, 0), **given_scores}
    return {k: v for k, v in f.items() if v is not None}


def ambiguous_flags(g: Grade) -> list[str]:
    return [f for f in g.flags if f.startswith(AMBIGUOUS)]


# (findings, keyword arguments, severity, ambiguous?, provisional flags)
VECTORS = [
    pytest.param(scores(skin=1, mouth=1, lungs=0), {}, "mild", False, (), id="NIH-01"),
    pytest.param(scores(skin=1, mouth=1, eyes=1), {}, "moderate", False, (), id="NIH-02"),
    pytest.param(scores(lungs=1), {}, "moderate", False, (), id="NIH-03"),
    pytest.param(scores(eyes=2), {}, "moderate", False, (), id="NIH-04"),
    pytest.param(scores(lungs=2), {}, "severe", False, (), id="NIH-05"),
    pytest.param(scores(joints_fascia=3), {}, "severe", False, (), id="NIH-06"),
    pytest.param(scores(skin=None), {"skin_components": (1, 3)}, "severe", False, (),
                 id="NIH-07"),
    # NIH 2014 reading (the recommended one); NIH 2005 is test_nih_08_under_nih_2005.
    pytest.param(scores(lungs=None), {"lung_symptom_score": 2, "lung_fev1_pct": 85}, "none",
                 True, (), id="NIH-08"),
    pytest.param(scores(liver=2, mouth=1), {"excluded_organs": ("liver",)}, "mild", False, (),
                 id="NIH-09"),
    pytest.param(scores(liver=2), {}, "moderate", False, (), id="NIH-10"),
    pytest.param(scores(skin=1, mouth=1, lungs=None), {}, "mild", False,
                 (f"{PROVISIONAL}: lungs not assessed",), id="NIH-11"),
]


@pytest.mark.parametrize(("f", "kwargs", "severity", "is_ambiguous", "provisional"), VECTORS)
def test_vector(f: dict[str, Any], kwargs: dict[str, Any], severity: str, is_ambiguous: bool,
                provisional: tuple[str, ...]) -> None:
    g = grade_cgvhd(f, **kwargs)
    assert g.value == severity
    assert g.scale == "NIH 2014"
    assert g.reason.startswith(f"{severity}: ")
    assert "\n" not in g.reason
    assert g.is_ambiguous is is_ambiguous
    assert len(ambiguous_flags(g)) == (1 if is_ambiguous else 0)
    assert tuple(f for f in g.flags if f.startswith(PROVISIONAL)) == provisional


def test_nih_08_under_nih_2005() -> None:
    g = grade_cgvhd(scores(lungs=None), lung_symptom_score=2, lung_fev1_pct=85, version="NIH 2005")
    assert g.value == "severe"
    assert g.scale == "NIH 2005"
    assert g.details["scores"]["lungs"] == 2
    assert g.is_ambiguous


def test_nih_08_flag_names_the_other_reading() -> None:
    g = grade_cgvhd(scores(lungs=None), lung_symptom_score=2, lung_fev1_pct=85)
    assert g.details["scores"]["lungs"] == 0
    (flag,) = g.flags
    assert "NIH 2005" in flag and "symptom score 2" in flag


def test_nih_07_skin_is_higher_component() -> None:
    g = grade_cgvhd(scores(skin=None), skin_components=(1, 3))
    assert g.details["scores"]["skin"] == 3
    assert g.reason == "severe: skin score 3 (any organ 3)"


def test_nih_09_reason_names_exclusion() -> None:
    g = grade_cgvhd(scores(liver=2, mouth=1), excluded_organs=("liver",))
    assert g.reason == "mild: one organ scores 1 (mouth); liver excluded (other cause)"
    assert g.details["scores"]["liver"] is None
    assert g.details["excluded"] == ["liver"]


def test_nih_11_reason_names_missing_lung() -> None:
    g = grade_cgvhd(scores(skin=1, mouth=1, lungs=None))
    assert g.reason == "mild: two organs score 1 (skin, mouth); lungs not assessed"
    assert g.details["scores"]["lungs"] is None


@pytest.mark.parametrize(("f", "kwargs", "reason"), [
    (scores(lungs=2), {}, "severe: lungs score 2 (lung >= 2)"),
    (scores(skin=1, mouth=1, eyes=1), {}, "moderate: three organs score 1 (skin, mouth, eyes)"),
    (scores(), {}, "none: all organs score 0"),
    (scores(eyes=2), {}, "moderate: eyes score 2 (non-lung organ 2)"),
    (scores(lungs=1), {}, "moderate: lungs score 1 (lung 1)"),
    (scores(lungs=None), {"lung_fev1_pct": 45}, "severe: lungs score 2 (lung >= 2; FEV1 45%)"),
    (scores(gi=None), {}, "none: all assessed organs score 0; GI tract not assessed"),
])
def test_reason_wording(f: dict[str, Any], kwargs: dict[str, Any], reason: str) -> None:
    assert grade_cgvhd(f, **kwargs).reason == reason


# -- lung from FEV1 -------------------------------------------------------------------

@pytest.mark.parametrize(("fev1", "score", "flagged"), [
    (100, 0, False), (80, 0, False), (79, 1, False), (60, 1, False), (59, 2, False),
    (40, 2, False), (39, 3, False), (0, 3, False), (80.0, 0, False), (79.5, 0, True),
    (79.4, 1, True), (59.5, 1, True), (59.4, 2, True), (39.5, 2, True), (39.4, 3, True), (80.4, 0, False),
])
def test_fev1_cut_points(fev1: float, score: int, flagged: bool) -> None:
    assert fev1_lung_score(fev1)[0] == score
    g = grade_cgvhd(scores(lungs=None), lung_fev1_pct=fev1)
    assert g.details["scores"]["lungs"] == score
    assert g.value == ("none", "moderate", "severe", "severe")[score]
    assert g.is_ambiguous is flagged


def test_fev1_overrides_entered_lung_score_under_nih_2014() -> None:
    g = grade_cgvhd(scores(lungs=2), lung_fev1_pct=90)
    assert g.value == "none" and g.is_ambiguous
    assert grade_cgvhd(scores(lungs=2), lung_fev1_pct=90, version="NIH 2005").value == "severe"


def test_symptom_score_alone_is_used() -> None:
    g = grade_cgvhd(scores(lungs=None), lung_symptom_score=1)
    assert g.value == "moderate" and not g.flags


def test_agreeing_lung_sources_are_not_flagged() -> None:
    g = grade_cgvhd(scores(lungs=None), lung_symptom_score=3, lung_fev1_pct=30)
    assert g.value == "severe" and not g.flags


# -- mixed attribution, missing, validation -------------------------------------------

def test_excluded_lung_ignores_fev1() -> None:
    g = grade_cgvhd(scores(mouth=1), lung_fev1_pct=30, excluded_organs={"lungs"})
    assert g.value == "mild" and not g.flags


def test_nothing_assessed() -> None:
    g = grade_cgvhd({})
    assert g.value == "none"
    assert len(g.flags) == len(ORGANS) and not g.is_ambiguous


@pytest.mark.parametrize(("f", "kwargs"), [
    (scores(skin=4), {}),
    (scores(skin=True), {}),
    (scores(skin=1.0), {}),
    (scores(skin=1), {"skin_components": (1, 3)}),      # entered skin contradicts components
    (scores(), {"skin_components": (0, 4)}),
    (scores(), {"lung_symptom_score": 5}),
    (scores(), {"lung_fev1_pct": float("nan")}),
])
def test_invalid_scores_raise(f: dict[str, Any], kwargs: dict[str, Any]) -> None:
    with pytest.raises(HemalogError):
        grade_cgvhd(f, **kwargs)


@pytest.mark.parametrize("kwargs", [{"version": "NIH 2020"}, {"excluded_organs": ("spleen",)}])
def test_unknown_version_or_organ_is_a_programming_error(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        grade_cgvhd(scores(), **kwargs)


# -- monotonicity ---------------------------------------------------------------------

_organ_scores = st.fixed_dictionaries(
    {}, optional={organ: st.integers(0, 3) for organ in ORGANS})


@settings(max_examples=300, deadline=None, database=None)
@given(_organ_scores, st.sampled_from(ORGANS), st.integers(1, 3),
       st.sampled_from(["NIH 2014", "NIH 2005"]))
def test_a_higher_organ_score_never_lowers_severity(f: dict[str, int], organ: str, step: int,
                                                     version: str) -> None:
    before = grade_cgvhd(f, version=version).value
    worse = dict(f)
    # A higher score for an assessed organ, or any score for one not assessed.
    worse[organ] = min(3, f[organ] + step) if organ in f else step - 1
    assert RANK[grade_cgvhd(worse, version=version).value] >= RANK[before]


@settings(max_examples=100, deadline=None, database=None)
@given(_organ_scores, st.floats(0, 120, allow_nan=False), st.floats(0, 120, allow_nan=False))
def test_a_lower_fev1_never_lowers_severity(f: dict[str, int], a: float, b: float) -> None:
    high, low = max(a, b), min(a, b)
    assert RANK[grade_cgvhd(f, lung_fev1_pct=low).value] >= \
        RANK[grade_cgvhd(f, lung_fev1_pct=high).value]
