"""Online backups (the sqlite3 backup API), daily rotation, and restore.

A backup is a complete, verified copy taken while the app runs. Restore refuses
a file that fails verification and keeps the replaced database aside.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from clinical.errors import HemalogError
from storage.database import describe_sqlite_error, open_database
from storage.integrity import verify_database

KEEP = 14
STAMP = "%Y%m%d-%H%M%S"


def backup_folder(database: Path) -> Path:
    return Path(database).resolve().parent / "backups"


def _private(path: Path) -> None:
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


def backup_to(database: Path, out: Path) -> Path:
    """Copy the live database into ``out`` (a new file), then verify the copy."""
    database, out = Path(database), Path(out)
    if not out.parent.is_dir():
        raise HemalogError(f"{out}: the folder {out.parent} does not exist")
    if out.exists():
        raise HemalogError(f"{out}: already exists; choose a new file name")
    partial = out.with_name(f".{out.name}.partial")
    source = open_database(database, create=False)
    try:
        target = sqlite3.connect(partial)
        try:
            source.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            target.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise HemalogError(describe_sqlite_error(out, exc)) from None
    finally:
        source.close()
    _private(partial)
    result = verify_database(partial)
    if not result.ok:
        partial.unlink(missing_ok=True)
        raise HemalogError([f"{out}: the backup copy failed verification", *result.lines()])
    os.replace(partial, out)
    return out


def last_backup(database: Path) -> datetime | None:
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


def restore(database: Path, backup: Path, now: datetime | None = None) -> Path:
    """Replace ``database`` with a verified ``backup``; returns where the old one went."""
    database, backup = Path(database), Path(backup)
    if not backup.is_file():
        raise HemalogError(f"{backup}: no such file")
    result = verify_database(backup)
    if not result.ok:
        raise HemalogError([f"{backup}: refused: it fails verification", *result.lines()])
    stamp = (now or datetime.now(UTC)).strftime(STAMP)
    aside = database.with_name(f"{database.name}.replaced-{stamp}")
    staged = database.with_name(f".{database.name}.restoring")
    shutil.copyfile(backup, staged)
    _private(staged)
    if database.exists():
        # Fold the WAL into the file so the copy kept aside is complete on its own.
        try:
            db = open_database(database, create=False)
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close()
        except Exception:  # a damaged database is kept aside as it is
            pass
        os.replace(database, aside)
        for suffix in ("-wal", "-shm"):
            side = database.with_name(database.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
    os.replace(staged, database)
    return aside
