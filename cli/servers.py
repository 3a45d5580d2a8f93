"""The PostgreSQL server commands (issue 16): `server init` and `server upgrade` as the
database's owner, `migrate` of a file into an empty server database, and `restore`,
`verify` and `backup` when --db names a server."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import lang
from cli import EXIT_OK, access
from cli import words as _words
from clinical.errors import HemalogError


def ask_owner_password(url: str):  # noqa: ANN202 - Callable[[], str | None]
    """For storage.server_admin.open_owner: the owner's password typed at a terminal,
    when libpq found none (PGPASSFILE, ~/.pgpass); None when this is not a terminal."""
    import getpass

    def ask() -> str | None:
        if not sys.stdin.isatty():
            return None
        from psycopg.conninfo import conninfo_to_dict

        login = conninfo_to_dict(url).get("user") or os.environ.get("PGUSER") or "?"
        try:
            return getpass.getpass(_words().translate("Command line", "password of the server login {login} (the database's owner): ").format(login=login))
        except EOFError:
            return None

    return ask


def owner_store(url: str, name: str):  # noqa: ANN202 - PostgresStore
    from storage.server_admin import open_owner

    return open_owner(url, user=name, ask_password=ask_owner_password(url))


def new_password(args: argparse.Namespace, name: str) -> str:
    """The first administrator's new password: --password-file, else typed twice."""
    import getpass

    words = _words()
    if args.password_file is not None:
        return access.read_password_file(Path(args.password_file))
    if not sys.stdin.isatty():
        raise access.no_terminal(name)
    try:
        first = getpass.getpass(words.translate("Command line", "new password for {name}: ").format(name=name))
        again = getpass.getpass(words.translate("Command line", "the same password again: "))
    except EOFError:
        raise HemalogError(words.translate("Command line", "no password for {name}: nothing was typed").format(name=name)) from None
    if first != again:
        raise HemalogError(words.translate("Command line", "the two passwords differ; nothing was changed"))
    return first


def acting_name(args: argparse.Namespace) -> str:
    name = args.user or os.environ.get("HEMALOG_USER")
    if not name:
        raise HemalogError(_words().translate("Command line", "give --user NAME: the administrator account (and its password) that moves the database"))
    return name


def cmd_server(args: argparse.Namespace) -> int:
    """`hemalog server init URL --admin NAME`: the schema and the first administrator;
    `hemalog server upgrade URL`: an older hemalog's schema brought up to date."""
    from storage.pg_store import check_url
    from storage.server_admin import init_server

    words = _words()
    url = check_url(args.url, named="URL")
    if args.server_command == "upgrade":
        return upgrade_server(url)
    password = new_password(args, args.admin)
    with owner_store(url, args.admin) as owner:
        init_server(owner, args.admin, password, args.display_name)
        where = owner.location
    print(words.translate("Command line", "created the hemalog schema in {server} and its first administrator {name} (a login in hemalog_admin)").format(
        server=where, name=args.admin))
    print(words.translate("Command line", "next: sign in with hemalog --db {server} --user {name} list, or open the app with --db {server}; add the staff accounts in File ▸ Users…").format(
        server=where, name=args.admin))
    return EXIT_OK


def upgrade_server(url: str) -> int:
    from storage.migrations import SCHEMA_VERSION
    from storage.pg_schema import upgrade_schema

    words = _words()
    with owner_store(url, "hemalog-upgrade") as owner:
        before = owner.sql.call(upgrade_schema)
        where = owner.location
    message = (words.translate("Command line", "{server}: the hemalog schema is already version {version}; nothing was changed") if before == SCHEMA_VERSION
               else words.translate("Command line", "{server}: hemalog schema upgraded from version {before} to {version}"))
    print(message.format(server=where, before=before, version=SCHEMA_VERSION))
    return EXIT_OK


def copy_into_server(file: Path, url: str, name: str, password: str, *,
                      what: str) -> int:
    """Migrate or restore: the file ``file`` staged (a verified private copy), signed in
    there as the administrator ``name``, copied into the empty server database ``url``."""
    from clinical.accounts import Role
    from storage import open_store
    from storage.server_admin import copy_file_to_server, server_is_empty, staged_copy

    words = _words()
    with owner_store(url, name) as owner:
        if not server_is_empty(owner):
            raise HemalogError([words.translate("Command line", "{server}: refused: the database already holds hemalog's tables; {what} fills an empty database only, and nothing was changed").format(
                server=owner.location, what=what),
                words.translate("Command line", "create a new, empty database on the server (createdb) and give its URL")])
        with staged_copy(file) as staged, open_store(staged, user=name) as source:
            if not source.has_accounts:
                raise HemalogError(words.translate("Command line", "{file}: refused: it has no staff accounts, and a server database needs them; create the administrator in the app first, then try again").format(file=file))
            user = source.accounts.sign_in(name, password)
            if user.role is not Role.ADMIN:
                raise HemalogError(words.translate("Command line", "{name} is not an administrator: only an administrator may move a database to a server").format(name=name))
            source.sign_in(user)
            report = copy_file_to_server(source, owner, name, password)
        where = owner.location
    counts = ", ".join(f"{table} {n}" for table, n in report.rows.items())
    print(words.translate("Command line", "copied {file} into {server}: {counts}").format(
        file=file, server=where, counts=counts))
    print(words.translate("Command line", "checked on the server before committing: audit chain of {audit} rows intact; all {rows} data rows match their audit trail; the exports of all {patients} patients are byte-identical").format(
        audit=report.audit_rows_checked, rows=report.data_rows_checked,
        patients=report.patients_compared))
    print(words.translate("Command line", "{name} signs in with the password given").format(name=name))
    if report.need_password:
        print(words.translate("Command line", "these accounts cannot sign in until an administrator gives them a new password (File ▸ Users…): {names}").format(
            names=", ".join(report.need_password)))
    if report.disabled:
        print(words.translate("Command line", "disabled accounts (their logins are refused too): {names}").format(
            names=", ".join(report.disabled)))
    print(words.translate("Command line", "next: hemalog --db {server} --user {name} list").format(
        server=where, name=name))
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    """`hemalog --db FILE migrate --to URL --user ADMIN`: the file into an empty server
    database. The administrator's password is checked by the file's normal sign-in."""
    from clinical.accounts import Role
    from storage import open_store
    from storage.backup import refuse_interrupted_restore
    from storage.pg_store import check_url

    words = _words()
    url = check_url(args.to, named="--to")
    if isinstance(access.database_target(args), str):
        raise HemalogError(words.translate("Command line", "migrate copies a database file into a server: --db must name the file, --to the server"))
    path = access.database_path(args)
    if not path.is_file():
        raise HemalogError(words.translate("Command line", "{path}: no such database file; nothing to migrate").format(path=path))
    refuse_interrupted_restore(path)
    access.refuse_damaged(path)
    name = acting_name(args)
    with open_store(path, user=name) as store:
        if not store.has_accounts:
            raise HemalogError(words.translate("Command line", "{file}: refused: it has no staff accounts, and a server database needs them; create the administrator in the app first, then try again").format(file=path))
        from storage import sign_in_counted

        password = access.password_for(args, name)
        assert password is not None
        user = sign_in_counted(store, name, password)
        if user.role is not Role.ADMIN:
            raise HemalogError(words.translate("Command line", "{name} is not an administrator: only an administrator may move a database to a server").format(name=name))
    return copy_into_server(path, url, name, password, what="migrate")


def restore_into_server(args: argparse.Namespace, url: str) -> int:
    """`hemalog --db URL restore FILE`: a verified backup into an EMPTY server database
    (the same copy as migrate); a server already in use is refused."""
    name = acting_name(args)
    password = access.password_for(args, name)
    assert password is not None
    return copy_into_server(Path(args.file), url, name, password, what="restore")


def admin_store(args: argparse.Namespace, url: str, action: str | None):  # noqa: ANN202
    """The server store, signed in, refused unless the account is an administrator
    (``action``: the clinical.accounts rule that says so; None: verify's own line)."""
    from clinical.accounts import Role, check
    from storage import open_store
    from storage.locations import current_user

    store = open_store(url, user=current_user(args.user))
    try:
        access.sign_in(store, args)
        if action is not None:
            check(store.role, action, "database")
        elif store.role is not Role.ADMIN:
            raise HemalogError(_words().translate("Command line", "on a server, verify reads every account's row, which only an administrator may: sign in as an administrator"))
    except BaseException:
        store.close()
        raise
    return store


def verify_server(args: argparse.Namespace, url: str) -> int:
    from storage.integrity import verify_server

    with admin_store(args, url, None) as store:
        result = verify_server(store.sql, store.location)
        where = store.location
    if not result.ok:
        raise HemalogError(result.lines())
    print(f"{where}: " + lang.render(result.lines()[0], lang.choose()))
    return EXIT_OK


def backup_server(args: argparse.Namespace, url: str) -> int:
    from storage.server_admin import backup_server

    with admin_store(args, url, "backup") as store:
        backup_server(store, args.output)
    print(_words().translate("Command line", "backup written to {file} (verified)").format(
        file=args.output))
    return EXIT_OK
