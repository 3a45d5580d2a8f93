"""An export is exactly ``dumps(to_document(record, derive(record)))``: the record
format's text is a contract, however the export writes it.

``record_text`` writes the labs with json's C encoder (clinical/record_json.py) and the
stores read a patient's items as tuples (storage/codec.py ``from_rows``): both must give
what the plain way gives, byte for byte and object for object.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.derive import derive
from clinical.record import Lab
# _labs_text is private; its way back to json.dumps is taken only for labs that no
# valid record holds, so it is called here directly.
from clinical.record_json import _labs_text, dumps, record_text, to_document
from clinical.record_schema import parse_record
from resources import DEMO_RECORD
from storage.codec import from_row
from storage.record_files import export_text
from tests.storage.test_roundtrip_properties import labs as lab_docs
from tests.storage.test_roundtrip_properties import records

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _texts(doc: dict[str, Any]) -> tuple[str, str]:
    """(record_text, dumps of to_document) of a valid document."""
    record, problems = parse_record(doc)
    assert record is not None, [str(p) for p in problems]
    derived = derive(record)
    return record_text(record, derived), dumps(to_document(record, derived))


def test_the_demo_record_is_written_as_dumps_writes_it() -> None:
    fast, plain = _texts(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert fast == plain


@SETTINGS
@given(records(), st.lists(lab_docs(), max_size=40))
def test_any_valid_record_is_written_as_dumps_writes_it(doc: dict[str, Any],
                                                       more_labs: list[Any]) -> None:
    if doc.get("labs") is not None:
        doc["labs"] = doc["labs"] + more_labs      # graded and ungraded labs, mixed
    fast, plain = _texts(doc)
    assert fast == plain


# Texts full of what the fast way cuts at or checks for: brackets, quotes, commas, line
# breaks, backslashes; _PLAIN_TEXT has no opening bracket (the fast way is taken).
_CHARS = ['}', ']', '"', ',', '\n', '\\', ':', ' ', 'a', '中', '😀']
_PLAIN_TEXT = st.text(st.sampled_from(_CHARS), max_size=6)
_TRICKY = st.text(st.sampled_from(_CHARS + ['{', '[']), max_size=6)
_KEYS = st.sampled_from(["date", "test", "value", "unit", "ctcae"]) | _PLAIN_TEXT | _TRICKY
_PLAIN = st.none() | st.booleans() | st.integers() | st.floats() | _PLAIN_TEXT
_SCALARS = _PLAIN | _TRICKY
_VALUES = st.recursive(_SCALARS, lambda kids: st.lists(kids, max_size=3)
                       | st.dictionaries(_KEYS, kids, max_size=3), max_leaves=6)
_FLAT = st.dictionaries(st.sampled_from(["date", "test", "value", "unit"]) | _PLAIN_TEXT,
                        _PLAIN, min_size=1, max_size=5)      # written the fast way
_OBJECTS = _FLAT | st.dictionaries(_KEYS, _VALUES, max_size=5)


def _check_labs_text(labs: list[Any], ctcae: list[Any]) -> None:
    expected = copy.deepcopy(labs)
    for item, doc in zip(expected, ctcae):
        if doc is not None:
            item["ctcae"] = copy.deepcopy(doc)
    assert _labs_text(labs, ctcae) == \
        json.dumps(expected, ensure_ascii=False, indent=2).replace("\n", "\n  ")


@SETTINGS
@given(st.lists(_FLAT, max_size=6), st.lists(st.none() | _FLAT, max_size=8))
def test_labs_of_plain_values_are_written_as_dumps_writes_them(
        labs: list[Any], ctcae: list[Any]) -> None:
    _check_labs_text(labs, ctcae)


@SETTINGS
@given(st.lists(_FLAT | _OBJECTS, max_size=6),
       st.lists(st.none() | _FLAT | _OBJECTS | _VALUES, max_size=8))
def test_labs_are_written_as_dumps_writes_them_whatever_they_hold(
        labs: list[Any], ctcae: list[Any]) -> None:
    _check_labs_text(labs, ctcae)


def test_a_store_reads_and_exports_a_record_as_the_row_by_row_reader_does(store: Any) -> None:
    doc = json.loads(DEMO_RECORD.read_text(encoding="utf-8"))
    record, _ = parse_record(doc)
    assert record is not None
    (patient,) = store.add_records([record])
    rows = store.sql.query("SELECT * FROM labs WHERE patient_id = ? AND voided = 0 "
                           "ORDER BY seq", [patient.id])
    assert rows and store.labs.list(patient.id) == [from_row(Lab, r) for r in rows]
    loaded = store.load_record(patient.id)
    assert export_text(store, patient.mrn) == dumps(to_document(loaded, derive(loaded)))
