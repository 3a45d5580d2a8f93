"""Taking Qt down in an order that cannot crash.

Left to the interpreter's exit, Python frees PySide's objects in no particular order:
a window may be freed after the QApplication it needs, or a deleteLater() posted but
never run, and the process ends with a segmentation fault after all its work is done
(the benchmarks did, exit 139). ``tear_down`` closes every top-level window, runs the
deletions posted for them, and shuts the application down, while everything is still
alive; nothing Qt is left for the interpreter to free.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid


def tear_down() -> None:
    """Close and delete every window (a top-level widget without a parent), then the
    QApplication (if there is one)."""
    app = QCoreApplication.instance()
    if app is None:
        return
    if isinstance(app, QApplication):
        windows = [w for w in app.topLevelWidgets() if isValid(w) and w.parent() is None]
        _clear_graphics(windows)
        # Windows only: menus and popups are top-level too, but their parent deletes them.
        for widget in windows:
            if isValid(widget):   # a plot's menus go with its scene
                QWidget.close(widget)   # Qt's own close (pyqtgraph's may run only once)
                widget.deleteLater()
    for _ in range(3):   # a deletion may post more (children's own deleteLater)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.shutdown()


def _clear_graphics(windows: list[QWidget]) -> None:
    """Empty every pyqtgraph scene while its items are whole: deleted later with their
    view, a plot's items are destroyed from inside the scene's destructor, where an item
    asked for its size (a Python method) reads a half-destroyed view box."""
    pg = sys.modules.get("pyqtgraph")
    if pg is None:
        return
    for window in windows:
        if not isValid(window):   # went with a scene cleared before (a plot's menu)
            continue
        for view in window.findChildren(pg.GraphicsView):
            scene = view.scene() if isValid(view) else None
            if scene is not None:
                scene.clear()
