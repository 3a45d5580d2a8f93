"""One small SQL interface, two implementations: SQLite and PostgreSQL (issue 16).

The repositories (storage.repository, audit, accounts, history, integrity) talk to
``Sql`` and never to sqlite3, sqlite-utils or psycopg, so the same code runs on a
SQLite file (``SqliteSql``) and on a PostgreSQL server (``PostgresSql``).

    sql.query("SELECT * FROM patients WHERE mrn = ?", [mrn])    -> list of dicts
    sql.query_one(...)      -> the first row (a dict) or None
    sql.scalar(...)         -> the first column of the first row, or None
    sql.execute(...)        -> rows changed (INSERT, UPDATE, DELETE)
    sql.insert(table, row); sql.insert_all(table, rows)
    with sql.transaction(): ...   # one write transaction; nested use joins the outer one
    sql.dialect ("sqlite" | "postgresql"), sql.tables(), sql.columns(table), sql.close()

SQL is written once, with ``?`` placeholders, in the common subset of both dialects.
On PostgreSQL ``to_pyformat`` turns each ``?`` outside string literals, quoted names
and comments into ``%s`` and doubles every ``%`` (psycopg reads ``%`` anywhere in
the text, string literals included), so ``LIKE '%x%'`` and ``'?'`` mean what they
say on both. PostgreSQL's ``?`` operators (jsonb) cannot be written through it.

Write transactions behave alike. SQLite: BEGIN IMMEDIATE (storage.database.write),
so writers queue on the busy timeout (HEMALOG_BUSY_TIMEOUT). PostgreSQL: BEGIN, then
a transaction-scoped advisory lock (``WRITE_LOCK``) taken with ``lock_timeout`` set
to the same timeout, so writers queue the same way: the repositories' ids
(``coalesce(max(id), 0) + 1``) and the audit hash chain (the previous row's hash)
rely on one writer at a time. Outside ``transaction()`` every statement commits on
its own on both (autocommit). On PostgreSQL a failed statement ends the whole
transaction: callers must not catch an error and carry on inside one.

Errors never leave as sqlite3 or psycopg exceptions: each is a ``SqlError`` (a
storage.database.DatabaseError, so a clinical.errors.HemalogError) with one plain
line naming the database; four of them are told apart on both backends:
``UniqueViolation`` (a unique index or primary key), ``ConnectionLost`` (the server
went away or cannot be reached; a closed or unreachable file on SQLite),
``NotPermitted`` (the server refused the role: SQLSTATE 42501 or a read-only
transaction; on SQLite a read-only file or an append-only trigger) and ``Busy``
(another writer held the lock for longer than the timeout; deadlocks and
serialization failures too). Anything else is a plain ``SqlError``. A read-only
database (SQLITE_READONLY, SQLSTATE 25006) is a ``ReadOnlyDatabase``, a kind of
``NotPermitted``: sign-in bookkeeping skips recording there.

Names reserved by PostgreSQL. ``insert`` and ``insert_all`` quote every name
themselves; SQL written by hand must quote these, on both backends (SQLite accepts
the quotes). In hemalog's schema (storage.migrations, SCHEMA_VERSION 5) only one
column is a reserved word in PostgreSQL:

    audit."user"    -- unquoted, ``SELECT user FROM audit`` is the login's name, not
                    -- the column, and ``WHERE user = ?`` compares with the login:
                    -- no error, a silently wrong answer.

No table name is reserved. These columns are non-reserved keywords and need no
quotes: audit.action, audit.at, users.language, users.role, patients.name,
courses.name, sign_in_state.name, events.type, labs.value, every table's version.
``RESERVED_COLUMNS`` holds the list (tests/storage/test_sql_dialects.py checks it
against the server's pg_get_keywords()).

SQLite-only idioms found in the storage modules, and their portable form:

- ``db.conn.execute(sql).fetchone()[0]`` -> ``sql.scalar(sql)``; tuple rows ->
  ``query``/``query_one`` (dict rows).
- ``conn.executemany("INSERT ...")`` (audit, repository) -> ``insert_all``.
- ``db[t].insert(row).last_pk`` (accounts: users id from the rowid) -> compute the id
  as every other table does, ``scalar("SELECT coalesce(max(id), 0) + 1 FROM users")``
  inside the transaction, and insert it.
- ``db[t].update(pk, values)`` -> ``execute("UPDATE t SET a = ?, b = ? WHERE id = ?")``.
- ``ON CONFLICT(name) DO UPDATE SET failures = failures + 1`` (accounts) is ambiguous
  on PostgreSQL: write ``failures = sign_in_state.failures + 1`` (both accept it).
- ``sqlite_master`` / ``db.table_names()`` -> ``tables()``; ``PRAGMA table_info``
  -> ``columns()``. Column defaults (integrity) have no portable form here yet.
- ``json_extract(col, '$.key')`` -> ``json_text(dialect, col, key)`` for text values;
  a JSON boolean reads 1 on SQLite and 'true' on PostgreSQL: read such rows and
  ``json.loads`` them in Python (history's ``replaced_had_accounts``).
- ``SELECT * FROM [table]`` (integrity) -> ``"table"``.
- ``PRAGMA user_version`` -> the schema_version table on PostgreSQL;
  ``PRAGMA integrity_check``/``quick_check``/``database_list``/``journal_mode``/
  ``foreign_keys`` and the ``audit_no_*`` triggers are the file's own: SQLite only.
- ``sqlite3.Error``/``sqlite_errorname`` checks -> catch the errors below.
- LIKE is case-insensitive for ASCII on SQLite and case-sensitive on PostgreSQL:
  compare normalised text only (search_key is case-folded, so is the query).
- Text order: hemalog's PostgreSQL columns are ``COLLATE "C"``: bytewise, as SQLite.
- Values: pass ints for flags (a Python bool is a boolean on PostgreSQL, not 0/1),
  never text for a number; ``sum()``/``avg()`` give Decimal on PostgreSQL (cast).
- ``SELECT *`` from audit on PostgreSQL also returns ``txid`` (not hashed).
- Cursors that stream (integrity, verify_chain) -> ``query`` returns a list.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, Union, runtime_checkable

from storage.database import (DatabaseError, SqliteFile, busy_timeout_seconds,
                              describe_sqlite_error, write)

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = [
    "Sql", "SqliteSql", "PostgresSql", "SqlError", "UniqueViolation", "ConnectionLost",
    "NotPermitted", "ReadOnlyDatabase", "Busy", "SqlLike", "as_sql", "to_pyformat",
    "quote_name", "json_text", "RESERVED_COLUMNS", "WRITE_LOCK",
]

Dialect = Literal["sqlite", "postgresql"]
Params = Sequence[Any]

# Columns of hemalog's schema whose names PostgreSQL reserves: quote them ("user").
RESERVED_COLUMNS = frozenset({("audit", "user")})
# pg_advisory_xact_lock key every write transaction takes on PostgreSQL ("hmlw").
WRITE_LOCK = 0x686D6C77


# --- errors -------------------------------------------------------------------------------
class SqlError(DatabaseError):
    """A database failure, in one plain line naming the database."""


class UniqueViolation(SqlError):
    """A row with the same key (unique index or primary key) is already there."""


class ConnectionLost(SqlError):
    """The database cannot be reached: the server went away, or the file or its
    connection is gone. The server rolls back a transaction it loses, so nothing of
    it was saved, unless the connection went during its COMMIT: then the line says
    the outcome is unknown (reload to see)."""


class NotPermitted(SqlError):
    """The database refused the change: the role may not do it, the database is
    read-only, or a rule of the schema (an append-only log) forbids it."""


class ReadOnlyDatabase(NotPermitted):
    """The database (or this connection to it) is read-only: SQLITE_READONLY, or a
    read-only transaction on the server (SQLSTATE 25006). Sign-in bookkeeping, which
    cannot be recorded there, tells it apart from other refusals."""


class Busy(SqlError):
    """Another writer held the database for longer than the busy timeout."""


# --- ? to %s ------------------------------------------------------------------------------
_IDENT = re.compile(r"[A-Za-z0-9_$\x80-\U0010ffff]")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_\x80-\U0010ffff]*)?\$")


def to_pyformat(sql: str) -> str:
    """``sql`` with ``?`` placeholders for psycopg: each ``?`` outside string literals
    ('...', E'...' with backslash escapes, $tag$...$tag$), quoted names ("...") and
    comments (-- and /* */) becomes ``%s``; every ``%`` becomes ``%%`` (psycopg reads
    ``%`` everywhere when parameters are passed, which PostgresSql always does)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c == "?":
            out.append("%s")
            i += 1
        elif c == "%":
            out.append("%%")
            i += 1
        elif c in "'\"":
            backslash = (c == "'" and i > 0 and sql[i - 1] in "eE"
                         and (i < 2 or not _IDENT.match(sql[i - 2])))
            end = _quoted_end(sql, i, c, backslash)
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("/*", i):
            end = _comment_end(sql, i)
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif c == "$" and (i == 0 or not _IDENT.match(sql[i - 1])) and \
                (tag := _DOLLAR_TAG.match(sql, i)):
            close = sql.find(tag.group(), tag.end())
            end = n if close < 0 else close + len(tag.group())
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _quoted_end(sql: str, start: int, quote: str, backslash: bool) -> int:
    """Index just past the literal or name opened at ``start`` (a doubled quote stays
    inside; with ``backslash``, so does a backslash-escaped character)."""
    i, n = start + 1, len(sql)
    while i < n:
        c = sql[i]
        if backslash and c == "\\":
            i += 2
        elif c == quote:
            if i + 1 < n and sql[i + 1] == quote:
                i += 2
            else:
                return i + 1
        else:
            i += 1
    return n


def _comment_end(sql: str, start: int) -> int:
    """Index just past the /* */ comment at ``start`` (PostgreSQL nests them)."""
    depth, i, n = 0, start, len(sql)
    while i < n:
        if sql.startswith("/*", i):
            depth += 1
            i += 2
        elif sql.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return n


def quote_name(name: str) -> str:
    """A table or column name quoted for both dialects: "user"."""
    return '"' + name.replace('"', '""') + '"'


def json_text(dialect: Dialect, column: str, key: str) -> str:
    """SQL for the text value of the top-level ``key`` of the JSON text in ``column``
    (NULL when absent). For text values only: a JSON boolean or number reads
    differently on the two backends. ``key`` is a plain word."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise ValueError(f"json_text: {key!r} is not a plain key")
    if dialect == "sqlite":
        return f"json_extract({column}, '$.{key}')"
    return f"(({column})::jsonb ->> '{key}')"


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return (f"INSERT INTO {quote_name(table)} ({', '.join(map(quote_name, columns))}) "
            f"VALUES ({', '.join('?' * len(columns))})")


def _rows_of(table: str, rows: Iterable[Mapping[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    rows = list(rows)
    if not rows:
        return [], []
    columns = list(rows[0])
    keys = rows[0].keys()
    values = []
    for row in rows:
        if row.keys() != keys:
            raise ValueError(f"insert_all({table}): every row must have the columns "
                             f"{', '.join(columns)}")
        values.append([row[c] for c in columns])
    return columns, values


# --- the interface ------------------------------------------------------------------------
@runtime_checkable
class Sql(Protocol):
    """What the repositories use of a database connection (see the module docstring)."""

    dialect: Dialect
    location: str   # the database in messages: a file's path, or host:port/dbname

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Every row, as dicts keyed by column name."""

    def query_one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        """The first row, or None."""

    def tuples(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Every row, as tuples in the order of the select list (for reads of many
        rows, where a dict per row costs more than the row)."""

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None when there is no row."""

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; the number of rows it inserted, updated or deleted."""

    def insert(self, table: str, row: Mapping[str, Any]) -> None:
        """Insert one row (every name quoted)."""

    def insert_all(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert rows that all have the same columns; how many."""

    def transaction(self) -> AbstractContextManager[Any]:
        """A context manager: one write transaction, committed at the end of the block
        and rolled back when it raises; inside another, it joins it."""

    def tables(self) -> set[str]:
        """The names of the database's tables."""

    def columns(self, table: str) -> list[str]:
        """The columns of ``table`` in order ([] when there is no such table)."""

    def close(self) -> None:
        """Close the connection."""


# What the audit, accounts and history functions accept: an ``Sql``, or the open file
# (storage.database.SqliteFile, or a sqlite-utils Database) that storage.backup,
# storage.integrity and storage.migrations still hold.
SqlLike = Union["Sql", SqliteFile, "Database"]


def as_sql(db: SqlLike) -> Sql:
    """``db`` as an ``Sql``: an open SQLite file (what the SQLite-only steps of
    storage.backup, storage.integrity and storage.migrations hold) gets a ``SqliteSql``
    over it; an ``Sql`` is returned as it is. Decided by type, never by asking the
    object: a SqliteFile would load sqlite-utils to answer."""
    if isinstance(db, SqliteFile) or type(db).__module__.startswith("sqlite_utils"):
        return SqliteSql(db)  # type: ignore[arg-type]
    return db  # type: ignore[return-value]


# --- SQLite -------------------------------------------------------------------------------
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")


class SqliteSql:
    """``Sql`` on a SQLite database opened by storage.database.open_database."""

    dialect: Dialect = "sqlite"

    def __init__(self, db: SqliteFile | Database) -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        try:
            row = self.conn.execute("PRAGMA database_list").fetchone()
        except sqlite3.Error:
            row = None
        self.location = (row[2] if row and row[2] else "the database")

    @classmethod
    def open_read_only(cls, path: Path) -> SqliteSql:
        """The SQLite file at ``path`` opened read-only (``mode=ro``), as it is: no
        pragmas, no migration (storage.database.open_database does those)."""
        try:
            conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise SqlError(describe_sqlite_error(Path(path), exc)) from None
        try:
            return cls(SqliteFile(conn))
        except BaseException:
            conn.close()
            raise

    # errors
    def _error(self, exc: sqlite3.Error) -> SqlError:
        path = Path(self.location)
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        lowered = text.lower()
        if isinstance(exc, sqlite3.ProgrammingError) and "closed" in lowered:
            return ConnectionLost(f"{path}: the database connection is closed")
        if match := _SQLITE_UNIQUE.search(text):
            return UniqueViolation(f"{path}: {match.group(1)}: this value is already taken")
        if name == "SQLITE_CONSTRAINT_TRIGGER":
            return NotPermitted(f"{path}: refused: {text}")
        if name == "SQLITE_READONLY":
            return ReadOnlyDatabase(describe_sqlite_error(path, exc))
        if name.startswith("SQLITE_READONLY") or "readonly" in lowered:
            return NotPermitted(describe_sqlite_error(path, exc))
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in lowered \
                or "busy" in lowered:
            return Busy(describe_sqlite_error(path, exc))
        if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) and "full" not in lowered:
            return ConnectionLost(f"{path}: the database file cannot be reached ({text})")
        return SqlError(describe_sqlite_error(path, exc))

    @contextmanager
    def _mapped(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _run(self, sql: str, params: Params,
             limit: int | None = None) -> tuple[list[str], list[tuple[Any, ...]], int]:
        """(column names, rows, rowcount) of one statement. Outside a transaction a
        write commits at once, as on PostgreSQL (Python's sqlite3 would otherwise leave
        its implicit transaction open, holding the write lock)."""
        was_open = self.conn.in_transaction
        try:
            cursor = self.conn.execute(sql, list(params))
            try:
                names = [d[0] for d in cursor.description or ()]
                opened = not was_open and self.conn.in_transaction
                if not names:
                    rows = []
                elif limit is not None and not opened:
                    rows = cursor.fetchmany(limit)
                else:
                    rows = cursor.fetchall()
                rowcount = cursor.rowcount
            finally:
                cursor.close()
            if opened:
                self.conn.commit()
        except sqlite3.Error:
            if not was_open and self.conn.in_transaction:
                self.conn.rollback()   # the implicit transaction of a failed write
            raise
        return names, rows, rowcount

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self._mapped():
            names, rows, _ = self._run(sql, params)
        return [dict(zip(names, row)) for row in rows]

    def tuples(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._mapped():
            _, rows, _ = self._run(sql, params)
        return rows

    def query_one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        with self._mapped():
            names, rows, _ = self._run(sql, params, limit=1)
        return dict(zip(names, rows[0])) if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        with self._mapped():
            _, rows, _ = self._run(sql, params, limit=1)
        return rows[0][0] if rows else None

    def execute(self, sql: str, params: Params = ()) -> int:
        with self._mapped():
            return self._run(sql, params)[2]

    def insert(self, table: str, row: Mapping[str, Any]) -> None:
        columns = list(row)
        with self._mapped():
            self._run(_insert_sql(table, columns), [row[c] for c in columns])

    def insert_all(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        columns, values = _rows_of(table, rows)
        if not values:
            return 0
        with self._mapped(), self.transaction():
            self.conn.executemany(_insert_sql(table, columns), values)
        return len(values)

    @contextmanager
    def transaction(self) -> Iterator[SqliteSql]:
        with self._mapped(), write(self.db):
            yield self

    @property
    def in_transaction(self) -> bool:
        """True inside a transaction (``transaction()`` here joins it)."""
        return self.db.conn.in_transaction

    def tables(self) -> set[str]:
        return {r["name"] for r in self.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\'")}

    def columns(self, table: str) -> list[str]:
        return [r["name"] for r in self.query(f"PRAGMA table_info({quote_name(table)})")]

    def close(self) -> None:
        self.db.close()

    def __repr__(self) -> str:
        return f"<SqliteSql {self.location}>"


# --- PostgreSQL ---------------------------------------------------------------------------
_PG_KEY = re.compile(r"Key \((.+?)\)=")
_LOST_STATES = ("08", "57P01", "57P02", "57P03")   # connection exception, admin/crash shutdown
_REFUSED_STATES = ("42501", "25006")              # insufficient privilege, read-only transaction
_BUSY_STATES = ("55P03", "40P01", "40001")        # lock timeout, deadlock, serialization


def _location(conn: Any) -> str:
    info = conn.info
    host = info.host if not info.host.startswith("/") else "localhost"
    return f"{host}:{info.port}/{info.dbname}"


def _first_line(exc: BaseException) -> str:
    primary = getattr(getattr(exc, "diag", None), "message_primary", None)
    text = primary or str(exc) or type(exc).__name__
    line = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return line.removeprefix("hemalog: ")


class PostgresSql:
    """``Sql`` on a psycopg 3 connection (switched to autocommit: ``transaction()``
    makes the transactions). Dict rows come from psycopg.rows.dict_row."""

    dialect: Dialect = "postgresql"

    def __init__(self, conn: Any) -> None:
        from psycopg import pq

        self.conn = conn
        self._idle = pq.TransactionStatus.IDLE
        self._depth = 0
        self.location = "the server"
        with self._mapped():
            self.location = _location(conn)
            if not conn.autocommit:
                if conn.info.transaction_status != self._idle:
                    raise SqlError(f"{self.location}: the connection is inside a transaction")
                conn.autocommit = True
        self._lock_ms = max(1, round(busy_timeout_seconds() * 1000))

    @classmethod
    def connect(cls, conninfo: str, **kwargs: Any) -> PostgresSql:
        """Connect (a URL or key=value string as psycopg reads it); an unreachable
        server or a refused login is one line, without the password."""
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        try:
            params = conninfo_to_dict(conninfo)
        except psycopg.Error:
            params = {}
        where = (f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}/"
                 f"{params.get('dbname') or params.get('user') or ''}")
        if str(params.get("host", "")).startswith("/"):
            where = f"localhost:{params.get('port') or 5432}/{params.get('dbname', '')}"
        try:
            conn = psycopg.connect(conninfo, autocommit=True, **kwargs)
        except psycopg.OperationalError as exc:
            # 'connection failed: connection to server at "h", port p failed: FATAL:  why'
            text = _first_line(exc).rsplit(" failed: ", 1)[-1].strip()
            answered = text.startswith("FATAL:")
            text = text.removeprefix("FATAL:").strip()
            if answered and not any(w in text for w in (
                    "starting up", "shutting down", "recovery mode", "too many clients")):
                raise NotPermitted(f"{where}: the server refused the connection: {text}") from None
            raise ConnectionLost(f"{where}: cannot reach the database server: {text}") from None
        return cls(conn)

    # errors
    def _error(self, exc: Exception) -> SqlError:
        import psycopg

        state = getattr(exc, "sqlstate", None) or ""
        line = _first_line(exc)
        where = self.location
        if state == "23505":
            diag = getattr(exc, "diag", None)
            table = getattr(diag, "table_name", None)
            key = _PG_KEY.search(getattr(diag, "message_detail", None) or "")
            what = (", ".join(f"{table}.{c.strip()}" for c in key.group(1).split(","))
                    if table and key else table or "a key")
            return UniqueViolation(f"{where}: {what}: this value is already taken")
        if state == "25006":
            return ReadOnlyDatabase(f"{where}: refused by the server: {line}")
        if state.startswith(_REFUSED_STATES):
            return NotPermitted(f"{where}: refused by the server: {line}")
        if state.startswith(_BUSY_STATES):
            return Busy(f"{where}: the database is busy with another workstation's change; "
                        "try again in a moment")
        if state.startswith(_LOST_STATES) or self.conn.closed or self.conn.broken or (
                isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError) and not state):
            unsaved = "; the change in progress was not saved" if self._depth else ""
            return ConnectionLost(f"{where}: the connection to the database server was lost"
                                  + unsaved)
        return SqlError(f"{where}: database error: {line}")

    @contextmanager
    def _mapped(self) -> Iterator[None]:
        import psycopg

        try:
            yield
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def _cursor(self, sql: str, params: Params, rows: str = "dict") -> Any:
        from psycopg.rows import dict_row, tuple_row

        cursor = self.conn.cursor(row_factory=dict_row if rows == "dict" else tuple_row)
        cursor.execute(to_pyformat(sql), list(params))
        return cursor

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self._mapped():
            with self._cursor(sql, params) as cursor:
                return cursor.fetchall() if cursor.description else []

    def tuples(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._mapped():
            with self._cursor(sql, params, rows="tuple") as cursor:
                return cursor.fetchall() if cursor.description else []

    def query_one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        with self._mapped():
            with self._cursor(sql, params) as cursor:
                return cursor.fetchone() if cursor.description else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        with self._mapped():
            with self._cursor(sql, params, rows="tuple") as cursor:
                row = cursor.fetchone() if cursor.description else None
                return None if row is None else row[0]

    def execute(self, sql: str, params: Params = ()) -> int:
        with self._mapped():
            with self._cursor(sql, params, rows="tuple") as cursor:
                return cursor.rowcount

    def insert(self, table: str, row: Mapping[str, Any]) -> None:
        columns = list(row)
        self.execute(_insert_sql(table, columns), [row[c] for c in columns])

    def insert_all(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        columns, values = _rows_of(table, rows)
        if not values:
            return 0
        with self.transaction(), self._mapped():
            with self.conn.cursor() as cursor:
                cursor.executemany(to_pyformat(_insert_sql(table, columns)), values)
        return len(values)

    @contextmanager
    def transaction(self) -> Iterator[PostgresSql]:
        if self._depth:
            yield self    # nested: the outer block commits or rolls back
            return
        with self._mapped():
            joined = self.conn.info.transaction_status != self._idle
            # Someone else's transaction (conn.transaction()) is joined, not nested.
            block = None if joined else self.conn.transaction()
            if block is not None:
                block.__enter__()
        try:
            with self._mapped():
                # Writers queue here like SQLite's BEGIN IMMEDIATE; Busy after the timeout.
                self.conn.execute(f"SET LOCAL lock_timeout = {int(self._lock_ms)}; "
                                  f"SELECT pg_advisory_xact_lock({int(WRITE_LOCK)})")
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
        except BaseException as exc:
            if block is not None:
                with self._mapped():
                    block.__exit__(type(exc), exc, exc.__traceback__)
            raise
        if block is not None:
            try:
                with self._mapped():
                    block.__exit__(None, None, None)
            except ConnectionLost:
                raise ConnectionLost(
                    f"{self.location}: the connection to the database server was lost while "
                    "saving; whether the change was saved is unknown: reload to see") from None

    def tables(self) -> set[str]:
        return {r["relname"] for r in self.query(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')")}

    def columns(self, table: str) -> list[str]:
        return [r["attname"] for r in self.query(
            "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname = ? AND c.relkind IN ('r', 'p') "
            "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", [table])]

    def close(self) -> None:
        self.conn.close()

    def __repr__(self) -> str:
        return f"<PostgresSql {self.location}>"
