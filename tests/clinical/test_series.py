"""The trend panels' data (clinical/series.py): worked out from the previous trend when
a lab is added, the result is the very one a trend made from scratch gives."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import date, timedelta

import pytest

import clinical.series as series
from clinical.derive import derive
from clinical.record import Lab, LabTest, Record
from clinical.record_schema import parse_record
from clinical.series import trend_data
from resources import DEMO_RECORD


@pytest.fixture(scope="module")
def seed() -> Record:
    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert problems == [] and record is not None
    return record


def _lab(day: date, test: LabTest, value: float, lab_id: int) -> Lab:
    return Lab(date=day, test=test, value=value, unit="x", id=lab_id, version=1)


def _with_random_labs(record: Record, rng: random.Random, count: int) -> Record:
    """The seed's labs and ``count`` more, their dates out of order and repeated (several
    counts a day), of plotted and unplotted tests alike."""
    start = min(lab.date for lab in record.labs)
    labs = list(record.labs)
    for n in range(count):
        day = start + timedelta(days=rng.randrange(-30, 200))
        labs.append(_lab(day, rng.choice(list(LabTest)), round(rng.uniform(0, 20), 2),
                         10_000 + n))
    return dataclasses.replace(record, labs=tuple(labs))


def _without_full_sort(monkeypatch: pytest.MonkeyPatch) -> None:
    """The incremental path must not group and sort every lab again."""
    def refuse(_labs: object) -> None:
        raise AssertionError("every lab was grouped and sorted again")
    monkeypatch.setattr(series, "_points_by_test", refuse)


@pytest.mark.parametrize("seed_number", range(5))
def test_labs_added_one_by_one_give_the_trend_made_from_scratch(
        seed: Record, seed_number: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed_number)
    record = _with_random_labs(seed, rng, 300)
    derived = derive(record)
    trend = trend_data(record, derived)
    added = []
    start = min(lab.date for lab in record.labs)
    for n in range(40):   # before, among (same dates) and after the others; any test
        day = start + timedelta(days=rng.choice([-40, -1, 0, 3, 3, 50, 120, 400]))
        added.append(_lab(day, rng.choice(list(LabTest)), float(n), 20_000 + n))
    scratch = []
    for lab in added:
        grown = dataclasses.replace(record, labs=(*record.labs, lab))
        scratch.append(trend_data(grown, derived))
        record = grown
    record = dataclasses.replace(record, labs=record.labs[:-len(added)])
    with monkeypatch.context() as patched:
        _without_full_sort(patched)
        for lab, expected in zip(added, scratch):
            grown = dataclasses.replace(record, labs=(*record.labs, lab))
            trend = trend_data(grown, derived, previous=(record.labs, trend))
            assert trend == expected
            record = grown


def test_several_labs_added_at_once_give_the_trend_made_from_scratch(
        seed: Record, monkeypatch: pytest.MonkeyPatch) -> None:
    record = _with_random_labs(seed, random.Random(7), 200)
    derived = derive(record)
    before = trend_data(record, derived)
    day = record.labs[5].date
    grown = dataclasses.replace(record, labs=(
        *record.labs, _lab(day, LabTest.ANC, 0.1, 30_000), _lab(day, LabTest.ANC, 0.2, 30_001),
        _lab(day, LabTest.ALC, 0.3, 30_002), _lab(day - timedelta(days=9), LabTest.PLT, 9,
                                                   30_003)))
    expected = trend_data(grown, derived)
    with monkeypatch.context() as patched:
        _without_full_sort(patched)
        assert trend_data(grown, derived, previous=(record.labs, before)) == expected
    anc = next(s for p in expected.panels for s in p.series if s.key == "anc").points
    on_day = [v for d, v in anc if d == day]
    assert on_day[-2:] == [0.1, 0.2]   # after the day's earlier counts, in the record's order


@pytest.mark.parametrize("change", ["corrected", "voided", "other patient's labs"])
def test_labs_that_do_not_follow_the_previous_ones_are_worked_out_again(
        seed: Record, change: str) -> None:
    record = _with_random_labs(seed, random.Random(3), 100)
    derived = derive(record)
    before = trend_data(record, derived)
    labs = list(record.labs)
    if change == "corrected":   # the same lab, another value: a new object in its place
        labs[10] = dataclasses.replace(labs[10], value=labs[10].value + 5, version=2)
    elif change == "voided":
        del labs[10]
    else:
        labs = [dataclasses.replace(lab) for lab in labs]   # equal, not the same objects
    changed = dataclasses.replace(record, labs=tuple(labs))
    assert trend_data(changed, derived, previous=(record.labs, before)) == \
        trend_data(changed, derived)
