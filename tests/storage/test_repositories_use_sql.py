"""The repositories talk to ``storage.sql.Sql`` only (issue 16): no sqlite3, no
sqlite-utils, no raw connection, no SQLite-only SQL, so the same classes can be given
a PostgresSql. This check keeps the move from quietly regressing.

storage.database, storage.migrations, storage.backup, storage.checkpoints and the file
checks of storage.integrity are the SQLite file's own (PRAGMAs, WAL, backups): they are
not checked here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MOVED = ("storage/repository.py", "storage/audit.py", "storage/accounts.py",
         "storage/history.py")

FORBIDDEN_MODULES = ("sqlite3", "sqlite_utils")
# Attributes only sqlite3 / sqlite-utils objects have.
FORBIDDEN_ATTRIBUTES = {"conn", "last_pk", "executemany", "fetchone", "fetchall",
                        "table_names", "columns_dict"}
# SQL only SQLite understands.
FORBIDDEN_SQL = ("sqlite_master", "json_extract", "pragma ", "[")


def _db_named(node: ast.AST) -> bool:
    """``db``, ``self.db``, ``self._db``, ``store.db``..."""
    name = node.id if isinstance(node, ast.Name) else \
        node.attr if isinstance(node, ast.Attribute) else ""
    return name.lstrip("_") == "db"


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return []


def sqlite_uses(source: str) -> list[str]:
    """What in ``source`` talks to SQLite directly rather than through ``Sql``."""
    tree = ast.parse(source)
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        for name in names:
            if any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES):
                found.append(f"{where}: imports {name}")
        if isinstance(node, ast.Attribute):
            if node.attr in FORBIDDEN_ATTRIBUTES:
                found.append(f"{where}: .{node.attr}")
            if node.attr in ("query", "execute") and _db_named(node.value):
                found.append(f"{where}: db.{node.attr}")
        if isinstance(node, ast.Subscript) and _db_named(node.value):
            found.append(f"{where}: db[...]")
        if id(node) not in docstrings:
            for text in _strings(node):
                lowered = text.lower()
                found += [f"{where}: SQL with {word.strip()!r}" for word in FORBIDDEN_SQL
                          if word in lowered and (word != "[" or _looks_like_sql(lowered))]
    return sorted(set(found))


def _looks_like_sql(text: str) -> bool:
    return any(w in text for w in ("select ", "insert ", "update ", " from ", "delete "))


@pytest.mark.parametrize("path", MOVED)
def test_the_repositories_use_only_sql(path: str) -> None:
    assert sqlite_uses((ROOT / path).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source", [
    "import sqlite3",
    "from sqlite_utils import Database",
    "def f():\n    import sqlite_utils.db",
    "self._db.conn.execute('SELECT 1')",
    "store.db.query('SELECT 1')",
    "db.query('SELECT 1')",
    "self._db['users'].insert(row)",
    "db[table].update(1, {})",
    "x = db['users'].insert(row).last_pk",
    "cursor.executemany(sql, rows)",
    "sql.query(\"SELECT name FROM sqlite_master WHERE type = 'table'\")",
    "sql.scalar(\"SELECT json_extract(new_value, '$.x') FROM audit\")",
    "sql.query('PRAGMA table_info(audit)')",
    "sql.query(f'SELECT * FROM [{table}] ORDER BY id')",
])
def test_the_check_catches_each_form(source: str) -> None:
    assert sqlite_uses(source) != []


def test_the_check_lets_sql_through() -> None:
    assert sqlite_uses(
        '"""A docstring may say sqlite_master, db.query and [table]."""\n'
        "from storage.sql import Sql\n"
        "rows = self._sql.query('SELECT * FROM audit WHERE id = ?', [1])\n"
        "self._sql.insert_all('audit', rows)\n"
        "with self.sql.transaction():\n    pass\n"
        "x = values[0]\n"
        "msg = f'[{x}] is not a row'\n") == []
