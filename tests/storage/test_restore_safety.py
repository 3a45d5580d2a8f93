"""Issue 13, finding 2: restore is safe, and backups and restores leave nothing behind.

Real files in tmp_path throughout: the restore writes into the live file with
SQLite's backup API while other connections hold it open, as the ward app does.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from benchmarks.synthetic import record_with_labs, write_record
from clinical.accounts import Role
from clinical.errors import HemalogError
from clinical.record import Lab, LabTest, Patient
from storage.audit import last_hash
from storage.backup import (
    backup_to, refuse_interrupted_restore, remove_stale_partials, restore,
)
from storage.history import RESTORE_TABLE, ever_had_accounts
from storage.integrity import verify_database
from storage.record_files import import_files
from storage.repository import SqliteStore
from tests.storage.test_safety import _tamper

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


def _ward(tmp_path: Path, demo_record_path: Path, *, accounts: bool = False) -> Path:
    """ward.db holding the demo patient (and an admin account when asked)."""
    db = tmp_path / "ward.db"
    with SqliteStore(db, user="t") as store:
        if accounts:
            store.sign_in(store.accounts.create("ada", "admin-pass-1", Role.ADMIN))
        import_files(store, [demo_record_path])
    return db


def _mrns(db: Path) -> list[str]:
    with SqliteStore(db, user="t") as store:
        return sorted(p.mrn for p in store.patients.list())


def _lab(value: float) -> Lab:
    return Lab(date=date(2025, 6, 1), test=LabTest.HB, value=value, unit="g/L")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".partial" in p.name
                  or ".restoring" in p.name)


# --- restore into the live file -------------------------------------------------------------
def test_an_open_store_reads_the_restored_patients_and_saves_into_the_live_file(
        tmp_path: Path, demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    backup = backup_to(db, tmp_path / "copy.db")
    app = SqliteStore(db, user="nurse")          # the ward app, open across the restore
    try:
        app.patients.add(Patient(mrn="AFTER-1", name="Added after the backup", diagnosis="AML"))
        assert app.patients.list_mrns(["AFTER-1"]) == ["AFTER-1"]
        inode = db.stat().st_ino
        aside = restore(db, backup)
        assert aside is not None and db.stat().st_ino == inode   # the same file, never renamed
        assert [p.mrn for p in app.patients.list()] == ["DEMO-CD7-001"]
        demo = app.patients.get_by_mrn("DEMO-CD7-001")
        saved = app.labs.add(demo.id, _lab(123.0))
    finally:
        app.close()
    with SqliteStore(db, user="t") as live:
        assert saved in live.labs.list(demo.id)
    with SqliteStore(aside, user="t") as replaced:
        assert replaced.patients.list_mrns(["AFTER-1"]) == ["AFTER-1"]
        assert all(lab.value != 123.0 for lab in replaced.labs.list(demo.id))
    assert verify_database(db).ok


def test_the_replaced_database_is_kept_aside_complete_and_private(
        tmp_path: Path, demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    backup = backup_to(db, tmp_path / "copy.db")
    with SqliteStore(db, user="t") as store:
        store.patients.add(Patient(mrn="AFTER-1", name="Added after the backup", diagnosis="AML"))
    aside = restore(db, backup)
    assert aside is not None and aside.name.startswith("ward.db.replaced-")
    assert aside.stat().st_mode & 0o777 == 0o600
    assert verify_database(aside).ok
    assert _mrns(aside) == ["AFTER-1", "DEMO-CD7-001"]
    assert _mrns(db) == ["DEMO-CD7-001"]
    assert _leftovers(tmp_path) == []


def test_restore_writes_an_audit_row_naming_the_backup_and_the_head_of_its_chain(
        tmp_path: Path, demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    backup = backup_to(db, tmp_path / "copy.db")
    with SqliteStore(backup, user="t") as copy:
        rows, head = copy.audit.count(), last_hash(copy.db)
    aside = restore(db, backup, user="it.admin")
    with SqliteStore(db, user="t") as store:
        entry = store.audit.entries()[-1]
        assert store.audit.count() == rows + 1
    assert (entry.table, entry.action, entry.user) == (RESTORE_TABLE, "insert", "it.admin")
    assert entry.new is not None
    assert entry.new["backup"] == str(backup.resolve())
    assert (entry.new["backup_audit_rows"], entry.new["backup_audit_last_hash"]) == (rows, head)
    assert entry.new["replaced_kept_as"] == str(aside)
    assert verify_database(db).ok


def test_a_restored_older_backup_verifies_although_later_heads_were_noted(
        tmp_path: Path, demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    older = backup_to(db, tmp_path / "older.db")
    with SqliteStore(db, user="t") as store:
        store.patients.add(Patient(mrn="AFTER-1", name="Added after the backup", diagnosis="AML"))
    backup_to(db, tmp_path / "newer.db")                 # notes the longer chain's head
    restore(db, older)
    result = verify_database(db)
    assert result.ok, result.lines()


def test_restore_waits_for_a_writer_then_refuses_changing_nothing(
        tmp_path: Path, demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    backup = backup_to(db, tmp_path / "copy.db")
    with SqliteStore(db, user="t") as store:
        store.patients.add(Patient(mrn="AFTER-1", name="Added after the backup", diagnosis="AML"))
    writer = sqlite3.connect(db)
    writer.execute("BEGIN IMMEDIATE")            # another hemalog in the middle of a save
    try:
        started = time.monotonic()
        with pytest.raises(HemalogError, match="busy .*nothing was restored"):
            restore(db, backup)
        assert time.monotonic() - started >= 0.2  # HEMALOG_BUSY_TIMEOUT in the tests
    finally:
        writer.rollback()
        writer.close()
    assert _mrns(db) == ["AFTER-1", "DEMO-CD7-001"]
    assert not list(tmp_path.glob("ward.db.replaced-*"))
    assert _leftovers(tmp_path) == []


def _write_sqlite(path: Path, sql: str) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return path


def _newer_hemalog(path: Path) -> None:
    SqliteStore(path, user="t").close()
    _write_sqlite(path, "PRAGMA user_version = 99;")


@pytest.mark.parametrize(("name", "make", "message"), [
    ("empty.db", lambda p: p.write_bytes(b""), "the file is empty (0 bytes)"),
    ("random.db", lambda p: p.write_bytes(os.urandom(8192)), "not a hemalog database"),
    ("fake-header.db", lambda p: p.write_bytes(b"SQLite format 3\x00" + os.urandom(8192)),
     "not a hemalog database"),
    ("other.db", lambda p: _write_sqlite(p, "CREATE TABLE moz_places (id INTEGER);"),
     "not a hemalog database (tables: moz_places)"),
    ("newer.db", lambda p: _newer_hemalog(p), "made by a newer hemalog (schema 99"),
])
def test_restore_refuses_what_is_not_a_hemalog_backup_changing_nothing(
        tmp_path: Path, demo_record_path: Path, name: str, make, message: str) -> None:  # noqa: ANN001
    db = _ward(tmp_path, demo_record_path)
    bad = tmp_path / name
    make(bad)
    before = bad.read_bytes()
    with pytest.raises(HemalogError, match="refused") as caught:
        restore(db, bad)
    assert any(str(bad) in line and message in line for line in caught.value.lines)
    assert _mrns(db) == ["DEMO-CD7-001"]
    assert bad.read_bytes() == before                  # the offered file is only read
    assert not list(tmp_path.glob("ward.db.replaced-*"))
    assert _leftovers(tmp_path) == []


def test_restore_refuses_a_backup_that_fails_verification_naming_the_backup(
        tmp_path: Path, demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    backup = backup_to(db, tmp_path / "copy.db")
    _tamper(backup, "UPDATE audit SET reason = 'x' WHERE id = 5")
    with pytest.raises(HemalogError, match="fails verification") as caught:
        restore(db, backup)
    assert any(line.startswith(f"{backup}: audit row 5") for line in caught.value.lines)
    assert _leftovers(tmp_path) == []


def test_a_live_file_that_is_not_a_database_is_kept_aside_and_replaced(
        tmp_path: Path, demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    backup = backup_to(db, tmp_path / "copy.db")
    junk = b"this is not a database" * 100
    db.write_bytes(junk)
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    aside = restore(db, backup)
    assert aside is not None and aside.read_bytes() == junk
    assert aside.stat().st_mode & 0o777 == 0o600
    assert _mrns(db) == ["DEMO-CD7-001"] and verify_database(db).ok
    assert _leftovers(tmp_path) == []


def test_a_backup_with_another_page_size_is_restored(tmp_path: Path,
                                                     demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    backup = backup_to(db, tmp_path / "copy.db")
    _write_sqlite(backup, "PRAGMA journal_mode = DELETE; PRAGMA page_size = 8192; VACUUM;")
    with SqliteStore(db, user="t") as store:
        store.patients.add(Patient(mrn="AFTER-1", name="Added after the backup", diagnosis="AML"))
    restore(db, backup)
    assert _mrns(db) == ["DEMO-CD7-001"] and verify_database(db).ok


def test_restore_onto_a_missing_database_creates_it_from_the_backup(
        tmp_path: Path, demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    backup = backup_to(db, tmp_path / "copy.db")
    new = tmp_path / "new.db"
    assert restore(new, backup) is None
    assert _mrns(new) == ["DEMO-CD7-001"] and verify_database(new).ok
    assert new.stat().st_mode & 0o777 == 0o600


# --- accounts: once there were some, no first administrator for whoever comes ---------------
def test_a_new_database_never_had_accounts(store: SqliteStore) -> None:
    assert not store.ever_had_accounts()


def test_accounts_deleted_behind_hemalogs_back_still_count(tmp_path: Path,
                                                          demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path, accounts=True)
    _write_sqlite(db, "DELETE FROM users;")
    with SqliteStore(db, user="t") as store:
        assert store.accounts.count() == 0 and ever_had_accounts(store.db)


def test_restoring_a_backup_without_accounts_keeps_the_memory_of_them(
        tmp_path: Path, demo_record_path: Path) -> None:
    db = _ward(tmp_path, demo_record_path)
    backup = backup_to(db, tmp_path / "before-accounts.db")
    with SqliteStore(db, user="t") as store:
        store.accounts.create("ada", "admin-pass-1", Role.ADMIN)
    restore(db, backup, keep_accounts=False)   # the administrator chose the backup's (none)
    with SqliteStore(db, user="t") as store:
        assert store.accounts.count() == 0
        assert ever_had_accounts(store.db)
        assert store.audit.entries()[-1].new["replaced_had_accounts"] is True  # type: ignore[index]


def test_the_app_refuses_the_first_admin_dialog_where_accounts_existed(
        tmp_path: Path, demo_record_path: Path, request: pytest.FixtureRequest) -> None:
    pytest.importorskip("PySide6")
    request.getfixturevalue("qapp")                       # the dialog is a widget
    from gui.app import sign_in
    from gui.bridge import StoreBridge
    from gui.sign_in import FirstAdminDialog

    offered: list[object] = []

    def run_modal(dialog: object) -> bool:
        offered.append(type(dialog))
        return False

    with SqliteStore(tmp_path / "fresh.db", user="t") as fresh:
        assert sign_in(StoreBridge(fresh), None, run_modal) is None
    assert offered == [FirstAdminDialog]                  # a new database: the first admin
    db = _ward(tmp_path, demo_record_path, accounts=True)
    _write_sqlite(db, "DELETE FROM users;")
    with SqliteStore(db, user="t") as gone:
        with pytest.raises(HemalogError, match="had staff accounts, but they are gone"):
            sign_in(StoreBridge(gone), None, run_modal)
    assert offered == [FirstAdminDialog]                  # nothing offered the second time


# --- leftovers of a crash --------------------------------------------------------------------
def _stale(path: Path, content: bytes = b"SQLite format 3\x00" + b"\0" * 100) -> Path:
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    path.chmod(0o644)                                    # what the old code left
    return path


def test_a_missing_database_beside_an_interrupted_restore_is_refused_by_name(
        tmp_path: Path) -> None:
    db = tmp_path / "ward.db"
    refuse_interrupted_restore(db)                       # nothing there: a new database is fine
    kept = _stale(tmp_path / "ward.db.replaced-20250101-080000")
    staged = _stale(tmp_path / ".ward.db.restoring")
    with pytest.raises(HemalogError, match="missing") as caught:
        refuse_interrupted_restore(db)
    assert kept.name in caught.value.lines[0] and staged.name in caught.value.lines[0]
    assert not db.exists() and staged.exists()           # evidence is not cleaned away


def test_stale_partials_of_a_killed_backup_or_restore_are_removed(tmp_path: Path) -> None:
    db = tmp_path / "ward.db"
    SqliteStore(db, user="t").close()
    left = [_stale(tmp_path / ".ward.db.restoring"), _stale(tmp_path / ".ward.db.restoring-wal"),
            _stale(tmp_path / ".copy.db.partial", b""),
            _stale(tmp_path / ".copy.db.partial-journal"),
            _stale(tmp_path / "backups" / ".ward-20250101-080000.db.partial"),
            _stale(tmp_path / ".ward.db.replaced-20250101-080000.partial")]
    someone_elses = _stale(tmp_path / ".notes.txt.partial", b"a text editor's file")
    assert sorted(remove_stale_partials(db)) == sorted(left)
    assert not any(p.exists() for p in left) and someone_elses.exists()
    assert db.exists() and verify_database(db).ok


def test_a_partial_still_held_by_its_writer_is_left_alone(tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    db = tmp_path / "ward.db"
    SqliteStore(db, user="t").close()
    busy = _stale(tmp_path / ".copy.db.partial")
    with open(busy, "rb") as held:                       # a backup in another process
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert remove_stale_partials(db) == []
        with pytest.raises(HemalogError, match="another backup or restore is writing"):
            backup_to(db, tmp_path / "copy.db")
    assert busy.exists()
    backup_to(db, tmp_path / "copy.db")                  # released: stale now, replaced
    assert not busy.exists() and (tmp_path / "copy.db").exists()


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database large enough that a backup takes a moment (about 20 MB)."""
    folder = tmp_path_factory.mktemp("big")
    db = folder / "big.db"
    records = [write_record(folder / f"r{i}.json", record_with_labs(20_000, seed=i,
                                                                    mrn=f"BIG-{i}"))
               for i in range(3)]
    with SqliteStore(db, user="t") as store:
        import_files(store, records)
    return db


def _backup_process(db: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(db), "backup",
                             "-o", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _wait_for(path: Path, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists():
            return True
        time.sleep(0.001)
    return False


@posix_only
def test_a_killed_backup_leaves_only_a_private_partial_which_the_next_start_removes(
        tmp_path: Path, big_db: Path) -> None:
    out = tmp_path / "copy.db"
    partial = tmp_path / ".copy.db.partial"
    process = _backup_process(big_db, out)
    assert _wait_for(partial, process), "the backup finished before it could be killed"
    assert partial.stat().st_mode & 0o777 == 0o600     # private from its first byte
    time.sleep(0.05)
    process.kill()
    process.communicate()
    assert partial.exists() and not out.exists()
    assert remove_stale_partials(tmp_path / "ward.db") and _leftovers(tmp_path) == []


@posix_only
def test_ctrl_c_during_a_backup_leaves_nothing(tmp_path: Path, big_db: Path) -> None:
    out = tmp_path / "copy.db"
    process = _backup_process(big_db, out)
    assert _wait_for(tmp_path / ".copy.db.partial", process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert not out.exists() and _leftovers(tmp_path) == []

