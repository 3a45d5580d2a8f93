"""Issue 8: the figures at hospital scale, each beside its floor.

Full run: the hospital cohort (5,000 patients, ~3 years each). Quick run: a
20-patient cohort, to check the code paths without failing on timing noise.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import floors  # noqa: E402
from benchmarks.cohorts import CACHE, COHORTS, LARGEST_MRN, cohort_database  # noqa: E402
from benchmarks.harness import at_end, benchmark, fact  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_STATE: dict[str, Any] = {}


def _db(quick: bool) -> Path:
    return cohort_database("mini" if quick else "hospital", log=not quick)


START_SCRIPT = """
import os, sys, tempfile
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, sys.argv[2])
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from gui.bridge import StoreBridge
from gui.main_window import MainWindow
from gui.settings import Settings
from storage import open_store
app = QApplication([])
store = open_store(sys.argv[1], user="bench")
window = MainWindow(StoreBridge(store), Settings(QSettings(
    os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)))
window.show()
window.repaint()   # the first frame is painted: the window is on screen
print(" ".join(sys.modules), flush=True)   # what it imported (tests/gui/test_start_imports.py)
os._exit(0)        # stop here: what runs after the first frame is not start-up
"""


# Modules the first frame must not wait for (issue 18): sqlite-utils (numpy, dateutil,
# click and pluggy behind it), the plots, the PDF and the exchange formats.
NOT_BEFORE_FIRST_FRAME = ("sqlite_utils", "numpy", "pyqtgraph", "reportlab", "psycopg",
                          "fhir", "hl7", "python_calamine", "pypinyin")
IMPORTTIME_REPORT = Path(__file__).resolve().parent / "start-importtime.txt"
_START: dict[str, bool] = {}


def _start_setup(quick: bool) -> Path:
    """The cohort's file, hemalog's bytecode compiled as an installed copy has it
    (scripts/setup.sh compiles it; without it every start would compile ~100 modules
    first), and once per run the first frame's ``python -X importtime`` kept in
    benchmarks/start-importtime.txt, heaviest first, for people to read."""
    db = _db(quick)
    if not _START:
        import compileall
        for package in ("clinical", "storage", "gui", "reports", "lang", "cli"):
            compileall.compile_dir(ROOT / package, quiet=1)
        compileall.compile_file(ROOT / "main.py", quiet=1)
        _write_importtime_report(db)
        _START["done"] = True
    return db


def _write_importtime_report(db: Path) -> None:
    run = subprocess.run([sys.executable, "-X", "importtime", "-c", START_SCRIPT, str(db),
                          str(ROOT)], check=True, capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    rows = []
    for line in run.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((int(parts[0]), int(parts[1]), parts[2].rstrip()))
    heavy = sorted(rows, key=lambda r: -r[1])
    loaded = {name.strip().split(".")[0] for _, _, name in rows}
    lines = ["# python -X importtime of the app until its first frame (benchmarks/bench_scale.py",
             "# START_SCRIPT); microseconds, heaviest cumulative first. Under -X importtime",
             "# every import is slower than in a plain start.",
             f"# modules imported: {len(rows)}; self total {sum(r[0] for r in rows) / 1e6:.3f} s",
             "# none of these before the first frame: " + ", ".join(
                 f"{m} ({'IMPORTED' if m in loaded else 'not imported'})"
                 for m in NOT_BEFORE_FIRST_FRAME),
             f"{'self us':>9} {'cumulative':>10}  module"]
    lines += [f"{s:>9} {c:>10}  {name}" for s, c, name in heavy]
    IMPORTTIME_REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


@benchmark("start: app until the main window is shown", setup=_start_setup, target=1.5,
           floor=floors.bare_qt_start, max_ratio=3.0)
def _start(db: Path) -> None:
    subprocess.run([sys.executable, "-c", START_SCRIPT, str(db), str(ROOT)], check=True,
                   capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def _window(quick: bool, names: str | None = None) -> dict[str, Any]:
    """The main window on the hospital cohort, or (``names`` "zh" or "en") on the name
    cohort of that language with the window in that language."""
    key = ("mini" if quick else "hospital") if names is None else f"names-{names}-{quick}"
    if _STATE.get("key") != key:
        from PySide6.QtCore import QSettings, QtMsgType, qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

        from gui.bridge import StoreBridge
        from gui.i18n import use_language
        from gui.main_window import MainWindow
        from gui.settings import Settings
        from storage import open_store

        qInstallMessageHandler(lambda kind, _c, msg: print(msg)
                               if kind == QtMsgType.QtFatalMsg else None)
        _close()
        app = QApplication.instance() or QApplication([])
        use_language("zh_CN" if names == "zh" else "en", app)
        tmp = Path(tempfile.mkdtemp(prefix="hemalog-bench-scale-"))
        store = open_store(_db(quick) if names is None else _names_db(names, quick),
                           user="bench")
        bridge = StoreBridge(store)
        window = MainWindow(bridge, Settings(QSettings(str(tmp / "s.ini"),
                                                       QSettings.Format.IniFormat)))
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        largest = store.patients.get_by_mrn(LARGEST_MRN) if names is None else None
        _STATE.update(key=key, app=app, store=store, bridge=bridge, window=window,
                      largest=largest, queries=iter(["wa", "wan", "wang", "li", "zh", "王",
                                                     "syn-01", "syn-004", "chen", "mü"] * 5),
                      day=date(2030, 1, 1))
        at_end(_close)
    return _STATE


def _close() -> None:
    window = _STATE.pop("window", None)
    if window is not None:
        window.workspace.labs.set_labs(None, [])   # drop rows without orphaning their items
        window.close()
        window.deleteLater()
        _STATE["app"].processEvents()
        _STATE.pop("store").close()
    _STATE.pop("key", None)


@benchmark("search: patients as you type", setup=_window, target=0.05)
def _search(state: dict[str, Any]) -> None:
    patient_list = state["window"].patient_list
    patient_list.search.setText(next(state["queries"]))
    state["app"].processEvents()
    assert patient_list.model.rowCount() >= 0


def _closed(quick: bool) -> dict[str, Any]:
    """No patient open, and the plots forget theirs: every run opens from scratch."""
    state = _window(quick)
    state["window"].workspace.open_patient(None)
    state["window"].workspace.patient_id = None
    plots = state["window"].plots.plots
    plots.patient_id = None
    plots._context_key = None
    return state


@benchmark("open: the largest patient", setup=_closed, target=0.3)
def _open(state: dict[str, Any]) -> None:
    state["window"].open_patient(state["largest"])
    state["app"].processEvents()


def _opened(quick: bool) -> dict[str, Any]:
    """The largest patient open on the Labs tab, as a nurse entering counts has it."""
    state = _window(quick)
    workspace = state["window"].workspace
    if workspace.patient_id != state["largest"].id:
        state["window"].open_patient(state["largest"])
    workspace.tabs.setCurrentWidget(workspace.labs)
    state["app"].processEvents()
    state["day"] += timedelta(days=1)
    return state


@benchmark("save: a lab value until the plot shows it", setup=_opened, target=0.05,
           floor=floors.sqlite_insert_commit)
def _save(state: dict[str, Any]) -> None:
    from clinical.record import LabTest
    from gui.labs_grid import TESTS

    grid = state["window"].workspace.labs
    row = grid.add_row(state["day"].isoformat())
    grid.table.item(row, 1 + TESTS.index(LabTest.ANC)).setText("0.8")
    assert grid.save_row(row)
    state["app"].processEvents()
    x = (state["day"] - state["window"].plots.plots.origin).days
    xs, _ys = state["window"].plots.plots.curves["anc"].getOriginalDataset()
    assert x in set(xs.tolist())


def _pdf_setup(quick: bool) -> Any:
    state = _window(quick)
    return state["store"].load_record(state["largest"].id)


@benchmark("report: the largest patient's PDF", setup=_pdf_setup, target=3.0,
           floor=floors.reportlab_one_page)
def _pdf(record: Any) -> None:
    from reports.summary import build_summary_pdf

    build_summary_pdf(record, out=io.BytesIO(), printed_by="bench", database="bench.db")


@fact("database size per patient-year", unit="bytes")
def _size(quick: bool) -> float:
    name = "mini" if quick else "hospital"
    patients, days = COHORTS[name]
    db = _db(quick)
    return db.stat().st_size / (patients * days / 365)


@benchmark("verify: whole file, every data row replayed", setup=_db, runs=1)
def _verify(db: Path) -> None:
    """Issue 13: `hemalog verify` replays every data row against its audit trail now;
    the figure is reported, with no target (it runs with the daily backup, not at start)."""
    from storage.integrity import verify_database

    result = verify_database(db)
    assert result.ok, result.lines()


@benchmark("start: quick check of the database", setup=_db, target=0.05)
def _quick_check(db: Path) -> None:
    """What start-up runs before the window opens; it must not replay the data."""
    from storage.integrity import quick_check

    result = quick_check(db)
    assert result.ok, result.lines()


# --- issue 15: search in both languages --------------------------------------------------
#
# 5,000 patients with Chinese names, searched by pinyin (full syllables, initials), by
# characters and by both mixed, with the window in Chinese; 5,000 with English names,
# with the window in English. Only the patients table is searched, so these cohorts
# hold the patients alone (built in seconds, cached like the others).

NAMES_VERSION = 1
_ZH_SURNAMES = [*"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘",
                *"于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱",
                *"江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单", "欧阳", "司马", "上官"]
_ZH_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏斌辉建国志文海燕婷雪琳晨宇浩然子轩梓涵一诺欣怡"
_EN_FIRST = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
             "William", "Elizabeth", "David", "Barbara", "Anna", "Thomas", "Sarah", "Lukas",
             "Maria", "Daniel", "Emma", "Oliver", "Sophie", "Jack", "Grace", "Henry"]
_EN_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
            "Rodriguez", "Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
            "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Müller", "O'Brien"]


def _name(language: str, rng: Any) -> str:
    if language == "en":
        return f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
    given = "".join(rng.choice(_ZH_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(_ZH_SURNAMES) + given


def _names_db(language: str, quick: bool) -> Path:
    """The cached name cohort of ``language`` ("zh" or "en"): 5,000 patients (200 quick)."""
    import random

    from clinical.record import Patient, Record, Sex
    from storage.repository import SqliteStore

    count = 200 if quick else 5000
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"names-{language}-v{NAMES_VERSION}-{count}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    for side in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        side.unlink(missing_ok=True)
    rng = random.Random(15)
    records = [Record(patient=Patient(
        mrn=f"{language.upper()}-{i:05d}", name=_name(language, rng),
        sex=rng.choice([Sex.MALE, Sex.FEMALE]), diagnosis="B-ALL")) for i in range(count)]
    with SqliteStore(partial, user="cohort") as store:
        for start in range(0, count, 500):
            store.add_records(records[start:start + 500])
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    return path


_QUERIES = {
    "zh-full": ["zhang", "zhangw", "wangfang", "liu", "chenj", "huang", "ouyang", "zeng"],
    "zh-initials": ["zw", "wf", "lj", "cm", "zwq", "hy", "lxm", "oy"],
    "zh-characters": ["张", "张伟", "王芳", "李", "陈静", "黄", "欧阳", "曾"],
    "zh-mixed": ["张w", "zhang伟", "王f", "li静", "zhang wei", "陈 j", "huang丽", "曾w"],
    "en": ["smi", "john", "garc", "anna m", "mül", "o'b", "lee", "wright"],
}
_CYCLES: dict[str, Any] = {}


def _search_as(kind: str) -> Any:
    def body(state: dict[str, Any]) -> None:
        import itertools

        queries = _CYCLES.setdefault(kind, itertools.cycle(_QUERIES[kind]))
        patient_list = state["window"].patient_list
        patient_list.search.setText(next(queries))
        state["app"].processEvents()
        assert patient_list.model.rowCount() >= 0
    return body


for _kind, _title in [("zh-full", "Chinese names, pinyin full (zh_CN)"),
                      ("zh-initials", "Chinese names, pinyin initials (zh_CN)"),
                      ("zh-characters", "Chinese names, characters (zh_CN)"),
                      ("zh-mixed", "Chinese names, characters + pinyin (zh_CN)"),
                      ("en", "English names (en)")]:
    benchmark(f"search: {_title}", target=0.05, runs=8,
              setup=lambda quick, _l=_kind[:2]: _window(quick, _l))(_search_as(_kind))
