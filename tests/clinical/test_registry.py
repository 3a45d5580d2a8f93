"""The registry export's rows (issue 17): the seed case's CAR-T and HSCT rows, the date
filter, and the column dictionary kept true in the README."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path

import pytest

from clinical.derive import derive
from clinical.record import Event, EventType, Record
from clinical.record_schema import parse_record
from clinical.registry import COLUMNS, HEADER, registry_rows, rows_as_text
from resources import DEMO_RECORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seed() -> Record:
    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert problems == [] and record is not None
    return record


def test_the_seed_case_has_one_cart_row_and_one_hsct_row(seed: Record) -> None:
    cart, hsct = registry_rows(seed, derive(seed))
    assert (cart["record_type"], cart["therapy_date"]) == ("cart", date(2025, 4, 7))
    assert (cart["crs_occurred"], cart["crs_onset_day"], cart["crs_worst_grade"]) == ("yes", 3, 3)
    assert cart["crs_treatment"] == "dexamethasone;tocilizumab"
    assert (cart["icans_occurred"], cart["icans_worst_grade"]) == ("no", 0)
    assert cart["infusion_dates"] == "2025-04-07;2025-04-08"
    assert cart["product"] == "donor-derived CD7 CAR-T"
    assert (hsct["record_type"], hsct["therapy_date"]) == ("hsct", date(2025, 5, 23))
    assert (hsct["neutrophil_engraftment_day"], hsct["platelet_engraftment_day"]) == (14, 45)
    assert (hsct["graft"], hsct["conditioning_intensity"]) == ("haploidentical", "MAC")
    assert (hsct["latest_chimerism_pct"], hsct["latest_chimerism"]) == (93.33, "mixed")
    # A CAR-T row leaves the transplant's questions empty, and the other way round.
    assert cart["neutrophil_engraftment_day"] is None and hsct["crs_occurred"] is None
    assert list(cart) == list(HEADER) == list(hsct)


@pytest.mark.parametrize("start, end, kinds", [
    (None, None, ["cart", "hsct"]), (date(2025, 4, 8), None, ["hsct"]),
    (date(2025, 4, 7), None, ["cart", "hsct"]), (None, date(2025, 5, 22), ["cart"]),
    (None, date(2025, 5, 23), ["cart", "hsct"]), (date(2025, 6, 1), None, []),
])
def test_the_date_filter_takes_the_therapy_date_inclusive(
        seed: Record, start: date | None, end: date | None, kinds: list[str]) -> None:
    rows = registry_rows(seed, derive(seed), start=start, end=end)
    assert [r["record_type"] for r in rows] == kinds


def test_relapse_death_and_last_contact_come_from_the_events(seed: Record) -> None:
    later = (Event(type=EventType.RELAPSE, date=date(2025, 11, 2)),
             Event(type=EventType.DEATH, date=date(2026, 1, 5)))
    record = dataclasses.replace(seed, events=(*seed.events, *later))
    cart, hsct = registry_rows(record, derive(record))
    assert (cart["relapse_date"], cart["death_date"]) == (date(2025, 11, 2), date(2026, 1, 5))
    assert hsct["last_follow_up_date"] == date(2026, 1, 5)
    # Labs left out of the record (the export reads only ANC and PLT) still count.
    assert registry_rows(record, derive(record), last_seen=date(2026, 2, 1))[0][
        "last_follow_up_date"] == date(2026, 2, 1)


def test_cells_are_written_as_text_the_csv_can_hold(seed: Record) -> None:
    (cart_cells, hsct_cells) = rows_as_text(registry_rows(seed, derive(seed)))
    by_name = dict(zip(HEADER, cart_cells))
    assert by_name["cells_per_kg"] == "1500000" and by_name["therapy_date"] == "2025-04-07"
    assert by_name["crs_resolved_day"] == ""


def test_the_readme_column_dictionary_names_every_column_and_its_question() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Registry export", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z_0-9]+)` \| [a-z/ ]+ \| (.+?) \|$", section, re.M))
    assert list(rows) == list(HEADER)
    for column in COLUMNS:
        assert rows[column.name] == column.question
