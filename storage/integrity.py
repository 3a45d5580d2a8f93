"""Checking a database file: SQLite's integrity check and the audit hash chain."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from storage.audit import verify_chain
from storage.database import DatabaseError, describe_sqlite_error, open_database


@dataclass(frozen=True)
class Verification:
    ok: bool
    audit_rows: int
    first_bad_audit_row: int | None
    problems: tuple[str, ...]

    def lines(self) -> list[str]:
        if self.ok:
            return [f"integrity check passed; audit chain of {self.audit_rows} rows intact"]
        return list(self.problems)


def _check(path: Path, *, full: bool, recent_audit_rows: int) -> Verification:
    path = Path(path)
    try:
        db = open_database(path, create=False)
    except DatabaseError as exc:
        return Verification(False, 0, None, tuple(exc.lines))
    try:
        if full:
            problems = [r[0] for r in db.conn.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                return Verification(False, 0, None, tuple(
                    f"{path}: integrity check: {p}" for p in problems[:20]))
        else:
            db.conn.execute("SELECT count(*) FROM patients").fetchone()
        rows, bad, what = verify_chain(db, last=None if full else recent_audit_rows)
        if bad is not None:
            return Verification(False, rows, bad, (f"{path}: {what}",))
        return Verification(True, rows, None, ())
    except sqlite3.Error as exc:
        return Verification(False, 0, None, (describe_sqlite_error(path, exc),))
    finally:
        db.close()


def quick_check(path: Path, *, recent_audit_rows: int = 2000) -> Verification:
    """What start-up can afford: the file opens as a hemalog database, its schema reads,
    and the newest audit rows still chain. The full check (integrity_check and the
    whole chain) runs with the daily backup and in `hemalog verify`."""
    return _check(path, full=False, recent_audit_rows=recent_audit_rows)


def verify_database(path: Path) -> Verification:
    """Run PRAGMA integrity_check and check the whole audit chain of the file at ``path``."""
    return _check(path, full=True, recent_audit_rows=0)
