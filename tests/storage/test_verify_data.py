"""Issue 13, finding 6: `verify` proves the data, not only the audit table's own chain.

Each tampering is one a person could do with the sqlite3 shell (and, for the
re-chained log, a few lines of Python): each must make `hemalog verify` exit 1
and name what was changed. A database corrected and voided through the store
must verify clean.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinical.accounts import Role
from clinical.grading.crs import grade_crs
from clinical.record import (
    Assessment, AssessmentKind, Course, DoseUnit, DrugLine, Lab, LabTest, Patient,
)
from reports.summary import build_summary_pdf
from storage.audit import AUDIT_FIELDS, GENESIS, chain_hash
from storage.backup import backup_folder, backup_to
from storage.checkpoints import check_checkpoints, checkpoint_file, record_checkpoint
from storage.database import open_database
from storage.integrity import quick_check, verify_database
from storage.repository import SqliteStore
from tests.cli.test_bad_input import Run, run
from tests.storage.test_safety import _tamper

MRN = "VD-0001"
TRIGGERS = ("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, "
            "'the audit log is append-only'); END; CREATE TRIGGER audit_no_delete BEFORE DELETE "
            "ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
CRS_GRADE_3 = {"temperature_c": 39.2, "hypotension": False, "oxygen_device": "facemask"}

def signed(store: SqliteStore, why: str) -> dict[str, str]:
    """The signature the app collects (the password typed again) for a void."""
    from storage.audit import now_utc
    return {"by": store.user, "meaning": f"voided because {why}", "at": now_utc()}



def _ward(db: Path, *, mrn: str = MRN, extra_labs: int = 0) -> dict[str, int]:
    """A patient with labs, a CRS assessment and a course, each corrected or voided
    through the store the way the app does it; returns the ids the tests tamper with."""
    with SqliteStore(db, user="dr.test") as store:
        admin = store.accounts.create("admin", "correct horse", Role.ADMIN)
        store.sign_in(admin)
        nurse = store.accounts.create("nurse.li", "password1", Role.NURSE)
        store.accounts.set_role(nurse.id, Role.PHYSICIAN)
        store.accounts.set_disabled(nurse.id, True)
        store.accounts.set_password(admin.id, "battery staple")
        patient = store.patients.add(Patient(mrn=mrn, name="Verify Data", diagnosis="B-ALL"))
        store.patients.update(replace(patient, name="Verify Data-Lee"), "name spelt wrong")
        day = date(2025, 3, 1)
        lab = store.labs.add(patient.id, Lab(date=day, test=LabTest.WBC, value=7.75,
                                             unit="10^9/L"))
        corrected = store.labs.add(patient.id, Lab(date=day, test=LabTest.HB, value=9,
                                                   unit="g/L"))
        store.labs.update(replace(corrected, value=90), "g/dL typed as g/L")
        voided = store.labs.add(patient.id, Lab(date=day, test=LabTest.PLT, value=12,
                                                unit="10^9/L"))
        store.labs.void(voided.id, "wrong tube", signature=signed(store, "wrong tube"))
        unchanged = store.labs.add(patient.id, Lab(date=day, test=LabTest.ANC, value=3,
                                                   unit="10^9/L"))
        store.labs.update(unchanged)  # saved without a change: version moves, no audit row
        crs = store.assessments.add(patient.id, Assessment(
            kind=AssessmentKind.CRS, date=day, findings=CRS_GRADE_3))
        course = store.courses.add(patient.id, Course(name="HyperCVAD-A", start_date=day, drugs=(
            DrugLine(drug="cyclophosphamide", dose=300, unit=DoseUnit.MG_M2, days=(1, 2, 3)),
            DrugLine(drug="vincristine", dose=2, unit=DoseUnit.MG, days=(4, 11)),
            DrugLine(drug="dexamethasone", dose=40, unit=DoseUnit.MG, days=(1, 2, 3, 4)))))
        cyclo, _vincristine, dexa = course.drugs
        store.courses.update(replace(course, drugs=(
            replace(cyclo, dose=350), dexa,
            DrugLine(drug="mesna", dose=600, unit=DoseUnit.MG_M2, days=(1, 2, 3)))),
            "vincristine held, mesna added")
        for n in range(extra_labs):
            store.labs.add(patient.id, Lab(date=day + timedelta(days=n + 1), test=LabTest.ANC,
                                           value=round(0.5 + n / 10, 2), unit="10^9/L"))
        return {"patient": patient.id, "lab": lab.id, "crs": crs.id, "course": course.id,
                "voided": voided.id}


def _verify(capsys: pytest.CaptureFixture[str], db: Path) -> Run:
    """`hemalog verify` signed in as the ward's administrator (password from a 0600 file)."""
    secret = db.with_name("admin.password")
    if not secret.exists():
        secret.write_text("battery staple\n", encoding="utf-8")
        secret.chmod(0o600)
    return run(capsys, "--db", str(db), "--user", "admin", "--password-file", str(secret),
               "verify")


def _sql(db: Path, script: str) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(script)
    conn.close()


def _rechain(db: Path) -> None:
    """Recompute every hash of the audit log, as someone covering an edit would."""
    conn = sqlite3.connect(db)
    previous = GENESIS
    for fields in conn.execute(f"SELECT {', '.join(AUDIT_FIELDS)} FROM audit ORDER BY id")\
            .fetchall():
        previous = chain_hash(previous, fields)
        conn.execute("UPDATE audit SET hash = ? WHERE id = ?", [previous, fields[0]])
    conn.commit()
    conn.close()


@pytest.fixture
def ward(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    db = tmp_path / "ward.db"
    return db, _ward(db)


def test_a_database_corrected_and_voided_through_the_store_verifies_clean(
        ward: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ids = ward
    backup_to(db, backup_folder(db).parent / "copy.db")
    ok = _verify(capsys, db)
    assert ok.code == 0, ok.err
    # 1 patient, 4 labs, 1 assessment, 1 course, 4 drug lines (one voided), 2 accounts
    assert "all 13 data rows match their audit trail" in ok.out
    assert "its head matches 1 checkpoints" in ok.out
    assert quick_check(db).ok


@pytest.mark.parametrize(("tampering", "named"), [
    ("UPDATE labs SET value = 2.5 WHERE id = {lab}",
     "labs row {lab} (patient MRN VD-0001): value is 2.5 in the table but 7.75 in the audit "
     "trail"),
    ("UPDATE labs SET voided = 0, void_reason = NULL WHERE id = {voided}",
     "labs row {voided} (patient MRN VD-0001): voided is 0 in the table but 1 in the audit trail"),
    ("DELETE FROM labs WHERE id = {lab}",
     "labs row {lab} (patient MRN VD-0001): in the audit trail but missing from its table"),
    ("INSERT INTO labs (id, patient_id, seq, date, test, value, unit) "
     "VALUES (99, {patient}, 99, '2025-03-02', 'wbc', 1.0, '10^9/L')",
     "labs row 99 (patient MRN VD-0001): in the table but not in the audit trail"),
    ("UPDATE drug_lines SET dose = 3000 WHERE course_id = {course} AND drug = 'cyclophosphamide'",
     "(patient MRN VD-0001): dose is 3000.0 in the table but 350 in the audit trail"),
    ("UPDATE users SET role = 'admin' WHERE username = 'nurse.li'",
     "(user nurse.li): role is \"admin\" in the table but \"physician\" in the audit trail"),
])
def test_verify_names_a_data_row_changed_behind_hemalogs_back(
        ward: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str], tampering: str,
        named: str) -> None:
    db, ids = ward
    assert _verify(capsys, db).code == 0
    _tamper(db, tampering.format(**ids))
    bad = _verify(capsys, db)
    assert bad.code == 1 and "Traceback" not in bad.err
    assert named.format(**ids) in bad.err


def test_verify_names_crs_findings_edited_from_grade_3_to_0(
        ward: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]) -> None:
    db, ids = ward
    edited = {**CRS_GRADE_3, "temperature_c": 36.8}
    assert (grade_crs(CRS_GRADE_3).value, grade_crs(edited).value) == (3, 0)
    findings = json.dumps(edited).replace("'", "''")
    _tamper(db, f"UPDATE assessments SET findings = '{findings}' WHERE id = {ids['crs']}")
    bad = _verify(capsys, db)
    assert bad.code == 1
    assert (f"assessments row {ids['crs']} (patient MRN {MRN}): findings is "
            '"{"temperature_c": 36.8') in bad.err


def test_verify_names_a_value_changed_before_a_correction_through_the_store(
        ward: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]) -> None:
    """The correction's audit row copies the row as it found it: the edit made
    before it would otherwise be laundered into the trail."""
    db, ids = ward
    _tamper(db, f"UPDATE labs SET unit = 'mmol/L' WHERE id = {ids['lab']}; {TRIGGERS}")
    with SqliteStore(db, user="dr.test") as store:
        store.sign_in(store.accounts.sign_in("admin", "battery staple"))
        store.labs.update(replace(store.labs.get(ids["lab"]), value=7.5), "re-read the slip")
    bad = _verify(capsys, db)
    assert bad.code == 1
    assert f"labs row {ids['lab']} (patient MRN {MRN}): unit was changed outside hemalog" in bad.err


def test_verify_names_dropped_append_only_triggers(
        ward: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ids = ward
    _tamper(db, "SELECT 1")  # the helper drops both triggers first
    bad = _verify(capsys, db)
    assert bad.code == 1
    assert "the trigger audit_no_update that keeps the audit log append-only was removed" in bad.err
    assert "the trigger audit_no_delete that keeps the audit log append-only was removed" in bad.err
    assert not quick_check(db).ok
    _sql(db, "DROP TRIGGER IF EXISTS audit_no_update; CREATE TRIGGER audit_no_update BEFORE "
             "UPDATE ON audit BEGIN SELECT 1; END")
    assert "audit_no_update that keeps the audit log append-only was changed" in \
        _verify(capsys, db).err


def test_verify_names_the_newest_50_audit_rows_cut_after_a_checkpoint(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ward.db"
    _ward(db, extra_labs=60)
    backup_to(db, tmp_path / "copy.db")
    rows = sqlite3.connect(db).execute("SELECT max(id) FROM audit").fetchone()[0]
    # The labs they added go too, so data and log still agree: only the checkpoint knows.
    _tamper(db, "DELETE FROM labs WHERE id IN (SELECT row_id FROM audit WHERE table_name = "
                "'labs' AND id > (SELECT max(id) - 50 FROM audit)); "
                f"DELETE FROM audit WHERE id > {rows - 50}; {TRIGGERS}")
    bad = _verify(capsys, db)
    assert bad.code == 1
    assert "audit rows deleted: the checkpoint of" in bad.err
    assert f"noted {rows} audit rows, the file now has {rows - 50}" in bad.err
    assert len(bad.lines) == 1  # data and chain agree: only the checkpoint shows the cut


def test_verify_names_a_rechained_audit_log(
        ward: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]) -> None:
    db, ids = ward
    backup_to(db, db.parent / "copy.db")
    _tamper(db, f"UPDATE labs SET value = 2.5 WHERE id = {ids['lab']}; "
                "UPDATE audit SET new_value = replace(new_value, '\"value\": 7.75', "
                f"'\"value\": 2.5') WHERE table_name = 'labs' AND row_id = {ids['lab']}")
    _rechain(db)
    _sql(db, TRIGGERS)
    bad = _verify(capsys, db)
    assert bad.code == 1
    assert "the audit trail was rewritten or cut after" in bad.err
    assert "(backup copy.db)" in bad.err
    assert len(bad.lines) == 1  # data and chain agree: only the checkpoint shows the edit


def test_verify_names_another_file_with_the_same_mrn_swapped_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ward.db"
    _ward(db)
    backup_to(db, tmp_path / "copy.db")
    other = tmp_path / "elsewhere" / "ward.db"
    other.parent.mkdir()
    _ward(other)  # same patient, same steps, another file
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    shutil.copyfile(other, db)
    assert verify_database(other).ok
    bad = _verify(capsys, db)
    assert bad.code == 1
    assert "the audit trail was rewritten or cut after" in bad.err
    assert "is this the same file?" in bad.err


def test_quick_check_does_not_replay_the_data(
        ward: tuple[Path, dict[str, int]]) -> None:
    """Start-up stays fast: only `verify` (and the backup's check) replays every row."""
    db, ids = ward
    _sql(db, f"UPDATE labs SET value = 2.5 WHERE id = {ids['lab']}")
    assert quick_check(db).ok
    assert not verify_database(db).ok


def test_each_backup_and_printed_summary_notes_the_chain_head(
        ward: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    db, _ids = ward
    backup_to(db, tmp_path / "copy.db")
    with SqliteStore(db, user="t") as store:
        store.sign_in(store.accounts.sign_in("admin", "battery staple"))
        record = store.load_record(store.patients.get_by_mrn(MRN).id)
        head = store.db.conn.execute("SELECT id, hash FROM audit ORDER BY id DESC").fetchone()
    pdf = tmp_path / "summary.pdf"
    build_summary_pdf(record, out=pdf, printed_by="dr.test", database=str(db))
    footer = PdfReader(pdf).pages[0].extract_text()
    assert f"audit {head[0]}·{head[1][:8]}" in footer
    path = checkpoint_file(db)
    assert path.stat().st_mode & 0o777 == 0o600
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(c["reason"], c["rows"], c["last_hash"], c["database"]) for c in lines] == [
        ("backup copy.db", head[0], head[1], str(db.resolve())),
        ("summary printed", head[0], head[1], str(db.resolve()))]


def test_a_damaged_checkpoint_file_is_named(ward: tuple[Path, dict[str, int]]) -> None:
    db, _ids = ward
    record_checkpoint(db, "summary printed")
    with checkpoint_file(db).open("a") as f:
        f.write("not a checkpoint\n")
    result = verify_database(db)
    assert not result.ok
    assert any("line 2 is not a checkpoint" in line for line in result.lines())


def test_a_restore_checkpoint_starts_a_new_history(
        ward: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    """Restoring an older backup cuts the chain on purpose: heads noted before the
    restore's checkpoint are not held against the restored file."""
    db, ids = ward
    backup = backup_to(db, tmp_path / "copy.db")
    with SqliteStore(db, user="t") as store:
        store.sign_in(store.accounts.sign_in("admin", "battery staple"))
        store.labs.void(ids["lab"], "changed after the backup",
            signature=signed(store, "changed after the backup"))
    record_checkpoint(db, "summary printed")
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    shutil.copyfile(backup, db)
    conn = open_database(db, read_only=True)
    try:
        assert any("audit rows deleted" in p for p in check_checkpoints(conn, db))
        record_checkpoint(db, "restore from copy.db")
        assert check_checkpoints(conn, db) == []
    finally:
        conn.close()
    assert verify_database(db).ok
