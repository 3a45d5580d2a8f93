"""Issue 15: each account's language ("en", "zh_CN", or None for the system's): chosen by
the person for their own account or by an administrator for anyone's, audited like
every account change, and handed back at sign-in."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinical.accounts import PermissionDenied, Role, User
from clinical.audit import AuditAction
from clinical.errors import HemalogError
from storage.audit import verify_chain
from storage.integrity import verify_database
from storage.repository import SqliteStore
from tests.storage.test_safety import _tamper

ADMIN, NURSE, DOCTOR = ("ada", "admin-pass-1"), ("nina", "nurse-pass-1"), ("li", "doctor-pass-1")


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
def ward(template: Path, tmp_path: Path) -> Iterator[SqliteStore]:
    path = tmp_path / "ward.db"
    shutil.copyfile(template, path)
    store = SqliteStore(path, user="os-user")
    yield store
    store.close()


def account(store: SqliteStore, name: str) -> User:
    return {u.username: u for u in store.accounts.list()}[name]


def as_user(store: SqliteStore, name: str) -> SqliteStore:
    store.sign_in(account(store, name))   # as the app does after the password was checked
    return store


def test_a_new_account_has_not_chosen(ward: SqliteStore) -> None:
    assert {u.language for u in ward.accounts.list()} == {None}
    assert User(1, "x", "x", Role.NURSE).language is None


def test_anyone_chooses_their_own_language(ward: SqliteStore) -> None:
    nurse = as_user(ward, NURSE[0]).accounts.set_language("nina", "zh_CN")
    assert (nurse.username, nurse.role, nurse.language) == ("nina", Role.NURSE, "zh_CN")
    assert account(ward, "nina").language == "zh_CN"
    assert ward.accounts.set_language(" nina ", "en").language == "en"
    assert ward.accounts.set_language("nina", None).language is None   # the system's again


def test_sign_in_hands_back_the_language(ward: SqliteStore) -> None:
    as_user(ward, NURSE[0]).accounts.set_language("nina", "zh_CN")
    assert ward.accounts.sign_in(*NURSE).language == "zh_CN"


def test_only_an_admin_chooses_for_someone_else(ward: SqliteStore) -> None:
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


def test_no_one_chooses_before_signing_in(template: Path, tmp_path: Path) -> None:
    path = tmp_path / "ward.db"
    shutil.copyfile(template, path)
    with SqliteStore(path, user="nina") as store:   # the OS user's name is not a sign-in
        with pytest.raises(PermissionDenied, match="sign in first"):
            store.accounts.set_language("nina", "zh_CN")


@pytest.mark.parametrize("value", ["fr", "zh", "zh_TW", "ZH_CN", "", "中文", 1])
def test_a_language_hemalog_does_not_offer_is_refused(ward: SqliteStore, value: object) -> None:
    as_user(ward, ADMIN[0])
    with pytest.raises(HemalogError, match=r"^language: .*en or zh_CN") as caught:
        ward.accounts.set_language("nina", value)  # type: ignore[arg-type]
    assert not isinstance(caught.value, PermissionDenied)
    assert account(ward, "nina").language is None


def test_an_unknown_user_is_named(ward: SqliteStore) -> None:
    as_user(ward, ADMIN[0])
    with pytest.raises(HemalogError, match="user name: nobody does not exist"):
        ward.accounts.set_language("nobody", "en")


def test_each_change_is_an_audit_row_and_the_chain_holds(ward: SqliteStore) -> None:
    before = ward.audit.count()
    as_user(ward, NURSE[0]).accounts.set_language("nina", "zh_CN")
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
    assert verify_chain(ward.db)[1] is None
    path = ward.path
    ward.close()
    result = verify_database(path)
    assert result.ok, result.lines()
    _tamper(path, "UPDATE users SET language = 'zh_CN' WHERE username = 'nina'")
    found = verify_database(path)
    assert not found.ok and any("user nina" in p and "language" in p for p in found.problems)


def test_a_value_hemalog_never_wrote_reads_as_not_chosen(ward: SqliteStore) -> None:
    path = ward.path
    ward.close()
    _tamper(path, "UPDATE users SET language = 'xx' WHERE username = 'li'")
    with SqliteStore(path, user="os-user", read_only=True) as reading:
        assert account(reading, "li").language is None
