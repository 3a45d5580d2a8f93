"""Issue 13, finding 6: `verify` proves the data, not only the audit table's own chain.

Each tampering is one a person could do with the sqlite3 shell (and, for the
re-chained log, a few lines of Python): each must make `hemalog verify` exit 1
and name what was changed. A database corrected and voided through the store
must verify clean.

Both backends (issue 16): the ward is made through the store on a SQLite file and on
a server database (signed in as the login ``admin``), and `hemalog verify` runs as that
administrator. On a server the tampering is the superuser's, over psycopg: the data
edits run with ``session_replication_role = replica``, which skips every trigger and
leaves them all in place, so only the replay of the audit rows can name the edit;
dropping or disabling the server's own triggers is named as such. What is about the
file itself stays SQLite-only: the checkpoints beside it (rows cut after a checkpoint,
another file swapped in, the footer's head, a damaged checkpoint file, a restore) and
the start-up quick_check. A server keeps no checkpoints, so a log re-chained by the
superuser is named only by the trigger left off to do it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from clinical.accounts import Role
from clinical.grading.crs import grade_crs
from clinical.record import (
    Assessment, AssessmentKind, Course, DoseUnit, DrugLine, Lab, LabTest, Patient,
)
from reports.summary import build_summary_pdf
from storage import open_store
from storage.audit import AUDIT_FIELDS, GENESIS, chain_hash
from storage.backup import backup_folder, backup_to
from storage.checkpoints import check_checkpoints, checkpoint_file, record_checkpoint
from storage.database import open_database
from storage.integrity import quick_check, verify_database
from storage.repository import SqliteStore
from tests.cli.test_bad_input import Run, run
from tests.conftest import open_test_store
from tests.storage.test_safety import _tamper

MRN = "VD-0001"
TRIGGERS = ("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, "
            "'the audit log is append-only'); END; CREATE TRIGGER audit_no_delete BEFORE DELETE "
            "ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
CRS_GRADE_3 = {"temperature_c": 39.2, "hypotension": False, "oxygen_device": "facemask"}
ADMIN_PASSWORD = "battery staple"   # the ward's administrator, after the change in _ward

Where = Path | str   # a SQLite file, or a server database's URL (the superuser's)


def signed(store: Any, why: str) -> dict[str, str]:
    """The signature the app collects (the password typed again) for a void."""
    from storage.audit import now_utc
    return {"by": store.user, "meaning": f"voided because {why}", "at": now_utc()}



def _ward(db: Where, *, backend: str = "sqlite", mrn: str = MRN,
          extra_labs: int = 0) -> dict[str, int]:
    """A patient with labs, a CRS assessment and a course, each corrected or voided
    through the store the way the app does it; returns the ids the tests tamper with.
    On a server the owner makes the first administrator (as `hemalog server init`),
    and from its sign-in on everything is written as the login ``admin``."""
    with open_test_store(backend, db, user="dr.test") as store:
        admin = store.accounts.create("admin", "correct horse", Role.ADMIN)
        if backend == "sqlite":
            store.sign_in(admin)
        else:   # connects as the login admin: the server now enforces its role
            store.sign_in(store.accounts.sign_in("admin", "correct horse"))
        nurse = store.accounts.create("nurse.li", "password1", Role.NURSE)
        store.accounts.set_role(nurse.id, Role.PHYSICIAN)
        store.accounts.set_disabled(nurse.id, True)
        store.accounts.set_password(admin.id, ADMIN_PASSWORD)
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


def _verify(capsys: pytest.CaptureFixture[str], db: Where, folder: Path | None = None) -> Run:
    """`hemalog verify` signed in as the ward's administrator (password from a 0600 file
    in ``folder``, by default the file's own folder): on a server, as the login admin."""
    secret = (folder or Path(db).parent) / "admin.password"
    if not secret.exists():
        secret.write_text(f"{ADMIN_PASSWORD}\n", encoding="utf-8")
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


# --- the server: the superuser behind hemalog's back ---------------------------------------
def _superuser(url: str, script: str, *, quietly: bool = True) -> None:
    """Run ``script`` on the server as the superuser (psycopg, one transaction).
    ``quietly``: with session_replication_role = replica, so no trigger fires (neither
    the append-only nor the audit-pairing ones) and every trigger stays in place: only
    the replay of the audit rows can tell."""
    import psycopg

    with psycopg.connect(url) as conn:
        if quietly:
            conn.execute("SET session_replication_role = replica")
        conn.execute(script)


def _rechain_server(url: str) -> None:
    """_rechain on the server: every audit hash recomputed by the superuser."""
    import psycopg

    columns = ", ".join(f'"{f}"' for f in AUDIT_FIELDS)
    with psycopg.connect(url) as conn:
        previous = GENESIS
        for fields in conn.execute(f"SELECT {columns} FROM audit ORDER BY id").fetchall():
            previous = chain_hash(previous, fields)
            conn.execute("UPDATE audit SET hash = %s WHERE id = %s", [previous, fields[0]])


def _tamper_outside(backend: str, db: Where, script: str) -> None:
    """The same edit made behind hemalog's back: with the sqlite3 shell on a file (the
    append-only triggers dropped first), as the superuser on a server (no trigger fires)."""
    if backend == "sqlite":
        _tamper(Path(db), script)
    else:
        _superuser(str(db), script)


def _as_admin(db: Where) -> Any:
    """The ward opened as a workstation would, signed in as its administrator."""
    store = open_store(db, user="dr.test")
    store.sign_in(store.accounts.sign_in("admin", ADMIN_PASSWORD))
    return store


def _allow_connect(url: str) -> None:
    """CONNECT for hemalog's groups (database grants are not copied from a template)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("""DO $$ BEGIN
            EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO hemalog_nurse, '
                           'hemalog_physician, hemalog_admin', current_database());
        END $$""")


@pytest.fixture(scope="module")
def server_ward_template(pg_server: Any, pg_template: str) -> Iterator[tuple[str, dict[str, int]]]:
    """The ward made once on the server (its accounts' scrypt hashes take seconds): each
    test gets a copy of the database. Its logins (admin, nurse.li) belong to the cluster,
    so they stay for this module and are dropped after it; no test here may use
    pg_hemalog_url, whose teardown drops every hemalog login."""
    from tests.conftest import _drop_hemalog_logins

    try:
        with pg_server.database(template=pg_template) as url:
            _allow_connect(url)
            ids = _ward(url, backend="postgresql")
            yield url.rsplit("/", 1)[1], ids
    finally:
        _drop_hemalog_logins(pg_server)


@pytest.fixture
def server_ward(pg_server: Any, server_ward_template: tuple[str, dict[str, int]]
                ) -> Iterator[tuple[str, dict[str, int]]]:
    """A fresh copy of the server's ward (URL as the superuser, the schema's owner)."""
    name, ids = server_ward_template
    with pg_server.database(template=name) as url:
        _allow_connect(url)
        yield url, ids


@pytest.fixture
def ward(backend: str, db_path: Path, request: pytest.FixtureRequest
         ) -> tuple[Where, dict[str, int]]:
    if backend == "sqlite":
        return db_path, _ward(db_path)
    return request.getfixturevalue("server_ward")


def test_a_database_corrected_and_voided_through_the_store_verifies_clean(
        backend: str, ward: tuple[Where, dict[str, int]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    db, _ids = ward
    if backend == "sqlite":
        backup_to(db, backup_folder(db).parent / "copy.db")
    ok = _verify(capsys, db, tmp_path)
    assert ok.code == 0, ok.err
    # 1 patient, 4 labs, 1 assessment, 1 course, 4 drug lines (one voided), 2 accounts
    assert "all 13 data rows match their audit trail" in ok.out
    if backend == "sqlite":
        assert "its head matches 1 checkpoints" in ok.out
        assert quick_check(db).ok
    else:   # every write went through the login admin: the server wrote each audit row
        import psycopg

        with psycopg.connect(str(db)) as conn:
            users = [r[0] for r in conn.execute('SELECT DISTINCT "user" FROM audit '
                                                "WHERE table_name <> 'users'")]
        assert users == ["admin"]


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
        backend: str, ward: tuple[Where, dict[str, int]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str], tampering: str, named: str) -> None:
    db, ids = ward
    assert _verify(capsys, db, tmp_path).code == 0
    _tamper_outside(backend, db, tampering.format(**ids))
    bad = _verify(capsys, db, tmp_path)
    assert bad.code == 1 and "Traceback" not in bad.err
    assert named.format(**ids) in bad.err
    if backend == "postgresql":   # every trigger still in place: the replay named it
        assert "trigger" not in bad.err and len(bad.lines) == 1, bad.err


def test_verify_names_crs_findings_edited_from_grade_3_to_0(
        backend: str, ward: tuple[Where, dict[str, int]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    db, ids = ward
    edited = {**CRS_GRADE_3, "temperature_c": 36.8}
    assert (grade_crs(CRS_GRADE_3).value, grade_crs(edited).value) == (3, 0)
    findings = json.dumps(edited).replace("'", "''")
    _tamper_outside(backend, db,
                    f"UPDATE assessments SET findings = '{findings}' WHERE id = {ids['crs']}")
    bad = _verify(capsys, db, tmp_path)
    assert bad.code == 1
    assert (f"assessments row {ids['crs']} (patient MRN {MRN}): findings is "
            '"{"temperature_c": 36.8') in bad.err


def test_verify_names_a_value_changed_before_a_correction_through_the_store(
        backend: str, ward: tuple[Where, dict[str, int]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The correction's audit row copies the row as it found it: the edit made
    before it would otherwise be laundered into the trail."""
    db, ids = ward
    _tamper_outside(backend, db, f"UPDATE labs SET unit = 'mmol/L' WHERE id = {ids['lab']}")
    if backend == "sqlite":
        _sql(Path(db), TRIGGERS)   # put back what _tamper dropped
    with _as_admin(db) as store:
        store.labs.update(replace(store.labs.get(ids["lab"]), value=7.5), "re-read the slip")
    bad = _verify(capsys, db, tmp_path)
    assert bad.code == 1
    assert f"labs row {ids['lab']} (patient MRN {MRN}): unit was changed outside hemalog" in bad.err


@pytest.mark.sqlite_only
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


@pytest.mark.parametrize(("tampering", "named"), [
    ("DROP TRIGGER hemalog_append_only ON audit",
     ["the trigger hemalog_append_only on audit was removed"]),
    ("ALTER TABLE audit DISABLE TRIGGER hemalog_never_deleted",
     ["the trigger hemalog_never_deleted on audit is disabled"]),
    ("ALTER TABLE audit DISABLE TRIGGER USER",
     [f"the trigger {name} on audit is disabled" for name in (
         "hemalog_append_only", "hemalog_never_deleted", "hemalog_never_truncated",
         "hemalog_audit_insert", "hemalog_fill_id", "hemalog_notify_changes")]),
    ("ALTER TABLE labs DISABLE TRIGGER hemalog_audited_update",
     ["the trigger hemalog_audited_update on labs is disabled"]),
    ("DROP TRIGGER hemalog_item_update ON assessments",
     ["the trigger hemalog_item_update on assessments was removed"]),
])
def test_verify_names_the_servers_triggers_dropped_or_disabled(
        server_ward: tuple[str, dict[str, int]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str], tampering: str, named: list[str]) -> None:
    """The server's counterpart of the dropped append-only triggers: the superuser (or
    the owner) drops or disables one of the triggers that keep the audit log append-only,
    clinical rows undeleted and every change paired with its audit row."""
    db, _ids = server_ward
    assert _verify(capsys, db, tmp_path).code == 0
    _superuser(db, tampering, quietly=False)
    bad = _verify(capsys, db, tmp_path)
    assert bad.code == 1 and "Traceback" not in bad.err
    for line in named:
        assert f"{line}: rows may have been changed behind hemalog" in bad.err, bad.err
    assert len(bad.lines) == len(named), bad.err


@pytest.mark.parametrize(("tampering", "named"), [
    # The trigger stays, enabled; its function now lets every change through.
    ("CREATE OR REPLACE FUNCTION hemalog_never_deleted() RETURNS trigger LANGUAGE plpgsql "
     "AS $$ BEGIN IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
     "the function hemalog_never_deleted was changed: its triggers may no longer refuse "
     "what they refuse"),
    # The trigger stays, enabled, but calls a function that does nothing.
    ("CREATE FUNCTION let_through() RETURNS trigger LANGUAGE plpgsql AS "
     "$$ BEGIN RETURN NEW; END $$; DROP TRIGGER hemalog_append_only ON audit; "
     "CREATE TRIGGER hemalog_append_only BEFORE UPDATE ON audit FOR EACH ROW "
     "EXECUTE FUNCTION let_through()",
     "the trigger hemalog_append_only on audit calls let_through, not "
     "hemalog_never_deleted: rows may have been changed behind hemalog"),
])
def test_verify_names_a_servers_trigger_function_made_harmless(
        server_ward: tuple[str, dict[str, int]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str], tampering: str, named: str) -> None:
    """Present and enabled is not enough: what the triggers run is checked against the
    schema hemalog made, so a no-op put in place of a function is named."""
    db, _ids = server_ward
    _superuser(db, tampering, quietly=False)
    bad = _verify(capsys, db, tmp_path)
    assert bad.code == 1 and named in bad.err, bad.err
    assert len(bad.lines) == 1, bad.err


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


@pytest.mark.sqlite_only
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


def test_verify_names_what_a_rechained_audit_log_leaves_on_a_server(
        server_ward: tuple[str, dict[str, int]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The server's counterpart of the re-chained log. A server keeps no checkpoints:
    the lab and its audit rows edited alike and the chain recomputed leave data and
    chain in agreement, and what is named is the append-only trigger the superuser
    turned off to rewrite the hashes (turned on again, nothing would be: see the
    module's docstring)."""
    db, ids = server_ward
    _superuser(db, f"UPDATE labs SET value = 2.5 WHERE id = {ids['lab']}; "
                   "UPDATE audit SET new_value = replace(new_value, '\"value\": 7.75', "
                   f"'\"value\": 2.5') WHERE table_name = 'labs' AND row_id = {ids['lab']}")
    chain_broken = _verify(capsys, db, tmp_path)
    assert chain_broken.code == 1 and "its content or hash was changed" in chain_broken.err
    _superuser(db, "ALTER TABLE audit DISABLE TRIGGER hemalog_append_only", quietly=False)
    _rechain_server(db)
    bad = _verify(capsys, db, tmp_path)
    assert bad.code == 1
    assert ("the trigger hemalog_append_only on audit is disabled: rows may have been "
            "changed behind hemalog") in bad.err
    assert len(bad.lines) == 1, bad.err  # data and chain agree: only the trigger shows it


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


@pytest.mark.sqlite_only
def test_quick_check_does_not_replay_the_data(
        ward: tuple[Path, dict[str, int]]) -> None:
    """Start-up stays fast: only `verify` (and the backup's check) replays every row."""
    db, ids = ward
    _sql(db, f"UPDATE labs SET value = 2.5 WHERE id = {ids['lab']}")
    assert quick_check(db).ok
    assert not verify_database(db).ok


@pytest.mark.sqlite_only
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


@pytest.mark.sqlite_only
def test_a_damaged_checkpoint_file_is_named(ward: tuple[Path, dict[str, int]]) -> None:
    db, _ids = ward
    record_checkpoint(db, "summary printed")
    with checkpoint_file(db).open("a") as f:
        f.write("not a checkpoint\n")
    result = verify_database(db)
    assert not result.ok
    assert any("line 2 is not a checkpoint" in line for line in result.lines())


@pytest.mark.sqlite_only
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
