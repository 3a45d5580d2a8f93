"""Issue 13, finding 9: peak memory and time of importing a record at the size cap.

Each case imports one file into a fresh database in a child process and reports
the child's peak resident memory (from its first instruction), which
must stay under 1 GB, and its time. The cases:

- a record at the 200 MiB file-size cap holding the most labs allowed (250,000,
  the rest of the bytes indentation): imported;
- a 193 MB record of 2.76 million labs, the file that took 4 GB: refused;
- a record with every list at its cap, each item the richest of its kind in the
  demo record's export: imported (the largest record hemalog accepts).

Quick run: the same code paths with small files (the refusal needs a million items).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from benchmarks.harness import BENCHMARKS, Fact, Result
from clinical.record_schema import MAX_DRUG_LINES, MAX_ITEMS
from resources import DEMO_RECORD
from storage import open_store
from storage.record_files import MAX_FILE_BYTES, export_text, import_files

ROOT = Path(__file__).resolve().parent.parent
MAX_MB = 1024

# The child's peak is the kernel's VmHWM: its ru_maxrss would start at this
# process's peak (Linux keeps it across exec).
CHILD = """
import json, re, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from clinical.errors import HemalogError
from storage.record_files import import_files
from storage import open_store
start = time.perf_counter()
with open_store(Path(tempfile.mkdtemp()) / "bench.db", user="bench") as store:
    try:
        import_files(store, [Path(sys.argv[1])])
        outcome = "imported %d labs" % store.counts()["labs"]
    except HemalogError as exc:
        outcome = str(exc)
print(json.dumps({"seconds": time.perf_counter() - start, "outcome": outcome,
                  "peak_mb": int(re.search(r"VmHWM:\\s+(\\d+) kB",
                                           Path("/proc/self/status").read_text())[1]) / 1024}))
"""


@dataclass
class _Limited(Result):
    """A figure in any unit with an upper limit (the harness's targets are seconds)."""

    limit: float = 0.0

    @property
    def passed(self) -> bool | None:
        return self.value is not None and self.value <= self.limit

    def row(self) -> str:
        ok = "yes" if self.passed else "NO"
        value = f"{self.value:10.1f} {self.unit}"
        return f"{self.name:52} {value:>20} {'-':>7} {f'<= {self.limit:g}':>14}  {ok}"

    def as_json(self) -> dict[str, Any]:
        return {**super().as_json(), "limit": self.limit}


@dataclass
class _Cost(Fact):
    limit: float = 0.0

    def run(self, *, quick: bool) -> Result:
        return _Limited(self.name, None, None, None, 1, value=self.measure(quick),
                        unit=self.unit, limit=self.limit)


def _register(case: str, what: str, seconds: float) -> None:
    """Two figures from one child run: its peak memory (MB) and its time (s)."""
    BENCHMARKS.append(_Cost(f"{what}: peak memory", lambda q: _cost(case, q)["peak_mb"],
                            "MB", MAX_MB))
    BENCHMARKS.append(_Cost(f"{what}: time", lambda q: _cost(case, q)["seconds"], "s", seconds))


def _lab_texts(n: int) -> Iterator[str]:
    """``n`` daily blood counts as JSON text (built as text: millions stay cheap)."""
    tests = (("wbc", "10^9/L"), ("anc", "10^9/L"), ("hb", "g/L"), ("plt", "10^9/L"),
             ("alc", "10^9/L"))
    for i in range(n):
        test, unit = tests[i % 5]
        day, month, year = 1 + i // 5 % 28, 1 + i // 140 % 12, 2000 + i // 1680 % 100
        value = round(1 + (i * 7919 % 1000) / 10, 2)
        yield (f'{{"date": "{year}-{month:02}-{day:02}", "test": "{test}", "value": {value}, '
               f'"unit": "{unit}"}}')


def _head(mrn: str) -> bytes:
    """The demo record without its lists, as the opening of a JSON object."""
    doc = json.loads(DEMO_RECORD.read_text(encoding="utf-8"))
    head = {"format": doc["format"], "version": doc["version"],
            "patient": {**doc["patient"], "mrn": mrn}}
    return json.dumps(head, ensure_ascii=False)[:-1].encode("utf-8")


def _write_labs(path: Path, n: int, size: int = 0) -> Path:
    """A record of ``n`` labs, whitespace after each comma bringing it to ``size`` bytes."""
    head = _head("CAP-1") + b', "labs": ['
    gap = b","
    if size:
        compact = len(head) + sum(len(t) + 1 for t in _lab_texts(n)) + 1
        gap = b",\n" + b" " * max(0, (size - compact) // max(n, 1) - 1)
    with path.open("wb") as f:
        f.write(head)
        for i, text in enumerate(_lab_texts(n)):
            f.write((gap if i else b"") + text.encode("ascii"))
        f.write(b"]}")
    return path


def _write_every_list_at_cap(path: Path, quick: bool) -> Path:
    """Every list at its cap (a hundredth in a quick run), from the demo export's richest items."""
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "d.db", user="b") as store:
        [patient] = import_files(store, [DEMO_RECORD])
        doc = json.loads(export_text(store, patient.mrn))

    def richest(items: list[Any]) -> Any:
        return max(items, key=lambda item: json.dumps(item).count(","))

    with path.open("w", encoding="utf-8") as f:
        f.write(_head("CAP-2").decode("utf-8"))
        for key, cap in MAX_ITEMS.items():
            item = richest(doc[key])
            if key == "courses":
                line = richest([d for c in doc[key] for d in c["drugs"]])
                item = {**item, "drugs": [line] * MAX_DRUG_LINES}
            text = json.dumps(item, ensure_ascii=False)
            f.write(f', "{key}": [' + ",".join([text] * (cap // 100 if quick else cap)) + "]")
        f.write("}")
    return path


CASES: dict[str, tuple[Callable[[Path, bool], Path], str]] = {
    "size cap": (lambda p, q: _write_labs(p, 2_000 if q else MAX_ITEMS["labs"],
                                          2**21 if q else MAX_FILE_BYTES), "imported"),
    "2.76 million": (lambda p, q: _write_labs(p, 1_050_000 if q else 2_760_000), "refused"),
    "every list": (_write_every_list_at_cap, "imported"),
}


@cache
def _cost(case: str, quick: bool) -> dict[str, Any]:
    write, expected = CASES[case]
    with tempfile.TemporaryDirectory(prefix="hemalog-bench-cap-") as tmp:
        path = write(Path(tmp) / "record.json", quick)
        done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(ROOT)],
                              capture_output=True, text=True, check=True)
    cost: dict[str, Any] = json.loads(done.stdout)
    ok = (cost["outcome"].startswith("imported") if expected == "imported"
          else "too many items for one patient record" in cost["outcome"])
    if not ok or "Traceback" in done.stderr:
        raise AssertionError(f"{case}: expected {expected}, got {cost['outcome']}")
    return cost


_register("size cap", "import: 200 MiB record of 250,000 labs", seconds=60)
_register("2.76 million", "import refused: 193 MB, 2.76 million labs", seconds=5)
_register("every list", "import: every list at its cap", seconds=120)
