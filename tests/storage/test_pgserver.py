"""The throwaway PostgreSQL server the tests run against is a real one (issue 16)."""

from __future__ import annotations

import time

import pytest

psycopg = pytest.importorskip("psycopg")

from tests.pgserver import Cluster, PgServerUnavailable, find_bin_dir, unavailable  # noqa: E402

_dropped_later: list[str] = []


def private_cluster(**kwargs) -> Cluster:  # noqa: ANN003
    """A cluster of the test's own (not started), skipped or failed like pg_server."""
    try:
        return Cluster(**kwargs)
    except PgServerUnavailable as exc:
        unavailable(exc)


def test_the_server_is_real_postgresql(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        (version,) = conn.execute("SELECT version()").fetchone()
        assert version.startswith("PostgreSQL ")
        (encoding,) = conn.execute("SHOW server_encoding").fetchone()
        assert encoding == "UTF8"
        (is_super,) = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
        assert is_super


def test_each_test_gets_a_fresh_empty_database(pg_url: str, pg_server: Cluster) -> None:
    with psycopg.connect(pg_url) as conn:
        (name,) = conn.execute("SELECT current_database()").fetchone()
        (tables,) = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert name.startswith("t_") and tables == 0
    assert name in pg_server.databases()
    _dropped_later.append(name)


def test_the_previous_tests_database_was_dropped(pg_server: Cluster) -> None:
    if not _dropped_later:
        pytest.skip("runs after test_each_test_gets_a_fresh_empty_database")
    assert not set(_dropped_later) & pg_server.databases()


def test_two_connections_see_each_others_committed_rows(pg_url: str) -> None:
    with psycopg.connect(pg_url) as a, psycopg.connect(pg_url) as b:
        a.execute("CREATE TABLE grade (id serial PRIMARY KEY, what text NOT NULL)")
        a.commit()
        a.execute("INSERT INTO grade (what) VALUES ('CRS 2')")
        assert b.execute("SELECT count(*) FROM grade").fetchone() == (0,)  # not yet committed
        b.commit()
        a.commit()
        assert b.execute("SELECT what FROM grade").fetchall() == [("CRS 2",)]
        b.execute("INSERT INTO grade (what) VALUES ('ICANS 1')")
        b.commit()
        a.commit()
        assert a.execute("SELECT what FROM grade ORDER BY id").fetchall() == [("CRS 2",), ("ICANS 1",)]


def test_listen_notify_reaches_another_connection(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as listener, psycopg.connect(pg_url) as talker:
        listener.execute("LISTEN hemalog_change")
        talker.execute("SELECT pg_notify('hemalog_change', 'patient 42')")
        talker.commit()  # notifications are delivered on commit
        started = time.monotonic()
        got = list(listener.notifies(timeout=5, stop_after=1))
        assert [(n.channel, n.payload) for n in got] == [("hemalog_change", "patient 42")]
        assert got[0].pid == talker.info.backend_pid
        assert time.monotonic() - started < 1


def test_a_dropped_database_ends_its_open_connections(pg_server: Cluster) -> None:
    name = pg_server.create_database()
    conn = psycopg.connect(pg_server.url(name))
    try:
        pg_server.drop_database(name)
        assert name not in pg_server.databases()
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")
    finally:
        conn.close()


def test_a_private_cluster_stops_starts_and_leaves_nothing_behind() -> None:
    cluster = private_cluster()
    try:
        cluster.start()
        folder, sockets = cluster.dir, cluster.socket_dir
        assert folder is not None and (folder / "data" / "PG_VERSION").is_file()
        assert cluster.timings["initdb"] > 0 and cluster.timings["start"] > 0
        name = cluster.create_database()
        url = cluster.url(name)
        assert url == f"postgresql://{cluster.user}@127.0.0.1:{cluster.port}/{name}"
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE t (v text)")
            conn.execute("INSERT INTO t VALUES ('typed before the server went away')")
        # The Unix socket reaches the same server.
        with psycopg.connect(cluster.socket_url(name)) as conn:
            assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)

        # The server is lost while a connection is open, then comes back with the data.
        held = psycopg.connect(url)
        try:
            cluster.stop()
            assert not cluster.running and cluster.dir == folder
            with pytest.raises(psycopg.OperationalError):
                held.execute("SELECT 1")
            with pytest.raises(psycopg.OperationalError):
                psycopg.connect(url, connect_timeout=2)
        finally:
            held.close()
        port = cluster.port
        cluster.start()
        assert cluster.running and cluster.port == port
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT v FROM t").fetchall() == [("typed before the server went away",)]
        cluster.drop_database(name)
        assert name not in cluster.databases()
    finally:
        cluster.close()
    assert not folder.exists() and not sockets.exists()
    assert cluster.dir is None and not cluster.running
    cluster.close()  # twice is harmless
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)


def test_a_cluster_with_a_password_refuses_tcp_without_it(tmp_path) -> None:  # noqa: ANN001
    # A deep base_dir: parents made traversable, the socket moved to a short path.
    with private_cluster(base_dir=tmp_path / "clusters", password="s3cret pass") as cluster:
        folder, sockets = cluster.dir, cluster.socket_dir
        assert folder is not None and folder.parent == tmp_path / "clusters"
        assert len(str(sockets)) < len(str(folder))
        with psycopg.connect(cluster.url(password="s3cret pass")) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(cluster.url(), connect_timeout=2)
        with psycopg.connect(cluster.url(password="s3cret pass")) as conn:
            (method,) = conn.execute(
                "SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host'"
            ).fetchone()
            assert method == "scram-sha-256"
    assert not folder.exists() and not sockets.exists()


def test_missing_server_binaries_are_reported_clearly(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("HEMALOG_PG_BIN", str(tmp_path))
    with pytest.raises(PgServerUnavailable, match="HEMALOG_PG_BIN"):
        find_bin_dir()
    with pytest.raises(PgServerUnavailable):
        Cluster()
