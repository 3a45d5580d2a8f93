"""Issue 14: every change is made by a signed-in person with the authority for it.

On a database with staff accounts the command line signs in (``--user`` and the
password, typed or from a 0600 ``--password-file``), the store refuses to read or
write for anyone who has not signed in, and backup/restore are administrator actions.
``main.main([...])`` in-process against databases in tmp_path; a subprocess where
"not a terminal" is the point.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import main
from clinical.accounts import PermissionDenied, Role, User
from clinical.record import Assessment, AssessmentKind, Patient
from resources import DEMO_MRN
from storage.backup import KEPT_ACCOUNTS_REASON
from storage.history import RESTORE_TABLE
from storage.repository import SqliteStore
from tests.cli.test_bad_input import run

ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {"ada": "admin-pass-1", "phil": "physician-1", "nina": "nurse-pass-1",
             "gone": "disabled-pass-1"}
NOTE = ("hemalog: note: this database has no staff accounts yet; create the administrator "
        "in the app")
REFUSED = "sign in first: this database has staff accounts"


def _create_accounts(path: Path) -> dict[str, User]:
    with SqliteStore(path, user="setup") as store:
        admin = store.accounts.create("ada", PASSWORDS["ada"], Role.ADMIN)
        store.sign_in(admin)
        users = {"ada": admin,
                 "phil": store.accounts.create("phil", PASSWORDS["phil"], Role.PHYSICIAN),
                 "nina": store.accounts.create("nina", PASSWORDS["nina"], Role.NURSE),
                 "gone": store.accounts.create("gone", PASSWORDS["gone"], Role.NURSE)}
        store.accounts.set_disabled(users["gone"].id, True)
    return users


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The demo patient, then the ward's accounts (ada admin, phil physician, nina nurse,
    gone disabled)."""
    path = tmp_path / "ward.db"
    assert main.main(["--db", str(path), "demo"]) == 0
    capsys.readouterr()
    _create_accounts(path)
    return path


def password_file(tmp_path: Path, name: str, mode: int = 0o600, text: str | None = None) -> Path:
    path = tmp_path / f"{name}.pw"
    path.write_text(PASSWORDS.get(name, "") + "\n" if text is None else text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def as_user(db: Path, tmp_path: Path, name: str, mode: int = 0o600) -> list[str]:
    return ["--db", str(db), "--user", name, "--password-file",
            str(password_file(tmp_path, name, mode))]


def record_file(tmp_path: Path, mrn: str = "CLI-1") -> Path:
    path = tmp_path / f"{mrn}.json"
    path.write_text(json.dumps({"format": "hemalog.record", "version": 1, "patient": {
        "mrn": mrn, "name": "Signed In", "sex": "female", "diagnosis": "AML"}}), encoding="utf-8")
    return path


def audit_rows(db: Path) -> list[dict[str, object]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY id")]
    finally:
        conn.close()


def patients(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return sorted(r[0] for r in conn.execute("SELECT mrn FROM patients"))
    finally:
        conn.close()


def signed_in(db: Path, name: str) -> SqliteStore:
    store = SqliteStore(db, user=name)
    store.sign_in(store.accounts.sign_in(name, PASSWORDS[name]))
    return store


# --- the command line signs in ---------------------------------------------------------
def test_without_a_password_and_no_terminal_the_command_line_is_refused(db: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db),
                             "--user", "phil", "list"], capture_output=True, text=True,
                            cwd=ROOT, stdin=subprocess.DEVNULL)
    assert result.returncode == 1, result.stderr
    assert "no password for phil: this is not a terminal" in result.stderr
    assert "--password-file FILE" in result.stderr and "chmod 600" in result.stderr
    assert "Traceback" not in result.stderr and DEMO_MRN not in result.stdout


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a pseudo-terminal needs POSIX")
def test_at_a_terminal_the_password_is_asked_for_and_not_echoed(db: Path) -> None:
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: hemalog with the pseudo-terminal as its terminal
        os.execv(sys.executable, [sys.executable, str(ROOT / "main.py"), "--db", str(db),
                                  "--user", "phil", "list"])
    seen = b""

    def read_until(marker: bytes | None) -> None:
        nonlocal seen
        while marker is None or marker not in seen:
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, f"hemalog said nothing more; so far: {seen!r}"
            try:
                chunk = os.read(fd, 4096)
            except OSError:   # the child closed the terminal
                chunk = b""
            if not chunk:
                assert marker is None, seen
                return
            seen += chunk

    try:
        read_until(b"password for phil: ")
        os.write(fd, PASSWORDS["phil"].encode() + b"\n")
        read_until(None)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert DEMO_MRN.encode() in seen
    assert PASSWORDS["phil"].encode() not in seen      # typed without echo


def test_without_user_on_a_database_with_accounts_the_command_line_is_refused(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEMALOG_USER", raising=False)
    before = audit_rows(db)
    result = run(capsys, "--db", str(db), "import", str(record_file(tmp_path)))
    assert result.code == 1
    assert result.lines == ["hemalog: this database has staff accounts: give --user NAME "
                            "(and the password)"]
    assert audit_rows(db) == before and "CLI-1" not in patients(db)


def test_a_password_file_others_can_read_is_refused_naming_the_file(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = audit_rows(db)
    argv = as_user(db, tmp_path, "phil", mode=0o644)
    result = run(capsys, *argv, "import", str(record_file(tmp_path)))
    assert result.code == 1
    assert result.lines == [f"hemalog: {tmp_path / 'phil.pw'}: refused: the password file's "
                            f"mode is 0644, it must be 0600 or stricter (only you may read "
                            f"it): chmod 600 {tmp_path / 'phil.pw'}"]
    assert audit_rows(db) == before and "CLI-1" not in patients(db)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o700])
def test_a_password_file_is_accepted_only_at_0600_or_stricter(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: int) -> None:
    assert run(capsys, *as_user(db, tmp_path, "phil", mode), "list").code == 1
    assert run(capsys, *as_user(db, tmp_path, "phil", 0o400), "list").code == 0


def test_a_password_file_that_is_not_a_regular_file_is_refused(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o700)
    result = run(capsys, "--db", str(db), "--user", "phil", "--password-file", str(folder),
                 "list")
    assert result.code == 1
    assert result.lines == [f"hemalog: {folder}: refused: the password file must be a "
                            "regular file"]


def test_with_a_0600_password_file_the_import_is_audited_under_the_account(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = len(audit_rows(db))
    result = run(capsys, *as_user(db, tmp_path, "nina"), "import", str(record_file(tmp_path)))
    assert result.code == 0, result.err
    assert NOTE not in result.err
    new = audit_rows(db)[before:]
    inserts = [r for r in new if r["action"] == "insert" and r["table_name"] == "patients"]
    assert len(inserts) == 1 and inserts[0]["user"] == "nina"
    assert {r["user"] for r in new if r["table_name"] != "users"} == {"nina"}


def test_only_the_first_line_of_the_password_file_is_the_password(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pw = password_file(tmp_path, "phil", text=PASSWORDS["phil"] + "\r\nsecond line\n")
    result = run(capsys, "--db", str(db), "--user", "phil", "--password-file", str(pw), "list")
    assert result.code == 0, result.err
    assert DEMO_MRN in result.out


def test_hemalog_user_names_the_account_like_user(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEMALOG_USER", "phil")
    pw = password_file(tmp_path, "phil")
    result = run(capsys, "--db", str(db), "--password-file", str(pw), "list")
    assert result.code == 0, result.err
    assert DEMO_MRN in result.out


def test_a_disabled_account_is_refused_like_a_wrong_password(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = patients(db)
    result = run(capsys, *as_user(db, tmp_path, "gone"), "import", str(record_file(tmp_path)))
    assert result.code == 1
    assert result.lines == ["hemalog: user name or password is wrong (or the account is "
                            "disabled)"]
    assert patients(db) == before


def test_a_wrong_password_exits_1_and_is_audited_as_a_failed_sign_in(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = len(audit_rows(db))
    pw = password_file(tmp_path, "wrong", text="not-phils-password\n")
    result = run(capsys, "--db", str(db), "--user", "phil", "--password-file", str(pw),
                 "import", str(record_file(tmp_path)))
    assert result.code == 1
    assert result.lines == ["hemalog: user name or password is wrong (or the account is "
                            "disabled)"]
    new = audit_rows(db)[before:]
    assert len(new) == 1, new          # the failed sign-in, and nothing imported
    assert "phil" in json.dumps(new[0]) and new[0]["table_name"] != "patients"
    assert "CLI-1" not in patients(db)


def test_a_name_that_does_not_exist_gets_the_same_answer(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pw = password_file(tmp_path, "phil")
    result = run(capsys, "--db", str(db), "--user", "nobody", "--password-file", str(pw),
                 "list")
    assert result.code == 1
    assert result.lines == ["hemalog: user name or password is wrong (or the account is "
                            "disabled)"]


@pytest.mark.parametrize("command", ["list", "export", "verify"])
def test_read_only_commands_sign_in_too(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    extra = [DEMO_MRN] if command == "export" else []
    refused = run(capsys, "--db", str(db), "--user", "phil", "--password-file",
                  str(password_file(tmp_path, "x", text="wrong-password\n")), command, *extra)
    assert refused.code == 1 and refused.out == ""
    signed = run(capsys, *as_user(db, tmp_path, "phil"), command, *extra)
    assert signed.code == 0, signed.err


def test_before_any_account_exists_the_command_line_works_as_before_with_a_note(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.db"
    result = run(capsys, "--db", str(path), "--user", "someone", "import",
                 str(record_file(tmp_path)))
    assert result.code == 0, result.err
    assert result.lines == [NOTE]
    assert {r["user"] for r in audit_rows(path)} == {"someone"}
    listed = run(capsys, "--db", str(path), "list")
    assert listed.code == 0 and "CLI-1" in listed.out and listed.lines == [NOTE]
    out = tmp_path / "b.db"
    backup = run(capsys, "--db", str(path), "backup", "-o", str(out))
    assert backup.code == 0 and backup.lines == [NOTE]
    restored = run(capsys, "--db", str(path), "restore", str(out))
    assert restored.code == 0 and restored.lines == [NOTE]


# --- deny by default in storage --------------------------------------------------------
def test_a_store_nobody_signed_into_can_neither_read_nor_write(db: Path) -> None:
    with SqliteStore(db, user="phil") as store:   # any name, no password
        assert store.has_accounts
        with pytest.raises(PermissionDenied, match=REFUSED):
            store.patients.list()
        with pytest.raises(PermissionDenied, match=REFUSED):
            store.patients.get_by_mrn(DEMO_MRN)
        with pytest.raises(PermissionDenied, match=REFUSED):
            store.patients.add(Patient(mrn="NOBODY-1", name="No One", diagnosis="AML"))
        with pytest.raises(PermissionDenied, match=REFUSED):
            store.assessments.void(1, "no one signed in")
        with pytest.raises(PermissionDenied, match="sign in first"):
            store.accounts.create("intruder", "intruder-pass", Role.ADMIN)
    assert "NOBODY-1" not in patients(db)


def test_a_store_signed_in_as_a_nurse_cannot_void_an_assessment(db: Path) -> None:
    with signed_in(db, "phil") as store:
        pid = store.patients.get_by_mrn(DEMO_MRN).id
        assessment = store.assessments.add(pid, Assessment(
            kind=AssessmentKind.CRS, date=date(2025, 3, 1), findings={"temperature_c": 38.5}))
    with signed_in(db, "nina") as store:
        with pytest.raises(PermissionDenied, match="only a physician may void assessments"):
            store.assessments.void(assessment.id, "a nurse tries")
        assert [a.id for a in store.assessments.list(pid)].count(assessment.id) == 1


def test_the_first_account_closes_a_store_that_was_open_before_it(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "first.db", user="t") as store:
        assert not store.has_accounts
        store.patients.add(Patient(mrn="EARLY-1", name="Early", diagnosis="AML"))
        store.accounts.create("ada", PASSWORDS["ada"], Role.ADMIN)
        assert store.has_accounts
        with pytest.raises(PermissionDenied, match=REFUSED):
            store.patients.list()


# --- backup and restore: administrators only --------------------------------------------
def test_a_backup_by_a_nurse_is_refused(db: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nina-backup.db"
    result = run(capsys, *as_user(db, tmp_path, "nina"), "backup", "-o", str(out))
    assert result.code == 1
    assert result.lines == ["hemalog: only an admin may back up the database"]
    assert not out.exists()


def test_a_restore_by_a_non_administrator_is_refused_and_changes_nothing(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backup = tmp_path / "before.db"
    assert run(capsys, *as_user(db, tmp_path, "ada"), "backup", "-o", str(backup)).code == 0
    with signed_in(db, "phil") as store:
        store.patients.add(Patient(mrn="AFTER-1", name="After", diagnosis="AML"))
    before_patients, before_audit = patients(db), audit_rows(db)
    for name in ("phil", "nina"):
        result = run(capsys, *as_user(db, tmp_path, name), "restore", str(backup))
        assert result.code == 1
        assert result.lines == ["hemalog: only an admin may restore the database"]
    assert patients(db) == before_patients and "AFTER-1" in before_patients
    assert audit_rows(db) == before_audit
    assert not list(tmp_path.glob("ward.db.replaced-*"))


def test_an_administrators_restore_is_audited_under_her_name_and_keeps_the_live_accounts(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backup = tmp_path / "before.db"
    assert run(capsys, *as_user(db, tmp_path, "ada"), "backup", "-o", str(backup)).code == 0
    PASSWORDS["nora"] = "new-nurse-pass"
    try:
        with signed_in(db, "ada") as store:   # after the backup: a new nurse; one disabled
            nora = store.accounts.create("nora", PASSWORDS["nora"], Role.NURSE)
            nina = store.accounts.sign_in("nina", PASSWORDS["nina"])
            store.accounts.set_disabled(nina.id, True)
        result = run(capsys, *as_user(db, tmp_path, "ada"), "restore", str(backup))
        assert result.code == 0, result.err
        rows = audit_rows(db)
        (restore_row,) = [r for r in rows if r["table_name"] == RESTORE_TABLE]
        assert restore_row["user"] == "ada"
        kept = [r for r in rows if r["reason"] == KEPT_ACCOUNTS_REASON]
        assert {(r["action"], r["row_id"], r["user"]) for r in kept} == {
            ("insert", nora.id, "ada"), ("update", nina.id, "ada")}
        assert "password_hash" not in json.dumps(kept) and "salt" not in json.dumps(kept)
        assert run(capsys, *as_user(db, tmp_path, "nora"), "list").code == 0
        assert run(capsys, *as_user(db, tmp_path, "nina"), "list").code == 1  # still disabled
        assert run(capsys, "--db", str(db), "verify").code == 1  # no --user: refused
        assert run(capsys, *as_user(db, tmp_path, "ada"), "verify").code == 0
    finally:
        del PASSWORDS["nora"]


def test_a_restore_over_a_database_without_accounts_keeps_the_backups_accounts(
        db: Path, tmp_path: Path) -> None:
    from storage.backup import backup_to, restore

    backup = backup_to(db, tmp_path / "with-accounts.db")
    fresh = tmp_path / "fresh.db"
    with SqliteStore(fresh, user="t") as store:
        store.patients.add(Patient(mrn="FRESH-1", name="Fresh", diagnosis="AML"))
    restore(fresh, backup, user="t")
    with signed_in(fresh, "nina") as store:          # the backup's accounts are there
        assert [p.mrn for p in store.patients.list()] == [DEMO_MRN]
    assert not [r for r in audit_rows(fresh) if r["reason"] == KEPT_ACCOUNTS_REASON]


def test_an_account_only_the_backup_has_is_disabled_not_deleted_and_the_file_verifies(
        db: Path, tmp_path: Path) -> None:
    from storage.backup import backup_to, restore
    from storage.integrity import verify_database

    backup = backup_to(db, tmp_path / "other.db")
    with signed_in(backup, "ada") as store:       # an account the live database never had
        extra = store.accounts.create("extra", "extra-pass-1", Role.NURSE)
    restore(db, backup, user="ada")
    with SqliteStore(db, user="t") as store:
        assert [u.disabled for u in store.accounts.list() if u.id == extra.id] == [True]
        assert store.accounts.authenticate("extra", "extra-pass-1") is None
    (row,) = [r for r in audit_rows(db) if r["reason"] == KEPT_ACCOUNTS_REASON]
    assert (row["action"], row["row_id"], row["user"]) == ("update", extra.id, "ada")
    assert verify_database(db).ok, verify_database(db).lines()


def test_wrong_passwords_through_a_read_only_command_are_counted_and_lock_the_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`list` opens the database read-only, yet guessing through it must lock the name
    after 5 failures (and each failure is an audit row), as in the app."""
    from storage.repository import SqliteStore

    db = tmp_path / "ward.db"
    with SqliteStore(db, user="setup") as store:
        store.accounts.create("admin", "right-password", Role.ADMIN)
    wrong = tmp_path / "wrong.pw"
    wrong.write_text("not-the-password\n")
    wrong.chmod(0o600)
    right = tmp_path / "right.pw"
    right.write_text("right-password\n")
    right.chmod(0o600)
    for _ in range(5):
        assert main.main(["--db", str(db), "--user", "admin", "--password-file", str(wrong),
                          "list"]) == 1
    capsys.readouterr()
    assert main.main(["--db", str(db), "--user", "admin", "--password-file", str(right),
                      "list"]) == 1
    assert "try again in" in capsys.readouterr().err
    conn = sqlite3.connect(db)
    failures = conn.execute("SELECT count(*) FROM audit WHERE table_name = 'sign_in'").fetchone()
    conn.close()
    assert failures[0] >= 5
