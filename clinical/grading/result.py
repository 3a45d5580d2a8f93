"""The outcome of a grading rule: the value, the scale, why, and any flags."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AMBIGUOUS = "ambiguous"
PROVISIONAL = "provisional"


def ambiguous(choice: str) -> str:
    """A flag for a case the published rules leave open, naming the choice made."""
    return f"{AMBIGUOUS}: {choice}"


def provisional(missing: str) -> str:
    """A flag for a grade computed without a finding that was not assessed."""
    return f"{PROVISIONAL}: {missing}"


@dataclass(frozen=True)
class Grade:
    """A computed grade (or category) and everything needed to trust it.

    ``value`` is the grade (0-5), a category ("moderate", "full_donor"), or
    None when it cannot be derived. ``reason`` is one line naming the finding
    and criterion that decided it, e.g. "grade 3: one vasopressor (dopamine)".
    ``flags`` is empty unless the rules leave the case ambiguous or a finding
    was missing. ``details`` holds intermediate results (organ stages, the ICE
    score used, the rounded value compared).
    """

    value: Any
    scale: str
    reason: str
    flags: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def is_ambiguous(self) -> bool:
        return any(f.startswith(AMBIGUOUS) for f in self.flags)
