"""What the PostgreSQL server itself refuses (issue 16, storage/pg_schema.py).

A real throwaway server (tests/pgserver.py): the superuser of the test database creates
the schema and the logins, then each test connects AS a nurse, physician or admin login
with its password, as any psql user could, and tries what the app forbids that role.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

psycopg = pytest.importorskip("psycopg")

from psycopg import errors  # noqa: E402
from psycopg.conninfo import make_conninfo  # noqa: E402

from clinical.accounts import Role  # noqa: E402
from clinical.errors import HemalogError  # noqa: E402
from storage import pg_schema  # noqa: E402
from storage.migrations import SCHEMA_VERSION  # noqa: E402
from storage.pg_schema import (  # noqa: E402
    SchemaExists, create_login, create_schema, login_role, schema_sql, set_login_enabled,
    set_login_password, set_login_role,
)

PASSWORD = "correct horse 7"
Refused = errors.InsufficientPrivilege
NoAudit = errors.IntegrityConstraintViolation


@dataclass
class Ward:
    url: str
    names: dict[Role, str]
    made: list[str]   # every login made, dropped afterwards (roles are per cluster)

    def connect(self, who: Role | str, password: str = PASSWORD):  # noqa: ANN201
        name = self.names[who] if isinstance(who, Role) else who
        return psycopg.connect(make_conninfo(self.url, user=name, password=password))

    def owner(self):  # noqa: ANN201 - the superuser that created the schema
        return psycopg.connect(self.url)


def _drop_logins(cluster, names) -> None:  # noqa: ANN001
    with cluster.admin() as conn:
        for name in names:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE usename = %s", [name])
            conn.execute(psycopg.sql.SQL("DROP ROLE IF EXISTS {}").format(
                psycopg.sql.Identifier(name)))


@pytest.fixture
def ward(pg_url: str, pg_server) -> Iterator[Ward]:  # noqa: ANN001
    """The schema, and one login per role (unique names: roles are per cluster)."""
    tag = uuid.uuid4().hex[:8]
    names = {role: f"{role.value}_{tag}" for role in Role}
    made: list[str] = list(names.values())
    try:
        with psycopg.connect(pg_url) as conn:
            create_schema(conn)
            for role, name in names.items():
                create_login(conn, name, PASSWORD, role)
            conn.commit()
        yield Ward(pg_url, names, made)
    finally:
        _drop_logins(pg_server, made)


# --- helpers: what the app writes, as plain SQL -------------------------------------------
def audit(conn, user: str, table: str, row_id: int, action: str = "insert",  # noqa: ANN001
          patient_id: int | None = None) -> None:
    conn.execute(
        'INSERT INTO audit (at, "user", patient_id, table_name, row_id, action, new_value) '
        "VALUES ('2024-05-01T08:00:00.000Z', %s, %s, %s, %s, %s, '{}')",
        [user, patient_id, table, row_id, action])


def add_patient(conn, user: str, mrn: str = "P1") -> int:  # noqa: ANN001
    (pid,) = conn.execute(
        "INSERT INTO patients (mrn, name, search_key, sex, diagnosis, immunophenotype) "
        "VALUES (%s, 'Ann Lee', %s, 'F', 'B-ALL', 'B') RETURNING id", [mrn, mrn.lower()]
    ).fetchone()
    audit(conn, user, "patients", pid, patient_id=pid)
    conn.commit()
    return pid


def add_assessment(conn, user: str, pid: int) -> int:  # noqa: ANN001
    (aid,) = conn.execute(
        "INSERT INTO assessments (patient_id, seq, kind, date, findings) "
        "VALUES (%s, 1, 'crs', '2024-05-02', '{\"grade\": 2}') RETURNING id", [pid]).fetchone()
    audit(conn, user, "assessments", aid, patient_id=pid)
    conn.commit()
    return aid


def add_lab(conn, pid: int) -> int:  # noqa: ANN001
    (lid,) = conn.execute(
        "INSERT INTO labs (patient_id, seq, date, test, value, unit) "
        "VALUES (%s, 1, '2024-05-02', 'ANC', 0.4, '10^9/L') RETURNING id", [pid]).fetchone()
    return lid


def count(ward: Ward, table: str) -> int:
    with ward.owner() as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def voided(ward: Ward, aid: int) -> int:
    with ward.owner() as conn:
        return conn.execute("SELECT voided FROM assessments WHERE id = %s", [aid]).fetchone()[0]


VOID = "UPDATE assessments SET voided = 1, void_reason = 'entered twice', version = version + 1 WHERE id = %s"


# --- voiding an assessment: a physician only ----------------------------------------------
def test_a_nurse_cannot_void_an_assessment_from_plain_sql(ward: Ward) -> None:
    nurse = ward.names[Role.NURSE]
    with ward.connect(Role.NURSE) as conn:
        aid = add_assessment(conn, nurse, add_patient(conn, nurse))
        with pytest.raises(Refused, match="only a physician may void assessments"):
            conn.execute(VOID, [aid])
        conn.rollback()
        # Even with its audit row written first, in the same transaction.
        audit(conn, nurse, "assessments", aid, "void")
        with pytest.raises(Refused, match="only a physician"):
            conn.execute(VOID, [aid])
        conn.rollback()
        # A nurse corrects the assessment itself (with its audit row): that is allowed.
        conn.execute("UPDATE assessments SET notes = 'rechecked', version = version + 1 "
                     "WHERE id = %s", [aid])
        audit(conn, nurse, "assessments", aid, "update")
        conn.commit()
    assert voided(ward, aid) == 0


def test_an_admin_cannot_void_an_assessment_either(ward: Ward) -> None:
    admin = ward.names[Role.ADMIN]
    with ward.connect(Role.ADMIN) as conn:
        aid = add_assessment(conn, admin, add_patient(conn, admin))
        audit(conn, admin, "assessments", aid, "void")
        with pytest.raises(Refused, match="only a physician"):
            conn.execute(VOID, [aid])
    assert voided(ward, aid) == 0


def test_a_physician_voids_an_assessment_with_its_audit_row(ward: Ward) -> None:
    nurse, doctor = ward.names[Role.NURSE], ward.names[Role.PHYSICIAN]
    with ward.connect(Role.NURSE) as conn:
        aid = add_assessment(conn, nurse, add_patient(conn, nurse))
    with ward.connect(Role.PHYSICIAN) as conn:
        conn.execute(VOID, [aid])             # without its audit row: refused at COMMIT
        with pytest.raises(NoAudit, match="without its audit row"):
            conn.commit()
        assert voided(ward, aid) == 0
        conn.execute(VOID, [aid])
        audit(conn, doctor, "assessments", aid, "void")
        conn.commit()
    assert voided(ward, aid) == 1


def test_a_voided_item_is_never_changed_again(ward: Ward) -> None:
    nurse, doctor = ward.names[Role.NURSE], ward.names[Role.PHYSICIAN]
    with ward.connect(Role.NURSE) as conn:
        pid = add_patient(conn, nurse)
        lid = add_lab(conn, pid)
        audit(conn, nurse, "labs", lid, patient_id=pid)
        conn.commit()
        conn.execute("UPDATE labs SET voided = 1, void_reason = 'wrong patient' WHERE id = %s",
                     [lid])                   # any role voids a lab
        audit(conn, nurse, "labs", lid, "void", pid)
        conn.commit()
    with ward.connect(Role.PHYSICIAN) as conn:
        audit(conn, doctor, "labs", lid, "update", pid)
        with pytest.raises(Refused, match="was voided"):
            conn.execute("UPDATE labs SET voided = 0 WHERE id = %s", [lid])
        conn.rollback()
        with pytest.raises(Refused, match="was voided"):
            conn.execute("UPDATE labs SET value = 9 WHERE id = %s", [lid])


# --- the audit log: append-only for everyone ----------------------------------------------
@pytest.mark.parametrize("who", [Role.NURSE, Role.PHYSICIAN, Role.ADMIN, "owner"])
def test_no_role_updates_or_deletes_audit_rows(ward: Ward, who: Role | str) -> None:
    nurse = ward.names[Role.NURSE]
    with ward.connect(Role.NURSE) as conn:
        add_patient(conn, nurse)
    connect = ward.owner if who == "owner" else (lambda: ward.connect(who))
    for statement in ("UPDATE audit SET reason = 'tidied' WHERE id = 1",
                      "UPDATE audit SET txid = 0",
                      "DELETE FROM audit WHERE id = 1",
                      "DELETE FROM audit",
                      "TRUNCATE audit"):
        with connect() as conn:
            with pytest.raises(Refused) as refused:
                conn.execute(statement)
            if who == "owner":   # the superuser owns the table: the triggers refuse it
                assert "the audit log is append-only" in str(refused.value)
    assert count(ward, "audit") == 1
    with ward.owner() as conn:
        assert conn.execute("SELECT reason FROM audit").fetchone() == (None,)


@pytest.mark.parametrize("who", [Role.NURSE, Role.PHYSICIAN, Role.ADMIN, "owner"])
def test_no_role_deletes_a_patient(ward: Ward, who: Role | str) -> None:
    nurse = ward.names[Role.NURSE]
    with ward.connect(Role.NURSE) as conn:
        pid = add_patient(conn, nurse)
    connect = ward.owner if who == "owner" else (lambda: ward.connect(who))
    for statement in ("DELETE FROM patients WHERE id = %s", "TRUNCATE patients CASCADE"):
        with connect() as conn:
            with pytest.raises(Refused):
                conn.execute(statement, [pid] if "%s" in statement else None)
    assert count(ward, "patients") == 1


# --- no data change without its audit row, in the same transaction ------------------------
def test_a_lab_without_its_audit_row_fails_at_commit_and_leaves_nothing(ward: Ward) -> None:
    nurse = ward.names[Role.NURSE]
    with ward.connect(Role.NURSE) as conn:
        pid = add_patient(conn, nurse)
        add_lab(conn, pid)                    # accepted now, checked at COMMIT
        with pytest.raises(NoAudit, match="labs row 1 was changed without its audit row"):
            conn.commit()
    assert count(ward, "labs") == 0
    assert count(ward, "audit") == 1          # the patient's only


def test_a_lab_with_its_audit_row_commits(ward: Ward) -> None:
    nurse = ward.names[Role.NURSE]
    with ward.connect(Role.NURSE) as conn:
        pid = add_patient(conn, nurse)
        lid = add_lab(conn, pid)
        audit(conn, nurse, "labs", lid, patient_id=pid)
        conn.commit()
    assert count(ward, "labs") == 1


def test_an_audit_row_from_an_earlier_transaction_does_not_count(ward: Ward) -> None:
    nurse = ward.names[Role.NURSE]
    with ward.connect(Role.NURSE) as conn:
        pid = add_patient(conn, nurse)
        # The transaction id is the server's whatever the client sends.
        (now,) = conn.execute("SELECT txid_current()").fetchone()
        conn.execute('INSERT INTO audit (at, "user", table_name, row_id, action, txid) '
                     "VALUES ('t', %s, 'patients', %s, 'update', %s)", [nurse, pid, now + 1])
        assert conn.execute("SELECT txid FROM audit ORDER BY id DESC LIMIT 1").fetchone() == (now,)
        conn.commit()
        conn.execute("UPDATE patients SET notes = 'moved to ward 3' WHERE id = %s", [pid])
        with pytest.raises(NoAudit):
            conn.commit()
        # A save that changes nothing moves the version only and needs no audit row
        # (storage.integrity does not replay version or search_key).
        conn.execute("UPDATE patients SET version = version + 1, search_key = 'x' WHERE id = %s",
                     [pid])
        conn.commit()
    with ward.owner() as conn:
        assert conn.execute("SELECT notes, version FROM patients").fetchone() == (None, 2)


def test_a_temporary_audit_table_does_not_count(ward: Ward) -> None:
    nurse = ward.names[Role.NURSE]
    with ward.connect(Role.NURSE) as conn:
        pid = add_patient(conn, nurse)
        conn.execute("CREATE TEMPORARY TABLE audit (table_name text, row_id bigint, txid bigint)")
        lid = add_lab(conn, pid)
        conn.execute("INSERT INTO audit VALUES ('labs', %s, txid_current())", [lid])
        with pytest.raises(NoAudit):
            conn.commit()
    assert count(ward, "labs") == 0


def test_a_login_writes_audit_rows_in_its_own_name_only(ward: Ward) -> None:
    nurse, doctor = ward.names[Role.NURSE], ward.names[Role.PHYSICIAN]
    with ward.connect(Role.NURSE) as conn:
        pid = add_patient(conn, nurse)
        with pytest.raises(Refused, match="must name it"):
            audit(conn, doctor, "patients", pid, "update", pid)


# --- accounts: admin only ------------------------------------------------------------------
def test_a_nurse_cannot_create_logins_or_touch_users(ward: Ward) -> None:
    nurse = ward.names[Role.NURSE]
    with ward.owner() as conn:
        for role, name in ward.names.items():
            (uid,) = conn.execute(
                "INSERT INTO users (username, role, salt, password_hash, created_at, hash_params) "
                "VALUES (%s, %s, 'aa', 'bb', 't', 'scrypt:17:8:1') RETURNING id",
                [name, role.value]).fetchone()
            audit(conn, name, "users", uid)
        conn.execute("INSERT INTO sign_in_state VALUES ('someone', 5, 0)")
        conn.commit()
    attempts = [
        lambda c: create_login(c, f"intruder_{uuid.uuid4().hex[:6]}", PASSWORD, Role.ADMIN),
        lambda c: c.execute("SELECT hemalog_create_login('x1', 'SCRAM-SHA-256$x', 'admin')"),
        lambda c: c.execute("CREATE ROLE intruder LOGIN SUPERUSER"),
        lambda c: c.execute("CREATE ROLE intruder LOGIN IN ROLE hemalog_admin"),
        lambda c: c.execute(f"GRANT hemalog_admin TO {nurse}"),
        lambda c: set_login_role(c, nurse, Role.ADMIN),
        lambda c: set_login_password(c, ward.names[Role.ADMIN], "another password"),
        lambda c: set_login_enabled(c, ward.names[Role.ADMIN], False),
        lambda c: c.execute("INSERT INTO users (username, role, salt, password_hash, created_at) "
                            "VALUES ('x', 'admin', 'a', 'b', 't')"),
        lambda c: c.execute("UPDATE users SET role = 'admin' WHERE username = %s", [nurse]),
        lambda c: c.execute("UPDATE users SET disabled = 1"),
        lambda c: c.execute("UPDATE users SET language = 'en' WHERE username <> %s", [nurse]),
        lambda c: c.execute("UPDATE users SET password_hash = 'mine' WHERE username = %s",
                            [nurse]),
        lambda c: c.execute("DELETE FROM users"),
        lambda c: c.execute("SELECT password_hash FROM users"),
        lambda c: c.execute("DELETE FROM sign_in_state WHERE name = 'someone'"),
        lambda c: c.execute("INSERT INTO sign_in_state VALUES ('someone', 0, 0)"),
    ]
    for attempt in attempts:
        with ward.connect(Role.NURSE) as conn:
            with pytest.raises(Refused):
                attempt(conn)
    with ward.owner() as conn:
        roles = {r for (r,) in conn.execute("SELECT role FROM users WHERE username = %s",
                                            [nurse])}
        assert roles == {"nurse"}
        assert login_role(conn, nurse) is Role.NURSE
    # What a nurse may do: choose their own language (audited), read the user list
    # without hashes, read their own hash (for a signature), count their own failures.
    with ward.connect(Role.NURSE) as conn:
        (uid,) = conn.execute("UPDATE users SET language = 'zh_CN' WHERE username = %s "
                              "RETURNING id", [nurse]).fetchone()
        audit(conn, nurse, "users", uid, "update")
        names = [n for (n,) in conn.execute("SELECT username FROM users ORDER BY username")]
        assert sorted(ward.names.values()) == names
        assert conn.execute("SELECT * FROM hemalog_own_credentials()").fetchall() == [
            ("aa", "bb", "scrypt:17:8:1")]
        conn.execute("INSERT INTO sign_in_state VALUES (%s, 1, 0) ON CONFLICT (name) DO UPDATE "
                     "SET failures = sign_in_state.failures + 1", [nurse])
        conn.execute("DELETE FROM sign_in_state WHERE name = %s", [nurse])
        conn.commit()


def test_an_admin_creates_and_manages_logins(ward: Ward) -> None:
    admin = ward.names[Role.ADMIN]
    name = f"Dr Wang {uuid.uuid4().hex[:6]}"    # any hemalog user name, quoted
    ward.made.append(name)
    with ward.connect(Role.ADMIN) as conn:
        create_login(conn, name, PASSWORD, Role.NURSE)
        conn.commit()
        assert login_role(conn, name) is Role.NURSE
    with ward.connect(name) as conn:
        assert conn.execute("SELECT session_user").fetchone() == (name,)
        assert conn.execute("SELECT count(*) FROM patients").fetchone() == (0,)
    with ward.connect(Role.ADMIN) as conn:
        set_login_role(conn, name, Role.PHYSICIAN)
        set_login_password(conn, name, "a new password")
        conn.commit()
        assert login_role(conn, name) is Role.PHYSICIAN
        with ward.owner() as owner:
            (secret,) = owner.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                      [name]).fetchone()
        assert secret.startswith("SCRAM-SHA-256$")
        set_login_enabled(conn, name, False)
        conn.commit()
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        ward.connect(name, "a new password")
    with ward.connect(Role.ADMIN) as conn:
        # Only hemalog logins: not the superuser, not a group role.
        for target in ("hemalog_test", "hemalog_admin"):
            with pytest.raises(Refused, match="not a hemalog login"):
                set_login_password(conn, target, "taken over!")
            conn.rollback()
        with pytest.raises(errors.DuplicateObject, match="already taken"):
            create_login(conn, admin, PASSWORD, Role.ADMIN)
        conn.rollback()
        # The server checks the name and wants a verifier, never a password in clear.
        for bad in ("pg_monitor2", "hemalog_x", " padded", "Ann \u202eeeL", "x" * 64, "public"):
            with pytest.raises(errors.InvalidParameterValue):
                conn.execute("SELECT hemalog_create_login(%s, 'SCRAM-SHA-256$x', 'nurse')",
                             [bad])
            conn.rollback()
        with pytest.raises(errors.InvalidParameterValue, match="verifier"):
            conn.execute("SELECT hemalog_create_login('plain', 'secret123', 'nurse')")
        conn.rollback()
        with pytest.raises(errors.InvalidParameterValue, match="role"):
            conn.execute("SELECT hemalog_create_login('plain', 'SCRAM-SHA-256$x', 'superuser')")


@pytest.mark.parametrize("bad", ["", "  ", " ann", "ann ", "a\tb", "Ann \u202eeeL", "pg_ann",
                                 "HEMALOG_admin", "public", "é" * 32])
def test_names_that_are_not_hemalog_user_names_are_refused(ward: Ward, bad: str) -> None:
    with ward.owner() as conn:
        with pytest.raises(HemalogError):
            create_login(conn, bad, PASSWORD, Role.NURSE)
        with pytest.raises(HemalogError, match="password"):
            create_login(conn, "fine name", "short", Role.NURSE)
        with pytest.raises(HemalogError, match="role"):
            create_login(conn, "fine name", PASSWORD, "superuser")


# --- the schema ----------------------------------------------------------------------------
def test_create_schema_runs_once(ward: Ward) -> None:
    with ward.owner() as conn:
        with pytest.raises(SchemaExists, match="already has the hemalog schema"):
            create_schema(conn)
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [
            (SCHEMA_VERSION,)]


def test_create_schema_refuses_a_database_with_a_table_of_that_name(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE labs (id int)")
        conn.commit()
        with pytest.raises(SchemaExists, match="tables named like hemalog's"):
            create_schema(conn)
        assert conn.execute("SELECT to_regclass('patients')").fetchone() == (None,)


def test_ids_are_filled_like_sqlite(ward: Ward) -> None:
    nurse = ward.names[Role.NURSE]
    with ward.connect(Role.NURSE) as conn:
        first = add_patient(conn, nurse, "P1")
        second = add_patient(conn, nurse, "P2")
    assert (first, second) == (1, 2)
    with ward.owner() as conn:
        assert conn.execute("SELECT id FROM audit ORDER BY id").fetchall() == [(1,), (2,)]


_TYPES = {"INTEGER": "bigint", "REAL": "double precision", "TEXT": "text"}


def test_the_schema_matches_sqlites(ward: Ward, tmp_path: Path) -> None:
    from storage.repository import SqliteStore

    store = SqliteStore(tmp_path / "x.db", user="t")
    store.close()
    lite = sqlite3.connect(tmp_path / "x.db")
    tables = [t for (t,) in lite.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    assert set(tables) <= set(pg_schema.TABLES)
    with ward.owner() as conn:
        for table in tables:
            pg = {name: (kind, nullable == "NO", default) for name, kind, nullable, default in
                  conn.execute("SELECT column_name, data_type, is_nullable, column_default "
                               "FROM information_schema.columns WHERE table_schema = 'public' "
                               "AND table_name = %s", [table])}
            for _cid, name, kind, notnull, default, pk in lite.execute(
                    f"PRAGMA table_info({table})"):
                assert name in pg, f"{table}.{name} is missing on the server"
                assert pg[name][0] == _TYPES[kind], f"{table}.{name}"
                assert pg[name][1] == bool(notnull or pk), f"{table}.{name} NOT NULL"
                assert (pg[name][2] is None) == (default is None), f"{table}.{name} default"
            extra = set(pg) - {r[1] for r in lite.execute(f"PRAGMA table_info({table})")}
            assert extra == ({"txid"} if table == "audit" else set()), table
        lite_indexes = {(name, bool(unique)) for (name, unique) in lite.execute(
            "SELECT name, sql LIKE 'CREATE UNIQUE%' FROM sqlite_master WHERE type = 'index' "
            "AND sql IS NOT NULL")}
        pg_indexes = {(name, "UNIQUE" in sql) for name, sql in conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND indexname LIKE 'idx_%'")}
        assert lite_indexes == pg_indexes
        assert conn.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)
    lite.close()


def test_schema_sql_is_the_whole_script(pg_url: str) -> None:
    text = schema_sql()
    for table in pg_schema.TABLES:
        assert f"CREATE TABLE {table} (" in text
    # The script as the IT person runs it (one transaction) gives the same schema.
    with psycopg.connect(pg_url) as conn:
        conn.execute(text)   # no parameters: several statements at once
        conn.commit()
        assert pg_schema.schema_exists(conn)
        (triggers,) = conn.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE "
                                   "'hemalog_%'").fetchone()
        assert triggers > 40


def test_logins_authenticate_with_their_password(tmp_path: Path) -> None:
    """On a server that asks for passwords (the session's trusts loopback)."""
    from tests.pgserver import Cluster, PgServerUnavailable, unavailable

    try:
        cluster = Cluster(password="superuser secret", base_dir=tmp_path).start()
    except PgServerUnavailable as exc:
        unavailable(exc)
    try:
        db = cluster.create_database()
        url = cluster.url(db, password="superuser secret")
        with psycopg.connect(url) as conn:
            create_schema(conn)
            create_login(conn, "sister ann", PASSWORD, Role.NURSE)
            conn.commit()
        login = cluster.url(db, user="sister ann", password=PASSWORD)
        with psycopg.connect(login) as conn:
            assert conn.execute("SELECT hemalog_is_login()").fetchone() == (True,)
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(cluster.url(db, user="sister ann", password="wrong password"))
    finally:
        cluster.close()
