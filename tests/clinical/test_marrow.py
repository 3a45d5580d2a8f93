"""MRD, chimerism, ALL response and Deauville: clinical-vectors.md sections F (CHI) and G."""

from __future__ import annotations

from typing import Any

import pytest

from clinical.grading.result import PROVISIONAL, Grade
from clinical.marrow import all_response, chimerism_category, deauville_from_uptake, mrd_negative


def is_provisional(g: Grade) -> bool:
    return any(f.startswith(PROVISIONAL) for f in g.flags)


# --- MRD ----------------------------------------------------------------------------

MRD_ROWS = [
    pytest.param(0, 0.01, True, "MRD CR", id="MRD-01"),  # LOD 10^-4 = 0.01 %
    pytest.param(0, 0.1, None, "MRD intermediate", id="MRD-02"),  # LOD 10^-3 = 0.1 %
    pytest.param(0.005, None, True, "MRD intermediate", id="MRD-03"),
    pytest.param(0.02, None, False, "MRD failure", id="MRD-04"),
]


@pytest.mark.parametrize(("mrd", "lod", "expected", "category"), MRD_ROWS)
def test_mrd_vectors(mrd: float, lod: float | None, expected: bool | None, category: str) -> None:
    g = mrd_negative(mrd, lod)
    assert g.value is expected, g.reason
    assert g.details["category"] == category
    assert not g.is_ambiguous


def test_mrd_02_and_03_reasons() -> None:
    assert "insufficient sensitivity" in mrd_negative(0, 0.1).reason
    assert "detected, below 10^-4" in mrd_negative(0.005).reason


@pytest.mark.parametrize("row", [pytest.param(None, id="MRD-05")])
def test_mrd_05_exactly_0_01_is_positive(row: None) -> None:
    g = mrd_negative(0.01)
    assert g.value is False
    assert g.is_ambiguous


def test_mrd_boundaries_and_missing() -> None:
    assert mrd_negative(0.0099).value is True
    assert mrd_negative(0.0101).value is False
    assert mrd_negative(0, 0.001).value is True  # more sensitive than 10^-4
    assert mrd_negative(0).value is True  # LOD absent: taken as 0.01 (record format)
    assert "not recorded" in mrd_negative(0).reason
    assert mrd_negative(0, 0.0101).value is None
    none = mrd_negative(None)
    assert none.value is None and not none.flags
    with pytest.raises(ValueError):
        mrd_negative(-0.1)


# --- chimerism -----------------------------------------------------------------------

CHI_ROWS = [
    pytest.param(96, 97, "full_donor", id="CHI-01"),
    pytest.param(98, 80, "mixed", id="CHI-03"),
    pytest.param(3, None, "autologous_reconstitution", id="CHI-04"),
]


@pytest.mark.parametrize(("donor", "lymphoid", "expected"), CHI_ROWS)
def test_chimerism_vectors(donor: float, lymphoid: float | None, expected: str) -> None:
    g = chimerism_category(donor, lymphoid_pct=lymphoid)
    assert g.value == expected, g.reason
    assert not g.is_ambiguous


def test_chi_03_reason_says_lineage_split() -> None:
    assert "lineage" in chimerism_category(98, lymphoid_pct=80).reason


@pytest.mark.parametrize("row", [pytest.param(None, id="CHI-02")])
def test_chi_02_exactly_95_is_mixed(row: None) -> None:
    g = chimerism_category(95.0)
    assert g.value == "mixed"
    assert g.is_ambiguous


@pytest.mark.parametrize(("donor", "lymphoid", "expected", "flagged"), [
    (95.01, None, "full_donor", False),
    (95.0, 99.0, "mixed", True),  # only the exact 95 keeps it from full
    (95.0, 80.0, "mixed", False),  # mixed under every source
    (5.0, None, "mixed", False),
    (4.99, None, "autologous_reconstitution", False),
    (4.0, 60.0, "mixed", False),
    (100.0, 100.0, "full_donor", False),
    (0.0, None, "autologous_reconstitution", False),
])
def test_chimerism_boundaries(donor: float, lymphoid: float | None, expected: str, flagged: bool) -> None:
    g = chimerism_category(donor, lymphoid_pct=lymphoid)
    assert g.value == expected
    assert g.is_ambiguous is flagged


def test_chimerism_out_of_range() -> None:
    with pytest.raises(ValueError):
        chimerism_category(100.5)
    with pytest.raises(ValueError):
        chimerism_category(50, lymphoid_pct=-1)


# --- ALL response ---------------------------------------------------------------------

ALL_ROWS = [
    pytest.param((4.9, 1.2, 150), {"weeks_sustained": 4}, {"CIBMTR": "CR", "BBMT 2010": "CR", "ASH": "CR",
                                                          "NCCN": "CR"}, id="ALL-01"),
    pytest.param((5.0, 1.5, 150), {"weeks_sustained": 4}, {"CIBMTR": "not CR", "ASH": "not CR"}, id="ALL-02"),
    pytest.param((3.0, 0.8, 150), {}, {"CIBMTR": "CRi", "ASH": "CRi"}, id="ALL-03"),
]


@pytest.mark.parametrize(("counts", "kwargs", "expected"), ALL_ROWS)
def test_all_response_vectors(counts: tuple[float, float, float], kwargs: dict[str, Any],
                              expected: dict[str, str]) -> None:
    for criteria, value in expected.items():
        g = all_response(*counts, criteria=criteria, **kwargs)
        assert g.value == value, (criteria, g.reason)
        assert not g.is_ambiguous
        assert criteria in g.scale


@pytest.mark.parametrize("row", [pytest.param(None, id="ALL-04")])
def test_all_04_counts_exactly_at_the_cut_points(row: None) -> None:
    cibmtr = all_response(2.0, 1.0, 100, weeks_sustained=4)
    assert cibmtr.value == "CR" and cibmtr.is_ambiguous
    ash = all_response(2.0, 1.0, 100, criteria="ASH")
    assert ash.value == "not CR" and ash.is_ambiguous


@pytest.mark.parametrize("row", [pytest.param(None, id="ALL-05")])
def test_all_05_two_weeks_is_unconfirmed_under_cibmtr(row: None) -> None:
    cibmtr = all_response(2.0, 1.5, 150, weeks_sustained=2)
    assert cibmtr.value == "not CR"
    assert "not yet CR (unconfirmed)" in cibmtr.reason
    assert cibmtr.details["confirmed"] is False
    assert not cibmtr.is_ambiguous
    ash = all_response(2.0, 1.5, 150, weeks_sustained=2, criteria="ASH")
    assert ash.value == "CR" and not ash.is_ambiguous


def test_all_response_boundaries_and_missing() -> None:
    assert all_response(4.99, 1.0, 100, weeks_sustained=4).value == "CR"
    assert all_response(4.99, 0.99, 100, weeks_sustained=4).value == "CRi"
    assert all_response(4.99, 1.0, 99.9, weeks_sustained=4).value == "CRi"
    assert all_response(4.99, 1.01, 100.1, criteria="ASH").value == "CR"
    assert all_response(4.99, 0.99, 150, criteria="ASH").value == "CRi"
    assert all_response(1.0, 2.0, 200, extramedullary=True, weeks_sustained=8).value == "not CR"
    assert all_response(1.0, 2.0, 200, weeks_sustained=4).details["confirmed"] is True
    no_duration = all_response(1.0, 2.0, 200)
    assert no_duration.value == "CR" and is_provisional(no_duration)
    no_counts = all_response(1.0, None, 200, weeks_sustained=4)
    assert no_counts.value == "CRi" and is_provisional(no_counts)
    no_blasts = all_response(None, 2.0, 200)
    assert no_blasts.value is None and is_provisional(no_blasts)
    with pytest.raises(ValueError):
        all_response(1.0, 2.0, 200, criteria="WHO")


# --- Deauville -------------------------------------------------------------------------

DV_ROWS = [
    pytest.param("le_mediastinum", 2, id="DV-01"),
    pytest.param("gt_mediastinum_le_liver", 3, id="DV-02"),
    pytest.param("new_not_lymphoma", "X", id="DV-03"),
]


@pytest.mark.parametrize(("category", "expected"), DV_ROWS)
def test_deauville_vectors(category: str, expected: int | str) -> None:
    assert deauville_from_uptake(category) == expected


def test_deauville_full_mapping() -> None:
    assert [deauville_from_uptake(c) for c in ("none", "le_mediastinum", "gt_mediastinum_le_liver",
                                               "moderately_above_liver", "markedly_above_liver_or_new",
                                               "new_not_lymphoma")] == [1, 2, 3, 4, 5, "X"]
    with pytest.raises(ValueError):
        deauville_from_uptake("equal_to_liver")
