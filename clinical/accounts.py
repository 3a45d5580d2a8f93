"""Staff accounts and what each role may do.

The refusals and password rules are ``Msg`` values (clinical.messages, context
"validation"): English as always in ``str()``, rendered in the reader's language
by the presentation layer. Each names what it is about (the password, the user
name, the action refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clinical.errors import HemalogError
from clinical.messages import Msg, Seq, msg, translate
from clinical.plain_text import text_problem
from clinical.schema import LINE


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
    # The language the person chose ("en", "zh_CN"); None: not chosen, the system's applies.
    language: str | None = None


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

# "only {who} may {action}": who is the allowed roles joined by "or".
ONLY_ROLE = translate("validation", "only {who} may {action}", "validation.permission.only_role")
ROLE_WORDS = {
    Role.NURSE: translate("validation", "a nurse", "validation.permission.role.nurse"),
    Role.PHYSICIAN: translate("validation", "a physician", "validation.permission.role.physician"),
    Role.ADMIN: translate("validation", "an admin", "validation.permission.role.admin"),
}
ACTION_WORDS = {
    ("void", "assessments"): translate("validation", "void assessments",
                                       "validation.permission.void_assessments"),
    ("manage", "users"): translate("validation", "manage users",
                                   "validation.permission.manage_users"),
    ("restore", "database"): translate("validation", "restore the database",
                                       "validation.permission.restore_database"),
    ("backup", "database"): translate("validation", "back up the database",
                                      "validation.permission.backup_database"),
}

PASSWORD_TOO_SHORT = translate("validation", "password: at least {count} characters",
                               "validation.password.too_short")
PASSWORD_SPACES = translate("validation", "password: no spaces at the start or end",
                            "validation.password.spaces")
# The names of the account fields a name problem is about (``name_problems``).
NAME_FIELDS = {
    "user name": translate("validation", "user name", "validation.field.user_name"),
    "display name": translate("validation", "display name", "validation.field.display_name"),
}

# A change that alters what the record means is signed again (storage.repository).
SIGNATURE_VOID = translate("validation", "voiding an item", "validation.signature.void")
SIGNATURE_CORRECT = translate("validation", "correcting a graded assessment",
                              "validation.signature.correct")
SIGNATURE_MISSING = translate("validation", "a signature is needed: {what} asks for the signer's password again", "validation.signature.missing")
SIGNATURE_INCOMPLETE = translate("validation", "a signature is needed: {what} needs who signed, the meaning and when", "validation.signature.incomplete")
SIGNATURE_OTHER_USER = translate("validation", "a signature is needed: signed by {signer}, but {user} is signed in", "validation.signature.other_user")


def needs_signature(table: str, action: str) -> bool:
    """Where a change alters what the record means, the signer signs again (21 CFR
    11.200): voiding anything, and correcting a graded assessment (CRS, ICANS, GVHD)."""
    return action == "void" or (action == "update" and table == "assessments")


def allowed(role: Role | None, action: str, kind: str) -> bool:
    """None means the database has no staff accounts yet, so no one can sign in and the
    rules do not apply. Once it has accounts the store refuses everything until someone
    signs in (storage.repository.SqliteStore), so None never reaches here then."""
    roles = RULES.get((action, kind))
    return role is None or roles is None or role in roles


def check(role: Role | None, action: str, kind: str) -> None:
    if not allowed(role, action, kind):
        raise PermissionDenied(denied(action, kind))


def denied(action: str, kind: str) -> Msg:
    """'only a physician may void assessments': the refusal of ``check``."""
    roles = sorted(RULES.get((action, kind), frozenset()), key=lambda r: r.value)
    who = Seq((msg(ROLE_WORDS[r]) if r in ROLE_WORDS else r.value for r in roles), "or")
    words = ACTION_WORDS.get((action, kind))
    if words is not None:
        return msg(ONLY_ROLE, who=who, action=msg(words))
    what = "the database" if kind == "database" else kind.replace("_", " ")
    verb = "back up" if action == "backup" else action
    return msg(ONLY_ROLE, who=who, action=f"{verb} {what}")


def password_problems(password: str) -> list[Msg]:
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(msg(PASSWORD_TOO_SHORT, count=MIN_PASSWORD))
    if password.strip() != password:
        problems.append(msg(PASSWORD_SPACES))
    return problems


def name_problems(what: str, name: str) -> list[Msg]:
    """Problems with a user name or display name: shown in the status bar, the history
    and every audit row, so the rule for patient names applies (no control characters,
    no bidirectional overrides).

    ``what`` names the field: "user name" and "display name" are words of the reader's
    language; anything else (an option such as ``--user``) is kept as it is."""
    refused = text_problem(name)
    if not refused:
        return []
    field = msg(NAME_FIELDS[what]) if what in NAME_FIELDS else what
    return [msg(LINE, path=field, message=refused)]
