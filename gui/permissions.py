"""What a role may not do, said in words (the rules themselves live in clinical.accounts)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

import lang
from clinical.accounts import RULES, Role

# Roles as the window's language names them (the record and the audit keep the codes).
ROLE_NAMES = {Role.NURSE: QT_TRANSLATE_NOOP("Role", "nurse"),
              Role.PHYSICIAN: QT_TRANSLATE_NOOP("Role", "physician"),
              Role.ADMIN: QT_TRANSLATE_NOOP("Role", "admin")}

# The verbs and item names the sections pass (English, as the sections name them).
_ACTIONS = {"void": QT_TRANSLATE_NOOP("Permissions", "void"),
            "correct": QT_TRANSLATE_NOOP("Permissions", "correct"),
            "manage": QT_TRANSLATE_NOOP("Permissions", "manage")}
_ITEMS = {"assessment": QT_TRANSLATE_NOOP("Permissions", "assessment"),
          "course": QT_TRANSLATE_NOOP("Permissions", "course"),
          "marrow result": QT_TRANSLATE_NOOP("Permissions", "marrow result"),
          "event": QT_TRANSLATE_NOOP("Permissions", "event"),
          "measurement": QT_TRANSLATE_NOOP("Permissions", "measurement"),
          "lab result": QT_TRANSLATE_NOOP("Permissions", "lab result")}


def role_name(role: Role | str) -> str:
    """'physician' (医师): a role as the window's language says it."""
    return QCoreApplication.translate("Role", ROLE_NAMES[Role(role)])


def _a(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def denied_message(action: str, kind: str, what: str) -> str:
    """'Only a physician may void an assessment.' for ("void", "assessments", "assessment")."""
    roles = sorted(r.value for r in RULES.get((action, kind), frozenset()))
    if lang.current() == lang.EN:
        who = " or ".join(_a(r) for r in roles) or "another role"
        return f"Only {who} may {action} {_a(what)}."
    who = QCoreApplication.translate("Permissions", "or").join(
        role_name(r) for r in roles) or QCoreApplication.translate("Permissions", "another role")
    text = QCoreApplication.translate("Permissions", "Only {who} may {action} {what}.")
    return text.format(who=who, action=_word(_ACTIONS.get(action, action)),
                       what=_word(_ITEMS.get(what, what)))


def _word(english: str) -> str:
    return QCoreApplication.translate("Permissions", english)
