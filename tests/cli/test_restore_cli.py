"""Issue 13, finding 2 on the command line: `restore` and `backup` are safe.

``main.main([...])`` against a database in tmp_path holding the demo patient,
except where a second process is the point (a running app beside the command).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest

import main
from clinical.record import Lab, LabTest, Patient
from resources import DEMO_MRN
from storage.history import RESTORE_TABLE
from storage.repository import SqliteStore
from tests.cli.test_bad_input import assert_bad_input, run
from tests.storage.test_safety import _hemalog


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database holding the demo patient, loaded with the `demo` command."""
    path = tmp_path / "ward.db"
    assert main.main(["--db", str(path), "demo"]) == 0
    capsys.readouterr()
    return path


@pytest.fixture
def backup(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "copy.db"
    assert run(capsys, "--db", str(db), "backup", "-o", str(out)).code == 0
    return out


def _patients(db: Path) -> list[str]:
    with SqliteStore(db, user="t") as store:
        return sorted(p.mrn for p in store.patients.list())


def _add_patient(db: Path) -> None:
    with SqliteStore(db, user="t") as store:
        store.patients.add(Patient(mrn="AFTER-1", name="Added after the backup", diagnosis="AML"))


def _other_programs_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.close()


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(b""), "refused: the file is empty (0 bytes), not a backup"),
    (lambda p: p.write_bytes(os.urandom(4096)), "refused: not a hemalog database"),
    (_other_programs_database, "refused: not a hemalog database (tables: moz_places)"),
])
def test_restore_refuses_an_empty_random_or_foreign_file_with_exit_1(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make, message: str  # noqa: ANN001
) -> None:
    bad = tmp_path / "offered.db"
    make(bad)
    result = run(capsys, "--db", str(db), "restore", str(bad))
    assert_bad_input(result, f"{bad}: {message}")
    assert _patients(db) == [DEMO_MRN]
    assert sorted(p.name for p in tmp_path.iterdir()
                  if p.name.startswith((".ward", "ward.db.replaced"))) == []


def test_restore_says_where_the_replaced_database_is_kept_and_audits_itself(
        db: Path, backup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add_patient(db)
    result = run(capsys, "--db", str(db), "--user", "it.admin", "restore", str(backup))
    assert result.code == 0, result.err
    (aside,) = db.parent.glob("ward.db.replaced-*")
    assert result.out == (f"restored {db} from {backup}; the replaced database is kept as "
                          f"{aside}\n")
    assert _patients(db) == [DEMO_MRN] and _patients(aside) == ["AFTER-1", DEMO_MRN]
    with SqliteStore(db, user="t") as store:
        last = store.audit.entries()[-1]
    assert (last.table, last.user) == (RESTORE_TABLE, "it.admin")
    assert run(capsys, "--db", str(db), "verify").code == 0


def test_restore_into_the_database_of_a_running_app_reaches_the_app(
        db: Path, backup: Path) -> None:
    _add_patient(db)
    with SqliteStore(db, user="nurse") as app:          # the ward app, open all along
        assert app.patients.list_mrns(["AFTER-1"]) == ["AFTER-1"]
        done = _hemalog("--db", str(db), "restore", str(backup))
        assert done.returncode == 0, done.stderr
        assert [p.mrn for p in app.patients.list()] == [DEMO_MRN]
        demo = app.patients.get_by_mrn(DEMO_MRN)
        saved = app.labs.add(demo.id, Lab(date=date(2025, 6, 1), test=LabTest.HB, value=77.0,
                                          unit="g/L"))
    with SqliteStore(db, user="t") as live:                # the lab is in the live file
        assert saved in live.labs.list(demo.id)
    (aside,) = db.parent.glob("ward.db.replaced-*")
    with SqliteStore(aside, user="t") as replaced:         # and not in the replaced one
        assert saved not in replaced.labs.list(demo.id)


def test_backup_names_the_files_of_an_interrupted_restore_and_creates_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ward.db"
    (tmp_path / "ward.db.replaced-20250101-080000").write_bytes(b"SQLite format 3\x00")
    (tmp_path / ".ward.db.restoring").write_bytes(b"SQLite format 3\x00")
    result = run(capsys, "--db", str(db), "backup", "-o", str(tmp_path / "copy.db"))
    assert_bad_input(result, "the database file is missing",
                     "ward.db.replaced-20250101-080000", ".ward.db.restoring")
    assert not db.exists() and not (tmp_path / "copy.db").exists()


def test_backup_and_restore_remove_stale_partials_first(
        db: Path, backup: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = [tmp_path / ".old.db.partial", tmp_path / ".ward.db.restoring"]
    for path in stale:
        path.write_bytes(b"SQLite format 3\x00")
    assert run(capsys, "--db", str(db), "restore", str(backup)).code == 0
    assert not any(p.exists() for p in stale)
    stale[0].write_bytes(b"")
    assert run(capsys, "--db", str(db), "backup", "-o", str(tmp_path / "again.db")).code == 0
    assert not stale[0].exists()


@pytest.mark.parametrize("command", [["list"], ["import", "x.json"], ["demo"]])
def test_no_command_creates_an_empty_database_where_a_restore_crashed(
        db: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """The database moved aside by an old-style restore that died before putting the
    backup in place: `list` must not answer "0 patients" from a new, empty file."""
    aside = db.with_name(f"{db.name}.replaced-20261130-120000")
    os.replace(db, aside)
    for side in ("-wal", "-shm"):
        db.with_name(db.name + side).unlink(missing_ok=True)
    result = run(capsys, "--db", str(db), *command)
    assert result.code == 1
    assert "interrupted restore" in result.err and aside.name in result.err
    assert not db.exists()
