"""Where hemalog keeps its files: the default database and the log folder.

The database is named by a target (--db or HEMALOG_DB): the path of a database
file, or a ``postgresql://`` URL for a ward's server (storage.open_store and the
command line tell them apart with ``is_server_url``; ``database_file`` is for what
only a file can be).
"""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path

import platformdirs

from clinical.errors import HemalogError

APP = "hemalog"

# The schemes libpq accepts for a connection URI (checked on the text: a Path would
# already have folded "//" into "/").
_SERVER_URL = re.compile(r"(?i)^\s*(postgresql|postgres):")
_PASSWORD_IN_QUERY = re.compile(r"(?i)((?:^|[?&])password=)[^&#]*")


def is_server_url(target: str | Path) -> bool:
    """True when ``target`` is a PostgreSQL connection URL rather than a file path."""
    return bool(_SERVER_URL.match(str(target)))


def shown_target(target: str | Path) -> str:
    """``target`` as it may be printed: a URL's password (in the user part or as a
    ``password=`` parameter) is replaced by ***."""
    text = str(target)
    if not is_server_url(text):
        return text
    scheme, sep, rest = text.partition("://")
    # Up to the last "@": a password may hold "/", "?" or "@" unescaped; hiding too
    # much (a host:port after an "@" in a parameter) is better than showing it.
    userinfo, at, after = rest.rpartition("@")
    if sep and at and ":" in userinfo:
        text = f"{scheme}{sep}{userinfo.split(':', 1)[0]}:***@{after}"
    return _PASSWORD_IN_QUERY.sub(r"\1***", text)


def database_file(target: str | Path, *, named: str = "--db") -> Path:
    """The database file ``target`` names, where only a file will do (callers that can
    use a server check ``is_server_url`` first). A PostgreSQL URL is refused
    (HemalogError naming it, password hidden). ``named``: how the target was given
    (--db, HEMALOG_DB), for the message."""
    if is_server_url(target):
        raise HemalogError([
            f"{named} {shown_target(target)}: this needs a database file, not a server; "
            "nothing was opened",
            "give the path of a database file instead (--db FILE or HEMALOG_DB=FILE)"])
    return Path(target)


def default_database() -> Path:
    """HEMALOG_DB, else hemalog.db in the user's data folder (created on first use)."""
    env = os.environ.get("HEMALOG_DB")
    if env:
        return database_file(env, named="HEMALOG_DB")
    folder = Path(platformdirs.user_data_dir(APP, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / "hemalog.db"


def settings_folder() -> Path:
    """The user's hemalog settings folder (lab column mappings, the ward's lab codes)."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


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
