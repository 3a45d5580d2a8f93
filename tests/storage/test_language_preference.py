"""Issue 15: each account's language ("en", "zh_CN", or None for the system's): chosen by
the person for their own account or by an administrator for anyone's, audited like
every account change, and handed back at sign-in.

Every test runs on both backends (issue 16), a SQLite file and a server database,
where each account is a login and signing in connects as it. A nurse's or physician's
login reads the users table without its password columns and may update only its own
row (storage.pg_schema): choosing one's own language works through it, an admin's
login chooses anyone's, and one more test (server only) shows the server itself
refusing a nurse another's language when the app's check is bypassed. The server's
ward is a copy of a database whose accounts were made once, as the app makes them, on
the session's cluster (``server_ward_template`` in tests/storage/test_sign_in.py);
tampering there is the superuser's, and ``verify_server`` must name it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clinical.accounts import PermissionDenied, Role, User
from clinical.audit import AuditAction
from clinical.errors import HemalogError
from storage import open_store
from storage.audit import verify_chain
from storage.pg_store import PostgresStore
from storage.repository import SqliteStore
from storage.sql import NotPermitted
from tests.storage.test_sign_in import (
    reading, server_ward_copy, server_ward_template, tamper, verify,
)

ADMIN, NURSE, DOCTOR = ("ada", "admin-pass-1"), ("nina", "nurse-pass-1"), ("li", "doctor-pass-1")
ACCOUNTS = ((*ADMIN, Role.ADMIN), (*NURSE, Role.NURSE), (*DOCTOR, Role.PHYSICIAN))
PASSWORDS = dict([ADMIN, NURSE, DOCTOR])

Ward = Any   # a SqliteStore on a file or a PostgresStore on a server database


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An admin, a nurse and a physician, made once (each account costs a hash)."""
    path = tmp_path_factory.mktemp("template") / "ward.db"
    with SqliteStore(path, user="os-user") as store:
        admin = store.accounts.create(*ADMIN, Role.ADMIN)
        store.sign_in(admin)
        store.accounts.create(*NURSE, Role.NURSE)
        store.accounts.create(*DOCTOR, Role.PHYSICIAN)
    return path


@pytest.fixture
def file_ward(template: Path, tmp_path: Path) -> Iterator[SqliteStore]:
    path = tmp_path / "ward.db"
    shutil.copyfile(template, path)
    store = SqliteStore(path, user="os-user")
    yield store
    store.close()


@pytest.fixture(scope="module")
def server_template(pg_server: Any) -> Iterator[str]:
    """The same three accounts in a server database, made once (copied for each test)."""
    with server_ward_template(pg_server, ACCOUNTS) as name:
        yield name


@pytest.fixture
def server_ward(pg_server: Any, server_template: str) -> Iterator[PostgresStore]:
    with server_ward_copy(pg_server, server_template, ACCOUNTS) as url:
        store = open_store(url, user="os-user")
        try:
            yield store
        finally:
            store.close()


@pytest.fixture
def ward(backend: str, request: pytest.FixtureRequest) -> Ward:
    """The ward opened by the OS user "os-user", no one signed in: a file or a server."""
    return request.getfixturevalue("file_ward" if backend == "sqlite" else "server_ward")


def fresh(ward: Ward, user: str = "os-user", *, read_only: bool = False) -> Ward:
    """Another store on the ward's database (another workstation, or a restart)."""
    if isinstance(ward, SqliteStore):
        return SqliteStore(ward.path, user=user, read_only=read_only)
    return open_store(ward.conninfo, user=user, read_only=read_only)


def accounts(store: Ward) -> list[User]:
    with reading(store) as r:
        return r.accounts.list()


def account(store: Ward, name: str) -> User:
    return {u.username: u for u in accounts(store)}[name]


def as_user(store: Ward, name: str) -> Ward:
    """Signed in as ``name``: on a file as the app does after the password was checked;
    on a server by signing in (connected as the login: the server knows no other way)."""
    if isinstance(store, SqliteStore):
        store.sign_in(account(store, name))
    else:
        store.sign_in(store.accounts.sign_in(name, PASSWORDS[name]))
    return store


def test_a_new_account_has_not_chosen(ward: Ward) -> None:
    assert {u.language for u in accounts(ward)} == {None}
    assert User(1, "x", "x", Role.NURSE).language is None


def test_anyone_chooses_their_own_language(ward: Ward) -> None:
    nurse = as_user(ward, NURSE[0]).accounts.set_language("nina", "zh_CN")
    assert (nurse.username, nurse.role, nurse.language) == ("nina", Role.NURSE, "zh_CN")
    assert account(ward, "nina").language == "zh_CN"
    assert ward.accounts.set_language(" nina ", "en").language == "en"
    assert ward.accounts.set_language("nina", None).language is None   # the system's again
    assert as_user(ward, DOCTOR[0]).accounts.set_language("li", "zh_CN").language == "zh_CN"
    assert {u.username: u.language for u in accounts(ward)} == {
        "ada": None, "nina": None, "li": "zh_CN"}


def test_sign_in_hands_back_the_language(ward: Ward) -> None:
    as_user(ward, NURSE[0]).accounts.set_language("nina", "zh_CN")
    assert ward.accounts.sign_in(*NURSE).language == "zh_CN"
    with fresh(ward) as later:          # another workstation, or the next day
        assert later.accounts.sign_in(*NURSE).language == "zh_CN"


def test_only_an_admin_chooses_for_someone_else(ward: Ward) -> None:
    as_user(ward, NURSE[0])
    with pytest.raises(PermissionDenied, match="only an admin"):
        ward.accounts.set_language("li", "zh_CN")
    with pytest.raises(PermissionDenied):
        ward.accounts.set_language("ada", "en")
    assert account(ward, "li").language is None
    as_user(ward, DOCTOR[0])
    with pytest.raises(PermissionDenied):
        ward.accounts.set_language("nina", "en")
    as_user(ward, ADMIN[0])
    assert ward.accounts.set_language("li", "zh_CN").language == "zh_CN"
    assert ward.accounts.set_language("ada", "en").language == "en"
    assert ward.accounts.set_language("nina", "zh_CN").language == "zh_CN"
    assert {u.username: u.language for u in accounts(ward)} == {
        "ada": "en", "nina": "zh_CN", "li": "zh_CN"}


def test_the_server_refuses_a_nurse_another_users_language(server_ward: PostgresStore) -> None:
    nina = as_user(server_ward, NURSE[0])
    before = nina.audit.count()
    nina.role = Role.ADMIN     # as if the app's own check were bypassed
    with pytest.raises(NotPermitted, match="only an admin may manage users"):
        nina.accounts.set_language("li", "zh_CN")
    nina.role = Role.NURSE
    assert account(nina, "li").language is None and nina.audit.count() == before
    with pytest.raises(NotPermitted, match="only an admin may manage users"):   # nor by SQL
        nina.sql.execute("UPDATE users SET language = 'zh_CN' WHERE username = 'li'")
    assert account(nina, "li").language is None


def test_no_one_chooses_before_signing_in(ward: Ward) -> None:
    with fresh(ward, user="nina") as store:   # the OS user's name is not a sign-in
        with pytest.raises(PermissionDenied, match="sign in first"):
            store.accounts.set_language("nina", "zh_CN")
    assert account(ward, "nina").language is None


@pytest.mark.parametrize("value", ["fr", "zh", "zh_TW", "ZH_CN", "", "中文", 1])
def test_a_language_hemalog_does_not_offer_is_refused(ward: Ward, value: object) -> None:
    as_user(ward, ADMIN[0])
    with pytest.raises(HemalogError, match=r"^language: .*en or zh_CN") as caught:
        ward.accounts.set_language("nina", value)  # type: ignore[arg-type]
    assert not isinstance(caught.value, PermissionDenied)
    assert account(ward, "nina").language is None


def test_an_unknown_user_is_named(ward: Ward) -> None:
    as_user(ward, ADMIN[0])
    with pytest.raises(HemalogError, match="user name: nobody does not exist"):
        ward.accounts.set_language("nobody", "en")


def test_each_change_is_an_audit_row_and_the_chain_holds(ward: Ward) -> None:
    as_user(ward, NURSE[0])
    before = ward.audit.count()
    ward.accounts.set_language("nina", "zh_CN")
    as_user(ward, ADMIN[0]).accounts.set_language("nina", "en")
    ward.accounts.set_language("nina", "en")                # unchanged: nothing written
    rows = ward.audit.entries()[before:]
    nina = account(ward, "nina").id
    assert [(e.user, e.table, e.row_id, e.action, e.reason) for e in rows] == [
        ("nina", "users", nina, AuditAction.UPDATE, "language changed"),
        ("ada", "users", nina, AuditAction.UPDATE, "language changed")]
    assert (rows[0].old["language"], rows[0].new["language"]) == (None, "zh_CN")
    assert (rows[1].old["language"], rows[1].new["language"]) == ("zh_CN", "en")
    assert rows[1].new["username"] == "nina" and rows[1].new["role"] == "nurse"
    assert verify_chain(ward.sql)[1] is None
    ward.close()
    result = verify(ward)
    assert result.ok, result.lines()
    tamper(ward, "UPDATE users SET language = 'zh_CN' WHERE username = 'nina'")
    found = verify(ward)
    assert not found.ok and any("user nina" in p and "language" in p for p in found.problems)


def test_a_value_hemalog_never_wrote_reads_as_not_chosen(ward: Ward) -> None:
    ward.close()
    tamper(ward, "UPDATE users SET language = 'xx' WHERE username = 'li'")
    with fresh(ward, read_only=True) as reading_store:
        assert reading_store.accounts.sign_in(*DOCTOR).language is None   # handed back so
        assert account(reading_store, "li").language is None
