"""docs/command-line.md: every example runs as written, and every command and option of
main.py's parser is documented.

Conventions the document keeps (so that it can be kept in step):

- Examples are the lines starting ``$ `` in fenced ``console`` blocks. Each must be
  ``$ hemalog ARGS`` on one line (no pipes, redirections or variables: ARGS are split
  as a shell would split them and given to ``main.py``).
- The lines after a command, up to the next command or the end of the block, are what
  it prints. Each such line must match a line of its output (standard output or error
  output), comparing with runs of spaces and tabs made one space and the ends
  stripped; ``...`` in a shown line stands for any text. Output lines that are not
  shown are allowed.
- A line ``# exit N`` after a command gives its exit code; without one it must exit 0.
  Other lines starting with ``#`` are comments. No command may print a traceback or
  report an internal error.
- The commands run in the order of the document, in one new folder (the working
  folder), with ``HEMALOG_LANG=en``, their own HOME and data, settings and log folders,
  no ``HEMALOG_DB``/``HEMALOG_USER``/``HEMALOG_LAB_SETTINGS``/``PGPASSFILE``, and stdin
  that is not a terminal. Before the first command the folder is prepared with:
  - every fenced block whose info string holds ``file=NAME`` (any language, e.g.
    ``json file=new-patient.json``), written to ``NAME`` (a relative path; folders are
    made) with mode 0600 and a modification time an hour ago (so that
    ``labs import-folder`` takes it at once);
  - ``staff.db``: a database file with the demo patient and one account, the
    administrator ``mei``, whose password is the first line of the ``password.txt``
    file block.
- Server examples: every console block that mentions ``postgresql://`` runs, in
  document order, in a second folder prepared the same way, against the suite's
  throwaway PostgreSQL server (tests/pgserver.py, fixture ``pg_server``). In those
  blocks (commands and shown output) ``dbhost`` is the server (127.0.0.1 and its port),
  the login ``postgres`` is the server's superuser, and each database name after
  ``dbhost/`` is a new empty database of its own. Without a server these examples are
  skipped (failed in CI); the others still run. Logins the examples make are dropped
  afterwards.
- Every command and subcommand of main.py's parser has a heading holding
  ``hemalog COMMAND`` in backticks (e.g. ``### `hemalog labs import` ``) and at least one
  example; every long option (``--anchor``), and every value an option chooses from
  (``cart``), appears in the document in backticks.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from main import build_parser
from tests.conftest import _drop_hemalog_logins
from tests.docs.fences import fenced_blocks

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "command-line.md"
MAIN = ROOT / "main.py"
SERVER = "postgresql://"
STAFF_ADMIN = "mei"

EXIT = re.compile(r"^# exit (\d+)$")
DOC_URL = re.compile(r"postgresql://(?:([A-Za-z0-9_]+)@)?dbhost/([A-Za-z0-9_]+)")


@dataclass
class Block:
    line: int
    info: str
    body: list[str]

    @property
    def language(self) -> str:
        return self.info.split(" ")[0] if self.info else ""

    @property
    def file_name(self) -> str | None:
        found = re.search(r"(?:^|\s)file=(\S+)", self.info)
        return found.group(1) if found else None


@dataclass
class Example:
    line: int
    command: str
    shown: list[str] = field(default_factory=list)
    exit_code: int = 0
    exit_given: bool = False


def blocks(path: Path) -> list[Block]:
    return [Block(start, info, body) for start, info, body in fenced_blocks(path)]


def examples(block: Block) -> list[Example]:
    found: list[Example] = []
    for offset, raw in enumerate(block.body, start=1):
        where = f"{DOC.name}:{block.line + offset}"
        if raw.startswith("$ "):
            assert raw.startswith("$ hemalog ") or raw == "$ hemalog", \
                f"{where}: a console example must be `$ hemalog ...`: {raw!r}"
            found.append(Example(block.line + offset, raw[2:]))
            continue
        assert found, f"{where}: output before the first command of the block"
        if raw.startswith("#"):
            code = EXIT.match(raw.strip())
            if code:
                assert not found[-1].exit_given, f"{where}: two exit codes for one command"
                found[-1].exit_code, found[-1].exit_given = int(code.group(1)), True
            continue
        if raw.strip():
            found[-1].shown.append(raw)
    assert found, f"{DOC.name}:{block.line}: a console block without a command"
    return found


def document() -> tuple[list[Block], list[Example], list[Example]]:
    """The blocks, the file examples and the server examples, in document order."""
    all_blocks = blocks(DOC)
    local: list[Example] = []
    server: list[Example] = []
    for block in all_blocks:
        if block.language == "console":
            (server if SERVER in "\n".join(block.body) else local).extend(examples(block))
    return all_blocks, local, server


BLOCKS, LOCAL, ON_SERVER = document()


# --- preparing a folder and running the examples --------------------------------------------------
def doc_files() -> dict[str, str]:
    files: dict[str, str] = {}
    for block in BLOCKS:
        name = block.file_name
        if name is None:
            continue
        path = Path(name)
        assert not path.is_absolute() and ".." not in path.parts, \
            f"{DOC.name}:{block.line}: file= must name a path inside the folder: {name}"
        assert name not in files, f"{DOC.name}:{block.line}: {name} is given twice"
        files[name] = "\n".join(block.body) + "\n"
    return files


def password() -> str:
    files = doc_files()
    assert "password.txt" in files, "the document shows no `password.txt` file block"
    return files["password.txt"].splitlines()[0]


def prepare(folder: Path) -> None:
    folder.mkdir(parents=True)
    an_hour_ago = time.time() - 3600
    for name, text in doc_files().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.chmod(path, 0o600)
        os.utime(path, (an_hour_ago, an_hour_ago))
    from clinical.accounts import Role
    from resources import DEMO_RECORD
    from storage.record_files import import_files
    from storage.repository import SqliteStore

    with SqliteStore(folder / "staff.db", user="setup") as store:
        store.sign_in(store.accounts.create(STAFF_ADMIN, password(), Role.ADMIN))
        import_files(store, [DEMO_RECORD])


def environment(base: Path) -> dict[str, str]:
    env = {**os.environ, "HEMALOG_LANG": "en", "HOME": str(base / "home")}
    for name in ("HEMALOG_DB", "HEMALOG_USER", "HEMALOG_LAB_SETTINGS", "PGPASSFILE",
                 "PGPASSWORD", "PGUSER"):
        env.pop(name, None)
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(base / name.lower())
    (base / "home").mkdir(exist_ok=True)
    return env


def _normal(line: str) -> str:
    return " ".join(line.split())


def _pattern(shown: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in _normal(shown).split("...")))


def run_examples(folder: Path, env: dict[str, str], found: list[Example],
                 substitute=lambda text: text) -> None:  # noqa: ANN001 - str -> str
    for example in found:
        where = f"{DOC.name}:{example.line}: $ {example.command}"
        argv = shlex.split(substitute(example.command))
        assert argv[0] == "hemalog", where
        result = subprocess.run([sys.executable, str(MAIN), *argv[1:]], cwd=folder, env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=180)
        output = result.stdout + result.stderr
        assert "Traceback" not in output, f"{where}\n{output}"
        assert "internal error" not in result.stderr, f"{where}\n{output}"
        assert result.returncode == example.exit_code, (
            f"{where}\nexit {result.returncode}, the document says {example.exit_code}\n{output}")
        lines = [_normal(line) for line in output.splitlines()]
        for shown in example.shown:
            pattern = _pattern(substitute(shown))
            assert any(pattern.fullmatch(line) for line in lines), (
                f"{where}\nthe document shows {shown!r}; the command printed:\n{output}")


# --- the examples ------------------------------------------------------------------------------
def test_the_document_has_examples_of_both_kinds() -> None:
    assert len(LOCAL) >= 20 and len(ON_SERVER) >= 3, (len(LOCAL), len(ON_SERVER))


def test_examples_run_as_documented(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    prepare(folder)
    run_examples(folder, environment(tmp_path), LOCAL)


def test_server_examples_run_as_documented(tmp_path: Path, pg_server) -> None:  # noqa: ANN001
    databases: dict[str, str] = {}
    host = f"127.0.0.1:{pg_server.port}"

    def substitute(text: str) -> str:
        def real(found: re.Match[str]) -> str:
            login, name = found.group(1), found.group(2)
            if name not in databases:
                databases[name] = pg_server.create_database(f"doc_{uuid.uuid4().hex[:12]}")
            who = "" if login is None else \
                (pg_server.user if login == "postgres" else login) + "@"
            return f"postgresql://{who}{host}/{databases[name]}"
        return DOC_URL.sub(real, text)

    folder = tmp_path / "work"
    prepare(folder)
    try:
        run_examples(folder, environment(tmp_path), ON_SERVER, substitute)
    finally:
        for name in databases.values():
            pg_server.drop_database(name)
        _drop_hemalog_logins(pg_server)


def test_every_server_url_in_the_examples_uses_dbhost() -> None:
    for example in ON_SERVER:
        for text in (example.command, *example.shown):
            rest = DOC_URL.sub("", text)
            assert SERVER not in rest, f"{DOC.name}:{example.line}: use postgresql://" \
                                       f"[LOGIN@]dbhost/DATABASE in examples: {text}"


# --- every command and option is documented ---------------------------------------------------------
def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
             ) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found: list[tuple[tuple[str, ...], argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(((*prefix, name), sub))
                found.extend(commands(sub, (*prefix, name)))
    return found


COMMANDS = commands(build_parser())


def test_the_parser_walk_finds_the_commands() -> None:
    paths = {" ".join(path) for path, _ in COMMANDS}
    assert {"import", "export", "labs", "labs import", "labs import-folder",
            "server init"} <= paths


def _example_runs(path: tuple[str, ...], example: Example) -> bool:
    """True when the example's arguments (options and their values aside) start with
    the command's words."""
    words = shlex.split(example.command)[1:]
    plain: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word in ("--db", "--user", "--password-file"):
            skip = True
            continue
        if word.startswith("-"):
            continue
        plain.append(word)
    return tuple(plain[:len(path)]) == path


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_a_heading_and_an_example(path: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    named = re.compile(rf"`hemalog {re.escape(path)}[` ]")
    assert any(named.search(h) for h in headings), \
        f"{DOC.name}: no heading names `hemalog {path}`"
    words = tuple(path.split(" "))
    assert any(_example_runs(words, e) for e in (*LOCAL, *ON_SERVER)), \
        f"{DOC.name}: no console example runs `hemalog {path}`"


def test_every_option_and_choice_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    spans: set[str] = set()
    for span in re.findall(r"`([^`\n]+)`", text):
        spans.add(span)
        spans.update(span.replace(",", " ").replace("|", " ").split())
    missing: set[str] = set()
    for parser in (build_parser(), *(p for _, p in COMMANDS)):
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            missing.update(o for o in action.option_strings if o.startswith("--") and o not in spans)
            missing.update(str(c) for c in (action.choices or ()) if str(c) not in spans)
    assert not missing, f"{DOC.name} does not name (in backticks): {sorted(missing)}"


def test_the_document_stays_inside_the_repository() -> None:
    """Nobody who downloads hemalog has the specs it was written from."""
    text = DOC.read_text(encoding="utf-8")
    assert "shared/" not in text and "/work/" not in text
