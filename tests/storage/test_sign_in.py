"""Issue 14: signing in. Failed sign-ins are audited and make a name wait (30 s after 5
in a row, doubling, at most 15 min) whether or not it exists; old password hashes
are upgraded at sign-in; audit rows name the workstation and may hold a signature;
a database made before schema 3 still verifies.

Sign-ins use the production hash (scrypt N=2^17, about 0.5 s each here): each test
makes as few as it can. The clock is the ``now=`` argument, in seconds.

Where they run (issue 16). On a server each account is a PostgreSQL login and signing
in connects as it, so PostgreSQL checks the password before hemalog sees the attempt
(storage.pg_store.ServerAccounts.sign_in): a wrong password is the server's refusal,
worded like hemalog's, which hemalog neither audits nor counts, and no name waits for
it. The tests of that counting (failures at sign-in, the doubling wait, unknown names
waiting alike, the audit row of each refused sign-in, an admin clearing such a wait, a
read-only file recording nothing) therefore run on a SQLite file only (``file_ward``),
as does the file made before schema 3. The rest runs on both backends (``ward``):
refusals worded alike, a disabled account (its login disabled too), failed signatures
(hemalog's own check on both: audited, counted, making the name wait until an admin
unlocks it; the server refuses a nurse's unlock even with the app's check bypassed),
old hashes upgraded, the workstation in every audit row, a signature in the hash
chain; and, on the server only, a wrong password refused by PostgreSQL (in its log,
not counted) and a read-only store writing nothing.

The server side runs on a cluster of this module's own that checks passwords
(scram-sha-256) as a ward's server does; the session's cluster trusts local
connections, so there hemalog's own check would be the only one. Its ward is a copy of
a database whose accounts were made once, as the app makes them; each copy gets its
logins again (logins are per cluster) and drops them after. Tampering on a server is
the superuser's, with triggers skipped for that session only (none is disabled), and
``verify_server`` must name it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from clinical.accounts import PermissionDenied, Role, User
from clinical.audit import AuditAction, AuditEntry
from clinical.errors import HemalogError
from clinical.version import software_stamp
from clinical.record import Lab, LabTest, Patient
from storage import open_store
from storage.accounts import CURRENT, FIRST_WAIT, LOCK_AFTER, SignInRefused
from storage.audit import verify_chain, workstation_name
from storage.codec import to_row
from storage.integrity import Verification, verify_database, verify_server
from storage.migrations import MIGRATIONS, SCHEMA_VERSION
from storage.pg_store import PostgresStore
from storage.repository import SqliteStore
from storage.sql import NotPermitted
from tests.storage.test_safety import _tamper

ADMIN, NURSE = ("ada", "admin-pass-1"), ("nina", "nurse-pass-1")
ACCOUNTS = ((*ADMIN, Role.ADMIN), (*NURSE, Role.NURSE))   # the first is the admin
PASSWORDS = dict([ADMIN, NURSE])
WRONG = "user name or password is wrong (or the account is disabled)"
T0 = 1_750_000_000.0
# The superuser's password on this module's cluster; the session's cluster (used by
# tests importing these helpers) trusts local connections and ignores it.
OWNER_PASSWORD = "owner secret 16"

Ward = Any   # a SqliteStore on a file or a PostgresStore on a server database


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with an admin and a nurse, made once (each account costs a hash)."""
    path = tmp_path_factory.mktemp("template") / "ward.db"
    with SqliteStore(path, user="os-user") as store:
        admin = store.accounts.create(*ADMIN, Role.ADMIN)
        store.sign_in(admin)
        store.accounts.create(*NURSE, Role.NURSE)
    return path


@pytest.fixture
def file_ward(template: Path, tmp_path: Path) -> Iterator[SqliteStore]:
    path = tmp_path / "ward.db"
    shutil.copyfile(template, path)
    store = SqliteStore(path, user="os-user")
    store.audit.workstation = "ward-3-pc"
    yield store
    store.close()


# --- the same ward on a server ----------------------------------------------------------
@pytest.fixture(scope="module")
def password_server():  # noqa: ANN201 - tests.pgserver.Cluster
    """A cluster whose TCP connections need the login's password (scram-sha-256), as a
    ward's server does. Skipped without server binaries, except in CI (as pg_server)."""
    from tests.pgserver import Cluster, PgServerUnavailable, unavailable

    try:
        cluster = Cluster(password=OWNER_PASSWORD).start()
    except PgServerUnavailable as exc:
        unavailable(exc)
    try:
        yield cluster
    finally:
        cluster.close()


_CONNECT_GRANTS = """DO $$ BEGIN
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO hemalog_nurse, hemalog_physician, '
                   'hemalog_admin', current_database());
END $$"""


def _drop_logins(cluster: Any, names: list[str]) -> None:
    from psycopg import sql

    with cluster.admin() as conn:
        for name in names:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE usename = %s", [name])
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


@contextmanager
def server_ward_template(cluster: Any, accounts: tuple[tuple[str, str, Role], ...]
                         ) -> Iterator[str]:
    """The name of a database on ``cluster`` with hemalog's schema and ``accounts``
    (name, password, role; the first an admin) made as `hemalog server init` and
    File ▸ Users… make them; its logins are dropped again (each copy makes its own,
    ``server_ward_copy``). Dropped after the block."""
    import psycopg

    from storage.pg_schema import create_schema

    name = cluster.create_database()
    try:
        with psycopg.connect(cluster.socket_url(name)) as conn:
            create_schema(conn)
        url = cluster.url(name)
        (first, password, role), *others = accounts
        with PostgresStore.as_owner(url, user="os-user", password=OWNER_PASSWORD) as owner:
            owner.accounts.create(first, password, role)
        with open_store(url, user="os-user") as admin:
            admin.sign_in(admin.accounts.sign_in(first, password))
            for account in others:
                admin.accounts.create(*account)
        _drop_logins(cluster, [a[0] for a in accounts])
        yield name
    finally:
        cluster.drop_database(name)


@contextmanager
def server_ward_copy(cluster: Any, template: str, accounts: tuple[tuple[str, str, Role], ...]
                     ) -> Iterator[str]:
    """The URL (as the superuser, over TCP) of a fresh copy of ``template``, with the
    logins of its ``accounts`` made again (storage.pg_schema.create_login, as the app
    does) and dropped after the block, like the copy itself."""
    import psycopg

    from storage.pg_schema import create_login

    with cluster.database(template=template) as url:
        with psycopg.connect(url, password=OWNER_PASSWORD, autocommit=True) as conn:
            conn.execute(_CONNECT_GRANTS)     # database grants are not copied from a template
        try:
            with psycopg.connect(url, password=OWNER_PASSWORD) as conn:
                for name, password, role in accounts:
                    create_login(conn, name, password, role)
            yield url
        finally:
            _drop_logins(cluster, [a[0] for a in accounts])


@pytest.fixture(scope="module")
def server_template(password_server: Any) -> Iterator[str]:
    with server_ward_template(password_server, ACCOUNTS) as name:
        yield name


@pytest.fixture
def server_ward(password_server: Any, server_template: str) -> Iterator[PostgresStore]:
    """The ward on the server: opened, no one signed in (nothing is connected yet)."""
    with server_ward_copy(password_server, server_template, ACCOUNTS) as url:
        store = open_store(url, user="os-user")
        store.audit.workstation = "ward-3-pc"
        try:
            yield store
        finally:
            store.close()


@pytest.fixture
def ward(backend: str, request: pytest.FixtureRequest) -> Ward:
    """The ward as a SQLite file or a server database (tests/storage/conftest.py
    ``backend``): an admin and a nurse, opened by the OS user "os-user" at "ward-3-pc"."""
    return request.getfixturevalue("file_ward" if backend == "sqlite" else "server_ward")


# --- helpers for either backend -----------------------------------------------------------
def fresh(ward: Ward, *, read_only: bool = False) -> Ward:
    """Another store on the ward's database (another session, or after a restart), at
    the same workstation."""
    if isinstance(ward, SqliteStore):
        store = SqliteStore(ward.path, user="os-user", read_only=read_only)
    else:
        store = open_store(ward.conninfo, user="os-user", read_only=read_only)
    store.audit.workstation = ward.audit.workstation
    return store


def as_user(store: Ward, name: str) -> Ward:
    """``store`` signed in as ``name`` with the right password (on a server: connected
    as the login)."""
    store.sign_in(store.accounts.sign_in(name, PASSWORDS[name]))
    return store


@contextmanager
def signed(ward: Ward, name: str) -> Iterator[Ward]:
    """Another session on the ward's database, signed in as ``name``."""
    store = fresh(ward)
    try:
        yield as_user(store, name)
    finally:
        store.close()


def as_owner(ward: Ward) -> PostgresStore:
    """The server database's owner: reads every row and column (tests only)."""
    return PostgresStore.as_owner(ward.conninfo, user="os-user", password=OWNER_PASSWORD)


@contextmanager
def reading(store: Ward) -> Iterator[Ward]:
    """``store`` when it may read (a file; a server store connected as a login), else
    the server's owner: before anyone signs in nothing is connected there."""
    if isinstance(store, SqliteStore) or store.login is not None:
        yield store
        return
    with as_owner(store) as owner:
        yield owner


def refused(store: Ward, name: str, password: str, at: float | None = None
            ) -> SignInRefused:
    with pytest.raises(SignInRefused) as caught:
        store.accounts.sign_in(name, password, now=at)
    return caught.value


def fail(store: Ward, name: str, times: int, start: float = T0) -> list[SignInRefused]:
    return [refused(store, name, "not-the-password", start + i) for i in range(times)]


def entries(store: Ward) -> list[AuditEntry]:
    with reading(store) as r:
        return r.audit.entries()


def sign_in_rows(store: Ward) -> list[AuditEntry]:
    return [e for e in entries(store) if e.table == "sign_in"]


def account(store: Ward, name: str) -> User:
    with reading(store) as r:
        return {u.username: u for u in r.accounts.list()}[name]


def tamper(ward: Ward, statement: str) -> None:
    """Change rows behind hemalog's back: with the sqlite3 shell on a file (its audit
    triggers dropped); as the superuser on a server, triggers skipped for that session
    only (session_replication_role), so none shows as disabled: only the rows can tell."""
    if isinstance(ward, SqliteStore):
        _tamper(ward.path, statement)
        return
    import psycopg

    with psycopg.connect(ward.conninfo, password=OWNER_PASSWORD) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(statement)


def verify(ward: Ward) -> Verification:
    """What `hemalog verify` says of the ward's database: the file, or the server."""
    if isinstance(ward, SqliteStore):
        return verify_database(ward.path)
    with as_owner(ward) as owner:
        return verify_server(owner.sql, owner.location)


def first_bad_row(ward: Ward) -> int | None:
    if not isinstance(ward, SqliteStore):
        return verify(ward).first_bad_audit_row
    db = Database(sqlite3.connect(ward.path))
    try:
        return verify_chain(db)[1]
    finally:
        db.close()


# --- hemalog's count of wrong passwords at sign-in: a file only ---------------------------
# On a server PostgreSQL checks the password when connecting as the login: a wrong one
# never reaches hemalog there (see test_on_a_server_postgresql_refuses_a_wrong_password).


def test_four_failures_then_the_right_password_signs_in_and_clears_the_count(
        file_ward: SqliteStore) -> None:
    assert [e.wait_seconds for e in fail(file_ward, ADMIN[0], 4)] == [0, 0, 0, 0]
    assert file_ward.accounts.sign_in(*ADMIN, now=T0 + 5).username == "ada"
    # The count starts again: one more failure is the first, not the fifth.
    assert refused(file_ward, ADMIN[0], "still-wrong", T0 + 6).wait_seconds == 0
    assert sign_in_rows(file_ward)[-1].new["failures in a row"] == 1  # type: ignore[index]


def test_five_failures_make_the_name_wait_30_s_even_with_the_right_password(
        file_ward: SqliteStore) -> None:
    fifth = fail(file_ward, ADMIN[0], 5)[-1]
    assert fifth.wait_seconds == 30
    assert str(fifth) == "too many failed sign-ins for this name: try again in 30 s"
    last_failure = T0 + 4
    waiting = refused(file_ward, *ADMIN, last_failure + 10)
    assert (waiting.wait_seconds, str(waiting)) == (
        20, "too many failed sign-ins for this name: try again in 20 s")
    assert file_ward.accounts.locked(now=last_failure + 10) == [("ada", 20)]
    # The refused attempt while waiting was not counted: the wait is still 30 s.
    assert file_ward.accounts.sign_in(*ADMIN, now=last_failure + 31).username == "ada"
    assert file_ward.accounts.locked(now=last_failure + 31) == []


def test_each_further_failure_doubles_the_wait_up_to_15_minutes(file_ward: SqliteStore) -> None:
    waits, at = [], T0
    for _ in range(11):
        error = refused(file_ward, ADMIN[0], "not-the-password", at)
        waits.append(error.wait_seconds)
        at += error.wait_seconds + 1   # try again once the wait is over
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert str(error) == "too many failed sign-ins for this name: try again in 900 s"


def test_an_unknown_name_waits_alike_and_is_refused_in_the_same_words(
        file_ward: SqliteStore) -> None:
    known = [str(e) for e in fail(file_ward, ADMIN[0], 5)]
    unknown = [str(e) for e in fail(file_ward, "nobody", 5)]
    assert known == unknown == [WRONG] * 4 + [
        "too many failed sign-ins for this name: try again in 30 s"]
    assert str(refused(file_ward, "nobody", ADMIN[1], T0 + 6)) == str(
        refused(file_ward, ADMIN[0], ADMIN[1], T0 + 6))
    assert file_ward.accounts.locked(now=T0 + 6) == [("ada", 28), ("nobody", 28)]


def test_every_refusal_is_an_audit_row_naming_the_name_tried_and_the_workstation(
        file_ward: SqliteStore) -> None:
    before = file_ward.audit.count()
    fail(file_ward, ADMIN[0], 5)
    refused(file_ward, *ADMIN, T0 + 10)                 # while waiting: refused, recorded too
    refused(file_ward, "nob\u202eody", "whatever-1", T0)
    rows = sign_in_rows(file_ward)
    assert file_ward.audit.count() == before + 7 == before + len(rows)
    assert {(e.action, e.row_id, e.patient_id, e.user, e.workstation) for e in rows} == {
        (AuditAction.SIGN_IN_FAILED, 0, None, "os-user", "ward-3-pc")}
    assert [(e.new["name tried"], e.new["workstation"]) for e in rows] == (  # type: ignore[index]
        [("ada", "ward-3-pc")] * 6 + [("nob\u202eody", "ward-3-pc")])
    assert [e.new.get("failures in a row") for e in rows[:6]] == [1, 2, 3, 4, 5, None]  # type: ignore[union-attr]
    assert rows[5].new["seconds left"] == 24  # type: ignore[index]
    assert not any("not-the-password" in json.dumps(e.new) for e in rows)  # nor the password
    assert verify_database(file_ward.path).ok


def test_an_admin_unlocks_a_waiting_name_audited(file_ward: SqliteStore) -> None:
    fail(file_ward, NURSE[0], 5)
    file_ward.sign_in(file_ward.accounts.sign_in(*ADMIN, now=T0 + 5))
    file_ward.accounts.unlock("nina")
    assert file_ward.accounts.locked(now=T0 + 6) == []
    assert file_ward.accounts.sign_in(*NURSE, now=T0 + 6).username == "nina"
    (unlocked,) = [e for e in file_ward.audit.entries() if e.action is AuditAction.UNLOCK]
    assert (unlocked.user, unlocked.workstation, unlocked.table, unlocked.row_id) == (
        "ada", "ward-3-pc", "sign_in", 0)
    assert unlocked.new == {"name tried": "nina", "workstation": "ward-3-pc"}
    assert unlocked.old == {"name tried": "nina", "failures": 5}
    with pytest.raises(HemalogError, match="no failed sign-ins"):
        file_ward.accounts.unlock("nina")


def test_a_nurse_cannot_unlock_nor_can_anyone_not_signed_in(file_ward: SqliteStore) -> None:
    fail(file_ward, ADMIN[0], 5)
    with pytest.raises(PermissionDenied):   # no one signed in
        file_ward.accounts.unlock("ada")
    file_ward.sign_in(file_ward.accounts.sign_in(*NURSE, now=T0 + 5))
    with pytest.raises(PermissionDenied, match="only an admin"):
        file_ward.accounts.unlock("ada")
    assert file_ward.accounts.locked(now=T0 + 5) == [("ada", 29)]
    assert not [e for e in file_ward.audit.entries() if e.action is AuditAction.UNLOCK]


def test_a_read_only_database_refuses_without_writing(file_ward: SqliteStore) -> None:
    path = file_ward.path
    file_ward.close()
    fail_at = T0
    with SqliteStore(path, user="os-user") as store:   # two failures recorded
        fail(store, ADMIN[0], 2, fail_at)
    before = path.read_bytes()
    with SqliteStore(path, user="os-user", read_only=True) as reading:
        assert refused(reading, ADMIN[0], "wrong-again", T0 + 5).wait_seconds == 0
        assert refused(reading, "nobody", "wrong-again", T0 + 5).wait_seconds == 0
        assert reading.accounts.sign_in(*ADMIN, now=T0 + 6).username == "ada"
    assert path.read_bytes() == before
    with SqliteStore(path, user="os-user") as store:   # the count was not touched
        assert refused(store, ADMIN[0], "wrong-again", T0 + 7).wait_seconds == 0
        assert sign_in_rows(store)[-1].new["failures in a row"] == 3  # type: ignore[index]


# --- either backend ----------------------------------------------------------------------
def test_a_wrong_password_an_unknown_name_and_no_name_are_refused_in_the_same_words(
        ward: Ward) -> None:
    refusals = [refused(ward, name, password, T0) for name, password in [
        (ADMIN[0], "not-the-password"), ("nobody", ADMIN[1]), ("", ADMIN[1])]]
    assert [(str(e), e.wait_seconds) for e in refusals] == [(WRONG, 0)] * 3
    assert (ward.role, ward.user, getattr(ward, "login", None)) == (None, "os-user", None)
    with pytest.raises(PermissionDenied, match="sign in first"):
        ward.patients.list()


def test_a_disabled_account_with_the_right_password_is_refused_in_the_same_words(
        ward: Ward, backend: str) -> None:
    with signed(ward, "nina") as her_session:   # open before she is disabled
        with signed(ward, "ada") as admin:
            nurse = account(admin, "nina")
            admin.accounts.set_disabled(nurse.id, True)
        assert str(refused(ward, *NURSE, T0)) == WRONG
        assert ward.accounts.authenticate(*NURSE) is None
        # A session open before stays open, but can no longer sign (hemalog's own check).
        assert not her_session.accounts.verify_password(nurse, NURSE[1])
    refusals = [e.new["refused"] for e in sign_in_rows(ward)]  # type: ignore[index]
    if backend == "sqlite":
        assert refusals == ["account disabled"] * 3
    else:   # the login is disabled too: the server refused the other two, unrecorded
        assert refusals == ["account disabled"]
        with as_owner(ward) as owner:
            assert owner.sql.scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'nina'") \
                is False


def test_five_failed_signatures_make_the_name_wait_until_an_admin_unlocks_it(
        ward: Ward) -> None:
    with signed(ward, "nina") as nina:
        me = account(nina, "nina")
        assert [nina.accounts.verify_password(me, "not-the-password")
                for _ in range(LOCK_AFTER)] == [False] * LOCK_AFTER
        assert not nina.accounts.verify_password(me, NURSE[1])   # waiting: not even hers
    waiting = refused(ward, *NURSE)          # the right password, the real clock
    assert 0 < waiting.wait_seconds <= FIRST_WAIT
    assert str(waiting).startswith("too many failed sign-ins for this name: try again in")
    with signed(ward, "ada") as admin:
        assert [name for name, _ in admin.accounts.locked()] == ["nina"]
        admin.accounts.unlock("nina")
        assert admin.accounts.locked() == []
        with pytest.raises(HemalogError, match="no failed sign-ins"):
            admin.accounts.unlock("nina")
    assert ward.accounts.sign_in(*NURSE).username == "nina"
    (unlocked,) = [e for e in entries(ward) if e.action is AuditAction.UNLOCK]
    assert (unlocked.user, unlocked.workstation, unlocked.table, unlocked.row_id) == (
        "ada", "ward-3-pc", "sign_in", 0)
    assert unlocked.new == {"name tried": "nina", "workstation": "ward-3-pc"}
    assert unlocked.old == {"name tried": "nina", "failures": LOCK_AFTER}


def test_a_nurse_cannot_unlock_a_name_waiting_after_failed_signatures(
        ward: Ward, backend: str) -> None:
    with signed(ward, "ada") as ada:
        me = account(ada, "ada")
        for _ in range(LOCK_AFTER):
            assert not ada.accounts.verify_password(me, "not-the-password")
    with pytest.raises(PermissionDenied):   # no one signed in
        ward.accounts.unlock("ada")
    as_user(ward, "nina")
    with pytest.raises(PermissionDenied, match="only an admin"):
        ward.accounts.unlock("ada")
    if backend == "postgresql":
        ward.role = Role.ADMIN   # as if the app's own check were bypassed: the server refuses
        with pytest.raises(NotPermitted, match="only an admin may unlock"):
            ward.accounts.unlock("ada")
        ward.role = Role.NURSE
    assert [name for name, _ in ward.accounts.locked()] == ["ada"]
    assert not [e for e in entries(ward) if e.action is AuditAction.UNLOCK]


def test_a_wrong_signature_password_counts_as_a_failed_sign_in(ward: Ward) -> None:
    as_user(ward, "nina")     # a signature is the signed-in person's
    nurse = account(ward, "nina")
    assert ward.accounts.verify_password(nurse, NURSE[1])
    assert not ward.accounts.verify_password(nurse, "not-the-password")
    assert not ward.accounts.verify_password(nurse, ADMIN[1])  # another person's password
    rows = sign_in_rows(ward)
    assert [e.new["failures in a row"] for e in rows] == [1, 2]  # type: ignore[index]
    assert {(e.action, e.row_id, e.patient_id, e.user, e.workstation) for e in rows} == {
        (AuditAction.SIGN_IN_FAILED, 0, None, "nina", "ward-3-pc")}
    assert [(e.new["name tried"], e.new["workstation"], e.new["refused"])  # type: ignore[index]
            for e in rows] == [("nina", "ward-3-pc", "wrong password")] * 2
    assert not any("not-the-password" in json.dumps(e.new) or ADMIN[1] in json.dumps(e.new)
                   for e in rows)              # nor the password tried
    result = verify(ward)
    assert result.ok, result.lines()


def _old_hash(password: str, salt: bytes) -> str:
    """What hemalog stored before issue 14: scrypt N=2^14, r=8, p=1."""
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32).hex()


def _credentials(ward: Ward, name: str) -> tuple[str, str, str | None]:
    """(salt, password_hash, hash_params) of ``name`` (a nurse's login cannot read them)."""
    query = "SELECT salt, password_hash, hash_params FROM users WHERE username = ?"
    if isinstance(ward, SqliteStore):
        return ward.db.conn.execute(query, [name]).fetchone()
    with as_owner(ward) as owner:
        return tuple(owner.sql.query_one(query, [name]).values())  # type: ignore[return-value, union-attr]


def test_an_old_2_14_hash_signs_in_and_is_rehashed_to_the_new_parameters(
        ward: Ward) -> None:
    salt = secrets.token_bytes(16)
    if isinstance(ward, SqliteStore):
        ward.db.conn.execute("UPDATE users SET salt = ?, password_hash = ?, hash_params = NULL "
                             "WHERE username = 'nina'", [salt.hex(), _old_hash(NURSE[1], salt)])
        ward.db.conn.commit()
    else:   # as `migrate --to` would bring it from a file of before issue 14
        tamper(ward, f"UPDATE users SET salt = '{salt.hex()}', password_hash = "
                     f"'{_old_hash(NURSE[1], salt)}', hash_params = NULL WHERE username = 'nina'")
    assert ward.accounts.sign_in(*NURSE, now=T0).username == "nina"
    row = _credentials(ward, "nina")
    assert row[2] == str(CURRENT) == "scrypt:16:8:2"
    assert row[0] != salt.hex() and row[1] == CURRENT.hash(NURSE[1], bytes.fromhex(row[0]))
    rehashed = entries(ward)[-1]
    assert (rehashed.table, rehashed.action, rehashed.user) == ("users", AuditAction.UPDATE,
                                                                "nina")
    assert rehashed.new == {"username": "nina", "role": "nurse", "disabled": 0,
                            "password": "rehashed (scrypt:16:8:2)"}
    assert row[1] not in json.dumps(rehashed.new) and row[0] not in json.dumps(rehashed.new)
    assert ward.accounts.sign_in(*NURSE, now=T0 + 1).username == "nina"
    assert entries(ward)[-1] == rehashed        # signed in again: nothing to upgrade
    assert refused(ward, NURSE[0], "not-the-password", T0 + 2).wait_seconds == 0
    result = verify(ward)
    assert result.ok, result.lines()


def test_an_account_hashed_at_n_2_17_p_1_signs_in_and_is_not_rehashed(ward: Ward) -> None:
    """hemalog 0.1-0.2 hashed at N=2^17, r=8, p=1: the same work as N=2^16, r=8, p=2
    (OWASP lists both), so the hash is kept as it is."""
    salt = secrets.token_bytes(16)
    old_hash = hashlib.scrypt(NURSE[1].encode(), salt=salt, n=2**17, r=8, p=1, dklen=32,
                              maxmem=2**28).hex()
    update = (f"UPDATE users SET salt = '{salt.hex()}', password_hash = '{old_hash}', "
              f"hash_params = 'scrypt:17:8:1' WHERE username = 'nina'")
    if isinstance(ward, SqliteStore):
        ward.db.conn.execute(update)
        ward.db.conn.commit()
    else:
        tamper(ward, update)
    before = entries(ward)[-1]
    assert ward.accounts.sign_in(*NURSE, now=T0).username == "nina"
    assert _credentials(ward, "nina") == (salt.hex(), old_hash, "scrypt:17:8:1")
    assert entries(ward)[-1] == before          # no rehash written
    assert refused(ward, NURSE[0], "not-the-password", T0 + 1).wait_seconds == 0
    result = verify(ward)
    assert result.ok, result.lines()


def test_every_audit_row_names_the_workstation_with_control_characters_escaped(
        ward: Ward) -> None:
    as_user(ward, "ada")
    ward.audit.workstation = "ward\x1b]0;pwned\x07-pc\u202e"
    assert ward.audit.workstation == "ward\\x1b]0;pwned\\x07-pc\\u202e"
    patient = ward.patients.add(Patient(mrn="WS-1", name="Work Station", diagnosis="AML"))
    assert {e.workstation for e in ward.audit.entries(patient.id)} == {
        "ward\\x1b]0;pwned\\x07-pc\\u202e"}
    assert {e.workstation for e in ward.audit.entries()} == {   # + the template's accounts
        "ward\\x1b]0;pwned\\x07-pc\\u202e", workstation_name(socket.gethostname())}


def test_a_signature_is_stored_in_the_chain(ward: Ward) -> None:
    as_user(ward, "ada")
    signature = {"by": "ada", "meaning": "voided because wrong patient",
                 "at": "2025-06-01T10:00:00.000Z"}
    with ward.writing():
        ward.audit.append(patient_id=None, table="labs", row_id=1, action=AuditAction.VOID,
                          reason="wrong patient", signature=signature)
    last = ward.audit.entries()[-1]
    assert last.signature == signature and last.workstation == "ward-3-pc"
    assert verify_chain(ward.sql)[1:] == (None, "ok")
    ward.close()
    assert first_bad_row(ward) is None
    tamper(ward, f"UPDATE audit SET signature = replace(signature, 'ada', 'bob') "
                 f"WHERE id = {last.id}")
    assert first_bad_row(ward) == last.id
    tamper(ward, f"UPDATE audit SET signature = NULL WHERE id = {last.id}")
    assert first_bad_row(ward) == last.id
    tamper(ward, f"UPDATE audit SET workstation = NULL WHERE id = {last.id - 1}")
    assert first_bad_row(ward) == last.id - 1


# --- a server only ---------------------------------------------------------------------------
def test_on_a_server_postgresql_refuses_a_wrong_password_and_hemalog_counts_nothing(
        server_ward: PostgresStore, password_server: Any) -> None:
    """The refusal is the server's (in its log), worded as hemalog's; hemalog never saw
    the attempt, so it records nothing and no name waits: throttling guesses at the
    connection is the server's business (ServerAccounts.sign_in)."""
    log = password_server.log_file
    seen = log.stat().st_size
    tries = LOCK_AFTER + 1
    assert [(str(e), e.wait_seconds) for e in fail(server_ward, ADMIN[0], tries)] == [
        (WRONG, 0)] * tries
    assert server_ward.login is None
    assert server_ward.accounts.sign_in(*ADMIN, now=T0 + tries).username == "ada"
    with log.open("rb") as server_log:
        server_log.seek(seen)
        logged = server_log.read().decode("utf-8", "replace")
    assert logged.count('password authentication failed for user "ada"') == tries
    with as_owner(server_ward) as owner:
        assert owner.sql.query("SELECT * FROM sign_in_state") == []
        assert not [e for e in owner.audit.entries() if e.table == "sign_in"]


def _server_state(ward: PostgresStore) -> tuple[Any, ...]:
    """Everything sign-in bookkeeping could write, read as the owner."""
    with as_owner(ward) as owner:
        return (owner.sql.query("SELECT id, hash FROM audit ORDER BY id"),
                owner.sql.query("SELECT * FROM sign_in_state ORDER BY name"),
                owner.sql.query("SELECT * FROM users ORDER BY id"))


def test_a_read_only_store_on_a_server_refuses_without_writing(
        server_ward: PostgresStore) -> None:
    with signed(server_ward, "nina") as nina:      # two failures recorded
        me = account(nina, "nina")
        assert not nina.accounts.verify_password(me, "not-the-password")
        assert not nina.accounts.verify_password(me, "wrong-again")
    before = _server_state(server_ward)
    assert [(r["name"], r["failures"]) for r in before[1]] == [("nina", 2)]
    with fresh(server_ward, read_only=True) as reading_store:
        assert str(refused(reading_store, NURSE[0], "wrong-again")) == WRONG
        assert str(refused(reading_store, "nobody", "wrong-again")) == WRONG
        nurse = reading_store.accounts.sign_in(*NURSE)   # would clear her failures: cannot
        reading_store.sign_in(nurse)
        assert not reading_store.accounts.verify_password(nurse, "wrong-again")  # not counted
        assert reading_store.accounts.verify_password(nurse, NURSE[1])
        assert reading_store.sql.scalar("SHOW default_transaction_read_only") == "on"
    assert _server_state(server_ward) == before


# --- a database made before schema 3 (a file only: a server starts at the current schema) --


def _schema_2_file(path: Path) -> None:
    """A file as hemalog wrote it before issue 14: migrations 1 and 2, a patient, a lab and
    an account hashed with N=2^14, and their audit rows chained over the ten columns of
    then (the hash computed here as the old code did, not with today's chain_hash)."""
    db = Database(sqlite3.connect(path))
    for migration in MIGRATIONS[:2]:
        migration(db)
    db.conn.execute("PRAGMA user_version = 2")
    salt = secrets.token_bytes(16)
    user = {"id": 1, "username": "old.admin", "display_name": "old.admin", "role": "admin",
            "salt": salt.hex(), "password_hash": _old_hash("old-pass-123", salt),
            "created_at": "2025-01-01T00:00:00.000Z", "disabled": 0, "version": 1}
    patient = {**to_row(Patient(mrn="OLD-1", name="Old File", diagnosis="AML")), "id": 1,
               "search_key": "old-1 old file", "version": 1, "voided": 0}
    lab = {**to_row(Lab(date=date(2025, 1, 2), test=LabTest.HB, value=90, unit="g/L")),
           "id": 1, "patient_id": 1, "seq": 1, "version": 1, "voided": 0}
    db["users"].insert(user)
    db["patients"].insert(patient)
    db["labs"].insert(lab)
    previous = "0" * 64
    audit = [(1, "users", None, {"username": "old.admin", "role": "admin"}),
             (1, "patients", 1, patient), (1, "labs", 1, lab)]
    for audit_id, (row_id, table, patient_id, new) in enumerate(audit, start=1):
        fields = [audit_id, "2025-01-02T08:00:00.000Z", "old.admin", patient_id, table,
                  row_id, "insert", None, json.dumps(new, ensure_ascii=False, sort_keys=True),
                  None]
        previous = hashlib.sha256(json.dumps([previous, *fields], ensure_ascii=False,
                                             separators=(",", ":")).encode()).hexdigest()
        db.conn.execute("INSERT INTO audit (id, at, user, patient_id, table_name, row_id, "
                        "action, old_value, new_value, reason, hash) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [*fields, previous])
    db.conn.commit()
    db.close()


def test_a_schema_2_database_verifies_as_it_is_and_after_migrating(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _schema_2_file(path)
    before = path.read_bytes()
    assert verify_database(path).ok                  # read-only: read as schema 2
    with SqliteStore(path, user="os-user", read_only=True) as reading:
        assert reading.accounts.sign_in("old.admin", "old-pass-123", now=T0).id == 1
        with pytest.raises(SignInRefused, match="wrong"):   # refused, nothing written
            reading.accounts.sign_in("old.admin", "wrong-pass-1", now=T0)
        assert [e.workstation for e in reading.audit.entries()] == [None] * 3
    assert path.read_bytes() == before
    with SqliteStore(path, user="os-user") as store:  # read-write: migrated to schema 3
        assert store.db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.accounts.sign_in("old.admin", "old-pass-123", now=T0).username == (
            "old.admin")
        store.sign_in(store.accounts.list()[0])
        store.labs.add(1, Lab(date=date(2025, 1, 3), test=LabTest.HB, value=95, unit="g/L"))
        entries = store.audit.entries()
    assert [(e.table, e.workstation is None) for e in entries] == [
        ("users", True), ("patients", True), ("labs", True), ("users", False), ("labs", False)]
    # schema 5 (issue 19): the rows written since name the hemalog and rules that wrote them
    assert [e.software for e in entries] == [None] * 3 + [software_stamp()] * 2
    result = verify_database(path)
    assert result.ok, result.lines()
    assert (result.audit_rows, result.data_rows) == (5, 4)   # patient, 2 labs, account
