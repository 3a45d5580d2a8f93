"""What other workstations save, brought to the GUI thread (issue 16).

``store.watch`` (storage.live) calls back in its own thread; widgets and the
workstation's store may be touched only from the GUI thread. ``LiveFeed`` owns the
watch and re-emits each callback as a Qt signal of a QObject living in the GUI thread:
emitted from the feed's thread, the signal is queued, so the slots run in the GUI
thread between events, never in the middle of a save or of a keystroke.
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from clinical.errors import HemalogError
from gui.bridge import StoreBridge
from storage.live import Change

log = logging.getLogger(__name__)


class LiveFeed(QObject):
    """The store's change feed while started; ``stop()`` ends its thread."""

    changed = Signal(object)       # storage.live.Change, in the GUI thread
    connection = Signal(bool)      # the feed lost (False) or found again (True) the server

    def __init__(self, bridge: StoreBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        # The watch, in a holder the ``destroyed`` handler can reach after this object's
        # Python side is gone: a window deleted without closing still ends the thread.
        self._holder: list[Any] = []
        # Set by stop(): a callback already under way in the feed's thread then emits
        # nothing (this QObject may be gone by the time it would be delivered).
        self._stopped = threading.Event()
        self.changed.connect(bridge.take_change)
        self.connection.connect(self._on_connection)
        self.destroyed.connect(functools.partial(_end, self._holder, self._stopped))

    @property
    def _watch(self) -> Any:
        return self._holder[0] if self._holder else None

    @property
    def running(self) -> bool:
        return self._watch is not None

    def start(self) -> bool:
        """Watch the bridge's store; False (logged) when the store cannot be watched now
        (e.g. no one signed in): the window works as before, without live updates."""
        if self._watch is not None:
            return True
        self._stopped.clear()
        stopped = self._stopped

        def on_change(change: Change) -> None:
            if not stopped.is_set():
                self.changed.emit(change)

        def on_connection(up: bool) -> None:
            if not stopped.is_set():
                self.connection.emit(up)

        try:
            self._holder.append(self.bridge.store.watch(on_change, on_connection))
        except HemalogError as exc:
            log.warning("no live updates: %s", " ".join(exc.lines))
            return False
        return True

    def stop(self) -> None:
        """Close the watch; its thread is gone when this returns (or ends on its own
        within the connect timeout if it was stuck connecting, reporting nothing)."""
        _end(self._holder, self._stopped)

    def _on_connection(self, up: bool) -> None:
        """The feed's view of the server: lost, or back (then the store's own connection
        is tried at once, which hides the banner)."""
        if up:
            self.bridge.probe()   # the store's own connection reconnects on this read
        else:
            self.bridge.set_reachable(False)


def _end(holder: list[Any], stopped: threading.Event, *_args: object) -> None:
    stopped.set()
    while holder:
        holder.pop().close()
