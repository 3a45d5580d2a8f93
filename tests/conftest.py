"""Test set-up shared by every test: headless Qt, isolated folders, a fresh store."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
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


@pytest.fixture(scope="session")
def pg_template(pg_server):  # noqa: ANN001, ANN201 - str
    """The name of a database holding hemalog's empty schema (storage.pg_schema), made
    once per session: each test's server database is a copy of it (CREATE DATABASE ...
    TEMPLATE), far quicker than creating the schema every time."""
    import psycopg

    from storage.pg_schema import create_schema

    name = pg_server.create_database("hemalog_template")
    with psycopg.connect(pg_server.url(name)) as conn:
        create_schema(conn)
    return name


def _drop_hemalog_logins(pg_server) -> None:  # noqa: ANN001
    """Logins are per cluster: drop those a test made (members of a hemalog group)."""
    from psycopg import sql

    with pg_server.admin() as conn:
        names = [r[0] for r in conn.execute(
            "SELECT DISTINCT u.rolname FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            "WHERE g.rolname IN ('hemalog_nurse', 'hemalog_physician', 'hemalog_admin')")]
        for name in names:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE usename = %s", [name])
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


@pytest.fixture
def pg_hemalog_url(pg_server, pg_template):  # noqa: ANN001, ANN201 - str
    """The URL (as the superuser: the schema's owner) of a fresh database holding
    hemalog's schema; the logins the test made are dropped afterwards."""
    with pg_server.database(template=pg_template) as url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            # Database-level grants are not copied from a template.
            conn.execute("""DO $$ BEGIN
                EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO hemalog_nurse, '
                               'hemalog_physician, hemalog_admin', current_database());
            END $$""")
        try:
            yield url
        finally:
            _drop_hemalog_logins(pg_server)


def open_test_store(backend: str, where: Path | str, user: str = "tester"):  # noqa: ANN201
    """A store on ``backend``: the SQLite file ``where``, or the server database
    ``where`` (a URL) as its owner, which like a file without accounts needs no sign-in
    until an account exists (storage.pg_store.PostgresStore.as_owner)."""
    if backend == "sqlite":
        return SqliteStore(where, user=user)
    from storage.pg_store import PostgresStore

    return PostgresStore.as_owner(str(where), user=user)
