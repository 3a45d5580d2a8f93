"""The server backend as workstations use it (issue 16, storage/pg_store.py): each
account is a PostgreSQL login, sign-in connects as it, and the server enforces the
role on every statement; a lost server refuses saves and the store heals itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

psycopg = pytest.importorskip("psycopg")

from clinical.accounts import PermissionDenied, Role  # noqa: E402
from clinical.record import (  # noqa: E402
    Assessment, AssessmentKind, Lab, LabTest, Patient, Sex,
)
from storage import open_store  # noqa: E402
from storage.accounts import SignInRefused  # noqa: E402
from storage.audit import now_utc  # noqa: E402
from storage.pg_store import PostgresStore  # noqa: E402
from storage.sql import ConnectionLost, NotPermitted  # noqa: E402

PASSWORD = "correct horse 7"


@pytest.fixture
def ward(pg_hemalog_url: str) -> Iterator[str]:
    """A server database with an admin (adm), a physician (phil) and a nurse (nina),
    made as `hemalog server init` and File ▸ Users… make them."""
    owner = PostgresStore.as_owner(pg_hemalog_url, user="adm")
    owner.accounts.create("adm", PASSWORD, Role.ADMIN, "Ada Admin")
    owner.close()
    with signed_in(pg_hemalog_url, "adm") as admin:
        admin.accounts.create("phil", PASSWORD, Role.PHYSICIAN, "Dr Phil")
        admin.accounts.create("nina", PASSWORD, Role.NURSE, "Nina")
        admin.patients.add(Patient(mrn="P-1", name="Li Wei", sex=Sex.MALE, diagnosis="T-ALL"))
    yield pg_hemalog_url


class signed_in:  # noqa: N801 - used as a context manager, like open()
    def __init__(self, url: str, name: str, password: str | None = PASSWORD, **kw: object) -> None:
        self.store = open_store(url, user="os-user", **kw)
        self.store.sign_in(self.store.accounts.sign_in(name, password))

    def __enter__(self) -> PostgresStore:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def _void_signature(by: str) -> dict[str, str]:
    return {"by": by, "meaning": "voided because entered twice", "at": now_utc()}


def test_signing_in_connects_as_the_login(ward: str) -> None:
    with signed_in(ward, "nina") as store:
        assert store.login == "nina" and store.role is Role.NURSE and store.user == "nina"
        assert store.sql.scalar("SELECT session_user") == "nina"
        assert [p.mrn for p in store.patients.list()] == ["P-1"]
        pid = store.patients.get_by_mrn("P-1").id
        store.labs.add(pid, Lab(date=date(2025, 4, 10), test=LabTest.WBC, value=3.2, unit="10^9/L"))
        assert store.audit.entries(pid)[-1].user == "nina"


@pytest.mark.parametrize("name, password", [("nina", "wrong horse 7"), ("nobody", PASSWORD),
                                            ("", PASSWORD)])
def test_a_refused_sign_in_is_worded_alike_and_connects_nothing(
        ward: str, name: str, password: str) -> None:
    store = open_store(ward, user="os-user")
    with pytest.raises(SignInRefused, match="user name or password is wrong"):
        store.accounts.sign_in(name, password)
    assert store.login is None
    with pytest.raises(PermissionDenied, match="sign in first"):
        store.patients.list()
    store.close()


def test_the_server_refuses_what_the_app_forbids_a_nurse(ward: str) -> None:
    with signed_in(ward, "phil") as phil:
        pid = phil.patients.get_by_mrn("P-1").id
        grade = phil.assessments.add(pid, Assessment(kind=AssessmentKind.CRS, date=date(2025, 4, 12),
                                                     findings={"fever": True}))
    with signed_in(ward, "nina") as nina:
        nina.role = Role.PHYSICIAN   # as if the app's own check were bypassed
        with pytest.raises(NotPermitted, match="only a physician may void assessments"):
            nina.assessments.void(grade.id, "entered twice", _void_signature("nina"))
        nina.role = Role.NURSE
        with pytest.raises(NotPermitted):
            nina.sql.query("SELECT password_hash FROM users")
        with pytest.raises(NotPermitted, match="permission denied for table users"):
            nina.sql.execute("UPDATE users SET role = 'admin' WHERE username = 'nina'")
    with signed_in(ward, "phil") as phil:
        assert phil.assessments.get(grade.id).id == grade.id     # still there, not voided


def test_accounts_made_by_an_admin_are_logins_with_their_role(ward: str) -> None:
    with signed_in(ward, "adm") as admin:
        nurse = next(u for u in admin.accounts.list() if u.username == "nina")
        admin.accounts.set_role(nurse.id, Role.PHYSICIAN)
        admin.accounts.set_password(nurse.id, "a new horse 8")
    with pytest.raises(SignInRefused):
        signed_in(ward, "nina")
    with signed_in(ward, "nina", "a new horse 8") as nina:
        assert nina.role is Role.PHYSICIAN
        assert nina.sql.scalar("SELECT pg_has_role('hemalog_physician', 'MEMBER')") is True
    with signed_in(ward, "adm") as admin:
        admin.accounts.set_disabled(nurse.id, True)
    with pytest.raises(SignInRefused):
        signed_in(ward, "nina", "a new horse 8")


def test_only_an_admin_manages_accounts_even_through_the_server(ward: str) -> None:
    with signed_in(ward, "phil") as phil:
        phil.role = Role.ADMIN      # the app's check bypassed: the server still refuses
        with pytest.raises(NotPermitted):
            phil.accounts.create("mallory", PASSWORD, Role.ADMIN)
        phil.role = Role.PHYSICIAN
    with signed_in(ward, "adm") as admin:
        assert "mallory" not in {u.username for u in admin.accounts.list()}
        assert admin.sql.scalar("SELECT count(*) FROM pg_roles WHERE rolname = 'mallory'") == 0


def test_a_signature_checks_the_signed_in_persons_password(ward: str) -> None:
    with signed_in(ward, "phil") as phil:
        me = next(u for u in phil.accounts.list() if u.username == "phil")
        nina = next(u for u in phil.accounts.list() if u.username == "nina")
        assert phil.accounts.verify_password(me, PASSWORD)
        assert not phil.accounts.verify_password(me, "wrong horse 7")
        assert not phil.accounts.verify_password(nina, PASSWORD)   # never someone else's


def test_a_read_only_store_cannot_write_on_the_server(ward: str) -> None:
    with signed_in(ward, "phil", read_only=True) as store:
        assert [p.mrn for p in store.patients.list()] == ["P-1"]
        with pytest.raises(NotPermitted):
            store.patients.add(Patient(mrn="P-2", name="Wang Fang", diagnosis="AML"))
    with signed_in(ward, "phil") as store:
        assert [p.mrn for p in store.patients.list()] == ["P-1"]


def test_a_lost_connection_refuses_then_heals(ward: str, pg_server) -> None:  # noqa: ANN001
    with signed_in(ward, "nina") as store:
        pid = store.patients.get_by_mrn("P-1").id
        with pg_server.admin() as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE usename = 'nina'")
        lab = Lab(date=date(2025, 4, 10), test=LabTest.WBC, value=3.2, unit="10^9/L")
        with pytest.raises(ConnectionLost, match="lost"):
            store.labs.add(pid, lab)
        assert store.labs.list(pid) == []        # reconnected on the next use; nothing half-saved
        store.labs.add(pid, lab)
        assert [x.value for x in store.labs.list(pid)] == [3.2]


def test_a_server_that_is_away_refuses_with_one_line(ward: str, pg_server) -> None:  # noqa: ANN001
    with signed_in(ward, "nina") as store:
        pid = store.patients.get_by_mrn("P-1").id
        pg_server.stop()
        try:
            with pytest.raises(ConnectionLost) as lost:
                store.labs.list(pid)
            assert "\n" not in str(lost.value) and "password" not in str(lost.value)
            with pytest.raises(ConnectionLost, match="cannot reach"):
                store.labs.list(pid)
        finally:
            pg_server.start()
        assert store.labs.list(pid) == []


def test_a_new_password_lets_a_migrated_login_sign_in(ward: str) -> None:
    """`migrate --to` leaves every login but the admin's refused until an admin sets a
    password (storage.server_admin): setting it in File ▸ Users… lets it sign in."""
    owner = PostgresStore.as_owner(ward, user="adm")
    owner.sql.call(lambda conn: conn.execute('ALTER ROLE nina NOLOGIN'))
    owner.close()
    with pytest.raises(SignInRefused):
        signed_in(ward, "nina")
    with signed_in(ward, "adm") as admin:
        nurse = next(u for u in admin.accounts.list() if u.username == "nina")
        admin.accounts.set_password(nurse.id, "a new horse 8")
    with signed_in(ward, "nina", "a new horse 8") as nina:
        assert nina.role is Role.NURSE
