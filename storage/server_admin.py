"""Setting up and moving hemalog databases on a PostgreSQL server (issue 16).

What the command line's server commands do, with the schema owner's connection
(``PostgresStore.as_owner``; the app itself never connects as the owner):

- ``init_server``: the schema and the first administrator, in one transaction.
- ``copy_file_to_server``: every row of a (staged, verified) SQLite file into an empty
  server database, exactly (same ids, same text, same audit hashes), together with a
  login per account, in one transaction that is checked before it commits: the audit
  chain and the replay of every data row on the server, and every patient's export
  byte for byte. `hemalog migrate --to` and a restore into a server both use it.
- ``backup_server``: the server read in one snapshot into a new SQLite file, verified
  by the file's own check before it is published.

Why logins other than the migrating administrator's are disabled: a hemalog account's
password is kept only as a scrypt hash, which a PostgreSQL login cannot use; each such
login gets a random password nobody knows and cannot connect until an administrator
sets a new password (File > Users...).
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinical.accounts import Role
from clinical.errors import HemalogError
from storage.audit import verify_chain
from storage.integrity import data_problems, server_snapshot, verify_database
from storage.pg_schema import (
    SchemaExists, create_login, create_schema, login_name_problems, set_login_enabled,
)
from storage.sql import SqlError, quote_name

if TYPE_CHECKING:
    from storage.pg_store import PostgresStore
    from storage.repository import SqliteStore

__all__ = ["COPIED_TABLES", "CopyReport", "open_owner", "init_server", "staged_copy",
           "copy_file_to_server", "backup_server", "server_is_empty", "needs_password"]

# In this order: the audit rows first (the server's deferred trigger wants each changed
# row's audit row in the same transaction: they are there whatever the order, but this
# way a row is never without one even for a moment), then parents before children.
COPIED_TABLES = ("audit", "patients", "courses", "drug_lines", "measurements", "events",
                 "labs", "marrow", "assessments", "users", "sign_in_state")
_ORDER = {"sign_in_state": "name"}   # every other table by id
BATCH = 5_000


@dataclass
class CopyReport:
    """What a copy made: rows per table, the logins, and who must get a new password."""

    rows: dict[str, int] = field(default_factory=dict)
    patients_compared: int = 0
    data_rows_checked: int = 0
    audit_rows_checked: int = 0
    logins: list[str] = field(default_factory=list)
    need_password: list[str] = field(default_factory=list)   # enabled accounts, login off
    disabled: list[str] = field(default_factory=list)        # disabled accounts


# --- the owner's connection ---------------------------------------------------------------
def needs_password(exc: Exception) -> bool:
    """True when the server refused a connection for want of a (right) password."""
    text = str(exc)
    return "no password supplied" in text or "password authentication failed" in text


def open_owner(url: str, *, user: str,
               ask_password: Callable[[], str | None] | None = None) -> PostgresStore:
    """The schema owner's store for ``url`` (its login, no password in it). libpq finds
    a password in PGPASSFILE or ~/.pgpass; when the server wants one and none was found,
    ``ask_password`` (a prompt at a terminal) is called once and the connection tried
    again with what it returns (None: give up with the server's refusal)."""
    from storage.pg_store import PostgresStore

    try:
        return PostgresStore.as_owner(url, user=user)
    except SqlError as exc:
        if ask_password is None or not needs_password(exc):
            raise
        password = ask_password()
        if password is None:
            raise
    return _owner_with_password(url, user, password)


def _owner_with_password(url: str, user: str, password: str) -> PostgresStore:
    """as_owner with a typed password: given to libpq for this connection only, never
    put into the URL (the store's location and every message show the URL)."""
    from storage.pg_store import PostgresStore

    return PostgresStore.as_owner(url, user=user, password=password)


def server_is_empty(owner: PostgresStore) -> bool:
    """True when the server database holds none of hemalog's tables."""
    from storage.pg_schema import schema_exists

    return not owner.sql.call(schema_exists)


def _schema_refused(owner: PostgresStore, exc: SchemaExists) -> HemalogError:
    return HemalogError([f"{owner.location}: refused: {exc.lines[0]}",
                         "nothing was changed on the server"])


# --- server init --------------------------------------------------------------------------
def init_server(owner: PostgresStore, admin: str, password: str,
                display_name: str | None = None) -> None:
    """Create the schema and the first administrator (a users row, its audit row and a
    login in hemalog_admin) in ONE transaction: on any failure nothing is left on the
    server (CREATE ROLE is transactional too). A database that already has the schema,
    or any table named like hemalog's, is refused (nothing changed)."""
    problems = login_name_problems(admin)
    if problems:
        raise HemalogError(problems)
    owner.audit.user = admin    # the first account's audit row names it, as in the app
    try:
        with owner.sql.transaction() as sql:
            create_schema(sql.conn)
            owner.accounts.create(admin, password, Role.ADMIN, display_name)
    except SchemaExists as exc:
        raise _schema_refused(owner, exc) from None


# --- a SQLite file into a server ------------------------------------------------------------
@contextmanager
def staged_copy(source: Path) -> Iterator[Path]:
    """A private copy of the SQLite file ``source`` (SQLite's backup API: one consistent
    state even while others write), checked as a restore checks a backup (a hemalog
    database, passing verification). The copy lives in a private temporary folder and
    is removed afterwards; ``source`` itself is only read."""
    from storage.backup import _refuse_unusable, _stage

    _refuse_unusable(source)
    folder = Path(tempfile.mkdtemp(prefix="hemalog-stage-"))
    try:
        staged = folder / "staged.db"
        _stage(source, staged)
        yield staged
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _file_rows(sql: Any, table: str) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``table`` a batch at a time (by id; sign_in_state by name)."""
    key = _ORDER.get(table, "id")
    after: list[Any] = []
    while True:
        batch = sql.query(f"SELECT * FROM {quote_name(table)} "
                          f"{f'WHERE {key} > ?' if after else ''} "
                          f"ORDER BY {key} LIMIT {BATCH}", after)
        if batch:
            yield batch
        if len(batch) < BATCH:
            return
        after = [batch[-1][key]]


def _export_digests(store: Any) -> dict[str, str]:
    """MRN -> SHA-256 of the patient's export (storage.record_files.export_text), or of
    the refusal when a record cannot be exported: compared before and after a copy."""
    from storage.record_files import export_text

    out = {}
    for row in store.sql.query("SELECT mrn FROM patients WHERE voided = 0 ORDER BY mrn"):
        mrn = row["mrn"]
        try:
            text = export_text(store, mrn)
        except HemalogError as exc:
            text = "refused:" + "\n".join(str(line) for line in exc.lines)
        out[mrn] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


def _refuse_logins(owner: PostgresStore, accounts: list[dict[str, Any]]) -> None:
    """Every account must be able to become a login of the same name on this server:
    a valid server name, not yet a role (roles are shared by the whole cluster)."""
    problems: list[Any] = []
    for row in accounts:
        for problem in login_name_problems(row["username"]):
            problems.append(f"account {row['username']}: {problem}" if isinstance(problem, str)
                            else problem)
    names = [r["username"] for r in accounts]
    taken = [r["rolname"] for r in owner.sql.query(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(?) ORDER BY rolname", [names])]
    if taken:
        problems.append(f"{owner.location}: already roles on this server (roles are shared by "
                        f"every database of the server): {', '.join(taken)}; each hemalog "
                        "account becomes a login of its own name")
    if problems:
        raise HemalogError([*problems, "nothing was changed on the server"])


def copy_file_to_server(source: SqliteStore, owner: PostgresStore, admin: str,
                        password: str) -> CopyReport:
    """Copy every row of ``source`` (a staged SQLite file, signed in as the administrator
    ``admin``, whose ``password`` has been checked) into the empty server database of
    ``owner``, in ONE transaction: the schema, the rows as they are (ids, text, audit
    hashes), one login per account (``admin``'s with ``password``; every other login with
    a random password and refused at login level until an administrator sets a new one).

    Before it commits, the copy is checked on the server: the audit chain, the replay of
    every data row, the row counts, and every patient's export byte for byte against the
    file's. Any difference rolls everything back (HemalogError naming it).
    """
    report = CopyReport()
    src = source.sql
    accounts = src.query("SELECT username, role, disabled FROM users ORDER BY id")
    if not accounts:
        raise HemalogError(f"{source.location}: refused: the file has no staff accounts, and "
                           "a server needs them; create the administrator in the app first")
    if not any(a["username"] == admin and a["role"] == Role.ADMIN.value for a in accounts):
        raise HemalogError(f"{admin}: not an administrator of {source.location}")
    _refuse_logins(owner, accounts)
    before = _export_digests(source)
    owner.audit.user = admin
    try:
        with owner.sql.transaction() as pg:
            create_schema(pg.conn)
            server_columns = {t: set(pg.columns(t)) for t in COPIED_TABLES}
            for table in COPIED_TABLES:
                extra = sorted(set(src.columns(table)) - server_columns[table])
                if extra:
                    raise HemalogError(f"{source.location}: {table} has columns the server "
                                       f"schema lacks ({', '.join(extra)}); nothing was copied")
                count = 0
                for batch in _file_rows(src, table):
                    count += pg.insert_all(table, batch)
                report.rows[table] = count
            for row in accounts:
                name = row["username"]
                own = name == admin
                owner.sql.call(create_login, name, password if own else secrets.token_urlsafe(32),
                        Role(row["role"]))
                report.logins.append(name)
                if not own or row["disabled"]:
                    owner.sql.call(set_login_enabled, name, False)
                    (report.disabled if row["disabled"] else report.need_password).append(name)
            _check_copy(source, owner, pg, report, before)
    except SchemaExists as exc:
        raise _schema_refused(owner, exc) from None
    return report


def _check_copy(source: SqliteStore, owner: PostgresStore, pg: Any, report: CopyReport,
                before: dict[str, str]) -> None:
    """Inside the copy's transaction: the server's rows must be the file's."""
    where = owner.location
    problems: list[str] = []
    for table, count in report.rows.items():
        on_server = pg.scalar(f"SELECT count(*) FROM {quote_name(table)}")
        if on_server != count:
            problems.append(f"{where}: {table}: {on_server} rows on the server, {count} copied")
    rows, bad, what = verify_chain(pg)
    if bad is not None:
        problems.append(f"{where}: {what}")
    data_rows, in_data = data_problems(pg, where)   # type: ignore[arg-type]
    problems += in_data
    after = _export_digests(owner)
    for mrn in sorted(set(before) | set(after)):
        if before.get(mrn) != after.get(mrn):
            problems.append(f"{where}: patient MRN {mrn}: the export on the server differs "
                            "from the file's")
    if problems:
        raise HemalogError([*problems[:20], "the copy was rolled back: nothing was changed "
                            "on the server"])
    report.audit_rows_checked = rows
    report.data_rows_checked = data_rows
    report.patients_compared = len(before)


# --- a server into a SQLite file (backup) -------------------------------------------------
def backup_server(store: PostgresStore, out: Path) -> dict[str, int]:
    """Write the server database into the new SQLite file ``out``: the normal file
    schema, every row copied as it is, read in one REPEATABLE READ, READ ONLY snapshot
    (one consistent state while others work). The file is verified by its own check
    before it appears under its name; on any failure nothing is left. ``store`` is
    signed in as an administrator (the only role that reads every account's row).
    Returns the rows copied per table."""
    from storage.backup import _Claim, discard_created
    from storage.database import open_database
    from storage.outputs import check_output
    from storage.sql import SqliteSql

    out = Path(out)
    check_output(out, None, example="backup.db")
    if out.exists():
        raise HemalogError(f"{out}: already exists; choose a new file name")
    partial: _Claim | None = None
    created: list[Path] = []
    copied: dict[str, int] = {}
    try:
        partial = _Claim(out.with_name(f".{out.name}.partial"), created)  # 0600 first
        db = open_database(partial.path)    # the file schema, by the normal migrations
        try:
            target = SqliteSql(db)
            target.location = str(out)
            with server_snapshot(store.sql) as server, target.transaction():
                for table in COPIED_TABLES:
                    if target.scalar(f"SELECT count(*) FROM {quote_name(table)}"):
                        raise HemalogError(f"{out}: a new database file is not empty")
                    keep = target.columns(table)
                    count = 0
                    for batch in _file_rows(server, table):
                        count += target.insert_all(table, [{c: r[c] for c in keep if c in r}
                                                           for r in batch])
                    copied[table] = count
            db.conn.execute("PRAGMA journal_mode = DELETE")   # one self-contained file
        except sqlite3.Error as exc:
            from storage.database import describe_sqlite_error

            raise HemalogError(describe_sqlite_error(out, exc)) from None
        finally:
            db.close()
        result = verify_database(partial.path)
        if not result.ok:
            raise HemalogError([f"{out}: the backup copy failed verification",
                                *(line.replace(str(partial.path), str(out))
                                  for line in result.lines())])
        partial.publish(out)
    except BaseException:  # Ctrl+C and errors leave nothing
        if partial is not None:
            partial.discard()
        else:
            discard_created(created)
        raise
    return copied
