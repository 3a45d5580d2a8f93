"""Issue 7: 10,000 generated inputs to each form validator and to import: never a crash,
never a partial write."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.errors import HemalogError
from clinical.record_schema import (
    ASSESSMENT_FIELDS, COURSE_FIELDS, DRUG_FIELDS, EVENT_DETAILS, EVENT_FIELDS, FINDINGS,
    LAB_FIELDS, MARROW_FIELDS, MEASUREMENT_FIELDS, PATIENT_FIELDS, parse_item,
)
from clinical.units import LAB_UNITS
from storage.record_files import import_files
from storage.repository import SqliteStore

FAST = settings(max_examples=10_000, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

# Values a form or a file might hold: right and wrong types, edges, junk.
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["2025-02-30", "2025-01-01", "2025-13-01", "20250101", "", " ", "mg/m2",
                     "g/dL", "10^9/L", "crs", "icans", "agvhd", "cgvhd", "hsct", "transfusion",
                     "platelets", "nasal_cannula", "alert", "pos", "\ud800", "-1", "1e400"]))
# One level of nesting is enough to hit every type check, and keeps 10,000
# examples to seconds (recursive strategies cost ~6 ms an example).
values = scalars | st.lists(scalars, max_size=3) | st.dictionaries(
    st.text(max_size=6), scalars, max_size=2)

ALL_FINDING_KEYS = sorted({k for f in FINDINGS.values() for k in f})
ALL_DETAIL_KEYS = sorted({k for f in EVENT_DETAILS.values() for k in f})


def documents(fields: dict[str, Any], extra: dict[str, st.SearchStrategy[Any]] | None = None
              ) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with any subset of the known keys (any values) and sometimes a stray key."""
    keys = {k: values for k in fields} | (extra or {})
    return st.fixed_dictionaries({}, optional={**keys, "unknown_key": values})


findings = st.dictionaries(st.sampled_from(ALL_FINDING_KEYS), values, max_size=6)
details = st.dictionaries(st.sampled_from(ALL_DETAIL_KEYS), values, max_size=4)
drugs = st.lists(documents(DRUG_FIELDS), max_size=3)
KINDS = {
    "patient": documents(PATIENT_FIELDS),
    "measurements": documents(MEASUREMENT_FIELDS),
    "courses": documents(COURSE_FIELDS, {"drugs": drugs}),
    "events": documents(EVENT_FIELDS, {"details": details}),
    "labs": documents(LAB_FIELDS, {"unit": st.sampled_from(
        sorted({u for units in LAB_UNITS.values() for u in units}))}),
    "marrow": documents(MARROW_FIELDS),
    "assessments": documents(ASSESSMENT_FIELDS, {"findings": findings}),
}


def _check_validator(kind: str, doc: Any) -> None:
    obj, problems = parse_item(kind, doc)
    assert (obj is None) == bool(problems)
    for p in problems:
        assert isinstance(p.message, str) and p.message


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
def test_form_validators_never_crash(kind: str) -> None:
    @FAST
    @given(KINDS[kind] | values)
    def run(doc: Any) -> None:
        _check_validator(kind, doc)
    run()


@pytest.fixture(scope="module")
def shared_store():  # noqa: ANN201
    with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "f.db", user="fz") as s:
        yield s, Path(tmp)


def _written(store: SqliteStore) -> tuple[int, int]:
    """(patients, audit rows): every write adds audit rows, so equal means nothing written."""
    conn = store.db.conn
    return (conn.execute("SELECT count(*) FROM patients").fetchone()[0],
            conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0])


def records() -> st.SearchStrategy[dict[str, Any]]:
    lists = {k: st.lists(KINDS[k], max_size=2) for k in KINDS if k != "patient"}
    return st.fixed_dictionaries(
        {"format": st.sampled_from(["hemalog.record", "other"]), "version": st.sampled_from([1, 2]),
         "patient": KINDS["patient"]}, optional=lists)


@pytest.mark.slow
def test_import_never_crashes_nor_writes_part_of_a_record(shared_store) -> None:  # noqa: ANN001
    store, folder = shared_store
    path = folder / "in.json"

    @FAST
    @given(records())
    def run(doc: dict[str, Any]) -> None:
        try:
            text = json.dumps(doc, ensure_ascii=False)
        except ValueError:
            return
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = _written(store)
        try:
            import_files(store, [path])
        except HemalogError:
            assert _written(store) == before  # not one row, not one audit entry
        else:  # all of it
            assert _written(store)[0] == before[0] + 1
    run()
