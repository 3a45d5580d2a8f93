"""The audit log: one row per changed item, written in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from clinical.audit import AuditAction, AuditEntry


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


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
        rows = [
            (first + i, at, self.user, patient_id, table, row_id, str(action),
             _dump(old), _dump(new), reason)
            for i, (patient_id, table, row_id, action, old, new, reason) in enumerate(entries)
        ]
        self._db.conn.executemany(
            "INSERT INTO audit (id, at, user, patient_id, table_name, row_id, action,"
            " old_value, new_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
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
