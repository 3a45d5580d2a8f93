"""Issue 18: nothing the first frame does not need is imported before it.

Runs the start-up script the benchmark times (benchmarks/bench_scale.py START_SCRIPT)
on a small database, and reads which modules it had imported when the main window's
first frame was painted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_scale import NOT_BEFORE_FIRST_FRAME, ROOT, START_SCRIPT
from clinical.record import Patient
from storage import open_store


def _modules_at_first_frame(db: Path) -> set[str]:
    run = subprocess.run([sys.executable, "-c", START_SCRIPT, str(db), str(ROOT)],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert run.returncode == 0, run.stderr
    return set(run.stdout.split())


def test_first_frame_waits_for_none_of_the_heavy_modules(tmp_path: Path) -> None:
    db = tmp_path / "ward.db"
    with open_store(db, user="nurse") as store:
        store.patients.add(Patient(mrn="P-1", name="Ada Lovelace", diagnosis="B-ALL"))
    modules = _modules_at_first_frame(db)
    assert "gui.main_window" in modules and "gui.patient_list" in modules
    roots = {name.split(".")[0] for name in modules}
    assert roots.isdisjoint(NOT_BEFORE_FIRST_FRAME), sorted(roots & set(NOT_BEFORE_FIRST_FRAME))
    # the dialogs and the workspace come when first opened
    assert not modules & {"gui.workspace", "gui.forms.patient_form", "gui.users_dialog",
                          "gui.preferences_dialog", "storage.migrations_sqlite_utils"}


def test_a_new_file_is_made_by_the_migrations_with_sqlite_utils_loaded_for_them(tmp_path: Path) -> None:
    """sqlite-utils is loaded on first use: the migrations (which need it) still run."""
    import sqlite3

    from storage.database import open_database
    from storage.migrations import SCHEMA_VERSION

    db = open_database(tmp_path / "new.db")
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {"patients", "audit", "users"} <= set(db.table_names())
    assert db.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    assert "id" in db["patients"].columns_dict   # the sqlite-utils API over the same file
    db.close()
    plain = sqlite3.connect(tmp_path / "new.db")
    assert plain.execute("SELECT count(*) FROM patients").fetchone()[0] == 0
    plain.close()
