"""Which database a command works on, and signing in to it from the command line:
--db / HEMALOG_DB / the data folder, the start-up check before a write, the password
from --password-file or typed without echo, and the administrator's commands' check."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli import words as _words
from clinical.errors import HemalogError
from reports.vocabulary import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from storage.contract import Store


def store_for(args: argparse.Namespace, *, reading: bool = False) -> Store:
    """The store named by --db / HEMALOG_DB (storage.open_store).

    Commands that only read open it read-only: they never migrate or change the
    file, and work from a read-only folder or medium. Commands that write first
    run the app's start-up check, so nothing is written into a damaged file.
    On a database with staff accounts the store comes signed in (``sign_in``).
    """
    from storage import open_store
    from storage.backup import refuse_interrupted_restore
    from storage.locations import current_user

    target = database_target(args)
    if not isinstance(target, str):   # a file (a server has none to check: it is connected at sign-in)
        refuse_interrupted_restore(target)   # never a new empty database where a restore crashed
        if not reading:
            refuse_damaged(target)
    store = open_store(target, user=current_user(args.user), read_only=reading)
    try:
        sign_in(store, args)
    except BaseException:
        store.close()
        raise
    return store


NO_ACCOUNTS_NOTE = QT_TRANSLATE_NOOP("Command line", "hemalog: note: this database has no staff accounts yet; create the administrator in the app")


PASSWORD_FILE_LIMIT = 4096


def sign_in(store: Store, args: argparse.Namespace) -> None:
    """On a database with staff accounts: sign in as --user (or HEMALOG_USER) with that
    person's password, so the rules of its role apply and the audit names the account.
    Before any account exists: a note on stderr, and everything works as before."""
    if not store.has_accounts:
        print(_words().translate("Command line", NO_ACCOUNTS_NOTE), file=sys.stderr)
        return
    name = args.user or os.environ.get("HEMALOG_USER")
    if not name:
        raise HemalogError(_words().translate("Command line", "this database has staff accounts: give --user NAME (and the password)"))
    from storage import is_server_url, sign_in_counted
    from storage.sql import SqlError

    server = is_server_url(store.location)
    password = password_for(args, name, server=server)
    # Counted and audited even through a read-only command: else guessing through
    # `list` would never make a name wait. Refused: SignInRefused, exit 1.
    try:
        user = sign_in_counted(store, name, password)  # type: ignore[arg-type]
    except SqlError as exc:
        from storage.server_admin import needs_password

        if password is None and needs_password(exc):
            # PGPASSFILE / ~/.pgpass holds nothing for this server and login
            if not sys.stdin.isatty():
                raise HemalogError([*exc.lines, _words().translate("Command line", "no password for {name} in PGPASSFILE or ~/.pgpass: give --password-file FILE").format(name=name)]) from None
            user = sign_in_counted(store, name, password_for(args, name))
        else:
            raise
    store.sign_in(user)


def no_terminal(name: str) -> HemalogError:
    """A password is needed and cannot be asked for: what to do instead."""
    words = _words()
    return HemalogError([
        words.translate("Command line", "no password for {name}: this is not a terminal, so it cannot be asked for").format(name=name),
        words.translate("Command line", "for automation give --password-file FILE: the password on its first line, a file only you can read (chmod 600 FILE)")])


def pgpass_available() -> bool:
    """libpq will look for a password itself: PGPASSFILE is set or ~/.pgpass exists."""
    if os.environ.get("PGPASSFILE"):
        return True
    return (Path.home() / ".pgpass").is_file()


def password_for(args: argparse.Namespace, name: str, *, server: bool = False) -> str | None:
    """From --password-file, else typed at the terminal without echo. On a server
    (``server``) without --password-file, None when libpq has a password file to look in
    (PGPASSFILE, ~/.pgpass): the server checks what libpq finds there."""
    import getpass

    words = _words()
    if args.password_file is not None:
        return read_password_file(Path(args.password_file))
    if server and pgpass_available():
        return None
    if not sys.stdin.isatty():
        raise no_terminal(name)
    try:
        return getpass.getpass(words.translate("Command line", "password for {name}: ").format(
            name=name))
    except EOFError:
        raise HemalogError(words.translate("Command line", "no password for {name}: nothing was typed").format(name=name)) from None


def read_password_file(path: Path) -> str:
    """The first line of ``path``: a regular file that only its owner may read or write
    (mode 0600 or stricter, checked on the bits themselves: root ignores them)."""
    import stat

    words = _words()
    try:  # opened first, then checked: the file checked is the file read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise HemalogError(words.translate("Command line", "{path}: the password file cannot be read: {error}").format(
            path=path, error=exc.strerror or exc)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise HemalogError(words.translate("Command line", "{path}: refused: the password file must be a regular file").format(path=path))
    with os.fdopen(fd, "rb") as f:
        # Windows has no such bits (every file reads as 0666): its folder's ACL protects it.
        if os.name != "nt" and stat.S_IMODE(mode) & ~0o600:
            raise HemalogError(words.translate("Command line", "{path}: refused: the password file's mode is {mode}, it must be 0600 or stricter (only you may read it): chmod 600 {path}").format(
                path=path, mode=f"{stat.S_IMODE(mode):04o}"))
        data = f.read(PASSWORD_FILE_LIMIT + 1)
    if len(data) > PASSWORD_FILE_LIMIT:
        raise HemalogError(words.translate("Command line", "{path}: refused: too long for a password file (over {limit} bytes)").format(
            path=path, limit=PASSWORD_FILE_LIMIT))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise HemalogError(words.translate("Command line", "{path}: refused: the password file is not UTF-8 text").format(path=path)) from None
    first = text.split("\n", 1)[0].removesuffix("\r")
    if not first:
        raise HemalogError(words.translate("Command line", "{path}: refused: the first line of the password file is empty").format(path=path))
    return first


def refuse_damaged(path: Path) -> None:
    """Raise, naming the newest good backup, when an existing database fails the quick check
    or, for a ward-sized file, the page check (storage.integrity.page_problems)."""
    from storage.backup import backup_folder, newest_good_backup
    from storage.integrity import page_problems, quick_check

    if not path.exists():
        return  # a new database is made
    result = quick_check(path)
    if not result.ok:
        problems = result.lines()
    else:
        try:
            problems = page_problems(path)
        except OSError as exc:
            problems = [_words().translate("Command line", "{path}: cannot read: {error}").format(
                path=path, error=exc.strerror or exc)]
    if not problems:
        return
    backup = newest_good_backup(path)
    words = _words()
    offer = (words.translate("Command line", "the newest backup that passes verification is {backup}; restore it with: hemalog --db {path} restore {backup}").format(
                 backup=backup, path=path) if backup else
             words.translate("Command line", "no backup that passes verification was found in {folder}").format(
                 folder=backup_folder(path)))
    raise HemalogError([words.translate("Command line", "{path}: the database fails its check, so nothing was written:").format(path=path),
                        *problems[:5], offer])


def administrator(args: argparse.Namespace, path: Path, action: str, *,
                   backup: Path | None = None) -> str:
    """Sign in for a backup or restore and require an administrator; returns the name the
    audit records. A database that passes its check is opened for writing, so a failed
    sign-in is audited; a damaged one read-only; a restore over a file that cannot be
    opened at all signs in on the backup that replaces it."""
    from clinical.accounts import check
    from storage import open_store
    from storage.integrity import quick_check
    from storage.locations import current_user

    user = current_user(args.user)
    if quick_check(path).ok:
        store = open_store(path, user=user)
    else:
        try:
            store = open_store(path, user=user, read_only=True)
        except HemalogError:
            if backup is None:
                raise
            store = open_store(backup, user=user, read_only=True)
    with store:
        sign_in(store, args)
        check(store.role, action, "database")
        return store.user


def database_target(args: argparse.Namespace) -> str | Path:
    """What --db (else HEMALOG_DB, else the data folder) names: a server URL (checked by
    storage.pg_store.check_url: a password in it is refused) or a database file."""
    from storage import is_server_url

    given, named = (args.db, "--db") if args.db else (os.environ.get("HEMALOG_DB"), "HEMALOG_DB")
    if given and is_server_url(given):
        from storage.pg_store import check_url

        return check_url(str(given), named=named)
    return database_path(args)


def database_file_or_none(args: argparse.Namespace) -> Path | None:
    """The database file, for the checks only a file needs (an output must not overwrite
    it); None on a server."""
    target = database_target(args)
    return None if isinstance(target, str) else target


def database_path(args: argparse.Namespace) -> Path:
    """The database file --db (else HEMALOG_DB, else the data folder) names; a server
    URL is refused here, before anything is checked, written or opened."""
    from storage.locations import database_file, default_database

    return database_file(args.db) if args.db else default_database()
