"""storage.sql: one SQL interface, the same answers on SQLite and on PostgreSQL (issue 16).

Every test that takes ``sql`` or ``backend`` runs twice: on a SQLite file opened by
storage.database.open_database, and on a fresh database of the real test server
(tests/pgserver.py; no mocks).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from clinical.errors import HemalogError
import storage.sql as storage_sql
from storage.database import open_database
from storage.sql import (
    RESERVED_COLUMNS, Busy, ConnectionLost, NotPermitted, PostgresSql, Sql, SqlError,
    SqliteSql, UniqueViolation, json_text, quote_name, to_pyformat,
)

psycopg = pytest.importorskip("psycopg")


# --- the two backends -------------------------------------------------------------------
class Backend:
    """Opens ``Sql`` connections to one database (the same one each time)."""

    def __init__(self, kind: str, opener: Callable[[], Sql]) -> None:
        self.kind = kind
        self._opener = opener
        self.opened: list[Sql] = []

    def open(self) -> Sql:
        sql = self._opener()
        self.opened.append(sql)
        return sql

    def close_all(self) -> None:
        for sql in self.opened:
            with suppress(Exception):
                sql.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        path = tmp_path / "dialects.db"
        b = Backend("sqlite", lambda: SqliteSql(open_database(path)))
    else:
        url = request.getfixturevalue("pg_url")
        b = Backend("postgresql", lambda: PostgresSql(psycopg.connect(url)))
    try:
        yield b
    finally:
        b.close_all()


@pytest.fixture
def sql(backend: Backend) -> Sql:
    return backend.open()


def ddl(sql: Sql, text: str) -> str:
    """Column types as hemalog's two schemas spell them (PostgreSQL text is bytewise)."""
    if sql.dialect == "sqlite":
        return text.format(INT="INTEGER", TEXT="TEXT", REAL="REAL")
    return text.format(INT="bigint", TEXT='text COLLATE "C"', REAL="double precision")


def make_table(sql: Sql) -> None:
    sql.execute(ddl(sql, "CREATE TABLE t (id {INT} PRIMARY KEY, k {TEXT} NOT NULL, "
                         "v {REAL}, n {INT})"))
    sql.execute("CREATE UNIQUE INDEX t_k ON t (k)")


def one_line(exc: BaseException) -> str:
    assert isinstance(exc, HemalogError)
    assert len(exc.lines) == 1 and "\n" not in str(exc), exc.lines
    assert exc.__cause__ is None and exc.__suppress_context__   # no sqlite3/psycopg inside
    return str(exc)


# --- same rows back -------------------------------------------------------------------------
def test_both_backends_implement_the_interface(sql: Sql, backend: Backend) -> None:
    assert isinstance(sql, Sql)
    assert sql.dialect == backend.kind


def test_the_same_rows_come_back(sql: Sql) -> None:
    make_table(sql)
    sql.insert("t", {"id": 1, "k": "a", "v": 7, "n": 3})
    assert sql.insert_all("t", [{"id": 2, "k": "b", "v": 1.5, "n": None},
                                {"id": 3, "k": "c", "v": None, "n": 0}]) == 2
    rows = sql.query("SELECT id, k, v, n FROM t ORDER BY id")
    assert rows == [{"id": 1, "k": "a", "v": 7.0, "n": 3},
                    {"id": 2, "k": "b", "v": 1.5, "n": None},
                    {"id": 3, "k": "c", "v": None, "n": 0}]
    assert [type(r["v"]) for r in rows] == [float, float, type(None)]
    assert type(rows[0]["id"]) is int
    assert sql.query_one("SELECT k FROM t WHERE id = ?", [2]) == {"k": "b"}
    assert sql.query_one("SELECT k FROM t WHERE id = ?", [99]) is None
    assert sql.scalar("SELECT count(*) FROM t") == 3
    assert sql.scalar("SELECT k FROM t WHERE id = ?", [99]) is None
    assert sql.query("SELECT * FROM t WHERE id > ?", [5]) == []
    assert sql.execute("UPDATE t SET n = n + 1 WHERE id IN (?, ?)", [1, 3]) == 2
    assert sql.execute("UPDATE t SET n = 0 WHERE id = ?", [99]) == 0
    assert sql.insert_all("t", []) == 0


def test_insert_all_refuses_rows_with_other_columns(sql: Sql) -> None:
    make_table(sql)
    with pytest.raises(ValueError, match="every row must have the columns"):
        sql.insert_all("t", [{"id": 1, "k": "a"}, {"id": 2, "v": 1.0}])
    assert sql.scalar("SELECT count(*) FROM t") == 0


def test_next_id_is_coalesce_max_plus_one(sql: Sql) -> None:
    make_table(sql)
    first = sql.scalar("SELECT coalesce(max(id), 0) + 1 FROM t")
    assert first == 1 and type(first) is int
    sql.insert_all("t", [{"id": i, "k": f"k{i}", "n": i % 2} for i in (1, 2, 5)])
    assert sql.scalar("SELECT coalesce(max(id), 0) + 1 FROM t") == 6
    assert sql.scalar("SELECT coalesce(max(id), 0) + 1 FROM t WHERE n = ?", [0]) == 3
    assert sql.scalar("SELECT coalesce(max(id), 0) - ? FROM t", [2]) == 3


def test_order_by_text_is_bytewise(sql: Sql) -> None:
    make_table(sql)
    words = ["b", "B", "a", "Z", "é", "e", "z", "张", "_x", "a b", "ab", "A", "~", "0", "ä",
             "Ω", "😀", "ﬀ", "a\tb"]
    sql.insert_all("t", [{"id": i, "k": w} for i, w in enumerate(words, 1)])
    got = [r["k"] for r in sql.query("SELECT k FROM t ORDER BY k")]
    assert got == sorted(words, key=lambda w: w.encode("utf-8"))
    assert sql.scalar("SELECT min(k) FROM t") == "\u0030"
    assert sql.scalar("SELECT max(k) FROM t") == "😀"


def test_like_with_escape_finds_the_same_patients(sql: Sql) -> None:
    from storage.repository import search_condition, search_key

    sql.execute(ddl(sql, "CREATE TABLE p (id {INT} PRIMARY KEY, search_key {TEXT} NOT NULL)"))
    people = {1: ("p-1", "张伟"), 2: ("p-2", "Zhang Wei"), 3: ("50%", "Ann"),
              4: ("a_b", "Bo"), 5: ("a\\b", "Cy"), 6: ("axb", "Di"), 7: ("p-7", "章伟")}
    sql.insert_all("p", [{"id": i, "search_key": search_key(*v)} for i, v in people.items()])

    def found(text: str) -> set[int]:
        condition, params = search_condition(text)
        return {r["id"] for r in sql.query(f"SELECT id FROM p WHERE {condition} ORDER BY id",
                                           params)}

    assert found("%") == {3}
    assert found("_") == {4}
    assert found("a_b") == {4}
    assert found("a\\b") == {5}
    assert found("zhang") == {1, 2, 7}
    assert found("张w") == {1}
    assert found("zhang wei") == {1, 2, 7}
    assert found("zhang 伟") == {1, 7}  # 章 is zhang too
    assert found("张 伟") == {1}
    assert found("ANN") == {3}          # keys and query are case-folded alike
    assert found("") == set(people)


def test_like_literals_and_percent_in_the_sql_text(sql: Sql) -> None:
    make_table(sql)
    sql.insert_all("t", [{"id": 1, "k": "50% off"}, {"id": 2, "k": "50 off"},
                         {"id": 3, "k": "what?"}, {"id": 4, "k": "100%"}])
    assert [r["id"] for r in sql.query(
        "SELECT id FROM t WHERE k LIKE '%\\%%' ESCAPE '\\' ORDER BY id")] == [1, 4]
    assert [r["id"] for r in sql.query(
        "SELECT id FROM t WHERE k LIKE '%?' AND id > ? ORDER BY id", [0])] == [3]
    assert [r["id"] for r in sql.query(
        "SELECT id FROM t WHERE k LIKE ? ESCAPE '\\' AND id <> ? ORDER BY id",
        ["%\\%%", 4])] == [1]
    row = sql.query_one("SELECT '?' AS q, 'it''s ?' AS r, ? AS p, '%' AS pc, '%%' AS pp", [5])
    assert row == {"q": "?", "r": "it's ?", "p": 5, "pc": "%", "pp": "%%"}
    assert sql.scalar("SELECT 7 % 3") == 1                      # modulo, no parameters
    assert sql.scalar("SELECT ? % 3 -- a comment with ? and %", [8]) == 2
    assert sql.scalar('SELECT "k?" FROM (SELECT k AS "k?" FROM t WHERE id = ?) s', [3]) == "what?"


def test_json_text_reads_a_text_value(sql: Sql) -> None:
    sql.execute(ddl(sql, "CREATE TABLE a (id {INT} PRIMARY KEY, new_value {TEXT})"))
    sql.insert_all("a", [{"id": 1, "new_value": '{"mrn": "p-1", "n": 2}'},
                         {"id": 2, "new_value": '{"other": "x"}'}, {"id": 3, "new_value": None}])
    rows = sql.query(f"SELECT id, {json_text(sql.dialect, 'new_value', 'mrn')} AS mrn FROM a "
                     "ORDER BY id")
    assert rows == [{"id": 1, "mrn": "p-1"}, {"id": 2, "mrn": None}, {"id": 3, "mrn": None}]
    with pytest.raises(ValueError):
        json_text(sql.dialect, "new_value", "x'); DROP TABLE a; --")


def test_upsert_in_the_portable_form(sql: Sql) -> None:
    """accounts' ON CONFLICT ... failures = failures + 1 is ambiguous on PostgreSQL; the
    qualified form works on both."""
    sql.execute(ddl(sql, "CREATE TABLE tries (name {TEXT} PRIMARY KEY, "
                         "failures {INT} NOT NULL, last_failure_at {REAL} NOT NULL)"))
    upsert = ("INSERT INTO tries (name, failures, last_failure_at) VALUES (?, 1, ?) "
              "ON CONFLICT(name) DO UPDATE SET failures = tries.failures + 1, "
              "last_failure_at = excluded.last_failure_at")
    for at in (1.0, 2.0, 3.5):
        sql.execute(upsert, ["ann", at])
    assert sql.query("SELECT * FROM tries") == [
        {"name": "ann", "failures": 3, "last_failure_at": 3.5}]


def test_tables_and_columns(sql: Sql) -> None:
    make_table(sql)
    assert "t" in sql.tables()
    assert not any(name.startswith(("sqlite_", "pg_")) for name in sql.tables())
    assert sql.columns("t") == ["id", "k", "v", "n"]
    assert sql.columns("no_such_table") == []


# --- reserved names -----------------------------------------------------------------------
def test_a_reserved_column_works_quoted_on_both(sql: Sql) -> None:
    sql.execute(ddl(sql, 'CREATE TABLE log (id {INT} PRIMARY KEY, "user" {TEXT} NOT NULL, '
                         "at {TEXT}, action {TEXT})"))
    sql.insert("log", {"id": 1, "user": "ann", "at": "2024-01-01", "action": "insert"})
    sql.insert_all("log", [{"id": 2, "user": "bo", "at": "x", "action": "update"}])
    assert sql.query('SELECT "user", at, action FROM log WHERE "user" = ?', ["bo"]) == [
        {"user": "bo", "at": "x", "action": "update"}]
    assert sql.scalar(f"SELECT {quote_name('user')} FROM log WHERE id = ?", [1]) == "ann"
    assert sql.columns("log") == ["id", "user", "at", "action"]
    if sql.dialect == "postgresql":
        # Unquoted, it is the login's name: no error, a wrong answer. Hence the quotes.
        assert sql.scalar("SELECT user FROM log WHERE id = ?", [1]) != "ann"


def test_reserved_columns_are_listed(pg_url: str, tmp_path: Path) -> None:
    """RESERVED_COLUMNS (and the module docstring) name every column of hemalog's schema
    that PostgreSQL reserves, and no table name is reserved."""
    db = open_database(tmp_path / "schema.db")
    try:
        lite = SqliteSql(db)
        schema = {(t, c) for t in lite.tables() for c in lite.columns(t)}
    finally:
        db.close()
    with psycopg.connect(pg_url) as conn:
        reserved = {w for (w,) in conn.execute(
            "SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')")}
    assert {(t, c) for t, c in schema if c in reserved} == RESERVED_COLUMNS
    assert not {t for t, _ in schema} & reserved
    assert 'audit."user"' in (storage_sql.__doc__ or "")


# --- transactions -------------------------------------------------------------------------
def test_a_transaction_commits_at_the_end(backend: Backend) -> None:
    a, b = backend.open(), backend.open()
    make_table(a)
    with a.transaction() as tx:
        assert tx is a
        a.insert("t", {"id": 1, "k": "x"})
        a.execute("UPDATE t SET n = ? WHERE id = ?", [5, 1])
        assert a.scalar("SELECT n FROM t") == 5
        assert b.scalar("SELECT count(*) FROM t") == 0   # not yet committed
    assert b.query("SELECT id, n FROM t") == [{"id": 1, "n": 5}]


def test_a_transaction_rolls_back_when_it_raises(backend: Backend) -> None:
    a, b = backend.open(), backend.open()
    make_table(a)
    a.insert("t", {"id": 1, "k": "kept"})
    with pytest.raises(RuntimeError, match="half-way"):
        with a.transaction():
            a.insert("t", {"id": 2, "k": "gone"})
            a.execute("UPDATE t SET n = 9")
            raise RuntimeError("half-way")
    assert b.query("SELECT id, n FROM t") == [{"id": 1, "n": None}]
    assert a.query("SELECT id, n FROM t") == [{"id": 1, "n": None}]
    with a.transaction():          # the connection is usable again
        a.insert("t", {"id": 3, "k": "next"})
    assert b.scalar("SELECT count(*) FROM t") == 2


def test_a_nested_transaction_joins_the_outer_one(backend: Backend) -> None:
    a, b = backend.open(), backend.open()
    make_table(a)
    with a.transaction():
        a.insert("t", {"id": 1, "k": "outer"})
        with a.transaction():
            a.insert("t", {"id": 2, "k": "inner"})
        assert b.scalar("SELECT count(*) FROM t") == 0   # the inner end committed nothing
        a.insert_all("t", [{"id": 3, "k": "all"}])     # insert_all joins too
        assert b.scalar("SELECT count(*) FROM t") == 0
    assert b.scalar("SELECT count(*) FROM t") == 3

    with pytest.raises(RuntimeError):
        with a.transaction():
            a.insert("t", {"id": 4, "k": "outer 2"})
            with a.transaction():
                a.insert("t", {"id": 5, "k": "inner 2"})
            raise RuntimeError("the outer block fails after the inner one ended")
    with pytest.raises(RuntimeError):
        with a.transaction():
            a.insert("t", {"id": 6, "k": "outer 3"})
            with a.transaction():
                raise RuntimeError("the inner block fails")
    assert [r["id"] for r in b.query("SELECT id FROM t ORDER BY id")] == [1, 2, 3]


def test_outside_a_transaction_each_statement_commits(backend: Backend) -> None:
    a, b = backend.open(), backend.open()
    make_table(a)
    a.insert("t", {"id": 1, "k": "x"})
    assert a.execute("UPDATE t SET n = 1") == 1
    assert b.query("SELECT id, n FROM t") == [{"id": 1, "n": 1}]
    with b.transaction():          # and no write lock is left behind
        b.insert("t", {"id": 2, "k": "y"})
    assert a.scalar("SELECT count(*) FROM t") == 2


def test_a_second_writer_waits_then_is_busy_while_readers_go_on(backend: Backend) -> None:
    a, b = backend.open(), backend.open()
    make_table(a)
    a.insert("t", {"id": 1, "k": "before"})
    with a.transaction():
        a.insert("t", {"id": 2, "k": "pending"})
        assert b.scalar("SELECT count(*) FROM t") == 1      # readers are not blocked
        started = time.monotonic()
        with pytest.raises(Busy) as caught:
            with b.transaction():
                b.insert("t", {"id": 3, "k": "queued"})
        waited = time.monotonic() - started
        assert 0.15 <= waited < 3, waited                    # HEMALOG_BUSY_TIMEOUT=0.2
        assert "try again" in one_line(caught.value)
    with b.transaction():                                    # free again once a commits
        b.insert("t", {"id": 3, "k": "queued"})
    assert a.scalar("SELECT count(*) FROM t") == 3


# --- errors -------------------------------------------------------------------------------
def test_a_unique_violation_is_one_line(backend: Backend) -> None:
    a, b = backend.open(), backend.open()
    make_table(a)
    a.insert("t", {"id": 1, "k": "p-1"})
    with pytest.raises(UniqueViolation) as caught:
        a.insert("t", {"id": 2, "k": "p-1"})
    line = one_line(caught.value)
    assert "t.k: this value is already taken" in line and "p-1" not in line.split(": ", 1)[1]
    with pytest.raises(UniqueViolation, match=r"t\.id: this value is already taken"):
        a.execute("INSERT INTO t (id, k) VALUES (?, ?)", [1, "other"])
    with pytest.raises(UniqueViolation):                     # the whole transaction goes
        with a.transaction():
            a.insert("t", {"id": 3, "k": "new"})
            a.insert_all("t", [{"id": 4, "k": "p-1"}])
    assert b.query("SELECT id FROM t") == [{"id": 1}]
    a.insert("t", {"id": 3, "k": "new"})                     # the connection goes on
    with pytest.raises(SqlError) as other:
        a.query("SELECT no_such_column FROM t")
    assert not isinstance(other.value, UniqueViolation | ConnectionLost | NotPermitted | Busy)
    one_line(other.value)


def test_a_rule_of_the_schema_refuses_as_not_permitted(sql: Sql) -> None:
    """An append-only trigger: RAISE(ABORT) on SQLite, SQLSTATE 42501 on PostgreSQL."""
    make_table(sql)
    if sql.dialect == "sqlite":
        sql.execute("CREATE TRIGGER t_no_delete BEFORE DELETE ON t "
                    "BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END")
    else:
        sql.execute("CREATE FUNCTION t_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "RAISE EXCEPTION 'hemalog: the log is append-only' USING ERRCODE = '42501'; "
                    "END $$")
        sql.execute("CREATE TRIGGER t_no_delete BEFORE DELETE ON t "
                    "FOR EACH ROW EXECUTE FUNCTION t_refuse()")
    sql.insert("t", {"id": 1, "k": "x"})
    with pytest.raises(NotPermitted) as caught:
        sql.execute("DELETE FROM t WHERE id = ?", [1])
    assert one_line(caught.value).endswith("the log is append-only")
    assert sql.scalar("SELECT count(*) FROM t") == 1


def test_a_refused_permission_is_not_permitted_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    writer = SqliteSql(open_database(path))
    make_table(writer)
    writer.close()
    reader = SqliteSql(open_database(path, read_only=True))
    try:
        assert reader.scalar("SELECT count(*) FROM t") == 0
        with pytest.raises(NotPermitted) as caught:
            reader.insert("t", {"id": 1, "k": "x"})
        assert "read-only" in one_line(caught.value)
    finally:
        reader.close()


def test_a_refused_permission_is_not_permitted_postgresql(
        pg_url: str, pg_server) -> None:  # noqa: ANN001
    owner = PostgresSql(psycopg.connect(pg_url))
    login = f"t_nobody_{uuid.uuid4().hex[:8]}"
    try:
        make_table(owner)
        with pg_server.admin() as admin:
            admin.execute(f"CREATE ROLE {login} LOGIN")
        dbname = urlsplit(pg_url).path.lstrip("/")
        nobody = PostgresSql(psycopg.connect(pg_server.url(dbname, user=login)))
        try:
            with pytest.raises(NotPermitted) as caught:
                nobody.insert("t", {"id": 1, "k": "x"})
            assert "refused by the server: permission denied for table t" in one_line(caught.value)
            with pytest.raises(NotPermitted):
                nobody.query("SELECT * FROM t")
            assert nobody.scalar("SELECT 1") == 1
        finally:
            nobody.close()
        with pytest.raises(NotPermitted, match="refused the connection: role "
                           '"t_no_such_login_x" does not exist') as unknown:
            PostgresSql.connect(pg_server.url(dbname, user="t_no_such_login_x"))
        one_line(unknown.value)
    finally:
        owner.close()
        with pg_server.admin() as admin:
            admin.execute(f"DROP ROLE IF EXISTS {login}")


def test_a_closed_sqlite_connection_is_connection_lost(tmp_path: Path) -> None:
    sql = SqliteSql(open_database(tmp_path / "closed.db"))
    sql.close()
    with pytest.raises(ConnectionLost) as caught:
        sql.query("SELECT 1")
    one_line(caught.value)
    with pytest.raises(ConnectionLost):
        with sql.transaction():
            pass


def test_a_stopped_server_is_connection_lost(pg_url: str, pg_server) -> None:  # noqa: ANN001
    dbname = urlsplit(pg_url).path.lstrip("/")
    sql = PostgresSql(psycopg.connect(pg_url))
    idle = PostgresSql.connect(pg_url)
    try:
        make_table(sql)
        sql.insert("t", {"id": 1, "k": "saved"})
        try:
            with pytest.raises(ConnectionLost) as caught:
                with sql.transaction():
                    sql.insert("t", {"id": 2, "k": "half-written"})
                    pg_server.stop()
                    sql.insert("t", {"id": 3, "k": "never"})
            line = one_line(caught.value)
            assert "connection to the database server was lost" in line
            with pytest.raises(ConnectionLost):
                idle.query("SELECT 1")
            with pytest.raises(ConnectionLost):
                sql.scalar("SELECT 1")
            with pytest.raises(ConnectionLost, match="cannot reach the database server") as down:
                PostgresSql.connect(pg_server.url(dbname, password="s3cret-pw"))
            assert "s3cret-pw" not in one_line(down.value)
            assert "Connection refused" in str(down.value)
        finally:
            pg_server.start()
    finally:
        sql.close()
        idle.close()
    again = PostgresSql.connect(pg_server.url(dbname))
    try:
        assert again.query("SELECT id, k FROM t") == [{"id": 1, "k": "saved"}]
    finally:
        again.close()


def test_psycopg_and_sqlite3_errors_never_leave(sql: Sql) -> None:
    for statement in ("SELEC 1", "SELECT * FROM no_such_table", "INSERT INTO nowhere VALUES (1)"):
        with pytest.raises(SqlError) as caught:
            sql.execute(statement)
        assert not isinstance(caught.value, sqlite3.Error | psycopg.Error)
        one_line(caught.value)


# --- ? to %s ------------------------------------------------------------------------------
@pytest.mark.parametrize(("given", "expected"), [
    ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
    ("SELECT '?' , ?", "SELECT '?' , %s"),
    ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', %s"),
    ("k LIKE ? ESCAPE '\\' AND id = ?", "k LIKE %s ESCAPE '\\' AND id = %s"),
    ("k LIKE '%x%' AND id = ?", "k LIKE '%%x%%' AND id = %s"),
    ("SELECT 7 % 3", "SELECT 7 %% 3"),
    ('SELECT "a?b", "q""?" FROM t WHERE c = ?', 'SELECT "a?b", "q""?" FROM t WHERE c = %s'),
    ("SELECT E'a\\'?' , ?", "SELECT E'a\\'?' , %s"),
    ("SELECT e'\\\\', ?", "SELECT e'\\\\', %s"),
    ("SELECT some'x?' , ?", "SELECT some'x?' , %s"),     # not an E string: no escapes
    ("SELECT 1 -- why? 100%\n, ?", "SELECT 1 -- why? 100%%\n, %s"),
    ("SELECT /* a ? /* nested ? */ b ? */ ?", "SELECT /* a ? /* nested ? */ b ? */ %s"),
    ("SELECT $$a ? '$$, ?", "SELECT $$a ? '$$, %s"),
    ("SELECT $tag$ ? $$ ? $tag$, ?", "SELECT $tag$ ? $$ ? $tag$, %s"),
    ("SELECT a$b, ?", "SELECT a$b, %s"),
    ("SELECT 'unterminated ?", "SELECT 'unterminated ?"),
    ("", ""),
    ("??", "%s%s"),
    ("SELECT '张?', ?", "SELECT '张?', %s"),
])
def test_to_pyformat(given: str, expected: str) -> None:
    assert to_pyformat(given) == expected


def test_to_pyformat_round_trips_through_psycopg(pg_url: str) -> None:
    sql = PostgresSql(psycopg.connect(pg_url))
    try:
        row = sql.query_one("SELECT E'it\\'s ?' AS e, $$50% ?$$ AS d, ? AS p /* ? */", ["x"])
        assert row == {"e": "it's ?", "d": "50% ?", "p": "x"}
    finally:
        sql.close()


def test_postgres_sql_takes_over_a_connection_in_autocommit(pg_url: str) -> None:
    conn = psycopg.connect(pg_url)
    conn.execute("SELECT 1")          # an implicit transaction, open
    with pytest.raises(SqlError, match="inside a transaction"):
        PostgresSql(conn)
    conn.rollback()
    sql = PostgresSql(conn)
    try:
        assert conn.autocommit
        assert sql.location.endswith("/" + urlsplit(pg_url).path.lstrip("/"))
    finally:
        sql.close()
