"""Issue 17: importing 20,000 lab results from CSV, XLSX and HL7 (target: 2 s each).

Setup (not timed, once): a database with one patient and no labs, and three files
holding the same 20,000 results (12 tests over 1,667 days; --quick: 2,000 results
over 167 days), written as a lab system exports them:

- a wide CSV: one row per day, one column per test, local codes ("NEUT#", "HGB"),
  units in the headers, haemoglobin in g/dL and creatinine in mg/dL (converted);
- a long XLSX (written with openpyxl): one row per result, the collection time as a spreadsheet
  date-time, LOINC codes, MRN, value, unit and reference range columns;
- an HL7 v2.5 file of ORU^R01 messages, one per day (MSH, PID, OBR, 12 OBX), OBX-3 by
  LOINC code with the lab's local code beside it, units as lab systems write them
  ("10*9/L", "ug/L"), OBX-7 reference ranges.

Each run copies the empty database to a fresh file and opens it (outside the timed
region); the timed body is what ``hemalog labs import MRN FILE`` does between opening
the store and printing the preview: ``storage.lab_files.read_lab_file``, ``plan_file``
and ``import_plans`` (every result added, one transaction with its audit rows). The
preview's lines (``lab_commands.plan_lines``) are not timed.

Floors, measured in the same run on the same files: the bare library reading the file
and nothing else: the csv module's reader over the text, python-calamine reading the
sheet (the XLSX reader hemalog uses: openpyxl's read-only reader took about 4 s on
this file), ``hl7.split_file`` and ``hl7.parse`` of every message. The HL7 floor is
above the whole import (ratio below 1): ``hl7.parse`` builds every component of every
segment, about 4 s here, where the import splits a field only when it reads it
(``lab_files._Hl7Segment``).

About half of each import is ``store.labs.add_many`` (storage/repository.py: the 20,000
rows and their 20,000 audit rows, each audit row's JSON and chained hash).
"""

from __future__ import annotations

import atexit
import csv
import io
import random
import shutil
import tempfile
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from benchmarks.floors import _median
from benchmarks.harness import benchmark
from clinical.lab_import import CodeTable
from clinical.record import Patient
from storage import open_store
from storage.lab_files import import_plans, load_codes, plan_file, read_lab_file

_TMP = Path(tempfile.mkdtemp(prefix="hemalog-bench-labimport-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)   # 20,000 labs: ~10 MB a run
MRN = "LAB-BENCH-1"
TARGET = 2.0
START = date(2020, 1, 1)

# One test per row: hemalog's test, the CSV header (local code, unit), the XLSX/HL7
# LOINC code (or name), the local code HL7 gives beside it, the unit the lab writes,
# the reference range, the values' range and decimals.
TESTS: tuple[tuple[str, str, str, str, str, str, float, float, int], ...] = (
    ("wbc", "WBC", "6690-2", "WBC", "10*9/L", "3.5-9.5", 0.1, 25.0, 2),
    ("anc", "NEUT#", "751-8", "NEUT#", "10*9/L", "1.8-6.3", 0.0, 15.0, 2),
    ("alc", "LYMPH#", "731-0", "LYMPH#", "10*9/L", "1.1-3.2", 0.05, 5.0, 2),
    ("plt", "PLT", "777-3", "PLT", "10*9/L", "125-350", 3, 450, 0),
    ("hb", "HGB (g/dL)", "718-7", "HGB", "g/dL", "13.0-17.5", 6.0, 16.0, 1),
    ("crp", "CRP (mg/L)", "1988-5", "CRP", "mg/L", "0-10", 0.5, 250.0, 1),
    ("ferritin", "FERR (ng/mL)", "2276-4", "FERR", "ug/L", "30-400", 20, 9000, 0),
    ("il6", "IL6 (pg/mL)", "26881-3", "IL6", "pg/mL", "0-7", 1.0, 3000.0, 1),
    ("bilirubin", "TBIL (umol/L)", "1975-2", "TBIL", "umol/L", "0-21", 3.0, 80.0, 1),
    ("creatinine", "CREA (mg/dL)", "2160-0", "CREA", "mg/dL", "0.6-1.2", 0.4, 3.0, 2),
    ("car_t_pct", "CAR-T %", "CAR-T %", "CART", "%", "", 0.0, 40.0, 2),
    ("tcr_pct", "tcr_pct (%)", "tcr_pct", "TCR", "%", "", 0.0, 30.0, 2),
)


def _results(quick: bool) -> int:
    return 2_000 if quick else 20_000


def _days(quick: bool) -> list[list[str]]:
    """Per day, the 12 values as the lab writes them (the last day may have fewer)."""
    rng = random.Random(17)
    n = _results(quick)
    days: list[list[str]] = []
    for i in range(n):
        _, _, _, _, _, _, low, high, places = TESTS[i % len(TESTS)]
        if i % len(TESTS) == 0:
            days.append([])
        days[-1].append(f"{rng.uniform(low, high):.{places}f}")
    return days


def _wide_csv(quick: bool, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Date", "Ward", *(t[1] for t in TESTS)])
        for d, values in enumerate(_days(quick)):
            day = START + timedelta(days=d)
            out.writerow([f"{day.isoformat()} 07:{d % 60:02d}", "7B",
                          *values, *[""] * (len(TESTS) - len(values))])


def _long_xlsx(quick: bool, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Results")
    sheet.append(["MRN", "Collected", "Test code", "Test name", "Result", "Unit",
                  "Reference range"])
    for d, values in enumerate(_days(quick)):
        when = datetime.combine(START + timedelta(days=d), datetime.min.time()) \
            + timedelta(hours=7, minutes=d % 60)
        for test, value in zip(TESTS, values, strict=False):
            number = float(value) if "." in value else int(value)
            sheet.append([MRN, when, test[2], test[3], number, test[4], test[5]])
    book.save(path)


def _hl7(quick: bool, path: Path) -> None:
    messages = []
    for d, values in enumerate(_days(quick)):
        day = START + timedelta(days=d)
        stamp = f"{day:%Y%m%d}07{d % 60:02d}"
        lines = [f"MSH|^~\\&|LIS|HOSP|HEMALOG|WARD7B|{stamp}||ORU^R01^ORU_R01|M{d:06d}|P|2.5",
                 f"PID|1||{MRN}^^^HOSP^MR~{9000000 + d}^^^HOSP^PI||BENCH^LAB||19700101|F",
                 f"OBR|1|O{d:06d}|F{d:06d}|CBC^Lab panel^L|||{stamp}|||||||{stamp}"]
        for k, (test, value) in enumerate(zip(TESTS, values, strict=False), start=1):
            # identifier^text^system(^alternate identifier^text^system)
            code = f"{test[2]}^{test[3]}^LN^{test[3]}^{test[3]}^L" if test[2][0].isdigit() \
                else f"{test[2]}^{test[2]}^L"
            lines.append(f"OBX|{k}|NM|{code}|1|{value}|{test[4]}|{test[5]}|N|||F|||{stamp}")
        messages.append("\r".join(lines) + "\r")
    path.write_bytes("".join(messages).encode("utf-8"))


@cache
def _files(quick: bool) -> dict[str, Path]:
    tag = _results(quick)
    files = {"csv": _TMP / f"wide-{tag}.csv", "xlsx": _TMP / f"long-{tag}.xlsx",
             "hl7": _TMP / f"oru-{tag}.hl7"}
    _wide_csv(quick, files["csv"])
    _long_xlsx(quick, files["xlsx"])
    _hl7(quick, files["hl7"])
    return files


@cache
def _empty_database() -> Path:
    path = _TMP / "empty.db"
    with open_store(path, user="bench") as store:
        store.patients.add(Patient(mrn=MRN, name="Bench Labimport", diagnosis="B-ALL"))
    return path


@cache
def _codes() -> CodeTable:
    return load_codes()


def _setup(kind: str) -> Any:
    def setup(quick: bool) -> dict[str, Any]:
        file = _files(quick)[kind]
        for earlier in _TMP.glob(f"{kind}-*.db*"):   # the previous run's, closed by its body
            earlier.unlink()
        db = Path(tempfile.mkstemp(prefix=f"{kind}-", suffix=".db", dir=_TMP)[1])
        shutil.copyfile(_empty_database(), db)
        return {"store": open_store(db, user="bench"), "file": file, "codes": _codes(),
                "expected": _results(quick)}
    return setup


def import_lab_file(state: dict[str, Any]) -> None:
    """``hemalog labs import MRN FILE``: read, plan, save (checked: every result saved)."""
    store, codes = state["store"], state["codes"]
    try:
        lab_file = read_lab_file(state["file"], codes=codes)
        plans = plan_file(store, lab_file, codes, mrn=MRN)
        saved = import_plans(store, plans, lab_file.source)
    finally:
        store.close()
    if saved != state["expected"]:
        raise AssertionError(f"{state['file'].name}: {saved} labs saved, "
                             f"not {state['expected']}")


# --- floors: the bare library reading the file -----------------------------------------------
@cache
def csv_floor(quick: bool) -> float:
    """The csv module's reader over the file's text (every row as a list)."""
    path = _files(quick)["csv"]
    return _median(lambda: list(csv.reader(io.StringIO(
        path.read_bytes().decode("utf-8-sig"), newline=""))), 5)


@cache
def xlsx_floor(quick: bool) -> float:
    """python-calamine (the reader the import uses), every row of the sheet."""
    from python_calamine import CalamineWorkbook

    path = _files(quick)["xlsx"]

    def once() -> None:
        book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
        book.close()
    return _median(once, 3)


@cache
def hl7_floor(quick: bool) -> float:
    """``hl7.split_file`` and ``hl7.parse`` of every message."""
    import hl7

    path = _files(quick)["hl7"]
    return _median(lambda: [hl7.parse(m) for m in hl7.split_file(
        path.read_bytes().decode("utf-8"))], 3)


benchmark("lab import: 20,000 results, wide CSV", setup=_setup("csv"), target=TARGET,
          floor=csv_floor)(import_lab_file)
benchmark("lab import: 20,000 results, long XLSX", setup=_setup("xlsx"), target=TARGET,
          floor=xlsx_floor)(import_lab_file)
benchmark("lab import: 20,000 results, HL7 ORU^R01 (1,667 msgs)", setup=_setup("hl7"),
          target=TARGET, floor=hl7_floor)(import_lab_file)
