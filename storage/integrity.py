"""Checking a database file: SQLite's integrity check, the audit hash chain, the
append-only triggers, every data row against the replay of its audit rows, and the
head of the chain against the checkpoints kept outside the file.

The chain alone proves only that the audit rows were not edited one by one. A
row edited in its own table, a row deleted, rows cut from the end of the log or
a log recomputed after an edit all leave an intact chain; the other checks
name each of those.

The replay of the data rows (``data_problems``) and the chain (storage.audit) read
through storage.sql, so they run on either backend (issue 16); SQLite's own checks
(integrity_check, quick_check, the append-only triggers) and the checkpoints beside
the file are the file's.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any


from storage.audit import verify_chain
from storage.checkpoints import checkpoint_file, compare_checkpoints
from storage.codec import TABLES as STORED_CLASSES
from storage.codec import row_problems
from storage.database import SqliteFile, DatabaseError, describe_sqlite_error, open_database
from storage.sql import Sql, SqlError, SqliteSql, SqlLike, as_sql, json_text, quote_name

# Tables whose audit rows hold the whole row as it was saved.
DATA_TABLES = ("patients", "measurements", "courses", "drug_lines", "events", "labs", "marrow",
               "assessments")
# Accounts are audited without their secrets (salt, password hash) or display name:
# only the columns the trail holds (user name, role, disabled) are compared.
PARTIAL_TABLES = ("users",)
# Never compared: a save that changes nothing still raises `version` (and writes no
# audit row), and `search_key` is recomputed from MRN and name after the audit row.
NOT_REPLAYED = frozenset({"version", "search_key"})
APPEND_ONLY = {f"audit_no_{verb.lower()}": (
    f"CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    for verb in ("UPDATE", "DELETE")}
SHOWN_PER_TABLE = 20

_HISTORY = ("SELECT row_id, id, action, patient_id, old_value, new_value FROM audit "
            "WHERE table_name = ? {after} ORDER BY row_id, id LIMIT {limit}")
# The rows after the last one read: (row_id, id) > (?, ?), in a form that keeps the
# (table_name, row_id) index in use.
_HISTORY_AFTER = "AND row_id >= ? AND (row_id > ? OR id > ?)"
_HISTORY_FIELDS = ("row_id", "id", "action", "patient_id", "old_value", "new_value")
# Rows read at a time while walking a table and its audit history (memory stays flat).
REPLAY_BATCH = 5_000


@dataclass(frozen=True)
class Verification:
    ok: bool
    audit_rows: int
    first_bad_audit_row: int | None
    problems: tuple[str, ...]
    data_rows: int | None = None     # rows compared with their audit trail (None: not checked)
    checkpoints: int | None = None   # checkpoints compared (None: not checked)
    checkpoint_file: str = ""

    def lines(self) -> list[str]:
        if not self.ok:
            return list(self.problems)
        parts = [f"integrity check passed; audit chain of {self.audit_rows} rows intact"]
        if self.data_rows is not None:
            parts.append(f"all {self.data_rows} data rows match their audit trail")
        if self.checkpoints:
            parts.append(f"its head matches {self.checkpoints} checkpoints in "
                         f"{self.checkpoint_file}")
        elif self.checkpoints is not None:
            parts.append(f"no checkpoints of this file in {self.checkpoint_file} yet")
        return ["; ".join(parts)]


def _check(path: Path, *, full: bool, recent_audit_rows: int) -> Verification:
    path = Path(path)
    try:
        db = open_database(path, read_only=True)
    except DatabaseError as exc:
        return Verification(False, 0, None, tuple(exc.lines))
    try:
        if full:
            problems = [r[0] for r in db.conn.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                return Verification(False, 0, None, tuple(
                    f"{path}: integrity check: {p}" for p in problems[:20]))
        else:
            db.conn.execute("SELECT count(*) FROM patients").fetchone()
        sql = SqliteSql(db)
        sql.location = str(path)   # messages name the file as it was given
        rows, bad, what = verify_chain(sql, last=None if full else recent_audit_rows)
        found = [f"{path}: {what}"] if bad is not None else []
        found += trigger_problems(db, path)
        if not full:
            return Verification(not found, rows, bad, tuple(found))
        data_rows, in_data = data_problems(sql, path)
        checkpoints, in_checkpoints = compare_checkpoints(db, path)
        found += in_data + in_checkpoints
        return Verification(not found, rows, bad, tuple(found), data_rows, checkpoints,
                            str(checkpoint_file(path)))
    except sqlite3.Error as exc:
        return Verification(False, 0, None, (describe_sqlite_error(path, exc),))
    except SqlError as exc:   # from verify_chain (storage.sql): the same line as before
        cause = exc.__context__
        return Verification(False, 0, None, (describe_sqlite_error(path, cause),)
                            if isinstance(cause, sqlite3.Error) else tuple(exc.lines))
    finally:
        db.close()


def quick_check(path: Path, *, recent_audit_rows: int = 2000) -> Verification:
    """What start-up can afford: the file opens as a hemalog database, its schema reads,
    the newest audit rows still chain and the log is still append-only. The full check
    (integrity_check, the whole chain, every data row, the checkpoints) runs with the
    daily backup and in `hemalog verify`."""
    return _check(path, full=False, recent_audit_rows=recent_audit_rows)


def verify_database(path: Path) -> Verification:
    """Everything `hemalog verify` proves about the file at ``path`` (see the README)."""
    return _check(path, full=True, recent_audit_rows=0)


PAGE_CHECK_LIMIT = 256 * 1024 * 1024   # SQLite's quick_check reads ~1 s per 100 MB here


def page_problems(path: Path, *, limit: int = PAGE_CHECK_LIMIT) -> list[str]:
    """SQLite's own ``PRAGMA quick_check`` over every page, for a ward-sized file: the
    start-up check reads only the newest audit rows, and damage in pages no write
    touches would otherwise let a command write into a damaged file. A file larger
    than ``limit`` (a hospital archive) relies on the start-up check and ``hemalog
    verify``: nothing is found here. Raises OSError when the file cannot be read."""
    path = Path(path)
    try:
        if path.stat().st_size > limit:
            return []
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [describe_sqlite_error(path, exc)]
    return [] if rows == ["ok"] else [f"{path}: integrity check: {r}" for r in rows]


# --- the append-only triggers ---------------------------------------------------------


def trigger_problems(db: SqliteFile, path: Path) -> list[str]:
    """Without its triggers the audit log can be edited in place, so they must be there
    exactly as the migration made them."""
    found = dict(db.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"))
    problems = []
    for name, sql in APPEND_ONLY.items():
        if name not in found:
            problems.append(f"{path}: the trigger {name} that keeps the audit log append-only "
                            "was removed")
        elif " ".join(str(found[name]).split()) != sql:
            problems.append(f"{path}: the trigger {name} that keeps the audit log append-only "
                            "was changed")
    return problems


# --- every data row against the replay of its audit rows ------------------------------


@dataclass
class _Tally:
    """Problems of one table: the first few are shown, the rest counted."""

    rows: int = 0
    shown: list[str] = field(default_factory=list)
    hidden: int = 0

    def add(self, line: str) -> None:
        if len(self.shown) < SHOWN_PER_TABLE:
            self.shown.append(line)
        else:
            self.hidden += 1


def data_problems(db: SqlLike, path: Path) -> tuple[int, list[str]]:
    """(data rows compared, problems): every row must equal the replay of its audit rows.

    Streams: per table, its rows by id beside its audit rows by (row id, audit id),
    a batch at a time, so memory stays flat however large the database is.
    """
    sql = as_sql(db)
    present = sql.tables()
    who = _Who(sql)
    rows, problems = 0, []
    for table in (*DATA_TABLES, *PARTIAL_TABLES):
        if table not in present:
            continue
        tally = _Tally()
        _check_table(sql, table, who, tally)
        rows += tally.rows
        problems += [f"{path}: {line}" for line in tally.shown]
        if tally.hidden:
            problems.append(f"{path}: … and {tally.hidden} more {table} rows that do not match "
                            "their audit trail")
    return rows, problems


def _table_rows(sql: Sql, table: str, names: list[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``table`` by id (values in ``names`` order), a batch at a time."""
    after: list[Any] = []
    while True:
        batch = sql.query(f"SELECT * FROM {quote_name(table)} {'WHERE id > ?' if after else ''} "
                          f"ORDER BY id LIMIT {REPLAY_BATCH}", after)
        for row in batch:
            yield tuple(row[n] for n in names)
        if len(batch) < REPLAY_BATCH:
            return
        after = [batch[-1]["id"]]


def _history_rows(sql: Sql, table: str) -> Iterator[tuple[Any, ...]]:
    """The audit rows of ``table`` by (row id, audit id): _HISTORY_FIELDS, a batch at a
    time."""
    after: list[Any] = []
    while True:
        batch = sql.query(_HISTORY.format(after=_HISTORY_AFTER if after else "",
                                          limit=REPLAY_BATCH), [table, *after])
        for row in batch:
            yield tuple(row[f] for f in _HISTORY_FIELDS)
        if len(batch) < REPLAY_BATCH:
            return
        last = batch[-1]
        after = [last["row_id"], last["row_id"], last["id"]]


def _check_table(sql: Sql, table: str, who: _Who, tally: _Tally) -> None:
    """Walk the table and its audit history side by side, both in row id order."""
    names = sql.columns(table)
    cursor = _table_rows(sql, table, names)
    columns = _compared_columns(sql, table, names)
    id_at = names.index("id")
    history = groupby(_history_rows(sql, table), key=itemgetter(0))
    row, group = next(cursor, None), next(history, None)
    while row is not None or group is not None:
        if group is None or (row is not None and row[id_at] < group[0]):
            tally.rows += 1
            tally.add(f"{table} row {row[id_at]} ({who(table, dict(zip(names, row)), {}, None)}): "
                      "in the table but not in the audit trail (added outside hemalog)")
            row = next(cursor, None)
            continue
        state, patient, notes = _replay(group[1])
        if row is None or group[0] < row[id_at]:
            tally.add(f"{table} row {group[0]} ({who(table, {}, state, patient)}): in the audit "
                      "trail but missing from its table (deleted outside hemalog)")
        else:
            tally.rows += 1
            notes += _differences(columns, row, state)
            values = dict(zip(names, row))
            if table in STORED_CLASSES:   # a value the app could not read back (export: exit 1)
                notes += [line.split(": ", 1)[-1].removesuffix("; run hemalog verify")
                          for line in row_problems(table, values)]
            if notes:
                tally.add(f"{table} row {row[id_at]} ({who(table, values, state, patient)}): "
                          + "; ".join(notes))
            row = next(cursor, None)
        group = next(history, None)


def _defaulted(sql: Sql, table: str) -> set[str]:
    """The columns of ``table`` that have a default value (the same ones on both backends:
    version, voided; users.disabled)."""
    if sql.dialect == "sqlite":
        return {r["name"] for r in sql.query(f"PRAGMA table_info({quote_name(table)})")
                if r["dflt_value"] is not None}
    return {r["column_name"] for r in sql.query(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = "
        "current_schema() AND table_name = ? AND column_default IS NOT NULL", [table])}


def _compared_columns(sql: Sql, table: str, names: list[str]) -> list[tuple[int, str, bool]]:
    """(position, name, optional) of each column compared. Optional: a column the trail
    may not mention (one with a default, added by a later migration, or any column of a
    table audited only in part); any other column the trail leaves out must be empty."""
    defaults = _defaulted(sql, table)
    partial = table in PARTIAL_TABLES
    return [(at, name, partial or name in defaults) for at, name in enumerate(names)
            if name not in NOT_REPLAYED]


def _replay(entries: Iterable[tuple[Any, ...]]) -> tuple[dict[str, Any], int | None, list[str]]:
    """(the row as its audit rows leave it, its patient, changes made between them).

    Each correction records the row as it found it (``old_value``): where that differs
    from the replay so far, the row had been changed outside hemalog before it.
    """
    state: dict[str, Any] = {}
    patient = None
    notes: list[str] = []
    for _row_id, audit_id, action, patient_id, old_value, new_value in entries:
        patient = patient_id if patient_id is not None else patient
        if state and action != "insert" and old_value:
            for name, was in _load(old_value, audit_id, notes).items():
                if name in state and name not in NOT_REPLAYED and was != state[name]:
                    notes.append(f"{name} was changed outside hemalog before audit row "
                                 f"{audit_id} ({_show(was)} then, {_show(state[name])} in the "
                                 "audit trail)")
        state.update(_load(new_value, audit_id, notes))
    return state, patient, notes


def _load(text: str | None, audit_id: int, notes: list[str]) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        notes.append(f"audit row {audit_id} does not hold a readable row")
        return {}
    return value


_ABSENT = object()


def _differences(columns: list[tuple[int, str, bool]], row: tuple[Any, ...],
                 state: dict[str, Any]) -> list[str]:
    """Each column whose stored value is not the replayed one. Plain ``==``: SQLite hands
    back 7.0 for a 7 saved in a REAL column and 1 for True, and Python counts those equal."""
    out = []
    for at, name, optional in columns:
        expected = state.get(name, _ABSENT)
        if expected is _ABSENT:
            if optional:
                continue
            expected = None
        if row[at] != expected:
            out.append(f"{name} is {_show(row[at])} in the table but {_show(expected)} in the "
                       "audit trail")
    return out


def _show(value: Any) -> str:
    if value is None:
        return "empty"
    text = f'"{value}"' if isinstance(value, str) else str(value)
    if not text.isprintable():
        text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 70 else text[:69] + "…"


class _Who:
    """Names the patient (by MRN) or the user a row belongs to; looked up only for rows
    with a problem, and remembered."""

    def __init__(self, sql: Sql) -> None:
        self._sql = sql
        self._mrns: dict[int, str | None] = {}

    def __call__(self, table: str, values: dict[str, Any], state: dict[str, Any],
                 patient: int | None) -> str:
        if table == "users":
            return f"user {values.get('username') or state.get('username') or '?'}"
        if table == "patients":
            mrn = values.get("mrn") or state.get("mrn")
            return f"patient MRN {mrn}" if mrn else "patient"
        if patient is None:
            patient = values.get("patient_id") or self._course_patient(values.get("course_id"))
        if patient is None:
            return "patient unknown"
        mrn = self._mrn(patient)
        return f"patient MRN {mrn}" if mrn else f"patient id {patient}"

    def _course_patient(self, course_id: int | None) -> int | None:
        if course_id is None:
            return None
        return self._sql.scalar("SELECT patient_id FROM courses WHERE id = ?", [course_id])

    def _mrn(self, patient: int) -> str | None:
        if patient not in self._mrns:
            row = self._sql.query_one("SELECT mrn FROM patients WHERE id = ?", [patient])
            if row is None:  # the patient row itself is gone: its audit trail remembers
                row = self._sql.query_one(
                    f"SELECT {json_text(self._sql.dialect, 'new_value', 'mrn')} AS mrn "
                    "FROM audit WHERE table_name = 'patients' AND row_id = ? "
                    "ORDER BY id DESC LIMIT 1", [patient])
            self._mrns[patient] = row["mrn"] if row else None
        return self._mrns[patient]


# --- a PostgreSQL server (issue 16) ---------------------------------------------------
# The server's triggers (storage.pg_schema) keep the audit log append-only, rows from
# being deleted and every change paired with its audit row. The owner or a superuser can
# drop or disable them, and then rows can change behind hemalog: `hemalog verify` says so.
_TRIGGER_DDL = re.compile(r"CREATE (?:CONSTRAINT )?TRIGGER (\w+) .*? ON (\w+) ", re.S)


def _server_triggers() -> set[tuple[str, str]]:
    """(table, trigger) of every trigger storage.pg_schema creates."""
    from storage.pg_schema import _trigger_ddl

    return {(m.group(2), m.group(1)) for m in map(_TRIGGER_DDL.match, _trigger_ddl()) if m}


def _server_connection(sql: Any) -> Any:
    """The PostgresSql under ``sql`` (a signed-in store's sql is a wrapper that would
    reconnect after a lost connection: inside a snapshot that would silently read from
    a new one, so the snapshot's statements go to this connection only)."""
    current = getattr(sql, "current", sql)
    if current is None:
        from clinical.accounts import PermissionDenied

        raise PermissionDenied("sign in first: this database has staff accounts")
    return current


@contextmanager
def server_snapshot(sql: Any) -> Iterator[Sql]:
    """One REPEATABLE READ, READ ONLY transaction on the server: every read inside sees
    the database as it was at its first statement, whatever other workstations commit
    meanwhile (backups and `hemalog verify` read one consistent state). Inside a
    transaction already open (a migration checking its own copy) that one is used."""
    from psycopg import pq

    base = _server_connection(sql)
    if base.conn.info.transaction_status != pq.TransactionStatus.IDLE:
        yield base
        return
    base.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        yield base
    except BaseException:
        if not base.conn.closed:
            try:
                base.execute("ROLLBACK")
            except SqlError:
                pass    # the connection is gone: so is the transaction
        raise
    base.execute("COMMIT")


_FUNCTION_BODY = re.compile(r"CREATE FUNCTION (\w+)\(.*?AS \$\$(.*)\$\$\s*$", re.S)
_TRIGGER_FUNCTION = re.compile(r"EXECUTE FUNCTION (\w+)\(")


def _server_functions() -> dict[str, str]:
    """name -> body of every function storage.pg_schema creates."""
    from storage.pg_schema import _FUNCTION_DDL

    return {m.group(1): m.group(2) for m in map(_FUNCTION_BODY.match, _FUNCTION_DDL) if m}


def server_trigger_problems(sql: Sql, where: str) -> list[str]:
    """Every trigger of hemalog's server schema: present, enabled, calling the function
    it was made with; and every function of the schema as it was written (a function
    made to do nothing would leave its triggers in place and harmless)."""
    from storage.pg_schema import _trigger_ddl

    found = {(r["relname"], r["tgname"]): (r["tgenabled"], r["proname"]) for r in sql.query(
        "SELECT c.relname, t.tgname, t.tgenabled, p.proname FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE n.nspname = current_schema() AND NOT t.tgisinternal")}
    calls = {(m.group(2), m.group(1)): f.group(1)
             for ddl in _trigger_ddl()
             for m, f in [(_TRIGGER_DDL.match(ddl), _TRIGGER_FUNCTION.search(ddl))] if m and f}
    problems = []
    for table, name in sorted(_server_triggers()):
        if (table, name) not in found:
            problems.append(f"{where}: the trigger {name} on {table} was removed: rows may "
                            "have been changed behind hemalog")
            continue
        enabled, function = found[table, name]
        if enabled == "D":
            problems.append(f"{where}: the trigger {name} on {table} is disabled: rows may "
                            "have been changed behind hemalog")
        if (table, name) in calls and function != calls[table, name]:
            problems.append(f"{where}: the trigger {name} on {table} calls {function}, not "
                            f"{calls[table, name]}: rows may have been changed behind hemalog")
    bodies = {r["proname"]: r["prosrc"] for r in sql.query(
        "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n "
        "ON n.oid = p.pronamespace WHERE n.nspname = current_schema()")}
    for name, body in sorted(_server_functions().items()):
        if name not in bodies:
            problems.append(f"{where}: the function {name} was removed")
        elif bodies[name] != body:
            problems.append(f"{where}: the function {name} was changed: its triggers may no "
                            "longer refuse what they refuse")
    return problems


def verify_server(sql: Any, where: str) -> Verification:
    """What `hemalog verify` proves about a hemalog database on a PostgreSQL server: the
    whole audit hash chain, its append-only triggers, every data row against the replay
    of its audit rows, all read in one snapshot. The file's own checks (SQLite's
    integrity_check, the checkpoints beside the file) have no server counterpart: the
    server keeps its pages' checksums itself. ``where`` names the database (no password).
    Needs a login that may read every table (an administrator: the others may not read
    the users' password columns)."""
    try:
        with server_snapshot(sql) as base:
            rows, bad, what = verify_chain(base)
            found = [f"{where}: {what}"] if bad is not None else []
            found += server_trigger_problems(base, where)
            data_rows, in_data = data_problems(base, where)   # type: ignore[arg-type]
    except SqlError as exc:
        return Verification(False, 0, None, tuple(exc.lines))
    found += in_data
    return Verification(not found, rows, bad, tuple(found), data_rows)
