"""Staff accounts and what each role may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clinical.errors import HemalogError
from clinical.plain_text import text_problem


class Role(StrEnum):
    NURSE = "nurse"
    PHYSICIAN = "physician"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool = False


class PermissionDenied(HemalogError):
    """The signed-in role may not do this."""


# (action, kind) -> roles allowed. Anything not listed is open to every role.
RULES: dict[tuple[str, str], frozenset[Role]] = {
    ("void", "assessments"): frozenset({Role.PHYSICIAN}),
    ("manage", "users"): frozenset({Role.ADMIN}),
    ("restore", "database"): frozenset({Role.ADMIN}),
    ("backup", "database"): frozenset({Role.ADMIN}),
}

MIN_PASSWORD = 8


def allowed(role: Role | None, action: str, kind: str) -> bool:
    """None means the database has no staff accounts yet, so no one can sign in and the
    rules do not apply. Once it has accounts the store refuses everything until someone
    signs in (storage.repository.SqliteStore), so None never reaches here then."""
    roles = RULES.get((action, kind))
    return role is None or roles is None or role in roles


def check(role: Role | None, action: str, kind: str) -> None:
    if not allowed(role, action, kind):
        who = " or ".join(("an " if r[0] in "aeiou" else "a ") + r
                          for r in sorted(r.value for r in RULES[(action, kind)]))
        what = "the database" if kind == "database" else kind.replace("_", " ")
        verb = "back up" if action == "backup" else action
        raise PermissionDenied(f"only {who} may {verb} {what}")


def password_problems(password: str) -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(f"password: at least {MIN_PASSWORD} characters")
    if password.strip() != password:
        problems.append("password: no spaces at the start or end")
    return problems


def name_problems(what: str, name: str) -> list[str]:
    """Problems with a user name or display name: shown in the status bar, the history
    and every audit row, so the rule for patient names applies (no control characters,
    no bidirectional overrides)."""
    refused = text_problem(name)
    return [f"{what}: {refused}"] if refused else []
