"""Issue 7: kill -9 during saves loses nothing acknowledged; two writers never lose an update."""

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

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")

WRITER = """
import sys
from datetime import date, timedelta
sys.path.insert(0, sys.argv[2])
from clinical.record import Lab, LabTest, Patient
from storage.repository import SqliteStore
store = SqliteStore(sys.argv[1], user="writer")
found = store.patients.list("STREAM")
patient = found[0] if found else store.patients.add(
    Patient(mrn="STREAM", name="Stream", diagnosis="AML"))
i = int(sys.argv[3])
while True:
    lab = store.labs.add(patient.id, Lab(date=date(2020, 1, 1) + timedelta(days=i % 3000),
                                         test=LabTest.PLT, value=float(i), unit="10^9/L"))
    print(lab.id, i, flush=True)   # acknowledged: the app would now show it as saved
    i += 1
"""


def test_sigkill_at_50_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "stream.db"
    rng = random.Random(2026)
    acknowledged: dict[int, float] = {}
    for attempt in range(50):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(ROOT),
                                  str(attempt * 100_000)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.25, 0.7))
        os.kill(child.pid, signal.SIGKILL)
        out, _err = child.communicate()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2:  # a line cut by the kill was never acknowledged
                acknowledged[int(parts[0])] = float(parts[1])
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


EDITOR = """
import sys, dataclasses
sys.path.insert(0, sys.argv[2])
from clinical.errors import ConflictError
from storage.repository import SqliteStore
store = SqliteStore(sys.argv[1], user=sys.argv[3])
lab = store.labs.get(int(sys.argv[4]))
print("ready", flush=True)
sys.stdin.readline()                       # both editors opened version 1; now both save
try:
    store.labs.update(dataclasses.replace(lab, value=float(sys.argv[5])), reason="edit")
    print("saved", flush=True)
except ConflictError as exc:
    print("conflict", " | ".join(exc.lines), flush=True)
"""


def test_two_processes_saving_the_same_item_one_wins_one_conflicts(tmp_path: Path) -> None:
    from datetime import date

    from clinical.record import Lab, LabTest, Patient
    from storage.repository import SqliteStore

    db = tmp_path / "two.db"
    with SqliteStore(db, user="setup") as store:
        p = store.patients.add(Patient(mrn="TWO", name="Two", diagnosis="AML"))
        lab = store.labs.add(p.id, Lab(date=date(2025, 1, 1), test=LabTest.PLT, value=10,
                                       unit="10^9/L"))
    editors = [subprocess.Popen([sys.executable, "-c", EDITOR, str(db), str(ROOT), user,
                                 str(lab.id), value], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for user, value in (("nurse.a", "21"), ("nurse.b", "35"))]
    for e in editors:
        assert e.stdout.readline().strip() == "ready"
    for e in editors:
        e.stdin.write("go\n")
        e.stdin.flush()
    results = [e.communicate(timeout=30)[0].strip() for e in editors]
    assert sorted(r.split()[0] for r in results) == ["conflict", "saved"], results
    winner = 21.0 if results[0] == "saved" else 35.0
    loser = 35.0 if winner == 21.0 else 21.0
    conflict = next(r for r in results if r.startswith("conflict"))
    assert str(int(winner)) in conflict and str(int(loser)) in conflict  # both values shown
    with SqliteStore(db, user="check") as store:
        assert store.labs.get(lab.id).value == winner
        assert store.labs.get(lab.id).version == 2
