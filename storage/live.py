"""The change feed: which patients another workstation (or window) just changed (issue 16).

An open workstation shows data it read a while ago. The feed tells it, within about a
second, which patients someone else changed, so it reloads just those. Both feeds read
what every data change writes anyway, the audit log, so no save path has to remember to
announce itself:

- ``watch_server``: PostgreSQL. The trigger hemalog_notify_changes (storage.pg_schema)
  sends a notification on the channel ``hemalog_changes`` per patient a transaction
  changed; the server delivers it at COMMIT only (a rollback sends nothing) and folds
  identical payloads of one transaction. The feed LISTENs on a connection of its own.
- ``watch_file``: one SQLite file opened by several windows or processes of one
  machine. The feed polls the audit log for rows newer than the last one it saw.

Each feed runs in a daemon thread, and calls ``on_change`` (and ``on_connection``) IN
THAT THREAD: a GUI must marshal them to its own thread (e.g. a queued Qt signal) before
touching widgets or the workstation's store. A callback that raises is logged and the
feed goes on. ``close()`` stops the thread and closes its connection.

Nothing here is Qt; psycopg is imported by whoever builds the connection.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from storage.pg_schema import CHANNEL

__all__ = ["Change", "OwnWrites", "Watch", "watch_server", "watch_file", "CHANNEL"]

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.2      # how often the server feed looks at its stop flag
_GATHER_SECONDS = 0.05   # notifications this close together make one Change
_GATHER_MAX_SECONDS = 0.5  # ... but a long burst is still reported in slices
_JOIN_SECONDS = 1.0      # close() waits this long for the thread


@dataclass(frozen=True)
class Change:
    """What changed since the last Change the feed reported."""

    patients: frozenset[int]   # patients whose data changed
    others: bool = False       # something without a patient changed (accounts)
    resync: bool = False       # the feed was interrupted (reconnected): anything may have changed


class Watch(Protocol):
    # Set once the feed listens (server: after its first LISTEN, which may come after
    # retries) or has read where the file stands (file: before watch_file returns).
    # Changes committed before it is set may go unreported: load the data after it.
    ready: threading.Event

    def close(self) -> None:
        """Stop the thread and close its connection; idempotent; returns within ~1 s."""
        ...


class _Feed:
    """A daemon thread running ``body(stop, ready)`` until ``close()`` sets ``stop``."""

    def __init__(self, name: str,
                 body: Callable[[threading.Event, threading.Event], None]) -> None:
        self._stop = threading.Event()
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(body,), name=name, daemon=True)
        self._thread.start()

    def _run(self, body: Callable[[threading.Event, threading.Event], None]) -> None:
        try:
            body(self._stop, self.ready)
        except Exception:   # a bug here must not pass silently; the thread ends
            log.exception("%s: the change feed stopped", self._thread.name)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def close(self) -> None:
        """Stop the thread and wait up to a second for it. A thread stuck in the caller's
        ``connect()`` (an unreachable server) ends when that returns: it closes what it
        got and reports nothing after close()."""
        self._stop.set()
        if self._thread is not threading.current_thread():   # close() from a callback
            self._thread.join(_JOIN_SECONDS)


def _call(what: str, callback: Callable[..., None] | None, *args: Any) -> None:
    """Run a caller's callback; what it raises is logged, never the feed's end."""
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:
        log.exception("change feed: the %s callback failed", what)


# --- PostgreSQL ---------------------------------------------------------------------------
def watch_server(connect: Callable[[], Any], on_change: Callable[[Change], None], *,
                 on_connection: Callable[[bool], None] | None = None,
                 ignore_pid: Callable[[], int | None] | None = None,
                 retry_seconds: float = 1.0) -> Watch:
    """Report the patients other connections change on a hemalog server.

    ``connect()`` returns a new psycopg connection (the feed's own; it is made
    autocommit and closed by the feed); it should set TCP keepalives
    (``keepalives_idle`` ...) so that a silently vanished server is noticed too.
    Notifications that arrive together make one Change. Those sent by the backend
    ``ignore_pid()`` names (the workstation's own connection: it already shows its
    own saves; asked per batch, as the pid changes when it reconnects) are skipped.

    ``on_connection`` reports transitions only: the feed starts assuming it is
    connected. When the connection is lost, or the first connect fails:
    ``on_connection(False)`` once, ``connect()`` again every ``retry_seconds`` until
    it works, then ``on_connection(True)`` and ``Change(frozenset(), resync=True)``
    (what happened meanwhile is unknown). Callbacks run in the feed's thread.
    """
    def body(stop: threading.Event, ready: threading.Event) -> None:
        conn = None
        up = True   # what on_connection last said (nothing yet: assumed up)
        try:
            while not stop.is_set():
                if conn is None:
                    conn = _listen(connect, stop, quiet=not up)
                    if conn is None:
                        if up:
                            up = False
                            _call("on_connection", on_connection, False)
                        stop.wait(retry_seconds)
                        continue
                    ready.set()
                    if not up:
                        up = True
                        _call("on_connection", on_connection, True)
                        _call("on_change", on_change, Change(frozenset(), resync=True))
                try:
                    batch = _gather(conn, stop)
                except Exception as exc:   # lost: killed backend, server stopped, network
                    log.warning("change feed: lost the server connection (%s); retrying",
                                _one_line(exc))
                    _close_quietly(conn)
                    conn = None
                    up = False
                    _call("on_connection", on_connection, False)
                    stop.wait(retry_seconds)
                    continue
                if batch and not stop.is_set():
                    change = _server_change(batch, ignore_pid)
                    if change is not None:
                        _call("on_change", on_change, change)
        finally:
            if conn is not None:
                _close_quietly(conn)

    return _Feed("hemalog-server-feed", body)


def _listen(connect: Callable[[], Any], stop: threading.Event, *, quiet: bool) -> Any:
    """A new connection that LISTENs on the channel, or None when that failed."""
    try:
        conn = connect()
    except Exception as exc:
        (log.debug if quiet else log.warning)(
            "change feed: cannot connect to the server (%s); retrying", _one_line(exc))
        return None
    try:
        if stop.is_set():   # close() came while connect() was under way
            _close_quietly(conn)
            return None
        conn.autocommit = True   # LISTEN in an open transaction waits for its COMMIT
        conn.execute(f"LISTEN {CHANNEL}")
    except Exception as exc:
        (log.debug if quiet else log.warning)(
            "change feed: cannot listen on the server (%s); retrying", _one_line(exc))
        _close_quietly(conn)
        return None
    return conn


def _gather(conn: Any, stop: threading.Event) -> list[Any]:
    """The notifications of the next burst: waits up to _POLL_SECONDS for the first,
    then takes what follows within _GATHER_SECONDS of the previous (one import's
    notifications arrive together), for at most _GATHER_MAX_SECONDS."""
    batch = list(conn.notifies(timeout=_POLL_SECONDS, stop_after=1))
    if not batch:
        return batch
    deadline = time.monotonic() + _GATHER_MAX_SECONDS
    while not stop.is_set() and time.monotonic() < deadline:
        more = list(conn.notifies(timeout=_GATHER_SECONDS))
        if not more:
            break
        batch += more
    return batch


def _server_change(notifies: Iterable[Any], ignore_pid: Callable[[], int | None] | None
                   ) -> Change | None:
    """One Change from a burst of notifications; None when they were all our own."""
    own = None
    if ignore_pid is not None:
        try:
            own = ignore_pid()
        except Exception:
            log.exception("change feed: the ignore_pid callback failed")
    patients: set[int] = set()
    others = False
    for n in notifies:
        if n.channel != CHANNEL or (own is not None and n.pid == own):
            continue
        if n.payload == "":
            others = True
            continue
        try:
            patients.add(int(n.payload))
        except ValueError:   # someone ran NOTIFY by hand: something changed, we know not what
            log.warning("change feed: unexpected notification %r", n.payload[:80])
            others = True
    if not patients and not others:
        return None
    return Change(frozenset(patients), others=others)


def _close_quietly(conn: Any) -> None:
    try:
        conn.close()
    except Exception:
        log.debug("change feed: closing the connection failed", exc_info=True)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- SQLite -------------------------------------------------------------------------------
class OwnWrites:
    """The audit ids a workstation's own store committed to a file, so that its feed
    does not report them back (a file has no connection ids to tell writers apart).
    Ranges are added by the store after each COMMIT (GUI thread) and read and dropped
    by the feed (its thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ranges: list[tuple[int, int]] = []

    def add(self, first: int, last: int) -> None:
        if first <= last:
            with self._lock:
                self._ranges.append((first, last))

    def within(self, low: int, high: int) -> list[tuple[int, int]]:
        """The ranges meeting ids ``low`` < id <= ``high``; those wholly at or below
        ``high`` are dropped (the feed never looks below it again)."""
        with self._lock:
            met = [(a, b) for a, b in self._ranges if b > low and a <= high]
            self._ranges = [(a, b) for a, b in self._ranges if b > high]
        return met


def watch_file(path: Path, on_change: Callable[[Change], None], *,
               interval: float = 0.25, own: OwnWrites | None = None) -> Watch:
    """Report the patients other connections change in the SQLite file ``path``.

    Every ``interval`` seconds a read-only connection of the feed's own looks for audit
    rows newer than the newest it has seen (when it first read the file: what was there
    before is not reported) and reports their patients (rows without a patient:
    ``others``). Rows in ``own`` (what the workstation's store committed itself: it
    shows those already) are left out. A missing, locked
    or unreadable file is polled on quietly (the app reports file problems elsewhere).
    When the file is replaced or its audit log shrinks (a restore), the Change says
    ``resync``. ``on_change`` runs in the feed's thread.
    """
    path = Path(path)

    reader = _FileReader(path, own)   # here, not in the thread: changes from now on are news

    def body(stop: threading.Event, ready: threading.Event) -> None:
        try:
            while not stop.wait(interval):
                change = reader.poll()
                if change is not None and not stop.is_set():
                    _call("on_change", on_change, change)
        finally:
            reader.close()

    feed = _Feed("hemalog-file-feed", body)
    feed.ready.set()
    return feed


class _FileReader:
    """The file feed's state: its connection and the newest audit id seen."""

    def __init__(self, path: Path, own: OwnWrites | None = None) -> None:
        self.path = path
        self.own = own
        self.conn: sqlite3.Connection | None = None
        self.identity: tuple[int, int] | None = None   # (st_dev, st_ino) last seen
        self.data_version: int | None = None
        self.last_id: int | None = None   # None: not read yet (no baseline)
        self.replaced = False   # a resync is owed (the file was replaced or restored)
        self.poll()   # the baseline: what is there at the start is not news

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def poll(self) -> Change | None:
        try:
            return self._poll()
        except (sqlite3.Error, OSError) as exc:   # locked, vanished, not a database
            log.debug("change feed: cannot read %s (%s)", self.path, exc)
            self.close()   # reopen next time
            return None

    def _poll(self) -> Change | None:
        identity = self._identity()
        if identity is None:   # missing for now: keep what we knew of it
            self.close()
            return None
        if identity != self.identity:   # another file under that name (or the first)
            self.close()
            self.replaced = self.replaced or self.last_id is not None
            self.identity = identity
        if self.conn is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            # Made in the caller's thread (the baseline), then used by the feed's only.
            self.conn = sqlite3.connect(uri, uri=True, timeout=0.1, check_same_thread=False)
            self.data_version = None
        (version,) = self.conn.execute("PRAGMA data_version").fetchone()
        if version == self.data_version:
            return None   # nobody committed since the last look
        (newest,) = self.conn.execute("SELECT max(id) FROM audit").fetchone()
        newest = newest or 0
        if self.last_id is None:   # the baseline
            self.last_id, self.data_version = newest, version
            return None
        if newest < self.last_id:   # the audit log never shrinks: a restore
            self.replaced = True
        if self.replaced:
            self.last_id, self.data_version, self.replaced = newest, version, False
            return Change(frozenset(), resync=True)
        # Up to ``newest`` only: rows committed since are the next poll's.
        mine = self.own.within(self.last_id, newest) if self.own is not None else []
        rows = self.conn.execute(
            "SELECT DISTINCT patient_id FROM audit WHERE id > ? AND id <= ?"
            + " AND id NOT BETWEEN ? AND ?" * len(mine),
            (self.last_id, newest, *(n for pair in mine for n in pair))).fetchall()
        self.last_id, self.data_version = newest, version
        if not rows:
            return None
        return Change(frozenset(int(p) for (p,) in rows if p is not None),
                      others=any(p is None for (p,) in rows))

    def _identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_dev, st.st_ino)
