"""Issue 17: lab files read and imported (storage/lab_files.py), on both backends.

The files are real-shaped and made here from the seed record (resources/demo): a wide
CSV of the seed case's counts, a long XLSX (openpyxl) of the same, HL7 v2 ORU^R01 files
of several messages (CR, LF, CRLF and MLLP framing) and a GB18030 CSV, written with
local codes and units to convert. Imported into a store holding the seed patient
without its labs, each gives exactly the seed's labs; imported again, nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clinical.errors import HemalogError
from clinical.lab_import import Action, CodeTable, ColumnMapping
from clinical.record import Lab, LabTest, Record
from clinical.record_schema import parse_record
from resources import DEMO_MRN, DEMO_RECORD
from storage.lab_files import (
    LabFile, MappingStore, import_plans, load_codes, plan_file, read_lab_file, settings_files,
    ward_codes,
)

# --- the seed record ---------------------------------------------------------------------------
_SEED: list[Record] = []


def seed_record() -> Record:
    if not _SEED:
        record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
        assert problems == [] and record is not None
        _SEED.append(record)
    return _SEED[0]


def seed_labs() -> tuple[Lab, ...]:
    return seed_record().labs


def seed_without_labs() -> Record:
    return dataclasses.replace(seed_record(), labs=())


def dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(repr(value)).normalize()


def key(lab: Lab) -> tuple[Any, ...]:
    """A lab as a comparable value: numbers as numbers (84 == 84.0)."""
    return (lab.date, lab.test, dec(lab.value), lab.unit, dec(lab.lln), dec(lab.uln))


def keys(labs: Sequence[Lab]) -> list[tuple[Any, ...]]:
    return sorted(key(lab) for lab in labs)


def by_day(labs: Sequence[Lab]) -> dict[date, dict[LabTest, Any]]:
    out: dict[date, dict[LabTest, Any]] = {}
    for lab in labs:
        out.setdefault(lab.date, {})[lab.test] = lab.value
    return dict(sorted(out.items()))


def text(value: Decimal) -> str:
    """A number as a lab system writes it: 3660, 8.4, 0 (never 3.66E+3)."""
    return format(value.normalize(), "f")


def scaled(value: Any, factor: str) -> Decimal:
    return Decimal(repr(value)) * Decimal(factor)


# The ward's own codes (lab-codes.csv): a unit implied by the code, tests the shipped
# table names only by hemalog's own names.
WARD_CODES = ("code,system,test,unit,description\n"
              "LEUKO-UL,local,wbc,/uL,white cells per microlitre\n"
              "NEUT-UL,local,anc,/uL,\n"
              "CART,local,car_t_pct,%,CD7 CAR-T cells as % of lymphocytes\n"
              "TCR+,local,tcr_pct,%,\n")


@pytest.fixture
def ward_csv(tmp_path: Path) -> Path:
    path = tmp_path / "lab-codes.csv"
    path.write_text(WARD_CODES, encoding="utf-8")
    return path


@pytest.fixture
def codes(ward_csv: Path) -> CodeTable:
    return load_codes(ward_csv)


# --- files made from the seed ------------------------------------------------------------------
# Wide: one row per day, one column per test, units converted (per µL, g/dL).
WIDE_COLUMNS: list[tuple[LabTest, str, str]] = [
    (LabTest.WBC, "LEUKO-UL", "1000"),            # the unit from the ward's code table
    (LabTest.ANC, "NEUT# [cells/uL]", "1000"),     # the unit in the header
    (LabTest.HB, "Hb (g/dL)", "0.1"),
    (LabTest.PLT, "Platelets", "1"),               # one unit: none needed
    (LabTest.CAR_T_PCT, "CART", "1"),
    (LabTest.TCR_PCT, "TCR+", "1"),
]


def write_wide_csv(path: Path, labs: Sequence[Lab], *, mrn: str | None = None,
                   spoil: Callable[[list[list[str]]], None] | None = None) -> Path:
    header = ["Collection date", *(["MRN"] if mrn else []), *(h for _, h, _ in WIDE_COLUMNS),
              "Comment"]
    rows = [header]
    for day, values in by_day(labs).items():
        cells = [f"{day.isoformat()} 07:45", *([mrn] if mrn else [])]
        for test, _, factor in WIDE_COLUMNS:
            cells.append(text(scaled(values[test], factor)) if test in values else "")
        rows.append([*cells, "EDTA"])
    if spoil is not None:
        spoil(rows)
    path.write_text("\r\n".join(",".join(r) for r in rows) + "\r\n", encoding="utf-8")
    return path


# Long: one result per row; local codes, LOINC codes and units to convert.
LONG_CODES: dict[LabTest, tuple[str, str, str]] = {
    LabTest.WBC: ("6690-2", "10^3/uL", "1"),
    LabTest.ANC: ("NEUT-UL", "", "1000"),          # the unit from the ward's code table
    LabTest.HB: ("HGB", "g/dL", "0.1"),
    LabTest.PLT: ("777-3", "×10⁹/L", "1"),
    LabTest.CAR_T_PCT: ("CART", "%", "1"),
    LabTest.TCR_PCT: ("TCR+", "%", "1"),
}


def long_rows(labs: Sequence[Lab]) -> list[tuple[date, str, Decimal, str]]:
    out = []
    for lab in labs:
        code, unit, factor = LONG_CODES[lab.test]
        out.append((lab.date, code, scaled(lab.value, factor), unit))
    return out


def write_long_xlsx(path: Path, labs: Sequence[Lab], *,
                    spoil: Callable[[list[list[Any]]], None] | None = None) -> Path:
    from openpyxl import Workbook

    rows: list[list[Any]] = [["Specimen date", "Test code", "Result", "Units"]]
    for day, code, value, unit in long_rows(labs):
        number = float(value)
        rows.append([datetime.combine(day, time(8, 30)), code,
                     int(number) if number.is_integer() else number, unit])
    if spoil is not None:
        spoil(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_gb18030_csv(path: Path, labs: Sequence[Lab]) -> Path:
    names = {LabTest.WBC: "白细胞", LabTest.ANC: "中性粒细胞绝对值", LabTest.HB: "血红蛋白",
             LabTest.PLT: "血小板", LabTest.CAR_T_PCT: "CART", LabTest.TCR_PCT: "TCR+"}
    lines = ["采样时间,项目名称,结果,单位"]
    for lab in labs:
        value, unit = Decimal(repr(lab.value)), lab.unit
        if lab.test is LabTest.HB:
            value, unit = value / 10, "g/dL"
        lines.append(f"{lab.date.isoformat()} 08:00:00,{names[lab.test]},{text(value)},{unit}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return path


# HL7: one ORU^R01 message per day; OBX-3 a LOINC code or a local one (with the LOINC
# code as its alternate identifier), OBX-6 in UCUM spelling with units to convert.
OBX: dict[LabTest, tuple[str, str, str]] = {
    LabTest.WBC: ("6690-2^Leukocytes^LN", "10*3/uL", "1"),
    LabTest.ANC: ("NEUT^Neutrophils^99LAB^751-8^Neutrophils^LN", "/uL", "1000"),
    LabTest.HB: ("718-7^Hemoglobin^LN", "g/dL", "0.1"),
    LabTest.PLT: ("777-3^Platelets^LN", "10\\S\\9/L", "1"),    # ^ escaped as HL7 says
    LabTest.CAR_T_PCT: ("CART^CD7 CAR-T^L", "%", "1"),
    LabTest.TCR_PCT: ("TCR+^TCR^L", "%", "1"),
}


def oru_messages(labs: Sequence[Lab], *, mrn: str = DEMO_MRN,
                 obx: Callable[[int, LabTest, str], str] | None = None) -> list[list[str]]:
    """The messages (each a list of segments); ``obx(message, test, segment)`` may change
    an OBX segment."""
    out = []
    for m, (day, values) in enumerate(by_day(labs).items(), start=1):
        stamp = day.strftime("%Y%m%d")
        segments = [
            f"MSH|^~\\&|LIS|CENTRAL LAB|HEMALOG|WARD 7|{stamp}1602||ORU^R01^ORU_R01|"
            f"M{m:05d}|P|2.5.1",
            f"PID|1||{mrn}^^^HOSP^MR~H{m:06d}^^^NAT^NI||DEMO^PATIENT||19730101|M",
            "PV1|1|I|WARD7^12^1",
            f"ORC|RE|ORD{m}",
            f"OBR|1|ORD{m}|FIL{m}|57021-8^CBC W Auto Differential panel^LN|||{stamp}0715",
        ]
        for n, (test, value) in enumerate(values.items(), start=1):
            code, unit, factor = OBX[test]
            segment = (f"OBX|{n}|NM|{code}||{text(scaled(value, factor))}|{unit}||N|||F|||"
                       f"{stamp}0715")
            segments.append(obx(m, test, segment) if obx else segment)
        out.append(segments)
    return out


def write_oru(path: Path, messages: list[list[str]], framing: str = "cr") -> Path:
    if framing == "mllp":
        data = b"".join(b"\x0b" + "\r".join(m).encode() + b"\r\x1c\r" for m in messages)
    else:
        end = {"cr": "\r", "lf": "\n", "crlf": "\r\n"}[framing]
        data = "".join(end.join(m) + end for m in messages).encode()
    path.write_bytes(data)
    return path


MAKERS: dict[str, Callable[[Path], Path]] = {
    "wide.csv": lambda d: write_wide_csv(d / "wide.csv", seed_labs()),
    "long.xlsx": lambda d: write_long_xlsx(d / "long.xlsx", seed_labs()),
    "gb18030.csv": lambda d: write_gb18030_csv(d / "gb18030.csv", seed_labs()),
    "cr.hl7": lambda d: write_oru(d / "cr.hl7", oru_messages(seed_labs()), "cr"),
    "lf.hl7": lambda d: write_oru(d / "lf.hl7", oru_messages(seed_labs()), "lf"),
    "crlf.oru": lambda d: write_oru(d / "crlf.oru", oru_messages(seed_labs()), "crlf"),
    "mllp.hl7": lambda d: write_oru(d / "mllp.hl7", oru_messages(seed_labs()), "mllp"),
}


# --- the store ---------------------------------------------------------------------------------
@pytest.fixture
def seeded(store: Any) -> tuple[Any, int]:
    """The store (both backends) holding the seed patient without labs; (store, id)."""
    (patient,) = store.add_records([seed_without_labs()])
    assert store.labs.list(patient.id) == []
    return store, patient.id


def snapshot(store: Any, pid: int) -> tuple[Any, ...]:
    return store.load_record(pid), len(store.audit.entries())


def do_import(store: Any, path: Path, codes: CodeTable, mrn: str | None = DEMO_MRN,
              mapping: ColumnMapping | None = None) -> tuple[LabFile, list[Any], int]:
    lab_file = read_lab_file(path, codes=codes, mapping=mapping)
    plans = plan_file(store, lab_file, codes, mrn=mrn)
    return lab_file, plans, import_plans(store, plans, lab_file.source)


# --- each file gives exactly the seed's labs ----------------------------------------------------
def test_the_seed_has_the_counts_and_percentages_the_files_carry() -> None:
    assert len(seed_labs()) == 368
    assert {lab.test for lab in seed_labs()} == set(WIDE_COLUMNS_TESTS)
    assert len(by_day(seed_labs())) > 50     # many HL7 messages


WIDE_COLUMNS_TESTS = [t for t, _, _ in WIDE_COLUMNS]


@pytest.mark.parametrize("name", list(MAKERS))
def test_a_file_imports_exactly_the_seed_labs_and_again_nothing(
        seeded: tuple[Any, int], codes: CodeTable, tmp_path: Path, name: str) -> None:
    store, pid = seeded
    path = MAKERS[name](tmp_path)
    lab_file, plans, saved = do_import(store, path, codes)
    (pair,) = plans
    assert pair[0] == pid and pair[1].counts() == {"add": 368, "skip": 0, "refuse": 0}
    assert saved == 368
    assert keys(store.labs.list(pid)) == keys(seed_labs())
    if lab_file.kind == "hl7":
        assert lab_file.messages == len(by_day(seed_labs()))
    # converted where the file had another unit: the preview says so
    converted = [r for r in pair[1].rows if r.notes]
    assert converted and all("converted to" in str(r.notes[0]) for r in converted)

    # the audit rows name the file and its SHA-256
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert lab_file.sha256 == sha
    rows = [e for e in store.audit.entries(pid) if e.table == "labs"]
    assert len(rows) == 368
    assert {e.reason for e in rows} == {f"imported from {name} (sha256 {sha})"}

    # again: everything is already there
    before = snapshot(store, pid)
    _, plans, saved = do_import(store, path, codes)
    assert plans[0][1].counts() == {"add": 0, "skip": 368, "refuse": 0} and saved == 0
    assert all(r.lab is not None and r.lab.id is not None for r in plans[0][1].rows)
    assert snapshot(store, pid) == before


def test_every_format_of_the_same_results_is_the_same_import(
        seeded: tuple[Any, int], codes: CodeTable, tmp_path: Path) -> None:
    """After the wide CSV, the XLSX and the HL7 of the same results add nothing."""
    store, pid = seeded
    do_import(store, MAKERS["wide.csv"](tmp_path), codes)
    before = snapshot(store, pid)
    for name in ("long.xlsx", "mllp.hl7", "gb18030.csv"):
        _, plans, saved = do_import(store, MAKERS[name](tmp_path), codes)
        assert saved == 0 and plans[0][1].counts()["skip"] == 368, name
    assert snapshot(store, pid) == before


def test_part_of_the_record_already_there_adds_only_the_rest(
        seeded: tuple[Any, int], codes: CodeTable, tmp_path: Path) -> None:
    store, pid = seeded
    first = [lab for lab in seed_labs() if lab.date < date(2025, 5, 1)]
    do_import(store, write_long_xlsx(tmp_path / "april.xlsx", first), codes)
    _, plans, saved = do_import(store, MAKERS["cr.hl7"](tmp_path), codes)
    assert plans[0][1].counts() == {"add": 368 - len(first), "skip": len(first), "refuse": 0}
    assert saved == 368 - len(first)
    assert keys(store.labs.list(pid)) == keys(seed_labs())


# --- a refused result refuses the whole file ---------------------------------------------------
def _other_mrn_in_message_3(path: Path) -> Path:
    messages = oru_messages(seed_labs())
    messages[2][1] = messages[2][1].replace(DEMO_MRN, "OTHER-42")
    return write_oru(path / "other.hl7", messages, "lf")


def _other_mrn_in_a_csv_row(path: Path) -> Path:
    def spoil(rows: list[list[str]]) -> None:
        rows[5][1] = "OTHER-42"
    return write_wide_csv(path / "other.csv", seed_labs(), mrn=DEMO_MRN, spoil=spoil)


def _unknown_code_in_the_xlsx(path: Path) -> Path:
    def spoil(rows: list[list[Any]]) -> None:
        rows.insert(40, [datetime(2025, 4, 2, 8, 30), "K+", 4.1, "mmol/L"])
    return write_long_xlsx(path / "unknown.xlsx", seed_labs(), spoil=spoil)


def _unknown_code_in_hl7(path: Path) -> Path:
    def obx(m: int, test: LabTest, segment: str) -> str:
        return segment.replace("777-3^Platelets^LN", "PLT-X^Platelets^99LAB") if m == 7 \
            else segment
    return write_oru(path / "unknown.hl7", oru_messages(seed_labs(), obx=obx), "cr")


def _impossible_value_in_the_csv(path: Path) -> Path:
    def spoil(rows: list[list[str]]) -> None:
        rows[11][1] = "5000000"        # LEUKO-UL: 5000 x10^9/L (was 5 or so)
    return write_wide_csv(path / "impossible.csv", seed_labs(), spoil=spoil)


def _impossible_value_in_hl7(path: Path) -> Path:
    def obx(m: int, test: LabTest, segment: str) -> str:
        if m == 2 and test is LabTest.HB:
            fields = segment.split("|")
            fields[5] = "31"           # g/dL: 310 g/L
            return "|".join(fields)
        return segment
    return write_oru(path / "impossible.hl7", oru_messages(seed_labs(), obx=obx), "mllp")


@pytest.mark.parametrize(("make", "at", "why"), [
    (_other_mrn_in_message_3, "message 3, OBX 1",
     "for another patient (MRN 'OTHER-42~H000003'); this import is for DEMO-CD7-001"),
    (_other_mrn_in_a_csv_row, "row 6, LEUKO-UL",
     "for another patient (MRN 'OTHER-42'); this import is for DEMO-CD7-001"),
    (_unknown_code_in_the_xlsx, "row 41",
     "'K+' is not a test in the lab code table; add it to the ward's table (lab-codes.csv) "
     "or leave it out"),
    (_unknown_code_in_hl7, "message 7, OBX 4",
     "'PLT-X' is not a test in the lab code table; add it to the ward's table "
     "(lab-codes.csv) or leave it out"),
    (_impossible_value_in_the_csv, "row 12, LEUKO-UL",
     "the value 5000 10^9/L is impossible for wbc (more than 2000 10^9/L)"),
    (_impossible_value_in_hl7, "message 2, OBX 3",
     "the value 310 g/L is impossible for hb (more than 300 g/L)"),
])
def test_one_refused_result_refuses_the_whole_file_and_nothing_is_saved(
        seeded: tuple[Any, int], codes: CodeTable, tmp_path: Path,
        make: Callable[[Path], Path], at: str, why: str) -> None:
    store, pid = seeded
    path = make(tmp_path)
    lab_file = read_lab_file(path, codes=codes)
    plans = plan_file(store, lab_file, codes, mrn=DEMO_MRN)
    (plan,) = [p for _, p in plans]
    bad = plan.of(Action.REFUSE)
    assert [(r.source.where, str(r.why)) for r in bad][:1] == [(at, why)]
    assert not plan.ok and len(plan.of(Action.ADD)) > 300
    before = snapshot(store, pid)
    with pytest.raises(HemalogError) as caught:
        import_plans(store, plans, lab_file.source)
    assert caught.value.lines[0] == f"{at}: {why}"
    assert snapshot(store, pid) == before
    assert store.labs.list(pid) == []


def test_a_file_for_two_patients_is_saved_for_both_or_for_neither(
        seeded: tuple[Any, int], codes: CodeTable, tmp_path: Path) -> None:
    """A drop folder's file: its plans are per patient; all of them, or nothing."""
    from clinical.record import Patient

    store, pid = seeded
    other = store.patients.add(Patient(mrn="OTHER-42", name="Other patient", diagnosis="AML"))
    messages = oru_messages(seed_labs()[:20]) + oru_messages(seed_labs()[:8], mrn="OTHER-42")
    path = write_oru(tmp_path / "two.hl7", messages)
    lab_file = read_lab_file(path, codes=codes)
    plans = plan_file(store, lab_file, codes)
    assert [(p_id, p.mrn, p.ok) for p_id, p in plans] == [(pid, DEMO_MRN, True),
                                                          (other.id, "OTHER-42", True)]
    # a bad value in the second patient's results: neither is saved
    messages[-1][-1] = messages[-1][-1].replace("|N|||F|", "|N|||P|")
    path = write_oru(tmp_path / "two-bad.hl7", messages)
    lab_file = read_lab_file(path, codes=codes)
    plans = plan_file(store, lab_file, codes)
    with pytest.raises(HemalogError) as caught:
        import_plans(store, plans, lab_file.source)
    assert caught.value.lines == [f"message {len(messages)}, OBX {len(messages[-1]) - 5}: "
                                  "result status P: only final (F) or corrected (C) results "
                                  "are imported"]
    assert store.labs.list(pid) == [] and store.labs.list(other.id) == []
    assert import_plans(store, plan_file(store, read_lab_file(tmp_path / "two.hl7", codes=codes),
                                         codes), "two.hl7") == 28
    assert len(store.labs.list(pid)) == 20 and len(store.labs.list(other.id)) == 8


def test_pid3_written_differently_in_two_messages_is_one_patients_plan(
        seeded: tuple[Any, int], codes: CodeTable, tmp_path: Path) -> None:
    """Was two plans for one patient, each checked only against the database: two values
    of one test and day were both saved, and a result twice in the file saved twice."""
    store, pid = seeded

    def message(n: int, pid3: str, value: str) -> list[str]:
        return [f"MSH|^~\\&|L|L|H|W|20250401||ORU^R01|{n}|P|2.5", f"PID|1||{pid3}",
                f"OBX|1|NM|6690-2||{value}|10*9/L|||||F|||20250401"]

    path = write_oru(tmp_path / "a.hl7", [message(1, DEMO_MRN, "3.5"),
                                          message(2, f"{DEMO_MRN}~NAT-1", "3.5"),
                                          message(3, f"NAT-2~{DEMO_MRN}", "9.9")])
    lab_file = read_lab_file(path, codes=codes)
    ((p_id, plan),) = plan_file(store, lab_file, codes)
    assert p_id == pid
    assert [(r.action.value, str(r.why) if r.why else None) for r in plan.rows] == [
        ("add", None), ("skip", "the same as message 1, OBX 1"),
        ("refuse", "message 1, OBX 1 has wbc of 2025-04-01 as 3.5 10^9/L; hemalog keeps one "
                   "value per test and day")]
    with pytest.raises(HemalogError):
        import_plans(store, [(p_id, plan)], lab_file.source)
    assert store.labs.list(pid) == []


def test_without_an_mrn_each_patient_named_is_planned_and_unknown_ones_refused(
        seeded: tuple[Any, int], codes: CodeTable, tmp_path: Path) -> None:
    store, pid = seeded
    messages = oru_messages(seed_labs()[:4]) + oru_messages(seed_labs()[:4], mrn="NOBODY-1")
    lab_file = read_lab_file(write_oru(tmp_path / "x.hl7", messages), codes=codes)
    plans = plan_file(store, lab_file, codes)
    assert [(p_id, p.ok) for p_id, p in plans] == [(pid, True), (None, False)]
    assert {str(r.why) for r in plans[1][1].rows} == {
        "for MRN 'NOBODY-1~H000001', who is not in this database"}
    # a table without an MRN column names nobody: refused in a drop folder
    lab_file = read_lab_file(write_wide_csv(tmp_path / "w.csv", seed_labs()[:8]), codes=codes)
    ((none, plan),) = plan_file(store, lab_file, codes)
    assert none is None and {str(r.why) for r in plan.rows} == {"names no patient (no MRN)"}


def test_an_unknown_mrn_on_the_command_line_is_one_line(
        seeded: tuple[Any, int], codes: CodeTable, tmp_path: Path) -> None:
    store, _pid = seeded
    lab_file = read_lab_file(MAKERS["wide.csv"](tmp_path), codes=codes)
    with pytest.raises(HemalogError) as caught:
        plan_file(store, lab_file, codes, mrn="NOBODY-1")
    assert len(caught.value.lines) == 1 and "NOBODY-1" in caught.value.lines[0]


# --- HL7 details --------------------------------------------------------------------------------
def _hl7(tmp_path: Path, *segments: str, name: str = "m.hl7") -> Path:
    head = ["MSH|^~\\&|LIS|LAB|HEMALOG|WARD|202503281602||ORU^R01|1|P|2.5.1",
            f"PID|1||{DEMO_MRN}^^^HOSP^MR"]
    return write_oru(tmp_path / name, [[*head, *segments]])


def test_hl7_ranges_status_and_the_day_of_each_result(codes: CodeTable, tmp_path: Path) -> None:
    path = _hl7(tmp_path,
                "OBR|1|||CBC|||20250327221500+0800",
                "OBX|1|NM|6690-2^WBC^LN||3660|/uL|4000-10000|L|||F",
                "OBX|2|NM|718-7^Hb^LN||8.4|g/dL|13.0-17.5|L|||C",
                "OBX|3|SN|1988-5^CRP^LN||<^5|mg/L|<5||||F",
                "OBX|4|SN|1988-5^CRP^LN||^1^:^40|mg/L|||||F",
                "OBX|5|NM|777-3^PLT^LN||60|10*9/L|||||P",
                "OBX|6|CWE|6690-2^WBC^LN||POS^Positive^L||||||F",
                "OBX|7|ED|718-7^Hb^LN||^application^pdf^Base64^AAAA||||||F",
                "OBR|2|||CHEM",
                "OBX|1|NM|2160-0^Creat^LN||1.2|mg/dL|0.7-1.3||||F|||20250326",
                "OBX|2|SN|1975-2^TBIL^LN||=^0.9|mg/dL|||||F")
    lab_file = read_lab_file(path, codes=codes)
    assert lab_file.kind == "hl7" and lab_file.messages == 1
    assert [r.where for r in lab_file.results] == [
        "message 1, OBX 1", "message 1, OBX 2", "message 1, OBX 3", "message 1, OBX 4",
        "message 1, OBX 5", "message 1, OBX 1", "message 1, OBX 2"]   # CWE and ED not read
    from clinical.lab_import import plan_lab_import
    plan = plan_lab_import(lab_file.results, mrn=DEMO_MRN, existing=[], codes=codes,
                           today=date(2025, 6, 1))
    got = [(r.action.value, r.lab and (r.lab.date.isoformat(), r.lab.test.value, r.lab.value,
                                       r.lab.lln, r.lab.uln)) for r in plan.rows]
    assert got[:2] == [("add", ("2025-03-27", "wbc", 3.66, 4, 10)),
                       ("add", ("2025-03-27", "hb", 84, 130, 175))]
    assert [str(r.why) for r in plan.rows[2:5]] == [
        "the value '<5' is a limit of the lab's measuring range, not a measured value; it is "
        "not imported",
        "the value '^1^:^40' is not a number",      # a ratio was read as 1
        "result status P: only final (F) or corrected (C) results are imported"]
    # OBR-2 has no OBR-7: OBX-14, else MSH-7
    assert got[5:] == [("add", ("2025-03-26", "creatinine", 106.1, 61.88, 114.9)),
                       ("add", ("2025-03-28", "bilirubin", 15.39, None, None))]


def test_pid3_is_every_identifier_and_a_message_without_one_names_no_patient(
        seeded: tuple[Any, int], codes: CodeTable, tmp_path: Path) -> None:
    store, pid = seeded
    path = write_oru(tmp_path / "x.hl7", [
        ["MSH|^~\\&|LIS|LAB|H|W|20250328||ORU^R01|1|P|2.5",
         f"PID|1||123456^^^NAT^NI~{DEMO_MRN}^^^HOSP^MR",
         "OBX|1|NM|6690-2||3.66|10*9/L|||||F"],
        ["MSH|^~\\&|LIS|LAB|H|W|20250330||ORU^R01|2|P|2.5",
         "OBX|1|NM|6690-2||3.66|10*9/L|||||F"]])
    lab_file = read_lab_file(path, codes=codes)
    ((p_id, plan),) = plan_file(store, lab_file, codes, mrn=DEMO_MRN)
    assert p_id == pid
    assert [(r.action.value, str(r.why) if r.why else None) for r in plan.rows] == [
        ("add", None), ("refuse", "names no patient (no MRN)")]   # was imported as anybody's


@pytest.mark.parametrize(("content", "line"), [
    (b"MSH|^~\\&|A|B|C|D|20250101||ADT^A01|1|P|2.5\rPID|1||X\r",
     "message 1 is ADT^A01, not a result message (ORU^R01)"),
    (b"MSH\rOBX|1\r", "message 1 cannot be read as HL7"),
])
def test_an_hl7_file_that_is_not_results_is_one_line(tmp_path: Path, codes: CodeTable,
                                                     content: bytes, line: str) -> None:
    path = tmp_path / "x.hl7"
    path.write_bytes(content)
    with pytest.raises(HemalogError) as caught:
        read_lab_file(path, codes=codes)
    assert len(caught.value.lines) == 1
    assert caught.value.lines[0].startswith(f"{path}: {line}")


def test_an_hl7_batch_with_file_and_batch_headers_is_read(codes: CodeTable,
                                                          tmp_path: Path) -> None:
    messages = oru_messages(seed_labs()[:12])
    lines = ["FHS|^~\\&|LIS", "BHS|^~\\&|LIS", *(s for m in messages for s in m), "BTS|3",
             "FTS|1"]
    path = tmp_path / "batch.txt"        # the suffix does not matter: MSH/FHS at the start
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    lab_file = read_lab_file(path, codes=codes)
    assert lab_file.kind == "hl7" and lab_file.messages == len(messages)
    assert len(lab_file.results) == 12


# --- tables -------------------------------------------------------------------------------------
@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_tables(codes: CodeTable, tmp_path: Path,
                                            delimiter: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(delimiter.join(["Date", "Test", "Result", "Unit"]) + "\n" +
                    delimiter.join(["2025-03-28", "HGB", "8.4", "g/dL"]) + "\n",
                    encoding="utf-8-sig")
    lab_file = read_lab_file(path, codes=codes)
    assert [(r.code, r.value, r.unit) for r in lab_file.results] == [("HGB", "8.4", "g/dL")]


def test_a_mapping_chooses_the_columns_and_the_xlsx_sheet(codes: CodeTable,
                                                          tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["cover page"])
    sheet = book.create_sheet("Befunde")
    sheet.append(["Abnahme", "Parameter", "Wert", "Einheit", "Notiz"])
    sheet.append(["28.03.2025 08:00", "HGB", 8.4, "g/dL", "ok"])
    book.save(tmp_path / "de.xlsx")
    with pytest.raises(HemalogError) as caught:      # the first sheet: no header to read
        read_lab_file(tmp_path / "de.xlsx", codes=codes)
    assert len(caught.value.lines) == 1
    mapping = ColumnMapping(name="de", date="Abnahme", date_format="DD.MM.YYYY",
                            test="Parameter", value="Wert", unit="Einheit", sheet="Befunde")
    lab_file = read_lab_file(tmp_path / "de.xlsx", codes=codes, mapping=mapping)
    assert lab_file.unread == ["Notiz"] and lab_file.mapping == mapping
    from clinical.lab_import import plan_lab_import
    (lab,) = plan_lab_import(lab_file.results, mrn="X", existing=[], codes=codes).labs
    assert (lab.date, lab.value) == (date(2025, 3, 28), 84)
    with pytest.raises(HemalogError) as caught:
        read_lab_file(tmp_path / "de.xlsx", codes=codes,
                      mapping=dataclasses.replace(mapping, sheet="Nope"))
    assert caught.value.lines == [f"{tmp_path / 'de.xlsx'}: no sheet 'Nope' (sheets: Sheet, "
                                  "Befunde)"]
    with pytest.raises(HemalogError) as caught:
        read_lab_file(tmp_path / "de.xlsx", codes=codes,
                      mapping=dataclasses.replace(mapping, value="Result"))
    assert caught.value.lines == [
        f"{tmp_path / 'de.xlsx'}: mapping 'de': value column 'Result' is not in the file "
        "(its columns: 'Abnahme', 'Parameter', 'Wert', 'Einheit', 'Notiz')"]


# --- files that are not lab files: one clear line ---------------------------------------------
def _damaged_xlsx(tmp_path: Path) -> Path:
    good = write_long_xlsx(tmp_path / "good.xlsx", seed_labs()[:40])
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[:len(data) // 2]        # the sheet's XML cut short
            out.writestr(item, data)
    return path


@pytest.mark.parametrize(("make", "line"), [
    (lambda d: (d / "empty.csv", (d / "empty.csv").write_bytes(b""))[0], "the file is empty"),
    (lambda d: (d / "blank.csv", (d / "blank.csv").write_bytes(b" \r\n\t\n"))[0],
     "the file is empty"),
    (lambda d: (d / "sub", (d / "sub").mkdir())[0], "is a folder, not a lab file"),
    (lambda d: d / "missing.csv", "no such file"),
    (lambda d: (d / "half.xlsx", (d / "half.xlsx").write_bytes(
        write_long_xlsx(d / "x.xlsx", seed_labs()[:5]).read_bytes()[:300]))[0],
     "not an XLSX workbook, or a damaged one"),
    (_damaged_xlsx, "not an XLSX workbook, or a damaged one"),   # was a ParseError crash
    (lambda d: (d / "bin.csv", (d / "bin.csv").write_bytes(bytes(range(256)) * 8))[0],
     "not text in UTF-8 or GB18030; save it as CSV UTF-8"),
    (lambda d: (d / "h.csv", (d / "h.csv").write_text("a,b\n1,2\n"))[0],
     "columns not recognised: no date column"),
])
def test_what_is_not_a_lab_file_is_refused_in_one_line(codes: CodeTable, tmp_path: Path,
                                                        make: Callable[[Path], Path],
                                                        line: str) -> None:
    path = make(tmp_path)
    with pytest.raises(HemalogError) as caught:
        read_lab_file(path, codes=codes)
    assert len(caught.value.lines) == 1
    assert caught.value.lines[0].startswith(f"{path}: {line}"), caught.value.lines


# --- code tables --------------------------------------------------------------------------------
def test_the_shipped_table_and_a_wards_table(ward_csv: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = load_codes()
    assert shipped.lookup("TCR+") is None and shipped.lookup("6690-2") is not None
    assert load_codes(ward_csv).lookup("TCR+") is not None
    monkeypatch.setenv("HEMALOG_LAB_SETTINGS", str(tmp_path / "shared"))
    assert settings_files() == (tmp_path / "shared" / "lab-mappings",
                                tmp_path / "shared" / "lab-codes.csv")
    assert ward_codes().lookup("TCR+") is None
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "lab-codes.csv").write_text(WARD_CODES, encoding="utf-8")
    assert ward_codes().lookup("TCR+") is not None


def test_a_bad_wards_table_is_refused_naming_the_file_and_row(tmp_path: Path) -> None:
    bad = tmp_path / "ward.csv"
    bad.write_text("code,system,test,unit\nX,local,wbc,\nY,local,potassium,mmol/L\n",
                   encoding="utf-8")
    with pytest.raises(HemalogError) as caught:
        load_codes(bad)
    assert caught.value.lines == [f"{bad} row 3: test 'potassium' is not one of wbc, anc, alc, "
                                  "plt, hb, crp, ferritin, il6, bilirubin, creatinine, "
                                  "car_t_pct, tcr_pct"]
    with pytest.raises(HemalogError) as caught:
        load_codes(tmp_path / "none.csv")
    assert caught.value.lines == [f"{tmp_path / 'none.csv'}: no such file"]


# --- saved mappings -----------------------------------------------------------------------------
def test_a_mapping_saved_is_loaded_the_same(tmp_path: Path) -> None:
    store = MappingStore(tmp_path / "lab-mappings")
    assert store.names() == []
    mapping = ColumnMapping(name="LIS export 2", form="wide", date="采样时间",
                            date_format="DD/MM/YYYY", mrn="住院号",
                            tests={"白细胞 (×10⁹/L)": "WBC", "Hb": "718-7"},
                            units={"Hb": "g/dL"}, sheet="结果")
    path = store.save(mapping)
    assert path == tmp_path / "lab-mappings" / "LIS export 2.json"
    assert store.names() == ["LIS export 2"]
    assert store.load("LIS export 2") == mapping
    assert store.load(" LIS export 2 ") == mapping
    assert store.load(str(path)) == mapping                      # a JSON file by its path
    store.save(dataclasses.replace(mapping, date_format="YYYY-MM-DD"))  # saved again: replaced
    assert store.load("LIS export 2").date_format == "YYYY-MM-DD"
    assert sorted(p.name for p in path.parent.iterdir()) == ["LIS export 2.json"]


@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "cannot be read"),
    ("", "cannot be read"),
    ("[1, 2]", "is not a mapping (a JSON object)"),
    (b"\xff\xfe{", "cannot be read"),
])
def test_a_damaged_mapping_file_is_named(tmp_path: Path, content: Any, problem: str) -> None:
    store = MappingStore(tmp_path)
    path = tmp_path / "lis.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(HemalogError) as caught:
        store.load("lis")
    (line,) = caught.value.lines
    assert line.startswith(f"mapping lis: {path} {problem}"), line   # the file, to mend it


@pytest.mark.parametrize(("doc", "line"), [
    ({"date": "D", "colour": "red"}, "mapping lis: unknown key colour"),
    ({"date": "D", "form": "diagonal"}, "mapping lis: form must be long or wide"),
    ({"date": 3}, "mapping lis: date must be text"),
])
def test_a_mapping_file_with_wrong_content_says_what(tmp_path: Path, doc: dict[str, Any],
                                                     line: str) -> None:
    (tmp_path / "lis.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(HemalogError) as caught:
        MappingStore(tmp_path).load("lis")
    assert caught.value.lines == [line]


@pytest.mark.parametrize("name", ["../evil", "a/b", "", " ", ".hidden", "x" * 65, "name.",
                                  "a\x00b", "_x"])
def test_a_mapping_name_that_is_a_path_or_odd_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(HemalogError) as caught:
        MappingStore(tmp_path / "m").save(ColumnMapping(name=name, date="D", test="T",
                                                        value="V"))
    assert len(caught.value.lines) == 1 and "not a path" in caught.value.lines[0]
    assert not (tmp_path / "m").exists() or list((tmp_path / "m").iterdir()) == []


def test_an_unknown_mapping_lists_the_saved_ones(tmp_path: Path) -> None:
    store = MappingStore(tmp_path)
    with pytest.raises(HemalogError) as caught:
        store.load("lis")
    assert caught.value.lines == ["--mapping lis: no such mapping (saved: none saved yet)"]
    store.save(ColumnMapping(name="b", date="D", test="T", value="V"))
    store.save(ColumnMapping(name="a", date="D", test="T", value="V"))
    with pytest.raises(HemalogError) as caught:
        store.load("lis")
    assert caught.value.lines == ["--mapping lis: no such mapping (saved: a, b)"]


# --- what real lab systems send --------------------------------------------------------------
def test_an_unescaped_10_caret_9_per_litre_in_obx_6_is_read_as_that_unit(
        seeded: tuple[Any, int], tmp_path: Path, codes: CodeTable) -> None:
    """Many lab systems send OBX-6 "10^9/L" without escaping the "^": split into
    components it would read "10"; joined again it is the unit it was meant to be."""
    store, pid = seeded
    path = tmp_path / "raw.hl7"
    path.write_bytes(b"MSH|^~\\&|LIS|H|HEMALOG|W|20250301090000||ORU^R01|1|P|2.5\r"
                     b"PID|1||" + DEMO_MRN.encode() + b"^^^H^MR\r"
                     b"OBR|1|||CBC|||20250301073000\r"
                     b"OBX|1|NM|6690-2^WBC^LN||4.1|10^9/L|3.5-9.5||||F\r"
                     b"OBX|2|NM|777-3^PLT^LN||120|10^9/L^UCUM|||||F\r")
    lab_file = read_lab_file(path, codes=codes)
    assert [r.unit for r in lab_file.results] == ["10^9/L", "10^9/L"]
    (_, plan), = plan_file(store, lab_file, codes, mrn=DEMO_MRN)
    assert [(lab.test.value, lab.value, lab.unit, lab.lln, lab.uln) for lab in plan.labs] == [
        ("wbc", 4.1, "10^9/L", 3.5, 9.5), ("plt", 120, "10^9/L", None, None)]


def test_identifiers_naming_two_patients_are_refused_not_guessed(
        store: Any, tmp_path: Path, codes: CodeTable) -> None:
    from clinical.record import Patient
    store.patients.add(Patient(mrn="A-1", name="Ann", diagnosis="AML"))
    store.patients.add(Patient(mrn="B-2", name="Bo", diagnosis="AML"))
    path = tmp_path / "two.hl7"
    path.write_bytes(b"MSH|^~\\&|LIS|H|HEMALOG|W|20250301090000||ORU^R01|1|P|2.5\r"
                     b"PID|1||A-1^^^H^MR~B-2^^^H^PI\r"
                     b"OBR|1|||CBC|||20250301073000\r"
                     b"OBX|1|NM|6690-2^WBC^LN||4.1|10*9/L|||||F\r")
    plans = plan_file(store, read_lab_file(path, codes=codes), codes)
    ((pid, plan),) = plans
    assert pid is None and plan.ok is False
    assert "name two patients of this database (A-1, B-2)" in str(plan.rows[0].why)
