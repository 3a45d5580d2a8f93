"""Issue 13, finding 3: the command line runs the app's start-up check before it writes.

A damaged database makes `import` and `demo` exit 1 and write nothing. When the
quick check sees the damage, the message names the newest backup that passes
verification, as the app offers it at start.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from storage.backup import backup_folder
from test_bad_input import (  # noqa: F401  (fixtures are used by name)
    Doc, assert_bad_input, demo_doc, new_doc, run, seeded_db, write_doc,
)

PAGE = 4096
DAMAGE = 2 * PAGE  # 8 KB
REFUSED = "the database fails its check, so nothing was written"


def damage_at(db: Path, start: int, seed: int = 13) -> bytes:
    """Overwrite 8 KB from ``start`` with random bytes; return the file's new bytes."""
    data = bytearray(db.read_bytes())
    data[start:start + DAMAGE] = random.Random(seed).randbytes(DAMAGE)
    db.write_bytes(bytes(data))
    return bytes(data)


def damage_the_middle(db: Path) -> bytes:
    return damage_at(db, db.stat().st_size // 2 - DAMAGE // 2)


def damage_the_audit_log(db: Path) -> bytes:
    """8 KB of random bytes ending with a page of audit rows, which the start-up check reads."""
    conn = sqlite3.connect(db)
    try:
        (page,) = conn.execute("SELECT max(pageno) FROM dbstat WHERE name = 'audit' "
                               "AND pagetype = 'leaf'").fetchone()
        assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE
    finally:
        conn.close()
    return damage_at(db, (page - 2) * PAGE)  # pages are numbered from 1


def keep_backup(db: Path, stamp: str) -> Path:
    """A copy of ``db`` where the daily backups go, named as they are named."""
    folder = backup_folder(db)
    folder.mkdir(exist_ok=True)
    return Path(shutil.copyfile(db, folder / f"{db.stem}-{stamp}.db"))


def test_import_into_a_database_with_8_kb_of_random_bytes_in_the_middle_writes_nothing(
        seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    record = write_doc(tmp_path / "new.json", new_doc)
    damaged = damage_the_middle(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(record))
    # Which check refuses it depends on what the random bytes hit (the schema's pages
    # or the rows' pages): either way it is refused and named, and nothing is written.
    assert_bad_input(result, f"{seeded_db}: ")
    assert (f"{seeded_db}: this file is not a hemalog database (or it is damaged)" in result.err
            or f"{seeded_db}: the database fails its check, so nothing was written" in result.err)
    assert seeded_db.read_bytes() == damaged


def test_import_into_a_damaged_audit_log_is_refused_before_writing(
        seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    record = write_doc(tmp_path / "new.json", new_doc)
    damaged = damage_the_audit_log(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(record))
    assert_bad_input(result, f"{seeded_db}: {REFUSED}",
                     f"no backup that passes verification was found in {tmp_path / 'backups'}")
    assert seeded_db.read_bytes() == damaged


def test_demo_into_a_damaged_database_is_refused_before_writing(
        new_doc: Doc, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ward.db"
    record = write_doc(tmp_path / "new.json", new_doc)
    assert run(capsys, "--db", str(db), "import", str(record)).code == 0
    damaged = damage_the_audit_log(db)
    result = run(capsys, "--db", str(db), "demo")
    assert_bad_input(result, f"{db}: {REFUSED}")
    assert db.read_bytes() == damaged


def test_the_refusal_names_the_newest_backup_that_passes_verification(
        seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    good = keep_backup(seeded_db, "20260101-080000")
    newer = keep_backup(seeded_db, "20260102-080000")
    damage_the_audit_log(newer)
    damaged = damage_the_audit_log(seeded_db)
    record = write_doc(tmp_path / "new.json", new_doc)
    result = run(capsys, "--db", str(seeded_db), "import", str(record))
    assert_bad_input(result, f"the newest backup that passes verification is {good}",
                     f"hemalog --db {seeded_db} restore {good}")
    assert str(newer) not in result.err
    assert seeded_db.read_bytes() == damaged


def test_a_sound_database_still_takes_an_import(
        seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    record = write_doc(tmp_path / "new.json", new_doc)
    result = run(capsys, "--db", str(seeded_db), "import", str(record))
    assert result.code == 0, result.err
    assert run(capsys, "--db", str(seeded_db), "list").out.count("\n") == 2

