"""Opening the SQLite file: pragmas, schema migrations and write transactions.

Two ways in. A read-write open (the app, import, demo) creates the file if
needed, switches it to WAL and migrates it. A read-only open (verify, list,
export, report, plot, the start-up check) never changes a byte of the file: it
uses SQLite's ``mode=ro``, adds ``immutable=1`` where SQLite could not create
its side files (a read-only folder or medium), never migrates and refuses a
file that is not a hemalog database.

Either way the file comes back as a ``SqliteFile``: the sqlite3 connection
(``.conn``), which is all that reading and writing rows needs, with sqlite-utils'
``Database`` over the same connection loaded on first use (``db["table"]``,
``db.query``...: migrations, backup and tests). Opening an up-to-date file never
loads sqlite-utils (with numpy, dateutil and click behind it), so the app's first
frame does not wait for it (issue 18).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from typing import TYPE_CHECKING, Any

from clinical.errors import HemalogError
from storage.outputs import sync_folder
from storage.migrations import MIGRATIONS, SCHEMA_VERSION, OUR_TABLES

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["open_database", "write", "DatabaseError", "busy_timeout_seconds", "SqliteFile"]

# A read-only open cannot migrate. Schema 2 (accounts, the audit chain) and later are
# read as they are; an older file is upgraded in a copy in memory (schema 1 files are
# small: they predate the audit chain). Raise this when readers need a newer schema.
OLDEST_READABLE = 2

# Tables every hemalog database has; without them a file is someone else's.
_CORE_TABLES = frozenset({"patients", "audit"})
_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


class DatabaseError(HemalogError):
    """The database file cannot be used (locked, read-only, not a database...)."""


class SqliteFile:
    """An open SQLite database: its connection, and sqlite-utils when first asked for.

    ``conn``, ``table_names()`` and ``close()`` are plain sqlite3. Every other
    attribute, and ``db["table"]``, is sqlite-utils' ``Database`` over the same
    connection, made on first use (its import costs about 0.2 s).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils: Database | None = None
        # What sqlite-utils sets on every connection it opens: keep triggers behaving
        # the same whether or not it has been loaded yet.
        conn.execute("PRAGMA recursive_triggers = on")

    @property
    def utils(self) -> SqliteFile:
        """sqlite-utils' Database over this connection."""
        if self._utils is None:
            from sqlite_utils import Database
            self._utils = Database(self.conn, execute_plugins=False)
        return self._utils

    def table_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        self.conn.close()

    def __getitem__(self, name: str) -> Any:
        return self.utils[name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("conn", "_utils"):
            raise AttributeError(name)
        return getattr(self.utils, name)


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


def folder_is_read_only(folder: Path) -> bool:
    """True when nothing may be created in ``folder``: a read-only medium, a folder we
    may not write, or one without any write permission bit (honoured even for root)."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
        mode = folder.stat().st_mode
    except OSError:
        return False
    return not mode & _WRITE_BITS or not os.access(folder, os.W_OK)


def is_marked_read_only(path: Path) -> bool:
    """True when hemalog must not write ``path``: the file or its folder is read-only.

    Root ignores permission bits, so they are honoured explicitly: a file (or
    folder) someone made read-only must not be written, whoever runs hemalog.
    A writable file in a read-only folder still counts: SQLite could not create
    its journal beside it.
    """
    path = Path(path)
    try:
        if not path.stat().st_mode & _WRITE_BITS:
            return True
    except FileNotFoundError:
        return False
    return folder_is_read_only(path.absolute().parent)


def open_database(path: Path, *, create: bool = True, read_only: bool = False) -> SqliteFile:
    """Open the hemalog database at ``path``; read-write opens create and migrate it.

    Raises DatabaseError with a clear line for anything that stops us.
    """
    path = Path(path)
    _check_path(path, create=create and not read_only)
    opener = _open_read_only if read_only else _open_read_write
    try:
        return opener(path)
    except sqlite3.Error as exc:
        raise DatabaseError(describe_sqlite_error(path, exc)) from None


def _check_path(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    if path.exists():
        return
    if not create:
        raise DatabaseError(f"{path}: no such database")
    if not path.parent.is_dir():
        raise DatabaseError(f"{path}: the folder {path.parent} does not exist")
    if folder_is_read_only(path.parent):
        raise DatabaseError(f"{path}: cannot create the database: the folder {path.parent} "
                            "is read-only")


def _open_read_write(path: Path) -> SqliteFile:
    if not path.exists():
        _create(path)
    if is_marked_read_only(path):
        raise DatabaseError(f"{path}: the database file is read-only; nothing was changed")
    conn = sqlite3.connect(str(path), timeout=busy_timeout_seconds())
    db = SqliteFile(conn)
    try:
        _configure(db, read_only=False)
        migrate(db, path)
    except BaseException:
        db.close()
        raise
    return db


def _create(path: Path) -> None:
    """A new database appears whole or not at all: it is made and migrated under a
    private name beside ``path``, then linked into place. A process killed while making
    it leaves no half-made file at ``path`` (an empty one would be refused as "not a
    hemalog database" by every later start); two processes making it at once both end
    up opening the one that was linked first."""
    prefix = f".{path.name}.creating-"
    temp = path.with_name(f"{prefix}{os.getpid()}")
    _remove_with_side_files(temp)
    _remove_stale_creations(path.parent, prefix)
    fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        conn = sqlite3.connect(str(temp), timeout=busy_timeout_seconds())
        db = SqliteFile(conn)
        try:
            _configure(db, read_only=False)
            migrate(db, temp)
        finally:
            db.close()   # the last connection: SQLite folds the -wal back into the file
        with open(temp, "rb+") as made:
            os.fsync(made.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            pass   # another process made it first: open that one
        except OSError:   # a share without hard links (FAT, some network drives): a move
            if not path.exists():
                os.replace(temp, path)
            sync_folder(path.parent)
        else:
            sync_folder(path.parent)
    finally:
        _remove_with_side_files(temp)


STALE_CREATION_SECONDS = 60   # making a database takes well under a second


def _remove_stale_creations(folder: Path, prefix: str) -> None:
    """What a process killed while making this database left behind."""
    cutoff = time.time() - STALE_CREATION_SECONDS
    for left in folder.glob(f"{prefix}*"):
        try:
            if left.stat().st_mtime < cutoff:
                left.unlink()
        except OSError:
            continue


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(f"{path}{suffix}")
        except FileNotFoundError:
            pass



def _open_read_only(path: Path) -> SqliteFile:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    immutable = is_marked_read_only(path) and not _journal_holds_changes(path)
    if immutable:
        # SQLite cannot create its -shm beside the file, and nobody writes here:
        # promise it the file will not change so it needs no locks or side files.
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout_seconds())
    db = SqliteFile(conn)
    try:
        _configure(db, read_only=True)
        version = _schema_version(db, path)
        if version == 0:
            empty = "the file is empty" if path.stat().st_size == 0 else "it has no tables"
            raise DatabaseError(f"{path}: not a hemalog database ({empty})")
    except sqlite3.OperationalError as exc:
        db.close()
        if is_marked_read_only(path) and not immutable and "unable to open" in str(exc):
            raise DatabaseError(
                f"{path}: its journal ({path.name}-wal) holds changes that cannot be read "
                "in a read-only folder; copy the database with its -wal and -shm files "
                "to a writable folder") from None
        raise
    except BaseException:
        db.close()
        raise
    return _upgraded_copy(db, path) if version < OLDEST_READABLE else db


def _journal_holds_changes(path: Path) -> bool:
    """A non-empty -wal or -journal: immutable=1 would ignore it and read stale data."""
    for suffix in ("-wal", "-journal"):
        try:
            if path.with_name(path.name + suffix).stat().st_size > 0:
                return True
        except FileNotFoundError:
            continue
    return False


def _upgraded_copy(db: SqliteFile, path: Path) -> SqliteFile:
    """The file's schema brought up to date in memory, leaving the file as it was."""
    memory = sqlite3.connect(":memory:")
    try:
        db.conn.backup(memory)
    finally:
        db.close()
    copy = SqliteFile(memory)
    copy.conn.execute("PRAGMA foreign_keys = ON")
    migrate(copy, path)
    return copy


def _configure(db: SqliteFile, *, read_only: bool) -> None:
    conn = db.conn
    # Reading the schema is the first touch of the file: a non-database fails here.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.execute("PRAGMA foreign_keys = ON")
    if not read_only:
        _switch_to_wal(conn)
    conn.execute("PRAGMA synchronous = FULL")


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode (a no-op once it is).

    Two processes creating one file at once can each hold the read lock the
    other's switch must wait out; SQLite fails one of them at once rather than
    let both wait for ever, so that one retries until the busy timeout.
    """
    deadline = time.monotonic() + busy_timeout_seconds()
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"cannot switch to WAL journal ({mode})")


def _schema_version(db: SqliteFile, path: Path) -> int:
    """The file's schema version (0: a new, empty file).

    Refuses another program's SQLite file and one made by a newer hemalog.
    """
    tables = set(db.table_names())
    if tables and not _CORE_TABLES <= tables:
        names = sorted(tables - OUR_TABLES) or sorted(tables)
        raise DatabaseError(f"{path}: not a hemalog database: this SQLite file belongs to "
                            f"another program (tables: {', '.join(names[:5])})")
    version: int = db.conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseError(f"{path}: made by a newer hemalog (schema {version}; this one "
                            f"knows up to {SCHEMA_VERSION}); please update hemalog")
    return version


def migrate(db: SqliteFile, path: Path) -> None:
    """Bring the schema up to date, one migration per transaction.

    Another process may be opening the same new file at this moment, so each
    step takes the write lock first and re-reads the version under it: a
    migration the other process has just run is never run twice.
    """
    if _schema_version(db, path) == SCHEMA_VERSION:
        return  # the common case takes no lock
    while True:
        with write(db):
            version = _schema_version(db, path)
            if version == SCHEMA_VERSION:
                return
            MIGRATIONS[version](db)
            db.conn.execute(f"PRAGMA user_version = {version + 1}")


@contextmanager
def write(db: Any) -> Iterator[Any]:
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
