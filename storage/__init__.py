"""Storage: schema, migrations, audit, import/export, behind one contract.

The only package that writes SQL. Everything above it holds a
``storage.contract.Store`` opened by ``open_store`` and never names a backend
class. Steps only a database file has (its checks, backups, restore) are
functions of ``storage.backup`` and ``storage.integrity`` that take the target.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from storage.locations import database_file, is_server_url, shown_target

if TYPE_CHECKING:
    from clinical.accounts import User
    from storage.contract import Store

__all__ = ["open_store", "sign_in_counted", "database_file", "is_server_url", "shown_target"]


def open_store(target: str | Path, *, user: str, read_only: bool = False) -> Store:
    """Open the database ``target`` names, as ``user`` (the audit trail's name until
    someone signs in).

    ``target`` is what --db or HEMALOG_DB gives. A path opens the SQLite file there:
    read-write opens create and migrate it; ``read_only`` opens never change a byte
    of it (list, export, report, plot, verify). A ``postgresql://`` URL opens the
    server backend (storage.pg_store): nothing is connected until someone signs in
    (``accounts.sign_in`` connects as that login); read-only opens refuse every write
    on the server.

    Raises HemalogError (DatabaseError) with one clear line for anything that stops it.
    """
    if is_server_url(target):
        from storage.pg_store import PostgresStore, check_url

        return PostgresStore(check_url(str(target)), user=user, read_only=read_only)
    path = database_file(target)
    from storage.repository import SqliteStore  # lazy: storage.outputs & co. stay light

    return SqliteStore(path, user=user, read_only=read_only)


def sign_in_counted(store: Store, username: str, password: str) -> User:
    """``store.accounts.sign_in``, so that a refusal is counted and audited even when
    ``store`` was opened read-only (else guessing passwords through `list` would never
    make a name wait). A read-only SQLite store cannot write, so the attempt goes
    through a short read-write store on the same file when the file may be written;
    on a read-only file or medium refusals are not counted, as before."""
    from storage.database import DatabaseError, is_marked_read_only
    from storage.repository import SqliteStore

    if (isinstance(store, SqliteStore) and store.read_only
            and not is_marked_read_only(store.path) and os.access(store.path, os.W_OK)):
        try:
            writer = SqliteStore(store.path, user=store.user)
        except DatabaseError:   # read-only medium or folder: refusals are not counted there
            return store.accounts.sign_in(username, password)
        with writer:
            return writer.accounts.sign_in(username, password)
    return store.accounts.sign_in(username, password)
