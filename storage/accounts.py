"""Staff accounts in the database: scrypt password hashes with a salt per user."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlite_utils import Database

from collections.abc import Callable

from clinical.accounts import Role, User, check, name_problems, password_problems
from clinical.audit import AuditAction
from clinical.errors import HemalogError
from storage.audit import AuditLog, now_utc
from storage.database import write

# scrypt cost: ~50 ms a check here, slow enough to make guessing expensive.
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def hash_password(password: str, salt: bytes) -> str:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT).hex()


class AccountRepository:
    """Create, check and manage staff accounts (audited like every other write)."""

    def __init__(self, db: Database, audit: AuditLog,
                 role: Callable[[], Role | None] = lambda: None) -> None:
        self._db = db
        self._audit = audit
        self._role = role  # the signed-in role; only an admin manages accounts

    def _user(self, row: dict[str, Any]) -> User:
        return User(row["id"], row["username"], row["display_name"] or row["username"],
                    Role(row["role"]), bool(row["disabled"]))

    def count(self) -> int:
        return self._db.conn.execute("SELECT count(*) FROM users").fetchone()[0]

    def list(self) -> list[User]:
        return [self._user(r) for r in self._db.query("SELECT * FROM users ORDER BY username")]

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
        with write(self._db):
            if self._db.conn.execute("SELECT 1 FROM users WHERE username = ?",
                                     [username]).fetchone():
                raise HemalogError(f"user name: {username} is already taken")
            row = {"username": username, "display_name": display_name or username,
                   "role": role.value, "salt": salt.hex(),
                   "password_hash": hash_password(password, salt), "created_at": now_utc(),
                   "disabled": 0, "version": 1}
            user_id = self._db["users"].insert(row).last_pk
            self._audit.append(patient_id=None, table="users", row_id=user_id,
                               action=AuditAction.INSERT,
                               new={"username": username, "role": role.value})
        return User(user_id, username, row["display_name"], role)

    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password is right and the account is active, else None."""
        rows = list(self._db.query("SELECT * FROM users WHERE username = ?", [username.strip()]))
        if not rows:
            hash_password(password, b"x" * 16)  # same time whether or not the name exists
            return None
        row = rows[0]
        given = hash_password(password, bytes.fromhex(row["salt"]))
        if not hmac.compare_digest(given, row["password_hash"]) or row["disabled"]:
            return None
        return self._user(row)

    def _change(self, user_id: int, values: dict[str, Any], shown: dict[str, Any],
                reason: str) -> None:
        check(self._role(), "manage", "users")
        with write(self._db):
            old = list(self._db.query("SELECT username, role, disabled FROM users WHERE id = ?",
                                      [user_id]))
            if not old:
                raise HemalogError(f"user {user_id} does not exist")
            self._db["users"].update(user_id, values)
            self._audit.append(patient_id=None, table="users", row_id=user_id,
                               action=AuditAction.UPDATE, old=old[0],
                               new={**old[0], **shown}, reason=reason)

    def set_role(self, user_id: int, role: Role) -> None:
        self._change(user_id, {"role": role.value}, {"role": role.value}, "role changed")

    def set_password(self, user_id: int, password: str) -> None:
        problems = password_problems(password)
        if problems:
            raise HemalogError(problems)
        salt = secrets.token_bytes(16)
        self._change(user_id, {"salt": salt.hex(),
                               "password_hash": hash_password(password, salt)},
                     {"password": "changed"}, "password changed")

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self._change(user_id, {"disabled": int(disabled)}, {"disabled": int(disabled)},
                     "account disabled" if disabled else "account enabled")
