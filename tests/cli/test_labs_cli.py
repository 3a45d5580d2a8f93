"""Issue 17 on the command line: `hemalog labs import MRN FILE` and `hemalog labs
import-folder DIR`, end to end through ``main.main`` with a temporary database holding
the seed patient without labs, and the lab settings (saved mappings, the ward's code
table) in a temporary folder (HEMALOG_LAB_SETTINGS)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from resources import DEMO_MRN
from storage.repository import SqliteStore
from tests.cli.test_bad_input import Run, run
from tests.storage.test_lab_files import (
    WARD_CODES, keys, oru_messages, seed_labs, seed_without_labs, write_long_xlsx, write_oru,
    write_wide_csv,
)

NOTE = "hemalog: note: this database has no staff accounts yet; create the administrator in the app"
SEED_DAYS = sorted({lab.date for lab in seed_labs()})


@pytest.fixture(autouse=True)
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "lab-settings"
    monkeypatch.setenv("HEMALOG_LAB_SETTINGS", str(folder))
    return folder


@pytest.fixture
def ward_table(settings: Path) -> Path:
    """The ward's own codes in the shared settings folder (lab-codes.csv)."""
    settings.mkdir(exist_ok=True)
    path = settings / "lab-codes.csv"
    path.write_text(WARD_CODES, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ward.db"
    with SqliteStore(path, user="t") as store:
        store.add_records([seed_without_labs()])
    return path


def labs(db: Path) -> list[Any]:
    with SqliteStore(db, user="t") as store:
        return store.labs.list(store.patients.get_by_mrn(DEMO_MRN).id)


def state(db: Path) -> tuple[Any, ...]:
    """Everything a command could change: the record, the audit trail."""
    with SqliteStore(db, user="t") as store:
        pid = store.patients.get_by_mrn(DEMO_MRN).id
        return store.load_record(pid), [(e.table, e.row_id, e.reason)
                                        for e in store.audit.entries()]


def errors(result: Run) -> list[str]:
    return [line for line in result.lines if line != NOTE]


def labs_import(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Run:
    return run(capsys, "--db", str(db), "labs", "import", *args)


# --- labs import --------------------------------------------------------------------------------
def test_dry_run_shows_every_result_and_saves_nothing(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, ward_table: Path) -> None:
    path = write_wide_csv(tmp_path / "wide.csv", seed_labs())
    before = state(db)
    result = labs_import(capsys, db, DEMO_MRN, str(path), "--dry-run")
    assert result.code == 0 and errors(result) == []
    out = result.out.splitlines()
    assert out[0] == "wide.csv: 368 results for DEMO-CD7-001: 368 to add, 0 skipped, 0 refused"
    assert out[1] == ("  columns not read (not a test in the lab code table, nor mapped): "
                      "'Comment'")
    assert out[2] == ("  row 2, LEUKO-UL: 2025-03-28 wbc 3.66 10^9/L — add (3660 /uL converted "
                      "to 3.66 10^9/L)")
    assert "  row 2, Hb (g/dL): 2025-03-28 hb 84 g/L — add (8.4 g/dL converted to 84 g/L)" in out
    assert "  row 2, Platelets: 2025-03-28 plt 60 10^9/L — add" in out
    assert len(out) == 2 + 368 + 1 and out[-1] == "--dry-run: nothing saved"
    assert state(db) == before


def test_import_saves_the_seeds_labs_and_again_skips_them_all(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, ward_table: Path) -> None:
    path = write_oru(tmp_path / "results.hl7", oru_messages(seed_labs()), "mllp")
    result = labs_import(capsys, db, DEMO_MRN, str(path))
    assert result.code == 0 and errors(result) == []
    out = result.out.splitlines()
    assert out[0] == ("results.hl7: 368 results for DEMO-CD7-001: 368 to add, 0 skipped, "
                      "0 refused")
    assert out[1] == "  message 1, OBX 1: 2025-03-28 wbc 3.66 10^9/L — add"   # 10*3/uL: the same
    assert out[2] == ("  message 1, OBX 2: 2025-03-28 anc 2.1 10^9/L — add (2100 /uL converted "
                      "to 2.1 10^9/L)")
    assert out[-1] == "saved 368 lab result(s) for DEMO-CD7-001"
    assert keys(labs(db)) == keys(seed_labs())
    before = state(db)
    result = labs_import(capsys, db, DEMO_MRN, str(path))
    assert result.code == 0
    out = result.out.splitlines()
    assert out[0] == ("results.hl7: 368 results for DEMO-CD7-001: 0 to add, 368 skipped, "
                      "0 refused")
    assert all(" — skip: already recorded" in line for line in out[1:-1])
    assert out[-1] == "saved 0 lab result(s) for DEMO-CD7-001"
    assert state(db) == before


def test_one_refused_result_is_exit_1_with_its_row_and_nothing_saved(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, ward_table: Path) -> None:
    def spoil(rows: list[list[str]]) -> None:
        rows[11][1] = "5000000"
    path = write_wide_csv(tmp_path / "bad.csv", seed_labs(), spoil=spoil)
    before = state(db)
    result = labs_import(capsys, db, DEMO_MRN, str(path))
    assert result.code == 1
    assert errors(result) == ["hemalog: nothing saved: 1 result(s) refused (above); fix the "
                              "file or extend the lab code table, then import it again"]
    out = result.out.splitlines()
    assert out[0] == "bad.csv: 368 results for DEMO-CD7-001: 367 to add, 0 skipped, 1 refused"
    (refused,) = [line for line in out if "REFUSED" in line]
    assert refused == ("  row 12, LEUKO-UL: LEUKO-UL 5000000 — REFUSED: the value 5000 10^9/L is "
                       "impossible for wbc (more than 2000 10^9/L)")
    assert state(db) == before and labs(db) == []


def test_another_patients_results_are_refused(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, ward_table: Path) -> None:
    path = write_oru(tmp_path / "other.hl7", oru_messages(seed_labs()[:8], mrn="OTHER-9"))
    result = labs_import(capsys, db, DEMO_MRN, str(path))
    assert result.code == 1 and labs(db) == []
    assert ("  message 1, OBX 1: 6690-2 3.66 — REFUSED: for another patient (MRN "
            "'OTHER-9~H000001'); this import is for DEMO-CD7-001") in result.out.splitlines()


@pytest.mark.parametrize(("make", "line"), [
    (lambda d: (d / "empty.csv", (d / "empty.csv").write_bytes(b""))[0], "the file is empty"),
    (lambda d: d, "is a folder, not a lab file"),
    (lambda d: d / "missing.csv", "no such file"),
])
def test_an_empty_file_a_folder_or_a_missing_file_is_one_line(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, make: Any,
        line: str) -> None:
    path = make(tmp_path)
    before = state(db)
    result = labs_import(capsys, db, DEMO_MRN, str(path))
    assert result.code == 1 and result.out == ""
    assert errors(result) == [f"hemalog: {path}: {line}"]
    assert state(db) == before


def test_an_unknown_mrn_is_one_line(capsys: pytest.CaptureFixture[str], db: Path,
                                    tmp_path: Path) -> None:
    path = write_wide_csv(tmp_path / "wide.csv", seed_labs()[:10])
    result = labs_import(capsys, db, "NOBODY-1", str(path))
    assert result.code == 1 and len(errors(result)) == 1 and "NOBODY-1" in errors(result)[0]


def _german_csv(path: Path, labs: Any) -> Path:
    rows = ["Abnahme;Parameter;Wert;Einheit;Bemerkung"]
    for lab in labs:
        code = {"wbc": "WBC", "anc": "NEUT#", "hb": "HGB", "plt": "PLT",
                "car_t_pct": "car_t_pct", "tcr_pct": "tcr_pct"}[lab.test.value]
        rows.append(f"{lab.date:%d.%m.%Y} 08:00;{code};{lab.value};{lab.unit};")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_save_mapping_then_mapping_name_reuses_the_columns(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, settings: Path) -> None:
    first = [lab for lab in seed_labs() if lab.date < SEED_DAYS[40]]
    rest = [lab for lab in seed_labs() if lab.date >= SEED_DAYS[40]]
    april = _german_csv(tmp_path / "befunde-1.csv", first)
    may = _german_csv(tmp_path / "befunde-2.csv", rest)
    result = labs_import(capsys, db, DEMO_MRN, str(april))      # the header says nothing known
    assert result.code == 1 and errors(result)[0].startswith(
        f"hemalog: {april}: columns not recognised: no date column")
    chosen = tmp_path / "de.json"
    chosen.write_text(json.dumps({"date": "Abnahme", "date_format": "DD.MM.YYYY",
                                  "test": "Parameter", "value": "Wert", "unit": "Einheit"}),
                      encoding="utf-8")
    result = labs_import(capsys, db, DEMO_MRN, str(april), "--mapping", str(chosen),
                         "--save-mapping", "Labor Süd", "--dry-run")
    assert result.code == 0, result.err
    saved_at = settings / "lab-mappings" / "Labor Süd.json"
    assert result.out.splitlines()[0] == f"mapping Labor Süd saved ({saved_at})"
    assert json.loads(saved_at.read_text(encoding="utf-8"))["name"] == "Labor Süd"
    assert labs(db) == []                                       # --dry-run
    assert "  columns not read (not a test in the lab code table, nor mapped): 'Bemerkung'" \
        in result.out.splitlines()
    for path in (april, may):
        result = labs_import(capsys, db, DEMO_MRN, str(path), "--mapping", "Labor Süd")
        assert result.code == 0, result.err
    assert keys(labs(db)) == keys(seed_labs())
    result = labs_import(capsys, db, DEMO_MRN, str(may), "--mapping", "Labor Nord")
    assert result.code == 1
    assert errors(result) == ["hemalog: --mapping Labor Nord: no such mapping (saved: "
                              "Labor Süd)"]


def test_save_mapping_of_an_hl7_file_is_refused(capsys: pytest.CaptureFixture[str], db: Path,
                                                 tmp_path: Path, settings: Path) -> None:
    path = write_oru(tmp_path / "r.hl7", oru_messages(seed_labs()[:4]))
    result = labs_import(capsys, db, DEMO_MRN, str(path), "--save-mapping", "x")
    assert result.code == 1 and errors(result) == [
        f"hemalog: --save-mapping: {path} is an HL7 file; only tables (CSV, XLSX) have columns "
        "to map"]
    assert not (settings / "lab-mappings").exists() and labs(db) == []


def test_a_damaged_saved_mapping_is_named(capsys: pytest.CaptureFixture[str], db: Path,
                                          tmp_path: Path, settings: Path) -> None:
    (settings / "lab-mappings").mkdir(parents=True)
    damaged = settings / "lab-mappings" / "lis.json"
    damaged.write_text('{"date": "D", ', encoding="utf-8")
    path = write_wide_csv(tmp_path / "wide.csv", seed_labs()[:10])
    result = labs_import(capsys, db, DEMO_MRN, str(path), "--mapping", "lis")
    assert result.code == 1 and len(errors(result)) == 1
    assert errors(result)[0].startswith(f"hemalog: mapping lis: {damaged} cannot be read")


def test_codes_adds_a_local_code(capsys: pytest.CaptureFixture[str], db: Path,
                                 tmp_path: Path) -> None:
    path = write_long_xlsx(tmp_path / "long.xlsx", seed_labs())   # NEUT-UL, CART, TCR+
    result = labs_import(capsys, db, DEMO_MRN, str(path))
    assert result.code == 1 and labs(db) == []
    assert ("REFUSED: 'CART' is not a test in the lab code table; add it to the ward's table "
            "(lab-codes.csv) or leave it out") in result.out
    codes = tmp_path / "more-codes.csv"
    codes.write_text(WARD_CODES, encoding="utf-8")
    result = labs_import(capsys, db, DEMO_MRN, str(path), "--codes", str(codes))
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines()[-1] == "saved 368 lab result(s) for DEMO-CD7-001"
    assert keys(labs(db)) == keys(seed_labs())


def test_a_bad_codes_file_is_named_with_its_row(capsys: pytest.CaptureFixture[str], db: Path,
                                                tmp_path: Path) -> None:
    codes = tmp_path / "more-codes.csv"
    codes.write_text("code,system,test,unit\nK+,local,potassium,mmol/L\n", encoding="utf-8")
    path = write_wide_csv(tmp_path / "wide.csv", seed_labs()[:10])
    result = labs_import(capsys, db, DEMO_MRN, str(path), "--codes", str(codes))
    assert result.code == 1 and result.out == ""
    assert errors(result) == [f"hemalog: {codes} row 2: test 'potassium' is not one of wbc, "
                              "anc, alc, plt, hb, crp, ferritin, il6, bilirubin, creatinine, "
                              "car_t_pct, tcr_pct"]


# --- labs import-folder -------------------------------------------------------------------------
LEFT_ALONE = (".hidden.csv", "upload.csv.part", "~$book.xlsx", "copying.tmp", "x.crdownload")


@pytest.fixture
def drop(tmp_path: Path, ward_table: Path) -> Path:
    """A drop folder: two good files (all the seed's labs between them), one with an
    impossible value, one for a patient not in the database, and files being written."""
    folder = tmp_path / "drop"
    folder.mkdir()
    first = [lab for lab in seed_labs() if lab.date < SEED_DAYS[30]]
    rest = [lab for lab in seed_labs() if lab.date >= SEED_DAYS[30]]
    write_wide_csv(folder / "a-wide.csv", first, mrn=DEMO_MRN)
    write_oru(folder / "b.hl7", oru_messages(rest), "cr")

    def obx(m: int, test: Any, segment: str) -> str:
        if m == 2 and test.value == "hb":
            fields = segment.split("|")
            fields[5] = "31"
            return "|".join(fields)
        return segment
    write_oru(folder / "c-bad.hl7", oru_messages(seed_labs()[:40], obx=obx), "lf")
    write_wide_csv(folder / "d-other.csv", seed_labs()[:6], mrn="NOBODY-9")
    for name in LEFT_ALONE:
        (folder / name).write_text("Date,WBC\n2025-03-28,3.5\n", encoding="utf-8")
    save_lis_mapping()
    return folder


def save_lis_mapping() -> None:
    """The ward's saved columns of its lab system's wide export (as File ▸ Import lab
    results… saves them): a drop folder's tables are read with a mapping."""
    import os
    folder = Path(os.environ["HEMALOG_LAB_SETTINGS"]) / "lab-mappings"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lis.json").write_text(json.dumps({"name": "lis", "form": "wide",
                                                 "date": "Collection date", "mrn": "MRN"}),
                                     encoding="utf-8")


def age(folder: Path, seconds: float = 60) -> None:
    """The files dropped as the lab system leaves them: written a while ago."""
    import os
    import time
    for path in (folder.iterdir() if folder.is_dir() else ()):
        if path.is_file():
            then = time.time() - seconds
            os.utime(path, (then, then))


def folder_import(capsys: pytest.CaptureFixture[str], db: Path, folder: Path,
                  *extra: str) -> Run:
    age(folder)
    return run(capsys, "--db", str(db), "labs", "import-folder", str(folder), *extra)


def listing(folder: Path) -> dict[str, list[str]]:
    return {str(p.relative_to(folder)): sorted(c.name for c in p.iterdir())
            for p in [folder, *sorted(d for d in folder.iterdir() if d.is_dir())]}


def test_import_folder_moves_each_file_to_done_or_refused_with_its_reason(
        capsys: pytest.CaptureFixture[str], db: Path, drop: Path) -> None:
    result = folder_import(capsys, db, drop, "--mapping", "lis")
    assert result.code == 1 and errors(result) == []
    out = result.out.splitlines()
    n_first = len([lab for lab in seed_labs() if lab.date < SEED_DAYS[30]])
    assert out == [
        f"a-wide.csv: {n_first} lab result(s) saved -> {drop / 'done' / 'a-wide.csv'}",
        f"b.hl7: {368 - n_first} lab result(s) saved -> {drop / 'done' / 'b.hl7'}",
        f"c-bad.hl7: refused -> {drop / 'refused' / 'c-bad.hl7'} (message 2, OBX 3: the value "
        "310 g/L is impossible for hb (more than 300 g/L))",
        f"d-other.csv: refused -> {drop / 'refused' / 'd-other.csv'} (row 2, LEUKO-UL: for MRN "
        "'NOBODY-9', who is not in this database)",
    ]
    assert listing(drop) == {
        ".": sorted([*LEFT_ALONE, "done", "processing", "refused"]),
        "done": ["a-wide.csv", "b.hl7"],
        "processing": [],
        "refused": ["c-bad.hl7", "c-bad.hl7.reason.txt", "d-other.csv",
                    "d-other.csv.reason.txt"],
    }
    assert keys(labs(db)) == keys(seed_labs())
    reason = (drop / "refused" / "c-bad.hl7.reason.txt").read_text(encoding="utf-8").splitlines()
    assert reason[0] == ("message 2, OBX 3: the value 310 g/L is impossible for hb (more than "
                         "300 g/L)")
    assert "row by row:" in reason
    assert ("  message 2, OBX 3: 718-7 31 — REFUSED: the value 310 g/L is impossible for hb (more "
            "than 300 g/L)") in reason
    reason = (drop / "refused" / "d-other.csv.reason.txt").read_text(encoding="utf-8")
    assert reason.startswith("row 2, LEUKO-UL: for MRN 'NOBODY-9', who is not in this database\n")

    # a second run: nothing new, nothing done
    before, files = state(db), listing(drop)
    result = folder_import(capsys, db, drop)
    assert result.code == 0 and result.out == "" and errors(result) == []
    assert state(db) == before and listing(drop) == files


def test_a_file_dropped_again_is_imported_again_and_adds_nothing(
        capsys: pytest.CaptureFixture[str], db: Path, drop: Path) -> None:
    assert folder_import(capsys, db, drop, "--mapping", "lis").code == 1
    before = state(db)
    shutil.copy(drop / "done" / "b.hl7", drop / "b.hl7")
    result = folder_import(capsys, db, drop, "--mapping", "lis")
    assert result.code == 0
    (line,) = result.out.splitlines()
    assert line.startswith(f"b.hl7: 0 lab result(s) saved -> {drop / 'done' / 'b.'}")
    assert len(list((drop / "done").iterdir())) == 3          # the first kept, the second beside
    assert state(db) == before


def test_a_file_left_in_processing_by_a_stopped_run_is_taken_up(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, ward_table: Path) -> None:
    folder = tmp_path / "drop"
    (folder / "processing").mkdir(parents=True)
    write_oru(folder / "processing" / "left.hl7", oru_messages(seed_labs()), "crlf")
    result = folder_import(capsys, db, folder)
    assert result.code == 0 and result.out.startswith("left.hl7: 368 lab result(s) saved")
    assert (folder / "done" / "left.hl7").is_file()
    assert list((folder / "processing").iterdir()) == []
    assert keys(labs(db)) == keys(seed_labs())


def test_import_folder_of_a_missing_folder_is_one_line(capsys: pytest.CaptureFixture[str],
                                                       db: Path, tmp_path: Path) -> None:
    result = folder_import(capsys, db, tmp_path / "nowhere")
    assert result.code == 1 and errors(result) == [f"hemalog: {tmp_path / 'nowhere'}: no such "
                                                   "folder"]


def test_a_damaged_workbook_in_the_drop_folder_is_refused_not_stuck(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, ward_table: Path) -> None:
    """A crash on one file left it in processing/, to crash every later run (was an
    xml ParseError from a sheet cut short)."""
    import zipfile

    folder = tmp_path / "drop"
    folder.mkdir()
    good = write_long_xlsx(tmp_path / "good.xlsx", seed_labs()[:30])
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(folder / "a.xlsx", "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(item, data[:len(data) // 2] if item.filename.endswith("sheet1.xml")
                         else data)
    write_oru(folder / "b.hl7", oru_messages(seed_labs()[:30]))
    result = folder_import(capsys, db, folder)
    assert result.code == 1, result.err
    assert listing(folder)["refused"] == ["a.xlsx", "a.xlsx.reason.txt"]
    assert listing(folder)["done"] == ["b.hl7"]
    assert (folder / "refused" / "a.xlsx.reason.txt").read_text(encoding="utf-8").startswith(
        f"{folder / 'processing' / 'a.xlsx'}: not an XLSX workbook, or a damaged one")
    assert len(labs(db)) == 30


def test_the_dates_of_the_long_xlsx_are_date_times(tmp_path: Path) -> None:
    """The XLSX the tests make holds real date-times (a spreadsheet's cells)."""
    from openpyxl import load_workbook

    path = write_long_xlsx(tmp_path / "x.xlsx", seed_labs()[:3])
    sheet = load_workbook(path).active
    assert isinstance(sheet.cell(2, 1).value, datetime)


def test_a_refused_spreadsheet_zero_is_shown_in_the_preview(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, ward_table: Path) -> None:
    def spoil(rows: list[list[Any]]) -> None:
        rows.insert(2, [datetime(2025, 3, 28, 9), "K+", 0, "mmol/L"])
    path = write_long_xlsx(tmp_path / "k.xlsx", seed_labs()[:4], spoil=spoil)
    result = labs_import(capsys, db, DEMO_MRN, str(path))
    assert result.code == 1
    # the value 0 was shown as nothing ("K+ ")
    assert ("  row 3: K+ 0 — REFUSED: 'K+' is not a test in the lab code table; add it to the "
            "ward's table (lab-codes.csv) or leave it out") in result.out.splitlines()


def test_a_file_changed_moments_ago_waits_for_the_next_run(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    """The lab system may still be writing it: a file younger than --min-age is left
    where it is, said so, and taken by a later run."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    write_wide_csv(folder / "now.csv", seed_labs()[:4], mrn=DEMO_MRN)
    save_lis_mapping()
    result = run(capsys, "--db", str(db), "labs", "import-folder", str(folder),
                 "--min-age", "30", "--mapping", "lis")
    assert result.code == 0
    assert result.out.splitlines() == [
        "now.csv: changed 30 s ago or less (still being written?): left for the next run"]
    assert listing(folder) == {".": ["now.csv"]}
    later = folder_import(capsys, db, folder, "--mapping", "lis")   # a minute later
    assert later.code == 0 and later.out.startswith("now.csv: ")
    assert f"lab result(s) saved -> {folder / 'done' / 'now.csv'}" in later.out


def test_a_wide_file_with_a_column_hemalog_cannot_read_is_refused_without_a_mapping(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    """Nobody reads the preview of a drop folder: a column that is not a test would be
    lost without a word, so the file is refused, naming it."""
    folder = tmp_path / "drop2"
    folder.mkdir()
    (folder / "extra.csv").write_text(f"MRN,Date,WBC,Mystery\n{DEMO_MRN},2025-03-01,3.5,7\n",
                                      encoding="utf-8")
    result = folder_import(capsys, db, folder)
    assert result.code == 1
    reason = (folder / "refused" / "extra.csv.reason.txt").read_text("utf-8")
    assert "columns not read (not a test in the lab code table): 'Mystery'" in reason


def test_a_file_the_database_cannot_take_now_waits_in_processing(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy database is not the file's fault: it is not refused, it stays in
    processing/ and the next run imports it."""
    import sqlite3
    folder = tmp_path / "drop3"
    folder.mkdir()
    write_oru(folder / "r.hl7", oru_messages(seed_labs()[:8]), "cr")
    monkeypatch.setenv("HEMALOG_BUSY_TIMEOUT", "0")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")          # another program holds the write lock
    try:
        result = folder_import(capsys, db, folder)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 1
    assert "r.hl7: not imported now, kept in processing/ for the next run" in result.out
    assert listing(folder) == {".": ["processing"], "processing": ["r.hl7"]}
    again = folder_import(capsys, db, folder)
    assert again.code == 0 and again.out.startswith("r.hl7: ")
    assert (folder / "done" / "r.hl7").is_file()
