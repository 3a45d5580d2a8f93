"""The change feed (storage/live.py): a real PostgreSQL server and real SQLite files.

Server: the superuser creates the schema, then plain connections commit audit rows (as
the app does with every change) and the feed, on a connection of its own, reports the
patients. File: a SqliteStore writes, the feed polls the file read-only.
"""

from __future__ import annotations

import dataclasses

import contextlib
import os
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

psycopg = pytest.importorskip("psycopg")

from clinical.accounts import Role  # noqa: E402
from clinical.record import Patient  # noqa: E402
from storage.live import Change, watch_file, watch_server  # noqa: E402
from storage.pg_schema import CHANNEL, create_schema  # noqa: E402
from storage.repository import SqliteStore  # noqa: E402

WAIT = 1.0          # what "live" promises: a change shows within a second
QUIET = 0.4         # how long "nothing more arrives" is watched for
FEED_THREADS = ("hemalog-server-feed", "hemalog-file-feed")


def feed_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name in FEED_THREADS]


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    assert feed_threads() == []
    yield
    assert feed_threads() == [], "a test left a change feed running"


@pytest.fixture
def url(pg_url: str) -> str:
    with psycopg.connect(pg_url) as conn:
        create_schema(conn)
    return pg_url


class Recorder:
    """The callbacks of one feed, into queues (they run in the feed's thread)."""

    def __init__(self) -> None:
        self.changes: queue.Queue[Change] = queue.Queue()
        self.connection: queue.Queue[bool] = queue.Queue()

    def on_change(self, change: Change) -> None:
        self.changes.put(change)

    def on_connection(self, up: bool) -> None:
        self.connection.put(up)

    def next_change(self, timeout: float = WAIT) -> Change:
        try:
            return self.changes.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no change reported within {timeout} s") from None

    def no_more_changes(self) -> None:
        with pytest.raises(queue.Empty):
            extra = self.changes.get(timeout=QUIET)
            print("unexpected:", extra)

    def next_connection(self, timeout: float = 3 * WAIT) -> bool:
        try:
            return self.connection.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no connection state within {timeout} s") from None


def audit_rows(conn, patients: list[int | None], table: str = "patients") -> None:  # noqa: ANN001
    """Audit rows as the app writes them with every change (the superuser: no row needed)."""
    with conn.cursor() as cur:
        cur.executemany(
            'INSERT INTO audit (at, "user", patient_id, table_name, row_id, action, new_value) '
            "VALUES ('2024-05-01T08:00:00.000Z', 'tester', %s, %s, %s, 'insert', '{}')",
            [(p, table, p or 1) for p in patients])


def start(url: str, rec: Recorder, **kw):  # noqa: ANN003, ANN201 - a Watch, ready
    watch = watch_server(lambda: psycopg.connect(url, autocommit=True), rec.on_change,
                         on_connection=rec.on_connection, **kw)
    assert watch.ready.wait(5), "the feed never listened"
    return watch


# --- the trigger ----------------------------------------------------------------------------
def test_a_large_import_sends_one_notification_per_patient_at_commit(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as listener, psycopg.connect(url) as writer:
        listener.execute(f"LISTEN {CHANNEL}")
        writer.execute(   # 10,000 rows in one statement ...
            'INSERT INTO audit (at, "user", patient_id, table_name, row_id, action) '
            "SELECT '2024-05-01T08:00:00.000Z', 'tester', 1 + i % 3, 'labs', i, 'insert' "
            "FROM generate_series(1, 10000) i")
        audit_rows(writer, [1, 2, 3, None, None])   # ... and a statement per row
        assert list(listener.notifies(timeout=0.3)) == []       # nothing before COMMIT
        writer.commit()
        got = list(listener.notifies(timeout=0.5))
        assert sorted(n.payload for n in got) == ["", "1", "2", "3"]
        assert {n.pid for n in got} == {writer.info.backend_pid}


# --- watch_server ---------------------------------------------------------------------------
def test_one_transaction_for_two_patients_is_one_change(url: str) -> None:
    rec = Recorder()
    watch = start(url, rec)
    try:
        with psycopg.connect(url) as other:
            for mrn, pid in (("P1", 1), ("P2", 2)):
                other.execute(
                    "INSERT INTO patients (id, mrn, name, search_key, sex, diagnosis, "
                    "immunophenotype) VALUES (%s, %s, 'Ann Lee', 'ann lee', 'F', 'B-ALL', '{}')",
                    [pid, mrn])
            audit_rows(other, [1, 2])
            other.commit()
            assert rec.next_change() == Change(frozenset({1, 2}))
            rec.no_more_changes()
            audit_rows(other, [None], table="users")   # an account: no patient
            other.commit()
            assert rec.next_change() == Change(frozenset(), others=True)
    finally:
        watch.close()
    assert rec.connection.empty()   # connected from the start: no transitions


def test_a_rolled_back_transaction_reports_nothing(url: str) -> None:
    rec = Recorder()
    watch = start(url, rec)
    try:
        with psycopg.connect(url) as other:
            audit_rows(other, [3])
            other.rollback()
            audit_rows(other, [4])
            other.commit()
            assert rec.next_change() == Change(frozenset({4}))   # 3 never
            rec.no_more_changes()
    finally:
        watch.close()


def test_the_workstations_own_saves_are_ignored(url: str) -> None:
    rec = Recorder()
    with psycopg.connect(url) as own, psycopg.connect(url) as other:
        watch = start(url, rec, ignore_pid=lambda: own.info.backend_pid)
        try:
            audit_rows(own, [5])
            own.commit()
            audit_rows(other, [6])
            other.commit()
            assert rec.next_change() == Change(frozenset({6}))
            rec.no_more_changes()
        finally:
            watch.close()


def test_a_killed_feed_connection_reconnects_and_asks_for_a_resync(url: str, pg_server) -> None:  # noqa: ANN001
    rec = Recorder()
    pids: list[int] = []

    def connect():  # noqa: ANN202
        conn = psycopg.connect(url, autocommit=True)
        pids.append(conn.info.backend_pid)
        return conn

    watch = watch_server(connect, rec.on_change, on_connection=rec.on_connection,
                         retry_seconds=0.1)
    try:
        assert watch.ready.wait(5)
        with pg_server.admin() as admin:
            assert admin.execute("SELECT pg_terminate_backend(%s)", [pids[0]]).fetchone() == (True,)
        assert rec.next_connection() is False
        assert rec.next_connection() is True
        assert rec.next_change() == Change(frozenset(), resync=True)
        assert len(pids) == 2
        with psycopg.connect(url) as other:   # and the feed works again
            audit_rows(other, [7])
            other.commit()
            assert rec.next_change() == Change(frozenset({7}))
    finally:
        watch.close()
    assert rec.connection.empty()


def test_a_stopped_server_is_waited_for_and_then_resynced(pg_server) -> None:  # noqa: ANN001
    """The server itself goes away and comes back (its own cluster: the session's stays up)."""
    from tests.pgserver import Cluster

    cluster = Cluster().start()
    try:
        url = cluster.url(cluster.create_database())
        with psycopg.connect(url) as conn:
            create_schema(conn)
        rec = Recorder()
        watch = start(url, rec, retry_seconds=0.1)
        try:
            cluster.stop()
            assert rec.next_connection() is False
            cluster.start()
            assert rec.next_connection(timeout=10) is True   # False once, not per retry
            assert rec.next_change() == Change(frozenset(), resync=True)
            with psycopg.connect(url) as other:
                audit_rows(other, [10])
                other.commit()
                assert rec.next_change() == Change(frozenset({10}))
        finally:
            watch.close()
    finally:
        cluster.close()


def test_a_server_down_at_the_start_is_retried(url: str) -> None:
    rec = Recorder()
    attempts: list[int] = []
    missing = url.rsplit("/", 1)[0] + "/no_such_database"

    def connect():  # noqa: ANN202 - fails twice for real, then works
        attempts.append(1)
        return psycopg.connect(missing if len(attempts) <= 2 else url, autocommit=True)

    watch = watch_server(connect, rec.on_change, on_connection=rec.on_connection,
                         retry_seconds=0.05)
    try:
        assert rec.next_connection() is False
        assert rec.next_connection() is True
        assert rec.next_change() == Change(frozenset(), resync=True)
        assert len(attempts) == 3
        assert watch.ready.is_set()
    finally:
        watch.close()
    assert rec.connection.empty()


def test_failing_callbacks_do_not_stop_the_feed(url: str) -> None:
    got: queue.Queue[Change] = queue.Queue()

    def on_change(change: Change) -> None:
        got.put(change)
        raise RuntimeError("a GUI bug")

    watch = watch_server(lambda: psycopg.connect(url, autocommit=True), on_change,
                         ignore_pid=lambda: 1 // 0)
    try:
        assert watch.ready.wait(5)
        with psycopg.connect(url) as other:
            for patient in (8, 9):
                audit_rows(other, [patient])
                other.commit()
                assert got.get(timeout=WAIT) == Change(frozenset({patient}))
    finally:
        watch.close()


def test_close_returns_at_once_and_ends_the_thread(url: str, pg_server) -> None:  # noqa: ANN001
    rec = Recorder()
    watch = start(url, rec)
    started = time.monotonic()
    watch.close()
    assert time.monotonic() - started < 1.0
    assert feed_threads() == []
    watch.close()   # idempotent
    with pg_server.admin() as admin:   # and its connection is gone from the server
        listening = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND query LIKE 'LISTEN%%'",
            [url.rsplit("/", 1)[1]]).fetchone()[0]
        assert listening == 0


def test_close_while_retrying_returns_at_once(url: str) -> None:
    rec = Recorder()
    missing = url.rsplit("/", 1)[0] + "/no_such_database"
    watch = watch_server(lambda: psycopg.connect(missing), rec.on_change,
                         on_connection=rec.on_connection, retry_seconds=30)
    assert rec.next_connection() is False
    started = time.monotonic()
    watch.close()
    assert time.monotonic() - started < 1.0
    assert not watch.ready.is_set()


# --- watch_file -----------------------------------------------------------------------------
def patient(mrn: str) -> Patient:
    return Patient(mrn=mrn, name="Ann Lee", diagnosis="B-ALL")


def test_the_file_feed_sees_another_connections_save(tmp_path: Path) -> None:
    path = tmp_path / "ward.db"
    with SqliteStore(path, user="t") as store:
        old = store.patients.add(patient("P0"))   # before the feed: not news
        rec = Recorder()
        watch = watch_file(path, rec.on_change, interval=0.05)
        try:
            with SqliteStore(path, user="u") as other:
                added = other.patients.add(patient("P1"))
                assert rec.next_change() == Change(frozenset({added.id}))
                rec.no_more_changes()
                store.accounts.create("admin1", "correct horse 7", Role.ADMIN)
                assert rec.next_change() == Change(frozenset(), others=True)
            assert added.id != old.id
        finally:
            watch.close()


def test_a_stores_watch_leaves_out_what_the_store_wrote_itself(tmp_path: Path) -> None:
    """The window that saved already shows its save: reported back, it would reload the
    patient a second time (for a large record, a visible pause while typing on)."""
    path = tmp_path / "ward.db"
    with SqliteStore(path, user="t") as store, SqliteStore(path, user="u") as other:
        rec = Recorder()
        watch = store.watch(rec.on_change)
        try:
            mine = store.patients.add(patient("P1"))
            theirs = other.patients.add(patient("P2"))
            store.patients.add(patient("P3"))
            assert rec.next_change() == Change(frozenset({theirs.id}))
            rec.no_more_changes()
            with store.writing():   # nested writes count once the outer one commits
                store.patients.add(patient("P4"))
                store.patients.add(patient("P5"))
            other.patients.update(dataclasses.replace(theirs, name="Bo Lee"))
            assert rec.next_change() == Change(frozenset({theirs.id}))
            assert mine.id != theirs.id
        finally:
            watch.close()


def test_the_file_feed_polls_a_missing_file_quietly_until_it_appears(tmp_path: Path) -> None:
    path = tmp_path / "later.db"
    rec = Recorder()
    watch = watch_file(path, rec.on_change, interval=0.05)
    try:
        rec.no_more_changes()
        with SqliteStore(path, user="t") as store:
            # Whatever the file holds when the feed first reads it is its baseline: it
            # may catch the new file before P0 or after; it has read it a poll later.
            first = store.patients.add(patient("P0"))
            with contextlib.suppress(queue.Empty):
                assert rec.changes.get(timeout=QUIET) == Change(frozenset({first.id}))
            added = store.patients.add(patient("P1"))
            assert rec.next_change() == Change(frozenset({added.id}))
    finally:
        watch.close()


def test_a_replaced_file_asks_for_a_resync(tmp_path: Path) -> None:
    path, other = tmp_path / "ward.db", tmp_path / "restored.db"
    with SqliteStore(path, user="t") as store:
        store.patients.add(patient("P0"))
    with SqliteStore(other, user="t") as store:
        store.patients.add(patient("Q0"))
    rec = Recorder()
    watch = watch_file(path, rec.on_change, interval=0.05)
    try:
        os.replace(other, path)
        assert rec.next_change() == Change(frozenset(), resync=True)
    finally:
        watch.close()


def test_the_file_feed_closes_at_once(tmp_path: Path) -> None:
    path = tmp_path / "ward.db"
    SqliteStore(path, user="t").close()
    watch = watch_file(path, lambda change: None, interval=30)
    started = time.monotonic()
    watch.close()
    assert time.monotonic() - started < 1.0
    assert feed_threads() == []


def test_a_restore_in_place_asks_for_a_resync(tmp_path: Path) -> None:
    from storage.backup import backup_to, restore

    path, saved = tmp_path / "ward.db", tmp_path / "saved.db"
    with SqliteStore(path, user="t") as store:
        store.patients.add(patient("P0"))
        backup_to(path, saved)
        store.patients.add(patient("P1"))
        store.patients.add(patient("P2"))
    rec = Recorder()
    watch = watch_file(path, rec.on_change, interval=0.05)
    try:
        restore(path, saved, keep_accounts=False)   # the same file, an older audit log
        assert rec.next_change() == Change(frozenset(), resync=True)
        with SqliteStore(path, user="t") as store:   # and it goes on from there
            added = store.patients.add(patient("P3"))
        assert rec.next_change() == Change(frozenset({added.id}))
    finally:
        watch.close()
