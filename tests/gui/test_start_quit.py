"""Issue 18: the app starts and quits cleanly, every time. Qt is taken down in order
(gui/teardown.py) instead of being left to the interpreter's exit, which crashed now and
then (a segmentation fault after all the work was done)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import main

ROOT = Path(__file__).resolve().parents[2]

# The app as `hemalog --db FILE` starts it; a timer closes its window once shown, as a
# person closing it would (quit on the last window closed).
SCRIPT = """
import os, sys
sys.path.insert(0, sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])

def step():
    for widget in QApplication.topLevelWidgets():
        if not widget.isVisible():
            continue
        if type(widget).__name__ == "SignInDialog":   # sign in, as a ward user does
            widget.user_name.setText("ada")
            widget.password.setText("correct horse 7")
            widget.sign_in_button.click()
        elif isinstance(widget, QMainWindow):       # then close the window: quit
            widget.close()
            return
    QTimer.singleShot(50, step)

QTimer.singleShot(50, step)
import main
sys.exit(main.main(["--db", sys.argv[2]]))
"""


def test_the_app_starts_and_quits_20_times_with_exit_code_0(tmp_path: Path) -> None:
    from clinical.accounts import Role
    from storage.repository import SqliteStore

    db = tmp_path / "ward.db"
    assert main.main(["--db", str(db), "demo"]) == 0
    with SqliteStore(db, user="setup") as store:
        store.accounts.create("ada", "correct horse 7", Role.ADMIN, "Ada")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    codes = []
    for _ in range(20):
        done = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT), str(db)], env=env,
                              capture_output=True, text=True, timeout=120)
        codes.append(done.returncode)
        assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert codes == [0] * 20
