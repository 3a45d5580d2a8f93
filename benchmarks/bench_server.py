"""Issue 16: the ward's figures on a PostgreSQL server over loopback, beside SQLite's.

One run measures both backends on the same data: the cohort's SQLite file (the hospital
cohort; --quick: the 20-patient one) and a copy of it on a throwaway PostgreSQL cluster
(tests/pgserver.py ``Cluster``, imported from tests/ as it is: initdb in a temporary
folder, 127.0.0.1 on a free port, removed at the end).

The cluster is made for tests (fsync off). The copy is loaded that way, then the
server is restarted as PostgreSQL ships (fsync, synchronous_commit and
full_page_writes on, shared_buffers 128MB) before anything is timed: a save on the
server waits for its WAL flush as a save in the file waits for its fsync.

Loading: the schema by ``storage.pg_schema.create_schema``, then every row of the file
by COPY (same ids, same audit hashes) with the triggers off for that one transaction
(session_replication_role = replica), then ANALYZE. ``storage.server_admin``'s copy does
the same row for row with the triggers on and checks the copy before it commits (the
replay of every data row, every patient's export twice) and needs a staff account in
the file (the cohorts have none): right for a ward moving once, too slow to repeat on
every run for the hospital cohort's 20 million rows (COPY alone takes about 6 minutes).
The concurrent-save figures verify the server they wrote to in full (``verify_server``).

Figures, each for SQLite and for PostgreSQL:
- search as you type: ``patients.list(query)``, target <= 50 ms;
- open the largest patient: ``load_record``, <= 300 ms;
- save a lab, the store's call alone, beside the bare library's INSERT + COMMIT;
- save until the plot shows it: the labs grid of a main window on that store,
  the path bench_scale times (``bench_scale._save``), <= 50 ms;
- save at one workstation until another shows it: two stores (on the server two
  logins, nurse_a writes and nurse_b watches with ``store.watch``; on the file a second
  store on the same file watches, ``storage.live.watch_file``), from the save call's start to the
  watcher's callback naming the patient: median and max of 20 saves, <= 1 s;
- four processes (spawned) saving labs to the same patient for 60 s (--quick: 5 s),
  each signed in as its own login on the server (worker_1..4): saves per second, saves
  refused, saves lost (returned, not in the database), rows doubled, and the full
  verification of the database afterwards (audit chain, every data row replayed). The
  concurrent saves go to a copy of the 20-patient cohort (both backends), so that the
  full verification takes seconds.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.cohorts import LARGEST_MRN, cohort_database
from benchmarks.harness import BENCHMARKS, Fact, Result

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:      # tests.pgserver lives beside the benchmarks
    sys.path.insert(0, str(ROOT))

PASSWORD = "bench-server-7"
SQLITE, SERVER = "SQLite", "PostgreSQL"
PREFIX = "pg/file: "   # every row of this module: `python -m benchmarks --only pg/file`
QUERIES = ["wa", "wan", "wang", "li", "zh", "王", "syn-01", "syn-004", "chen", "mü"]
WORKERS = 4
LATENCY_SAVES = 20
# Targets of issue 16 (seconds).
SEARCH_TARGET, OPEN_TARGET, SAVE_PLOT_TARGET, OTHER_TARGET = 0.05, 0.3, 0.05, 1.0
# Settings the server is timed with: as PostgreSQL ships (the test cluster turns them off).
SHIPPED = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on",
           "shared_buffers": "128MB"}


# --- figures with a count target ------------------------------------------------------------
@dataclass
class CountResult(Result):
    """A count (or a rate); passes when at most ``limit`` (None: reported, no target)."""

    limit: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool | None:
        if self.limit is None or self.value is None:
            return None
        return self.value <= self.limit

    def row(self) -> str:
        target = f"<= {self.limit:g}" if self.limit is not None else "-"
        ok = {True: "yes", False: "NO", None: "-"}[self.passed]
        value = f"{self.value:10.1f}" if self.value % 1 else f"{self.value:10.0f}"
        return f"{self.name:52} {value} {self.unit:>9} {'-':>7} {target:>14}  {ok}"

    def as_json(self) -> dict[str, Any]:
        return {**super().as_json(), "pass": self.passed, "target_count": self.limit,
                **({"detail": self.detail} if self.detail else {})}


def timed(name: str, times: list[float], target: float | None,
          floor: float | None = None) -> Result:
    return Result(name, statistics.median(times), floor, target, len(times))


# --- the server ----------------------------------------------------------------------------
def start_cluster() -> Any:
    """A throwaway cluster (tests/pgserver.py), or PgServerUnavailable."""
    from tests.pgserver import Cluster

    return Cluster().start()


def ship_settings(cluster: Any) -> None:
    """Restart the cluster with PostgreSQL's shipped durability settings (SHIPPED)."""
    with cluster.admin() as conn:
        for name, value in SHIPPED.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    cluster.stop()
    cluster.start()
    with cluster.admin() as conn:
        for name, value in SHIPPED.items():
            shown = conn.execute(f"SHOW {name}").fetchone()[0]
            if shown != value:
                raise RuntimeError(f"the benchmark server runs with {name} = {shown}, "
                                   f"not {value}")


def load_into_server(source: Path, cluster: Any, dbname: str, *, log: bool = False) -> str:
    """A new database ``dbname`` holding the hemalog schema and every row of the SQLite
    file ``source`` (module docstring: COPY, triggers off, then ANALYZE); its URL (the
    cluster's superuser: the schema's owner)."""
    import psycopg

    from storage.pg_schema import create_schema
    from storage.server_admin import COPIED_TABLES
    from storage.sql import quote_name

    cluster.create_database(dbname)
    url = cluster.url(dbname)
    started = time.perf_counter()
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            create_schema(conn)
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                for table in COPIED_TABLES:
                    columns = ", ".join(quote_name(r[1]) for r in
                                        src.execute(f"PRAGMA table_info({quote_name(table)})"))
                    rows = src.execute(f"SELECT {columns} FROM {quote_name(table)}")
                    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                    if log:
                        print(f"  server copy: {table} ({time.perf_counter() - started:.0f} s)",
                              flush=True)
            conn.execute("ANALYZE")
    finally:
        src.close()
    return url


def create_logins(url: str, names: list[str]) -> None:
    """One nurse account (users row, audit row, login) per name, made by the owner."""
    from clinical.accounts import Role
    from storage.pg_store import PostgresStore

    owner = PostgresStore.as_owner(url, user="bench")
    try:
        for name in names:
            owner.accounts.create(name, PASSWORD, Role.NURSE)
    finally:
        owner.close()


def signed_in(url: str, login: str) -> tuple[Any, Any]:
    """A workstation's store, signed in as ``login`` (once: scrypt), and its account."""
    from storage import open_store

    store = open_store(url, user=login)
    account = store.accounts.sign_in(login, PASSWORD)
    store.sign_in(account)
    return store, account


def pg_insert_commit(url: str, runs: int) -> float:
    """The server's floor: one raw INSERT + COMMIT of psycopg over loopback."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE floor_u (id bigserial PRIMARY KEY, v float8)")
        conn.commit()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            conn.execute("INSERT INTO floor_u (v) VALUES (1.5)")
            conn.commit()
            times.append(time.perf_counter() - start)
        conn.execute("DROP TABLE floor_u")
        conn.commit()
    return statistics.median(times)


# --- one workstation -------------------------------------------------------------------------
def search_times(store: Any, runs: int) -> list[float]:
    times = []
    for i in range(runs):
        query = QUERIES[i % len(QUERIES)]
        start = time.perf_counter()
        store.patients.list(query)
        times.append(time.perf_counter() - start)
    return times


def open_times(store: Any, patient_id: int, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        record = store.load_record(patient_id)
        times.append(time.perf_counter() - start)
        assert record.labs, "the largest patient has no labs"
    return times


def anc(day: date, value: float = 0.8) -> Any:
    from clinical.record import Lab, LabTest

    return Lab(date=day, test=LabTest.ANC, value=value, unit="10^9/L")


def save_times(store: Any, patient_id: int, runs: int, first: date) -> list[float]:
    times = []
    for i in range(runs):
        lab = anc(first + timedelta(days=i))
        start = time.perf_counter()
        saved = store.labs.add(patient_id, lab)
        times.append(time.perf_counter() - start)
        assert saved.id is not None
    return times


def save_plot_times(store: Any, account: Any, largest: Any, runs: int,
                    first: date) -> list[float]:
    """bench_scale's "save: a lab value until the plot shows it" (its very body,
    ``bench_scale._save``) on a main window over ``store``."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from benchmarks.bench_scale import _save
    from gui.bridge import StoreBridge
    from gui.main_window import MainWindow
    from gui.settings import Settings

    qInstallMessageHandler(lambda kind, _c, msg: print(msg)   # offscreen Qt chatters
                           if kind == QtMsgType.QtFatalMsg else None)
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="hemalog-bench-server-"))
    bridge = StoreBridge(store)
    if account is not None:
        bridge.sign_in(account)
    window = MainWindow(bridge, Settings(QSettings(str(folder / "s.ini"),
                                                   QSettings.Format.IniFormat)))
    state = {"app": app, "window": window, "day": first}
    try:
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        window.open_patient(largest)
        workspace = window.workspace
        workspace.tabs.setCurrentWidget(workspace.labs)
        app.processEvents()
        times = []
        for _ in range(runs):
            state["day"] += timedelta(days=1)
            start = time.perf_counter()
            _save(state)
            times.append(time.perf_counter() - start)
        return times
    finally:
        window.stop_live_updates()
        window.workspace.labs.set_labs(None, [])
        window.close()
        window.deleteLater()
        app.processEvents()
        shutil.rmtree(folder, ignore_errors=True)


def other_workstation_times(writer: Any, watch: Any, patient_id: int, saves: int,
                            first: date) -> list[float]:
    """From the start of ``writer``'s save call to the watcher's callback naming the
    patient. ``watch(on_change)`` starts the other workstation's feed."""
    seen: queue.Queue[tuple[float, frozenset[int]]] = queue.Queue()
    feed = watch(lambda change: seen.put((time.perf_counter(), change.patients)))
    try:
        if not feed.ready.wait(10):
            raise RuntimeError("the other workstation's change feed did not start")
        rng = random.Random(16)
        times = []
        for i in range(saves):
            time.sleep(rng.uniform(0.1, 0.4))   # not in step with a polling feed
            while not seen.empty():
                seen.get_nowait()
            start = time.perf_counter()
            writer.labs.add(patient_id, anc(first + timedelta(days=i)))
            deadline = start + 10
            while True:
                try:
                    at, patients = seen.get(timeout=max(0.01, deadline - time.perf_counter()))
                except queue.Empty:
                    raise RuntimeError("the other workstation never heard of a save") from None
                if patient_id in patients:
                    times.append(at - start)
                    break
        return times
    finally:
        feed.close()


# --- four processes -------------------------------------------------------------------------
def _worker(target: str, login: str | None, patient_id: int, index: int, seconds: float,
            barrier: Any, out: Any) -> None:
    """One workstation saving ANC values as fast as it can (spawned process): returns
    (through ``out``) every (id, date, value) a save returned and the refusals."""
    sys.path.insert(0, str(ROOT))
    from storage import open_store

    store = open_store(target, user=login or f"worker-{index}")
    if login is not None:
        store.sign_in(store.accounts.sign_in(login, PASSWORD))
    saved: list[tuple[int, str, float]] = []
    refused: Counter[str] = Counter()
    barrier.wait(120)
    end = time.monotonic() + seconds
    day, value = date(2050, 1, 1), float(index + 1)   # (date, value) unique per save
    try:
        while time.monotonic() < end:
            day += timedelta(days=1)
            try:
                lab = store.labs.add(patient_id, anc(day, value))
            except Exception as exc:  # noqa: BLE001 - counted by kind, the others go on
                refused[f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"] += 1
                continue
            saved.append((lab.id, day.isoformat(), value))
    finally:
        store.close()
        out.put((index, saved, dict(refused)))


@dataclass
class Concurrent:
    saves: int
    seconds: float
    refused: dict[str, int]
    lost: int
    doubled: int
    unreported: int          # rows in the database no returned save accounts for
    verified: bool
    verification: list[str]

    @property
    def rate(self) -> float:
        return self.saves / self.seconds


def concurrent_saves(target: str, logins: list[str | None], patient_id: int,
                     seconds: float, rows: Any, verify: Any) -> Concurrent:
    """``len(logins)`` spawned processes saving for ``seconds``; then ``rows()`` (every
    bench row in the database: (id, date, value)) and ``verify()`` ((ok, lines))."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(logins) + 1)
    out = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(target, login, patient_id, i, seconds,
                                               barrier, out), daemon=True)
             for i, login in enumerate(logins)]
    for p in procs:
        p.start()
    barrier.wait(120)
    started = time.perf_counter()
    results = [out.get(timeout=seconds + 120) for _ in procs]
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join(30)
    saved = [s for _i, got, _r in results for s in got]
    refused: Counter[str] = Counter()
    for _i, _got, r in results:
        refused.update(r)
    in_db = rows()
    by_id = {r[0]: (r[1], r[2]) for r in in_db}
    lost = sum(1 for i, d, v in saved if by_id.get(i) != (d, v))
    doubled = len(in_db) - len({(d, v) for _i, d, v in in_db})
    returned = {i for i, _d, _v in saved}
    unreported = sum(1 for r in in_db if r[0] not in returned)
    ok, lines = verify()
    if elapsed > seconds + 60:
        raise RuntimeError(f"the {len(procs)} processes took {elapsed:.0f} s to save for "
                           f"{seconds:g} s")
    return Concurrent(len(saved), seconds, dict(refused), lost, doubled, unreported, ok, lines)


def _bench_rows(query: Any) -> Any:
    def rows() -> list[tuple[int, str, float]]:
        return [(int(r[0]), str(r[1]), float(r[2])) for r in query(
            "SELECT id, date, value FROM labs WHERE date >= '2050-01-01'")]
    return rows


def concurrent_figures(backend: str, run: Concurrent) -> list[Result]:
    prefix = f"{PREFIX}4 processes, {backend}:"
    detail = {"saves": run.saves, "seconds": round(run.seconds, 2), "refused": run.refused,
              "unreported_rows": run.unreported, "verification": run.verification[:5]}
    return [
        CountResult(f"{prefix} saves/s", None, None, None, 1, value=run.rate, unit="saves/s",
                    detail=detail),
        CountResult(f"{prefix} saves refused", None, None, None, 1,
                    value=sum(run.refused.values()), unit="saves", detail=run.refused),
        CountResult(f"{prefix} saves lost", None, None, None, 1, value=run.lost,
                    unit="saves", limit=0),
        CountResult(f"{prefix} rows doubled", None, None, None, 1,
                    value=run.doubled + run.unreported, unit="rows", limit=0),
        CountResult(f"{prefix} verify problems", None, None, None, 1,
                    value=0 if run.verified else max(1, len(run.verification)),
                    unit="problems", limit=0, detail={"lines": run.verification[:5]}),
    ]


# --- the whole session --------------------------------------------------------------------
def measure(quick: bool, *, seconds: float | None = None, log: bool | None = None
            ) -> list[Result]:
    """Every figure of this module, SQLite first then PostgreSQL for each."""
    from storage import open_store
    from storage.integrity import verify_database, verify_server

    log = (not quick) if log is None else log
    seconds = seconds if seconds is not None else (5.0 if quick else 60.0)
    runs = {"search": 10 if quick else 50, "open": 3 if quick else 7,
            "save": 5 if quick else 21, "plot": 3 if quick else 11}
    cohort = cohort_database("mini" if quick else "hospital", log=log)
    ward = cohort_database("mini", log=log)
    results: list[Result] = []
    cluster = start_cluster()
    folder = Path(tempfile.mkdtemp(prefix="hemalog-bench-server-"))
    stores: list[Any] = []
    try:
        url = load_into_server(cohort, cluster, "hospital", log=log)
        ward_url = load_into_server(ward, cluster, "ward")
        ship_settings(cluster)
        create_logins(url, ["nurse_a", "nurse_b"])
        workers = [f"worker_{i + 1}" for i in range(WORKERS)]
        create_logins(ward_url, workers)

        file_store = open_store(cohort, user="bench")
        stores.append(file_store)
        server_a, account_a = signed_in(url, "nurse_a")
        stores.append(server_a)
        server_b, _ = signed_in(url, "nurse_b")
        stores.append(server_b)
        file_b = open_store(cohort, user="bench_b")   # the file's other workstation
        stores.append(file_b)
        both = [(SQLITE, file_store, None), (SERVER, server_a, account_a)]
        largest = {name: s.patients.get_by_mrn(LARGEST_MRN) for name, s, _ in both}
        for name, store, _ in both:   # warm: the first query of a connection plans
            store.patients.list("")
            store.load_record(largest[name].id)

        floors = {SQLITE: _sqlite_floor(quick), SERVER: pg_insert_commit(url, runs["save"])}
        for name, store, _ in both:
            results.append(timed(f"{PREFIX}search as you type, {name}",
                                 search_times(store, runs["search"]), SEARCH_TARGET))
        for name, store, _ in both:
            results.append(timed(f"{PREFIX}open the largest patient, {name}",
                                 open_times(store, largest[name].id, runs["open"]), OPEN_TARGET))
        for name, store, _ in both:
            results.append(timed(f"{PREFIX}save a lab (the store's call), {name}",
                                 save_times(store, largest[name].id, runs["save"],
                                            date(2040, 1, 1)), None, floors[name]))
        for name, store, account in both:
            results.append(timed(f"{PREFIX}save until the plot shows it, {name}",
                                 save_plot_times(store, account, largest[name], runs["plot"],
                                                 date(2041, 1, 1)),
                                 SAVE_PLOT_TARGET, floors[name]))
        saves = 5 if quick else LATENCY_SAVES
        watchers = {SQLITE: lambda cb: file_b.watch(cb), SERVER: lambda cb: server_b.watch(cb)}
        for name, store, _ in both:
            times = other_workstation_times(store, watchers[name], largest[name].id, saves,
                                            date(2042, 1, 1))
            results.append(timed(f"{PREFIX}other workstation shows a save, {name}", times,
                                 OTHER_TARGET))
            results.append(Result(f"{PREFIX}other workstation, slowest save, {name}",
                                  max(times), None, OTHER_TARGET, len(times)))
        for store in stores:
            store.close()
        stores.clear()

        # four processes: a copy of the 20-patient cohort in each backend
        ward_file = folder / "ward.db"
        with sqlite3.connect(f"{ward.resolve().as_uri()}?mode=ro", uri=True) as src, \
                sqlite3.connect(ward_file) as dst:
            src.backup(dst)
        with open_store(ward_file, user="bench") as probe:
            ward_patient = probe.patients.get_by_mrn(LARGEST_MRN).id

        def file_query(q: str) -> list[Any]:
            with contextlib.closing(sqlite3.connect(ward_file)) as conn:
                return conn.execute(q).fetchall()

        sqlite_rows = _bench_rows(file_query)

        def verify_file() -> tuple[bool, list[str]]:
            result = verify_database(ward_file)
            return result.ok, result.lines()

        run = concurrent_saves(str(ward_file), [None] * WORKERS, ward_patient, seconds,
                               sqlite_rows, verify_file)
        results += concurrent_figures(SQLITE, run)

        from storage.pg_store import PostgresStore

        owner = PostgresStore.as_owner(ward_url, user="bench")
        stores.append(owner)

        def verify_pg() -> tuple[bool, list[str]]:
            result = verify_server(owner.sql, owner.location)
            return result.ok, result.lines()

        server_rows = _bench_rows(lambda q: [tuple(r.values()) for r in owner.sql.query(q)])
        run = concurrent_saves(ward_url, workers, ward_patient, seconds, server_rows, verify_pg)
        results += concurrent_figures(SERVER, run)
    finally:
        for store in stores:
            with contextlib.suppress(Exception):
                store.close()
        cluster.close()
        shutil.rmtree(folder, ignore_errors=True)
    return results


def _sqlite_floor(quick: bool) -> float:
    from benchmarks import floors

    return floors.sqlite_insert_commit(quick)


# --- registration: one session, many rows (as bench_keys) -----------------------------------
_MEASURED: dict[bool, dict[str, Result]] = {}


def measured(quick: bool) -> dict[str, Result]:
    if quick not in _MEASURED:
        _MEASURED[quick] = {r.name: r for r in measure(quick)}
    return _MEASURED[quick]


@dataclass
class ServerFigure(Fact):
    """A row of the one session (``measured``): all of them come from one server."""

    def run(self, *, quick: bool) -> Result:
        return measured(quick)[self.name]


def names() -> list[str]:
    """Every row's name, in the table's order (``measure`` returns the same)."""
    order = []
    for what in ("search as you type", "open the largest patient",
                 "save a lab (the store's call)", "save until the plot shows it"):
        order += [f"{PREFIX}{what}, {SQLITE}", f"{PREFIX}{what}, {SERVER}"]
    for backend in (SQLITE, SERVER):
        order += [f"{PREFIX}other workstation shows a save, {backend}",
                  f"{PREFIX}other workstation, slowest save, {backend}"]
    for backend in (SQLITE, SERVER):
        order += [f"{PREFIX}4 processes, {backend}: {what}" for what in
                  ("saves/s", "saves refused", "saves lost", "rows doubled", "verify problems")]
    return order


for _name in names():
    BENCHMARKS.append(ServerFigure(_name, lambda quick: 0.0, ""))
