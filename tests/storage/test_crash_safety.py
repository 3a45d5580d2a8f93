"""A writer killed with SIGKILL mid-import leaves a sound database with all or none of it."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.synthetic import record_with_labs, write_record

ROOT = Path(__file__).resolve().parents[2]
N_LABS = 20_000

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")


def _lab_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "labs" not in tables:
            return 0
        return conn.execute("SELECT count(*) FROM labs").fetchone()[0]
    finally:
        conn.close()


def test_sigkill_during_large_import_is_all_or_nothing(tmp_path: Path) -> None:
    record = write_record(tmp_path / "big.json", record_with_labs(N_LABS))
    rng = random.Random(7)
    outcomes = set()
    for attempt in range(6):
        db = tmp_path / f"kill{attempt}.db"
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db), "import", str(record)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.2))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        count = _lab_count(db) if db.exists() else 0
        assert count in (0, N_LABS), f"attempt {attempt}: {count} labs is a partial import"
        outcomes.add(count)
        # The next start opens normally and can finish the job.
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), "import",
                               str(record)], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode in (0, 1), done.stderr
        assert _lab_count(db) == N_LABS


KILLED_WHILE_CREATING = """
import os, sys
sys.path.insert(0, sys.argv[2])
from pathlib import Path
import storage.migrations as m
from storage.database import open_database
m.MIGRATIONS[2] = lambda db: os._exit(9)   # the process dies half-way through making it
open_database(Path(sys.argv[1]))
"""


def test_a_process_killed_while_creating_the_database_leaves_no_half_made_file(
        tmp_path: Path) -> None:
    """A kill between creating the file and its last migration once left an empty file
    that every later start refused as "not a hemalog database"."""
    from storage.database import STALE_CREATION_SECONDS, open_database
    from storage.migrations import SCHEMA_VERSION

    db = tmp_path / "ward.db"
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_CREATING, str(db), str(ROOT)],
                            capture_output=True, text=True)
    assert killed.returncode == 9, killed.stderr
    assert not db.exists()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left and all(name.startswith(".ward.db.creating-") for name in left)
    for name in left:   # long ago: nobody is still making it
        old = time.time() - STALE_CREATION_SECONDS - 5
        os.utime(tmp_path / name, (old, old))
    made = open_database(db)
    try:
        assert made.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert made.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        made.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("ward.db")) == []
    assert (db.stat().st_mode & 0o777) == 0o600


def test_a_new_database_is_made_where_hard_links_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Some network or FAT shares have no hard links: the made file is moved instead."""
    from storage.database import open_database
    from storage.migrations import SCHEMA_VERSION

    def no_links(_source: object, _target: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    made = open_database(tmp_path / "share.db")
    try:
        assert made.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        made.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("share.db")) == []
