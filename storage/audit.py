"""The audit log: one row per changed item, written in the same transaction."""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from clinical.audit import AuditAction, AuditEntry
from clinical.plain_text import printable
from clinical.version import software_stamp
from storage.sql import Sql, SqlLike, as_sql, quote_name


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# One encoder each, made once: json.dumps with options builds an encoder per call, a
# cost that shows when a lab file's 20,000 rows are audited at once. Same output.
_ROW_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_CHAIN_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else _ROW_JSON(value)


GENESIS = "0" * 64
# The columns schema 2 hashed; migration 2 chains exactly these.
V2_FIELDS = ("id", "at", "user", "patient_id", "table_name", "row_id", "action",
             "old_value", "new_value", "reason")
# Schema 3 (issue 14) added these; hashed only when not NULL (see chain_hash).
V3_FIELDS = ("workstation", "signature")
# Schema 5 (issue 19): the hemalog and rules versions that wrote the row.
V5_FIELDS = ("software",)
AUDIT_FIELDS = (*V2_FIELDS, *V3_FIELDS, *V5_FIELDS)
MAX_WORKSTATION = 255


def chain_hash(previous: str, fields: Sequence[Any]) -> str:
    """SHA-256 over the previous row's hash and this row's content (AUDIT_FIELDS order).

    Changing any stored value, or deleting or reordering rows, breaks every hash
    from that row on: `hemalog verify` names the first row that no longer fits.
    The later columns (workstation, signature, software) count only up to the last
    one that is not NULL, so a row written before schema 3 (all NULL) or before
    schema 5 (software NULL) hashes as it did then: old files and old backups still
    verify. Dropping trailing NULLs is unambiguous because each column keeps its
    place and the first ten fields are always there.
    """
    values = list(fields)
    while len(values) > len(V2_FIELDS) and values[-1] is None:
        values.pop()
    payload = _CHAIN_JSON([previous, *values])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit_columns(db: SqlLike) -> str:
    """AUDIT_FIELDS for a SELECT (quoted: "user" is reserved on PostgreSQL); NULL for a
    column the file does not have yet (a schema 2 file opened read-only is read as it
    is, never migrated)."""
    have = set(as_sql(db).columns("audit"))
    return ", ".join(quote_name(f) if f in have else f"NULL AS {f}" for f in AUDIT_FIELDS)


def workstation_name(name: str) -> str:
    """A computer's name as stored in every audit row: control and bidirectional
    characters shown as escapes (clinical.plain_text), at most 255 characters."""
    return printable(name.strip())[:MAX_WORKSTATION] or "unknown"


def last_hash(db: SqlLike) -> str:
    value = as_sql(db).scalar("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
    return value or GENESIS


# verify_chain reads the audit log this many rows at a time (memory stays flat).
VERIFY_BATCH = 10_000


def _audit_rows(sql: Sql, after: int | None) -> Iterator[list[Any]]:
    """[*AUDIT_FIELDS, hash] of every audit row with an id above ``after`` (all when
    None), by id, read a batch at a time."""
    columns = audit_columns(sql)
    while True:
        where, params = ("", []) if after is None else ("WHERE id > ?", [after])
        rows = sql.query(f"SELECT {columns}, hash FROM audit {where} ORDER BY id "
                         f"LIMIT {VERIFY_BATCH}", params)
        for row in rows:
            yield [*(row[f] for f in AUDIT_FIELDS), row["hash"]]
        if len(rows) < VERIFY_BATCH:
            return
        after = rows[-1]["id"]


def verify_chain(db: SqlLike, *, last: int | None = None) -> tuple[int, int | None, str]:
    """(rows checked, first bad row id or None, what is wrong).

    ``last``: check only the newest rows, starting from the stored hash before
    them (a quick check at start-up; `hemalog verify` checks the whole chain).
    """
    sql = as_sql(db)
    previous = GENESIS
    expected_id = None
    count = 0
    after = None
    if last is not None:
        start = sql.scalar("SELECT coalesce(max(id), 0) - ? FROM audit", [last])
        if start > 0:
            row = sql.query_one("SELECT id, hash FROM audit WHERE id <= ? ORDER BY id DESC "
                                "LIMIT 1", [start])
            if row:
                previous, expected_id = row["hash"], row["id"] + 1
                after = int(row["id"])
    for row in _audit_rows(sql, after):
        count += 1
        *fields, stored = row
        if expected_id is not None and fields[0] != expected_id:
            return count, fields[0], (f"audit row {fields[0]}: rows are missing before it "
                                      f"(expected row {expected_id})")
        if chain_hash(previous, fields) != stored:
            return count, fields[0], (f"audit row {fields[0]}: its content or hash was "
                                      "changed after it was written")
        previous = stored
        expected_id = fields[0] + 1
    return count, None, "ok"


class AuditLog:
    """Appends audit rows; callers hold the write transaction.

    Every row names the person (``user``) and the computer (``workstation``).
    """

    def __init__(self, sql: SqlLike, user: str, workstation: str | None = None) -> None:
        self._sql = as_sql(sql)
        self.user = user
        self.workstation = socket.gethostname() if workstation is None else workstation
        # which hemalog and which clinical rules wrote the row (issue 19)
        self.software: str | None = software_stamp()

    @property
    def workstation(self) -> str:
        return self._workstation

    @workstation.setter
    def workstation(self, name: str) -> None:
        self._workstation = workstation_name(name)

    def _head(self) -> tuple[int, str]:
        """(the id the next row takes, the hash it chains from): the newest row's id + 1
        and hash, read together (on a server each read is a round trip of the save)."""
        newest = self._sql.tuples("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
        if not newest:
            return 1, GENESIS
        last_id, last = newest[0]
        return last_id + 1, last or GENESIS

    def append(self, *, patient_id: int | None, table: str, row_id: int, action: AuditAction,
               old: dict[str, Any] | None = None, new: dict[str, Any] | None = None,
               reason: str | None = None, signature: dict[str, str] | None = None) -> None:
        """One row; ``signature`` ({"by", "meaning", "at"}) when the change was signed."""
        self._write([(patient_id, table, row_id, action, old, new, reason)], signature)

    def append_many(self, entries: Iterable[tuple[Any, ...]]) -> int:
        """Append (patient_id, table, row_id, action, old, new, reason) tuples."""
        return self._write(entries, None)

    def _write(self, entries: Iterable[tuple[Any, ...]],
               signature: dict[str, str] | None) -> int:
        at = now_utc()
        first, previous = self._head()
        signed = _dump(signature)
        rows = []
        for i, (patient_id, table, row_id, action, old, new, reason) in enumerate(entries):
            fields = (first + i, at, self.user, patient_id, table, row_id, str(action),
                      _dump(old), _dump(new), reason, self.workstation, signed,
                      self.software)
            previous = chain_hash(previous, fields)
            row = {**dict(zip(AUDIT_FIELDS, fields)), "hash": previous}
            if self.software is None:   # written as before schema 5 (tests of old files)
                del row["software"]
            rows.append(row)
        return self._sql.insert_all("audit", rows)

    def entries(self, patient_id: int | None = None) -> list[AuditEntry]:
        where, params = ("WHERE patient_id = ?", [patient_id]) if patient_id is not None else ("", [])
        rows = self._sql.query(f"SELECT * FROM audit {where} ORDER BY id", params)
        return [
            AuditEntry(id=r["id"], at=r["at"], user=r["user"], patient_id=r["patient_id"],
                       table=r["table_name"], row_id=r["row_id"],
                       action=AuditAction(r["action"]),
                       old=json.loads(r["old_value"]) if r["old_value"] else None,
                       new=json.loads(r["new_value"]) if r["new_value"] else None,
                       reason=r["reason"], workstation=r.get("workstation"),
                       signature=json.loads(r["signature"]) if r.get("signature") else None,
                       software=r.get("software"))
            for r in rows
        ]

    def count(self) -> int:
        return self._sql.scalar("SELECT count(*) FROM audit")


def first_hash(db: SqlLike) -> str | None:
    """The hash of the database's first audit row (None before any): a value only the
    database holds, from which pseudonymous keys are made (storage/research_export.py)."""
    return as_sql(db).scalar("SELECT hash FROM audit ORDER BY id LIMIT 1")
