"""Issue 7: accounts and roles, the tamper-evident audit log, backups, restore."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from clinical.accounts import PermissionDenied, Role
from clinical.errors import HemalogError
from clinical.record import Assessment, AssessmentKind, Lab, LabTest
from storage.audit import verify_chain
from storage.backup import KEEP, backup_to, daily_backup, last_backup, restore
from storage.database import open_database
from storage.integrity import verify_database
from storage.migrations import MIGRATIONS
from storage.record_files import export_text, import_files
from storage.repository import SqliteStore
from storage.sql import NotPermitted

ROOT = Path(__file__).resolve().parents[2]

def signed(store: SqliteStore, why: str) -> dict[str, str]:
    """The signature the app collects (the password typed again) for a void."""
    from storage.audit import now_utc
    return {"by": store.user, "meaning": f"voided because {why}", "at": now_utc()}



def _hemalog(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_first_account_then_wrong_password_refused(store: SqliteStore) -> None:
    admin = store.accounts.create("admin", "correct horse", Role.ADMIN)
    assert store.accounts.authenticate("admin", "correct horse") == admin
    assert store.accounts.authenticate("admin", "wrong horse!") is None
    assert store.accounts.authenticate("nobody", "correct horse") is None
    store.sign_in(admin)
    with pytest.raises(HemalogError, match="at least 8"):
        store.accounts.create("x", "short", Role.NURSE)


def test_only_an_admin_manages_accounts(store: SqliteStore) -> None:
    admin = store.accounts.create("admin", "correct horse", Role.ADMIN)
    store.role = Role.NURSE
    with pytest.raises(PermissionDenied, match="admin"):
        store.accounts.create("n2", "password1", Role.NURSE)
    store.sign_in(admin)
    nurse = store.accounts.create("nurse.li", "password1", Role.NURSE)
    store.accounts.set_disabled(nurse.id, True)
    assert store.accounts.authenticate("nurse.li", "password1") is None


def test_only_a_physician_voids_an_assessment(store: SqliteStore) -> None:
    from clinical.record import Patient

    p = store.patients.add(Patient(mrn="R1", name="Role test", diagnosis="AML"))
    a = store.assessments.add(p.id, Assessment(kind=AssessmentKind.CRS, date=date(2025, 1, 1),
                                               findings={"temperature_c": 38.5}))
    lab = store.labs.add(p.id, Lab(date=date(2025, 1, 1), test=LabTest.HB, value=90,
                                   unit="g/L"))
    store.role = Role.NURSE
    with pytest.raises(PermissionDenied, match="physician"):
        store.assessments.void(a.id, "entered twice", signature=signed(store, "entered twice"))
    store.labs.void(lab.id, "wrong tube",
        signature=signed(store, "wrong tube"))  # a nurse may void a lab
    store.role = Role.PHYSICIAN
    store.assessments.void(a.id, "entered twice", signature=signed(store, "entered twice"))
    assert store.assessments.list(p.id) == []


def test_audit_rows_carry_the_signed_in_user(store: SqliteStore, demo_record_path: Path) -> None:
    admin = store.accounts.create("dr.wang", "correct horse", Role.PHYSICIAN)
    store.sign_in(admin)
    (patient,) = import_files(store, [demo_record_path])
    assert {e.user for e in store.audit.entries(patient.id)} == {"dr.wang"}


def test_the_audit_log_is_append_only(store: SqliteStore) -> None:
    """Below the repositories, with plain SQL: the database itself refuses (a SQLite
    trigger; on a server a trigger that binds even the schema's owner)."""
    store.accounts.create("admin", "correct horse", Role.ADMIN)
    with pytest.raises(NotPermitted, match="append-only"):
        store.sql.execute('UPDATE audit SET "user" = ?', ["someone else"])
    with pytest.raises(NotPermitted, match="append-only"):
        store.sql.execute("DELETE FROM audit")
    assert store.sql.scalar("SELECT count(*) FROM audit") == 1


def _tamper(db: Path, sql: str) -> None:
    """Edit the file as an outsider would, with the sqlite3 shell when there is one."""
    script = f"DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; {sql};"
    if shutil.which("sqlite3"):
        subprocess.run(["sqlite3", str(db), script], check=True)
    else:
        conn = sqlite3.connect(db)
        conn.executescript(script)
        conn.close()


@pytest.mark.parametrize(("sql", "row"), [
    ("UPDATE audit SET new_value = replace(new_value, '39.6', '37.0') WHERE id = 477", 477),
    ("UPDATE audit SET user = 'nobody' WHERE id = 10", 10),
    ("DELETE FROM audit WHERE id = 100", 101),
])
def test_verify_names_the_first_tampered_audit_row(tmp_path: Path, sql: str, row: int) -> None:
    db = tmp_path / "v.db"
    assert _hemalog("--db", str(db), "demo").returncode == 0
    ok = _hemalog("--db", str(db), "verify")
    assert ok.returncode == 0 and "audit chain of 480 rows intact" in ok.stdout
    _tamper(db, sql)
    bad = _hemalog("--db", str(db), "verify")
    assert bad.returncode != 0
    assert f"audit row {row}" in bad.stderr and "Traceback" not in bad.stderr


def test_backup_restore_export_is_byte_identical(tmp_path: Path, demo_record_path: Path) -> None:
    db = tmp_path / "ward.db"
    with SqliteStore(db, user="t") as store:
        import_files(store, [demo_record_path])
        before = export_text(store, "DEMO-CD7-001")
        backup_to(db, tmp_path / "copy.db")
        store.labs.void(store.labs.list(1)[0].id, "changed after the backup",
            signature=signed(store, "changed after the backup"))
    aside = restore(db, tmp_path / "copy.db")
    assert aside.exists()
    with SqliteStore(db, user="t") as store:
        assert export_text(store, "DEMO-CD7-001") == before
    assert verify_database(db).ok
    assert (tmp_path / "copy.db").stat().st_mode & 0o777 == 0o600


def test_restore_refuses_a_file_that_fails_verification(tmp_path: Path,
                                                        demo_record_path: Path) -> None:
    db = tmp_path / "ward.db"
    with SqliteStore(db, user="t") as store:
        import_files(store, [demo_record_path])
    backup_to(db, tmp_path / "copy.db")
    _tamper(tmp_path / "copy.db", "UPDATE audit SET reason = 'x' WHERE id = 5")
    original = db.read_bytes()
    with pytest.raises(HemalogError, match="fails verification"):
        restore(db, tmp_path / "copy.db")
    assert db.read_bytes() == original
    cli = _hemalog("--db", str(db), "restore", str(tmp_path / "copy.db"))
    assert cli.returncode == 1 and "audit row 5" in cli.stderr


def test_daily_backups_at_most_once_a_day_keeping_14(tmp_path: Path) -> None:
    db = tmp_path / "ward.db"
    SqliteStore(db, user="t").close()
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    for day in range(20):
        assert daily_backup(db, start + timedelta(days=day)) is not None
        assert daily_backup(db, start + timedelta(days=day, hours=5)) is None
    assert len(list((tmp_path / "backups").glob("ward-*.db"))) == KEEP
    assert last_backup(db) == start + timedelta(days=19)


def test_a_schema_1_database_gains_the_audit_chain_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.close()
    from sqlite_utils import Database

    db = Database(sqlite3.connect(path))
    MIGRATIONS[0](db)
    db.conn.execute("PRAGMA user_version = 1")
    db.conn.execute("INSERT INTO audit (id, at, user, table_name, row_id, action) "
                    "VALUES (1, '2025-01-01T00:00:00Z', 'old', 'patients', 1, 'insert')")
    db.conn.commit()
    db.close()
    upgraded = open_database(path)
    assert upgraded.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert verify_chain(upgraded) == (1, None, "ok")
    upgraded.close()


def test_files_are_private_to_the_owner(tmp_path: Path) -> None:
    db = tmp_path / "ward.db"
    SqliteStore(db, user="t").close()
    assert db.stat().st_mode & 0o777 == 0o600
    out = daily_backup(db)
    assert out is not None and out.stat().st_mode & 0o777 == 0o600


def test_quick_check_at_start_catches_recent_tampering_and_a_damaged_file(tmp_path: Path) -> None:
    from storage.integrity import quick_check

    db = tmp_path / "q.db"
    assert _hemalog("--db", str(db), "demo").returncode == 0
    assert quick_check(db).ok
    _tamper(db, "UPDATE audit SET user = 'nobody' WHERE id = 470")
    result = quick_check(db, recent_audit_rows=50)
    assert not result.ok and result.first_bad_audit_row == 470
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert not quick_check(junk).ok
