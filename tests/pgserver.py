"""A throwaway PostgreSQL cluster for tests: a real server, no mocks (issue 16).

    cluster = Cluster().start()           # initdb into a fresh temporary folder, then start
    name = cluster.create_database()      # an empty database with a unique name
    url = cluster.url(name)               # postgresql://hemalog_test@127.0.0.1:PORT/NAME
    cluster.stop(); cluster.start()       # the server goes away and comes back, data kept
    cluster.drop_database(name)           # WITH (FORCE): open connections are ended
    cluster.close()                       # stop and remove the folder (also at exit)

The server binaries (initdb, pg_ctl, postgres) come from $HEMALOG_PG_BIN, else the
newest /usr/lib/postgresql/<version>/bin (the Debian `postgresql` package, which
scripts/setup.sh installs in test mode), else PATH. initdb and the server refuse to
run as root: as root they run as the `postgres` system user via runuser, with the
cluster folder owned by it. The server listens on 127.0.0.1 on a free port and on a
Unix socket inside the cluster folder; nothing else can reach it. The cluster is
tuned for tests (fsync off: a crash of the machine, not of the server, may lose it).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
DEFAULT_USER = "hemalog_test"
OS_USER_AS_ROOT = "postgres"


class PgServerUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine (or they cannot be run)."""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


def find_bin_dir() -> Path:
    """The folder holding initdb, pg_ctl and postgres, or PgServerUnavailable saying where it looked."""
    looked: list[str] = []
    env = os.environ.get("HEMALOG_PG_BIN")
    if env:
        folder = Path(env)
        if all((folder / b).is_file() for b in SERVER_BINARIES):
            return folder
        raise PgServerUnavailable(f"HEMALOG_PG_BIN={env} does not hold {', '.join(SERVER_BINARIES)}")
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    looked.append("/usr/lib/postgresql/*/bin")
    for folder in candidates:
        if all((folder / b).is_file() for b in SERVER_BINARIES):
            return folder
    found = shutil.which("initdb")
    looked.append("PATH")
    if found:
        folder = Path(found).resolve().parent
        if all((folder / b).is_file() for b in SERVER_BINARIES):
            return folder
    raise PgServerUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl, postgres) in "
        + " or ".join(looked)
        + "; install the Debian package `postgresql` (bash scripts/setup.sh test does, as root)"
        " or set HEMALOG_PG_BIN to the folder holding them"
    )


def unavailable(exc: Exception) -> NoReturn:
    """Skip the test for want of a server, or fail it in CI (CI=true): a backend that is
    not tested must not pass there."""
    import pytest

    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL test server unavailable in CI: {exc}", pytrace=False)
    pytest.skip(f"PostgreSQL test server unavailable: {exc}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- clean-up of clusters still running at exit or on SIGTERM ----------------------
_live: set[Cluster] = set()
_live_lock = threading.Lock()


def _close_all() -> None:
    with _live_lock:
        clusters = list(_live)
    for cluster in clusters:
        with contextlib.suppress(Exception):
            cluster.close()


atexit.register(_close_all)


def _sigterm_as_interrupt() -> None:
    """A terminated test run still stops its servers: SIGTERM unwinds like Ctrl-C
    (pytest then runs the fixture finalizers, and atexit runs after it)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        def handler(signum: int, frame: object) -> None:  # noqa: ARG001
            raise KeyboardInterrupt(f"signal {signum}")

        signal.signal(signal.SIGTERM, handler)


class Cluster:
    """One PostgreSQL cluster in its own temporary folder, started and stopped on demand."""

    def __init__(
        self,
        bin_dir: Path | str | None = None,
        *,
        user: str = DEFAULT_USER,
        base_dir: Path | str | None = None,
        password: str | None = None,
    ) -> None:
        """`user` is the superuser the tests connect as. Without `password` every local
        connection is trusted; with one, TCP connections need it (scram-sha-256) and
        only the Unix socket stays trusted."""
        self.bin_dir = Path(bin_dir) if bin_dir else find_bin_dir()
        self.user = user
        self.password = password
        self.base_dir = Path(base_dir) if base_dir else None
        self.as_root = os.geteuid() == 0
        self.dir: Path | None = None  # the cluster folder: data/, sock/, server.log
        self._short_socket_dir: Path | None = None  # when dir/sock is too long for a socket
        self.port: int | None = None
        self.running = False
        self.timings: dict[str, float] = {}  # seconds: "initdb", "start" (the last one)

    # --- paths -------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self._folder() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._short_socket_dir or self._folder() / "sock"

    @property
    def log_file(self) -> Path:
        return self._folder() / "server.log"

    def _folder(self) -> Path:
        if self.dir is None:
            raise RuntimeError("the cluster has not been started")
        return self.dir

    # --- running the server binaries ---------------------------------------------------
    def _run(self, binary: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / binary), *args]
        if self.as_root:
            cmd = ["runuser", "-u", OS_USER_AS_ROOT, "--", *cmd]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        proc = subprocess.run(
            cmd, cwd=self._folder(), env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if proc.returncode != 0:
            log = ""
            with contextlib.suppress(OSError):
                log = self.log_file.read_text(errors="replace")[-3000:]
            raise PgServerUnavailable(
                f"{binary} {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}"
                + (f"\n--- server.log ---\n{log}" if log else "")
            )
        return proc

    def _make_folder(self) -> None:
        base = self.base_dir or Path(tempfile.gettempdir())
        base.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="hemalog-pg-", dir=base))
        with _live_lock:
            _live.add(self)
        if self.as_root:
            import pwd

            try:
                pw = pwd.getpwnam(OS_USER_AS_ROOT)
            except KeyError:
                raise PgServerUnavailable(
                    f"running as root, but there is no `{OS_USER_AS_ROOT}` system user to run the"
                    " server as (the Debian postgresql package creates it)"
                ) from None
            if shutil.which("runuser") is None:
                raise PgServerUnavailable("running as root, but `runuser` (util-linux) is missing")
            # The postgres user must be able to reach the folder: every parent traversable
            # (the system temporary folder already is; a private base_dir may not be).
            for parent in self.dir.parents:
                mode = parent.stat().st_mode
                if not mode & 0o001:
                    parent.chmod(mode | 0o711)
            self.dir.chmod(0o700)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        # A Unix socket path has at most 107 bytes: a deep base_dir gets a short one in /tmp.
        if len(str(self.dir / "sock" / ".s.PGSQL.65535").encode()) > 107:
            self._short_socket_dir = Path(tempfile.mkdtemp(prefix="hlpg-", dir="/tmp"))
        else:
            self.socket_dir.mkdir()
        if self.as_root:
            os.chown(self.socket_dir, pw.pw_uid, pw.pw_gid)

    def _initdb(self) -> None:
        started = time.perf_counter()
        pwfile: Path | None = None
        args = [
            "-D", str(self.data_dir), "-U", self.user,
            # Bytewise ordering and UTF-8, like SQLite's default BINARY collation.
            "--no-locale", "--encoding=UTF8",
            "--no-sync", "--auth=trust",
        ]
        if self.password is not None:
            pwfile = self._folder() / "pwfile"
            pwfile.write_text(self.password + "\n")
            pwfile.chmod(0o644)  # readable by the postgres user; removed right after
            args.append(f"--pwfile={pwfile}")
        try:
            self._run("initdb", *args)
        finally:
            if pwfile is not None:
                pwfile.unlink(missing_ok=True)
        host_auth = "trust" if self.password is None else "scram-sha-256"
        (self.data_dir / "pg_hba.conf").write_text(
            "# TYPE  DATABASE  USER  ADDRESS        METHOD\n"
            "local   all       all                  trust\n"
            f"host    all       all   127.0.0.1/32   {host_auth}\n"
        )
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# hemalog test cluster\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                "unix_socket_permissions = 0777\n"
                "password_encryption = 'scram-sha-256'\n"
                "fsync = off\n"
                "synchronous_commit = off\n"
                "full_page_writes = off\n"
                "max_connections = 100\n"
                "shared_buffers = 32MB\n"
                "log_min_messages = warning\n"
                "TimeZone = 'UTC'\n"
            )
        self.timings["initdb"] = time.perf_counter() - started

    # --- the public API -------------------------------------------------------------
    def start(self) -> Cluster:
        """Create the cluster on first use, then start the server and wait until it accepts
        connections. After stop(), start() resumes the same data, on the same port if it
        is still free."""
        if self.running:
            return self
        _sigterm_as_interrupt()
        if self.dir is None:
            try:
                self._make_folder()
                self._initdb()
                return self._start()
            except BaseException:
                self.close()  # nothing half-made left behind
                raise
        return self._start()

    def _start(self) -> Cluster:
        last: Exception | None = None
        for _ in range(5):  # the free port may be taken between looking and binding
            port = self.port or free_port()
            started = time.perf_counter()
            try:
                self._run(
                    "pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file),
                    "-o", f"-p {port}", "-w", "-t", "60", "start",
                )
            except PgServerUnavailable as exc:
                if "already in use" not in str(exc):
                    raise
                last = exc
                self.port = None
                continue
            self.port = port
            self.running = True
            self.timings["start"] = time.perf_counter() - started
            return self
        raise PgServerUnavailable(f"the test server did not start:\n{last}")

    def stop(self) -> None:
        """Stop the server (fast: open connections are ended); the data stays for start()."""
        if not self.running:
            return
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60", "stop")
        self.running = False

    def close(self) -> None:
        """Stop the server and remove the cluster folder. Safe to call twice."""
        if self.dir is None:
            return
        try:
            if self.running:
                self.stop()
            elif (self.data_dir / "postmaster.pid").exists():  # started by someone else
                with contextlib.suppress(Exception):
                    self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
            if self._short_socket_dir is not None:
                shutil.rmtree(self._short_socket_dir, ignore_errors=True)
                self._short_socket_dir = None
            with _live_lock:
                _live.discard(self)
            self.dir = None
            self.running = False

    def url(self, db: str = "postgres", *, user: str | None = None, password: str | None = None) -> str:
        """postgresql://USER@127.0.0.1:PORT/DB (TCP on loopback); password only when given."""
        if self.port is None:
            raise RuntimeError("the cluster has not been started")
        who = quote(user or self.user, safe="")
        if password is not None:
            who += ":" + quote(password, safe="")
        return f"postgresql://{who}@127.0.0.1:{self.port}/{quote(db, safe='')}"

    def socket_url(self, db: str = "postgres", *, user: str | None = None) -> str:
        """The same server over its Unix socket."""
        who = quote(user or self.user, safe="")
        return f"postgresql://{who}@/{quote(db, safe='')}?host={quote(str(self.socket_dir), safe='')}&port={self.port}"

    def admin(self):  # noqa: ANN201 - psycopg.Connection
        """An autocommit superuser connection to the `postgres` database (over the socket)."""
        import psycopg

        return psycopg.connect(self.socket_url("postgres"), autocommit=True)

    def create_database(self, name: str | None = None, *, template: str | None = None) -> str:
        """Create a database (a unique name unless given) and return its name: empty, or
        a copy of ``template`` (a database no one is connected to)."""
        from psycopg import sql

        name = name or f"t_{uuid.uuid4().hex[:16]}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.admin() as conn:
            conn.execute(statement)
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any connection still open to it."""
        from psycopg import sql

        with self.admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def databases(self) -> set[str]:
        with self.admin() as conn:
            return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}

    @contextlib.contextmanager
    def database(self, *, template: str | None = None) -> Iterator[str]:
        """A fresh database for the block (empty, or a copy of ``template``): yields its
        URL, drops it afterwards (the server is started again first if the block left it
        stopped)."""
        name = self.create_database(template=template)
        try:
            yield self.url(name)
        finally:
            if not self.running and self.dir is not None:
                self.start()
            self.drop_database(name)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Cluster {self.dir} port={self.port} {state}>"
