"""Issue 13, finding 9: a record file is imported or refused in bounded memory.

A 193 MB file of 2.76 million labs took 4 GB for two minutes. Each list now has
a cap (clinical.record_schema.MAX_ITEMS), named in the message that refuses a
longer list, and a file whose parsed form could not fit is refused from a count
of its bytes, before anything is built.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clinical.record_schema import MAX_DRUG_LINES, MAX_ITEMS, parse_item, parse_record
from storage.record_files import (
    MAX_CONTAINERS, MAX_TEXT_BYTES, MAX_VALUES, export_text, import_files, read_record_file,
)
from storage.repository import SqliteStore
from tests.cli.test_bad_input import assert_bad_input, counts, run

ROOT = Path(__file__).resolve().parents[2]
LAB = '{"date": "2020-01-01", "test": "wbc", "value": 4.2, "unit": "10^9/L"}'

# Imports one file into a fresh database in a child process and prints what it
# cost: peak resident memory above the interpreter with hemalog loaded, and the
# outcome. The peak is the kernel's VmHWM: ru_maxrss would carry over the parent's
# peak (Linux keeps it across exec), which can hide the child's own.
MEASURE = """
import json, re, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from clinical.errors import HemalogError
from storage.record_files import import_files
from storage.repository import SqliteStore
def peak_kb():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text())[1])
base = peak_kb()
start = time.perf_counter()
with SqliteStore(Path(tempfile.mkdtemp()) / "m.db", user="measure") as store:
    try:
        import_files(store, [Path(sys.argv[1])])
        outcome = "imported %d labs" % store.counts()["labs"]
    except HemalogError as exc:
        outcome = str(exc)
print(json.dumps({"growth_mb": (peak_kb() - base) / 1024, "seconds": time.perf_counter() - start,
                  "outcome": outcome}))
"""


def measure_import(path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(ROOT)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def record_text(demo_doc: dict[str, Any], n_labs: int, *, padding: str = "") -> str:
    """The demo record with ``n_labs`` copies of one lab, built as text (no objects)."""
    head = {k: v for k, v in demo_doc.items() if k != "labs"}
    return json.dumps(head)[:-1] + ', "labs": [' + f",{padding}".join([LAB] * n_labs) + "]}"


@pytest.fixture
def demo_doc(demo_record_path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(demo_record_path.read_text(encoding="utf-8"))
    doc["patient"]["mrn"] = "BOUNDS-1"
    return doc


@pytest.mark.parametrize("key", sorted(MAX_ITEMS))
def test_a_list_over_its_cap_is_refused_naming_the_cap(key: str, demo_doc: dict[str, Any]
                                                        ) -> None:
    cap = MAX_ITEMS[key]
    record, problems = parse_record({**demo_doc, key: [{}] * (cap + 1)})
    assert record is None
    assert [str(p) for p in problems] == [f"{key}: {cap + 1:,} items; at most {cap:,} per record"]


def test_a_list_at_its_cap_is_not_refused_for_its_length(demo_doc: dict[str, Any]) -> None:
    cap = MAX_ITEMS["marrow"]
    _record, problems = parse_record({**demo_doc, "marrow": [{}] * cap})
    assert problems and not any("per record" in str(p) for p in problems)


def test_drug_lines_over_the_course_cap_are_refused(demo_doc: dict[str, Any]) -> None:
    course = {**demo_doc["courses"][0]}
    course["drugs"] = [course["drugs"][0]] * (MAX_DRUG_LINES + 1)
    obj, problems = parse_item("courses", course, "courses[0]")
    assert obj is None
    assert [str(p) for p in problems] == [
        f"courses[0].drugs: {MAX_DRUG_LINES + 1} items; at most {MAX_DRUG_LINES} per course"]


def test_import_of_one_lab_over_the_cap_exits_1_naming_the_cap(
        tmp_path: Path, demo_doc: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.db"
    path = tmp_path / "over.json"
    path.write_text(record_text(demo_doc, MAX_ITEMS["labs"] + 1), encoding="utf-8")
    result = run(capsys, "--db", str(db), "import", str(path))
    assert_bad_input(result, f"{path}: labs: 250,001 items; at most 250,000 per record")
    assert counts(db)["labs"] == 0


def test_a_million_labs_are_refused_before_any_is_built(tmp_path: Path,
                                                        demo_doc: dict[str, Any]) -> None:
    path = tmp_path / "million.json"
    path.write_text(record_text(demo_doc, 1_000_000), encoding="utf-8")
    size_mb = path.stat().st_size / 2**20
    cost = measure_import(path)
    assert "too many items for one patient record" in cost["outcome"]
    assert "250,000 labs" in cost["outcome"] and "50 drug lines" in cost["outcome"]
    # Parsing them all takes about 400 MB; refusing holds little more than the bytes.
    assert cost["growth_mb"] < size_mb + 40, cost


def test_budgets_admit_every_list_at_its_cap_as_export_writes_it(
        store: SqliteStore, demo_record_path: Path) -> None:
    """The richest exported item of each list, times its cap, fits the byte budgets."""
    [patient] = import_files(store, [demo_record_path])
    doc = json.loads(export_text(store, patient.mrn))

    def most(items: list[Any]) -> tuple[int, int]:
        """The most values and the most lists and objects any one of ``items`` has."""
        texts = [json.dumps(i) for i in items]
        return (max(t.count(",") + 1 for t in texts),
                max(t.count("{") + t.count("[") for t in texts))

    values = containers = 0
    for key, cap in MAX_ITEMS.items():
        if key == "courses":
            line = most([d for c in doc[key] for d in c["drugs"]])
            base = most([{**c, "drugs": []} for c in doc[key]])
            item = (base[0] + MAX_DRUG_LINES * line[0], base[1] + MAX_DRUG_LINES * line[1])
        else:
            item = most(doc[key])
        values += cap * item[0]
        containers += cap * item[1]
    assert values <= MAX_VALUES and containers <= MAX_CONTAINERS, (values, containers)


@pytest.mark.parametrize(("character", "width", "kind"), [
    ("😀", 4, "beyond 16 bits (such as emoji)"), ("王", 2, "beyond Latin-1 (such as Chinese)")])
def test_a_large_file_with_wide_characters_is_refused(
        tmp_path: Path, demo_doc: dict[str, Any], character: str, width: int, kind: str) -> None:
    """One such character makes the whole text cost 2 or 4 bytes a character in memory."""
    demo_doc["patient"]["name"] = f"Ann {character} Lee"
    text = json.dumps(demo_doc, ensure_ascii=False)
    path = tmp_path / "wide.json"
    path.write_text(text[:-1] + " " * (MAX_TEXT_BYTES // width) + "}", encoding="utf-8")
    record, problems = read_record_file(path)
    assert record is None
    assert problems == [f"{path}: file is too large ({path.stat().st_size} bytes) for a patient "
                        f"record with characters {kind}; at most {MAX_TEXT_BYTES // width} bytes"]


@pytest.mark.slow
def test_a_record_at_the_lab_cap_imports(tmp_path: Path, demo_doc: dict[str, Any]) -> None:
    path = tmp_path / "cap.json"
    path.write_text(record_text(demo_doc, MAX_ITEMS["labs"]), encoding="utf-8")
    cost = measure_import(path)
    assert cost["outcome"] == "imported 250000 labs"
    assert cost["growth_mb"] < 1024 - 100, cost
