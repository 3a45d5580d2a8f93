"""Issue 14: signing in. Failed sign-ins are audited and make a name wait (30 s after 5
in a row, doubling, at most 15 min) whether or not it exists; old password hashes
are upgraded at sign-in; audit rows name the workstation and may hold a signature;
a database made before schema 3 still verifies.

Sign-ins use the production hash (scrypt N=2^17, about 0.5 s each here): each test
makes as few as it can. The clock is the ``now=`` argument, in seconds.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from clinical.accounts import PermissionDenied, Role, User
from clinical.audit import AuditAction, AuditEntry
from clinical.errors import HemalogError
from clinical.record import Lab, LabTest, Patient
from storage.accounts import CURRENT, SignInRefused
from storage.audit import verify_chain, workstation_name
from storage.codec import to_row
from storage.database import write
from storage.integrity import verify_database
from storage.migrations import MIGRATIONS, SCHEMA_VERSION
from storage.repository import SqliteStore
from tests.storage.test_safety import _tamper

ADMIN, NURSE = ("ada", "admin-pass-1"), ("nina", "nurse-pass-1")
WRONG = "user name or password is wrong (or the account is disabled)"
T0 = 1_750_000_000.0


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with an admin and a nurse, made once (each account costs a hash)."""
    path = tmp_path_factory.mktemp("template") / "ward.db"
    with SqliteStore(path, user="os-user") as store:
        admin = store.accounts.create(*ADMIN, Role.ADMIN)
        store.sign_in(admin)
        store.accounts.create(*NURSE, Role.NURSE)
    return path


@pytest.fixture
def ward(template: Path, tmp_path: Path) -> Iterator[SqliteStore]:
    path = tmp_path / "ward.db"
    shutil.copyfile(template, path)
    store = SqliteStore(path, user="os-user")
    store.audit.workstation = "ward-3-pc"
    yield store
    store.close()


def refused(store: SqliteStore, name: str, password: str, at: float) -> SignInRefused:
    with pytest.raises(SignInRefused) as caught:
        store.accounts.sign_in(name, password, now=at)
    return caught.value


def fail(store: SqliteStore, name: str, times: int, start: float = T0) -> list[SignInRefused]:
    return [refused(store, name, "not-the-password", start + i) for i in range(times)]


def sign_in_rows(store: SqliteStore) -> list[AuditEntry]:
    return [e for e in store.audit.entries() if e.table == "sign_in"]


def account(store: SqliteStore, name: str) -> User:
    return {u.username: u for u in store.accounts.list()}[name]


def first_bad_row(path: Path) -> int | None:
    db = Database(sqlite3.connect(path))
    try:
        return verify_chain(db)[1]
    finally:
        db.close()


def test_four_failures_then_the_right_password_signs_in_and_clears_the_count(
        ward: SqliteStore) -> None:
    assert [e.wait_seconds for e in fail(ward, ADMIN[0], 4)] == [0, 0, 0, 0]
    assert ward.accounts.sign_in(*ADMIN, now=T0 + 5).username == "ada"
    # The count starts again: one more failure is the first, not the fifth.
    assert refused(ward, ADMIN[0], "still-wrong", T0 + 6).wait_seconds == 0
    assert sign_in_rows(ward)[-1].new["failures in a row"] == 1  # type: ignore[index]


def test_five_failures_make_the_name_wait_30_s_even_with_the_right_password(
        ward: SqliteStore) -> None:
    fifth = fail(ward, ADMIN[0], 5)[-1]
    assert fifth.wait_seconds == 30
    assert str(fifth) == "too many failed sign-ins for this name: try again in 30 s"
    last_failure = T0 + 4
    waiting = refused(ward, *ADMIN, last_failure + 10)
    assert (waiting.wait_seconds, str(waiting)) == (
        20, "too many failed sign-ins for this name: try again in 20 s")
    assert ward.accounts.locked(now=last_failure + 10) == [("ada", 20)]
    # The refused attempt while waiting was not counted: the wait is still 30 s.
    assert ward.accounts.sign_in(*ADMIN, now=last_failure + 31).username == "ada"
    assert ward.accounts.locked(now=last_failure + 31) == []


def test_each_further_failure_doubles_the_wait_up_to_15_minutes(ward: SqliteStore) -> None:
    waits, at = [], T0
    for _ in range(11):
        error = refused(ward, ADMIN[0], "not-the-password", at)
        waits.append(error.wait_seconds)
        at += error.wait_seconds + 1   # try again once the wait is over
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert str(error) == "too many failed sign-ins for this name: try again in 900 s"


def test_an_unknown_name_waits_alike_and_is_refused_in_the_same_words(
        ward: SqliteStore) -> None:
    known = [str(e) for e in fail(ward, ADMIN[0], 5)]
    unknown = [str(e) for e in fail(ward, "nobody", 5)]
    assert known == unknown == [WRONG] * 4 + [
        "too many failed sign-ins for this name: try again in 30 s"]
    assert str(refused(ward, "nobody", ADMIN[1], T0 + 6)) == str(
        refused(ward, ADMIN[0], ADMIN[1], T0 + 6))
    assert ward.accounts.locked(now=T0 + 6) == [("ada", 28), ("nobody", 28)]


def test_every_refusal_is_an_audit_row_naming_the_name_tried_and_the_workstation(
        ward: SqliteStore) -> None:
    before = ward.audit.count()
    fail(ward, ADMIN[0], 5)
    refused(ward, *ADMIN, T0 + 10)                 # while waiting: refused, recorded too
    refused(ward, "nob\u202eody", "whatever-1", T0)
    rows = sign_in_rows(ward)
    assert ward.audit.count() == before + 7 == before + len(rows)
    assert {(e.action, e.row_id, e.patient_id, e.user, e.workstation) for e in rows} == {
        (AuditAction.SIGN_IN_FAILED, 0, None, "os-user", "ward-3-pc")}
    assert [(e.new["name tried"], e.new["workstation"]) for e in rows] == (  # type: ignore[index]
        [("ada", "ward-3-pc")] * 6 + [("nob\u202eody", "ward-3-pc")])
    assert [e.new.get("failures in a row") for e in rows[:6]] == [1, 2, 3, 4, 5, None]  # type: ignore[union-attr]
    assert rows[5].new["seconds left"] == 24  # type: ignore[index]
    assert not any("not-the-password" in json.dumps(e.new) for e in rows)  # nor the password
    assert verify_database(ward.path).ok


def test_a_disabled_account_with_the_right_password_is_refused_in_the_same_words(
        ward: SqliteStore) -> None:
    ward.sign_in(account(ward, "ada"))
    nurse = account(ward, "nina")
    ward.accounts.set_disabled(nurse.id, True)
    assert str(refused(ward, *NURSE, T0)) == WRONG
    assert ward.accounts.authenticate(*NURSE) is None
    assert not ward.accounts.verify_password(nurse, NURSE[1])
    assert [e.new["refused"] for e in sign_in_rows(ward)] == ["account disabled"] * 3  # type: ignore[index]


def test_an_admin_unlocks_a_waiting_name_audited(ward: SqliteStore) -> None:
    fail(ward, NURSE[0], 5)
    ward.sign_in(ward.accounts.sign_in(*ADMIN, now=T0 + 5))
    ward.accounts.unlock("nina")
    assert ward.accounts.locked(now=T0 + 6) == []
    assert ward.accounts.sign_in(*NURSE, now=T0 + 6).username == "nina"
    (unlocked,) = [e for e in ward.audit.entries() if e.action is AuditAction.UNLOCK]
    assert (unlocked.user, unlocked.workstation, unlocked.table, unlocked.row_id) == (
        "ada", "ward-3-pc", "sign_in", 0)
    assert unlocked.new == {"name tried": "nina", "workstation": "ward-3-pc"}
    assert unlocked.old == {"name tried": "nina", "failures": 5}
    with pytest.raises(HemalogError, match="no failed sign-ins"):
        ward.accounts.unlock("nina")


def test_a_nurse_cannot_unlock_nor_can_anyone_not_signed_in(ward: SqliteStore) -> None:
    fail(ward, ADMIN[0], 5)
    with pytest.raises(PermissionDenied):   # no one signed in
        ward.accounts.unlock("ada")
    ward.sign_in(ward.accounts.sign_in(*NURSE, now=T0 + 5))
    with pytest.raises(PermissionDenied, match="only an admin"):
        ward.accounts.unlock("ada")
    assert ward.accounts.locked(now=T0 + 5) == [("ada", 29)]
    assert not [e for e in ward.audit.entries() if e.action is AuditAction.UNLOCK]


def test_a_wrong_signature_password_counts_as_a_failed_sign_in(ward: SqliteStore) -> None:
    nurse = account(ward, "nina")
    assert ward.accounts.verify_password(nurse, NURSE[1])
    assert not ward.accounts.verify_password(nurse, "not-the-password")
    assert not ward.accounts.verify_password(nurse, ADMIN[1])  # another person's password
    assert [e.new["failures in a row"] for e in sign_in_rows(ward)] == [1, 2]  # type: ignore[index]


def _old_hash(password: str, salt: bytes) -> str:
    """What hemalog stored before issue 14: scrypt N=2^14, r=8, p=1."""
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32).hex()


def test_an_old_2_14_hash_signs_in_and_is_rehashed_to_the_new_parameters(
        ward: SqliteStore) -> None:
    salt = secrets.token_bytes(16)
    ward.db.conn.execute("UPDATE users SET salt = ?, password_hash = ?, hash_params = NULL "
                         "WHERE username = 'nina'", [salt.hex(), _old_hash(NURSE[1], salt)])
    ward.db.conn.commit()
    assert ward.accounts.sign_in(*NURSE, now=T0).username == "nina"
    row = ward.db.conn.execute("SELECT salt, password_hash, hash_params FROM users "
                               "WHERE username = 'nina'").fetchone()
    assert row[2] == str(CURRENT) == "scrypt:17:8:1"
    assert row[0] != salt.hex() and row[1] == CURRENT.hash(NURSE[1], bytes.fromhex(row[0]))
    rehashed = ward.audit.entries()[-1]
    assert (rehashed.table, rehashed.action, rehashed.user) == ("users", AuditAction.UPDATE,
                                                                "nina")
    assert rehashed.new == {"username": "nina", "role": "nurse", "disabled": 0,
                            "password": "rehashed (scrypt:17:8:1)"}
    assert row[1] not in json.dumps(rehashed.new) and row[0] not in json.dumps(rehashed.new)
    assert ward.accounts.sign_in(*NURSE, now=T0 + 1).username == "nina"
    assert ward.audit.entries()[-1] == rehashed        # signed in again: nothing to upgrade
    assert refused(ward, NURSE[0], "not-the-password", T0 + 2).wait_seconds == 0
    assert verify_database(ward.path).ok


def test_every_audit_row_names_the_workstation_with_control_characters_escaped(
        ward: SqliteStore) -> None:
    ward.sign_in(account(ward, "ada"))
    ward.audit.workstation = "ward\x1b]0;pwned\x07-pc\u202e"
    assert ward.audit.workstation == "ward\\x1b]0;pwned\\x07-pc\\u202e"
    patient = ward.patients.add(Patient(mrn="WS-1", name="Work Station", diagnosis="AML"))
    assert {e.workstation for e in ward.audit.entries(patient.id)} == {
        "ward\\x1b]0;pwned\\x07-pc\\u202e"}
    assert {e.workstation for e in ward.audit.entries()} == {   # + the template's accounts
        "ward\\x1b]0;pwned\\x07-pc\\u202e", workstation_name(socket.gethostname())}


def test_a_signature_is_stored_in_the_chain(ward: SqliteStore) -> None:
    signature = {"by": "ada", "meaning": "voided because wrong patient",
                 "at": "2025-06-01T10:00:00.000Z"}
    with write(ward.db):
        ward.audit.append(patient_id=None, table="labs", row_id=1, action=AuditAction.VOID,
                          reason="wrong patient", signature=signature)
    last = ward.audit.entries()[-1]
    assert last.signature == signature and last.workstation == "ward-3-pc"
    assert verify_chain(ward.db)[1:] == (None, "ok")
    ward.close()
    _tamper(ward.path, f"UPDATE audit SET signature = replace(signature, 'ada', 'bob') "
                       f"WHERE id = {last.id}")
    assert first_bad_row(ward.path) == last.id
    _tamper(ward.path, f"UPDATE audit SET signature = NULL WHERE id = {last.id}")
    assert first_bad_row(ward.path) == last.id
    _tamper(ward.path, f"UPDATE audit SET workstation = NULL WHERE id = {last.id - 1}")
    assert first_bad_row(ward.path) == last.id - 1


# --- a database made before schema 3 ------------------------------------------------------


def _schema_2_file(path: Path) -> None:
    """A file as hemalog wrote it before issue 14: migrations 1 and 2, a patient, a lab and
    an account hashed with N=2^14, and their audit rows chained over the ten columns of
    then (the hash computed here as the old code did, not with today's chain_hash)."""
    db = Database(sqlite3.connect(path))
    for migration in MIGRATIONS[:2]:
        migration(db)
    db.conn.execute("PRAGMA user_version = 2")
    salt = secrets.token_bytes(16)
    user = {"id": 1, "username": "old.admin", "display_name": "old.admin", "role": "admin",
            "salt": salt.hex(), "password_hash": _old_hash("old-pass-123", salt),
            "created_at": "2025-01-01T00:00:00.000Z", "disabled": 0, "version": 1}
    patient = {**to_row(Patient(mrn="OLD-1", name="Old File", diagnosis="AML")), "id": 1,
               "search_key": "old-1 old file", "version": 1, "voided": 0}
    lab = {**to_row(Lab(date=date(2025, 1, 2), test=LabTest.HB, value=90, unit="g/L")),
           "id": 1, "patient_id": 1, "seq": 1, "version": 1, "voided": 0}
    db["users"].insert(user)
    db["patients"].insert(patient)
    db["labs"].insert(lab)
    previous = "0" * 64
    audit = [(1, "users", None, {"username": "old.admin", "role": "admin"}),
             (1, "patients", 1, patient), (1, "labs", 1, lab)]
    for audit_id, (row_id, table, patient_id, new) in enumerate(audit, start=1):
        fields = [audit_id, "2025-01-02T08:00:00.000Z", "old.admin", patient_id, table,
                  row_id, "insert", None, json.dumps(new, ensure_ascii=False, sort_keys=True),
                  None]
        previous = hashlib.sha256(json.dumps([previous, *fields], ensure_ascii=False,
                                             separators=(",", ":")).encode()).hexdigest()
        db.conn.execute("INSERT INTO audit (id, at, user, patient_id, table_name, row_id, "
                        "action, old_value, new_value, reason, hash) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [*fields, previous])
    db.conn.commit()
    db.close()


def test_a_schema_2_database_verifies_as_it_is_and_after_migrating(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _schema_2_file(path)
    before = path.read_bytes()
    assert verify_database(path).ok                  # read-only: read as schema 2
    with SqliteStore(path, user="os-user", read_only=True) as reading:
        assert reading.accounts.sign_in("old.admin", "old-pass-123", now=T0).id == 1
        with pytest.raises(SignInRefused, match="wrong"):   # refused, nothing written
            reading.accounts.sign_in("old.admin", "wrong-pass-1", now=T0)
        assert [e.workstation for e in reading.audit.entries()] == [None] * 3
    assert path.read_bytes() == before
    with SqliteStore(path, user="os-user") as store:  # read-write: migrated to schema 3
        assert store.db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.accounts.sign_in("old.admin", "old-pass-123", now=T0).username == (
            "old.admin")
        store.sign_in(store.accounts.list()[0])
        store.labs.add(1, Lab(date=date(2025, 1, 3), test=LabTest.HB, value=95, unit="g/L"))
        entries = store.audit.entries()
    assert [(e.table, e.workstation is None) for e in entries] == [
        ("users", True), ("patients", True), ("labs", True), ("users", False), ("labs", False)]
    result = verify_database(path)
    assert result.ok, result.lines()
    assert (result.audit_rows, result.data_rows) == (5, 4)   # patient, 2 labs, account


def test_a_read_only_database_refuses_without_writing(ward: SqliteStore) -> None:
    path = ward.path
    ward.close()
    fail_at = T0
    with SqliteStore(path, user="os-user") as store:   # two failures recorded
        fail(store, ADMIN[0], 2, fail_at)
    before = path.read_bytes()
    with SqliteStore(path, user="os-user", read_only=True) as reading:
        assert refused(reading, ADMIN[0], "wrong-again", T0 + 5).wait_seconds == 0
        assert refused(reading, "nobody", "wrong-again", T0 + 5).wait_seconds == 0
        assert reading.accounts.sign_in(*ADMIN, now=T0 + 6).username == "ada"
    assert path.read_bytes() == before
    with SqliteStore(path, user="os-user") as store:   # the count was not touched
        assert refused(store, ADMIN[0], "wrong-again", T0 + 7).wait_seconds == 0
        assert sign_in_rows(store)[-1].new["failures in a row"] == 3  # type: ignore[index]
