"""Graders remember what they worked out for a value (a number read against a table, a
clause quoting it): a remembered result must be exactly what a fresh one would be, in
its English, its codes and its parameters, whatever was graded before it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinical.grading import agvhd, cgvhd, crs, icans
from clinical.messages import Msg, Seq
from clinical.units import as_typed, per_typed_number


def _caches() -> list[Any]:
    return [as_typed, *agvhd._READ.values(), agvhd._decided, crs._temperature, crs._fever,
            crs._pressors, crs._nasal_cannula, cgvhd._organs_clause]


def _forget() -> None:
    for cache in _caches():
        cache.cache_clear()


def _shape(value: Any) -> Any:
    """A message as its structure: code, parameters (each by type) and English."""
    if isinstance(value, Msg):
        return (value.code, str(value), {k: _shape(v) for k, v in value.params.items()})
    if isinstance(value, Seq):
        return ("seq", value.sep, [_shape(v) for v in value.items])
    return (type(value).__name__, repr(value))


def _outcome(grade: Any, findings: dict[str, Any]) -> Any:
    try:
        g = grade(findings)
    except Exception as error:   # a refusal must be the same refusal
        return ("refused", type(error).__name__, str(error))
    return (g.value, _shape(g.reason), [_shape(f) for f in g.flags], repr(g.details))


# Numbers that are equal but not typed alike (1, 1.0, True; 0.0, -0.0), and ones near
# the cut-points, so a remembered result keyed too loosely would show the wrong text.
def _numbers(*near: float) -> st.SearchStrategy[Any]:
    values: list[Any] = [0, 0.0, -0.0, 1, 1.0, True, False]
    for n in near:
        values += [n, float(n), round(n - 0.05, 2), round(n + 0.04, 2), round(n - 0.04, 2)]
        if float(n).is_integer():
            values.append(int(n))
    return st.sampled_from(values)


_CRS = st.fixed_dictionaries({}, optional={
    "temperature_c": _numbers(38, 37.95, 39.5),
    "fever_other_cause": st.booleans(), "fever_masked": st.booleans(),
    "hypotension": st.sampled_from([True, False]),
    "vasopressors": st.lists(st.sampled_from(["dopamine", "Dopamine ", "vasopressin",
                                              "norepinephrine", "levosimendan"]), max_size=3),
    "oxygen_device": st.sampled_from(["none", "nasal_cannula", "facemask", "cpap"]),
    "oxygen_l_min": _numbers(6, 6.04, 6.05, 2)})
_AGVHD = st.fixed_dictionaries({}, optional={
    "skin_rash_bsa_pct": _numbers(25, 50, 24.6, 50.4),
    "bilirubin_mg_dl": _numbers(2, 3, 3.04, 3.05, 15.05),
    "stool_ml_day": _numbers(500, 1000, 1500, 1500.4),
    "stool_ml_kg_day": _numbers(10, 20, 30, 30.04),
    "stool_episodes_day": st.sampled_from([0, 3, 3.0, 5, 7.5, 8]),
    "upper_gi_persistent": st.booleans(),
    "severe_abdominal_pain": st.booleans(), "bloody_stool": st.booleans()})
_ICANS = st.fixed_dictionaries({}, optional={
    "ice_score": st.integers(0, 10),
    "consciousness": st.sampled_from(["alert", "awakens_to_voice", "unarousable"]),
    "seizure": st.sampled_from(["none", "rapidly_resolving"]),
    "motor": st.sampled_from(["none", "deep_focal_weakness"]),
    "cerebral_edema": st.sampled_from(["none", "focal"])})
_CGVHD = st.fixed_dictionaries({}, optional={o: st.sampled_from([0, 1, 2, 3])
                                             for o in cgvhd.ORGANS})


@pytest.mark.parametrize("grade, findings", [
    (crs.grade_crs, _CRS), (agvhd.grade_agvhd, _AGVHD), (icans.grade_icans, _ICANS),
    (cgvhd.grade_cgvhd, _CGVHD)], ids=["CRS", "aGVHD", "ICANS", "cGVHD"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_remembered_grade_is_the_grade_worked_out_afresh(grade: Any, findings: Any,
                                                          data: st.DataObject) -> None:
    batch = data.draw(st.lists(findings, min_size=2, max_size=12))
    warm = [_outcome(grade, f) for f in batch]       # each after the ones before it
    for f, remembered in zip(batch, warm):
        _forget()
        assert _outcome(grade, f) == remembered, f


def test_a_number_is_remembered_by_its_type_and_zero_keeps_its_sign() -> None:
    calls: list[Any] = []

    @per_typed_number(16)
    def shown(value: Any) -> str:
        calls.append(value)
        return repr(value)

    assert [shown(v) for v in (1, 1.0, True, 1, 1.0, True)] == ["1", "1.0", "True"] * 2
    assert calls == [1, 1.0, True, True]   # True is no number: never remembered
    assert (shown(0.0), shown(-0.0), shown(0)) == ("0.0", "-0.0", "0")
    assert shown(Decimal("1.50")) == "Decimal('1.50')"
    assert as_typed(-0.0) == Decimal("-0.0") and str(as_typed(-0.0)) == "-0.0"
    assert str(as_typed(0.0)) == "0.0" and str(as_typed(2)) == "2" and str(as_typed(2.0)) == "2.0"


def test_a_refused_value_is_refused_every_time() -> None:
    # Not remembered as anything: the second reading raises as the first did.
    for _ in range(2):
        with pytest.raises(Exception, match="temperature_c"):
            crs.grade_crs({"temperature_c": float("nan")})
        with pytest.raises(Exception, match="bilirubin_mg_dl"):
            agvhd.grade_agvhd({"bilirubin_mg_dl": -1.5})
