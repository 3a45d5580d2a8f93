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
from cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, access, servers
from cli import words as _words
from cli.access import NO_ACCOUNTS_NOTE
from clinical.accounts import name_problems
from clinical.errors import HemalogError
from clinical.plain_text import printable, undecodable_problem
from clinical.version import app_version

if TYPE_CHECKING:
    from clinical.record import Patient
    from storage.contract import Store

log = logging.getLogger("hemalog")


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
    with access.store_for(args, reading=True) as store:
        count = write_registry(store, args.output, database=access.database_file_or_none(args),
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

    with access.store_for(args) as store:
        if args.labs_command == "import":
            run_import(store, args.mrn, args.file, mapping=args.mapping, codes=args.codes,
                       dry_run=args.dry_run, save_mapping=args.save_mapping, out=out)
            return EXIT_OK
        _done, refused = run_import_folder(store, args.folder, mapping=args.mapping,
                                           codes=args.codes, out=out, min_age=args.min_age)
    return EXIT_BAD_INPUT if refused else EXIT_OK


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

    target = access.database_target(args)
    if not isinstance(target, str):
        refuse_interrupted_restore(target)     # said first, as for every command
    records = read_import_files(args.files)   # a refused file opens (creates) no database
    with access.store_for(args) as store:
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
        check_output(args.output, access.database_file_or_none(args), example=example)
    with access.store_for(args, reading=True) as store:
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
    with access.store_for(args, reading=True) as store:
        written = write_research(store, args.output, database=access.database_file_or_none(args),
                                 deidentified=args.deidentified)
    for name, rows in written.items():
        print(f"{printable(name)}: {rows} row(s)")
    return EXIT_OK


def cmd_plot(args: argparse.Namespace) -> int:
    from storage.outputs import check_output

    out = check_output(args.output, access.database_file_or_none(args), example="plots.png")
    with access.store_for(args, reading=True) as store:
        patient = store.patients.get_by_mrn(args.mrn)
        record = store.load_record(patient.id)
    from gui.plots.render import render_png

    render_png(record, out, anchor=args.anchor, language=lang.choose(args.lang))
    print(_words().translate("Command line", "wrote {file}").format(file=out))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from reports.cli import write_report
    from storage.outputs import check_output

    check_output(args.output, access.database_file_or_none(args), example="summary.pdf")
    with access.store_for(args, reading=True) as store:
        out = write_report(store, args.mrn, args.output, deidentified=args.deidentified,
                           printed_by=store.user, language=lang.choose(args.lang))
    print(_words().translate("Command line", "wrote {file}").format(file=out))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from storage import open_store
    from storage.integrity import verify_database
    from storage.locations import current_user

    target = access.database_target(args)
    if isinstance(target, str):
        return servers.verify_server(args, target)
    path = target
    try:
        store = open_store(path, user=current_user(args.user), read_only=True)
    except HemalogError:
        store = None  # it cannot even be opened: the check below says why
    if store is not None:
        with store:
            access.sign_in(store, args)
    result = verify_database(path)
    if not result.ok:
        raise HemalogError(result.lines())
    print(f"{path}: " + lang.render(result.lines()[0], lang.choose()))
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from storage.backup import backup_to, refuse_interrupted_restore, remove_stale_partials

    target = access.database_target(args)
    if isinstance(target, str):
        return servers.backup_server(args, target)
    path = target
    refuse_interrupted_restore(path)
    if path.exists():  # else backup_to says there is no database
        access.administrator(args, path, "backup")
    remove_stale_partials(path)
    out = backup_to(path, args.output)
    print(_words().translate("Command line", "backup written to {file} (verified)").format(
        file=out))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from storage.backup import remove_stale_partials, restore
    from storage.locations import current_user

    target = access.database_target(args)
    if isinstance(target, str):
        return servers.restore_into_server(args, target)
    path = target
    words = _words()
    if path.exists():  # restore replaces every record: an administrator's action
        user = access.administrator(args, path, "restore", backup=args.file)
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
    with access.store_for(args, reading=True) as store:
        for p in store.patients.list():
            # Stored text may predate the rule against control characters: show, never act.
            print("\t".join(printable(v) for v in (p.mrn, p.name, p.sex.value, p.diagnosis)))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from resources import DEMO_MRN, DEMO_RECORD
    from storage.record_files import import_files

    with access.store_for(args) as store:
        if store.patients.list_mrns([DEMO_MRN]):
            raise HemalogError(_words().translate("Command line", "The demo patient {mrn} is already in {path}; nothing was changed.").format(
                mrn=DEMO_MRN, path=store.location))
        (patient,) = import_files(store, [DEMO_RECORD])
        print(_summary_line(store, patient, demo=True))
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
            "restore": cmd_restore, "migrate": servers.cmd_migrate, "server": servers.cmd_server,
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
