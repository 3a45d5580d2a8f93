"""Test set-up shared by every test: headless Qt, isolated folders, a fresh store."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from resources import DEMO_RECORD  # noqa: E402
from storage.repository import SqliteStore  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own data, log and settings folders and no HEMALOG_* leaks."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in ("HEMALOG_DB", "HEMALOG_USER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HEMALOG_BUSY_TIMEOUT", "0.2")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path):  # noqa: ANN201
    s = SqliteStore(db_path, user="tester")
    yield s
    s.close()


@pytest.fixture
def demo_record_path() -> Path:
    return DEMO_RECORD


# --- a real PostgreSQL server (issue 16): one throwaway cluster per test session ---------
@pytest.fixture(scope="session")
def pg_server():  # noqa: ANN201 - tests.pgserver.Cluster
    """A running throwaway PostgreSQL cluster (tests/pgserver.py), shared by the session.

    Without server binaries the tests that need it are skipped, except in CI (CI=true),
    where that is a failure: a backend that is not tested must not pass."""
    from tests.pgserver import Cluster, PgServerUnavailable, unavailable

    try:
        cluster = Cluster().start()
    except PgServerUnavailable as exc:
        unavailable(exc)
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def pg_url(pg_server):  # noqa: ANN001, ANN201 - str
    """The URL of a fresh empty database on the session's server, dropped afterwards."""
    with pg_server.database() as url:
        yield url
