"""The command line's parts that main.py composes: signing in and finding the database
(cli/access.py) and the PostgreSQL server commands (cli/servers.py). main.py keeps the
parser, the file commands and the crash handling."""

from __future__ import annotations

import lang

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2


def words() -> lang.Words:
    """Words in the language of this command's messages (HEMALOG_LANG, else the locale)."""
    return lang.Words(lang.choose())
