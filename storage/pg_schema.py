"""The PostgreSQL schema of hemalog and what the server itself enforces (issue 16).

The tables and columns are those of the SQLite schema after every migration
(storage.migrations, SCHEMA_VERSION 5), with the same values: ISO dates, JSON and
the audit hashes stay text exactly as SQLite stores them (the audit hash chain,
storage.audit.chain_hash, hashes the stored values), integers are bigint, floats
double precision. Every text column uses the "C" collation: bytewise order, as
SQLite's BINARY, whatever the database's locale. Everything lives in the schema
``public``.

The server enforces, for every hemalog login (a LOGIN role in one of the group roles
hemalog_nurse, hemalog_physician, hemalog_admin; ``create_login``):

- grants: every role may SELECT, INSERT and UPDATE the clinical tables and SELECT and
  INSERT the audit log; nobody is granted DELETE, TRUNCATE or UPDATE of audit rows;
  only hemalog_admin may INSERT or UPDATE users and manage logins; the others read
  users without the password columns.
- triggers, where grants cannot say it:
  * voiding an assessment (voided 0 -> not 0) only by a member of hemalog_physician
    (``pg_has_role(session_user, 'hemalog_physician', 'MEMBER')``);
  * a voided item is never changed again (un-voiding included);
  * the audit log is append-only and clinical rows are never deleted nor truncated:
    these triggers raise for every role, the table owner included;
  * a data change without its audit row in the same transaction is impossible: each
    audit row carries the transaction id (``txid``, stamped by the server whatever
    the client sends; not part of the hash chain) and a deferred constraint trigger on
    every INSERT and UPDATE of the clinical tables and users checks at COMMIT that an
    audit row for (table_name, row_id) exists with this transaction's id. An UPDATE
    that changes only ``version`` or ``search_key`` needs none (storage.integrity
    does not replay them: a save that changes nothing moves the version only);
  * a hemalog login writes audit rows in its own name only (``user`` = the login);
  * a nurse or physician changes only their own users row (language, and the
    password hash only when rehashing to other parameters) and sign_in_state row.
- roles: logins are created and changed only through SECURITY DEFINER functions that
  only members of hemalog_admin may execute, which refuse names that are not valid
  hemalog user names and act only on hemalog logins. Admin logins get no CREATEROLE
  (on PostgreSQL 15 and older that attribute is close to superuser).

The server cannot enforce what it cannot see: that an audit row's old/new values
describe the change (``hemalog verify`` replays them), that an audit row's hash is
right (verify checks the chain), electronic signatures (the password check is the
app's), or anything against the table owner or a superuser, who may drop triggers.
The app must therefore never connect as the owner. Roles are per cluster: the group
roles are shared by every database of the cluster; CONNECT to the hemalog database is
revoked from PUBLIC and granted to the groups.

Errors: a refusal raises SQLSTATE 42501 (psycopg.errors.InsufficientPrivilege), a
missing audit row 23000 at COMMIT (psycopg.errors.IntegrityConstraintViolation); the
messages start with "hemalog: ".
"""

from __future__ import annotations

import textwrap
from typing import Any

from clinical.accounts import Role, name_problems, password_problems
from clinical.errors import HemalogError
from storage.migrations import SCHEMA_VERSION

__all__ = [
    "SCHEMA", "GROUPS", "CLINICAL_TABLES", "AUDITED_TABLES", "TABLES",
    "USERS_PUBLIC_COLUMNS", "REFUSED", "NO_AUDIT", "SchemaExists",
    "schema_sql", "schema_exists", "create_schema", "login_name_problems",
    "create_login", "set_login_role", "set_login_password", "set_login_enabled",
    "login_role", "CHANNEL", "schema_version_problem", "upgrade_schema",
]

SCHEMA = "public"
GROUPS: dict[Role, str] = {Role.NURSE: "hemalog_nurse", Role.PHYSICIAN: "hemalog_physician",
                           Role.ADMIN: "hemalog_admin"}
CLINICAL_TABLES = ("patients", "measurements", "courses", "drug_lines", "events", "labs",
                   "marrow", "assessments")
# Every INSERT and UPDATE of these needs its audit row in the same transaction.
AUDITED_TABLES = (*CLINICAL_TABLES, "users")
TABLES = (*CLINICAL_TABLES, "audit", "users", "sign_in_state", "schema_version")
# What a nurse or physician may read of users (not salt, password_hash).
USERS_PUBLIC_COLUMNS = ("id", "username", "display_name", "role", "created_at", "disabled",
                        "version", "hash_params", "language")
REFUSED = "42501"    # insufficient_privilege: what the role may not do
NO_AUDIT = "23000"   # integrity_constraint_violation: a change without its audit row
MAX_LOGIN_BYTES = 63  # PostgreSQL cuts longer identifiers (NAMEDATALEN - 1)
RESERVED_LOGINS = frozenset({"public", "none", "current_user", "session_user",
                             "current_role", "all"})
# LISTEN channel of the change feed (storage.live): one notification per patient whose
# audit rows a transaction committed; payload the patient id as text, '' for rows
# without a patient (accounts).
CHANNEL = "hemalog_changes"
_LOCK_KEY = 0x68656D61  # pg_advisory_xact_lock key while creating the schema ("hema")


class SchemaExists(HemalogError):
    """create_schema on a database that already holds hemalog's (or other) tables."""


# --- tables -----------------------------------------------------------------------------
_T = 'text COLLATE "C"'
_ITEM_TAIL = ("    version bigint NOT NULL DEFAULT 1,\n"
              "    voided bigint NOT NULL DEFAULT 0,\n"
              f"    void_reason {_T}")


def _item(name: str, columns: str, parent: tuple[str, str] = ("patient_id", "patients")) -> str:
    col, table = parent
    body = textwrap.dedent(columns).strip("\n")
    body = textwrap.indent(body, "    ")
    return (f"CREATE TABLE {name} (\n"
            "    id bigint PRIMARY KEY,\n"
            f"    {col} bigint NOT NULL REFERENCES {table} (id),\n"
            "    seq bigint NOT NULL,\n"
            f"{body},\n{_ITEM_TAIL}\n)")


_TABLE_DDL = [
    f"""CREATE TABLE patients (
    id bigint PRIMARY KEY,
    mrn {_T} NOT NULL,
    name {_T} NOT NULL,
    search_key {_T} NOT NULL,
    sex {_T} NOT NULL,
    birth_date {_T},
    age_at_diagnosis bigint,
    diagnosis {_T} NOT NULL,
    diagnosis_date {_T},
    immunophenotype {_T} NOT NULL,
    notes {_T},
{_ITEM_TAIL}
)""",
    "CREATE UNIQUE INDEX idx_patients_mrn ON patients (mrn)",
    "CREATE INDEX idx_patients_search_key ON patients (search_key)",
    _item("measurements", f"""
        date {_T} NOT NULL,
        height_cm double precision,
        weight_kg double precision"""),
    "CREATE INDEX idx_measurements_patient_id_seq ON measurements (patient_id, seq)",
    _item("courses", f"""
        name {_T} NOT NULL,
        category {_T} NOT NULL,
        start_date {_T},
        day_reference {_T} NOT NULL,
        notes {_T}"""),
    "CREATE INDEX idx_courses_patient_id_seq ON courses (patient_id, seq)",
    _item("drug_lines", f"""
        drug {_T} NOT NULL,
        dose double precision NOT NULL,
        unit {_T} NOT NULL,
        days {_T} NOT NULL,
        doses_per_day bigint NOT NULL,
        route {_T}""", parent=("course_id", "courses")),
    "CREATE INDEX idx_drug_lines_course_id_seq ON drug_lines (course_id, seq)",
    _item("events", f"""
        type {_T} NOT NULL,
        date {_T} NOT NULL,
        details {_T} NOT NULL,
        notes {_T}"""),
    "CREATE INDEX idx_events_patient_id_seq ON events (patient_id, seq)",
    "CREATE INDEX idx_events_patient_id_type_date ON events (patient_id, type, date)",
    _item("labs", f"""
        date {_T} NOT NULL,
        test {_T} NOT NULL,
        value double precision NOT NULL,
        unit {_T} NOT NULL,
        lln double precision,
        uln double precision"""),
    "CREATE INDEX idx_labs_patient_id_seq ON labs (patient_id, seq)",
    "CREATE INDEX idx_labs_patient_id_test_date ON labs (patient_id, test, date)",
    _item("marrow", f"""
        date {_T} NOT NULL,
        blasts_pct double precision,
        mrd_pct double precision,
        mrd_method {_T},
        mrd_lod_pct double precision,
        cellularity_pct double precision,
        donor_chimerism_pct double precision,
        fibrosis_grade {_T},
        karyotype {_T},
        notes {_T}"""),
    "CREATE INDEX idx_marrow_patient_id_seq ON marrow (patient_id, seq)",
    _item("assessments", f"""
        kind {_T} NOT NULL,
        date {_T} NOT NULL,
        findings {_T} NOT NULL,
        notes {_T}"""),
    "CREATE INDEX idx_assessments_patient_id_seq ON assessments (patient_id, seq)",
    f"""CREATE TABLE audit (
    id bigint PRIMARY KEY,
    at {_T} NOT NULL,
    "user" {_T} NOT NULL,
    patient_id bigint,
    table_name {_T} NOT NULL,
    row_id bigint NOT NULL,
    action {_T} NOT NULL,
    old_value {_T},
    new_value {_T},
    reason {_T},
    hash {_T},
    workstation {_T},
    signature {_T},
    software {_T},
    -- not in SQLite, not hashed: the transaction that wrote the row (set by the server)
    txid bigint NOT NULL DEFAULT txid_current()
)""",
    "CREATE INDEX idx_audit_patient_id_id ON audit (patient_id, id)",
    "CREATE INDEX idx_audit_table_name_row_id ON audit (table_name, row_id)",
    f"""CREATE TABLE users (
    id bigint PRIMARY KEY,
    username {_T} NOT NULL,
    display_name {_T},
    role {_T} NOT NULL,
    salt {_T} NOT NULL,
    password_hash {_T} NOT NULL,
    created_at {_T} NOT NULL,
    disabled bigint NOT NULL DEFAULT 0,
    version bigint NOT NULL DEFAULT 1,
    hash_params {_T},
    language {_T}
)""",
    "CREATE UNIQUE INDEX idx_users_username ON users (username)",
    f"""CREATE TABLE sign_in_state (
    name {_T} PRIMARY KEY,
    failures bigint NOT NULL,
    last_failure_at double precision NOT NULL
)""",
    """CREATE TABLE schema_version (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    version integer NOT NULL
)""",
    f"INSERT INTO schema_version (version) VALUES ({int(SCHEMA_VERSION)})",
]

# --- functions and triggers -------------------------------------------------------------
_PATH = "SET search_path = public, pg_temp"   # pg_temp last: no temporary look-alike tables
_NAME_RULES = r"""
    IF p_name IS NULL OR p_name = '' THEN
        RAISE EXCEPTION 'hemalog: user name: must not be empty' USING ERRCODE = '22023';
    END IF;
    IF p_name ~ '^\s|\s$' THEN
        RAISE EXCEPTION 'hemalog: user name: no spaces at the start or end' USING ERRCODE = '22023';
    END IF;
    IF p_name ~ '[\u0001-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]' THEN
        RAISE EXCEPTION 'hemalog: user name: contains a control or bidirectional character'
            USING ERRCODE = '22023';
    END IF;
    IF octet_length(p_name) > 63 THEN
        RAISE EXCEPTION 'hemalog: user name: at most 63 bytes on a server' USING ERRCODE = '22023';
    END IF;
    IF lower(p_name) LIKE 'pg\_%' OR lower(p_name) LIKE 'hemalog\_%'
            OR lower(p_name) IN ('public', 'none', 'current_user', 'session_user',
                                 'current_role', 'all') THEN
        RAISE EXCEPTION 'hemalog: user name: % is reserved by the server', p_name
            USING ERRCODE = '22023';
    END IF;"""

_ADMIN_ONLY = """
    IF NOT pg_has_role(session_user, 'hemalog_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'hemalog: only an admin may manage users' USING ERRCODE = '42501';
    END IF;"""

_ROLE_GROUP = """
    IF p_role IS NULL OR p_role NOT IN ('nurse', 'physician', 'admin') THEN
        RAISE EXCEPTION 'hemalog: role: % is not nurse, physician or admin', p_role
            USING ERRCODE = '22023';
    END IF;"""

_VERIFIER = r"""
    IF p_verifier IS NULL OR p_verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'hemalog: a password is sent as a SCRAM-SHA-256 verifier, never in clear'
            USING ERRCODE = '22023';
    END IF;"""

_FUNCTION_DDL = [
    # Who is asking: a hemalog login (not a superuser, a member of a group).
    """CREATE FUNCTION hemalog_is_login() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
       AND (pg_has_role(session_user, 'hemalog_nurse', 'MEMBER')
            OR pg_has_role(session_user, 'hemalog_physician', 'MEMBER')
            OR pg_has_role(session_user, 'hemalog_admin', 'MEMBER'))
$$""",
    # The group of a hemalog login (nurse, physician, admin), NULL for any other role.
    """CREATE FUNCTION hemalog_login_role(p_name text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT min(substr(g.rolname, 9))
      FROM pg_auth_members m
      JOIN pg_roles g ON g.oid = m.roleid
      JOIN pg_roles u ON u.oid = m.member
     WHERE u.rolname = p_name
       AND g.rolname IN ('hemalog_nurse', 'hemalog_physician', 'hemalog_admin')
       AND NOT u.rolsuper AND NOT u.rolcreaterole AND NOT u.rolreplication
       AND NOT u.rolbypassrls
$$""",
    # SQLite fills a missing INTEGER PRIMARY KEY with max + 1: so does the server.
    f"""CREATE FUNCTION hemalog_fill_id() RETURNS trigger
LANGUAGE plpgsql {_PATH} AS $$
BEGIN
    IF NEW.id IS NULL THEN
        EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I.%I',
                       TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO NEW.id;
    END IF;
    RETURN NEW;
END $$""",
    f"""CREATE FUNCTION hemalog_never_deleted() RETURNS trigger
LANGUAGE plpgsql {_PATH} AS $$
BEGIN
    IF TG_TABLE_NAME = 'audit' THEN
        RAISE EXCEPTION 'hemalog: the audit log is append-only' USING ERRCODE = '42501';
    END IF;
    RAISE EXCEPTION 'hemalog: % rows are never deleted: void them with a reason', TG_TABLE_NAME
        USING ERRCODE = '42501';
END $$""",
    f"""CREATE FUNCTION hemalog_audit_insert() RETURNS trigger
LANGUAGE plpgsql {_PATH} AS $$
BEGIN
    NEW.txid := txid_current();   -- whatever the client sent
    IF hemalog_is_login() AND NEW."user" IS DISTINCT FROM session_user::text THEN
        RAISE EXCEPTION 'hemalog: an audit row of login % must name it, not %',
            session_user, NEW."user" USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$""",
    f"""CREATE FUNCTION hemalog_item_update() RETURNS trigger
LANGUAGE plpgsql {_PATH} AS $$
BEGIN
    IF OLD.voided <> 0
            AND (to_jsonb(NEW) - 'search_key') IS DISTINCT FROM (to_jsonb(OLD) - 'search_key') THEN
        RAISE EXCEPTION 'hemalog: % item % was voided; it cannot be changed', TG_TABLE_NAME, OLD.id
            USING ERRCODE = '42501';
    END IF;
    IF TG_TABLE_NAME = 'assessments' AND OLD.voided = 0 AND NEW.voided <> 0
            AND NOT pg_has_role(session_user, 'hemalog_physician', 'MEMBER') THEN
        RAISE EXCEPTION 'hemalog: only a physician may void assessments' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$""",
    f"""CREATE FUNCTION hemalog_require_audit() RETURNS trigger
LANGUAGE plpgsql {_PATH} AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit
                    WHERE table_name = TG_TABLE_NAME AND row_id = NEW.id
                      AND txid = txid_current()) THEN
        RAISE EXCEPTION 'hemalog: % row % was changed without its audit row in the same transaction',
            TG_TABLE_NAME, NEW.id USING ERRCODE = '23000';
    END IF;
    RETURN NULL;
END $$""",
    f"""CREATE FUNCTION hemalog_users_update() RETURNS trigger
LANGUAGE plpgsql {_PATH} AS $$
BEGIN
    IF hemalog_is_login() AND NOT pg_has_role(session_user, 'hemalog_admin', 'MEMBER') THEN
        IF OLD.username IS DISTINCT FROM session_user::text
                OR NEW.username IS DISTINCT FROM session_user::text THEN
            RAISE EXCEPTION 'hemalog: only an admin may manage users' USING ERRCODE = '42501';
        END IF;
        IF (NEW.salt, NEW.password_hash) IS DISTINCT FROM (OLD.salt, OLD.password_hash)
                AND NEW.hash_params IS NOT DISTINCT FROM OLD.hash_params THEN
            RAISE EXCEPTION 'hemalog: only an admin may set a password' USING ERRCODE = '42501';
        END IF;
    END IF;
    RETURN NEW;
END $$""",
    f"""CREATE FUNCTION hemalog_sign_in_state_change() RETURNS trigger
LANGUAGE plpgsql {_PATH} AS $$
BEGIN
    IF hemalog_is_login() AND NOT pg_has_role(session_user, 'hemalog_admin', 'MEMBER') THEN
        IF TG_OP <> 'INSERT' THEN
            IF OLD.name IS DISTINCT FROM session_user::text THEN
                RAISE EXCEPTION 'hemalog: only an admin may unlock a user name'
                    USING ERRCODE = '42501';
            END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            IF NEW.name IS DISTINCT FROM session_user::text THEN
                RAISE EXCEPTION 'hemalog: only an admin may unlock a user name'
                    USING ERRCODE = '42501';
            END IF;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$""",
    # A nurse's or physician's own password hash (for a signature), never anyone else's.
    f"""CREATE FUNCTION hemalog_own_credentials()
RETURNS TABLE (salt text, password_hash text, hash_params text)
LANGUAGE sql STABLE SECURITY DEFINER {_PATH} AS $$
    SELECT u.salt, u.password_hash, u.hash_params FROM users u
     WHERE u.username = session_user::text
$$""",
    # Managing logins: SECURITY DEFINER (the schema's owner creates the roles), executable
    # by hemalog_admin only, acting on hemalog logins only.
    f"""CREATE FUNCTION hemalog_create_login(p_name text, p_verifier text, p_role text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN{_ADMIN_ONLY}{_NAME_RULES}{_ROLE_GROUP}{_VERIFIER}
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN
        RAISE EXCEPTION 'hemalog: user name: % is already taken on this server', p_name
            USING ERRCODE = '42710';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE '
                   'NOREPLICATION NOBYPASSRLS PASSWORD %L IN ROLE %I',
                   p_name, p_verifier, 'hemalog_' || p_role);
END $$""",
    f"""CREATE FUNCTION hemalog_set_login_role(p_name text, p_role text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    g text;
BEGIN{_ADMIN_ONLY}{_ROLE_GROUP}
    IF public.hemalog_login_role(p_name) IS NULL THEN
        RAISE EXCEPTION 'hemalog: % is not a hemalog login', p_name USING ERRCODE = '42501';
    END IF;
    FOREACH g IN ARRAY ARRAY['nurse', 'physician', 'admin'] LOOP
        IF g <> p_role AND pg_has_role(p_name, 'hemalog_' || g, 'MEMBER') THEN
            EXECUTE format('REVOKE %I FROM %I', 'hemalog_' || g, p_name);
        END IF;
    END LOOP;
    EXECUTE format('GRANT %I TO %I', 'hemalog_' || p_role, p_name);
END $$""",
    f"""CREATE FUNCTION hemalog_set_login_password(p_name text, p_verifier text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN{_ADMIN_ONLY}{_VERIFIER}
    IF public.hemalog_login_role(p_name) IS NULL THEN
        RAISE EXCEPTION 'hemalog: % is not a hemalog login', p_name USING ERRCODE = '42501';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_name, p_verifier);
END $$""",
    f"""CREATE FUNCTION hemalog_set_login_enabled(p_name text, p_enabled boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN{_ADMIN_ONLY}
    IF public.hemalog_login_role(p_name) IS NULL THEN
        RAISE EXCEPTION 'hemalog: % is not a hemalog login', p_name USING ERRCODE = '42501';
    END IF;
    EXECUTE format('ALTER ROLE %I %s', p_name,
                   CASE WHEN p_enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
END $$""",
    # The change feed (storage.live): every data change writes audit rows, so the audit
    # inserts name the patients changed. Once per statement and distinct patient: the
    # server delivers at COMMIT only (a rollback sends nothing) and folds identical
    # payloads of one transaction, so a 10,000-row import sends one per patient.
    f"""CREATE FUNCTION hemalog_notify_changes() RETURNS trigger
LANGUAGE plpgsql {_PATH} AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', coalesce(d.patient_id::text, ''))
       FROM (SELECT DISTINCT patient_id FROM new_rows) d;
    RETURN NULL;
END $$""",
]

_WHEN_CHANGED = ("(to_jsonb(OLD) - 'version' - 'search_key') IS DISTINCT FROM "
                 "(to_jsonb(NEW) - 'version' - 'search_key')")


def _trigger_ddl() -> list[str]:
    out = []
    for table in (*CLINICAL_TABLES, "audit", "users"):
        out.append(f"CREATE TRIGGER hemalog_fill_id BEFORE INSERT ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION hemalog_fill_id()")
    for table in (*CLINICAL_TABLES, "audit"):
        out.append(f"CREATE TRIGGER hemalog_never_deleted BEFORE DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION hemalog_never_deleted()")
        out.append(f"CREATE TRIGGER hemalog_never_truncated BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION hemalog_never_deleted()")
    out.append("CREATE TRIGGER hemalog_append_only BEFORE UPDATE ON audit "
               "FOR EACH ROW EXECUTE FUNCTION hemalog_never_deleted()")
    out.append("CREATE TRIGGER hemalog_audit_insert BEFORE INSERT ON audit "
               "FOR EACH ROW EXECUTE FUNCTION hemalog_audit_insert()")
    out.append("CREATE TRIGGER hemalog_notify_changes AFTER INSERT ON audit "
               "REFERENCING NEW TABLE AS new_rows "
               "FOR EACH STATEMENT EXECUTE FUNCTION hemalog_notify_changes()")
    for table in CLINICAL_TABLES:
        out.append(f"CREATE TRIGGER hemalog_item_update BEFORE UPDATE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION hemalog_item_update()")
    for table in AUDITED_TABLES:
        out.append(f"CREATE CONSTRAINT TRIGGER hemalog_audited_insert AFTER INSERT ON {table} "
                   "DEFERRABLE INITIALLY DEFERRED "
                   "FOR EACH ROW EXECUTE FUNCTION hemalog_require_audit()")
        out.append(f"CREATE CONSTRAINT TRIGGER hemalog_audited_update AFTER UPDATE ON {table} "
                   f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({_WHEN_CHANGED}) "
                   "EXECUTE FUNCTION hemalog_require_audit()")
    out.append("CREATE TRIGGER hemalog_users_update BEFORE UPDATE ON users "
               "FOR EACH ROW EXECUTE FUNCTION hemalog_users_update()")
    out.append("CREATE TRIGGER hemalog_sign_in_state_change "
               "BEFORE INSERT OR UPDATE OR DELETE ON sign_in_state "
               "FOR EACH ROW EXECUTE FUNCTION hemalog_sign_in_state_change()")
    return out


# --- roles and grants -------------------------------------------------------------------
_ROLES_DDL = [
    # Group roles are per cluster: made once, kept by every later database.
    """DO $$
DECLARE
    g text;
BEGIN
    FOREACH g IN ARRAY ARRAY['hemalog_nurse', 'hemalog_physician', 'hemalog_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', g);
        ELSIF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g
                       AND (rolcanlogin OR rolsuper OR rolcreaterole OR rolbypassrls)) THEN
            RAISE EXCEPTION 'hemalog: the role % exists and is not a plain group role', g;
        END IF;
    END LOOP;
END $$""",
]


def _grant_ddl() -> list[str]:
    everyone = ", ".join(GROUPS.values())
    others = f"{GROUPS[Role.NURSE]}, {GROUPS[Role.PHYSICIAN]}"
    out = [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        """DO $$
BEGIN
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO hemalog_nurse, hemalog_physician, '
                   'hemalog_admin', current_database());
END $$""",
        f"REVOKE ALL ON {', '.join(TABLES)} FROM PUBLIC",
        f"GRANT SELECT, INSERT, UPDATE ON {', '.join(CLINICAL_TABLES)} TO {everyone}",
        f"GRANT SELECT, INSERT ON audit TO {everyone}",
        f"GRANT SELECT ON schema_version TO {everyone}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_state TO {everyone}",
        f"GRANT SELECT, INSERT, UPDATE ON users TO {GROUPS[Role.ADMIN]}",
        f"GRANT SELECT ({', '.join(USERS_PUBLIC_COLUMNS)}) ON users TO {others}",
        f"GRANT UPDATE (language, salt, password_hash, hash_params) ON users TO {others}",
        "REVOKE ALL ON FUNCTION hemalog_own_credentials(), "
        "hemalog_create_login(text, text, text), hemalog_set_login_role(text, text), "
        "hemalog_set_login_password(text, text), hemalog_set_login_enabled(text, boolean) "
        "FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION hemalog_own_credentials() TO {everyone}",
        f"GRANT EXECUTE ON FUNCTION hemalog_create_login(text, text, text), "
        "hemalog_set_login_role(text, text), hemalog_set_login_password(text, text), "
        f"hemalog_set_login_enabled(text, boolean) TO {GROUPS[Role.ADMIN]}",
    ]
    return out


def _statements() -> list[str]:
    return ["SET LOCAL search_path = public", *_ROLES_DDL, *_TABLE_DDL, *_FUNCTION_DDL,
            *_trigger_ddl(), *_grant_ddl()]


def schema_sql() -> str:
    """The whole schema as one SQL script (for the README and the ward's IT person):
    run it once, in one transaction, as the database's owner on an empty database,
    e.g. ``psql --single-transaction -v ON_ERROR_STOP=1 -f hemalog.sql``."""
    head = (f"-- hemalog schema version {SCHEMA_VERSION} for PostgreSQL (storage/pg_schema.py)\n"
            "-- Run once, in one transaction, as the owner of an empty database.\n")
    return head + "".join(f"\n{s};\n" for s in _statements())


def schema_exists(conn: Any) -> bool:
    """True when the database already holds a hemalog schema (or any of its tables)."""
    names = [f"{SCHEMA}.{t}" for t in TABLES]
    row = conn.execute("SELECT bool_or(to_regclass(n) IS NOT NULL) FROM unnest(%s::text[]) n",
                       [names]).fetchone()
    return bool(row and row[0])


def create_schema(conn: Any) -> None:
    """Create hemalog's tables, group roles, functions, triggers and grants on ``conn``
    (a psycopg connection of the database's owner or a superuser, on an empty database).

    One transaction, committed here (a savepoint when the caller has one open). A
    database that already has the schema (or any table of it) is refused with
    SchemaExists, and nothing is changed: run it once.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        if schema_exists(conn):
            (ours,) = conn.execute(
                "SELECT to_regclass('public.schema_version') IS NOT NULL").fetchone()
            what = ("it already has the hemalog schema" if ours else
                    "it already holds tables named like hemalog's")
            raise SchemaExists(
                f"the database {conn.info.dbname} was not set up: {what}; the schema is "
                "created once, on an empty database")
        for statement in _statements():
            conn.execute(statement)


# --- upgrades ---------------------------------------------------------------------------
FIRST_SERVER_SCHEMA = 4   # servers came with schema 4 (issue 16)
# What each later schema adds to a server database made by an older hemalog.
_UPGRADES: dict[int, list[str]] = {
    5: [f"ALTER TABLE audit ADD COLUMN software {_T}"],   # issue 19 (migrations._v5)
}


def schema_version_problem(version: int | None, where: str) -> str | None:
    """Why this hemalog cannot work on a server database of schema ``version`` (None:
    it can)."""
    if version == SCHEMA_VERSION:
        return None
    if version is not None and version > SCHEMA_VERSION:
        return (f"{where}: made by a newer hemalog (schema {version}; this one knows up to "
                f"{SCHEMA_VERSION}); please update hemalog")
    return (f"{where}: the server database has hemalog schema {version}, this hemalog "
            f"needs {SCHEMA_VERSION}: the database's owner runs hemalog server upgrade URL "
            "(nothing was changed)")


def upgrade_schema(conn: Any) -> int:
    """Bring a server database made by an older hemalog up to SCHEMA_VERSION, every step
    in one transaction (all of it or nothing), on ``conn`` (the owner's connection).
    Returns the version it had; an up-to-date database is left as it is."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        (ours,) = conn.execute(
            "SELECT to_regclass('public.schema_version') IS NOT NULL").fetchone()
        if not ours:
            raise HemalogError(f"the database {conn.info.dbname} has no hemalog schema: "
                               "create it with hemalog server init")
        (version,) = conn.execute("SELECT version FROM schema_version").fetchone()
        if version > SCHEMA_VERSION or version < FIRST_SERVER_SCHEMA:
            raise HemalogError(schema_version_problem(version, conn.info.dbname)
                               or f"schema {version}")
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _UPGRADES[step]:
                conn.execute(statement)
        conn.execute("UPDATE schema_version SET version = %s", [SCHEMA_VERSION])
    return int(version)


# --- logins -----------------------------------------------------------------------------
def login_name_problems(username: str) -> list[Any]:
    """Why ``username`` cannot be a login (empty list: it can): the hemalog user name
    rules (clinical.accounts) and the server's own (63 bytes, reserved names)."""
    if not username or not username.strip():
        return ["user name: must not be empty"]
    problems: list[Any] = []
    if username.strip() != username:
        problems.append("user name: no spaces at the start or end")
    problems += name_problems("user name", username)
    if len(username.encode("utf-8")) > MAX_LOGIN_BYTES:
        problems.append(f"user name: at most {MAX_LOGIN_BYTES} bytes on a server")
    lowered = username.lower()
    if lowered.startswith(("pg_", "hemalog_")) or lowered in RESERVED_LOGINS:
        problems.append(f"user name: {username} is reserved by the server")
    return problems


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise HemalogError(f"role: {role} is not nurse, physician or admin") from None


def _verifier(conn: Any, username: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, computed here (libpq): the password
    itself never reaches the server, its logs or its statistics."""
    problems = password_problems(password)
    if problems:
        raise HemalogError(problems)
    return conn.pgconn.encrypt_password(password.encode("utf-8"), username.encode("utf-8"),
                                        b"scram-sha-256").decode("ascii")


def _check_name(username: str) -> None:
    problems = login_name_problems(username)
    if problems:
        raise HemalogError(problems)


def create_login(conn: Any, username: str, password: str, role: Role | str) -> None:
    """Create the LOGIN role ``username`` in the group of ``role`` (nurse, physician,
    admin). ``conn`` is an admin's login, the owner's or a superuser's; the server refuses
    anyone else (42501). Runs in the caller's transaction (commit it with the users row
    and its audit row). A name that is no valid hemalog user name: HemalogError."""
    _check_name(username)
    group = _role(role)
    conn.execute("SELECT public.hemalog_create_login(%s, %s, %s)",
                 [username, _verifier(conn, username, password), group.value])


def set_login_role(conn: Any, username: str, role: Role | str) -> None:
    """Move a hemalog login to the group of ``role`` (admin only)."""
    conn.execute("SELECT public.hemalog_set_login_role(%s, %s)", [username, _role(role).value])


def set_login_password(conn: Any, username: str, password: str) -> None:
    """Set a hemalog login's password (admin only; sent as a SCRAM verifier)."""
    conn.execute("SELECT public.hemalog_set_login_password(%s, %s)",
                 [username, _verifier(conn, username, password)])


def set_login_enabled(conn: Any, username: str, enabled: bool) -> None:
    """Allow or refuse a hemalog login's new connections (admin only). Sessions already
    open stay open until they end."""
    conn.execute("SELECT public.hemalog_set_login_enabled(%s, %s)", [username, enabled])


def login_role(conn: Any, username: str) -> Role | None:
    """The role of the hemalog login ``username``; None when it is not one."""
    (group,) = conn.execute("SELECT public.hemalog_login_role(%s)", [username]).fetchone()
    return Role(group) if group else None

