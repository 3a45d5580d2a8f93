"""Every file hemalog writes: where it may go, and how it is written.

An output path given on the command line (``export -o``, ``report -o``,
``plot -o``, ``backup -o``) or in a save dialog is checked first, so that a
slip of the keyboard cannot replace the database, one of its side files, a
backup, a folder or a device node. The file is then written to a private
temporary file in the target's folder and renamed over the target, so a crash,
a kill or a full disk leaves either the old file or the new one, never half of
one, and never a temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from clinical.errors import HemalogError

__all__ = ["check_output", "write_atomically", "SQLITE_HEADER"]

SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")

Content = bytes | Callable[[BinaryIO], None]


def check_output(path: Path | str, database: Path | None, *,
                 example: str = "output") -> Path:
    """Refuse an output path that would destroy something; returns ``path`` unchanged.

    Refused, after resolving symlinks and ``..``: the database, its -wal/-shm/
    -journal files, a file in its backup folder, any SQLite database (a backup
    or another program's file), a folder, any existing file that is not a
    regular file (/dev/null, a pipe, a socket), and a target whose folder does
    not exist. An existing ordinary file is replaced: that is what -o means.
    ``example`` is the file name suggested when a folder is given.
    """
    path = Path(path)
    try:
        target = Path(os.path.realpath(path))
    except (OSError, ValueError) as exc:  # a NUL byte, a symlink loop
        raise HemalogError(f"{str(path)!r}: not a usable file name ({exc})") from None
    if database is not None:
        _refuse_the_database(path, target, Path(database))
    _refuse_what_exists(path, target, example)
    if not target.parent.is_dir():
        raise HemalogError(f"{path}: the folder {path.parent} does not exist")
    return path


def write_atomically(path: Path | str, data: Content) -> Path:
    """Write ``data`` (bytes, or a function that writes into the file) to ``path``.

    A temporary file (0600) in the same folder is written, flushed, fsynced and
    renamed over the target, then the folder is fsynced so the rename survives a
    power cut. On any failure, an interrupt included, the temporary file is
    removed; an OSError becomes a HemalogError naming the file. A symlink is
    followed: the file it points to is replaced and the link is kept.
    """
    path = Path(path)
    check_output(path, None)
    target = Path(os.path.realpath(path))
    tmp: Path | None = None
    try:
        fd, tmp = _create_temporary(target)
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes | bytearray | memoryview):
                f.write(data)
            else:
                data(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise HemalogError(f"{path}: cannot write: {exc.strerror or exc}; "
                           "nothing was written") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    sync_folder(target.parent)
    return path


# --- checks -----------------------------------------------------------------------------

def _refuse_the_database(path: Path, target: Path, database: Path) -> None:
    live = Path(os.path.realpath(database))
    if _same_file(target, live):
        raise HemalogError(f"{path}: is the database {database}; choose another file name "
                           "(hemalog never writes an output over its database)")
    for suffix in SIDE_SUFFIXES:
        if _same_file(target, live.with_name(live.name + suffix)):
            raise HemalogError(f"{path}: is the {suffix} file of the database {database}; "
                               "choose another file name")
    from storage.backup import backup_folder  # lazy: storage.backup uses this module

    if target.parent == backup_folder(live) and os.path.lexists(target):
        raise HemalogError(f"{path}: is in the backup folder of the database {database}; "
                           "choose another file name (backups are never overwritten)")


def _refuse_what_exists(path: Path, target: Path, example: str) -> None:
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        _refuse_a_side_file(path, target)
        return
    except OSError as exc:
        raise HemalogError(f"{path}: cannot check it: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise HemalogError(f"{path}: is a folder; give a file name such as {path / example}")
    if not stat.S_ISREG(mode):
        raise HemalogError(f"{path}: is not an ordinary file (a device, pipe or socket); "
                           "hemalog writes only ordinary files")
    if _is_sqlite(path, target):
        raise HemalogError(f"{path}: is a SQLite database (a hemalog database or a backup?); "
                           "hemalog never writes an output over a database")
    _refuse_a_side_file(path, target)


def _refuse_a_side_file(path: Path, target: Path) -> None:
    """Protect the -wal/-shm/-journal files of any database, even when it is not named."""
    for suffix in SIDE_SUFFIXES:
        if target.name.endswith(suffix):
            owner = target.with_name(target.name[: -len(suffix)])
            if owner.is_file() and _is_sqlite(path, owner):
                raise HemalogError(f"{path}: is the {suffix} file of the database {owner}; "
                                   "choose another file name")


def _is_sqlite(path: Path, file: Path) -> bool:
    try:
        with open(file, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError as exc:
        raise HemalogError(f"{path}: cannot check what {file.name} holds: "
                           f"{exc.strerror or exc}") from None


def _same_file(a: Path, b: Path) -> bool:
    """Same name, or the same file under another name (a hard link, another case)."""
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


# --- writing ----------------------------------------------------------------------------

def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new hidden file ``.NAME.XXXXXXXX.tmp`` beside the target, readable by its owner only."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    stem = target.name[:60]  # 60 characters stay under 255 bytes with the suffix
    for _ in range(100):
        tmp = target.with_name(f".{stem}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target.name}")


def sync_folder(folder: Path) -> None:
    """Make the rename durable; a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
