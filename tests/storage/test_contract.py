"""One storage contract (issue 16, first step): callers hold a ``Store``, never a backend.

- ``SqliteStore`` has every member of ``storage.contract.Store``, and each of its
  repositories, its accounts and its audit trail every member of theirs, with
  signatures a caller of the Protocol can use.
- No module under gui/ or reports/, nor main.py, imports the SQLite backend
  (``SqliteStore``, storage.repository, storage.database, sqlite3, sqlite_utils).
- ``open_store`` opens a file path and refuses a ``postgresql://`` URL with one clear
  line naming it (its password hidden): no server backend exists yet.

``typing.get_protocol_members`` needs Python 3.13, so the Protocols are walked here.
"""

from __future__ import annotations

import ast
import inspect
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest

import main
from clinical.accounts import PermissionDenied
from clinical.errors import HemalogError
from storage import open_store
from storage.contract import Store
from storage.repository import SqliteStore

ROOT = Path(__file__).resolve().parents[2]

# Dunder methods that are part of a contract when a Protocol declares them.
_DUNDERS = {"__enter__", "__exit__"}


def protocol_members(proto: type) -> dict[str, Any]:
    """Every member a Protocol declares, its own and its Protocol bases': name -> the
    declared object (a function or property), or the annotation of a bare attribute."""
    members: dict[str, Any] = {}
    for base in reversed(proto.__mro__):
        if base in (object, Protocol, typing.Generic) or not getattr(base, "_is_protocol", False):
            continue
        members.update(base.__dict__.get("__annotations__", {}))
        members.update({name: value for name, value in base.__dict__.items()
                        if not name.startswith("_") or name in _DUNDERS})
    return members


def _protocol_of(annotation: Any) -> type | None:
    """The Protocol class an annotation names (``ItemRepository[Lab]`` -> ItemRepository)."""
    cls = typing.get_origin(annotation) or annotation
    return cls if isinstance(cls, type) and getattr(cls, "_is_protocol", False) else None


def _plain_types(annotation: Any) -> tuple[type, ...]:
    """``str`` -> (str,); ``Role | None`` -> (Role, NoneType); anything else: (object,)."""
    options = typing.get_args(annotation) if typing.get_origin(annotation) in (
        typing.Union, types.UnionType) else (annotation,)
    return tuple(options) if all(isinstance(o, type) for o in options) else (object,)


def _signature_problems(name: str, declared: Any, actual: Any) -> list[str]:
    """A call written against the Protocol's signature must work on the implementation:
    the same parameters by name and kind (defaults kept); extra ones must be optional."""
    want = inspect.signature(declared)
    have = inspect.signature(actual)
    params = list(want.parameters.values())[1:]   # self: bound on the implementation
    problems = []
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            if not any(q.kind is q.VAR_POSITIONAL for q in have.parameters.values()):
                problems.append(f"{name}: takes no *{p.name}")
            continue
        q = have.parameters.get(p.name)
        if q is None:
            problems.append(f"{name}: has no parameter {p.name!r}")
        elif q.kind is not p.kind and not (
                q.kind is q.POSITIONAL_OR_KEYWORD
                and p.kind in (p.POSITIONAL_ONLY, p.KEYWORD_ONLY)):
            problems.append(f"{name}: {p.name!r} is {q.kind.description}, not "
                            f"{p.kind.description}")
        elif p.default is not p.empty and q.default is q.empty:
            problems.append(f"{name}: {p.name!r} has no default")
    declared_names = {p.name for p in params}
    for q in have.parameters.values():
        if (q.name not in declared_names and q.default is q.empty
                and q.kind not in (q.VAR_POSITIONAL, q.VAR_KEYWORD)):
            problems.append(f"{name}: needs {q.name!r}, which the contract does not pass")
    return problems


def conformance_problems(obj: object, proto: type, where: str) -> list[str]:
    """What ``obj`` lacks of ``proto``; nested Protocols (a property returning one) are
    checked on the value the property gives."""
    problems: list[str] = []
    for name, declared in sorted(protocol_members(proto).items()):
        path = f"{where}.{name}"
        if not hasattr(obj, name):
            problems.append(f"{path}: missing")
            continue
        value = getattr(obj, name)
        if isinstance(declared, property):
            returned = typing.get_type_hints(declared.fget).get("return")
            nested = _protocol_of(returned)
            if nested is not None:
                problems += conformance_problems(value, nested, path)
            elif not isinstance(value, _plain_types(returned)):
                problems.append(f"{path}: {value!r} is not {returned}")
        elif inspect.isfunction(declared):
            if not callable(value):
                problems.append(f"{path}: not callable")
            else:
                problems += _signature_problems(path, declared, value)
        else:   # a bare annotated attribute
            nested = _protocol_of(declared)
            if nested is not None:
                problems += conformance_problems(value, nested, path)
    return problems


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "contract.db", user="tester") as store:
        yield store


def test_the_contract_is_what_callers_use() -> None:
    """The members on purpose: a change here is a change of the contract, for every
    backend (issue 16) to follow."""
    assert set(protocol_members(Store)) == {
        "location", "short_name",
        "patients", "measurements", "courses", "events", "labs", "marrow", "assessments",
        "accounts", "audit",
        "user", "role", "has_accounts", "ever_had_accounts", "sign_in",
        "writing", "reading", "add_records", "load_record", "counts", "watch",
        "close", "__enter__", "__exit__"}


def test_every_member_has_a_docstring() -> None:
    undocumented = []
    for proto in (Store, *{_protocol_of(typing.get_type_hints(m.fget)["return"])
                           for m in protocol_members(Store).values()
                           if isinstance(m, property)} - {None}):
        for name, member in protocol_members(proto).items():
            function = member.fget if isinstance(member, property) else member
            if inspect.isfunction(function) and not inspect.getdoc(function):
                undocumented.append(f"{proto.__name__}.{name}")
    assert undocumented == []


def test_sqlite_store_satisfies_the_contract(sqlite_store: SqliteStore) -> None:
    assert conformance_problems(sqlite_store, Store, "SqliteStore") == []


def test_the_check_finds_what_is_missing(sqlite_store: SqliteStore) -> None:
    """The walk is not vacuous: a store without a member, or a repository whose method
    lost a parameter, is reported."""

    class Partial:
        def __init__(self, inner: SqliteStore) -> None:
            self.__dict__.update({k: v for k, v in vars(inner).items() if k != "labs"})

    class NoSignature:
        def void(self, item_id: int, reason: str) -> None: ...

    problems = conformance_problems(Partial(sqlite_store), Store, "S")
    assert "S.labs: missing" in problems and "S.load_record: missing" in problems
    from clinical.repository import ItemRepository
    assert "R.void: has no parameter 'signature'" in conformance_problems(
        NoSignature(), ItemRepository, "R")


def test_the_store_says_where_it_lives(sqlite_store: SqliteStore, tmp_path: Path) -> None:
    assert sqlite_store.location == str(tmp_path / "contract.db")
    assert sqlite_store.short_name == "contract.db"
    assert sqlite_store.ever_had_accounts() is False


# --- nothing above storage/ names the backend ----------------------------------------

FORBIDDEN_MODULES = ("sqlite3", "sqlite_utils", "storage.repository", "storage.database")
FORBIDDEN_NAMES = {"SqliteStore"}


def _callers() -> list[Path]:
    files = [ROOT / "main.py"]
    for package in ("cli", "gui", "reports"):
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def backend_uses(source: str) -> list[str]:
    """Imports of the SQLite backend in ``source`` (any depth: imports inside functions
    count), and any use of the backend class's name. (A relative import cannot reach
    storage/ from gui/ or reports/: they are packages of their own.)"""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            found += [f"line {node.lineno}: imports {alias.name}" for alias in node.names
                      if alias.name in FORBIDDEN_NAMES]
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"line {node.lineno}: names {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"line {node.lineno}: names {node.attr}")
        for name in names:
            if any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES):
                found.append(f"line {node.lineno}: imports {name}")
    return sorted(set(found))


def test_no_caller_above_storage_imports_the_sqlite_backend() -> None:
    offenders = {}
    for path in _callers():
        relative = path.relative_to(ROOT)
        found = backend_uses(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(relative)] = found
    assert offenders == {}


@pytest.mark.parametrize("source", [
    "import sqlite3",
    "from sqlite_utils import Database",
    "def f():\n    from storage.repository import SqliteStore",
    "import storage.repository",
    "from storage import repository",
    "from storage import database",
    "import storage\nstore = storage.repository.SqliteStore",
])
def test_the_import_check_catches_each_form(source: str) -> None:
    assert backend_uses(source) != []


def test_the_import_check_lets_the_contract_through() -> None:
    assert backend_uses("from storage import open_store\nfrom storage.contract import Store\n"
                        "from storage.backup import last_backup\n'SqliteStore in a string'"
                        ) == []


# --- open_store --------------------------------------------------------------------------

def test_open_store_opens_a_file_path(tmp_path: Path) -> None:
    for target in (tmp_path / "a.db", str(tmp_path / "b.db")):
        with open_store(target, user="tester") as store:
            assert store.location == str(target) and store.patients.list() == []
    with open_store(tmp_path / "a.db", user="tester", read_only=True) as store:
        assert store.counts()["patients"] == 0


@pytest.mark.parametrize("url", [
    "postgresql://ward:s3cret@db.example:5432/hemalog?sslmode=require",
    "postgres://db.example/hemalog?password=s3cret",
])
@pytest.mark.parametrize("read_only", [False, True])
def test_open_store_refuses_a_password_in_the_url(url: str, read_only: bool, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A password in --db would stand in shell histories and process lists."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(HemalogError) as refused:
        open_store(url, user="tester", read_only=read_only)
    text = "\n".join(refused.value.lines)
    assert f"--db {url.split('://')[0]}://" in text and "holds a password" in text
    assert "PGPASSFILE" in text and "s3cret" not in text
    assert list(tmp_path.iterdir()) == []   # no file named after the URL


@pytest.mark.parametrize("url", ["postgresql://ward@db.example:5432/hemalog?sslmode=require",
                                 "PostgreSQL:///hemalog?host=/run/postgresql"])
def test_a_server_url_opens_nothing_until_someone_signs_in(url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """No connection is made (the host above does not exist) and nothing is read before
    sign-in: the server's login is the account's."""
    monkeypatch.chdir(tmp_path)
    store = open_store(url, user="tester")
    assert store.has_accounts and store.ever_had_accounts()
    with pytest.raises(PermissionDenied, match="sign in first"):
        store.patients.list()
    assert "hemalog" in store.short_name and store.location.endswith("/hemalog")
    assert "ward@" not in store.location
    store.close()
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_server_url_is_one_line_naming_it() -> None:
    with pytest.raises(HemalogError) as refused:
        open_store("postgresql://db.example/hemalog?bogus=1&password=x", user="t")
    text = "\n".join(refused.value.lines)
    assert text == ('--db postgresql://db.example/hemalog?bogus=1&password=***: '
                    'invalid URI query parameter: "bogus"'), text


@pytest.mark.parametrize("command", [["list"], ["import", "x.json"], ["verify"],
                                     ["backup", "-o", "b.db"], ["report", "M", "-o", "s.pdf"]])
def test_every_command_refuses_a_password_in_the_url_before_touching_anything(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    url = "postgresql://ward:s3cret@db.example/hemalog"
    code = main.main(["--db", url, *command])
    err = capsys.readouterr().err
    assert code == main.EXIT_BAD_INPUT
    assert err.startswith("hemalog: --db postgresql://ward:***@db.example/hemalog: "
                          "refused: the URL holds a password"), err
    assert "s3cret" not in err and "Traceback" not in err and "internal error" not in err
    assert list(tmp_path.iterdir()) == []


def test_hemalog_db_may_name_a_server_and_asks_who_signs_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Before anything is connected (db.example does not exist): a server always has
    staff accounts, so a command names the account first."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEMALOG_DB", "postgresql://db.example/hemalog")
    assert main.main(["list"]) == main.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err == "hemalog: this database has staff accounts: give --user NAME (and the password)\n"
    assert list(tmp_path.iterdir()) == []
