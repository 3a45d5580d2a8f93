"""Checkpoints of the audit chain's head, kept outside the database.

The hash chain proves that the rows it holds were not edited, but not that
rows were not cut from its end, nor that the whole chain was not recomputed
after an edit. Both leave a chain that is intact on its own. So every backup
and every printed summary notes the head of the chain (how many rows, the last
hash) in ``checkpoints.jsonl`` beside the backups, one JSON line each, and
`hemalog verify` checks that each head noted there is still in the chain.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from storage.audit import GENESIS, now_utc
from storage.database import SqliteFile

__all__ = ["Head", "CHECKPOINT_FILE", "checkpoint_file", "read_head", "head_of",
           "record_checkpoint", "check_checkpoints", "compare_checkpoints", "RESTORE_REASON"]

CHECKPOINT_FILE = "checkpoints.jsonl"
# A checkpoint whose reason starts so marks a restore: the history before it was
# replaced on purpose (the replaced file is kept aside), so older heads are not checked.
RESTORE_REASON = "restore"


@dataclass(frozen=True)
class Head:
    """The newest audit row: its id (= the number of rows, ids run 1, 2, 3 ...) and hash."""

    rows: int
    last_hash: str

    def short(self) -> str:
        """The form printed in a summary's footer: enough to compare by eye."""
        return f"audit {self.rows}·{self.last_hash[:8]}"


def checkpoint_file(database: Path) -> Path:
    """Beside the backups of ``database`` (see storage.backup.backup_folder)."""
    return Path(database).resolve().parent / "backups" / CHECKPOINT_FILE


def read_head(db: SqliteFile) -> Head:
    row = db.conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return Head(row[0], row[1] or GENESIS) if row else Head(0, GENESIS)


def head_of(database: Path) -> Head | None:
    """The head of the chain in the file at ``database``, read without changing it;
    None when it cannot be read (no such file, not a hemalog database...)."""
    path = Path(database)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    except sqlite3.Error:
        return None
    try:
        return read_head(SqliteFile(conn))
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def record_checkpoint(database: Path, reason: str, *, head_from: Path | None = None) -> Head | None:
    """Append the head of the chain of ``database`` to its checkpoint file; returns it.

    ``head_from``: read the head from this file instead (a backup just made of
    ``database``: its chain is the database's chain at that moment). Never fails:
    a checkpoint that cannot be written (read-only medium) must not stop a backup
    or a printout; the head is still returned for the printout's footer.
    """
    head = head_of(head_from or database)
    if head is None or head.rows == 0:
        return head
    line = json.dumps({"at": now_utc(), "rows": head.rows, "last_hash": head.last_hash,
                       "database": str(Path(database).resolve()), "reason": reason},
                      ensure_ascii=False) + "\n"
    with contextlib.suppress(OSError):
        _append(checkpoint_file(database), line)
    return head


def _append(path: Path, line: str) -> None:
    """One write of one line, O_APPEND: concurrent writers never interleave within a line."""
    path.parent.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _read(path: Path, database: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The checkpoints of ``database`` since its latest restore, and damaged lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot read the checkpoint file ({exc})"]
    wanted = str(Path(database).resolve())
    found: list[dict[str, Any]] = []
    damaged: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
            ok = (isinstance(entry, dict) and isinstance(entry.get("rows"), int)
                  and isinstance(entry.get("last_hash"), str))
        except ValueError:
            ok = False
        if not ok:
            damaged.append(f"{path}: line {number} is not a checkpoint (the file was edited "
                           "or damaged)")
            continue
        if entry.get("database") != wanted:
            continue
        if str(entry.get("reason", "")).startswith(RESTORE_REASON):
            found = []
        found.append(entry)
    return found, damaged


def check_checkpoints(db: SqliteFile, database: Path) -> list[str]:
    """What no longer matches: each checkpoint's row must still hold the hash noted.

    A row that is gone means rows were cut from the end; a different hash means
    the chain up to that row was rewritten (or another file put in this one's place).
    """
    return compare_checkpoints(db, database)[1]


def compare_checkpoints(db: SqliteFile, database: Path) -> tuple[int, list[str]]:
    """(how many checkpoints of ``database`` were compared, what no longer matches)."""
    path = checkpoint_file(database)
    entries, problems = _read(path, database)
    head = read_head(db)
    rewritten = deleted = None
    for entry in entries:
        row = db.conn.execute("SELECT hash FROM audit WHERE id = ?", [entry["rows"]]).fetchone()
        if row is None:
            deleted = deleted or entry
        elif row[0] != entry["last_hash"]:
            rewritten = rewritten or entry
    if rewritten is not None:
        problems.append(
            f"{database}: the audit trail was rewritten or cut after {rewritten.get('at')} "
            f"({rewritten.get('reason')}): audit row {rewritten['rows']} no longer holds the hash "
            f"noted then ({rewritten['last_hash'][:8]}…) in {path}; is this the same file?")
    if deleted is not None:
        newest = max(entries, key=lambda e: e["rows"])
        problems.append(
            f"{database}: audit rows deleted: the checkpoint of {newest.get('at')} "
            f"({newest.get('reason')}) noted {newest['rows']} audit rows, the file now has "
            f"{head.rows}")
    return len(entries), problems
