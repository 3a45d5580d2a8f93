"""Issue 13, finding 4: commands that only read open the database read-only.

`verify`, `list`, `export`, `report` and `plot` never migrate, never switch the
journal, never change a byte; they work from a read-only folder or medium and
name a file that is not a hemalog database instead of turning it into one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from clinical.record import Patient
from storage.database import DatabaseError, open_database
from storage.integrity import verify_database
from storage.migrations import MIGRATIONS
from storage.record_files import import_files
from storage.repository import SqliteStore
from test_safety import _hemalog

DEMO_MRN = "DEMO-CD7-001"
READ_COMMANDS = [("verify",), ("list",), ("export", DEMO_MRN)]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``folder`` with its bytes and mtime: what 'nothing changed' means."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def demo_db(tmp_path: Path, demo_record_path: Path) -> Path:
    """A closed database holding the demo patient, alone in its own folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    with SqliteStore(folder / "ward.db", user="t") as store:
        import_files(store, [demo_record_path])
    return folder / "ward.db"


@contextmanager
def read_only_mount(source: Path, target: Path) -> Iterator[Path]:
    """``source`` seen through a read-only bind mount at ``target`` (needs root; else skip)."""
    target.mkdir()
    if subprocess.run(["mount", "--bind", str(source), str(target)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot bind-mount here (needs root and mount rights)")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(target)],
                          capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield target
    finally:
        # lazy: detaches even while a failed test still holds a file open on it
        subprocess.run(["umount", "--lazy", str(target)], check=True)


# --- files that are not hemalog databases -------------------------------------------

@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_a_zero_byte_file_is_not_a_hemalog_database_and_stays_empty(
        tmp_path: Path, command: tuple[str, ...]) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    before = snapshot(tmp_path)
    result = _hemalog("--db", str(empty), *command)
    assert result.returncode == 1, result.stdout + result.stderr
    assert snapshot(tmp_path) == before
    assert f"{empty}: not a hemalog database (the file is empty)" in result.stderr
    assert "passed" not in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_another_programs_sqlite_file_is_named_and_its_bytes_unchanged(
        tmp_path: Path, command: tuple[str, ...]) -> None:
    other = tmp_path / "songs.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.execute("INSERT INTO songs VALUES ('Blue Monday')")
    conn.commit()
    conn.close()
    before = snapshot(tmp_path)
    result = _hemalog("--db", str(other), *command)
    assert result.returncode == 1, result.stdout + result.stderr
    assert snapshot(tmp_path) == before
    assert (f"{other}: not a hemalog database: this SQLite file belongs to another program "
            "(tables: songs)") in result.stderr
    assert "Traceback" not in result.stderr


def test_another_programs_file_is_not_taken_for_a_newer_hemalog(tmp_path: Path) -> None:
    other = tmp_path / "app.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE settings (key TEXT, value TEXT)")
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    for read_only in (True, False):
        with pytest.raises(DatabaseError, match="belongs to another program"):
            open_database(other, read_only=read_only)


def test_list_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "gone.db"
    result = _hemalog("--db", str(missing), "list")
    assert result.returncode == 1 and f"{missing}: no such database" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- good databases where nothing may be written -------------------------------------

def test_a_read_only_open_in_a_folder_without_write_permission_makes_no_side_files(
        demo_db: Path) -> None:
    """chmod 0555 is honoured even for root: SQLite is told the file cannot change."""
    folder = demo_db.parent
    before = snapshot(folder)
    folder.chmod(0o555)
    try:
        db = open_database(demo_db, read_only=True)
        try:
            assert sorted(os.listdir(folder)) == ["ward.db"]  # no -wal, no -shm
            assert db.conn.execute("SELECT mrn FROM patients").fetchall() == [(DEMO_MRN,)]
        finally:
            db.close()
        assert verify_database(demo_db).ok
    finally:
        folder.chmod(0o755)
    assert snapshot(folder) == before


@pytest.mark.parametrize("command", [
    ("verify",), ("list",), ("export", DEMO_MRN),
    ("report", DEMO_MRN, "-o", "{out}/summary.pdf"), ("plot", DEMO_MRN, "-o", "{out}/trends.png"),
], ids=lambda c: c[0])
def test_read_commands_work_on_read_only_media_and_change_nothing(
        demo_db: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    before = snapshot(demo_db.parent)
    out = tmp_path / "out"
    out.mkdir()
    with read_only_mount(demo_db.parent, tmp_path / "medium") as medium:
        args = [a.format(out=out) for a in command]
        result = _hemalog("--db", str(medium / "ward.db"), *args)
    assert result.returncode == 0, result.stderr
    assert snapshot(demo_db.parent) == before


def test_a_backup_on_read_only_media_passes_verification(demo_db: Path, tmp_path: Path) -> None:
    with read_only_mount(demo_db.parent, tmp_path / "medium") as medium:
        result = verify_database(medium / "ward.db")
    assert result.ok, result.lines()


def test_changes_still_in_the_wal_are_read_from_read_only_media(
        tmp_path: Path, demo_db: Path) -> None:
    """immutable=1 would ignore the -wal; with changes in it the plain read-only open is used."""
    copy = tmp_path / "copy"
    copy.mkdir()
    with SqliteStore(demo_db, user="t") as store:
        store.db.conn.execute("PRAGMA wal_autocheckpoint = 0")
        store.patients.add(Patient(mrn="WAL-1", name="Only in the WAL", diagnosis="AML"))
        for suffix in ("", "-wal", "-shm"):  # what a copy of the open database holds
            shutil.copyfile(f"{demo_db}{suffix}", copy / f"ward.db{suffix}")
    assert (copy / "ward.db-wal").stat().st_size > 0
    with read_only_mount(copy, tmp_path / "medium") as medium:
        db = open_database(medium / "ward.db", read_only=True)
        try:
            mrns = [r[0] for r in db.conn.execute("SELECT mrn FROM patients ORDER BY mrn")]
        finally:
            db.close()
        (copy / "ward.db-shm").unlink()
        with pytest.raises(DatabaseError, match="holds changes that cannot be read"):
            open_database(medium / "ward.db", read_only=True)
    assert mrns == [DEMO_MRN, "WAL-1"]


# --- schemas ------------------------------------------------------------------------

def test_an_older_schema_is_verified_without_upgrading_the_file(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.close()
    from sqlite_utils import Database

    db = Database(sqlite3.connect(path))
    MIGRATIONS[0](db)
    db.conn.execute("PRAGMA user_version = 1")
    db.conn.commit()
    db.close()
    before = snapshot(tmp_path)
    assert verify_database(path).ok
    assert snapshot(tmp_path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
