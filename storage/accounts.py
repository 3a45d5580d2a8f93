"""Staff accounts in the database: scrypt password hashes with a salt per user, signing
in with a wait after repeated failures, every refused sign-in in the audit trail.

Sign-in (issue 14; NIST SP 800-63B throttling, 21 CFR 11.300(d)): each refused
attempt is an audit row naming the name tried and the workstation. After
``LOCK_AFTER`` failures in a row for a name, that name waits ``FIRST_WAIT`` seconds,
doubling with each further failure up to ``MAX_WAIT``; while it waits even the right
password is refused. Names that do not exist are treated exactly alike, and every
refusal reads the same, so nobody learns whether a name exists or is disabled.

How many failures in a row is kept per name in ``sign_in_state`` (name, failures,
last failure), written in the same transaction as the failure's audit row. Counting
the audit rows instead would mean a JSON scan of every sign-in row since the name's
last success at each attempt (no index reaches a name inside new_value), a cost that
grows with the trail and that someone trying a new name each time would maximise;
the small table is one indexed read. The audit rows stay the record of what happened.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from clinical.accounts import (
    PermissionDenied, Role, User, check, name_problems, password_problems,
)
from clinical.audit import AuditAction
from clinical.errors import HemalogError
from storage.audit import AuditLog, now_utc
from storage.sql import ReadOnlyDatabase, Sql, SqlLike, as_sql

__all__ = ["AccountRepository", "SignInRefused", "ScryptParams", "CURRENT", "LEGACY",
           "hash_password", "lock_wait", "LOCK_AFTER", "FIRST_WAIT", "MAX_WAIT",
           "SIGN_IN_TABLE", "LANGUAGES"]

LOCK_AFTER = 5          # failures in a row before a name waits
FIRST_WAIT = 30         # seconds after the LOCK_AFTER-th failure; doubles per further one
MAX_WAIT = 15 * 60      # the wait never grows beyond this
SIGN_IN_TABLE = "sign_in"   # pseudo-table of the sign-in audit rows (row_id 0, no patient)
MAX_NAME_KEPT = 200     # a name tried is stored (audit, wait) up to this many characters

WRONG = "user name or password is wrong (or the account is disabled)"
# The languages an account may choose (issue 15); None (NULL): the system's language.
LANGUAGES = ("en", "zh_CN")


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost: N = 2**log2_n, block size r, parallelism p. Stored per account as
    ``scrypt:16:8:2`` (users.hash_params), so stronger ones can follow later."""

    log2_n: int
    r: int
    p: int

    def __str__(self) -> str:
        return f"scrypt:{self.log2_n}:{self.r}:{self.p}"

    @classmethod
    def parse(cls, text: str | None) -> ScryptParams | None:
        """The parameters in ``text`` (None: an account from before schema 3, LEGACY);
        None for anything else, including costs no hemalog ever wrote."""
        if text is None:
            return LEGACY
        kind, _, rest = text.partition(":")
        try:
            log2_n, r, p = (int(x) for x in rest.split(":"))
        except ValueError:
            return None
        # Bounded so a doctored row cannot ask for more than 1 GiB (OpenSSL's limit is 2 GiB).
        if kind != "scrypt" or not (14 <= log2_n <= 20 and 1 <= r <= 8 and 1 <= p <= 4):
            return None
        return cls(log2_n, r, p)

    @property
    def work(self) -> int:
        """scrypt's work: N·r·p block mixes (N=2^17, p=1 and N=2^16, p=2 are the same)."""
        return 2 ** self.log2_n * self.r * self.p

    def hash(self, password: str, salt: bytes) -> str:
        n = 2 ** self.log2_n
        # OpenSSL needs 128*r*N bytes for the work array (128 MiB at N=2^17, r=8) plus
        # 128*r*p for the blocks; its default limit is 32 MiB, so say how much may be used.
        maxmem = 128 * self.r * (n + self.p) + 2 ** 24
        return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=self.r, p=self.p,
                              dklen=32, maxmem=maxmem).hex()


# OWASP's minimum for scrypt (Password Storage Cheat Sheet) is N=2^17, r=8, p=1, or the
# same work as N=2^16, r=8, p=2, which the sheet lists beside it: half the memory, so
# about 15 % faster on the ward's workstation (0.39 s instead of 0.45 s a check; the
# sign-in target is 0.5 s: benchmarks "sign-in (scrypt N=2^16)"). Accounts hashed at
# N=2^17, p=1 (hemalog 0.1-0.2) did the same work and are not rehashed.
CURRENT = ScryptParams(16, 8, 2)
# Accounts made before issue 14 (hash_params NULL); rehashed at their next sign-in.
LEGACY = ScryptParams(14, 8, 1)


def hash_password(password: str, salt: bytes, params: ScryptParams = CURRENT) -> str:
    return params.hash(password, salt)


def lock_wait(failures: int) -> int:
    """Seconds a name waits after ``failures`` failures in a row (0: it may try again)."""
    if failures < LOCK_AFTER:
        return 0
    return min(FIRST_WAIT * 2 ** min(failures - LOCK_AFTER, 10), MAX_WAIT)


class SignInRefused(HemalogError):
    """A refused sign-in. ``wait_seconds`` 0: the name or password is wrong (or the
    account disabled: the words never say which); above 0: the name must wait so long."""

    def __init__(self, wait_seconds: int = 0) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(WRONG if wait_seconds <= 0 else
                         f"too many failed sign-ins for this name: try again in "
                         f"{wait_seconds} s")


class AccountRepository:
    """Create, check and manage staff accounts (audited like every other write)."""

    def __init__(self, sql: SqlLike, audit: AuditLog,
                 role: Callable[[], Role | None] = lambda: None) -> None:
        self._sql = as_sql(sql)
        self._audit = audit
        self._role = role  # the signed-in role; only an admin manages accounts

    def _user(self, row: dict[str, Any]) -> User:
        # No language column: a schema 3 file opened read-only. A value hemalog never
        # writes reads as not chosen.
        language = row.get("language")
        return User(row["id"], row["username"], row["display_name"] or row["username"],
                    Role(row["role"]), bool(row["disabled"]),
                    language if language in LANGUAGES else None)

    def count(self) -> int:
        return self._sql.scalar("SELECT count(*) FROM users")

    def list(self) -> list[User]:
        return [self._user(r) for r in self._sql.query("SELECT * FROM users ORDER BY username")]

    def create(self, username: str, password: str, role: Role,
               display_name: str | None = None) -> User:
        if self.count():  # the very first account (the admin) is made at first run
            check(self._role(), "manage", "users")
        username = username.strip()
        problems = ([] if username else ["user name: must not be empty"]) + \
            name_problems("user name", username) + \
            name_problems("display name", display_name or "") + \
            password_problems(password)
        if problems:
            raise HemalogError(problems)
        salt = secrets.token_bytes(16)
        with self._sql.transaction():
            if self._sql.scalar("SELECT 1 FROM users WHERE username = ?",
                                [username]) is not None:
                raise HemalogError(f"user name: {username} is already taken")
            # The id as every other table's (SQLite gave the rowid: the same number).
            user_id = self._sql.scalar("SELECT coalesce(max(id), 0) + 1 FROM users")
            row = {"id": user_id, "username": username,
                   "display_name": display_name or username,
                   "role": role.value, "salt": salt.hex(),
                   "password_hash": hash_password(password, salt), "created_at": now_utc(),
                   "disabled": 0, "version": 1, "hash_params": str(CURRENT)}
            self._sql.insert("users", row)
            self._audit.append(patient_id=None, table="users", row_id=user_id,
                               action=AuditAction.INSERT,
                               new={"username": username, "role": role.value})
        return User(user_id, username, row["display_name"], role)

    # --- signing in -----------------------------------------------------------------

    def sign_in(self, username: str, password: str, *, now: float | None = None) -> User:
        """The account, when the password is right, the account active and the name not
        waiting; otherwise SignInRefused, worded alike whether the name exists or not.

        ``now``: seconds as time.time() gives them (tests pass a clock they control).
        Each refusal is an audit row. A database opened read-only (list, export...)
        cannot record one: sign-in there still refuses, and a wait already recorded
        still applies, but the refusal is neither audited nor counted.
        A success clears the name's failures and rehashes a password stored with
        older scrypt parameters (when the database can be written).
        """
        now = time.time() if now is None else now
        name = username.strip()
        tried = name[:MAX_NAME_KEPT]
        failures, last_failure = self._failures(tried)
        left = self._seconds_left(failures, last_failure, now)
        if left:
            # Not counted (the wait would grow while the person waits) nor checked: even
            # the right password is refused now, and answering at once tells nothing.
            self._record_refusal(tried, now, "waiting", counted=False, left=left)
            raise SignInRefused(left)
        row = self._row(name) if name else None
        params = ScryptParams.parse(row.get("hash_params")) if row else None
        if row is None or params is None:
            hash_password(password, secrets.token_bytes(16))  # the same time either way
            why, upgraded = "no such user" if row is None else "unreadable hash", None
        else:
            try:
                upgraded = self._check(row, password, params)
            except ValueError:  # a salt that is not hex: the row was edited outside hemalog
                upgraded = None
            why = ("wrong password" if upgraded is None else
                   "account disabled" if row["disabled"] else "")
        if why:
            counted = self._record_refusal(tried, now, why, counted=True)
            raise SignInRefused(lock_wait(counted))
        assert row is not None and upgraded is not None
        self._signed_in(row, tried, failures, upgraded)
        return self._user(row)

    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password is right and the account is active, else None
        (sign_in without the reason; the refusal is still audited and counted)."""
        try:
            return self.sign_in(username, password)
        except SignInRefused:
            return None

    def verify_password(self, user: User, password: str) -> bool:
        """True when ``password`` is ``user``'s and the account may sign in now: the second
        part of an electronic signature (21 CFR 11.200). A wrong password counts as a
        failed sign-in of that name, and a name that must wait cannot sign."""
        try:
            return self.sign_in(user.username, password).id == user.id
        except SignInRefused:
            return False

    def locked(self, now: float | None = None) -> list[tuple[str, int]]:
        """(name tried, seconds left) for each name that must wait now, by name."""
        now = time.time() if now is None else now
        if not self._has_state_table():
            return []
        rows = self._sql.query(
            "SELECT name, failures, last_failure_at FROM sign_in_state WHERE failures >= ? "
            "ORDER BY name", [LOCK_AFTER])
        waiting = [(r["name"], self._seconds_left(r["failures"], r["last_failure_at"], now))
                   for r in rows]
        return [(name, left) for name, left in waiting if left]

    def unlock(self, username: str) -> None:
        """Clear a name's failures (and so its wait): an administrator's action, audited."""
        if self._role() is not Role.ADMIN:  # a lock exists only where accounts do
            raise PermissionDenied("only an admin may unlock a user name")
        name = username.strip()[:MAX_NAME_KEPT]
        with _recording(self._sql):
            failures = self._sql.scalar("SELECT failures FROM sign_in_state WHERE name = ?",
                                        [name])
            if failures is None:
                raise HemalogError(f"{name}: no failed sign-ins to clear")
            self._sql.execute("DELETE FROM sign_in_state WHERE name = ?", [name])
            self._audit.append(patient_id=None, table=SIGN_IN_TABLE, row_id=0,
                               action=AuditAction.UNLOCK,
                               old={"name tried": name, "failures": failures},
                               new={"name tried": name, "workstation": self._audit.workstation},
                               reason="unlocked by an administrator")

    def _row(self, name: str) -> dict[str, Any] | None:
        return self._sql.query_one("SELECT * FROM users WHERE username = ?", [name])

    @staticmethod
    def _check(row: dict[str, Any], password: str, params: ScryptParams) -> str | None:
        """None when the password is wrong; else the hash to store: "" when the stored
        one does CURRENT's work, "salt:hash" at CURRENT when it does less (computed in
        any case, right or wrong, so an older account takes as long as a current one)."""
        given = params.hash(password, bytes.fromhex(row["salt"]))
        fresh = ""
        if params.work < CURRENT.work:
            salt = secrets.token_bytes(16)
            fresh = f"{salt.hex()}:{CURRENT.hash(password, salt)}"
        return fresh if hmac.compare_digest(given, row["password_hash"]) else None

    def _has_state_table(self) -> bool:
        """False on a schema 2 file opened read-only (read as it is, never migrated)."""
        return "sign_in_state" in self._sql.tables()

    def _failures(self, name: str) -> tuple[int, float]:
        if not self._has_state_table():
            return 0, 0.0
        row = self._sql.query_one("SELECT failures, last_failure_at FROM sign_in_state "
                                  "WHERE name = ?", [name])
        return (row["failures"], row["last_failure_at"]) if row else (0, 0.0)

    @staticmethod
    def _seconds_left(failures: int, last_failure: float, now: float) -> int:
        wait = lock_wait(failures)
        # A clock set back does not make the wait longer than it was.
        return max(0, min(wait, math.ceil(last_failure + wait - now))) if wait else 0

    def _record_refusal(self, name: str, now: float, why: str, *, counted: bool,
                        left: int = 0) -> int:
        """The audit row of a refused sign-in and, if ``counted``, one more failure in a
        row for ``name``; returns the failures in a row now (0 when nothing could be
        written: a database opened read-only)."""
        new: dict[str, Any] = {"name tried": name, "workstation": self._audit.workstation,
                               "refused": why}
        if left:
            new["seconds left"] = left
        if not self._has_state_table():
            return 0
        try:
            with _recording(self._sql):
                failures = 0
                if counted:
                    self._sql.execute(
                        "INSERT INTO sign_in_state (name, failures, last_failure_at) "
                        "VALUES (?, 1, ?) ON CONFLICT(name) DO UPDATE SET "
                        "failures = sign_in_state.failures + 1, "
                        "last_failure_at = excluded.last_failure_at",
                        [name, now])
                    failures = self._sql.scalar(
                        "SELECT failures FROM sign_in_state WHERE name = ?", [name])
                    new["failures in a row"] = failures
                self._audit.append(patient_id=None, table=SIGN_IN_TABLE, row_id=0,
                                   action=AuditAction.SIGN_IN_FAILED, new=new)
        except _ReadOnly:
            return 0
        return failures

    def _signed_in(self, row: dict[str, Any], name: str, failures: int, upgraded: str) -> None:
        """After a success: clear the name's failures; store a hash made with older
        parameters again at CURRENT (audited, under the account's own name, without the
        hash). Skipped where the database cannot be written (opened read-only)."""
        if not (failures or upgraded) or not self._has_state_table():
            return  # nothing to do, or a schema 2 file opened read-only
        try:
            with _recording(self._sql):
                if failures:
                    self._sql.execute("DELETE FROM sign_in_state WHERE name = ?", [name])
                if upgraded:
                    salt, password_hash = upgraded.split(":")
                    self._update(row["id"], {"salt": salt, "password_hash": password_hash,
                                             "hash_params": str(CURRENT)})
                    shown = {k: row[k] for k in ("username", "role", "disabled")}
                    AuditLog(self._sql, row["username"], self._audit.workstation).append(
                        patient_id=None, table="users", row_id=row["id"],
                        action=AuditAction.UPDATE, old=shown,
                        new={**shown, "password": f"rehashed ({CURRENT})"},
                        reason="password hash upgraded to stronger parameters at sign-in")
        except _ReadOnly:
            return

    # --- account management (admin) ------------------------------------------------

    def _update(self, user_id: int, values: dict[str, Any]) -> None:
        """Set ``values`` (column names of ours, never a caller's) on users row ``user_id``."""
        self._sql.execute(f"UPDATE users SET {', '.join(f'{k} = ?' for k in values)} "
                          "WHERE id = ?", [*values.values(), user_id])

    def _change(self, user_id: int, values: dict[str, Any], shown: dict[str, Any],
                reason: str) -> None:
        check(self._role(), "manage", "users")
        with self._sql.transaction():
            old = self._sql.query_one("SELECT username, role, disabled FROM users WHERE id = ?",
                                      [user_id])
            if old is None:
                raise HemalogError(f"user {user_id} does not exist")
            self._update(user_id, values)
            self._audit.append(patient_id=None, table="users", row_id=user_id,
                               action=AuditAction.UPDATE, old=old,
                               new={**old, **shown}, reason=reason)

    def set_role(self, user_id: int, role: Role) -> None:
        self._change(user_id, {"role": role.value}, {"role": role.value}, "role changed")

    def set_password(self, user_id: int, password: str) -> None:
        problems = password_problems(password)
        if problems:
            raise HemalogError(problems)
        salt = secrets.token_bytes(16)
        self._change(user_id, {"salt": salt.hex(),
                               "password_hash": hash_password(password, salt),
                               "hash_params": str(CURRENT)},
                     {"password": "changed"}, "password changed")

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self._change(user_id, {"disabled": int(disabled)}, {"disabled": int(disabled)},
                     "account disabled" if disabled else "account enabled")

    # --- preferences (the account's own) -------------------------------------------

    def set_language(self, username: str, language: str | None) -> User:
        """Choose the language ``username`` sees ("en", "zh_CN"; None: the system's).

        The signed-in user may choose their own; an administrator anyone's. Audited
        under the signed-in user like every account change (old and new language);
        choosing the language already set writes nothing. Returns the account as it is
        now.
        """
        if language is not None and language not in LANGUAGES:
            raise HemalogError(f"language: {language!r} is not one hemalog offers: "
                               f"{' or '.join(LANGUAGES)}, or none for the system's language")
        name = username.strip()
        role = self._role()   # refuses when the database has accounts and no one signed in
        if role is not None and role is not Role.ADMIN and name != self._audit.user:
            raise PermissionDenied("only an admin may choose another user's language")
        with self._sql.transaction():   # a failure is one clear line (storage.sql.SqlError)
            row = self._row(name)
            if row is None:
                raise HemalogError(f"user name: {name} does not exist")
            if row.get("language") != language:
                shown = {k: row[k] for k in ("username", "role", "disabled")}
                self._update(row["id"], {"language": language})
                self._audit.append(patient_id=None, table="users", row_id=row["id"],
                                   action=AuditAction.UPDATE,
                                   old={**shown, "language": row.get("language")},
                                   new={**shown, "language": language},
                                   reason="language changed")
                row = {**row, "language": language}
        return self._user(row)


class _ReadOnly(Exception):
    """The database was opened read-only: nothing can be recorded."""


@contextmanager
def _recording(sql: Sql) -> Iterator[None]:
    """A write transaction for sign-in bookkeeping: a read-only database raises _ReadOnly
    (the caller carries on without recording); any other failure is one clear line
    (storage.sql.SqlError)."""
    try:
        with sql.transaction():
            yield
    except ReadOnlyDatabase:
        raise _ReadOnly from None
