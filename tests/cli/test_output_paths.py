"""Issue 13, finding 1: an output (-o) never destroys the database, a backup or a device.

Every case drives the command line as a person would (``main.main([...])``
against a database in tmp_path holding the demo patient) and checks the exit
code, the message, and what is left on disk afterwards, hidden files included.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import main
from resources import DEMO_MRN
from tests.cli.test_bad_input import assert_bad_input, run

ROOT = Path(__file__).resolve().parents[2]

# What each command writes, and the file name a person would give it.
COMMANDS = {"export": "record.json", "report": "summary.pdf", "plot": "plots.png"}
OUTPUT_MAGIC = {"export": b"{", "report": b"%PDF", "plot": b"\x89PNG"}


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database holding the demo patient, loaded with the `demo` command."""
    path = tmp_path / "ward.db"
    assert main.main(["--db", str(path), "demo"]) == 0
    capsys.readouterr()
    return path


def write_output(capsys: pytest.CaptureFixture[str], db: Path, command: str, out: Path):  # noqa: ANN201
    return run(capsys, "--db", str(db), command, DEMO_MRN, "-o", str(out))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    """Every name in the folder, hidden ones included."""
    return sorted(os.listdir(folder))


def assert_still_holds_the_demo_patient(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    result = run(capsys, "--db", str(db), "list")
    assert result.code == 0, result.err
    assert DEMO_MRN in result.out


@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_aimed_at_the_database_is_refused_and_the_database_kept(
        capsys: pytest.CaptureFixture[str], db: Path, command: str) -> None:
    before = digest(db)
    result = write_output(capsys, db, command, db)
    assert_bad_input(result, f"{db}: is the database {db}")
    assert digest(db) == before
    assert_still_holds_the_demo_patient(capsys, db)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_aimed_at_the_database_by_another_name_is_refused(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, command: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.db").symlink_to(db)
    before = digest(db)
    for other in (tmp_path / "sub" / ".." / db.name, tmp_path / "link.db"):
        assert_bad_input(write_output(capsys, db, command, other), f"is the database {db}")
    assert digest(db) == before
    assert (tmp_path / "link.db").is_symlink()


@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_aimed_at_the_live_wal_and_shm_files_is_refused(
        capsys: pytest.CaptureFixture[str], db: Path, command: str) -> None:
    import sqlite3

    reader = sqlite3.connect(db)  # an open app keeps the side files in place
    try:
        reader.execute("SELECT count(*) FROM patients").fetchone()
        for suffix in ("-wal", "-shm"):
            side = db.with_name(db.name + suffix)
            assert side.exists(), f"the database has no {suffix} file to aim at"
            before = digest(side)
            result = write_output(capsys, db, command, side)
            assert_bad_input(result, f"is the {suffix} file of the database {db}")
            assert digest(side) == before
    finally:
        reader.close()
    assert_still_holds_the_demo_patient(capsys, db)


def test_an_output_aimed_at_a_journal_that_does_not_exist_yet_is_refused(
        capsys: pytest.CaptureFixture[str], db: Path) -> None:
    journal = db.with_name(db.name + "-journal")
    result = write_output(capsys, db, "export", journal)
    assert_bad_input(result, f"is the -journal file of the database {db}")
    assert not journal.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_aimed_at_a_backup_made_by_backup_is_refused(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, command: str) -> None:
    backup = tmp_path / "copy.db"
    assert run(capsys, "--db", str(db), "backup", "-o", str(backup)).code == 0
    before = digest(backup)
    result = write_output(capsys, db, command, backup)
    assert_bad_input(result, f"{backup}: is a SQLite database")
    assert digest(backup) == before
    assert_still_holds_the_demo_patient(capsys, backup)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_aimed_at_a_folder_is_refused_and_leaves_no_file(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, command: str) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "keep.txt").write_text("a letter")
    before = (listing(folder), listing(tmp_path))
    result = write_output(capsys, db, command, folder)
    assert_bad_input(result, f"{folder}: is a folder; give a file name such as "
                             f"{folder / COMMANDS[command]}")
    assert (listing(folder), listing(tmp_path)) == before


DEVICES = {"null": (1, 3), "full": (1, 7)}


def device_node(tmp_path: Path, name: str) -> Path:
    """/dev/null or /dev/full; as root, a node of the same device in tmp_path instead.

    Root may replace /dev/null itself, so a regression must not be able to
    break the machine the tests run on: root gets its own copy of the node.
    """
    if os.geteuid() != 0:
        return Path("/dev") / name
    node = tmp_path / name
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(*DEVICES[name]))
    return node


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux device nodes")
@pytest.mark.parametrize("name", DEVICES)
@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_aimed_at_a_device_is_refused_and_the_device_kept(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, command: str,
        name: str) -> None:
    device = device_node(tmp_path, name)
    result = write_output(capsys, db, command, device)
    assert_bad_input(result, f"{device}: is not an ordinary file")
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert os.stat(device).st_rdev == os.makedev(*DEVICES[name])


def test_an_output_aimed_at_a_fifo_is_refused_without_waiting_for_a_reader(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_bad_input(write_output(capsys, db, "export", fifo), f"{fifo}: is not an ordinary file")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_an_output_in_a_missing_folder_is_refused_before_the_database_is_opened(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "x.json"
    assert_bad_input(write_output(capsys, db, "export", out),
                     f"the folder {out.parent} does not exist")
    assert not out.parent.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_output_is_private_to_its_owner_and_replaces_an_older_file(
        capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, command: str) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / COMMANDS[command]
    out.write_bytes(b"an older file anyone could read")
    out.chmod(0o644)
    old_umask = os.umask(0o022)  # the usual umask, which would give 0644
    try:
        result = write_output(capsys, db, command, out)
    finally:
        os.umask(old_umask)
    assert result.code == 0, result.err
    assert out.read_bytes().startswith(OUTPUT_MAGIC[command])
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert listing(out.parent) == [out.name]


# --- a full disk ------------------------------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs holding an older output and a filler, leaving one 4 KiB page free."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("needs Linux mount")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace')}")
    try:
        (folder / "filler").write_bytes(b"\0" * 56 * 1024)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_gives_a_clear_message_and_leaves_the_older_file_alone(
        capsys: pytest.CaptureFixture[str], db: Path, tiny_disk: Path, command: str) -> None:
    out = tiny_disk / COMMANDS[command]
    out.write_bytes(b"the older output")
    before = listing(tiny_disk)
    result = write_output(capsys, db, command, out)
    assert_bad_input(result, f"{out}: cannot write: No space left on device; nothing was written")
    assert listing(tiny_disk) == before
    assert out.read_bytes() == b"the older output"


def _limit_file_size() -> None:
    """In the child: files may not grow past 64 KiB, and going past is an error, not a kill."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX file size limits")
def test_a_file_size_limit_gives_a_clear_message_and_leaves_no_temporary_file(
        db: Path, tmp_path: Path) -> None:
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    out = out_folder / "record.json"
    out.write_text("the older export")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), "export",
                           DEMO_MRN, "-o", str(out)], capture_output=True, text=True, cwd=ROOT,
                          env=env, preexec_fn=_limit_file_size, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"hemalog: {out}: cannot write: File too large; nothing was written" in done.stderr
    assert listing(out_folder) == ["record.json"]
    assert out.read_text() == "the older export"
