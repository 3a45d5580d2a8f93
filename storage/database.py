"""Opening the SQLite file: pragmas, schema migrations and write transactions."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from clinical.errors import HemalogError
from storage.migrations import MIGRATIONS, SCHEMA_VERSION, OUR_TABLES

__all__ = ["open_database", "write", "DatabaseError", "busy_timeout_seconds"]


class DatabaseError(HemalogError):
    """The database file cannot be used (locked, read-only, not a database...)."""


def busy_timeout_seconds() -> float:
    """How long a write waits for another hemalog holding the file (HEMALOG_BUSY_TIMEOUT)."""
    try:
        return max(0.0, float(os.environ.get("HEMALOG_BUSY_TIMEOUT", "5")))
    except ValueError:
        return 5.0


def describe_sqlite_error(path: Path, exc: sqlite3.Error) -> str:
    """One plain line for a SQLite failure on this file."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (f"{path}: the database is locked by another hemalog window or workstation; "
                "try again in a moment")
    if "readonly" in text or "read-only" in text:
        return f"{path}: the database file is read-only; nothing was changed"
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return f"{path}: this file is not a hemalog database (or it is damaged)"
    if "unable to open" in text:
        return f"{path}: cannot open the database file (does its folder exist and is it writable?)"
    if "disk" in text and ("full" in text or "i/o" in text):
        return f"{path}: the disk is full or failing; nothing was changed"
    return f"{path}: database error: {exc}"


def is_marked_read_only(path: Path) -> bool:
    # Root ignores permission bits, so also honour them explicitly: a file
    # someone made read-only must not be written, whoever runs hemalog.
    try:
        return not (path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    except FileNotFoundError:
        return False


def open_database(path: Path, *, create: bool = True, read_only: bool = False) -> Database:
    """Open (and if needed create and migrate) the hemalog database at ``path``.

    Raises DatabaseError with a clear line for anything that stops us.
    """
    path = Path(path)
    exists = path.exists()
    if not exists and not create:
        raise DatabaseError(f"{path}: no such database")
    if exists and path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    if not exists:
        if not path.parent.is_dir():
            raise DatabaseError(f"{path}: the folder {path.parent} does not exist")
        if read_only:
            raise DatabaseError(f"{path}: no such database")
    if exists and not read_only and is_marked_read_only(path):
        raise DatabaseError(f"{path}: the database file is read-only; nothing was changed")
    try:
        if read_only:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                   timeout=busy_timeout_seconds())
        else:
            conn = sqlite3.connect(str(path), timeout=busy_timeout_seconds())
            if not exists:
                os.chmod(path, 0o600)
        db = Database(conn, execute_plugins=False)
        _configure(db, read_only=read_only)
        if not read_only:
            migrate(db, path)
        else:
            _check_version(db, path)
    except sqlite3.Error as exc:
        raise DatabaseError(describe_sqlite_error(path, exc)) from None
    return db


def _configure(db: Database, *, read_only: bool) -> None:
    conn = db.conn
    # Reading the schema is the first touch of the file: a non-database fails here.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.execute("PRAGMA foreign_keys = ON")
    if not read_only:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch to WAL journal ({mode})")
    conn.execute("PRAGMA synchronous = FULL")


def _check_version(db: Database, path: Path) -> int:
    version = db.conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseError(f"{path}: made by a newer hemalog (schema {version}; this one "
                            f"knows up to {SCHEMA_VERSION}); please update hemalog")
    if version == 0:
        foreign = set(db.table_names()) - OUR_TABLES
        if foreign:
            raise DatabaseError(f"{path}: this SQLite file belongs to another program "
                                f"(tables: {', '.join(sorted(foreign)[:5])})")
    return version


def migrate(db: Database, path: Path) -> None:
    """Bring the schema up to date, one migration per transaction."""
    version = _check_version(db, path)
    for target in range(version + 1, SCHEMA_VERSION + 1):
        with write(db):
            MIGRATIONS[target - 1](db)
            db.conn.execute(f"PRAGMA user_version = {target}")


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """One write transaction (BEGIN IMMEDIATE): all of it commits, or none.

    Nested calls join the outer transaction. IMMEDIATE takes the write lock
    up front, so two writers queue on the busy timeout instead of failing
    half-way through.
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
