"""Ordered schema migrations. Migration N brings ``PRAGMA user_version`` to N.

Never edit a released migration: add the next one. Each runs inside its own
write transaction (see storage.database.migrate).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.database import SqliteFile


# Columns every stored item has: optimistic-locking version and voiding.
_ITEM_COLUMNS = {"version": int, "voided": int, "void_reason": str}
_ITEM_DEFAULTS = {"version": 1, "voided": 0}
_ITEM_NOT_NULL = {"version", "voided"}


def _item_table(db: SqliteFile, name: str, columns: dict[str, type], *,
                not_null: set[str], parent: tuple[str, str] = ("patient_id", "patients")) -> None:
    parent_col, parent_table = parent
    db[name].create(
        {"id": int, parent_col: int, "seq": int, **columns, **_ITEM_COLUMNS},
        pk="id",
        foreign_keys=[(parent_col, parent_table, "id")],
        not_null={parent_col, "seq", *not_null, *_ITEM_NOT_NULL},
        defaults=_ITEM_DEFAULTS,
    )
    db[name].create_index([parent_col, "seq"])


def _v1_initial(db: SqliteFile) -> None:
    db["patients"].create(
        {"id": int, "mrn": str, "name": str, "search_key": str, "sex": str,
         "birth_date": str, "age_at_diagnosis": int, "diagnosis": str,
         "diagnosis_date": str, "immunophenotype": str, "notes": str, **_ITEM_COLUMNS},
        pk="id",
        not_null={"mrn", "name", "search_key", "sex", "diagnosis", "immunophenotype",
                  *_ITEM_NOT_NULL},
        defaults=_ITEM_DEFAULTS,
    )
    db["patients"].create_index(["mrn"], unique=True)
    db["patients"].create_index(["search_key"])
    _item_table(db, "measurements", {"date": str, "height_cm": float, "weight_kg": float},
                not_null={"date"})
    _item_table(db, "courses", {"name": str, "category": str, "start_date": str,
                                "day_reference": str, "notes": str},
                not_null={"name", "category", "day_reference"})
    _item_table(db, "drug_lines", {"drug": str, "dose": float, "unit": str, "days": str,
                                   "doses_per_day": int, "route": str},
                not_null={"drug", "dose", "unit", "days", "doses_per_day"},
                parent=("course_id", "courses"))
    _item_table(db, "events", {"type": str, "date": str, "details": str, "notes": str},
                not_null={"type", "date", "details"})
    db["events"].create_index(["patient_id", "type", "date"])
    _item_table(db, "labs", {"date": str, "test": str, "value": float, "unit": str,
                             "lln": float, "uln": float},
                not_null={"date", "test", "value", "unit"})
    db["labs"].create_index(["patient_id", "test", "date"])
    _item_table(db, "marrow", {"date": str, "blasts_pct": float, "mrd_pct": float,
                               "mrd_method": str, "mrd_lod_pct": float,
                               "cellularity_pct": float, "donor_chimerism_pct": float,
                               "fibrosis_grade": str, "karyotype": str, "notes": str},
                not_null={"date"})
    _item_table(db, "assessments", {"kind": str, "date": str, "findings": str, "notes": str},
                not_null={"kind", "date", "findings"})
    db["audit"].create(
        {"id": int, "at": str, "user": str, "patient_id": int, "table_name": str,
         "row_id": int, "action": str, "old_value": str, "new_value": str, "reason": str},
        pk="id",
        not_null={"at", "user", "table_name", "row_id", "action"},
    )
    db["audit"].create_index(["patient_id", "id"])
    db["audit"].create_index(["table_name", "row_id"])


def _v2_accounts_and_audit_chain(db: SqliteFile) -> None:
    """Staff accounts; a hash chain over the audit log; the audit log append-only."""
    # The columns audit rows had then (AUDIT_FIELDS grew in migration 3).
    from storage.audit import GENESIS, V2_FIELDS, chain_hash

    db["users"].create(
        {"id": int, "username": str, "display_name": str, "role": str, "salt": str,
         "password_hash": str, "created_at": str, "disabled": int, "version": int},
        pk="id", not_null={"username", "role", "salt", "password_hash", "created_at",
                           "disabled", "version"},
        defaults={"disabled": 0, "version": 1})
    db["users"].create_index(["username"], unique=True)
    db["audit"].add_column("hash", str)
    previous = GENESIS
    rows = db.conn.execute(f"SELECT {', '.join(V2_FIELDS)} FROM audit ORDER BY id").fetchall()
    for fields in rows:
        previous = chain_hash(previous, fields)
        db.conn.execute("UPDATE audit SET hash = ? WHERE id = ?", [previous, fields[0]])
    for verb in ("UPDATE", "DELETE"):
        db.conn.execute(
            f"CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit "
            f"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")


def _v3_workstation_signature_lockout(db: SqliteFile) -> None:
    """Issue 14: every audit row names its workstation and may hold a signature; each
    account says which scrypt parameters made its hash; failed sign-ins per name.

    The rows already written keep NULL in the new audit columns, which the hash
    chain leaves out (storage.audit.chain_hash): their hashes stay valid. A users row
    with no ``hash_params`` was hashed with scrypt N=2^14, r=8, p=1.
    """
    db["audit"].add_column("workstation", str)
    db["audit"].add_column("signature", str)
    db["users"].add_column("hash_params", str)
    # The wait after repeated failures needs, per name tried, only how many failures
    # in a row and when the last was: a row per name, read and written in O(1),
    # in the same transaction as the failure's audit row (the audit row is the record).
    db["sign_in_state"].create({"name": str, "failures": int, "last_failure_at": float},
                               pk="name", not_null={"failures", "last_failure_at"})


def _v4_language_and_pinyin_search(db: SqliteFile) -> None:
    """Issue 15: each account may choose its language (``users.language``: "en",
    "zh_CN", or NULL for the system's); patients are found by the pinyin of a Chinese
    name, so every patient's search key is recomputed (storage.repository.search_key),
    all in this migration's one transaction.

    ``search_key`` is never replayed from the audit trail (storage.integrity), so the
    recomputed keys leave the trail and its hash chain as they are.
    """
    from storage.repository import search_key  # here: repository imports this module

    db["users"].add_column("language", str)
    rows = db.conn.execute("SELECT id, mrn, name, search_key FROM patients").fetchall()
    changed = [(key, row_id) for row_id, mrn, name, old in rows
               if (key := search_key(mrn, name)) != old]
    db.conn.executemany("UPDATE patients SET search_key = ? WHERE id = ?", changed)


def _v5_audit_software(db: SqliteFile) -> None:
    """Issue 19: every audit row names the hemalog and the clinical rules that wrote it
    (``software``: "hemalog 0.2.0; rules 1.1", clinical.version.software_stamp).

    Rows already written keep NULL there, which the hash chain leaves out
    (storage.audit.chain_hash): their hashes stay valid.
    """
    db["audit"].add_column("software", str)


MIGRATIONS: list[Callable[[SqliteFile], None]] = [
    _v1_initial, _v2_accounts_and_audit_chain, _v3_workstation_signature_lockout,
    _v4_language_and_pinyin_search, _v5_audit_software]
SCHEMA_VERSION = len(MIGRATIONS)

# Tables a hemalog database may hold (used to refuse another program's SQLite file).
OUR_TABLES = frozenset({"patients", "measurements", "courses", "drug_lines", "events",
                        "labs", "marrow", "assessments", "audit", "users", "sign_in_state"})
