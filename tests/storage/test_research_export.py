"""`hemalog export --all --format csv -o DIR [--deidentified]` (issue 17): one CSV per
kind joined by a stable pseudonymous key, and a REDCap data dictionary that matches."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import main
from clinical.record import Record, Sex
from clinical.record_schema import parse_record
from clinical.research import REDCAP_HEADER, TABLES
from resources import DEMO_RECORD
from storage.research_export import write_research


@pytest.fixture(scope="module")
def seed() -> Record:
    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert problems == [] and record is not None
    return record


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def two_patients(store: Any, seed: Record) -> Any:
    second = dataclasses.replace(seed, patient=dataclasses.replace(
        seed.patient, mrn="R-2", name="王芳", sex=Sex.FEMALE, notes="seen by Dr Li"))
    store.add_records([seed, second])
    return store


def test_every_kind_has_its_file_and_the_dictionary_lists_every_column(
        two_patients: Any, seed: Record, tmp_path: Path) -> None:
    out = tmp_path / "study"
    counts = write_research(two_patients, out, database=None)
    assert counts["labs.csv"] == 2 * len(seed.labs)
    assert counts["drug_lines.csv"] == 2 * sum(len(c.drugs) for c in seed.courses)
    dictionary = _read(out / "data_dictionary.csv")
    assert list(dictionary[0]) == list(REDCAP_HEADER)
    assert dictionary[0]["Variable / Field Name"] == "record_id"
    described = {r["Variable / Field Name"]: r for r in dictionary}
    for table in TABLES:
        rows = _read(out / f"{table}.csv")
        assert rows, table
        for column in rows[0]:
            assert column in described, (table, column)
        form = {described[c]["Form Name"] for c in rows[0] if c != "record_id"}
        assert form == {table}
    keys = {r["record_id"] for r in _read(out / "patients.csv")}
    assert len(keys) == 2
    assert {r["record_id"] for r in _read(out / "labs.csv")} == keys
    patients = {r["mrn"]: r for r in _read(out / "patients.csv")}
    assert patients["R-2"]["name"] == "王芳" and patients["R-2"]["patient_notes"] == "seen by Dr Li"
    crs = next(r for r in _read(out / "assessments.csv") if r["assessment_kind"] == "crs")
    assert (crs["assessment_grade"], crs["assessment_reason"]) == (
        "3", "grade 3: one vasopressor (dopamine)")
    graded = [r for r in _read(out / "labs.csv") if r["lab_ctcae_grade"]]
    assert graded and all(r["lab_test"] in {"wbc", "anc", "alc", "plt", "hb"} for r in graded)


def test_the_key_is_stable_and_not_made_from_the_mrn(two_patients: Any, tmp_path: Path,
                                                     seed: Record) -> None:
    import hashlib
    write_research(two_patients, tmp_path / "a", database=None)
    write_research(two_patients, tmp_path / "b", database=None)
    first = _read(tmp_path / "a" / "patients.csv")
    second = _read(tmp_path / "b" / "patients.csv")
    assert [r["record_id"] for r in first] == [r["record_id"] for r in second]
    for row in first:
        assert row["record_id"] not in (row["mrn"], hashlib.sha256(row["mrn"].encode())
                                        .hexdigest()[:16])


def test_a_deidentified_export_holds_no_name_mrn_birth_date_or_notes(
        two_patients: Any, tmp_path: Path, seed: Record) -> None:
    out = tmp_path / "deid"
    write_research(two_patients, out, database=None, deidentified=True)
    text = "\n".join(p.read_text("utf-8") for p in sorted(out.glob("*.csv")))
    for secret in ("王芳", "R-2", seed.patient.mrn, seed.patient.name, "seen by Dr Li"):
        assert secret not in text
    assert all(e.notes is None or e.notes not in text for e in seed.events)
    dictionary = {r["Variable / Field Name"] for r in _read(out / "data_dictionary.csv")}
    assert not dictionary & {"mrn", "name", "birth_date", "patient_notes", "event_notes"}


def test_a_folder_with_files_is_never_written_into(two_patients: Any, tmp_path: Path) -> None:
    from clinical.errors import HemalogError
    out = tmp_path / "full"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(HemalogError, match="not empty"):
        write_research(two_patients, out, database=None)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    a_file = tmp_path / "file.csv"
    a_file.write_text("x")
    with pytest.raises(HemalogError, match="not a folder"):
        write_research(two_patients, a_file, database=None)
    assert a_file.read_text() == "x"
    # An empty folder is taken; nothing is left beside it.
    empty = tmp_path / "exports" / "empty"
    empty.mkdir(parents=True)
    write_research(two_patients, empty, database=None)
    assert (empty / "labs.csv").is_file()
    assert [p.name for p in empty.parent.iterdir()] == ["empty"]


def test_a_failed_write_leaves_nothing_behind(two_patients: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import storage.research_export as research
    from clinical.errors import HemalogError

    def full_disk(*_a: Any, **_k: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(research, "redcap_dictionary", full_disk)
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(HemalogError, match="No space left on device"):
        write_research(two_patients, folder / "out", database=None)
    assert list(folder.iterdir()) == []


def test_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ward.db"
    assert main.main(["--db", str(db), "demo"]) == 0
    out = tmp_path / "export"
    assert main.main(["--db", str(db), "export", "--all", "--format", "csv",
                      "-o", str(out), "--deidentified"]) == 0
    assert "labs.csv: 368 row(s)" in capsys.readouterr().out
    for argv, words in ((["export", "--all", "--format", "csv"], "give -o DIR"),
                        (["export", "--all"], "--all --format csv -o DIR"),
                        (["export", "DEMO-CD7-001", "--all", "--format", "csv", "-o",
                          str(tmp_path / "x")], "give no MRN"),
                        (["export"], "give the MRN")):
        assert main.main(["--db", str(db), *argv]) == 1
        assert words in capsys.readouterr().err
