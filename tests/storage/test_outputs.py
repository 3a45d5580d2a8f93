"""storage.outputs: where an output may go, and a write that is whole or nothing.

Real files in tmp_path only; failures are caused for real (a function that
raises half-way, a child process killed half-way), never mocked.
"""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest

from clinical.errors import HemalogError
from storage.backup import backup_folder
from storage.outputs import check_output, write_atomically

ROOT = Path(__file__).resolve().parents[2]
OLD = b"the old file, whole"


def make_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.fixture
def old_target(tmp_path: Path) -> Path:
    """An existing output that a failed write must leave as it was."""
    out = tmp_path / "out" / "record.json"
    out.parent.mkdir()
    out.write_bytes(OLD)
    return out


# --- check_output -----------------------------------------------------------------------

def test_check_output_accepts_a_new_file_and_an_ordinary_old_one(tmp_path: Path,
                                                                 old_target: Path) -> None:
    db = make_database(tmp_path / "ward.db")
    assert check_output(old_target, db) == old_target
    assert check_output(tmp_path / "new.json", db) == tmp_path / "new.json"


def test_check_output_refuses_the_database_under_any_name(tmp_path: Path) -> None:
    db = make_database(tmp_path / "ward.db")
    (tmp_path / "sub").mkdir()
    os.link(db, tmp_path / "hard.db")
    (tmp_path / "soft.db").symlink_to(db)
    for other in (db, tmp_path / "sub" / ".." / "ward.db", tmp_path / "hard.db",
                  tmp_path / "soft.db"):
        with pytest.raises(HemalogError, match=f"is the database {db}"):
            check_output(other, db)


def test_check_output_refuses_the_side_files_of_the_database_even_before_they_exist(
        tmp_path: Path) -> None:
    db = tmp_path / "new.db"  # not created yet: its names are still reserved
    for suffix in ("-wal", "-shm", "-journal"):
        with pytest.raises(HemalogError, match=f"is the {suffix} file of the database"):
            check_output(tmp_path / f"new.db{suffix}", db)


def test_check_output_refuses_the_side_file_of_any_database_without_being_told(
        tmp_path: Path) -> None:
    other = make_database(tmp_path / "other.db")
    with pytest.raises(HemalogError, match=f"is the -wal file of the database {other}"):
        check_output(tmp_path / "other.db-wal", None)
    assert check_output(tmp_path / "notes.txt-wal", None)  # no database beside it


def test_check_output_refuses_any_sqlite_file_and_any_file_in_the_backup_folder(
        tmp_path: Path) -> None:
    db = make_database(tmp_path / "ward.db")
    foreign = make_database(tmp_path / "another-program.sqlite")
    with pytest.raises(HemalogError, match="is a SQLite database"):
        check_output(foreign, db)
    folder = backup_folder(db)
    folder.mkdir()
    kept = folder / "checkpoints.txt"
    kept.write_text("head 42")
    with pytest.raises(HemalogError, match=f"is in the backup folder of the database {db}"):
        check_output(kept, db)


def test_check_output_refuses_a_folder_naming_a_file_to_give_instead(tmp_path: Path) -> None:
    with pytest.raises(HemalogError, match=f"{tmp_path}: is a folder; give a file name "
                                           f"such as {tmp_path / 'summary.pdf'}"):
        check_output(tmp_path, None, example="summary.pdf")


def test_check_output_refuses_a_fifo_and_a_missing_folder(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(HemalogError, match="is not an ordinary file"):
        check_output(tmp_path / "pipe", None)
    with pytest.raises(HemalogError, match=f"the folder {tmp_path / 'gone'} does not exist"):
        check_output(tmp_path / "gone" / "x.json", None)


# --- write_atomically -------------------------------------------------------------------

def test_write_atomically_writes_bytes_private_to_the_owner_and_nothing_else(
        old_target: Path) -> None:
    old_target.chmod(0o644)
    old_umask = os.umask(0o022)
    try:
        write_atomically(old_target, b"new")
    finally:
        os.umask(old_umask)
    assert old_target.read_bytes() == b"new"
    assert stat.S_IMODE(old_target.stat().st_mode) == 0o600
    assert listing(old_target.parent) == ["record.json"]


def test_write_atomically_follows_a_symlink_and_keeps_it(tmp_path: Path,
                                                         old_target: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(old_target)
    write_atomically(link, lambda f: f.write(b"through the link"))
    assert link.is_symlink() and old_target.read_bytes() == b"through the link"


def test_write_atomically_takes_a_name_as_long_as_the_file_system_allows(
        tmp_path: Path) -> None:
    out = tmp_path / ("é" * 120 + ".json")  # 245 bytes: ".NAME.XXXXXXXX.tmp" would not fit
    write_atomically(out, b"{}")
    assert listing(tmp_path) == [out.name]


def _half_then(exc: BaseException) -> Callable[[BinaryIO], None]:
    def write(f: BinaryIO) -> None:
        f.write(b"half of the new file")
        f.flush()
        raise exc
    return write


@pytest.mark.parametrize("exc", [RuntimeError("a bug half-way"), KeyboardInterrupt()],
                         ids=["an exception", "an interrupt"])
def test_a_failure_half_way_leaves_the_old_file_whole_and_no_temporary_file(
        old_target: Path, exc: BaseException) -> None:
    with pytest.raises(type(exc)):
        write_atomically(old_target, _half_then(exc))
    assert old_target.read_bytes() == OLD
    assert listing(old_target.parent) == ["record.json"]


def test_a_full_disk_half_way_is_a_clear_message_and_leaves_no_temporary_file(
        old_target: Path) -> None:
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with pytest.raises(HemalogError, match=f"{old_target}: cannot write: No space left on "
                                           "device; nothing was written"):
        write_atomically(old_target, _half_then(full))
    assert old_target.read_bytes() == OLD
    assert listing(old_target.parent) == ["record.json"]


def test_a_read_only_folder_is_a_clear_message(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(HemalogError, match="cannot write: Permission denied"):
            write_atomically(tmp_path / "x.json", b"{}")
    finally:
        tmp_path.chmod(0o700)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX kill")
def test_a_kill_half_way_leaves_the_old_file_whole_and_only_a_private_hidden_temporary(
        old_target: Path) -> None:
    child = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from storage.outputs import write_atomically

        def write(f):
            f.write(b"half of the new file")
            f.flush()
            os.kill(os.getpid(), signal.SIGKILL)

        write_atomically({str(old_target)!r}, write)
    """)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert old_target.read_bytes() == OLD
    left = [p for p in old_target.parent.iterdir() if p != old_target]
    assert [p.name.startswith(".record.json.") and p.name.endswith(".tmp") for p in left] == [True]
    assert stat.S_IMODE(left[0].stat().st_mode) == 0o600
