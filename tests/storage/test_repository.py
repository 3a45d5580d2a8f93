"""The repository: add / update / void / get / list, each with its audit rows."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from clinical.audit import AuditAction
from clinical.errors import ConflictError, HemalogError, NotFoundError
from clinical.record import (
    Course, DoseUnit, DrugLine, Lab, LabTest, Patient, Sex,
)
from storage.database import DatabaseError, open_database
from storage.migrations import SCHEMA_VERSION
from storage.record_files import import_files
from storage.repository import SqliteStore


def _patient(mrn: str = "P-1", name: str = "Li Wei 李伟") -> Patient:
    return Patient(mrn=mrn, name=name, sex=Sex.MALE, diagnosis="T-ALL/LBL")


@pytest.mark.sqlite_only
def test_new_database_has_pragmas_and_schema_version(db_path: Path, store: SqliteStore) -> None:
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert (db_path.stat().st_mode & 0o777) == 0o600


def test_add_patient_and_item_writes_audit_rows_with_user(store: SqliteStore) -> None:
    p = store.patients.add(_patient())
    lab = store.labs.add(p.id, Lab(date=date(2025, 1, 2), test=LabTest.ANC, value=0.4,
                                   unit="10^9/L"))
    assert lab.id is not None and lab.version == 1
    entries = store.audit.entries(p.id)
    assert [(e.table, e.action, e.user) for e in entries] == [
        ("patients", AuditAction.INSERT, "tester"), ("labs", AuditAction.INSERT, "tester")]
    assert entries[1].new["value"] == 0.4
    assert store.labs.list(p.id) == [lab]


def test_update_keeps_old_value_in_audit_and_bumps_version(store: SqliteStore) -> None:
    p = store.patients.add(_patient())
    lab = store.labs.add(p.id, Lab(date=date(2025, 1, 2), test=LabTest.PLT, value=12,
                                   unit="10^9/L"))
    fixed = store.labs.update(dataclasses.replace(lab, value=21), reason="typo")
    assert fixed.version == 2
    assert store.labs.get(lab.id).value == 21
    last = store.audit.entries(p.id)[-1]
    assert (last.action, last.old["value"], last.new["value"], last.reason) == (
        AuditAction.UPDATE, 12, 21, "typo")


def test_stale_update_is_a_conflict_and_overwrites_nothing(store: SqliteStore) -> None:
    p = store.patients.add(_patient())
    lab = store.labs.add(p.id, Lab(date=date(2025, 1, 2), test=LabTest.PLT, value=12,
                                   unit="10^9/L"))
    store.labs.update(dataclasses.replace(lab, value=21))
    with pytest.raises(ConflictError) as info:
        store.labs.update(dataclasses.replace(lab, value=30))  # still version 1
    assert "21" in str(info.value) and "30" in str(info.value)
    assert store.labs.get(lab.id).value == 21


def test_void_needs_a_reason_hides_the_item_and_keeps_it(store: SqliteStore) -> None:
    p = store.patients.add(_patient())
    lab = store.labs.add(p.id, Lab(date=date(2025, 1, 2), test=LabTest.HB, value=80,
                                   unit="g/L"))
    with pytest.raises(HemalogError, match="reason"):
        store.labs.void(lab.id, " ")
    store.labs.void(lab.id, "wrong patient")
    assert store.labs.list(p.id) == []
    assert [x.id for x in store.labs.list(p.id, include_voided=True)] == [lab.id]
    last = store.audit.entries(p.id)[-1]
    assert (last.action, last.reason) == (AuditAction.VOID, "wrong patient")
    with pytest.raises(HemalogError, match="voided"):
        store.labs.update(dataclasses.replace(store.labs.get(lab.id), value=81))


def test_course_update_changes_adds_and_voids_drug_lines(store: SqliteStore) -> None:
    p = store.patients.add(_patient())
    course = store.courses.add(p.id, Course(name="Flu/Cy", start_date=date(2025, 3, 1), drugs=(
        DrugLine(drug="fludarabine", dose=30, unit=DoseUnit.MG_M2, days=(1, 2, 3)),
        DrugLine(drug="cyclophosphamide", dose=500, unit=DoseUnit.MG_M2, days=(1, 2, 3)))))
    flu, cy = course.drugs
    changed = dataclasses.replace(course, drugs=(
        dataclasses.replace(flu, dose=25),
        DrugLine(drug="mesna", dose=300, unit=DoseUnit.MG_M2, days=(1,))))
    saved = store.courses.update(changed, reason="renal dose")
    got = store.courses.get(course.id)
    assert [(d.drug, d.dose) for d in got.drugs] == [("fludarabine", 25), ("mesna", 300)]
    assert saved.drugs == got.drugs
    # The course row itself did not change, so only its lines are audited.
    actions = [(e.table, e.action, e.reason) for e in store.audit.entries(p.id)][-3:]
    assert actions == [("drug_lines", AuditAction.UPDATE, "renal dose"),
                       ("drug_lines", AuditAction.INSERT, "renal dose"),
                       ("drug_lines", AuditAction.VOID, "renal dose")]


def test_failed_write_leaves_nothing_behind(store: SqliteStore) -> None:
    before = store.counts()
    with pytest.raises(NotFoundError):
        store.labs.add(999, Lab(date=date(2025, 1, 2), test=LabTest.HB, value=80, unit="g/L"))
    assert store.counts() == before


def test_patient_search_by_mrn_or_name_including_chinese(store: SqliteStore) -> None:
    store.patients.add(_patient("MRN-001", "Wang Fang 王芳"))
    store.patients.add(_patient("MRN-002", "Zhang Wei 张伟"))
    store.patients.add(_patient("X_100%", "Ann O'Neil"))
    assert [p.mrn for p in store.patients.list("王")] == ["MRN-001"]
    assert [p.mrn for p in store.patients.list("mrn-00")] == ["MRN-001", "MRN-002"]
    assert [p.mrn for p in store.patients.list("ZHANG")] == ["MRN-002"]
    assert [p.mrn for p in store.patients.list("_100%")] == ["X_100%"]
    assert [p.mrn for p in store.patients.list("%")] == ["X_100%"]


def test_duplicate_mrn_is_refused(store: SqliteStore) -> None:
    store.patients.add(_patient("A"))
    with pytest.raises(HemalogError, match="already"):
        store.patients.add(_patient("A"))


def test_import_and_load_record_round_trip(store: SqliteStore, demo_record_path: Path) -> None:
    (patient,) = import_files(store, [demo_record_path])
    record = store.load_record(patient.id)
    assert len(record.labs) == 368 and len(record.courses) == 15
    assert record.courses[0].drugs[0].drug == "cyclophosphamide"
    assert store.counts()["audit"] == sum(
        store.counts()[t] for t in ("patients", "measurements", "courses", "drug_lines",
                                    "events", "labs", "marrow", "assessments"))


def test_a_database_from_an_earlier_release_upgrades_in_place(tmp_path: Path) -> None:
    """A schema-0 file (an empty database) and a current one both open and end current."""
    old = tmp_path / "old.db"
    sqlite3.connect(old).close()
    db = open_database(old)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    again = open_database(old)  # reopening is a no-op migration
    assert set(again.table_names()) >= {"patients", "labs", "audit"}
    again.close()


def test_newer_or_foreign_sqlite_files_are_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(DatabaseError, match="newer hemalog"):
        open_database(newer)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.close()
    with pytest.raises(DatabaseError, match="another program"):
        open_database(other)
