"""Where hemalog keeps its files: the default database and the log folder."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs

APP = "hemalog"


def default_database() -> Path:
    """HEMALOG_DB, else hemalog.db in the user's data folder (created on first use)."""
    env = os.environ.get("HEMALOG_DB")
    if env:
        return Path(env)
    folder = Path(platformdirs.user_data_dir(APP, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / "hemalog.db"


def log_folder() -> Path:
    folder = Path(platformdirs.user_log_dir(APP, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def current_user(explicit: str | None = None) -> str:
    """--user, else HEMALOG_USER, else the operating-system login name."""
    if explicit:
        return explicit
    env = os.environ.get("HEMALOG_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something
        return "unknown"
