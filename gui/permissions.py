"""What a role may not do, said in words (the rules themselves live in clinical.accounts)."""

from __future__ import annotations

from clinical.accounts import RULES


def _a(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def denied_message(action: str, kind: str, what: str) -> str:
    """'Only a physician may void an assessment.' for ("void", "assessments", "assessment")."""
    roles = sorted(r.value for r in RULES.get((action, kind), frozenset()))
    who = " or ".join(_a(r) for r in roles) or "another role"
    return f"Only {who} may {action} {_a(what)}."
