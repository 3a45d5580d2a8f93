"""Import and export of a record with 20,000 lab rows (issue 2 targets: 1 s and 0.5 s)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks import floors
from benchmarks.harness import benchmark
from benchmarks.synthetic import record_with_labs, write_record
from storage import open_store
from storage.contract import Store
from storage.record_files import export_text, import_files

_TMP = Path(tempfile.mkdtemp(prefix="hemalog-bench-"))


def _labs(quick: bool) -> int:
    return 2_000 if quick else 20_000


def _fresh_db(tag: str) -> Path:
    path = Path(tempfile.mkstemp(prefix=f"{tag}-", suffix=".db", dir=_TMP)[1])
    path.unlink()
    return path


def _import_setup(quick: bool) -> dict[str, Any]:
    record = write_record(_TMP / f"labs{_labs(quick)}.json", record_with_labs(_labs(quick)))
    return {"store": open_store(_fresh_db("import"), user="bench"), "file": record}


@benchmark("import record with 20,000 labs", setup=_import_setup, target=1.0,
           floor=floors.sqlite_insert_commit)
def _import(state: dict[str, Any]) -> None:
    import_files(state["store"], [state["file"]])
    state["store"].close()


def _export_setup(quick: bool) -> Store:
    state = _import_setup(quick)
    import_files(state["store"], [state["file"]])
    return state["store"]


@benchmark("export record with 20,000 labs", setup=_export_setup, target=0.5)
def _export(store: Store) -> None:
    export_text(store, "BENCH-1")
    store.close()
