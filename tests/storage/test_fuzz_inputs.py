"""Issue 7: 10,000 generated inputs to each form validator and to import: never a crash,
never a partial write.

The form validators touch no database and run once. The import test runs on both
backends (issue 16) through the storage suite's ``backend`` fixture, all examples on
one database: SQLite as before (a temporary file; "nothing written" is the same
patient count and last audit id, every write adding audit rows). On PostgreSQL the
store is signed in as a physician login, as a workstation is, and each example also
compares a fingerprint of every row of every table read as the superuser (row count
and md5 per table), and checks the store's connection is left outside any transaction
(a write left pending would not show to the superuser yet). Fewer examples run on the
server (IMPORT_EXAMPLES): each costs several round trips. After the run the database
must pass `hemalog verify` on both backends."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.accounts import Role
from clinical.errors import HemalogError
from clinical.record_schema import (
    ASSESSMENT_FIELDS, COURSE_FIELDS, DRUG_FIELDS, EVENT_DETAILS, EVENT_FIELDS, FINDINGS,
    LAB_FIELDS, MARROW_FIELDS, MEASUREMENT_FIELDS, PATIENT_FIELDS, parse_item,
)
from clinical.units import LAB_UNITS
from storage import open_store
from storage.record_files import import_files
from tests.conftest import open_test_store
from tests.storage.conftest import verified

FAST = settings(max_examples=10_000, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
# import examples per backend: a server example costs several round trips
IMPORT_EXAMPLES = {"sqlite": 10_000, "postgresql": 2_000}

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


PASSWORD = "correct horse 7"


def signed_in_physician(url: str) -> Any:
    """A store on the server database ``url`` signed in as the physician login fz_phil
    (made as `hemalog server init` and File > Users... make accounts)."""
    with open_test_store("postgresql", url, "fz_adm") as owner:
        owner.accounts.create("fz_adm", PASSWORD, Role.ADMIN)
    admin = open_store(url, user="os-user")
    try:
        admin.sign_in(admin.accounts.sign_in("fz_adm", PASSWORD))
        admin.accounts.create("fz_phil", PASSWORD, Role.PHYSICIAN)
    finally:
        admin.close()
    store = open_store(url, user="os-user")
    store.sign_in(store.accounts.sign_in("fz_phil", PASSWORD))
    return store


def server_fingerprint(conn: Any) -> tuple[str, ...]:
    """Per table of hemalog's schema: its name, row count and the md5 of all its rows as
    the server prints them, in one statement (``conn``: the superuser's, which may read
    every column)."""
    from psycopg import sql

    tables = [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")]
    assert {"patients", "labs", "audit", "users"} <= set(tables)
    each = [sql.SQL("(SELECT {} || ':' || count(*) || ':' || coalesce(md5(string_agg("
                    "x::text, E'\\n' ORDER BY x::text)), '') FROM {} AS x)").format(
                        sql.Literal(t), sql.Identifier(t)) for t in tables]
    return tuple(conn.execute(sql.SQL("SELECT ") + sql.SQL(", ").join(each)).fetchone())


def server_idle(store: Any) -> bool:
    """The store's connection is outside any transaction."""
    from psycopg import pq

    live = store.sql.current
    return live._depth == 0 and live.conn.info.transaction_status == pq.TransactionStatus.IDLE


@pytest.fixture
def fuzz_store(backend: str, where: Path | str, tmp_path: Path
               ) -> Iterator[tuple[Any, Path, Callable[[], Any], Callable[[], bool]]]:
    """(store, a folder for the input file, what no write may leave unchanged, whether
    the store's connection is outside any transaction). SQLite as before: a store of
    its own (nothing more to compare). PostgreSQL: signed in as a physician, and the
    superuser's fingerprint of every table."""
    if backend == "sqlite":
        with open_test_store("sqlite", where, "fz") as s:
            yield s, tmp_path, lambda: None, lambda: True
        return
    import psycopg

    with psycopg.connect(str(where), autocommit=True) as superuser:
        s = signed_in_physician(str(where))
        try:
            yield s, tmp_path, lambda: server_fingerprint(superuser), lambda: server_idle(s)
        finally:
            s.close()


def _written(store: Any) -> tuple[int, int]:
    """(patients, audit rows): every write adds audit rows, so equal means nothing written."""
    return (store.sql.scalar("SELECT count(*) FROM patients"),
            store.sql.scalar("SELECT coalesce(max(id), 0) FROM audit"))


def records() -> st.SearchStrategy[dict[str, Any]]:
    lists = {k: st.lists(KINDS[k], max_size=2) for k in KINDS if k != "patient"}
    return st.fixed_dictionaries(
        {"format": st.sampled_from(["hemalog.record", "other"]), "version": st.sampled_from([1, 2]),
         "patient": KINDS["patient"]}, optional=lists)


@pytest.mark.slow
def test_import_never_crashes_nor_writes_part_of_a_record(
        fuzz_store, backend: str, where: Path | str) -> None:  # noqa: ANN001
    store, folder, rows, idle = fuzz_store
    path = folder / "in.json"

    @settings(FAST, max_examples=IMPORT_EXAMPLES[backend])
    @given(records())
    def run(doc: dict[str, Any]) -> None:
        try:
            text = json.dumps(doc, ensure_ascii=False)
        except ValueError:
            return
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = _written(store)
        all_rows = rows()
        try:
            import_files(store, [path])
        except HemalogError:
            assert idle()
            assert _written(store) == before  # not one row, not one audit entry
            assert rows() == all_rows         # on a server: not one changed byte either
        else:  # all of it
            assert idle()
            assert _written(store)[0] == before[0] + 1
    run()
    with open_test_store(backend, where) as owner:    # the owner: reads every table
        assert verified(owner)
