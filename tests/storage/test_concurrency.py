"""Issue 7: kill -9 during saves loses nothing acknowledged; two writers never lose an update.

Both backends (issue 16). Two processes saving the same item run on a SQLite file and on
a server database, each editor its own process with its own store (on a server signed
in as its own nurse login): one saves, the other gets the conflict with both values.
SIGKILL of a writer: on a file at 50 random moments, SQLite's integrity check after
each; on a server at SERVER_KILLS random moments (each costs a process start and a
scrypt sign-in, about 1.5 s), each while the writer, signed in as a login, is saving;
after each kill every acknowledged lab is on the server with its value and
`verify_server` (chain, triggers, every row against its audit trail) is clean.
"""

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

from tests.conftest import open_test_store

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
SERVER_KILLS = 20
PASSWORD = "correct horse 7"   # the server's logins (the child reads it from its env)

# How a child process opens the database (sys.argv[1]) as the user sys.argv[3]: a file
# as before; a server as a workstation does, signing in as the login of that name.
OPEN_FILE = """
from storage.repository import SqliteStore
store = SqliteStore(sys.argv[1], user=sys.argv[3])
"""
OPEN_SERVER = """
import os
from storage import open_store
store = open_store(sys.argv[1], user="os-user")
store.sign_in(store.accounts.sign_in(sys.argv[3], os.environ["HEMALOG_TEST_PASSWORD"]))
"""

WRITER = """
import sys
from datetime import date, timedelta
sys.path.insert(0, sys.argv[2])
from clinical.record import Lab, LabTest, Patient
{open}
found = store.patients.list("STREAM")
patient = found[0] if found else store.patients.add(
    Patient(mrn="STREAM", name="Stream", diagnosis="AML"))
i = int(sys.argv[4])
while True:
    lab = store.labs.add(patient.id, Lab(date=date(2020, 1, 1) + timedelta(days=i % 3000),
                                         test=LabTest.PLT, value=float(i), unit="10^9/L"))
    print(lab.id, i, flush=True)   # acknowledged: the app would now show it as saved
    i += 1
"""


def _kill_at_a_random_moment(child: subprocess.Popen[str], rng: random.Random,
                            into: dict[int, float]) -> int:
    """SIGKILL ``child`` (a WRITER) at a random moment: one time in five while it starts
    (opening or creating the database, signing in), else at a random time after its
    first acknowledged save, so the moment falls among its saves however slowly a busy
    machine starts Python. Adds what it acknowledged to ``into``; returns how many."""
    printed = ""
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.05, 0.5))
    else:
        printed = child.stdout.readline()   # "" if it died: then stderr says why
        time.sleep(rng.uniform(0, 0.45))
    os.kill(child.pid, signal.SIGKILL)
    out, err = child.communicate()
    assert child.returncode == -signal.SIGKILL, err   # it was still running: killed by us
    before = len(into)
    for line in (printed + out).splitlines():
        parts = line.split()
        if len(parts) == 2:  # a line cut by the kill was never acknowledged
            into[int(parts[0])] = float(parts[1])
    return len(into) - before


def test_sigkill_at_50_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "stream.db"
    rng = random.Random(2026)
    acknowledged: dict[int, float] = {}
    for attempt in range(50):
        child = subprocess.Popen([sys.executable, "-c", WRITER.format(open=OPEN_FILE), str(db),
                                  str(ROOT), "writer", str(attempt * 100_000)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _kill_at_a_random_moment(child, rng, acknowledged)
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", attempt
            if acknowledged:
                stored = dict(conn.execute("SELECT id, value FROM labs"))
                missing = [i for i in acknowledged if stored.get(i) != acknowledged[i]]
                assert missing == [], f"attempt {attempt}: acknowledged saves lost: {missing[:5]}"
        finally:
            conn.close()
    assert len(acknowledged) > 50  # the writer really was writing when killed


def _child_env() -> dict[str, str]:
    """The children's environment: the logins' password, and a write lock wait long
    enough to outlast the server noticing a killed writer's connection (the tests'
    0.2 s would turn that wait into a Busy error)."""
    return {**os.environ, "HEMALOG_TEST_PASSWORD": PASSWORD, "HEMALOG_BUSY_TIMEOUT": "30"}


def test_sigkill_of_a_server_writer_loses_nothing_acknowledged(pg_hemalog_url: str) -> None:
    import psycopg

    from clinical.accounts import Role
    from storage.integrity import verify_server

    url = pg_hemalog_url
    with open_test_store("postgresql", url, "setup") as owner:
        owner.accounts.create("writer", PASSWORD, Role.NURSE)
    rng = random.Random(2026)
    acknowledged: dict[int, float] = {}
    saved_before_kill = []
    for attempt in range(SERVER_KILLS):
        child = subprocess.Popen([sys.executable, "-c", WRITER.format(open=OPEN_SERVER), url,
                                  str(ROOT), "writer", str(attempt * 100_000)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=_child_env())
        saved_before_kill.append(_kill_at_a_random_moment(child, rng, acknowledged))
        with psycopg.connect(url) as conn:
            stored = dict(conn.execute("SELECT id, value FROM labs").fetchall())
        missing = [i for i in acknowledged if stored.get(i) != acknowledged[i]]
        assert missing == [], f"attempt {attempt}: acknowledged saves lost: {missing[:5]}"
        with open_test_store("postgresql", url, "check") as owner:
            result = verify_server(owner.sql, owner.location)
        assert result.ok, (attempt, result.problems)
        assert result.data_rows >= len(acknowledged)
    # most kills fell among saves (a few while it started)
    assert sum(n > 0 for n in saved_before_kill) >= SERVER_KILLS // 2, saved_before_kill
    assert len(acknowledged) > 2 * SERVER_KILLS, saved_before_kill


EDITOR = """
import sys, dataclasses
sys.path.insert(0, sys.argv[2])
from clinical.errors import ConflictError
{open}
lab = store.labs.get(int(sys.argv[4]))
print("ready", flush=True)
sys.stdin.readline()                       # both editors opened version 1; now both save
try:
    store.labs.update(dataclasses.replace(lab, value=float(sys.argv[5])), reason="edit")
    print("saved", flush=True)
except ConflictError as exc:
    print("conflict", " | ".join(exc.lines), flush=True)
"""


def test_two_processes_saving_the_same_item_one_wins_one_conflicts(
        backend: str, where: Path | str) -> None:
    from datetime import date

    from clinical.accounts import Role
    from clinical.audit import AuditAction
    from clinical.record import Lab, LabTest, Patient

    with open_test_store(backend, where, "setup") as store:
        if backend == "postgresql":   # each editor signs in as its own login
            for nurse in ("nurse.a", "nurse.b"):
                store.accounts.create(nurse, PASSWORD, Role.NURSE)
        p = store.patients.add(Patient(mrn="TWO", name="Two", diagnosis="AML"))
        lab = store.labs.add(p.id, Lab(date=date(2025, 1, 1), test=LabTest.PLT, value=10,
                                       unit="10^9/L"))
    editor = EDITOR.format(open=OPEN_FILE if backend == "sqlite" else OPEN_SERVER)
    editors = [subprocess.Popen([sys.executable, "-c", editor, str(where), str(ROOT), user,
                                 str(lab.id), value], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=None if backend == "sqlite" else _child_env())
               for user, value in (("nurse.a", "21"), ("nurse.b", "35"))]
    for e in editors:
        assert e.stdout.readline().strip() == "ready", e.communicate()[1]
    for e in editors:
        e.stdin.write("go\n")
        e.stdin.flush()
    results = [e.communicate(timeout=30)[0].strip() for e in editors]
    assert sorted(r.split()[0] for r in results) == ["conflict", "saved"], results
    winner = 21.0 if results[0] == "saved" else 35.0
    loser = 35.0 if winner == 21.0 else 21.0
    conflict = next(r for r in results if r.startswith("conflict"))
    assert str(int(winner)) in conflict and str(int(loser)) in conflict  # both values shown
    with open_test_store(backend, where, "check") as store:
        assert store.labs.get(lab.id).value == winner
        assert store.labs.get(lab.id).version == 2
        saved_by = "nurse.a" if winner == 21.0 else "nurse.b"
        (update,) = [e for e in store.audit.entries(p.id)
                     if e.table == "labs" and e.action is AuditAction.UPDATE]
        assert update.user == saved_by
