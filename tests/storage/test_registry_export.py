"""`hemalog registry`: every patient's CAR-T and HSCT rows as one CSV (issue 17), on
both backends; the command line end to end."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest

import main
from clinical.derive import derive
from clinical.record import Patient, Record, Sex
from clinical.record_schema import parse_record
from clinical.registry import HEADER, registry_rows, rows_as_text
from resources import DEMO_RECORD
from storage.registry_export import registry_csv


@pytest.fixture(scope="module")
def seed() -> Record:
    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert problems == [] and record is not None
    return record


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_is_what_the_whole_records_say(store: Any, seed: Record) -> None:
    """The export reads only ANC and PLT of the labs: its rows are those of the whole
    record; a patient without CAR-T or HSCT gives none."""
    second = dataclasses.replace(seed, patient=dataclasses.replace(
        seed.patient, mrn="REG-2", name="Wang Fang", sex=Sex.FEMALE))
    store.add_records([seed, second])
    store.patients.add(Patient(mrn="REG-3", name="No Therapy", diagnosis="AML"))
    text, count = registry_csv(store)
    rows = _rows(text)
    assert count == 4 and len(rows) == 4
    assert list(rows[0]) == list(HEADER)
    expected = []
    for record in (seed, second):
        saved = store.load_record(store.patients.get_by_mrn(record.patient.mrn).id)
        expected += rows_as_text(registry_rows(saved, derive(saved)))
    assert [[r[h] for h in HEADER] for r in rows] == [list(e) for e in expected]
    cart = rows[0]
    assert (cart["record_type"], cart["crs_onset_day"], cart["crs_worst_grade"]) == ("cart", "3", "3")
    hsct = rows[1]
    assert (hsct["neutrophil_engraftment_day"], hsct["platelet_engraftment_day"]) == ("14", "45")
    assert [r["mrn"] for r in rows] == ["DEMO-CD7-001", "DEMO-CD7-001", "REG-2", "REG-2"]


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(store: Any, seed: Record) -> None:
    hostile = dataclasses.replace(seed, patient=dataclasses.replace(
        seed.patient, mrn="-2+3", diagnosis='=HYPERLINK("http://x","click")'))
    store.add_records([hostile])
    rows = _rows(registry_csv(store)[0])
    assert rows[0]["diagnosis"] == '\'=HYPERLINK("http://x","click")'
    assert rows[0]["mrn"] == "'-2+3"
    assert rows[0]["crs_onset_day"] == "3"       # numbers stay numbers


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_writes_the_file_once_whole(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ward.db"
    assert _run(capsys, "--db", str(db), "demo")[0] == 0
    out = tmp_path / "registry.csv"
    code, stdout, _err = _run(capsys, "--db", str(db), "registry", "-o", str(out))
    assert code == 0 and "wrote 2 registry row(s)" in stdout
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")            # a spreadsheet reads it as UTF-8
    rows = _rows(raw.decode("utf-8-sig"))
    assert [r["record_type"] for r in rows] == ["cart", "hsct"]
    code, _, _ = _run(capsys, "--db", str(db), "registry", "-o", str(out), "--from", "2025-05-01")
    assert code == 0 and [r["record_type"] for r in _rows(out.read_text("utf-8-sig"))] == ["hsct"]


@pytest.mark.parametrize("argv, fragment", [
    (["--from", "2025-13-01"], "--from: '2025-13-01' is not a date"),
    (["--from", "2025-06-01", "--to", "2025-05-01"], "--from 2025-06-01 is after --to"),
])
def test_bad_dates_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             argv: list[str], fragment: str) -> None:
    db = tmp_path / "ward.db"
    assert _run(capsys, "--db", str(db), "demo")[0] == 0
    out = tmp_path / "r.csv"
    code, _out, err = _run(capsys, "--db", str(db), "registry", "-o", str(out), *argv)
    assert code == 1 and fragment in err and "Traceback" not in err
    assert not out.exists()


def test_the_database_is_never_the_output(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ward.db"
    assert _run(capsys, "--db", str(db), "demo")[0] == 0
    before = db.read_bytes()
    code, _out, err = _run(capsys, "--db", str(db), "registry", "-o", str(db))
    assert code == 1 and "is the database" in err
    assert db.read_bytes() == before


def test_the_lean_lab_reader_reads_what_the_careful_one_reads(store: Any, seed: Record) -> None:
    from datetime import date as day

    from clinical.record import LabTest
    (patient,) = store.add_records([seed])
    tests = (LabTest.ANC, LabTest.PLT)
    since = day(2025, 5, 23)
    careful = [lab for lab in store.labs.list(patient.id)
               if lab.test in tests and lab.date >= since]
    assert store.labs.of_tests(patient.id, tests, since) == careful and careful
    assert store.labs.of_tests(patient.id, ()) == []


@pytest.mark.sqlite_only
def test_a_lab_stored_in_a_form_hemalog_never_writes_is_named(store: Any, seed: Record) -> None:
    from clinical.errors import HemalogError
    from clinical.record import LabTest
    (patient,) = store.add_records([seed])
    row = store.sql.query_one("SELECT id FROM labs WHERE test = 'anc' ORDER BY id LIMIT 1")
    store.sql.execute("DROP TRIGGER IF EXISTS labs_audited_update")
    for trigger in [r["name"] for r in store.sql.query(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'labs'")]:
        store.sql.execute(f"DROP TRIGGER {trigger}")
    store.sql.execute("UPDATE labs SET date = '2025/06/01' WHERE id = ?", [row["id"]])
    with pytest.raises(HemalogError, match=f"labs row {row['id']}: date is stored in a form"):
        store.labs.of_tests(patient.id, (LabTest.ANC,))
