"""The storage suite runs on both backends (issue 16): ``store`` is a SQLite file or a
server database; ``reopen`` opens the same database again as another workstation or
after a restart would. A failing backend fails the suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import open_test_store


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param != "sqlite" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about a SQLite file itself (marked sqlite_only)")
    return request.param


@pytest.fixture
def where(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """The database the test's stores open: a file path, or a server database's URL."""
    if backend == "sqlite":
        return db_path
    return request.getfixturevalue("pg_hemalog_url")


@pytest.fixture
def reopen(backend: str, where: Path | str) -> Iterator[Callable[..., Any]]:
    """``reopen(user="tester")``: another store on the same database (closed afterwards)."""
    opened: list[Any] = []

    def open_again(user: str = "tester") -> Any:
        s = open_test_store(backend, where, user)
        opened.append(s)
        return s

    yield open_again
    for s in opened:
        s.close()


@pytest.fixture
def store(backend: str, where: Path | str) -> Iterator[Any]:
    s = open_test_store(backend, where)
    yield s
    s.close()


def verified(store: Any) -> bool:
    """What `hemalog verify` says of ``store``'s database, on either backend."""
    from storage.integrity import verify_database, verify_server

    if hasattr(store, "path"):
        return verify_database(store.path).ok
    return verify_server(store.sql, store.location).ok
