"""The audit log: one row per changed item, written in the same transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from clinical.audit import AuditAction, AuditEntry


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


GENESIS = "0" * 64
AUDIT_FIELDS = ("id", "at", "user", "patient_id", "table_name", "row_id", "action",
                "old_value", "new_value", "reason")


def chain_hash(previous: str, fields: Sequence[Any]) -> str:
    """SHA-256 over the previous row's hash and this row's content (AUDIT_FIELDS order).

    Changing any stored value, or deleting or reordering rows, breaks every hash
    from that row on: `hemalog verify` names the first row that no longer fits.
    """
    payload = json.dumps([previous, *fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def last_hash(db: Database) -> str:
    row = db.conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row and row[0] else GENESIS


def verify_chain(db: Database, *, last: int | None = None) -> tuple[int, int | None, str]:
    """(rows checked, first bad row id or None, what is wrong).

    ``last``: check only the newest rows, starting from the stored hash before
    them (a quick check at start-up; `hemalog verify` checks the whole chain).
    """
    previous = GENESIS
    expected_id = None
    count = 0
    where = ""
    if last is not None:
        start = db.conn.execute("SELECT coalesce(max(id), 0) - ? FROM audit", [last]).fetchone()[0]
        if start > 0:
            row = db.conn.execute("SELECT id, hash FROM audit WHERE id <= ? ORDER BY id DESC "
                                  "LIMIT 1", [start]).fetchone()
            if row:
                previous, expected_id = row[1], row[0] + 1
                where = f"WHERE id > {int(row[0])}"
    cursor = db.conn.execute(
        f"SELECT {', '.join(AUDIT_FIELDS)}, hash FROM audit {where} ORDER BY id")
    for row in cursor:
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
    """Appends audit rows; callers hold the write transaction."""

    def __init__(self, db: Database, user: str) -> None:
        self._db = db
        self.user = user

    def _next_id(self) -> int:
        return self._db.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM audit").fetchone()[0]

    def append(self, *, patient_id: int | None, table: str, row_id: int, action: AuditAction,
               old: dict[str, Any] | None = None, new: dict[str, Any] | None = None,
               reason: str | None = None) -> None:
        self.append_many([(patient_id, table, row_id, action, old, new, reason)])

    def append_many(self, entries: Iterable[tuple[Any, ...]]) -> int:
        """Append (patient_id, table, row_id, action, old, new, reason) tuples."""
        at = now_utc()
        first = self._next_id()
        previous = last_hash(self._db)
        rows = []
        for i, (patient_id, table, row_id, action, old, new, reason) in enumerate(entries):
            fields = (first + i, at, self.user, patient_id, table, row_id, str(action),
                      _dump(old), _dump(new), reason)
            previous = chain_hash(previous, fields)
            rows.append((*fields, previous))
        self._db.conn.executemany(
            "INSERT INTO audit (id, at, user, patient_id, table_name, row_id, action,"
            " old_value, new_value, reason, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)
        return len(rows)

    def entries(self, patient_id: int | None = None) -> list[AuditEntry]:
        where, params = ("WHERE patient_id = ?", [patient_id]) if patient_id is not None else ("", [])
        rows = self._db.query(f"SELECT * FROM audit {where} ORDER BY id", params)
        return [
            AuditEntry(id=r["id"], at=r["at"], user=r["user"], patient_id=r["patient_id"],
                       table=r["table_name"], row_id=r["row_id"],
                       action=AuditAction(r["action"]),
                       old=json.loads(r["old_value"]) if r["old_value"] else None,
                       new=json.loads(r["new_value"]) if r["new_value"] else None,
                       reason=r["reason"])
            for r in rows
        ]

    def count(self) -> int:
        return self._db.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
