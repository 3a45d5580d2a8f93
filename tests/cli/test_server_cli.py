"""Issue 16: the command line on a PostgreSQL server.

`hemalog server init`, the usual commands with ``--db postgresql://...``, `migrate --to`
a server, `verify`, `backup` from and `restore` into a server. Every test runs main.py
as a subprocess (stdin not a terminal) against the session's real server (tests/
pgserver.py, fixtures pg_server and pg_url in tests/conftest.py).

Logins are per server cluster, shared by every database of the session: each test
names its accounts with a suffix of its own.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from clinical.accounts import Role
from resources import DEMO_MRN
from storage import open_store
from storage.accounts import SignInRefused
from storage.integrity import verify_database
from storage.record_files import export_text
from storage.repository import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse 7"


def hemalog(tmp_path: Path, *argv: str,
            pgpass: Path | None = None) -> subprocess.CompletedProcess[str]:
    """main.py in a subprocess: stdin is no terminal, HOME has no ~/.pgpass; ``pgpass``:
    the PGPASSFILE libpq reads."""
    env = {**os.environ, "HOME": str(tmp_path / "home"), "HEMALOG_LANG": "en"}
    env.pop("PGPASSFILE", None)
    env.pop("PGPASSWORD", None)
    if pgpass is not None:
        env["PGPASSFILE"] = str(pgpass)
    (tmp_path / "home").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], cwd=ROOT, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=300)


def password_file(tmp_path: Path, text: str = PASSWORD) -> Path:
    path = tmp_path / f"pw-{uuid.uuid4().hex[:6]}"
    path.write_text(text + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def names(*roles: str) -> dict[str, str]:
    suffix = uuid.uuid4().hex[:8]
    return {role: f"{role}{suffix}" for role in roles}


def as_admin(url: str, admin: str, pw: Path) -> list[str]:
    return ["--db", url, "--user", admin, "--password-file", str(pw)]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("hemalog: ")]
    assert lines, result.stderr
    return result.stderr


def server_exports(url: str, admin: str) -> dict[str, str]:
    store = open_store(url, user=admin)
    try:
        store.sign_in(store.accounts.sign_in(admin, PASSWORD))
        return {p.mrn: export_text(store, p.mrn) for p in store.patients.list()}
    finally:
        store.close()


def file_exports(path: Path, admin: str) -> dict[str, str]:
    with SqliteStore(path, user=admin, read_only=True) as store:
        store.sign_in(store.accounts.sign_in(admin, PASSWORD))
        return {p.mrn: export_text(store, p.mrn) for p in store.patients.list()}


def audit_rows(url_or_path: str | Path) -> list[tuple]:
    query = ('SELECT id, at, "user", patient_id, table_name, row_id, action, old_value, '
             "new_value, reason, workstation, signature, hash FROM audit ORDER BY id")
    if isinstance(url_or_path, Path):
        conn = sqlite3.connect(url_or_path)
        try:
            return [tuple(r) for r in conn.execute(query)]
        finally:
            conn.close()
    with psycopg.connect(url_or_path) as conn:
        return [tuple(r) for r in conn.execute(query)]


def init(tmp_path: Path, url: str, admin: str) -> None:
    result = hemalog(tmp_path, "server", "init", url, "--admin", admin,
                     "--password-file", str(password_file(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert admin in result.stdout and "next:" in result.stdout


def ward_file(tmp_path: Path, who: dict[str, str], patients: int = 20) -> Path:
    """A SQLite ward: the demo patient, ``patients`` generated ones, corrections and a
    voided item (updates in the audit trail), and accounts: an administrator, a nurse,
    a disabled physician."""
    from benchmarks.cohorts import synthetic_record
    from resources import DEMO_RECORD
    from storage.record_files import import_files

    path = tmp_path / "ward.db"
    with SqliteStore(path, user="setup") as store:
        import_files(store, [DEMO_RECORD])
        store.add_records([synthetic_record(i, 90) for i in range(patients)])
        admin = store.accounts.create(who["admin"], PASSWORD, Role.ADMIN, "Ada Admin")
        store.sign_in(admin)
        store.accounts.create(who["nurse"], PASSWORD, Role.NURSE, "Nina 护士")
        gone = store.accounts.create(who["physician"], PASSWORD, Role.PHYSICIAN)
        store.accounts.set_disabled(gone.id, True)
        sign = {"by": admin.username, "meaning": "correction", "at": "2026-01-01T00:00:00Z"}
        patient = store.patients.get_by_mrn("SYN-00003")
        lab = store.labs.list(patient.id)[0]
        store.labs.update(dataclasses.replace(lab, value=lab.value + 1), "typo",
                          signature=sign)
        event = store.events.list(patient.id)[0]
        store.events.void(event.id, "entered twice", signature=sign)
    assert verify_database(path).ok
    return path


# --- server init ----------------------------------------------------------------------------
def test_server_init_then_the_admin_uses_the_usual_commands(tmp_path: Path, pg_url: str,
                                                             demo_record_path: Path) -> None:
    who = names("admin")
    init(tmp_path, pg_url, who["admin"])
    pw = password_file(tmp_path)
    listed = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == ""
    demo = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "demo")
    assert demo.returncode == 0, demo.stderr
    assert DEMO_MRN in demo.stdout
    listed = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "list")
    assert listed.stdout.split("\t")[0] == DEMO_MRN
    # import and export: the server's export is the file's, byte for byte
    record = tmp_path / "rec.json"
    record.write_text('{"format": "hemalog.record", "version": 1, "patient": {"mrn": "SRV-1", '
                      '"name": "Server Patient", "sex": "female", "diagnosis": "AML"}}',
                      encoding="utf-8")
    imported = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "import", str(record))
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "demo.json"
    exported = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "export", DEMO_MRN,
                       "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    with SqliteStore(tmp_path / "f.db", user="t") as store:
        from storage.record_files import import_files

        import_files(store, [demo_record_path])
        assert out.read_text(encoding="utf-8") == export_text(store, DEMO_MRN)
    stdout = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "export", "SRV-1")
    assert '"Server Patient"' in stdout.stdout
    verified = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "verify")
    assert verified.returncode == 0, verified.stderr
    assert "audit chain of" in verified.stdout and "data rows match" in verified.stdout
    for command, name in (("report", "summary.pdf"), ("plot", "plots.png")):
        made = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), command, DEMO_MRN,
                       "-o", str(tmp_path / name))
        assert made.returncode == 0, made.stderr
        assert (tmp_path / name).stat().st_size > 1000
    # a wrong password is refused in one line
    wrong = hemalog(tmp_path, *as_admin(pg_url, who["admin"], password_file(tmp_path, "nope nope 9")),
                    "list")
    one_line_error(wrong)


def test_server_init_twice_is_refused_and_changes_nothing(tmp_path: Path, pg_url: str) -> None:
    who = names("admin", "other")
    init(tmp_path, pg_url, who["admin"])
    again = hemalog(tmp_path, "server", "init", pg_url, "--admin", who["other"],
                    "--password-file", str(password_file(tmp_path)))
    err = one_line_error(again)
    assert "already has the hemalog schema" in err
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                            [who["other"]]).fetchone()[0] == 0


def test_server_init_with_a_bad_password_leaves_the_database_empty(tmp_path: Path,
                                                                    pg_url: str) -> None:
    who = names("admin")
    short = hemalog(tmp_path, "server", "init", pg_url, "--admin", who["admin"],
                    "--password-file", str(password_file(tmp_path, "short")))
    one_line_error(short)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('public.audit')").fetchone()[0] is None


# --- migrate --------------------------------------------------------------------------------
def test_migrate_a_ward_exactly(tmp_path: Path, pg_url: str) -> None:
    who = names("admin", "nurse", "physician")
    path = ward_file(tmp_path, who)
    before = file_exports(path, who["admin"])
    assert len(before) == 21
    result = hemalog(tmp_path, "--db", str(path), "--user", who["admin"], "--password-file",
                     str(password_file(tmp_path)), "migrate", "--to", pg_url)
    assert result.returncode == 0, result.stderr
    assert "the exports of all 21 patients are byte-identical" in result.stdout
    assert who["nurse"] in result.stdout.split("new password")[1].splitlines()[0]
    assert who["physician"] in result.stdout.split("disabled accounts")[1]
    # every audit row as it was: ids, text, hashes
    assert audit_rows(pg_url) == audit_rows(path)
    assert server_exports(pg_url, who["admin"]) == before
    verified = hemalog(tmp_path, "--db", pg_url, "--user", who["admin"], "--password-file",
                       str(password_file(tmp_path)), "verify")
    assert verified.returncode == 0, verified.stderr
    # the nurse's login waits for a new password; the admin's works
    store = open_store(pg_url, user="t")
    with pytest.raises(SignInRefused):
        store.accounts.sign_in(who["nurse"], PASSWORD)
    store.close()
    with psycopg.connect(pg_url) as conn:
        can_login = dict(conn.execute("SELECT rolname, rolcanlogin FROM pg_roles WHERE "
                                      "rolname = ANY(%s)", [list(who.values())]).fetchall())
    assert can_login == {who["admin"]: True, who["nurse"]: False, who["physician"]: False}


def test_migrate_the_seed_case(tmp_path: Path, pg_url: str, pg_server) -> None:  # noqa: ANN001
    who = names("admin")
    path = tmp_path / "seed.db"
    assert hemalog(tmp_path, "--db", str(path), "demo").returncode == 0
    with SqliteStore(path, user="setup") as store:
        store.accounts.create(who["admin"], PASSWORD, Role.ADMIN)
    result = hemalog(tmp_path, "--db", str(path), "--user", who["admin"], "--password-file",
                     str(password_file(tmp_path)), "migrate", "--to", pg_url)
    assert result.returncode == 0, result.stderr
    assert "new password" not in result.stdout
    assert server_exports(pg_url, who["admin"]) == file_exports(path, who["admin"])
    assert audit_rows(pg_url) == audit_rows(path)
    # a second migration into the same database is refused, nothing changed
    again = hemalog(tmp_path, "--db", str(path), "--user", who["admin"], "--password-file",
                    str(password_file(tmp_path)), "migrate", "--to", pg_url)
    assert "already holds hemalog's tables" in one_line_error(again)
    assert audit_rows(pg_url) == audit_rows(path)
    # another database of the same server: the accounts' logins exist already (roles are
    # per server), refused before anything is made
    with pg_server.database() as other:
        taken = hemalog(tmp_path, "--db", str(path), "--user", who["admin"], "--password-file",
                        str(password_file(tmp_path)), "migrate", "--to", other)
        assert "already roles on this server" in one_line_error(taken)
        with psycopg.connect(other) as conn:
            assert conn.execute("SELECT to_regclass('public.audit')").fetchone()[0] is None


def test_migrate_refuses_a_file_without_accounts_and_a_wrong_password(tmp_path: Path,
                                                                      pg_url: str) -> None:
    path = tmp_path / "open.db"
    assert hemalog(tmp_path, "--db", str(path), "demo").returncode == 0
    who = names("admin")
    result = hemalog(tmp_path, "--db", str(path), "--user", who["admin"], "--password-file",
                     str(password_file(tmp_path)), "migrate", "--to", pg_url)
    assert "no staff accounts" in one_line_error(result)
    with SqliteStore(path, user="setup") as store:
        store.accounts.create(who["admin"], PASSWORD, Role.ADMIN)
    wrong = hemalog(tmp_path, "--db", str(path), "--user", who["admin"], "--password-file",
                    str(password_file(tmp_path, "not the password")), "migrate", "--to", pg_url)
    one_line_error(wrong)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('public.audit')").fetchone()[0] is None


# --- backup and restore ------------------------------------------------------------------
def test_backup_from_a_server_and_restore_it_into_a_fresh_one(tmp_path: Path, pg_url: str,
                                                             pg_server) -> None:  # noqa: ANN001
    who = names("admin", "nurse", "physician")
    path = ward_file(tmp_path, who, patients=5)
    pw = password_file(tmp_path)
    assert hemalog(tmp_path, "--db", str(path), "--user", who["admin"], "--password-file",
                   str(pw), "migrate", "--to", pg_url).returncode == 0
    # a change made on the server, then the backup
    record = tmp_path / "rec.json"
    record.write_text('{"format": "hemalog.record", "version": 1, "patient": {"mrn": "SRV-2", '
                      '"name": "After Migration", "sex": "male", "diagnosis": "MDS"}}',
                      encoding="utf-8")
    assert hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "import",
                   str(record)).returncode == 0
    out = tmp_path / "server-backup.db"
    backup = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "backup", "-o", str(out))
    assert backup.returncode == 0, backup.stderr
    assert "(verified)" in backup.stdout
    assert verify_database(out).ok
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert not list(tmp_path.glob(".*.partial*"))
    on_server = server_exports(pg_url, who["admin"])
    assert len(on_server) == 7
    assert file_exports(out, who["admin"]) == on_server
    assert audit_rows(out) == audit_rows(pg_url)
    assert "never writes an output over a database" in one_line_error(
        hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "backup", "-o", str(out)))
    # restore into the same, non-empty server database: refused, nothing changed
    refused = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "restore", str(out))
    assert "already holds hemalog's tables" in one_line_error(refused)
    # the server database is lost (and with it, here, its logins: roles are per cluster,
    # and a restore makes each account's login again); restore into a new, empty one
    with pg_server.admin() as conn:
        conn.execute(f'DROP DATABASE "{pg_url.rsplit("/", 1)[1]}" WITH (FORCE)')
        for name in who.values():
            conn.execute(f'DROP ROLE "{name}"')
    with pg_server.database() as fresh:
        restored = hemalog(tmp_path, *as_admin(fresh, who["admin"], pw), "restore", str(out))
        assert restored.returncode == 0, restored.stderr
        assert who["nurse"] in restored.stdout
        listed = hemalog(tmp_path, *as_admin(fresh, who["admin"], pw), "list")
        assert listed.returncode == 0, listed.stderr
        assert len(listed.stdout.splitlines()) == 7
        assert server_exports(fresh, who["admin"]) == on_server
        assert audit_rows(fresh) == audit_rows(out)
        verified = hemalog(tmp_path, *as_admin(fresh, who["admin"], pw), "verify")
        assert verified.returncode == 0, verified.stderr
    assert verify_database(out).ok   # the backup was only read


# --- bad targets ------------------------------------------------------------------------------
def test_a_password_in_the_url_is_refused(tmp_path: Path, pg_server) -> None:  # noqa: ANN001
    url = pg_server.url("postgres", user="someone", password="s3cret-pw")
    for argv in (["--db", url, "--user", "a", "list"], ["server", "init", url, "--admin", "a"]):
        err = one_line_error(hemalog(tmp_path, *argv))
        assert "holds a password" in err
        assert "s3cret-pw" not in err


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    from tests.pgserver import free_port

    url = f"postgresql://nobody@127.0.0.1:{free_port()}/hemalog"
    pw = str(password_file(tmp_path))
    for argv in (["--db", url, "--user", "ada", "--password-file", pw, "list"],
                 ["server", "init", url, "--admin", "ada", "--password-file", pw],
                 ["--db", url, "--user", "ada", "--password-file", pw, "backup", "-o",
                  str(tmp_path / "b.db")]):
        result = hemalog(tmp_path, *argv)
        err = one_line_error(result)
        assert "cannot reach the database server" in err, err
        assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "b.db").exists()


def test_verify_on_a_server_names_a_row_changed_behind_hemalog(tmp_path: Path,
                                                               pg_url: str) -> None:
    who = names("admin", "nurse")
    init(tmp_path, pg_url, who["admin"])
    pw = password_file(tmp_path)
    assert hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "demo").returncode == 0
    with psycopg.connect(pg_url) as conn:   # the superuser, behind hemalog's back
        conn.execute("ALTER TABLE patients DISABLE TRIGGER USER")
        conn.execute("UPDATE patients SET name = 'Someone Else'")
    err = one_line_error(hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "verify"))
    assert "name is \"Someone Else\" in the table" in err
    assert "the trigger hemalog_audited_update on patients is disabled" in err
    # on a server only an administrator may verify (the others cannot read every row)
    store = open_store(pg_url, user=who["admin"])
    store.sign_in(store.accounts.sign_in(who["admin"], PASSWORD))
    store.accounts.create(who["nurse"], PASSWORD, Role.NURSE)
    store.close()
    err = one_line_error(hemalog(tmp_path, *as_admin(pg_url, who["nurse"], pw), "verify"))
    assert "only an administrator" in err


# --- a server that checks passwords: PGPASSFILE ---------------------------------------------
OWNER_PASSWORD = "owner secret 1"


@pytest.fixture(scope="module")
def guarded_server():  # noqa: ANN201 - tests.pgserver.Cluster
    """A second cluster whose TCP connections need a password (scram-sha-256)."""
    from tests.pgserver import Cluster, PgServerUnavailable, unavailable

    try:
        cluster = Cluster(password=OWNER_PASSWORD).start()
    except PgServerUnavailable as exc:
        unavailable(exc)
    try:
        yield cluster
    finally:
        cluster.close()


def test_passwords_from_pgpassfile(tmp_path: Path, guarded_server) -> None:  # noqa: ANN001
    who = names("admin")
    url = guarded_server.url(guarded_server.create_database())
    pgpass = tmp_path / "pgpass"
    owner_line = f"127.0.0.1:{guarded_server.port}:*:{guarded_server.user}:{OWNER_PASSWORD}\n"
    pgpass.write_text(owner_line, encoding="utf-8")
    os.chmod(pgpass, 0o600)
    # no password for the owner anywhere, and no terminal to ask at: one line, nothing made
    bare = hemalog(tmp_path, "server", "init", url, "--admin", who["admin"],
                   "--password-file", str(password_file(tmp_path)))
    assert "no password supplied" in one_line_error(bare)
    made = hemalog(tmp_path, "server", "init", url, "--admin", who["admin"],
                   "--password-file", str(password_file(tmp_path)), pgpass=pgpass)
    assert made.returncode == 0, made.stderr
    # the admin's password is not in the file yet: the hint names --password-file
    missing = hemalog(tmp_path, "--db", url, "--user", who["admin"], "list", pgpass=pgpass)
    assert "--password-file" in one_line_error(missing)
    pgpass.write_text(owner_line + f"127.0.0.1:{guarded_server.port}:*:{who['admin']}:"
                      f"{PASSWORD}\n", encoding="utf-8")
    demo = hemalog(tmp_path, "--db", url, "--user", who["admin"], "demo", pgpass=pgpass)
    assert demo.returncode == 0, demo.stderr
    listed = hemalog(tmp_path, "--db", url, "--user", who["admin"], "list", pgpass=pgpass)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith(DEMO_MRN)
    # a wrong password in the file is refused by the server
    pgpass.write_text(owner_line + f"127.0.0.1:{guarded_server.port}:*:{who['admin']}:"
                      "wrong password 2\n", encoding="utf-8")
    one_line_error(hemalog(tmp_path, "--db", url, "--user", who["admin"], "list",
                           pgpass=pgpass))


# --- issue 19: a server made by an older hemalog ---------------------------------------------
def test_a_schema_4_server_is_refused_until_its_owner_upgrades_it(
        tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older hemalog's server database (schema 4: audit rows without ``software``)
    is refused at sign-in with what to do; `server upgrade` brings it up to date in one
    transaction, the old audit rows still chain, and new rows name their software."""
    import storage.audit
    from clinical.version import software_stamp
    from resources import DEMO_RECORD
    from storage.migrations import SCHEMA_VERSION
    from storage.record_files import import_files
    from storage.server_admin import init_server, open_owner

    who = names("admin")
    # as hemalog 0.1.0 left it: its rows written without ``software`` (NULL: hashed as
    # they were then), then the column gone and the schema version 4
    monkeypatch.setattr(storage.audit, "software_stamp", lambda: None)
    with open_owner(pg_url, user=who["admin"]) as owner:
        init_server(owner, who["admin"], PASSWORD)
    store = open_store(pg_url, user=who["admin"])
    try:
        store.sign_in(store.accounts.sign_in(who["admin"], PASSWORD))
        import_files(store, [DEMO_RECORD])
    finally:
        store.close()
    monkeypatch.undo()
    with psycopg.connect(pg_url) as conn:
        conn.execute("ALTER TABLE audit DROP COLUMN software")
        conn.execute("UPDATE schema_version SET version = 4")
    pw = password_file(tmp_path)
    before = audit_rows(pg_url)
    refused = one_line_error(hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "list"))
    assert "schema 4" in refused and "hemalog server upgrade" in refused
    upgraded = hemalog(tmp_path, "server", "upgrade", pg_url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"from version 4 to {SCHEMA_VERSION}" in upgraded.stdout
    again = hemalog(tmp_path, "server", "upgrade", pg_url)
    assert again.returncode == 0 and "nothing was changed" in again.stdout
    assert audit_rows(pg_url) == before          # the old rows exactly as they were
    listed = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "list")
    assert listed.returncode == 0 and DEMO_MRN in listed.stdout
    store = open_store(pg_url, user=who["admin"])
    try:
        store.sign_in(store.accounts.sign_in(who["admin"], PASSWORD))
        patient = store.patients.get_by_mrn(DEMO_MRN)
        store.patients.update(dataclasses.replace(patient, notes="after the upgrade"),
                              "issue 19")
        entries = store.audit.entries()
    finally:
        store.close()
    assert {e.software for e in entries[:len(before)]} == {None}
    assert entries[-1].software == software_stamp()
    result = hemalog(tmp_path, *as_admin(pg_url, who["admin"], pw), "verify")
    assert result.returncode == 0, result.stdout + result.stderr


def test_upgrade_refuses_a_database_without_the_schema(tmp_path: Path, pg_url: str) -> None:
    result = hemalog(tmp_path, "server", "upgrade", pg_url)
    assert "hemalog server init" in one_line_error(result)


def test_a_database_without_the_schema_is_named_not_a_raw_sql_error(tmp_path: Path,
                                                                    pg_url: str) -> None:
    login = psycopg.conninfo.conninfo_to_dict(pg_url)["user"]
    pw = password_file(tmp_path)
    for command in (["list"], ["verify"], ["export", "NOSUCH"]):
        result = hemalog(tmp_path, "--db", pg_url, "--user", login, "--password-file", str(pw),
                         *command)
        error = one_line_error(result)
        assert "has no hemalog tables" in error and "hemalog server init" in error, error
        assert "relation" not in error and "schema_version" not in error, error
    with psycopg.connect(pg_url) as conn:   # and nothing was made there
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                            ).fetchone() == (0,)
