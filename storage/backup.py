"""Online backups (the sqlite3 backup API), daily rotation, and restore.

A backup is a complete, verified copy taken while the app runs. Restore copies
a verified backup INTO the live database file with the same API, under the
database's write lock: the file is never missing, and a hemalog window that has
it open reads the restored content on its next read and writes into it. The
replaced content is first copied aside (``DB.replaced-STAMP``).

Files being written are private (0600) from their first byte and locked while
their writer lives; what a killed backup or restore left behind is removed by
``remove_stale_partials`` at the next start.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


from clinical.audit import AuditAction
from clinical.errors import HemalogError
from storage.audit import AuditLog
from storage.checkpoints import RESTORE_REASON, record_checkpoint
from storage.database import SqliteFile, busy_timeout_seconds, describe_sqlite_error, open_database, write
from storage.history import chain_head, file_had_accounts, record_restore
from storage.integrity import verify_database
from storage.locations import current_user
from storage.migrations import OUR_TABLES, SCHEMA_VERSION
from storage.outputs import sync_folder

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted, which protects it instead
    fcntl = None  # type: ignore[assignment]

KEEP = 14
STAMP = "%Y%m%d-%H%M%S"
SQLITE_HEADER = b"SQLite format 3\x00"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
WAL_MAGICS = (bytes.fromhex("377f0682"), bytes.fromhex("377f0683"))
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
# Pages copied per step of a restore. The first step takes the live database's write
# lock; the replaced content is copied aside right after it, before anything commits.
RESTORE_STEP_PAGES = 256


def backup_folder(database: Path | str) -> Path:
    """Where the backups of the database file ``database`` (a path, or a store's
    ``location``) are kept: a folder beside it."""
    return Path(database).resolve().parent / "backups"


# --- files being written: private, locked, removed on failure ------------------------------
class _Claim:
    """A new file (0600) that this process holds a lock on until it publishes or discards it.

    The lock tells a later ``remove_stale_partials`` (in this or another process, on this
    or another workstation) that the file is still being written.
    """

    def __init__(self, path: Path, created: list[Path] | None = None) -> None:
        """``created``, when given, gets ``path`` appended before the file is made (and
        removed again if the name was someone else's): a caller whose Ctrl+C lands
        before this object is assigned still knows the file to remove (``discard_created``)."""
        self.path = path
        try:
            try:
                self._fd: int | None = _create_private(path, created)
            except FileExistsError:
                if not _remove_if_stale(path):
                    raise HemalogError(f"{path}: another backup or restore is writing this "
                                       "file; try again when it has finished") from None
                self._fd = _create_private(path, created)
        except OSError as exc:
            raise HemalogError(f"{path}: cannot create: {exc.strerror or exc}") from None

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # only after SQLite closed the file: closing drops its locks
            self._fd = None

    def fill_from(self, source: Path) -> None:
        """Copy ``source``'s bytes in, as they are (for a file SQLite cannot read)."""
        assert self._fd is not None
        with open(source, "rb") as src, os.fdopen(os.dup(self._fd), "wb") as dst:
            shutil.copyfileobj(src, dst)
            dst.flush()
            os.fsync(dst.fileno())

    def publish(self, target: Path) -> None:
        """Rename over ``target`` and make the rename durable."""
        self._release()
        os.replace(self.path, target)
        sync_folder(target.parent)

    def discard(self) -> None:
        self._release()
        for path in (self.path, *_sides(self.path)):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass


def _create_private(path: Path, created: list[Path] | None = None) -> int:
    # The path is recorded before the file exists: a Ctrl+C landing between the open and
    # the caller receiving its _Claim (seen: test_ctrl_c_during_a_backup_leaves_nothing
    # under load) still leaves the caller knowing the file is its own to remove. Blocking
    # the signal cannot close that gap: the kernel may hand SIGINT to another thread.
    if created is not None:
        created.append(path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if created is not None:
            created.remove(path)   # someone else's file: never ours to remove
        raise
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a file system without locks: the file is still private
            pass
    return fd


def discard_created(created: list[Path]) -> None:
    """Remove files a ``_Claim`` made but whose object the caller never received."""
    for path in created:
        for each in (path, *_sides(path)):
            try:
                each.unlink(missing_ok=True)
            except OSError:
                pass


def _sides(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDE_SUFFIXES]


def _in_use(path: Path) -> bool:
    """True while a live writer holds the file's lock."""
    if fcntl is None:
        return False  # the unlink below fails on a file that is open
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: leave it alone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _remove_if_stale(path: Path) -> bool:
    """Remove ``path`` and its side files unless a writer still holds it; True if gone."""
    if _in_use(path):
        return False
    try:
        for p in (path, *_sides(path)):
            p.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _head(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER))
    except OSError:
        return None


def _looks_like_ours(main: Path) -> bool:
    """What a killed backup or restore leaves: an empty or SQLite file, or one whose page 1
    is not written yet beside an SQLite rollback journal or WAL (so another program's
    ``.something.partial`` download is left alone)."""
    journal, wal, _shm = (_head(side) or b"" for side in _sides(main))
    return (_head(main) in (b"", SQLITE_HEADER) or journal.startswith(JOURNAL_MAGIC)
            or wal.startswith(WAL_MAGICS))


def _restoring(database: Path) -> Path:
    return database.with_name(f".{database.name}.restoring")


def remove_stale_partials(database: Path) -> list[Path]:
    """Remove what a killed backup or restore of ``database`` left behind; returns them.

    Looked at: ``.NAME.partial`` files in the database's folder and its backup folder
    (and their -journal/-wal/-shm), and ``.DB.restoring``. A file a running backup or
    restore still holds is left alone.
    """
    database = Path(database)
    mains = {_restoring(database)}
    for folder in {database.parent, backup_folder(database)}:
        try:
            for path in folder.glob(".*.partial*"):
                name = path.name
                for suffix in SIDE_SUFFIXES:
                    name = name.removesuffix(suffix)
                if name.endswith(".partial"):
                    mains.add(path.with_name(name))
        except OSError:
            continue
    removed = []
    for main in sorted(mains):
        present = [p for p in (main, *_sides(main)) if p.exists()]
        if not present or (main.exists() and not _looks_like_ours(main)):
            continue
        if _remove_if_stale(main):
            removed.extend(present)
    return removed


def refuse_interrupted_restore(database: Path) -> None:
    """A missing database beside a kept-aside or half-restored copy: an old-style restore
    was interrupted. Say so, naming the files, instead of starting an empty database."""
    database = Path(database)
    if database.exists():
        return
    left = [p for p in (_restoring(database), *sorted(
        database.parent.glob(f"{glob.escape(database.name)}.replaced-*"))) if p.exists()]
    left = [p for p in left if not p.name.endswith(SIDE_SUFFIXES)]
    if left:
        raise HemalogError([
            f"{database}: the database file is missing, and an interrupted restore left "
            f"{', '.join(p.name for p in left)} beside it; nothing was created",
            f"put the right copy back as {database.name} (the newest .replaced- file is the "
            "database as it was before that restore), run `hemalog restore BACKUP`, or "
            "move those files elsewhere to start a new, empty database"])


# --- backup ---------------------------------------------------------------------------------
def backup_to(database: Path, out: Path) -> Path:
    """Copy the live database into ``out`` (a new file), then verify the copy."""
    database, out = Path(database), Path(out)
    from storage.outputs import check_output   # not the database, its side files, a device
    check_output(out, database, example="backup.db")
    if not out.parent.is_dir():
        raise HemalogError(f"{out}: the folder {out.parent} does not exist")
    if out.exists():
        raise HemalogError(f"{out}: already exists; choose a new file name")
    partial: _Claim | None = None
    created: list[Path] = []
    try:
        partial = _Claim(out.with_name(f".{out.name}.partial"), created)  # 0600 first
        source = open_database(database, create=False)
        try:
            target = sqlite3.connect(partial.path)
            try:
                source.conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            finally:
                target.close()
        except sqlite3.Error as exc:
            raise HemalogError(describe_sqlite_error(out, exc)) from None
        finally:
            source.close()
        result = verify_database(partial.path)
        if not result.ok:
            raise HemalogError([f"{out}: the backup copy failed verification", *result.lines()])
        partial.publish(out)
    except BaseException:  # a kill cannot be caught, but Ctrl+C and errors leave nothing
        if partial is not None:
            partial.discard()
        else:
            discard_created(created)
        raise
    record_checkpoint(database, f"backup {out.name}", head_from=out)
    return out


def last_backup(database: Path | str) -> datetime | None:
    """When the newest automatic backup was made (UTC), or None."""
    stamps = []
    for path in backup_folder(database).glob(f"{Path(database).stem}-*.db"):
        try:
            stamps.append(datetime.strptime(path.stem.rsplit("-", 2)[-2] + "-" +
                                            path.stem.rsplit("-", 1)[-1], STAMP))
        except ValueError:
            continue
    return max(stamps).replace(tzinfo=UTC) if stamps else None


def daily_backup(database: Path, now: datetime | None = None) -> Path | None:
    """At most one automatic backup a day, keeping the newest KEEP. None when not due."""
    database = Path(database)
    now = now or datetime.now(UTC)
    latest = last_backup(database)
    if latest is not None and latest.date() >= now.date():
        return None
    folder = backup_folder(database)
    folder.mkdir(mode=0o700, exist_ok=True)
    out = backup_to(database, folder / f"{database.stem}-{now.strftime(STAMP)}.db")
    backups = sorted(folder.glob(f"{database.stem}-*.db"))
    for old in backups[:-KEEP]:
        old.unlink(missing_ok=True)
    return out


# --- restore --------------------------------------------------------------------------------
def restore(database: Path, backup: Path, now: datetime | None = None, *,
            user: str | None = None, keep_accounts: bool = True) -> Path | None:
    """Copy a verified ``backup`` into ``database``; returns where the replaced content
    was kept (None when there was no database file to replace).

    With ``keep_accounts`` the restored database keeps the staff accounts of the one it
    replaces (who may sign in is not rolled back to the backup's day), audited; a
    replaced database without accounts (or one that cannot be read) leaves the backup's.

    Refused (HemalogError, nothing changed): an empty file, a file that is not a
    hemalog database, one that fails verification, and a database another writer
    holds for longer than the busy timeout.
    """
    database, backup = Path(database), Path(backup)
    _refuse_unusable(backup)
    staged = _Claim(_restoring(database))
    try:
        _stage(backup, staged.path)
        aside = _aside_name(database, now) if database.exists() else None
        had_accounts = aside is not None and file_had_accounts(database)
        kept = _read_accounts(database) if keep_accounts and aside is not None else None
        staged_db = open_database(staged.path, create=False)
        try:
            # The audit row travels inside the copy: restore and record commit together.
            record_restore(staged_db, current_user(user), backup=backup.resolve(),
                           head=chain_head(staged_db), replaced_as=aside,
                           replaced_had_accounts=had_accounts)
            if kept:
                _keep_accounts(staged_db, kept, current_user(user))
        finally:
            staged_db.close()
        if aside is None:
            staged.publish(database)
        else:
            try:
                _copy_into_live(staged.path, database, aside, had_accounts)
            except _NotADatabase:
                _replace_unreadable(staged, database, aside)
    except BaseException:
        staged.discard()
        raise
    staged.discard()
    if kept and aside is not None:
        # Accounts changed between reading them and the copy: the replaced content,
        # kept aside under the write lock, says exactly what they were.
        replaced = _read_accounts(aside)
        if replaced and replaced != kept:
            live = open_database(database, create=False)
            try:
                _keep_accounts(live, replaced, current_user(user))
            finally:
                live.close()
    # Heads noted before this point belong to the replaced history (kept aside).
    record_checkpoint(database, f"{RESTORE_REASON} from {backup.name}")
    return aside


KEPT_ACCOUNTS_REASON = "kept the accounts of the replaced database at restore"


def _read_accounts(path: Path) -> list[dict[str, Any]] | None:
    """The users rows of the database file at ``path``; None if they cannot be read."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                               timeout=busy_timeout_seconds())
    except sqlite3.Error:
        return None
    try:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM users ORDER BY id")]
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _keep_accounts(db: SqliteFile, kept: list[dict[str, Any]], user: str) -> None:
    """Make ``db``'s accounts those of the replaced database (``kept``, its users rows),
    with an audit row per account added or changed (never a salt or password hash).

    An account only the backup has is disabled, not deleted (accounts never are), unless
    a kept account has its user name: a backup of another database; that row goes.
    """
    columns = set(db["users"].columns_dict)

    def shown(row: dict[str, Any]) -> dict[str, Any]:
        return {k: row.get(k) for k in ("username", "role", "disabled", "language")}

    with write(db):
        current = {r["id"]: r for r in db.query("SELECT * FROM users")}
        wanted = [{k: v for k, v in r.items() if k in columns} for r in kept]
        names = {r["username"] for r in wanted}
        audit: list[tuple[Any, ...]] = []
        replace: list[dict[str, Any]] = []
        for row in wanted:
            old = current.pop(row["id"], None)
            if old is None:
                audit.append((None, "users", row["id"], AuditAction.INSERT, None, shown(row),
                              KEPT_ACCOUNTS_REASON))
            elif {k: old.get(k) for k in row} != row:
                new = shown(row)
                if (old.get("salt"), old.get("password_hash")) != (row.get("salt"),
                                                                   row.get("password_hash")):
                    new["password"] = "changed"
                audit.append((None, "users", row["id"], AuditAction.UPDATE, shown(old), new,
                              KEPT_ACCOUNTS_REASON))
            else:
                continue
            replace.append(row)
        disable, drop = [], []
        for row_id, old in current.items():   # accounts the replaced database did not have
            if old["username"] in names:
                drop.append(row_id)
                audit.append((None, "users", row_id, AuditAction.VOID, shown(old), None,
                              KEPT_ACCOUNTS_REASON))
            elif not old["disabled"]:
                disable.append(row_id)
                audit.append((None, "users", row_id, AuditAction.UPDATE, shown(old),
                              {**shown(old), "disabled": 1}, KEPT_ACCOUNTS_REASON))
        if not audit:
            return
        for row_id in [*drop, *(r["id"] for r in replace)]:
            db.conn.execute("DELETE FROM users WHERE id = ?", [row_id])
        for row in replace:
            db.conn.execute(f"INSERT INTO users ({', '.join(row)}) "
                            f"VALUES ({', '.join('?' * len(row))})", list(row.values()))
        for row_id in disable:
            db.conn.execute("UPDATE users SET disabled = 1 WHERE id = ?", [row_id])
        AuditLog(db, user).append_many(audit)


class _NotADatabase(Exception):
    """The live file is not one SQLite can read (its bytes are kept aside, then replaced)."""


_UNREADABLE = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


def _refuse_unusable(backup: Path) -> None:
    if not backup.exists():
        raise HemalogError(f"{backup}: no such file")
    if not backup.is_file():
        raise HemalogError(f"{backup}: is not a file; give the backup file to restore")
    try:
        with open(backup, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise HemalogError(f"{backup}: cannot be read: {exc.strerror or exc}") from None
    if not head:
        raise HemalogError(f"{backup}: refused: the file is empty (0 bytes), not a backup; "
                           "nothing was changed")
    if head != SQLITE_HEADER:
        raise HemalogError(f"{backup}: refused: not a hemalog database (not an SQLite file); "
                           "nothing was changed")


def _stage(backup: Path, staged: Path) -> None:
    """Copy the backup into our private file (the backup itself is only read), check that
    it is a hemalog database and verify it; messages name the backup, not the copy."""
    uri = backup.resolve().as_uri()
    try:
        try:
            _sqlite_copy(f"{uri}?mode=ro", staged)
        except sqlite3.OperationalError:  # a WAL file on read-only media: read it as it is
            _sqlite_copy(f"{uri}?mode=ro&immutable=1", staged)
    except sqlite3.Error as exc:
        raise HemalogError(f"{backup}: refused: " + describe_sqlite_error(backup, exc)
                           .removeprefix(f"{backup}: ")) from None
    _refuse_foreign(backup, staged)
    result = verify_database(staged)
    if not result.ok:
        raise HemalogError([f"{backup}: refused: it fails verification",
                            *(line.replace(str(staged), str(backup)) for line in result.lines())])


def _sqlite_copy(source_uri: str, target: Path) -> None:
    source = sqlite3.connect(source_uri, uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()


def _refuse_foreign(backup: Path, staged: Path) -> None:
    conn = sqlite3.connect(staged)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    except sqlite3.Error as exc:
        raise HemalogError(f"{backup}: refused: " + describe_sqlite_error(backup, exc)
                           .removeprefix(f"{backup}: ")) from None
    finally:
        conn.close()
    if version > SCHEMA_VERSION:
        raise HemalogError(f"{backup}: refused: made by a newer hemalog (schema {version}; "
                           f"this one knows up to {SCHEMA_VERSION}); nothing was changed")
    foreign = sorted(tables - OUR_TABLES)
    if version < 1 or foreign or not {"patients", "audit"} <= tables:
        what = f" (tables: {', '.join(foreign[:5])})" if foreign else ""
        raise HemalogError(f"{backup}: refused: not a hemalog database{what}; "
                           "nothing was changed")


def _aside_name(database: Path, now: datetime | None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime(STAMP)
    aside = database.with_name(f"{database.name}.replaced-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = database.with_name(f"{database.name}.replaced-{stamp}-{n}")
    return aside


def _copy_into_live(staged: Path, database: Path, aside: Path, had_accounts: bool) -> None:
    """The backup API writes the staged copy into the live file in one write transaction."""
    source = sqlite3.connect(staged)
    live = sqlite3.connect(database, timeout=busy_timeout_seconds())
    keep = _KeepAside(database, aside, had_accounts)
    try:
        _match_page_size(source, live)
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        # At least two steps, so the first returns holding the lock, before the commit.
        step = max(1, min(RESTORE_STEP_PAGES, pages // 2))
        source.backup(live, pages=step, progress=keep)
    except BaseException as exc:
        if keep.kept:  # rolled back: nothing was replaced, so nothing is "kept aside"
            aside.unlink(missing_ok=True)
        if not isinstance(exc, sqlite3.Error):
            raise
        if not keep.kept and exc.sqlite_errorcode in _UNREADABLE:
            raise _NotADatabase from None
        raise HemalogError(describe_sqlite_error(database, exc)) from None
    finally:
        live.close()
        source.close()
    if not keep.kept:  # pragma: no cover - the step size rules it out
        raise HemalogError(f"{database}: restored, but the replaced content was not kept")


def _match_page_size(source: sqlite3.Connection, live: sqlite3.Connection) -> None:
    """A WAL database only takes pages of its own size: re-page the staged copy if needed."""
    wanted = live.execute("PRAGMA page_size").fetchone()[0]
    if source.execute("PRAGMA page_size").fetchone()[0] != wanted:
        source.execute("PRAGMA journal_mode = DELETE")
        source.execute(f"PRAGMA page_size = {int(wanted)}")
        source.execute("VACUUM")


class _KeepAside:
    """Progress callback of the restore's backup: once the first step holds the live
    database's write lock (nothing committed yet), copy the live content aside.

    Other connections still read the old content then, and cannot write until the
    restore commits, so the copy is exactly what the restore replaces.
    """

    def __init__(self, database: Path, aside: Path, had_accounts: bool) -> None:
        self.database, self.aside, self.had_accounts = database, aside, had_accounts
        self.kept = False

    def __call__(self, status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            # The busy timeout has already been waited: another writer holds the file.
            raise HemalogError(f"{self.database}: the database is busy (another hemalog "
                               "is writing); nothing was restored; try again in a moment")
        if self.kept:
            return
        _copy_aside(self.database, self.aside)
        self.kept = True
        if not self.had_accounts and file_had_accounts(self.aside):
            raise HemalogError(f"{self.database}: accounts were created while restoring; "
                               "nothing was restored; run the restore again")


def _copy_aside(database: Path, aside: Path) -> None:
    partial = _Claim(aside.with_name(f".{aside.name}.partial"))
    try:
        reader = sqlite3.connect(database, timeout=busy_timeout_seconds())
        try:
            target = sqlite3.connect(partial.path)
            try:
                reader.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
        finally:
            reader.close()
        partial.publish(aside)
    except sqlite3.Error as exc:
        partial.discard()
        if exc.sqlite_errorcode in _UNREADABLE:
            raise _NotADatabase from None  # the restore is rolled back, then the file replaced
        raise HemalogError([f"{aside}: the replaced database could not be kept aside; "
                            "nothing was restored", describe_sqlite_error(aside, exc)]) from None
    except BaseException:
        partial.discard()
        raise


def _replace_unreadable(staged: _Claim, database: Path, aside: Path) -> None:
    """The live file is not a database SQLite can write into (so no app can be using it):
    keep its bytes aside, then rename the staged copy over it (one atomic rename: the
    file is never missing)."""
    partial = _Claim(aside.with_name(f".{aside.name}.partial"))
    try:
        partial.fill_from(database)
        partial.publish(aside)
    except BaseException:
        partial.discard()
        raise
    # Its journal files belong to the old content: applied to the new file they would damage it.
    for suffix in ("-wal", "-journal"):
        side = database.with_name(database.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    database.with_name(database.name + "-shm").unlink(missing_ok=True)
    staged.publish(database)


def newest_good_backup(database: Path) -> Path | None:
    """The newest automatic backup of ``database`` that passes verification (what the app
    and the command line offer when the database fails its check)."""
    try:
        # names carry a sortable time stamp: <stem>-YYYYmmdd-HHMMSS.db
        candidates = sorted(backup_folder(database).glob(f"{Path(database).stem}-*.db"),
                            reverse=True)
    except OSError:
        return None
    return next((b for b in candidates if verify_database(b).ok), None)
