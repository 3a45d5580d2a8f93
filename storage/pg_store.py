"""The PostgreSQL backend of ``storage.contract.Store`` (issue 16).

The same repositories as the SQLite file (storage.repository) over a ``PostgresSql``
connection. What differs is who connects:

- Each hemalog account is a PostgreSQL login (storage.pg_schema). Nothing is opened
  until someone signs in: ``accounts.sign_in(name, password)`` connects to the server
  as that login, so the server checks the password and from then on enforces the
  role's grants and triggers on every statement. hemalog's own checks follow as on a
  file (the account's stored hash, disabled, waiting after failed signatures).
- The schema's owner (``PostgresStore.as_owner``) is used only by ``hemalog server
  init`` and ``hemalog migrate --to``; the app never runs as the owner.

A password is never taken from the command line: the caller passes what the person
typed or a password file held; ``None`` lets libpq find it (PGPASSFILE, ~/.pgpass, a
client certificate, peer authentication on a Unix socket).

A lost connection (server stopped, network gone) makes the statement that meets it
fail with ``ConnectionLost``: nothing half-written (the server rolls the transaction
back). The next use reconnects with the same login, outside any transaction, so the
store heals itself once the server is back; while it is away every use is refused
with the same one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from clinical.accounts import PermissionDenied, Role, User
from clinical.errors import HemalogError
from storage.accounts import AccountRepository, SignInRefused
from storage.audit import AuditLog
from storage.locations import shown_target
from storage.database import DatabaseError
from storage.pg_schema import (
    USERS_PUBLIC_COLUMNS, create_login, login_role, schema_version_problem, set_login_enabled,
    set_login_password, set_login_role,
)
from storage.repository import BaseStore
from storage.sql import ConnectionLost, NotPermitted, PostgresSql

__all__ = ["PostgresStore", "ServerAccounts", "connect_options"]

SIGN_IN_FIRST = "sign in first: this database has staff accounts"
CONNECT_TIMEOUT = 5   # seconds: an unreachable server answers within this


def connect_options(conninfo: str, *, user: str | None = None,
                    password: str | None = None, read_only: bool = False) -> str:
    """``conninfo`` with the login, the password (when given), a short connect timeout,
    TCP keepalives (a vanished server is noticed in seconds, not hours) and the
    application name; ``read_only`` sessions refuse every write on the server."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    given = conninfo_to_dict(conninfo)
    extra: dict[str, Any] = {}
    if user is not None:
        extra["user"] = user
    if password is not None:
        extra["password"] = password
    defaults = {"connect_timeout": CONNECT_TIMEOUT, "application_name": "hemalog",
                "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                "keepalives_count": 3}
    extra.update({k: v for k, v in defaults.items() if k not in given})
    if read_only:
        options = given.get("options", "")
        extra["options"] = f"{options} -c default_transaction_read_only=on".strip()
    return make_conninfo(conninfo, **extra)


class _ServerSql:
    """The store's ``Sql``: the connection of whoever signed in, reconnected when it was
    lost (only between transactions). Before anyone signs in every use is refused."""

    dialect = "postgresql"

    def __init__(self, store: PostgresStore) -> None:
        self._store = store
        self.current: PostgresSql | None = None

    @property
    def location(self) -> str:
        return self._store.location

    @property
    def conn(self) -> Any:
        return self._live().conn

    def _live(self) -> PostgresSql:
        sql = self.current
        if sql is None:
            raise PermissionDenied(SIGN_IN_FIRST)
        if (sql.conn.closed or sql.conn.broken) and not sql._depth:
            self.current = sql = self._store._reconnect()
        return sql

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return self._live().query(sql, params)

    def query_one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        return self._live().query_one(sql, params)

    def tuples(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        return self._live().tuples(sql, params)

    def scalar(self, sql: str, params: Any = ()) -> Any:
        return self._live().scalar(sql, params)

    def execute(self, sql: str, params: Any = ()) -> int:
        return self._live().execute(sql, params)

    def insert(self, table: str, row: Any) -> None:
        self._live().insert(table, row)

    def insert_all(self, table: str, rows: Any) -> int:
        return self._live().insert_all(table, rows)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self._live().transaction() as sql:
            yield sql

    def tables(self) -> set[str]:
        return self._live().tables()

    def columns(self, table: str) -> list[str]:
        return self._live().columns(table)

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(connection, *args)`` (storage.pg_schema's login functions), its failures
        mapped like every statement's (storage.sql.SqlError, one line)."""
        live = self._live()
        with live._mapped():
            return fn(live.conn, *args)

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None


class ServerAccounts(AccountRepository):
    """Accounts on a server: each is a users row (as on a file) and a login of the same
    name in its role's group. Creating, disabling, re-roling an account or setting its
    password changes both in one transaction; signing in connects as the login."""

    def __init__(self, store: PostgresStore) -> None:
        super().__init__(store.sql, store.audit, store._role_for_rules)
        self._store = store

    # what a nurse or physician may read of users: never the password columns
    _PUBLIC = ", ".join(USERS_PUBLIC_COLUMNS)

    def count(self) -> int:
        return self._sql.scalar("SELECT count(id) FROM users")

    def list(self) -> list[User]:
        return [self._user(r) for r in self._sql.query(
            f"SELECT {self._PUBLIC} FROM users ORDER BY username")]

    def _row(self, name: str) -> dict[str, Any] | None:
        if self._store.login is None:   # the schema's owner (server init, migrate, tests)
            return super()._row(name)
        row = self._sql.query_one(f"SELECT {self._PUBLIC} FROM users WHERE username = ?",
                                  [name])
        if row is not None and name == self._store.login:
            # the login's own hash (hemalog_own_credentials): a signature checks it
            own = self._sql.query_one("SELECT * FROM hemalog_own_credentials()")
            row.update(own or {"salt": None, "password_hash": None, "hash_params": None})
        return row

    def _name_of(self, user_id: int) -> str:
        name = self._sql.scalar("SELECT username FROM users WHERE id = ?", [user_id])
        if name is None:
            raise HemalogError(f"user {user_id} does not exist")
        return name

    def create(self, username: str, password: str, role: Role,
               display_name: str | None = None) -> User:
        with self._sql.transaction():
            user = super().create(username, password, role, display_name)
            self._sql.call(create_login, user.username, password, role)
        return user

    def set_role(self, user_id: int, role: Role) -> None:
        with self._sql.transaction():
            super().set_role(user_id, role)
            self._sql.call(set_login_role, self._name_of(user_id), role)

    def set_password(self, user_id: int, password: str) -> None:
        """A new password for the account and its login; the login may sign in again
        unless the account is disabled (a migrated account's login waits for this)."""
        with self._sql.transaction():
            super().set_password(user_id, password)
            name = self._name_of(user_id)
            self._sql.call(set_login_password, name, password)
            disabled = self._sql.scalar("SELECT disabled FROM users WHERE id = ?", [user_id])
            self._sql.call(set_login_enabled, name, not disabled)

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        with self._sql.transaction():
            super().set_disabled(user_id, disabled)
            self._sql.call(set_login_enabled, self._name_of(user_id), not disabled)

    def sign_in(self, username: str, password: str | None,  # type: ignore[override]
                *, now: float | None = None) -> User:
        """Connect as the login ``username`` (the server checks the password), then
        hemalog's own checks. A refusal by the server is worded like any other; it is
        counted by the server's log, not here (there is no connection to count it on).
        ``password`` None: libpq finds it (PGPASSFILE, ~/.pgpass)."""
        name = username.strip()
        if not name:
            raise SignInRefused()
        store = self._store
        kept = None if store.login == name else store._switch_to(name, password)
        try:
            if password is None:      # the server checked it; hemalog has nothing to compare
                row = self._row(name)
                if row is None or row["disabled"]:
                    raise SignInRefused()
                user = self._user(row)
            else:
                user = super().sign_in(name, password, now=now)
            server_role = self._sql.call(login_role, name)
            if server_role is not user.role:
                raise HemalogError(
                    f"{name}: the role on the server ({server_role or 'none'}) is not the "
                    f"account's ({user.role}); an administrator must set the role again")
        except BaseException:
            if kept is not None:
                store._switch_back(kept)
            raise
        if kept is not None:
            store._forget(kept)
        return user

    def verify_password(self, user: User, password: str) -> bool:
        """hemalog's own check of the signed-in person's password (a signature), on the
        connection in use: a wrong one counts as a failed sign-in of that name."""
        if self._store.login is not None and user.username != self._store.login:
            return False    # a signature is the signed-in person's own
        try:
            return AccountRepository.sign_in(self, user.username, password).id == user.id
        except SignInRefused:
            return False


class PostgresStore(BaseStore):
    """hemalog on a PostgreSQL server: open it through ``storage.open_store`` with a
    ``postgresql://`` URL; every read and write waits until someone signs in."""

    def __init__(self, conninfo: str, *, user: str, read_only: bool = False) -> None:
        super().__init__(read_only=read_only)
        self.conninfo = conninfo
        self._owner = False
        self._owner_password: str | None = None
        self._session: tuple[str, str | None] | None = None   # (login, password) in use
        self.sql = _ServerSql(self)
        self.audit = AuditLog(self.sql, user)
        self.accounts = ServerAccounts(self)

    @classmethod
    def as_owner(cls, conninfo: str, *, user: str, password: str | None = None) -> PostgresStore:
        """The store connected with ``conninfo``'s own login (the schema's owner): for
        `server init`, `migrate --to` and `restore` only. The server's triggers still
        apply. ``password``: typed by the person (None: libpq finds it); given to libpq
        for this store's connections only, never put into the URL."""
        store = cls(conninfo, user=user)
        store._owner = True
        store._owner_password = password
        store.sql.current = store._reconnect()
        return store

    # --- where it lives -------------------------------------------------------------
    @property
    def location(self) -> str:
        """postgresql://HOST:PORT/DBNAME: where the data lives, without who connects
        (the status bar, messages, the summary's footer, per-database settings)."""
        from psycopg.conninfo import conninfo_to_dict

        try:
            params = conninfo_to_dict(self.conninfo)
        except Exception:   # noqa: BLE001 - open_store checked the URL; shown as given
            return shown_target(self.conninfo)
        host = str(params.get("host") or "localhost")
        if host.startswith("/"):
            host = f"localhost [{host}]"
        return f"postgresql://{host}:{params.get('port') or 5432}/{params.get('dbname') or ''}"

    @property
    def short_name(self) -> str:
        from psycopg.conninfo import conninfo_to_dict

        try:
            params = conninfo_to_dict(self.conninfo)
        except Exception:   # noqa: BLE001 - a name for a title; open_store checked the URL
            return self.location
        host = params.get("host") or "localhost"
        return f"{params.get('dbname') or params.get('user') or 'hemalog'} on {host}"

    @property
    def login(self) -> str | None:
        """The login connected now (None before sign-in)."""
        return None if self._session is None else self._session[0]

    # --- accounts -----------------------------------------------------------------------
    @property
    def has_accounts(self) -> bool:
        """Always on a server (`server init` makes the first administrator), except for
        the owner's store during `server init` itself."""
        if self._owner:
            return super().has_accounts
        return True

    def ever_had_accounts(self) -> bool:
        return True if not self._owner else super().ever_had_accounts()

    def _refuse_unless_signed_in(self) -> None:
        if self._owner:
            return      # the owner acts for `server init` and `migrate` before any account
        super()._refuse_unless_signed_in()

    # --- connections ----------------------------------------------------------------------
    def _open(self, name: str, password: str | None) -> PostgresSql:
        try:
            sql = PostgresSql.connect(connect_options(
                self.conninfo, user=name, password=password, read_only=self.read_only))
        except NotPermitted:
            raise SignInRefused() from None   # worded alike for every refusal
        sql.location = self.location
        # a database not set up for hemalog, or made by another hemalog version: refused
        # before anything is written
        if sql.scalar("SELECT to_regclass('public.schema_version') IS NULL"):
            problem = (f"{self.location}: this database has no hemalog tables: its owner sets "
                       "it up with hemalog server init URL --admin NAME (nothing was changed)")
        else:
            problem = schema_version_problem(sql.scalar("SELECT version FROM schema_version"),
                                             self.location)
        if problem is not None:
            sql.close()
            raise DatabaseError(problem)
        return sql

    def _switch_to(self, name: str, password: str | None) -> tuple[Any, ...]:
        """Connect as ``name`` (SignInRefused when the server refuses); returns what was
        in use before, for ``_switch_back`` (refused later) or ``_forget`` (kept)."""
        sql = self._open(name, password)
        kept = (self.sql.current, self._session, self.audit.user)
        self.sql.current = sql
        self._session = (name, password)
        self.audit.user = name      # the server refuses audit rows in another's name
        return kept

    def _switch_back(self, kept: tuple[Any, ...]) -> None:
        """After a refused sign-in: back to who was connected before (or no one)."""
        refused = self.sql.current
        self.sql.current, self._session, self.audit.user = kept
        if refused is not None:
            refused.close()

    @staticmethod
    def _forget(kept: tuple[Any, ...]) -> None:
        """After a sign-in: the connection of who was signed in before is closed."""
        if kept[0] is not None:
            kept[0].close()

    def _reconnect(self) -> PostgresSql:
        """A new connection for the signed-in login after the old one was lost; a server
        still away is ConnectionLost (one line)."""
        if self._session is None:
            if self._owner:
                sql = PostgresSql.connect(connect_options(self.conninfo,
                                                          password=self._owner_password))
                sql.location = self.location
                return sql
            raise PermissionDenied(SIGN_IN_FIRST)
        try:
            return self._open(*self._session)
        except SignInRefused:
            raise ConnectionLost(f"{self.location}: the server no longer accepts "
                                 f"{self._session[0]}'s sign-in; sign in again") from None

    def connect_again(self) -> Any:
        """A new psycopg connection of the signed-in login (the live change feed's own)."""
        import psycopg

        if self._session is None:
            if self._owner:     # the owner's store (setup commands, tests)
                return psycopg.connect(connect_options(self.conninfo,
                                                       password=self._owner_password),
                                       autocommit=True)
            raise PermissionDenied(SIGN_IN_FIRST)
        name, password = self._session
        return psycopg.connect(connect_options(self.conninfo, user=name, password=password),
                               autocommit=True)

    def backend_pid(self) -> int | None:
        """The server process of this store's connection (its own notifications)."""
        sql = self.sql.current
        if sql is None or sql.conn.closed:
            return None
        return sql.conn.info.backend_pid

    def watch(self, on_change: Callable[[Any], None],
              on_connection: Callable[[bool], None] | None = None) -> Any:
        """Changes other workstations commit (LISTEN/NOTIFY, storage.live)."""
        from storage.live import watch_server

        return watch_server(self.connect_again, on_change, on_connection=on_connection,
                            ignore_pid=self.backend_pid)

    def close(self) -> None:
        self.sql.close()
        self._session = None


def check_url(target: str, *, named: str = "--db") -> str:
    """``target`` (a postgresql:// URL) when psycopg can read it; else HemalogError
    naming it without its password. A password in the URL is refused: it would stand
    in shell histories and process lists (use PGPASSFILE or the sign-in prompt)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    url = target.strip()
    scheme, sep, rest = url.partition("://")
    if sep:
        url = scheme.lower() + sep + rest     # libpq reads the scheme in lower case only
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "not a connection URL"
        raise HemalogError(f"{named} {shown_target(url)}: {first}") from None
    if params.get("password"):
        raise HemalogError([
            f"{named} {shown_target(url)}: refused: the URL holds a password",
            "leave it out: hemalog asks for it, or reads it from PGPASSFILE (~/.pgpass)"])
    return url
