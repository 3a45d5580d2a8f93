"""Bad input on the command line: exit 1, one `hemalog: ...` line per problem, nothing changed.

Every case runs ``main.main([...])`` in-process against a database that already
holds the demo patient, and checks the exit code, that stderr names the file or
JSON path, that no traceback leaks, and that the database is untouched.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import main
from storage.repository import SqliteStore

Doc = dict[str, Any]
Key = str | int

NEW_MRN = "BAD-0001"


@dataclass(frozen=True)
class Run:
    """What one in-process run of the command line produced."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    code = main.main(list(argv))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def counts(db: Path) -> dict[str, int]:
    with SqliteStore(db, user="t") as store:
        return store.counts()


def write_doc(path: Path, doc: Doc) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def json_path(keys: tuple[Key, ...]) -> str:
    """('courses', 0, 'drugs', 0, 'dose') -> 'courses[0].drugs[0].dose'."""
    out = ""
    for key in keys:
        out = f"{out}[{key}]" if isinstance(key, int) else (f"{out}.{key}" if out else key)
    return out


def put(doc: Doc, keys: tuple[Key, ...], value: Any) -> str:
    """Set the value at ``keys`` and return its JSON path."""
    node: Any = doc
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value
    return json_path(keys)


def index_of(items: list[Doc], **match: Any) -> int:
    """Index of the first item whose keys equal ``match``."""
    return next(i for i, item in enumerate(items)
                if all(item.get(k) == v for k, v in match.items()))


def assert_bad_input(result: Run, *fragments: str) -> None:
    """Exit 1, only `hemalog: ` lines on stderr, each fragment on some line, no traceback."""
    assert result.code == 1, result.err
    assert "Traceback" not in result.out + result.err
    assert result.lines, "no message on stderr"
    assert all(line.startswith("hemalog: ") for line in result.lines), result.err
    for fragment in fragments:
        assert any(fragment in line for line in result.lines), f"{fragment!r} not in:\n{result.err}"


@pytest.fixture
def seeded_db(db_path: Path, demo_record_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database that already holds the demo patient."""
    assert main.main(["--db", str(db_path), "import", str(demo_record_path)]) == 0
    capsys.readouterr()
    return db_path


@pytest.fixture
def demo_doc(demo_record_path: Path) -> Doc:
    return json.loads(demo_record_path.read_text(encoding="utf-8"))


@pytest.fixture
def new_doc(demo_doc: Doc) -> Doc:
    """The demo record under an MRN not yet in the database (a valid, importable record)."""
    demo_doc["patient"]["mrn"] = NEW_MRN
    return demo_doc


# --- documents with one thing wrong -----------------------------------------------

def _wrong_format(d: Doc) -> str:
    return put(d, ("format",), "hemalog.recrod")


def _wrong_version(d: Doc) -> str:
    return put(d, ("version",), 2)


def _unknown_key_in_lab(d: Doc) -> str:
    d["labs"][3]["valu"] = d["labs"][3].pop("value")
    return "labs[3].valu"


def _extra_key_in_marrow(d: Doc) -> str:
    return put(d, ("marrow", 1, "colour"), "red")


def _unknown_key_top_level(d: Doc) -> str:
    return put(d, ("colour",), "red")


def _dose_as_text(d: Doc) -> str:
    return put(d, ("courses", 0, "drugs", 0, "dose"), "200")


def _dose_zero(d: Doc) -> str:
    return put(d, ("courses", 0, "drugs", 0, "dose"), 0)


def _doses_per_day_zero(d: Doc) -> str:
    return put(d, ("courses", 1, "drugs", 0, "doses_per_day"), 0)


def _ice_score_11(d: Doc) -> str:
    i = index_of(d["assessments"], kind="icans")
    return put(d, ("assessments", i, "findings", "ice_score"), 11)


def _rash_over_100(d: Doc) -> str:
    i = index_of(d["assessments"], kind="agvhd")
    return put(d, ("assessments", i, "findings", "skin_rash_bsa_pct"), 120)


def _blasts_over_100(d: Doc) -> str:
    return put(d, ("marrow", 0, "blasts_pct"), 101)


def _chimerism_over_100(d: Doc) -> str:
    i = index_of(d["marrow"], date="2025-06-18")
    return put(d, ("marrow", i, "donor_chimerism_pct"), 100.5)


def _car_t_over_100(d: Doc) -> str:
    i = index_of(d["labs"], test="car_t_pct")
    return put(d, ("labs", i, "value"), 150)


def _organ_score_4(d: Doc) -> str:
    i = index_of(d["assessments"], kind="cgvhd")
    return put(d, ("assessments", i, "findings", "skin"), 4)


def _impossible_date(d: Doc) -> str:
    i = index_of(d["events"], type="hsct")
    return put(d, ("events", i, "date"), "2025-02-30")


def _hb_in_mmol(d: Doc) -> str:
    i = index_of(d["labs"], test="hb")
    d["labs"][i]["value"] = 5.0
    return put(d, ("labs", i, "unit"), "mmol/L")


def _mrd_below_the_assay_limit(d: Doc) -> str:
    """Part A 1.1: MRD above 0 but below the stated limit contradicts the assay."""
    i = index_of(d["marrow"], date="2025-06-18")
    d["marrow"][i]["mrd_lod_pct"] = 0.01
    return put(d, ("marrow", i, "mrd_pct"), 0.005)


Mutation = Callable[[Doc], str]

ONE_PROBLEM: dict[str, Mutation] = {
    "wrong format": _wrong_format,
    "wrong version": _wrong_version,
    "unknown key in a lab": _unknown_key_in_lab,
    "unknown key in a marrow result": _extra_key_in_marrow,
    "unknown key at top level": _unknown_key_top_level,
    "wrong type: dose as text": _dose_as_text,
    "out of range: dose 0": _dose_zero,
    "out of range: doses_per_day 0": _doses_per_day_zero,
    "out of range: ice_score 11": _ice_score_11,
    "out of range: rash 120 %": _rash_over_100,
    "out of range: blasts 101 %": _blasts_over_100,
    "out of range: chimerism 100.5 %": _chimerism_over_100,
    "out of range: CAR-T 150 %": _car_t_over_100,
    "out of range: cGVHD organ score 4": _organ_score_4,
    "impossible date 2025-02-30": _impossible_date,
    "unknown unit: hb in mmol/L": _hb_in_mmol,
    "MRD 0.005 % below an assay limit of 0.01 %": _mrd_below_the_assay_limit,
}


@pytest.mark.parametrize("mutate", ONE_PROBLEM.values(), ids=ONE_PROBLEM.keys())
def test_bad_document_is_refused_naming_its_json_path(
        mutate: Mutation, seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """One bad value: exit 1, a line `<file>: <json path>: ...`, nothing imported."""
    where = mutate(new_doc)
    bad = write_doc(tmp_path / "bad.json", new_doc)
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(bad))
    assert_bad_input(result, f"{bad}: {where}: ")
    assert counts(seeded_db) == before


# --- files that are not records ------------------------------------------------------

def test_missing_file(seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that does not exist is named, with 'no such file'."""
    missing = tmp_path / "nowhere.json"
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(missing))
    assert_bad_input(result, f"{missing}: no such file")
    assert counts(seeded_db) == before


def test_not_json(seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A text file that is not JSON is named as not valid JSON."""
    bad = tmp_path / "notes.json"
    bad.write_text("Patient seen on the ward; CRP rising.\n", encoding="utf-8")
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(bad))
    assert_bad_input(result, f"{bad}: not valid JSON")
    assert counts(seeded_db) == before


@pytest.mark.parametrize("where", ["top", "lab", "finding"])
def test_a_key_given_twice_is_refused_naming_it(seeded_db: Path, new_doc: Doc, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                where: str) -> None:
    """json would keep the second value and drop the first without a word; the import
    refuses the file naming the key, and nothing is imported."""
    text = json.dumps(new_doc, indent=1, ensure_ascii=False)
    if where == "top":
        key = "patient"
        text = text.replace('{\n "', '{\n "patient": {}, \n "', 1)
    elif where == "lab":
        key = "value"
        text = text.replace(' "value": ', ' "value": 99, "value": ', 1)
    else:
        key = "temperature_c"
        text = text.replace('"temperature_c": ', '"temperature_c": 36.5, "temperature_c": ', 1)
    assert text.count(f'"{key}"') > json.dumps(new_doc).count(f'"{key}"')
    bad = tmp_path / "twice.json"
    bad.write_text(text, encoding="utf-8")
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(bad))
    assert_bad_input(result, f'{bad}: the key "{key}" is given twice in one object')
    assert counts(seeded_db) == before


def test_truncated_json(seeded_db: Path, new_doc: Doc, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    """The record cut in half is reported as cut off, naming the file."""
    text = json.dumps(new_doc, indent=1)
    bad = tmp_path / "half.json"
    bad.write_text(text[: len(text) // 2], encoding="utf-8")
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(bad))
    # The "was it cut off?" hint appears only when the cut falls between tokens; a cut
    # inside a string is reported as an unterminated string. Either names the file.
    assert_bad_input(result, f"{bad}: not valid JSON")
    assert counts(seeded_db) == before


# --- duplicate MRNs --------------------------------------------------------------------

def test_demo_patient_imported_again(seeded_db: Path, demo_record_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """An MRN already in the database is refused: `<file>: patient.mrn: ...`."""
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(demo_record_path))
    assert_bad_input(result, f"{demo_record_path}: patient.mrn: DEMO-CD7-001 is already")
    assert counts(seeded_db) == before


def test_same_new_mrn_in_two_files(seeded_db: Path, new_doc: Doc, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Two files with the same new MRN in one command: refused, neither imported."""
    first = write_doc(tmp_path / "first.json", new_doc)
    second = write_doc(tmp_path / "second.json", new_doc)
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(first), str(second))
    assert_bad_input(result, f"{second}: patient.mrn: {NEW_MRN} is also in {first}")
    assert counts(seeded_db) == before


# --- databases that cannot be written --------------------------------------------------

def test_locked_database(seeded_db: Path, new_doc: Doc, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    """Another writer holds the lock: exit 1 after the busy timeout, database named."""
    record = write_doc(tmp_path / "new.json", new_doc)
    before = counts(seeded_db)
    lock = sqlite3.connect(seeded_db, isolation_level=None)
    try:
        lock.execute("BEGIN IMMEDIATE")
        result = run(capsys, "--db", str(seeded_db), "import", str(record))
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert_bad_input(result, f"{seeded_db}: the database is locked")
    assert counts(seeded_db) == before


def test_read_only_database(seeded_db: Path, new_doc: Doc, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    """A database file without write permission (honoured even for root) is not written."""
    record = write_doc(tmp_path / "new.json", new_doc)
    before = counts(seeded_db)
    os.chmod(seeded_db, 0o444)
    try:
        result = run(capsys, "--db", str(seeded_db), "import", str(record))
    finally:
        os.chmod(seeded_db, 0o644)
    assert_bad_input(result, f"{seeded_db}: the database file is read-only")
    assert counts(seeded_db) == before


def test_file_that_is_not_a_database(new_doc: Doc, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A text file given as --db is named as not a database and left byte-for-byte as it was."""
    not_db = tmp_path / "notes.txt"
    not_db.write_text("ward notes, not a database\n" * 50, encoding="utf-8")
    original = not_db.read_bytes()
    record = write_doc(tmp_path / "new.json", new_doc)
    result = run(capsys, "--db", str(not_db), "import", str(record))
    assert_bad_input(result, f"{not_db}: this file is not a hemalog database")
    assert not_db.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json", "notes.txt"]


# --- all or nothing, every problem at once ---------------------------------------------

def test_every_problem_in_a_file_is_reported_at_once(
        seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Several independent problems give exactly one line each, all in one run."""
    mutations = [_dose_as_text, _doses_per_day_zero, _ice_score_11, _organ_score_4,
                 _impossible_date, _hb_in_mmol, _extra_key_in_marrow, _blasts_over_100]
    paths = [mutate(new_doc) for mutate in mutations]
    bad = write_doc(tmp_path / "many.json", new_doc)
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(bad))
    assert_bad_input(result, *(f"{bad}: {p}: " for p in paths))
    problems = [line for line in result.lines if line != main.NO_ACCOUNTS_NOTE]
    assert len(problems) == len(paths), result.err
    assert counts(seeded_db) == before


def test_second_file_bad_imports_nothing_from_the_first(
        seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A good file followed by a bad one: the good one is not imported either."""
    good = write_doc(tmp_path / "good.json", new_doc)
    new_doc["patient"]["mrn"] = "BAD-0002"
    where = _dose_zero(new_doc)
    bad = write_doc(tmp_path / "bad.json", new_doc)
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(good), str(bad))
    assert_bad_input(result, f"{bad}: {where}: ")
    assert all(str(good) not in line for line in result.lines)
    assert counts(seeded_db) == before
    missing = run(capsys, "--db", str(seeded_db), "export", NEW_MRN)
    assert_bad_input(missing, f"no patient with MRN {NEW_MRN}")


def test_a_refused_import_creates_no_database_file(
        new_doc: Doc, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad file imported into a database that does not exist yet: refused, naming the
    field, and no new (empty) database file left where the next command would find it."""
    good_doc = json.loads(json.dumps(new_doc))
    where = _dose_zero(new_doc)
    bad = write_doc(tmp_path / "bad.json", new_doc)
    fresh = tmp_path / "new-ward.db"
    result = run(capsys, "--db", str(fresh), "import", str(bad))
    assert_bad_input(result, f"{bad}: {where}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]
    good = write_doc(tmp_path / "good.json", good_doc)
    assert run(capsys, "--db", str(fresh), "import", str(good)).code == 0
    assert fresh.exists()


# --- internal errors ----------------------------------------------------------------------

def test_internal_error_exits_2_and_names_a_log_with_the_frames_not_the_message(
        seeded_db: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An unexpected exception: exit 2, no traceback on screen, the log file holds where
    it happened but not its message, which may hold record values."""
    def explode(*args: object, **kwargs: object) -> str:
        raise RuntimeError("simulated failure in export")

    monkeypatch.setattr("storage.record_files.export_text", explode)
    result = run(capsys, "--db", str(seeded_db), "export", "DEMO-CD7-001")
    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    match = re.search(r"internal error \(RuntimeError\); details are in (.+)$", result.err.strip())
    assert match, result.err
    log = Path(match.group(1))
    assert log.is_file()
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "explode" in text    # the type and the frames...
    assert "simulated failure" not in text                 # ...never a message (record values)


# --- extreme values: bad input (exit 1 naming the path), never a crash -------------------

def _huge_dose(d: Doc) -> str:
    return put(d, ("courses", 0, "drugs", 0, "dose"), 10**30)


def _huge_lab_value_stored_unit(d: Doc) -> str:
    return put(d, ("labs", index_of(d["labs"], test="hb"), "value"), 10**30)


def _huge_lab_value_converted(d: Doc) -> str:
    i = index_of(d["labs"], test="hb")
    d["labs"][i]["unit"] = "g/dL"
    return put(d, ("labs", i, "value"), 10**400)


def _lone_surrogate_in_name(d: Doc) -> str:
    return put(d, ("patient", "name"), "Zhang \ud800")


EXTREME: dict[str, Mutation] = {
    "dose 10**30": _huge_dose,
    "hb 10**30 g/L": _huge_lab_value_stored_unit,
    "hb 10**400 g/dL": _huge_lab_value_converted,
    "lone surrogate \\ud800 in a name": _lone_surrogate_in_name,
}


@pytest.mark.parametrize("mutate", EXTREME.values(), ids=EXTREME.keys())
def test_extreme_values_are_bad_input_not_a_crash(
        mutate: Mutation, seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON-valid but absurd value must be exit 1 naming its path, not an internal error."""
    where = mutate(new_doc)
    bad = tmp_path / "absurd.json"
    bad.write_text(json.dumps(new_doc), encoding="ascii")  # \ud800 stays an escape
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(bad))
    assert counts(seeded_db) == before
    assert_bad_input(result, f"{bad}: {where}: ")


def test_number_with_too_many_digits_is_bad_input(
        seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A 5000-digit number must be reported as bad input naming the file, not crash."""
    new_doc["courses"][0]["drugs"][0]["dose"] = 123456789
    text = json.dumps(new_doc).replace("123456789", "9" * 5000, 1)
    bad = tmp_path / "digits.json"
    bad.write_text(text, encoding="utf-8")
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(bad))
    assert counts(seeded_db) == before
    assert_bad_input(result, f"{bad}: ")


def test_unknown_top_level_key_does_not_hide_other_problems(
        seeded_db: Path, new_doc: Doc, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown top-level key and a bad dose are both reported in the same run."""
    paths = [_unknown_key_top_level(new_doc), _dose_zero(new_doc)]
    bad = write_doc(tmp_path / "two.json", new_doc)
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(bad))
    assert counts(seeded_db) == before
    assert_bad_input(result, *(f"{bad}: {p}: " for p in paths))


def test_the_app_without_a_screen_says_so(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    """`hemalog` with no command and no display: exit 1 and a sentence, not a Qt abort."""
    import sys as _sys

    monkeypatch.setattr(_sys, "platform", "linux")
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    assert main.main(["--db", str(tmp_path / "x.db")]) == 1
    assert "no screen" in capsys.readouterr().err
