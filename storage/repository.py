"""The repositories: the only code that reads or writes patient data.

They talk to ``store.sql`` (storage.sql.Sql) only, in SQL both backends read, so the
same classes can run on a PostgreSQL server (issue 16); ``SqliteStore`` gives them a
``SqliteSql`` over its file. Every write runs in one transaction together with its
audit rows. Nothing is deleted: a removed item is voided with a reason. Updates
carry the version the editor started from; a mismatch is a conflict, never a silent
overwrite.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from clinical.accounts import (
    SIGNATURE_CORRECT, SIGNATURE_INCOMPLETE, SIGNATURE_MISSING, SIGNATURE_OTHER_USER,
    SIGNATURE_VOID, PermissionDenied, Role, User, check, needs_signature,
)
from clinical.audit import AuditAction
from clinical.errors import ConflictError, HemalogError, NotFoundError
from clinical.messages import msg
from clinical.pinyin import han_runs, pinyin_forms, query_pinyin
from clinical.record import (
    Assessment, Course, DrugLine, Event, Lab, MarrowResult, Measurement, Patient, PatientSummary,
    Record,
)
from storage.accounts import AccountRepository
from storage.audit import AuditLog
from storage.codec import from_row, from_rows, row_columns, to_row, unreadable_message
from storage.database import open_database
from storage.history import ever_had_accounts
from storage.live import OwnWrites
from storage.sql import Sql, SqlError, SqliteSql

T = TypeVar("T")

__all__ = ["BaseStore", "SqliteStore", "search_key", "search_condition"]


# Before each pinyin form of a key's Chinese characters (issue 15): not a character a
# query holds (a typed tab is searched as a space), so a query matches one form at a time.
PINYIN_MARK = "\t"


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def search_key(*parts: str) -> str:
    """Normalised text for search as you type: NFKC, case-folded; then, for each part
    holding Chinese characters, its pinyin forms (clinical.pinyin): "p-1 张伟\tzhangwei\tzw".

    Migration 4 recomputes every patient's key with this function; a later change to
    what it stores needs a migration of its own to recompute them again.
    """
    forms = [f for part in parts for f in pinyin_forms(part)]
    text = _normalise(" ".join(parts))
    return "".join([text, *(PINYIN_MARK + form for form in forms)])


def _like_pattern(text: str, prefix: str = "") -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{prefix}%{escaped}%" if prefix else f"%{escaped}%"


SUMMARY_FIELDS = PatientSummary._fields


def search_condition(search: str) -> tuple[str, list[str]]:
    """(SQL condition on ``search_key``, its parameters) for what was typed.

    The text as typed (normalised) is looked for anywhere in the key: MRN, name, or a
    name's pinyin (``zhang``, ``zhangw``, ``zw``). A query mixing Chinese characters
    with letters (``张w``, ``zhang伟``), or with spaces (``zhang wei``, ``张 伟``), is
    also looked for in the pinyin forms, turned into pinyin itself; its characters
    must then be in the name as typed, so ``张w`` finds 张伟 but not 章伟. A query of
    characters alone matches characters only (张 does not find 章).
    """
    text = _normalise(search.strip()).replace(PINYIN_MARK, " ")
    sql, params = "search_key LIKE ? ESCAPE '\\'", [_like_pattern(text)]
    if not text:
        return sql, params
    runs = han_runs(text)
    mixed = bool(runs) and "".join(runs) != text
    if not mixed and (runs or text.isalnum()):
        return sql, params   # only characters, or one word of letters: as typed
    spelled = query_pinyin(text)
    if not spelled or spelled == text:
        return sql, params
    also = " AND ".join(["search_key LIKE ? ESCAPE '\\'"] * (1 + len(runs)))
    return (f"({sql} OR ({also}))",
            [*params, _like_pattern(spelled, PINYIN_MARK), *map(_like_pattern, runs)])


SIGNATURE_KEYS = ("by", "meaning", "at")


def _check_signature(store: BaseStore, table: str, action: str,
                     signature: dict[str, str] | None) -> None:
    """Refuse the change unless it is signed by the signed-in user. Applies only when a
    role is signed in; the command line has no command that voids or corrects."""
    if store.role is None or not needs_signature(table, action):
        return
    what = msg(SIGNATURE_VOID if action == "void" else SIGNATURE_CORRECT)
    if not signature:
        raise HemalogError(msg(SIGNATURE_MISSING, what=what))
    if any(not isinstance(signature.get(k), str) or not signature[k].strip()
           for k in SIGNATURE_KEYS):
        raise HemalogError(msg(SIGNATURE_INCOMPLETE, what=what))
    if signature["by"] != store.user:
        raise HemalogError(msg(SIGNATURE_OTHER_USER, signer=signature["by"], user=store.user))


class _Table(Generic[T]):
    """Shared add/update/void/get for one table of items of class ``cls``."""

    table: str
    cls: type
    parent_column = "patient_id"

    def __init__(self, store: BaseStore) -> None:
        self._store = store

    @property
    def _sql(self) -> Sql:
        return self._store.sql

    def _row(self, item_id: int) -> dict[str, Any]:
        row = self._sql.query_one(f"SELECT * FROM {self.table} WHERE id = ?", [item_id])
        if row is None:
            raise NotFoundError(f"{self.table} item {item_id} does not exist")
        return row

    def _patient_of(self, row: dict[str, Any]) -> int:
        return row[self.parent_column]

    def _next(self, column: str, where: str = "", params: Sequence[Any] = ()) -> int:
        sql = f"SELECT coalesce(max({column}), 0) + 1 FROM {self.table} {where}"
        return self._sql.scalar(sql, params)

    def _from_row(self, row: dict[str, Any]) -> T:
        return from_row(self.cls, row)

    def get(self, item_id: int) -> T:
        with self._store.reading():
            return self._from_row(self._row(item_id))

    def _new_keys(self, parent_id: int, *, parent: str | None = None) -> tuple[int, int]:
        """(id, seq) of a row to add under ``parent_id``, read in one statement: on a
        server each read is a round trip of the save. With ``parent`` (the parent's
        table) the parent row is looked for in the same statement: NotFoundError, as
        from its ``_row``, when it is not there."""
        keys = (f"(SELECT coalesce(max(id), 0) + 1 FROM {self.table}), "
                f"(SELECT coalesce(max(seq), 0) + 1 FROM {self.table} "
                f"WHERE {self.parent_column} = ?)")
        if parent is None:
            new_id, seq = self._sql.tuples(f"SELECT {keys}", [parent_id])[0]
            return new_id, seq
        found = self._sql.tuples(f"SELECT {keys} FROM {parent} WHERE id = ?",
                                 [parent_id, parent_id])
        if not found:
            raise NotFoundError(f"{parent} item {parent_id} does not exist")
        new_id, seq = found[0]
        return new_id, seq

    def _insert(self, parent_id: int, item: Any,
                keys: tuple[int, int] | None = None) -> dict[str, Any]:
        """Insert ``item`` under ``parent_id`` with the (id, seq) ``keys`` (read here when
        None); its row as written."""
        row = to_row(item)
        new_id, seq = keys if keys is not None else self._new_keys(parent_id)
        row.update(id=new_id, seq=seq, version=1, voided=0)
        row[self.parent_column] = parent_id
        self._sql.insert(self.table, row)
        return row

    def _update_row(self, item: Any, reason: str | None,
                    signature: dict[str, str] | None = None) -> dict[str, Any]:
        if item.id is None:
            raise HemalogError(f"{self.table}: this item has not been saved yet")
        old = self._row(item.id)
        if old["voided"]:
            raise HemalogError(f"{self.table} item {item.id} was voided; it cannot be corrected")
        new_values = to_row(item)
        if old["version"] != item.version:
            current = {k: old[k] for k in new_values}
            raise ConflictError(
                [f"{self.table} item {item.id} was changed by someone else since you opened it",
                 f"  saved now:  {current}", f"  yours:      {new_values}"],
                current=current, attempted=new_values)
        changed = {k: old[k] for k in new_values} != new_values
        if changed:   # an unchanged save moves the version only: nothing to sign
            _check_signature(self._store, self.table, "update", signature)
        new = {**old, **new_values, "version": old["version"] + 1}
        changed_rows = self._sql.execute(
            f"UPDATE {self.table} SET {', '.join(f'{k} = ?' for k in new_values)}, "
            "version = version + 1 WHERE id = ? AND version = ?",
            [*new_values.values(), item.id, item.version])
        if changed_rows != 1:  # pragma: no cover - the write lock makes this unreachable
            raise ConflictError(f"{self.table} item {item.id} changed while saving")
        if changed:
            self._store.audit.append(patient_id=self._patient_id_for(old), table=self.table,
                                     row_id=item.id, action=AuditAction.UPDATE, old=old, new=new,
                                     reason=reason, signature=signature)
        return new

    def _patient_id_for(self, row: dict[str, Any]) -> int:
        return row["patient_id"]

    def _void_row(self, item_id: int, reason: str,
                  signature: dict[str, str] | None = None) -> None:
        if not reason or not reason.strip():
            raise HemalogError("reason: say why the item is voided")
        old = self._row(item_id)
        if old["voided"]:
            raise HemalogError(f"{self.table} item {item_id} is already voided")
        self._sql.execute(
            f"UPDATE {self.table} SET voided = 1, void_reason = ?, version = version + 1 "
            "WHERE id = ?", [reason, item_id])
        new = {**old, "voided": 1, "void_reason": reason, "version": old["version"] + 1}
        self._store.audit.append(patient_id=self._patient_id_for(old), table=self.table,
                                 row_id=item_id, action=AuditAction.VOID, old=old, new=new,
                                 reason=reason, signature=signature)

    def void(self, item_id: int, reason: str, signature: dict[str, str] | None = None) -> None:
        """Void with a reason; a signed-in user signs it (``signature``: by, meaning, at)."""
        check(self._store.role, "void", self.table)
        _check_signature(self._store, self.table, "void", signature)
        with self._store.writing():
            self._void_row(item_id, reason, signature)


class ItemTable(_Table[T]):
    """Items that belong to a patient: measurements, events, labs, marrow, assessments."""

    def __init__(self, store: BaseStore, table: str, cls: type) -> None:
        super().__init__(store)
        self.table = table
        self.cls = cls

    def add(self, patient_id: int, item: T) -> T:
        with self._store.writing():
            row = self._insert(patient_id, item, self._new_keys(patient_id, parent="patients"))
            self._store.audit.append(patient_id=patient_id, table=self.table, row_id=row["id"],
                                     action=AuditAction.INSERT, new=row)
        return dataclasses.replace(item, id=row["id"], version=1)  # type: ignore[type-var]

    def add_many(self, patient_id: int, items: Sequence[T], reason: str | None = None
                 ) -> int:
        """Add ``items`` in one transaction (all or none), each with its audit row;
        ``reason`` says where they came from (a lab file: its name and hash). Returns
        how many were added (a lab file's 20,000 results are not built again)."""
        if not items:
            return 0
        with self._store.writing():
            first, seq = self._new_keys(patient_id, parent="patients")
            chunk = 5_000
            for start in range(0, len(items), chunk):
                rows, audit = [], []
                for n, item in enumerate(items[start:start + chunk], start=start):
                    row = {**to_row(item), "id": first + n, self.parent_column: patient_id,
                           "seq": seq + n, "version": 1, "voided": 0}
                    rows.append(row)
                    audit.append((patient_id, self.table, row["id"], AuditAction.INSERT,
                                  None, row, reason))
                self._sql.insert_all(self.table, rows)
                self._store.audit.append_many(audit)
        return len(items)

    def of_tests(self, patient_id: int, tests: Sequence[Any], since: date | None = None
                 ) -> list[Any]:
        """Current labs of ``tests`` (from ``since`` on), in record order, read with a
        lean decoder (an export reads hundreds of thousands of counts); any value not
        in the form hemalog writes falls back to the careful reader, which names it."""
        from clinical.record import Lab, LabTest
        if self.table != "labs":
            raise TypeError("of_tests reads labs")
        names = [str(getattr(t, "value", t)) for t in tests]
        if not names:
            return []
        where = "AND date >= ?" if since is not None else ""
        params: list[Any] = [patient_id, *names] + ([since.isoformat()] if since else [])
        marks = ",".join("?" * len(names))
        with self._store.reading():
            rows = self._sql.tuples(
                "SELECT date, test, value, unit, lln, uln, id, version FROM labs WHERE "
                f"patient_id = ? AND voided = 0 AND test IN ({marks}) {where} ORDER BY seq",
                params)
        known = {t.value: t for t in LabTest}
        fromiso = date.fromisoformat
        try:
            out = []
            for day, test, value, unit, lln, uln, item_id, version in rows:
                if type(day) is not str or len(day) != 10 or day[4] != "-" or \
                        type(value) not in (int, float):
                    raise ValueError(day)
                out.append(Lab(date=fromiso(day), test=known[test], value=value, unit=unit,
                               lln=lln, uln=uln, id=item_id, version=version))
            return out
        except (TypeError, ValueError, KeyError):
            return [self._from_row(self._row(r[6])) for r in rows]

    def last_date(self, patient_id: int) -> date | None:
        """The latest date of the patient's current items of this kind."""
        with self._store.reading():
            value = self._sql.scalar(
                f"SELECT max(date) FROM {self.table} WHERE patient_id = ? AND voided = 0",
                [patient_id])
        return None if value is None else date.fromisoformat(str(value)[:10])

    def update(self, item: T, reason: str | None = None,
               signature: dict[str, str] | None = None) -> T:
        """Correct a saved item; a graded assessment's correction is signed."""
        with self._store.writing():
            new = self._update_row(item, reason, signature)
        return dataclasses.replace(item, version=new["version"])  # type: ignore[type-var]

    def list(self, patient_id: int, include_voided: bool = False) -> list[T]:
        voided = "" if include_voided else "AND voided = 0"
        columns = ", ".join(f'"{name}"' for name in row_columns(self.cls))
        with self._store.reading():
            rows = self._sql.tuples(
                f"SELECT {columns} FROM {self.table} WHERE patient_id = ? {voided} "
                "ORDER BY seq", [patient_id])
            return from_rows(self.cls, rows)


class _DrugLines(_Table[DrugLine]):
    table = "drug_lines"
    cls = DrugLine
    parent_column = "course_id"

    def _patient_id_for(self, row: dict[str, Any]) -> int:
        return self._store.courses._row(row["course_id"])["patient_id"]


class CourseTable(_Table[Course]):
    """Courses with their drug lines, saved and corrected as one unit."""

    table = "courses"
    cls = Course

    def __init__(self, store: BaseStore) -> None:
        super().__init__(store)
        self._lines = _DrugLines(store)

    def add(self, patient_id: int, item: Course) -> Course:
        with self._store.writing():
            row = self._insert(patient_id, item, self._new_keys(patient_id, parent="patients"))
            audit = [(patient_id, self.table, row["id"], AuditAction.INSERT, None, row, None)]
            lines = []
            for drug in item.drugs:
                line = self._lines._insert(row["id"], drug)
                audit.append((patient_id, "drug_lines", line["id"], AuditAction.INSERT, None,
                              line, None))
                lines.append(dataclasses.replace(drug, id=line["id"], version=1))
            self._store.audit.append_many(audit)
        return dataclasses.replace(item, id=row["id"], version=1, drugs=tuple(lines))

    def update(self, item: Course, reason: str | None = None,
               signature: dict[str, str] | None = None) -> Course:
        """Correct a course: changed lines are updated, new ones added, missing ones voided.

        A line dropped here is part of correcting the course (not a void on its own), so
        no signature is required; one given is recorded on each of the course's rows."""
        with self._store.writing():
            new = self._update_row(item, reason, signature)
            existing = {r["id"]: r for r in self._sql.query(
                "SELECT * FROM drug_lines WHERE course_id = ? AND voided = 0", [item.id])}
            lines = []
            for drug in item.drugs:
                if drug.id is not None and drug.id in existing:
                    old = existing.pop(drug.id)
                    if to_row(drug) != {k: old[k] for k in to_row(drug)}:
                        version = self._lines._update_row(drug, reason, signature)["version"]
                        drug = dataclasses.replace(drug, version=version)
                    lines.append(drug)
                else:
                    line = self._lines._insert(item.id, drug)
                    self._store.audit.append(patient_id=new["patient_id"], table="drug_lines",
                                             row_id=line["id"], action=AuditAction.INSERT,
                                             new=line, reason=reason, signature=signature)
                    lines.append(dataclasses.replace(drug, id=line["id"], version=1))
            for line_id in existing:
                self._lines._void_row(line_id, reason or "removed from the course", signature)
        return dataclasses.replace(item, version=new["version"], drugs=tuple(lines))

    def _with_lines(self, rows: list[dict[str, Any]]) -> list[Course]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        by_course: dict[int, list[DrugLine]] = {i: [] for i in ids}
        marks = ",".join("?" * len(ids))
        for line in self._sql.query(
                f"SELECT * FROM drug_lines WHERE course_id IN ({marks}) AND voided = 0 "
                "ORDER BY course_id, seq", ids):
            by_course[line["course_id"]].append(from_row(DrugLine, line))
        return [from_row(Course, r, drugs=tuple(by_course[r["id"]])) for r in rows]

    def _from_row(self, row: dict[str, Any]) -> Course:
        return self._with_lines([row])[0]

    def list(self, patient_id: int, include_voided: bool = False) -> list[Course]:
        voided = "" if include_voided else "AND voided = 0"
        with self._store.reading():
            rows = self._sql.query(
                f"SELECT * FROM courses WHERE patient_id = ? {voided} ORDER BY seq", [patient_id])
            return self._with_lines(rows)


class PatientTable(_Table[Patient]):
    table = "patients"
    cls = Patient

    def _patient_id_for(self, row: dict[str, Any]) -> int:
        return row["id"]

    def _row_for(self, patient: Patient) -> dict[str, Any]:
        row = to_row(patient)
        row["search_key"] = search_key(patient.mrn, patient.name)
        return row

    def _check_mrn_free(self, mrn: str, own_id: int | None = None) -> None:
        row = self._sql.query_one("SELECT id, voided FROM patients WHERE mrn = ?", [mrn])
        if row and row["id"] != own_id:
            state = " (voided)" if row["voided"] else ""
            raise HemalogError(f"patient.mrn: {mrn} is already in this database{state}")

    def add(self, patient: Patient) -> Patient:
        with self._store.writing():
            self._check_mrn_free(patient.mrn)
            row = {**self._row_for(patient), "id": self._next("id"), "version": 1, "voided": 0}
            self._sql.insert("patients", row)
            self._store.audit.append(patient_id=row["id"], table="patients", row_id=row["id"],
                                     action=AuditAction.INSERT, new=row)
        return dataclasses.replace(patient, id=row["id"], version=1)

    def update(self, patient: Patient, reason: str | None = None) -> Patient:
        with self._store.writing():
            self._check_mrn_free(patient.mrn, patient.id)
            new = self._update_row(patient, reason)
            self._sql.execute("UPDATE patients SET search_key = ? WHERE id = ?",
                              [search_key(patient.mrn, patient.name), patient.id])
        return dataclasses.replace(patient, version=new["version"])

    def with_events(self, types: Sequence[Any]) -> list[int]:
        """Ids of current patients with a current event of one of ``types``, by MRN."""
        kinds = [str(getattr(t, "value", t)) for t in types]
        marks = ",".join("?" * len(kinds))
        with self._store.reading():
            return [r["id"] for r in self._sql.query(
                "SELECT p.id FROM patients p WHERE p.voided = 0 AND EXISTS (SELECT 1 FROM "
                f"events e WHERE e.patient_id = p.id AND e.voided = 0 AND e.type IN ({marks}))"
                " ORDER BY p.mrn", kinds)]

    def list_mrns(self, mrns: Sequence[str]) -> list[str]:
        """Which of these MRNs are taken (voided patients included)."""
        with self._store.reading():
            marks = ",".join("?" * len(mrns))
            return [r["mrn"] for r in self._sql.query(
                f"SELECT mrn FROM patients WHERE mrn IN ({marks})", list(mrns))]

    def get_by_mrn(self, mrn: str) -> Patient:
        with self._store.reading():
            row = self._sql.query_one("SELECT * FROM patients WHERE mrn = ? AND voided = 0",
                                      [mrn])
        if row is None:
            raise NotFoundError(f"no patient with MRN {mrn} in {self._store.location}")
        return from_row(Patient, row)

    def list(self, search: str = "") -> list[Patient]:
        """Current patients whose MRN or name contains ``search``, by MRN."""
        with self._store.reading():
            condition, params = search_condition(search)
            rows = self._sql.query(
                f"SELECT * FROM patients WHERE voided = 0 AND {condition} ORDER BY mrn", params)
            return [from_row(Patient, r) for r in rows]

    def summaries(self, search: str = "") -> list[PatientSummary]:
        with self._store.reading():
            condition, params = search_condition(search)
            rows = self._sql.tuples(
                "SELECT id, mrn, name, diagnosis FROM patients "
                f"WHERE voided = 0 AND {condition} ORDER BY mrn", params)
        for row in rows:
            if not all(type(value) is str for value in row[1:]):
                field = SUMMARY_FIELDS[next(i for i in (1, 2, 3) if type(row[i]) is not str)]
                raise HemalogError(unreadable_message("patients", row[0], field))
        return [PatientSummary._make(row) for row in rows]


class BaseStore:
    """What both backends of ``storage.contract.Store`` share: the repositories over
    ``self.sql`` (an ``Sql``), who is acting, the deny-by-default rule, transactions and
    whole records. A backend gives ``sql``, ``audit``, ``accounts``, ``location``,
    ``short_name`` and ``close``."""

    sql: Sql
    audit: AuditLog
    accounts: AccountRepository

    def __init__(self, *, read_only: bool = False, role: Role | None = None) -> None:
        self.role = role  # the signed-in role (None: no one has signed in)
        self._has_accounts = False  # once true it stays true: accounts are never deleted
        self.read_only = read_only   # opened read-only: list, export, report, plot, verify
        self.patients = PatientTable(self)
        self.measurements: ItemTable[Measurement] = ItemTable(self, "measurements", Measurement)
        self.courses = CourseTable(self)
        self.events: ItemTable[Event] = ItemTable(self, "events", Event)
        self.labs: ItemTable[Lab] = ItemTable(self, "labs", Lab)
        self.marrow: ItemTable[MarrowResult] = ItemTable(self, "marrow", MarrowResult)
        self.assessments: ItemTable[Assessment] = ItemTable(self, "assessments", Assessment)

    @property
    def location(self) -> str:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    @property
    def user(self) -> str:
        return self.audit.user

    def sign_in(self, user: User) -> None:
        """From now on writes are recorded under this user and its role's rules apply."""
        if user.disabled:
            raise PermissionDenied(f"{user.username}: this account is disabled")
        self.audit.user = user.username
        self.role = user.role

    @property
    def has_accounts(self) -> bool:
        """True when the database has staff accounts: then nothing is read or written
        until someone signs in. Asked once per transaction until it is true."""
        if not self._has_accounts:
            try:
                found = self.sql.scalar("SELECT 1 FROM users LIMIT 1")
            except SqlError:
                if "users" not in self.sql.tables():  # read-only, from before accounts existed
                    return False
                raise
            self._has_accounts = found is not None
        return self._has_accounts

    def ever_had_accounts(self) -> bool:
        """True when the database has or ever had staff accounts (storage.history)."""
        return ever_had_accounts(self.sql)

    def _refuse_unless_signed_in(self) -> None:
        """Deny by default: on a database with accounts no one reads or writes without
        signing in."""
        if self.role is None and self.has_accounts:
            raise PermissionDenied("sign in first: this database has staff accounts")

    def _role_for_rules(self) -> Role | None:
        """The role clinical.accounts judges; None only while the database has no accounts."""
        self._refuse_unless_signed_in()
        return self.role

    def __enter__(self) -> BaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A write transaction (``sql.transaction()``); database failures are one clear
        line (storage.sql.SqlError). Refused (PermissionDenied) on a database with
        accounts until someone signs in."""
        with self.sql.transaction():
            self._refuse_unless_signed_in()  # inside: the first account may be new
            yield

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads; refused like writes on a database with accounts until someone signs in.
        Database failures are one clear line (storage.sql.SqlError)."""
        self._refuse_unless_signed_in()
        yield

    def counts(self) -> dict[str, int]:
        """Rows per table, voided included (for tests and `list`)."""
        with self.reading():
            return {t: self.sql.scalar(f"SELECT count(*) FROM {t}")
                    for t in ("patients", "measurements", "courses", "drug_lines", "events",
                              "labs", "marrow", "assessments", "audit")}

    # --- whole records --------------------------------------------------------

    def add_records(self, records: Sequence[Record]) -> list[Patient]:
        """Add whole records in one transaction: all of them, or none."""
        seen: set[str] = set()
        for r in records:
            if r.patient.mrn in seen:
                raise HemalogError(f"patient.mrn: {r.patient.mrn} appears in more than one file")
            seen.add(r.patient.mrn)
        out = []
        with self.writing():
            for record in records:
                self.patients._check_mrn_free(record.patient.mrn)
            for record in records:
                out.append(self._add_record(record))
        return out

    def _add_record(self, record: Record) -> Patient:
        """Insert a record's rows and their audit rows, a chunk of items at a time.

        Each chunk's rows and audit entries are written and dropped before the
        next is built, so memory does not grow with the record (issue 13). The
        ids and the order of the audit rows are those of one single write.
        """
        patients = self.patients
        prow = {**patients._row_for(record.patient), "id": patients._next("id"),
                "version": 1, "voided": 0}
        self.sql.insert("patients", prow)
        pid = prow["id"]
        self.audit.append_many([(pid, "patients", pid, AuditAction.INSERT, None, prow, None)])
        tables: list[tuple[str, Sequence[Any]]] = [
            ("measurements", record.measurements), ("courses", record.courses),
            ("events", record.events), ("labs", record.labs), ("marrow", record.marrow),
            ("assessments", record.assessments)]
        next_line_id = self.courses._lines._next("id")
        chunk = 5_000
        for table, items in tables:
            if not items:
                continue
            first = self.sql.scalar(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            for start in range(0, len(items), chunk):
                rows: list[dict[str, Any]] = []
                line_rows: list[dict[str, Any]] = []
                audit: list[tuple[Any, ...]] = []
                for seq, item in enumerate(items[start:start + chunk], start=start + 1):
                    row = {**to_row(item), "id": first + seq - 1, "patient_id": pid, "seq": seq,
                           "version": 1, "voided": 0}
                    rows.append(row)
                    audit.append((pid, table, row["id"], AuditAction.INSERT, None, row, None))
                    drugs = item.drugs if table == "courses" else ()
                    for line_seq, drug in enumerate(drugs, start=1):
                        line = {**to_row(drug), "id": next_line_id, "course_id": row["id"],
                                "seq": line_seq, "version": 1, "voided": 0}
                        next_line_id += 1
                        line_rows.append(line)
                        audit.append((pid, "drug_lines", line["id"], AuditAction.INSERT, None,
                                      line, None))
                self._insert_rows(table, rows)
                self._insert_rows("drug_lines", line_rows)
                self.audit.append_many(audit)
        return dataclasses.replace(record.patient, id=pid, version=1)

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        self.sql.insert_all(table, rows)

    def load_record(self, patient_id: int, *, lab_tests: Sequence[Any] | None = None
                    ) -> Record:
        with self.reading():
            if lab_tests is None:
                labs = self.labs.list(patient_id)
            else:
                tests = [str(getattr(t, "value", t)) for t in lab_tests]
                marks = ",".join("?" * len(tests))
                labs = [self.labs._from_row(r) for r in self.sql.query(
                    f"SELECT * FROM labs WHERE patient_id = ? AND voided = 0 "
                    f"AND test IN ({marks}) ORDER BY seq", [patient_id, *tests])] \
                    if tests else []
            return Record(
                patient=self.patients.get(patient_id),
                measurements=tuple(self.measurements.list(patient_id)),
                courses=tuple(self.courses.list(patient_id)),
                events=tuple(self.events.list(patient_id)),
                labs=tuple(labs),
                marrow=tuple(self.marrow.list(patient_id)),
                assessments=tuple(self.assessments.list(patient_id)),
            )


class SqliteStore(BaseStore):
    """All repositories of one hemalog database file: the SQLite backend of
    ``storage.contract.Store``. Open it through ``storage.open_store``; ``path`` (and
    ``db``) are for what only a file has (backup, restore, its checks) and stay in
    storage/."""

    def __init__(self, path: Path | str, *, user: str, read_only: bool = False,
                 role: Role | None = None) -> None:
        super().__init__(read_only=read_only, role=role)
        self.path = Path(path)
        self.db = open_database(self.path, read_only=read_only)
        # What the repositories use; messages name the file as it was given.
        self.sql: SqliteSql = SqliteSql(self.db)
        self.sql.location = str(self.path)
        self.audit = AuditLog(self.sql, user)
        self.accounts = AccountRepository(self.sql, self.audit, self._role_for_rules)
        self.own_writes = OwnWrites()

    @property
    def location(self) -> str:
        """The file's path as text (status bar, summary footer, per-database settings)."""
        return str(self.path)

    @property
    def short_name(self) -> str:
        """The file's name, for the window title."""
        return self.path.name

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """As BaseStore.writing; the audit ids an outermost transaction wrote are noted
        once it commits (``own_writes``), so this store's watch does not report them."""
        if self.sql.in_transaction:
            with super().writing():
                yield
            return
        with super().writing():
            # BEGIN IMMEDIATE holds the write lock: the ids after this one are ours.
            first = (self.sql.scalar("SELECT max(id) FROM audit") or 0) + 1
            yield
            last = self.sql.scalar("SELECT max(id) FROM audit") or 0
        self.own_writes.add(first, last)

    def watch(self, on_change: Any, on_connection: Any = None) -> Any:
        """Changes other windows or processes save to this file (storage.live); what
        this store wrote itself is left out."""
        from storage.live import watch_file

        return watch_file(self.path, on_change, own=self.own_writes)
