"""What a database has been through, read from its audit log: restores and accounts.

The users table says who may sign in now; the audit log says who ever could.
A database whose accounts are gone (a backup from before the first account was
restored over it, or the rows were deleted behind hemalog's back) must not
offer "Create the administrator account" to whoever sits down first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clinical.audit import AuditAction
from clinical.errors import HemalogError
from storage.audit import AuditLog, last_hash
from storage.sql import SqlError, SqliteSql, SqlLike, as_sql

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


def chain_head(db: SqlLike) -> ChainHead:
    sql = as_sql(db)
    return ChainHead(sql.scalar("SELECT count(*) FROM audit"), last_hash(sql))


def ever_had_accounts(db: SqlLike) -> bool:
    """True when this database has (or ever had) staff accounts.

    Evidence: a current account, an audit row about an account, or a restore
    that replaced a database which had accounts (so restoring an account-less
    backup does not open the door either).
    """
    sql = as_sql(db)
    tables = sql.tables()
    if "users" in tables and sql.scalar("SELECT 1 FROM users LIMIT 1") is not None:
        return True
    if "audit" not in tables:
        return False
    if sql.scalar("SELECT 1 FROM audit WHERE table_name = 'users' LIMIT 1") is not None:
        return True
    # A JSON true reads 1 on SQLite and 'true' on PostgreSQL: the restore rows' values
    # are read and judged here (there are few: one per restore).
    restores = sql.query("SELECT new_value FROM audit WHERE table_name = ?", [RESTORE_TABLE])
    return any(_replaced_had_accounts(r["new_value"]) for r in restores)


def _replaced_had_accounts(new_value: str | None) -> bool:
    """True when a restore row says the database it replaced had accounts (true, or 1).
    A value that is not JSON counts as true: when in doubt, never offer the first
    administrator account."""
    try:
        value = json.loads(new_value) if new_value is not None else None
    except ValueError:
        return True
    return isinstance(value, dict) and value.get("replaced_had_accounts") in (True, 1)


def file_had_accounts(path: Path) -> bool:
    """ever_had_accounts for a file; a file that cannot be read counts as having had them
    (when in doubt, never offer the first administrator account to whoever comes)."""
    try:
        sql = SqliteSql.open_read_only(Path(path))
    except SqlError:
        return True
    try:
        return ever_had_accounts(sql)
    except SqlError:
        return True
    finally:
        sql.close()


def refuse_first_admin_if_accounts_existed(store: Store) -> None:
    """Called before offering "Create the administrator account" on a database without
    accounts: refuses (HemalogError) when accounts existed before."""
    if store.ever_had_accounts():
        raise HemalogError([
            "This database had staff accounts, but they are gone (a backup without "
            "accounts was restored, or they were removed outside hemalog).",
            "hemalog will not create a new administrator here: restore a backup that "
            "holds the accounts, or ask IT support."])


def record_restore(db: SqlLike, user: str, *, backup: Path, head: ChainHead,
                   replaced_as: Path | None, replaced_had_accounts: bool) -> None:
    """The audit row of a restore: which file, and where its audit chain ended."""
    sql = as_sql(db)
    with sql.transaction():
        row_id = sql.scalar("SELECT count(*) + 1 FROM audit WHERE table_name = ?",
                            [RESTORE_TABLE])
        AuditLog(sql, user).append(
            patient_id=None, table=RESTORE_TABLE, row_id=row_id, action=AuditAction.INSERT,
            new={"backup": str(backup), "backup_audit_rows": head.rows,
                 "backup_audit_last_hash": head.last_hash,
                 "replaced_kept_as": str(replaced_as) if replaced_as else None,
                 "replaced_had_accounts": replaced_had_accounts},
            reason="database restored from a backup")
