"""hemalog: the entry point. With no command it opens the ward app.

The command line is documented in docs/command-line.md and the record files in
docs/record-format.md (tests run every example they show). Bad input exits 1
with one clear line per problem; an unexpected error exits 2 and names the log
file that holds the traceback.

Messages for people (errors, notes, "wrote FILE") are in the language
HEMALOG_LANG names (zh_CN or en), else the system locale's; what other programs
read (the exported record, `list`) stays English. `report --lang` chooses the
summary's language.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import lang
from clinical.accounts import name_problems
from clinical.errors import HemalogError
from clinical.plain_text import printable, undecodable_problem
from clinical.version import app_version
from reports.vocabulary import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from clinical.record import Patient
    from storage.contract import Store

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2

log = logging.getLogger("hemalog")


def _words() -> lang.Words:
    """Words in the language of this command's messages (HEMALOG_LANG, else the locale)."""
    return lang.Words(lang.choose())


class _Parser(argparse.ArgumentParser):
    """argparse that treats a bad command line as bad input (exit 1), not a crash."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise HemalogError(_words().translate("Command line", "command line: {message}").format(
            message=message))


def _language(value: str) -> str:
    """--lang: "en" or "zh_CN" (also "zh", "zh-CN", "en_GB"...)."""
    found = lang.normalise(value)
    if found is None:
        raise argparse.ArgumentTypeError(_words().translate(
            "Command line", "unknown language {value!r}: use en or zh_CN").format(value=value))
    return found


def _add_globals(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", metavar="PATH", default=default,
                        help="database file, or a postgresql://LOGIN@HOST/DB server URL "
                             "without a password (default: $HEMALOG_DB or your data folder)")
    parser.add_argument("--user", metavar="NAME", default=default,
                        help="who is acting, for the audit trail (default: $HEMALOG_USER); "
                             "on a database with staff accounts, your account's user name")
    parser.add_argument("--password-file", metavar="FILE", type=Path, default=default,
                        help="for automation: the password is the first line of FILE, which "
                             "only you may read (chmod 600 FILE); else it is asked for")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hemalog", description="Clinical event logger for haematology wards.")
    parser.add_argument("--version", action="version", version=f"hemalog {app_version()}",
                        help="print hemalog's version and exit")
    _add_globals(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _add_globals(p, suppress=True)
        return p

    p = command("import", "add patients from record files (all or nothing)")
    p.add_argument("files", nargs="+", metavar="FILE", type=Path)
    p = command("export", "write a patient's record as JSON (stdout by default), as a FHIR "
                          "R4 Bundle (--format fhir), or every patient as research CSV "
                          "files (--all --format csv -o DIR)")
    p.add_argument("mrn", metavar="MRN", nargs="?", default=None)
    p.add_argument("-o", "--output", metavar="FILE", type=Path)
    p.add_argument("--format", choices=("json", "fhir", "csv"), default="json",
                   help="json: hemalog's record format (default); fhir: a FHIR R4 Bundle; "
                        "csv: one CSV per kind of data with a REDCap data dictionary "
                        "(with --all, -o a folder)")
    p.add_argument("--all", action="store_true", help="every patient (research CSV export)")
    p.add_argument("--deidentified", action="store_true",
                   help="no name, MRN or date of birth (FHIR and CSV); patients by a "
                        "pseudonymous key")
    p = command("plot", "draw the trend plots of a patient as a PNG image")
    p.add_argument("mrn", metavar="MRN")
    p.add_argument("-o", "--output", metavar="FILE.png", type=Path, required=True)
    p.add_argument("--anchor", choices=("cart", "hsct", "date"), default="date",
                   help="x axis: days from CAR-T, days from HSCT, or calendar dates")
    p.add_argument("--lang", metavar="LANG", type=_language, default=None,
                   help="language of the titles and labels: en or zh_CN (default: "
                        "$HEMALOG_LANG, else the system's)")
    p = command("report", "write a patient's printable summary as PDF")
    p.add_argument("mrn", metavar="MRN")
    p.add_argument("-o", "--output", metavar="FILE.pdf", type=Path, required=True)
    p.add_argument("--deidentified", action="store_true",
                   help="initials instead of the name, no MRN, day numbers instead of dates")
    p.add_argument("--lang", metavar="LANG", type=_language, default=None,
                   help="language of the summary: en or zh_CN (default: $HEMALOG_LANG, "
                        "else the system's)")
    command("list", "one line per patient")
    command("verify", "integrity check and audit-chain check")
    p = command("backup", "online backup of the database into a new file")
    p.add_argument("-o", "--output", metavar="FILE", type=Path, required=True)
    p = command("restore", "replace the database with a verified backup")
    p.add_argument("file", metavar="FILE", type=Path)
    command("demo", "load the demo patient (the published case)")
    p = command("migrate", "copy the database file (--db) into an empty database on a "
                           "PostgreSQL server, exactly, with a login per account")
    p.add_argument("--to", metavar="URL", required=True,
                   help="postgresql://OWNER@HOST/DB: the server database (empty), reached "
                        "as its owner; no password in the URL (PGPASSFILE, ~/.pgpass or "
                        "asked for)")
    p = command("labs", "lab results from the laboratory system (CSV, XLSX, HL7 v2)")
    labs = p.add_subparsers(dest="labs_command", metavar="ACTION", parser_class=_Parser,
                            required=True)
    text = "preview and import a file of lab results for one patient (all or nothing)"
    p = labs.add_parser("import", help=text, description=text)
    _add_globals(p, suppress=True)
    p.add_argument("mrn", metavar="MRN")
    p.add_argument("file", metavar="FILE", type=Path)
    _add_lab_options(p)
    p.add_argument("--dry-run", action="store_true", help="show what would happen, save nothing")
    p.add_argument("--save-mapping", metavar="NAME", default=None,
                   help="save the columns as read (a table) under NAME for --mapping NAME")
    text = ("import every new file in a drop folder once: each moves to done/ or to "
            "refused/ with NAME.reason.txt beside it")
    p = labs.add_parser("import-folder", help=text, description=text)
    _add_globals(p, suppress=True)
    p.add_argument("folder", metavar="DIR", type=Path)
    _add_lab_options(p)
    p.add_argument("--min-age", metavar="SECONDS", type=float, default=5.0,
                   help="leave files changed less than SECONDS ago for the next run (the "
                        "lab system may still be writing them; default 5)")
    p = command("registry", "one CSV row per CAR-T infusion and per HSCT of every patient, "
                            "for registry reporting (columns: README, Registry export)")
    p.add_argument("-o", "--output", metavar="FILE.csv", type=Path, required=True)
    p.add_argument("--from", dest="start", metavar="DATE", type=_iso_date, default=None,
                   help="only infusions and transplants on or after DATE (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", metavar="DATE", type=_iso_date, default=None,
                   help="only those on or before DATE (YYYY-MM-DD)")
    p = command("server", "set up a PostgreSQL server database for hemalog")
    server = p.add_subparsers(dest="server_command", metavar="ACTION", parser_class=_Parser,
                              required=True)
    p = server.add_parser("init", help="create the schema and the first administrator in an "
                                       "empty database",
                          description="create the schema and the first administrator in an "
                                      "empty database")
    _add_globals(p, suppress=True)
    p.add_argument("url", metavar="URL",
                   help="postgresql://OWNER@HOST/DB as the database's owner; no password in "
                        "the URL (PGPASSFILE, ~/.pgpass or asked for)")
    p.add_argument("--admin", metavar="NAME", required=True,
                   help="user name of the first administrator (their password: "
                        "--password-file, else asked for twice)")
    p.add_argument("--display-name", metavar="NAME", default=None)
    text = ("bring a server database made by an older hemalog up to this version's schema "
            "(all of it or nothing)")
    p = server.add_parser("upgrade", help=text, description=text)
    _add_globals(p, suppress=True)
    p.add_argument("url", metavar="URL",
                   help="postgresql://OWNER@HOST/DB as the database's owner; no password in "
                        "the URL (PGPASSFILE, ~/.pgpass or asked for)")
    return parser


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date written YYYY-MM-DD") from None


def cmd_registry(args: argparse.Namespace) -> int:
    from storage.registry_export import write_registry

    if args.start and args.end and args.start > args.end:
        raise HemalogError(f"--from {args.start} is after --to {args.end}")
    with _open_store(args, reading=True) as store:
        count = write_registry(store, args.output, database=_database_file_or_none(args),
                               start=args.start, end=args.end)
    print(f"wrote {count} registry row(s) to {printable(str(args.output))}")
    return EXIT_OK


def _add_lab_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mapping", metavar="NAME", default=None,
                   help="the columns of a table (CSV, XLSX) as saved under NAME, or a "
                        "mapping's JSON file (default: the columns the header names)")
    p.add_argument("--codes", metavar="FILE.csv", type=Path, default=None,
                   help="more test codes (code,system,test,unit,description) over the "
                        "shipped table and the ward's lab-codes.csv")


def cmd_labs(args: argparse.Namespace) -> int:
    from storage.lab_commands import run_import, run_import_folder

    def out(line: str) -> None:
        print(line, flush=True)

    with _open_store(args) as store:
        if args.labs_command == "import":
            run_import(store, args.mrn, args.file, mapping=args.mapping, codes=args.codes,
                       dry_run=args.dry_run, save_mapping=args.save_mapping, out=out)
            return EXIT_OK
        _done, refused = run_import_folder(store, args.folder, mapping=args.mapping,
                                           codes=args.codes, out=out, min_age=args.min_age)
    return EXIT_BAD_INPUT if refused else EXIT_OK


def _open_store(args: argparse.Namespace, *, reading: bool = False) -> Store:
    """The store named by --db / HEMALOG_DB (storage.open_store).

    Commands that only read open it read-only: they never migrate or change the
    file, and work from a read-only folder or medium. Commands that write first
    run the app's start-up check, so nothing is written into a damaged file.
    On a database with staff accounts the store comes signed in (``_sign_in``).
    """
    from storage import open_store
    from storage.backup import refuse_interrupted_restore
    from storage.locations import current_user

    target = _target(args)
    if isinstance(target, str):   # a server: no file to check; connected at sign-in
        store = open_store(target, user=current_user(args.user), read_only=reading)
        try:
            _sign_in(store, args)
        except BaseException:
            store.close()
            raise
        return store
    path = target
    refuse_interrupted_restore(path)   # never a new empty database where a restore crashed
    if not reading:
        _refuse_damaged(path)
    store = open_store(path, user=current_user(args.user), read_only=reading)
    try:
        _sign_in(store, args)
    except BaseException:
        store.close()
        raise
    return store


NO_ACCOUNTS_NOTE = QT_TRANSLATE_NOOP("Command line", "hemalog: note: this database has no staff accounts yet; create the administrator in the app")
PASSWORD_FILE_LIMIT = 4096


def _sign_in(store: Store, args: argparse.Namespace) -> None:
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
    password = _password(args, name, server=server)
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
            user = sign_in_counted(store, name, _password(args, name))
        else:
            raise
    store.sign_in(user)


def _no_terminal(name: str) -> HemalogError:
    """A password is needed and cannot be asked for: what to do instead."""
    words = _words()
    return HemalogError([
        words.translate("Command line", "no password for {name}: this is not a terminal, so it cannot be asked for").format(name=name),
        words.translate("Command line", "for automation give --password-file FILE: the password on its first line, a file only you can read (chmod 600 FILE)")])


def _pgpass_available() -> bool:
    """libpq will look for a password itself: PGPASSFILE is set or ~/.pgpass exists."""
    if os.environ.get("PGPASSFILE"):
        return True
    return (Path.home() / ".pgpass").is_file()


def _password(args: argparse.Namespace, name: str, *, server: bool = False) -> str | None:
    """From --password-file, else typed at the terminal without echo. On a server
    (``server``) without --password-file, None when libpq has a password file to look in
    (PGPASSFILE, ~/.pgpass): the server checks what libpq finds there."""
    import getpass

    words = _words()
    if args.password_file is not None:
        return _read_password_file(Path(args.password_file))
    if server and _pgpass_available():
        return None
    if not sys.stdin.isatty():
        raise _no_terminal(name)
    try:
        return getpass.getpass(words.translate("Command line", "password for {name}: ").format(
            name=name))
    except EOFError:
        raise HemalogError(words.translate("Command line", "no password for {name}: nothing was typed").format(name=name)) from None


def _read_password_file(path: Path) -> str:
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


def _refuse_damaged(path: Path) -> None:
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


def _summary_line(store: Store, patient: Patient, *, demo: bool = False) -> str:
    record = store.load_record(patient.id)
    words = _words()
    counts = {k: len(getattr(record, k)) for k in
              ("measurements", "courses", "events", "labs", "marrow", "assessments")}
    if words.is_english:
        parts = ", ".join(f"{n} {k}" for k, n in counts.items())
    else:
        parts = words.translate("Command line", "{measurements} measurements, {courses} courses, {events} events, {labs} labs, {marrow} marrow, {assessments} assessments").format(**counts)
    line = (words.translate("Command line", "loaded demo patient {mrn} ({name}): {parts}") if demo
            else words.translate("Command line", "imported {mrn} ({name}): {parts}"))
    return line.format(mrn=printable(patient.mrn), name=printable(patient.name), parts=parts)


def cmd_import(args: argparse.Namespace) -> int:
    from storage.backup import refuse_interrupted_restore
    from storage.record_files import import_records, read_import_files

    target = _target(args)
    if not isinstance(target, str):
        refuse_interrupted_restore(target)     # said first, as for every command
    records = read_import_files(args.files)   # a refused file opens (creates) no database
    with _open_store(args) as store:
        for patient in import_records(store, args.files, records):
            print(_summary_line(store, patient))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from storage.outputs import check_output
    from storage.record_files import export_text, write_text_atomically

    if args.all or args.format == "csv":
        return _export_research(args)
    if args.mrn is None:
        raise HemalogError("export: give the MRN of the patient to export (or --all "
                           "--format csv -o DIR for every patient)")
    if args.deidentified and args.format == "json":
        raise HemalogError("--deidentified: a record file is the whole record; use "
                           "--format fhir or --format csv for a de-identified export")
    if args.output:
        example = "bundle.json" if args.format == "fhir" else "record.json"
        check_output(args.output, _database_file_or_none(args), example=example)
    with _open_store(args, reading=True) as store:
        if args.format == "fhir":
            from storage.fhir_export import fhir_text
            text = fhir_text(store, args.mrn, deidentified=args.deidentified)
        else:
            text = export_text(store, args.mrn)
    if args.output:
        write_text_atomically(args.output, text)
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    return EXIT_OK


def _export_research(args: argparse.Namespace) -> int:
    from storage.research_export import write_research

    if not (args.all and args.format == "csv"):
        raise HemalogError("export: the research export is --all --format csv -o DIR")
    if args.mrn is not None:
        raise HemalogError("export --all: give no MRN (every patient is exported)")
    if args.output is None:
        raise HemalogError("export --all --format csv: give -o DIR, a new or empty folder")
    with _open_store(args, reading=True) as store:
        written = write_research(store, args.output, database=_database_file_or_none(args),
                                 deidentified=args.deidentified)
    for name, rows in written.items():
        print(f"{printable(name)}: {rows} row(s)")
    return EXIT_OK


def cmd_plot(args: argparse.Namespace) -> int:
    from storage.outputs import check_output

    out = check_output(args.output, _database_file_or_none(args), example="plots.png")
    with _open_store(args, reading=True) as store:
        patient = store.patients.get_by_mrn(args.mrn)
        record = store.load_record(patient.id)
    from gui.plots.render import render_png

    render_png(record, out, anchor=args.anchor, language=lang.choose(args.lang))
    print(_words().translate("Command line", "wrote {file}").format(file=out))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from reports.cli import write_report
    from storage.outputs import check_output

    check_output(args.output, _database_file_or_none(args), example="summary.pdf")
    with _open_store(args, reading=True) as store:
        out = write_report(store, args.mrn, args.output, deidentified=args.deidentified,
                           printed_by=store.user, language=lang.choose(args.lang))
    print(_words().translate("Command line", "wrote {file}").format(file=out))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from storage import open_store
    from storage.integrity import verify_database
    from storage.locations import current_user

    target = _target(args)
    if isinstance(target, str):
        return _verify_server(args, target)
    path = target
    try:
        store = open_store(path, user=current_user(args.user), read_only=True)
    except HemalogError:
        store = None  # it cannot even be opened: the check below says why
    if store is not None:
        with store:
            _sign_in(store, args)
    result = verify_database(path)
    if not result.ok:
        raise HemalogError(result.lines())
    print(f"{path}: " + lang.render(result.lines()[0], lang.choose()))
    return EXIT_OK


def _administrator(args: argparse.Namespace, path: Path, action: str, *,
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
        _sign_in(store, args)
        check(store.role, action, "database")
        return store.user


def _target(args: argparse.Namespace) -> str | Path:
    """What --db (else HEMALOG_DB, else the data folder) names: a server URL (checked by
    storage.pg_store.check_url: a password in it is refused) or a database file."""
    from storage import is_server_url

    given, named = (args.db, "--db") if args.db else (os.environ.get("HEMALOG_DB"), "HEMALOG_DB")
    if given and is_server_url(given):
        from storage.pg_store import check_url

        return check_url(str(given), named=named)
    return _database_path(args)


def _database_file_or_none(args: argparse.Namespace) -> Path | None:
    """The database file, for the checks only a file needs (an output must not overwrite
    it); None on a server."""
    target = _target(args)
    return None if isinstance(target, str) else target


def _database_path(args: argparse.Namespace) -> Path:
    """The database file --db (else HEMALOG_DB, else the data folder) names; a server
    URL is refused here, before anything is checked, written or opened."""
    from storage.locations import database_file, default_database

    return database_file(args.db) if args.db else default_database()


def cmd_backup(args: argparse.Namespace) -> int:
    from storage.backup import backup_to, refuse_interrupted_restore, remove_stale_partials

    target = _target(args)
    if isinstance(target, str):
        return _backup_server(args, target)
    path = target
    refuse_interrupted_restore(path)
    if path.exists():  # else backup_to says there is no database
        _administrator(args, path, "backup")
    remove_stale_partials(path)
    out = backup_to(path, args.output)
    print(_words().translate("Command line", "backup written to {file} (verified)").format(
        file=out))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from storage.backup import remove_stale_partials, restore
    from storage.locations import current_user

    target = _target(args)
    if isinstance(target, str):
        return _restore_into_server(args, target)
    path = target
    words = _words()
    if path.exists():  # restore replaces every record: an administrator's action
        user = _administrator(args, path, "restore", backup=args.file)
    else:
        print(words.translate("Command line", NO_ACCOUNTS_NOTE), file=sys.stderr)
        user = current_user(args.user)
    remove_stale_partials(path)
    aside = restore(path, args.file, user=user)
    kept = (words.translate("Command line", "the replaced database is kept as {file}").format(
                file=aside) if aside is not None
            else words.translate("Command line", "there was no database to keep aside"))
    print(words.translate("Command line", "restored {path} from {file}; {kept}").format(
        path=path, file=args.file, kept=kept))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with _open_store(args, reading=True) as store:
        for p in store.patients.list():
            # Stored text may predate the rule against control characters: show, never act.
            print("\t".join(printable(v) for v in (p.mrn, p.name, p.sex.value, p.diagnosis)))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from resources import DEMO_MRN, DEMO_RECORD
    from storage.record_files import import_files

    with _open_store(args) as store:
        if store.patients.list_mrns([DEMO_MRN]):
            raise HemalogError(_words().translate("Command line", "The demo patient {mrn} is already in {path}; nothing was changed.").format(
                mrn=DEMO_MRN, path=store.location))
        (patient,) = import_files(store, [DEMO_RECORD])
        print(_summary_line(store, patient, demo=True))
    return EXIT_OK


# --- PostgreSQL servers (issue 16) ----------------------------------------------------------
def _ask_owner_password(url: str):  # noqa: ANN202 - Callable[[], str | None]
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


def _open_owner(url: str, name: str):  # noqa: ANN202 - PostgresStore
    from storage.server_admin import open_owner

    return open_owner(url, user=name, ask_password=_ask_owner_password(url))


def _new_password(args: argparse.Namespace, name: str) -> str:
    """The first administrator's new password: --password-file, else typed twice."""
    import getpass

    words = _words()
    if args.password_file is not None:
        return _read_password_file(Path(args.password_file))
    if not sys.stdin.isatty():
        raise _no_terminal(name)
    try:
        first = getpass.getpass(words.translate("Command line", "new password for {name}: ").format(name=name))
        again = getpass.getpass(words.translate("Command line", "the same password again: "))
    except EOFError:
        raise HemalogError(words.translate("Command line", "no password for {name}: nothing was typed").format(name=name)) from None
    if first != again:
        raise HemalogError(words.translate("Command line", "the two passwords differ; nothing was changed"))
    return first


def _acting_name(args: argparse.Namespace) -> str:
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
        return _upgrade_server(url)
    password = _new_password(args, args.admin)
    with _open_owner(url, args.admin) as owner:
        init_server(owner, args.admin, password, args.display_name)
        where = owner.location
    print(words.translate("Command line", "created the hemalog schema in {server} and its first administrator {name} (a login in hemalog_admin)").format(
        server=where, name=args.admin))
    print(words.translate("Command line", "next: sign in with hemalog --db {server} --user {name} list, or open the app with --db {server}; add the staff accounts in File ▸ Users…").format(
        server=where, name=args.admin))
    return EXIT_OK


def _upgrade_server(url: str) -> int:
    from storage.migrations import SCHEMA_VERSION
    from storage.pg_schema import upgrade_schema

    words = _words()
    with _open_owner(url, "hemalog-upgrade") as owner:
        before = owner.sql.call(upgrade_schema)
        where = owner.location
    message = (words.translate("Command line", "{server}: the hemalog schema is already version {version}; nothing was changed") if before == SCHEMA_VERSION
               else words.translate("Command line", "{server}: hemalog schema upgraded from version {before} to {version}"))
    print(message.format(server=where, before=before, version=SCHEMA_VERSION))
    return EXIT_OK


def _copy_into_server(file: Path, url: str, name: str, password: str, *,
                      what: str) -> int:
    """Migrate or restore: the file ``file`` staged (a verified private copy), signed in
    there as the administrator ``name``, copied into the empty server database ``url``."""
    from clinical.accounts import Role
    from storage import open_store
    from storage.server_admin import copy_file_to_server, server_is_empty, staged_copy

    words = _words()
    with _open_owner(url, name) as owner:
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
    if isinstance(_target(args), str):
        raise HemalogError(words.translate("Command line", "migrate copies a database file into a server: --db must name the file, --to the server"))
    path = _database_path(args)
    if not path.is_file():
        raise HemalogError(words.translate("Command line", "{path}: no such database file; nothing to migrate").format(path=path))
    refuse_interrupted_restore(path)
    _refuse_damaged(path)
    name = _acting_name(args)
    with open_store(path, user=name) as store:
        if not store.has_accounts:
            raise HemalogError(words.translate("Command line", "{file}: refused: it has no staff accounts, and a server database needs them; create the administrator in the app first, then try again").format(file=path))
        from storage import sign_in_counted

        password = _password(args, name)
        assert password is not None
        user = sign_in_counted(store, name, password)
        if user.role is not Role.ADMIN:
            raise HemalogError(words.translate("Command line", "{name} is not an administrator: only an administrator may move a database to a server").format(name=name))
    return _copy_into_server(path, url, name, password, what="migrate")


def _restore_into_server(args: argparse.Namespace, url: str) -> int:
    """`hemalog --db URL restore FILE`: a verified backup into an EMPTY server database
    (the same copy as migrate); a server already in use is refused."""
    name = _acting_name(args)
    password = _password(args, name)
    assert password is not None
    return _copy_into_server(Path(args.file), url, name, password, what="restore")


def _server_admin_store(args: argparse.Namespace, url: str, action: str | None):  # noqa: ANN202
    """The server store, signed in, refused unless the account is an administrator
    (``action``: the clinical.accounts rule that says so; None: verify's own line)."""
    from clinical.accounts import Role, check
    from storage import open_store
    from storage.locations import current_user

    store = open_store(url, user=current_user(args.user))
    try:
        _sign_in(store, args)
        if action is not None:
            check(store.role, action, "database")
        elif store.role is not Role.ADMIN:
            raise HemalogError(_words().translate("Command line", "on a server, verify reads every account's row, which only an administrator may: sign in as an administrator"))
    except BaseException:
        store.close()
        raise
    return store


def _verify_server(args: argparse.Namespace, url: str) -> int:
    from storage.integrity import verify_server

    with _server_admin_store(args, url, None) as store:
        result = verify_server(store.sql, store.location)
        where = store.location
    if not result.ok:
        raise HemalogError(result.lines())
    print(f"{where}: " + lang.render(result.lines()[0], lang.choose()))
    return EXIT_OK


def _backup_server(args: argparse.Namespace, url: str) -> int:
    from storage.server_admin import backup_server

    with _server_admin_store(args, url, "backup") as store:
        backup_server(store, args.output)
    print(_words().translate("Command line", "backup written to {file} (verified)").format(
        file=args.output))
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        # Qt would abort with a core dump; say what is wrong instead.
        raise HemalogError(_words().translate("Command line", "no screen: the app needs a graphical session (DISPLAY is not set); the commands (import, export, report, ...) work without one"))
    from gui.app import run_app

    return run_app(db=args.db, user=args.user)


COMMANDS = {"import": cmd_import, "export": cmd_export, "list": cmd_list, "demo": cmd_demo,
            "plot": cmd_plot, "report": cmd_report, "verify": cmd_verify, "backup": cmd_backup,
            "restore": cmd_restore, "migrate": cmd_migrate, "server": cmd_server,
            "labs": cmd_labs, "registry": cmd_registry}


def _crash_report(exc: BaseException) -> str:
    """Where the error happened and its type, for every exception in the chain.

    Messages and local values are left out on purpose: a message can quote a name,
    an MRN or a stored value, and the log outlives the session that wrote it."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        frames = traceback.extract_tb(current.__traceback__)
        parts.append(f"{kind.__module__}.{kind.__qualname__}\n" + "".join(
            f'  File "{f.filename}", line {f.lineno}, in {f.name}\n' for f in frames))
        current = current.__cause__ or current.__context__
    return "caused by or raised while handling:\n".join(parts)


def _write_crash_log(exc: BaseException) -> Path | None:
    try:
        from storage.locations import log_folder

        path = log_folder() / "hemalog-errors.log"
        command = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in COMMANDS else ""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now().isoformat(timespec='seconds')} hemalog {command}\n")
            f.write(_crash_report(exc))
        return path
    except OSError:
        return None


# How each argument (or the environment variable standing in for it) is named in messages.
_ARGUMENT_NAMES = {"mrn": "MRN", "user": "--user", "db": "--db", "output": "--output",
                   "files": "FILE", "file": "FILE", "password_file": "--password-file",
                   "to": "--to", "url": "URL", "admin": "--admin",
                   "display_name": "--display-name", "folder": "DIR", "mapping": "--mapping",
                   "codes": "--codes", "save_mapping": "--save-mapping",
                   "start": "--from", "end": "--to", "min_age": "--min-age"}
_ENVIRONMENT = {"user": "HEMALOG_USER", "db": "HEMALOG_DB"}


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse arguments that are not UTF-8 and a user name that breaks the text rule.

    On Linux undecodable bytes arrive as lone surrogates; left alone they fail deep
    inside SQLite or a print as an internal error."""
    given: list[tuple[str, str]] = []
    for dest, value in vars(args).items():
        name = _ARGUMENT_NAMES.get(dest, dest)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, (str, Path)):
                given.append((name, str(item)))
    for dest, variable in _ENVIRONMENT.items():
        if not getattr(args, dest, None) and os.environ.get(variable):
            given.append((variable, os.environ[variable]))
    problems: list[str] = []
    for name, value in given:
        undecodable = undecodable_problem(name, value)
        if undecodable:
            problems.append(undecodable)
        elif name in ("--user", "HEMALOG_USER", "--admin", "--display-name"):  # audit rows
            problems += name_problems(name, value)
    if problems:
        raise HemalogError(problems)


def main(argv: Sequence[str] | None = None) -> int:
    """Run hemalog; returns the process exit code."""
    try:
        args = build_parser().parse_args(argv)
        _check_arguments(args)
        handler = COMMANDS.get(args.command, cmd_gui)
        return handler(args)
    except HemalogError as exc:
        language = lang.choose()
        for line in exc.lines:  # a message may quote what was typed or stored
            print(f"hemalog: {printable(lang.render(line, language))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(_words().translate("Command line", "hemalog: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: never a bare traceback
        path = _write_crash_log(exc)
        words = _words()
        message = (words.translate("Command line", "hemalog: internal error ({kind}); details are in {path}") if path
                   else words.translate("Command line", "hemalog: internal error ({kind})"))
        print(message.format(kind=type(exc).__name__, path=path), file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
