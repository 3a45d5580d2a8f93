"""What a database has been through, read from its audit log: restores and accounts.

The users table says who may sign in now; the audit log says who ever could.
A database whose accounts are gone (a backup from before the first account was
restored over it, or the rows were deleted behind hemalog's back) must not
offer "Create the administrator account" to whoever sits down first.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from clinical.audit import AuditAction
from clinical.errors import HemalogError
from storage.audit import AuditLog, last_hash
from storage.database import write

if TYPE_CHECKING:
    from storage.contract import Store

# AuditAction has no "restore": a restore is recorded as an insert into the
# pseudo-table "restore" (no such table holds data; row_id counts the restores).
RESTORE_TABLE = "restore"


@dataclass(frozen=True)
class ChainHead:
    """Where an audit chain ends: how many rows, and the hash of the last one."""

    rows: int
    last_hash: str


def chain_head(db: Database) -> ChainHead:
    rows = db.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    return ChainHead(rows, last_hash(db))


def ever_had_accounts(db: Database) -> bool:
    """True when this database has (or ever had) staff accounts.

    Evidence: a current account, an audit row about an account, or a restore
    that replaced a database which had accounts (so restoring an account-less
    backup does not open the door either).
    """
    conn = db.conn
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "users" in tables and conn.execute("SELECT 1 FROM users LIMIT 1").fetchone():
        return True
    if "audit" not in tables:
        return False
    row = conn.execute(
        "SELECT 1 FROM audit WHERE table_name = 'users' OR (table_name = ? AND "
        "json_extract(new_value, '$.replaced_had_accounts') = 1) LIMIT 1",
        [RESTORE_TABLE]).fetchone()
    return row is not None


def file_had_accounts(path: Path) -> bool:
    """ever_had_accounts for a file; a file that cannot be read counts as having had them
    (when in doubt, never offer the first administrator account to whoever comes)."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        return ever_had_accounts(Database(conn))
    except sqlite3.Error:
        return True
    finally:
        conn.close()


def refuse_first_admin_if_accounts_existed(store: Store) -> None:
    """Called before offering "Create the administrator account" on a database without
    accounts: refuses (HemalogError) when accounts existed before."""
    if store.ever_had_accounts():
        raise HemalogError([
            "This database had staff accounts, but they are gone (a backup without "
            "accounts was restored, or they were removed outside hemalog).",
            "hemalog will not create a new administrator here: restore a backup that "
            "holds the accounts, or ask IT support."])


def record_restore(db: Database, user: str, *, backup: Path, head: ChainHead,
                   replaced_as: Path | None, replaced_had_accounts: bool) -> None:
    """The audit row of a restore: which file, and where its audit chain ended."""
    with write(db):
        row_id = db.conn.execute("SELECT count(*) + 1 FROM audit WHERE table_name = ?",
                                 [RESTORE_TABLE]).fetchone()[0]
        AuditLog(db, user).append(
            patient_id=None, table=RESTORE_TABLE, row_id=row_id, action=AuditAction.INSERT,
            new={"backup": str(backup), "backup_audit_rows": head.rows,
                 "backup_audit_last_hash": head.last_hash,
                 "replaced_kept_as": str(replaced_as) if replaced_as else None,
                 "replaced_had_accounts": replaced_had_accounts},
            reason="database restored from a backup")
