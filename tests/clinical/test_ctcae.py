"""CTCAE haematology grading: clinical-vectors.md section E and every cut-point."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinical.grading.ctcae import CTCAE_V5, CTCAE_V6, febrile_neutropenia, grade_count, worst_grade
from clinical.grading.result import PROVISIONAL, Grade
from clinical.record import Lab, LabTest


def is_provisional(g: Grade) -> bool:
    return any(f.startswith(PROVISIONAL) for f in g.flags)


# (test, value, lln, keyword arguments, expected grade); rows with sub-cases list them all.
Case = tuple[str, float, float | None, dict[str, Any], int | None]

CTC_ROWS = [
    pytest.param([("anc", 1.5, 2.0, {}, 1)], id="CTC-01"),
    pytest.param([("anc", 1.49, None, {}, 2), ("anc", 1.49, 2.0, {}, 2)], id="CTC-02"),
    pytest.param([("anc", 1.0, None, {}, 2)], id="CTC-03"),
    pytest.param([("anc", 0.5, None, {}, 3)], id="CTC-04"),
    pytest.param([("anc", 0.49, None, {}, 4)], id="CTC-05"),
    pytest.param([("anc", 1.8, 1.8, {}, 0)], id="CTC-06"),
    pytest.param([("anc", 1.7, None, {}, None)], id="CTC-07"),
    pytest.param([("plt", 75, 150, {}, 1), ("plt", 74, 150, {}, 2), ("plt", 50, 150, {}, 2),
                  ("plt", 25, 150, {}, 3), ("plt", 24, 150, {}, 4)], id="CTC-08"),
    pytest.param([("hb", 100, 120, {}, 1), ("hb", 99, 120, {}, 2), ("hb", 80, 120, {}, 2),
                  ("hb", 79, 120, {}, 3)], id="CTC-09"),
    pytest.param([("hb", 95, 120, {"transfusion_indicated": True}, 3)], id="CTC-11"),
    pytest.param([("wbc", 3.0, 4.0, {}, 1), ("wbc", 2.99, 4.0, {}, 2), ("wbc", 1.0, 4.0, {}, 3),
                  ("wbc", 0.99, 4.0, {}, 4)], id="CTC-12"),
    pytest.param([("alc", 0.8, 1.0, {}, 1), ("alc", 0.5, 1.0, {}, 2), ("alc", 0.2, 1.0, {}, 3),
                  ("alc", 0.19, 1.0, {}, 4)], id="CTC-13"),
    pytest.param([("anc", 0.4, None, {"version": CTCAE_V5}, 4),
                  ("anc", 0.4, None, {"version": CTCAE_V6}, 3)], id="CTC-19"),
    pytest.param([("plt", 15, 150, {"version": CTCAE_V5}, 4),
                  ("plt", 15, 150, {"version": CTCAE_V6}, 3)], id="CTC-20"),
]


@pytest.mark.parametrize("cases", CTC_ROWS)
def test_ctcae_vectors(cases: list[Case]) -> None:
    for test, value, lln, kwargs, expected in cases:
        g = grade_count(test, value, lln, **kwargs)
        assert g.value == expected, (test, value, lln, kwargs, g.reason)
        assert not g.is_ambiguous, g.flags
        assert g.scale == kwargs.get("version", CTCAE_V5)
        assert g.reason


def test_ctc_07_null_is_provisional_not_zero() -> None:
    g = grade_count(LabTest.ANC, 1.7, None)
    assert g.value is None
    assert is_provisional(g)
    assert "LLN" in g.reason


def test_ctc_19_20_term_names() -> None:
    assert grade_count("plt", 15, 150, version=CTCAE_V5).details["term"] == "Platelet count decreased"
    assert grade_count("plt", 15, 150, version=CTCAE_V6).details["term"] == "Thrombocytopenia"


@pytest.mark.parametrize("row", [pytest.param(None, id="CTC-10")])
def test_ctc_10_mmol_per_litre_is_graded_in_g_per_litre(row: None) -> None:
    g = grade_count("hb", 4.90, None, unit="mmol/L")
    assert g.value == 3  # 4.90 mmol/L = 7.9 g/dL = 79 g/L
    assert g.is_ambiguous
    flag = next(f for f in g.flags if f.startswith("ambiguous"))
    assert "mmol/L" in flag and "grade 2" in flag
    assert g.details["mmol_l_bin_grade"] == 2


FN_ROWS = [
    pytest.param(0.9, 38.3, None, None, id="CTC-14"),
    pytest.param(0.9, 38.4, None, 3, id="CTC-15"),
    pytest.param(0.9, 38.0, 61, 3, id="CTC-16"),
    pytest.param(0.9, 38.0, 60, None, id="CTC-17"),
    pytest.param(1.0, 39.0, None, None, id="CTC-18"),
]


@pytest.mark.parametrize(("anc", "temp", "minutes", "expected"), FN_ROWS)
def test_febrile_neutropenia_vectors(anc: float, temp: float, minutes: float | None,
                                     expected: int | None) -> None:
    g = febrile_neutropenia(anc, temp, minutes)
    assert g.value == expected, g.reason
    assert not g.is_ambiguous
    assert g.scale == CTCAE_V5
    if expected is None:
        assert g.reason.startswith("not febrile neutropenia")


def test_ctc_18_fever_with_anc_grade_2() -> None:
    g = febrile_neutropenia(1.0, 39.0)
    assert g.value is None and g.details["fever"] is True
    assert grade_count("anc", 1.0, None).value == 2


def test_ctc_14_unrecorded_duration_is_provisional() -> None:
    # 38.3 °C for more than an hour would be FN; without the duration we say so.
    assert is_provisional(febrile_neutropenia(0.9, 38.3))
    assert not febrile_neutropenia(0.9, 38.3, 0).flags
    assert not febrile_neutropenia(0.9, 37.5).flags  # never reached 38.0


# --- boundaries: the cut value itself belongs to the milder grade -------------

BOUNDARIES = [
    # test, version, lln, value at the cut -> grade, value just below -> grade
    ("anc", CTCAE_V5, 2.0, 0.5, 3, 0.49, 4),
    ("anc", CTCAE_V5, 2.0, 1.0, 2, 0.99, 3),
    ("anc", CTCAE_V5, 2.0, 1.5, 1, 1.49, 2),
    ("anc", CTCAE_V5, 2.0, 2.0, 0, 1.99, 1),
    ("plt", CTCAE_V5, 150, 25, 3, 24.9, 4),
    ("plt", CTCAE_V5, 150, 50, 2, 49.9, 3),
    ("plt", CTCAE_V5, 150, 75, 1, 74.9, 2),
    ("plt", CTCAE_V5, 150, 150, 0, 149, 1),
    ("wbc", CTCAE_V5, 4.0, 1.0, 3, 0.99, 4),
    ("wbc", CTCAE_V5, 4.0, 2.0, 2, 1.99, 3),
    ("wbc", CTCAE_V5, 4.0, 3.0, 1, 2.99, 2),
    ("wbc", CTCAE_V5, 4.0, 4.0, 0, 3.99, 1),
    ("alc", CTCAE_V5, 1.0, 0.2, 3, 0.19, 4),
    ("alc", CTCAE_V5, 1.0, 0.5, 2, 0.49, 3),
    ("alc", CTCAE_V5, 1.0, 0.8, 1, 0.79, 2),
    ("alc", CTCAE_V5, 1.0, 1.0, 0, 0.99, 1),
    ("hb", CTCAE_V5, 120, 80, 2, 79.9, 3),
    ("hb", CTCAE_V5, 120, 100, 1, 99.9, 2),
    ("hb", CTCAE_V5, 120, 120, 0, 119.9, 1),
    ("anc", CTCAE_V6, None, 0.1, 3, 0.09, 4),
    ("anc", CTCAE_V6, None, 0.5, 2, 0.49, 3),
    ("anc", CTCAE_V6, None, 1.0, 1, 0.99, 2),
    ("anc", CTCAE_V6, None, 1.5, 0, 1.49, 1),
    ("plt", CTCAE_V6, 150, 10, 3, 9.9, 4),
    ("plt", CTCAE_V6, 150, 50, 2, 49.9, 3),
    ("plt", CTCAE_V6, 150, 75, 1, 74.9, 2),
    ("wbc", CTCAE_V6, 4.0, 1.0, 3, 0.99, 4),
    ("hb", CTCAE_V6, 120, 80, 2, 79.9, 3),
]


@pytest.mark.parametrize(("test", "version", "lln", "at", "at_grade", "below", "below_grade"), BOUNDARIES,
                         ids=[f"{b[0]}-{b[1][-4:]}-{b[3]}" for b in BOUNDARIES])
def test_cut_points(test: str, version: str, lln: float | None, at: float, at_grade: int,
                    below: float, below_grade: int) -> None:
    assert grade_count(test, at, lln, version=version).value == at_grade
    assert grade_count(test, below, lln, version=version).value == below_grade


def test_lln_at_or_below_grade_2_cut_makes_grade_1_unreachable() -> None:
    assert grade_count("alc", 0.8, 0.8).value == 0
    assert grade_count("alc", 0.79, 0.8).value == 2
    assert grade_count("alc", 0.85, 0.7).value == 0


def test_missing_lln_does_not_matter_below_the_grade_2_cut() -> None:
    g = grade_count("plt", 74, None)
    assert g.value == 2 and not g.flags
    assert grade_count("anc", 1.7, None, version=CTCAE_V6).value == 0  # v6.0 ANC has no LLN arm


def test_haemoglobin_units() -> None:
    assert grade_count("hb", 7.9, 12.0, unit="g/dL").value == 3
    assert grade_count("hb", 8.0, 12.0, unit="g/dL").value == 2
    assert grade_count("hb", 10.0, 12.0, unit="g/dL").value == 1
    assert grade_count("hb", 9.99, 12.0, unit="g/dL").value == 2
    assert grade_count("hb", 12.0, 12.0, unit="g/dL").value == 0
    assert grade_count("hb", 110, 120, unit="g/L").value == 1


def test_mmol_per_litre_flag_names_the_bin_grade_even_when_equal() -> None:
    g = grade_count("hb", 5.5, None, unit="mmol/L")  # 88.6 g/L: grade 2 either way
    assert g.value == 2 and g.is_ambiguous and "grade 2" in g.flags[0]
    # 6.2 mmol/L is 99.9 g/L (grade 2) but the mmol/L bin "<6.2" is not met.
    g = grade_count("hb", 6.2, 7.5, unit="mmol/L")
    assert g.value == 2 and g.details["mmol_l_bin_grade"] == 1


def test_transfusion_indicated_never_lowers_and_is_hb_only() -> None:
    assert grade_count("hb", 70, 120, transfusion_indicated=True).value == 3
    assert grade_count("hb", 130, None, transfusion_indicated=True).value == 3
    with pytest.raises(ValueError):
        grade_count("plt", 10, 150, transfusion_indicated=True)


def test_v6_lymphocytes_flag_the_unverified_cut_offs() -> None:
    g = grade_count("alc", 0.4, 1.0, version=CTCAE_V6)
    assert g.value == 3 and g.is_ambiguous


@pytest.mark.parametrize(("args", "kwargs"), [
    (("crp", 10, None), {}),
    (("nonsense", 1.0, None), {}),
    (("anc", -0.1, None), {}),
    (("anc", float("nan"), None), {}),
    (("anc", 1.0, None), {"version": "CTCAE v4.03"}),
    (("anc", 1.0, None), {"unit": "g/L"}),
    (("plt", 100, None), {"unit": "mmol/L"}),
])
def test_bad_input_is_refused(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        grade_count(*args, **kwargs)


def test_fn_boundaries() -> None:
    assert febrile_neutropenia(0.99, 38.4).value == 3
    assert febrile_neutropenia(1.0, 38.4).value is None
    assert febrile_neutropenia(0.9, 38.31).value == 3
    assert febrile_neutropenia(0.9, 38.3, 60.5).value == 3
    assert febrile_neutropenia(0.9, 38.0, 60).value is None
    g = febrile_neutropenia(0.9, None, None)
    assert g.value is None and is_provisional(g)


# --- worst grade over a date range -------------------------------------------


def _lab(d: date, value: float, lln: float | None = 2.0, test: LabTest = LabTest.ANC) -> Lab:
    return Lab(date=d, test=test, value=value, unit="10^9/L", lln=lln)


def test_worst_grade_names_the_deciding_date_and_value() -> None:
    labs = [
        _lab(date(2025, 6, 1), 1.8),
        _lab(date(2025, 6, 2), 0.4),
        _lab(date(2025, 6, 3), 0.3),  # also grade 4: the earlier date decides
        _lab(date(2025, 6, 9), 0.01),  # outside the range
        _lab(date(2025, 6, 2), 10.0, test=LabTest.WBC),
    ]
    g = worst_grade(labs, "anc", date(2025, 6, 1), date(2025, 6, 8))
    assert g.value == 4
    assert "2025-06-02" in g.reason and "0.4" in g.reason
    assert g.details["count"] == 3
    assert not g.flags


def test_worst_grade_open_bounds_and_empty_range() -> None:
    labs = [_lab(date(2025, 6, 1), 1.2), _lab(date(2025, 6, 9), 0.8)]
    assert worst_grade(labs, LabTest.ANC, None, None).value == 3
    assert worst_grade(labs, LabTest.ANC, date(2025, 6, 2), None).value == 3
    assert worst_grade(labs, LabTest.ANC, None, date(2025, 6, 8)).value == 2
    empty = worst_grade(labs, LabTest.ANC, date(2025, 7, 1), None)
    assert empty.value is None and "no anc values" in empty.reason


def test_worst_grade_with_missing_lln() -> None:
    only_ungraded = worst_grade([_lab(date(2025, 6, 1), 1.7, None)], "anc", None, None)
    assert only_ungraded.value is None and is_provisional(only_ungraded)
    # A grade 0 next to a value without LLN might really be grade 1.
    mixed = worst_grade([_lab(date(2025, 6, 1), 2.5), _lab(date(2025, 6, 2), 1.7, None)], "anc", None, None)
    assert mixed.value == 0 and is_provisional(mixed)
    # A grade 2 cannot be beaten by a value above the grade-2 cut.
    firm = worst_grade([_lab(date(2025, 6, 1), 1.2), _lab(date(2025, 6, 2), 1.7, None)], "anc", None, None)
    assert firm.value == 2 and not firm.flags


# --- property: a lower count never gives a lower grade ------------------------

FIXED_LLN = {"anc": 2.0, "plt": 150.0, "wbc": 4.0, "alc": 1.0, "hb": 120.0}


@given(
    test=st.sampled_from(sorted(FIXED_LLN)),
    version=st.sampled_from([CTCAE_V5, CTCAE_V6]),
    a=st.floats(min_value=0, max_value=400, allow_nan=False, allow_infinity=False),
    b=st.floats(min_value=0, max_value=400, allow_nan=False, allow_infinity=False),
)
def test_lower_count_never_lower_grade(test: str, version: str, a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    g_low = grade_count(test, low, FIXED_LLN[test], version=version).value
    g_high = grade_count(test, high, FIXED_LLN[test], version=version).value
    assert g_low is not None and g_high is not None
    assert g_low >= g_high
