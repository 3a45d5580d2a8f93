"""Issue 13, finding 5: several processes opening one new database at once.

Each migration takes the write lock and re-reads the schema version under it,
so the second process finds the work done instead of failing with
`table "patients" already exists`.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storage.migrations import SCHEMA_VERSION

PROCESSES = 4
TRIALS = 25


def _open_each(paths: list[str], barrier: Any, results: Any) -> None:
    """Worker: for every path, wait for the others, then open (and so create) it."""
    from clinical.errors import HemalogError
    from storage.database import open_database

    for path in paths:
        barrier.wait()
        try:
            open_database(Path(path)).close()
            results.put((path, "ok"))
        except (HemalogError, sqlite3.Error) as exc:
            results.put((path, f"{type(exc).__name__}: {exc}"))


def test_four_processes_creating_one_database_at_once_all_succeed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEMALOG_BUSY_TIMEOUT", "5")  # the default: writers queue, not fail
    paths = [str(tmp_path / f"new-{trial}.db") for trial in range(TRIALS)]
    context = multiprocessing.get_context("spawn")  # no fork of a process that may hold Qt
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [context.Process(target=_open_each, args=(paths, barrier, results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in range(PROCESSES * TRIALS)]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    failures = [o for o in outcomes if o[1] != "ok"]
    assert failures == [], f"{len(failures)} of {len(outcomes)} opens failed: {failures[:3]}"
    for path in paths:
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
