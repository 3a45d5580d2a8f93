"""Issue 13, findings 7 and 8 on the command line: hostile text, undecodable arguments,
stored values in a legacy form, and what a crash log may hold.

Each case runs the command line against a real database in tmp_path (in-process
with ``main.main``, or as a subprocess where the bytes of argv matter) and checks
the exit code, the message, and what reached the terminal or the disk.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import main
from resources import DEMO_MRN
from storage.codec import row_problems
from tests.cli.test_bad_input import assert_bad_input, counts, run

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_NAME = "Evil\x1b[2J\x1b]0;owned\x07 Name\x00"
SPOOFED_NAME = "Ann \u202eeeL"


@pytest.fixture
def seeded_db(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database holding the demo patient, loaded with the `demo` command."""
    assert main.main(["--db", str(db_path), "demo"]) == 0
    capsys.readouterr()
    return db_path


def _record(demo_record_path: Path, tmp_path: Path, **patient: Any) -> Path:
    doc = json.loads(demo_record_path.read_text(encoding="utf-8"))
    doc["patient"].update(mrn="HOSTILE-1", **patient)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _set_stored(db: Path, sql: str, *params: object) -> None:
    """Write into a table directly, as an older version or another program might have."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql, params)
    conn.close()


def _hemalog_bytes(*args: bytes | str) -> subprocess.CompletedProcess[bytes]:
    """Run main.py with raw argv bytes, as a shell passes a name that is not UTF-8."""
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args],
                          capture_output=True, cwd=ROOT)


# --- finding 7: hostile text -----------------------------------------------------------

@pytest.mark.parametrize("name, message", [
    (HOSTILE_NAME, "patient.name: contains a control character (U+001B) at position 5"),
    (SPOOFED_NAME, "patient.name: contains a bidirectional control character (U+202E) "
                   "at position 5"),
])
def test_import_refuses_a_name_with_control_or_bidi_characters(
        seeded_db: Path, demo_record_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], name: str, message: str) -> None:
    bad = _record(demo_record_path, tmp_path, name=name)
    before = counts(seeded_db)
    result = run(capsys, "--db", str(seeded_db), "import", str(bad))
    assert_bad_input(result, f"{bad}: {message}; remove it")
    assert counts(seeded_db) == before


def test_list_shows_a_stored_hostile_name_as_escapes(
        seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name stored before the rule (or by another program) cannot act on the terminal."""
    _set_stored(seeded_db, "UPDATE patients SET name = ?, diagnosis = ? WHERE mrn = ?",
                HOSTILE_NAME, SPOOFED_NAME, DEMO_MRN)
    result = run(capsys, "--db", str(seeded_db), "list")
    assert result.code == 0, result.err
    assert result.out == (f"{DEMO_MRN}\tEvil\\x1b[2J\\x1b]0;owned\\x07 Name\\x00\tmale\t"
                          "Ann \\u202eeeL\n")


def test_error_messages_show_typed_control_characters_as_escapes(
        seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--db", str(seeded_db), "export", "A\x1b[2J\u202e")
    assert_bad_input(result, "no patient with MRN A\\x1b[2J\\u202e in ")
    assert "\x1b" not in result.err and "\u202e" not in result.err


@pytest.mark.parametrize("where", ["--user", "HEMALOG_USER"])
def test_a_user_name_with_a_control_character_is_refused(
        seeded_db: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """The acting user goes into every audit row: the rule for names applies to it."""
    argv = ["--db", str(seeded_db), "list"]
    if where == "--user":
        argv[:0] = ["--user", "nurse\x07"]
    else:
        monkeypatch.setenv("HEMALOG_USER", "nurse\u202e")
    result = run(capsys, *argv)
    kind = "a control character (U+0007)" if where == "--user" else \
        "a bidirectional control character (U+202E)"
    assert_bad_input(result, f"{where}: contains {kind} at position 6; remove it")


# --- finding 8: undecodable arguments --------------------------------------------------

def test_arguments_that_are_not_utf8_are_bad_input_naming_the_argument(
        seeded_db: Path) -> None:
    """Real argv bytes (surrogateescape on Linux): exit 1 and a sentence, not exit 2."""
    mrn = _hemalog_bytes("--db", str(seeded_db), "export", b"DEMO\xff")
    user = _hemalog_bytes("--db", str(seeded_db), "--user", b"ann\xfe", "list")
    assert (mrn.returncode, mrn.stdout) == (1, b"")
    assert mrn.stderr.decode() == ("hemalog: MRN: not valid text (byte 0xff); "
                                   "use only characters that are valid UTF-8\n")
    assert user.returncode == 1
    assert user.stderr.decode() == ("hemalog: --user: not valid text (byte 0xfe); "
                                    "use only characters that are valid UTF-8\n")


def test_a_file_name_that_is_not_utf8_is_bad_input(
        seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--db", str(seeded_db), "import", "rec\udcff.json")
    assert_bad_input(result, "FILE: not valid text (byte 0xff)")


# --- finding 8: stored values hemalog cannot read --------------------------------------

def test_a_legacy_birth_date_is_a_message_naming_row_and_field_not_a_crash(
        seeded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _set_stored(seeded_db, "UPDATE patients SET birth_date = '12/03/1970' WHERE mrn = ?",
                DEMO_MRN)
    (row_id,) = sqlite3.connect(seeded_db).execute(
        "SELECT id FROM patients WHERE mrn = ?", [DEMO_MRN]).fetchone()
    expected = (f"patients row {row_id}: birth_date is stored in a form hemalog cannot read; "
                "run hemalog verify")
    for command in (["export", DEMO_MRN], ["list"]):
        result = run(capsys, "--db", str(seeded_db), *command)
        assert_bad_input(result, expected)
        assert "12/03/1970" not in result.err


@pytest.mark.parametrize("table, column, value", [
    ("patients", "birth_date", "1970-W11-4"),   # Python reads it; hemalog never wrote it
    ("patients", "sex", "M"),
    ("patients", "immunophenotype", "{not json"),
    ("patients", "immunophenotype", '{"CD7": "maybe"}'),
    ("patients", "name", b"Ann Lee"),  # a BLOB where text belongs
    ("labs", "value", "high"),
    ("labs", "test", "haemoglobin"),
    ("drug_lines", "days", '"1,2,3"'),
    ("events", "details", "[1, 2]"),
    ("assessments", "date", "2024-02-30"),
])
def test_every_unreadable_stored_form_is_named_by_table_row_and_field(
        seeded_db: Path, capsys: pytest.CaptureFixture[str],
        table: str, column: str, value: object) -> None:
    """What `verify` can call for each row (row_problems) and what export then says."""
    conn = sqlite3.connect(seeded_db)
    conn.row_factory = sqlite3.Row
    (row_id,) = conn.execute(f"SELECT min(id) FROM {table}").fetchone()
    conn.close()
    _set_stored(seeded_db, f"UPDATE {table} SET {column} = ? WHERE id = ?", value, row_id)
    conn = sqlite3.connect(seeded_db)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id]).fetchone())
    conn.close()
    expected = (f"{table} row {row_id}: {column} is stored in a form hemalog cannot read; "
                "run hemalog verify")
    assert row_problems(table, row) == [expected]
    result = run(capsys, "--db", str(seeded_db), "export", DEMO_MRN)
    assert_bad_input(result, expected)
    assert str(value) not in result.err and "Ann Lee" not in result.err


# --- finding 8: crash logs hold no record values ---------------------------------------

def test_a_crash_log_names_where_and_what_type_but_not_the_message(
        seeded_db: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    secret = "Zhang Wei-Secret"

    def explode(*args: object, **kwargs: object) -> str:
        try:
            raise KeyError(f"MRN {secret}")
        except KeyError:
            raise RuntimeError(f"could not export {secret}") from None

    monkeypatch.setattr("storage.record_files.export_text", explode)
    result = run(capsys, "--db", str(seeded_db), "export", DEMO_MRN)
    assert result.code == 2
    match = re.search(r"internal error \(RuntimeError\); details are in (.+)$", result.err.strip())
    assert match, result.err
    text = Path(match.group(1)).read_text(encoding="utf-8")
    assert "builtins.RuntimeError" in text and ", in explode\n" in text
    assert f'"{main.__file__}"' in text and ", in cmd_export\n" in text
    assert secret not in text and "could not export" not in text


def test_a_crash_log_keeps_the_chain_of_exception_types(
        seeded_db: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def explode(*args: object, **kwargs: object) -> str:
        try:
            json.loads("{bad Secret-Name")
        except ValueError as exc:
            raise RuntimeError("while reading Secret-Name") from exc
        return ""

    monkeypatch.setattr("storage.record_files.export_text", explode)
    assert run(capsys, "--db", str(seeded_db), "export", DEMO_MRN).code == 2
    log = next(Path(os.environ["XDG_STATE_HOME"]).rglob("hemalog-errors.log"))
    text = log.read_text(encoding="utf-8")
    assert "json.decoder.JSONDecodeError" in text and "builtins.RuntimeError" in text
    assert "Secret-Name" not in text


def test_verify_names_a_stored_value_the_app_cannot_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A birth date in a legacy form written into the table: besides the difference from
    the audit trail, verify says the app cannot read it (export would refuse it)."""
    import json
    import sqlite3

    import main
    db = tmp_path / "w.db"
    assert main.main(["--db", str(db), "demo"]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(db)
    (pid,) = conn.execute("SELECT id FROM patients").fetchone()
    conn.execute("UPDATE patients SET birth_date = '12/03/1970' WHERE id = ?", [pid])
    conn.commit()
    conn.close()
    assert main.main(["--db", str(db), "verify"]) == 1
    err = capsys.readouterr().err
    assert f"patients row {pid}" in err and "birth_date" in err
    assert "birth_date is stored in a form hemalog cannot read" in err
