"""The outcome of a grading rule: the value, the scale, why, and any flags.

Reasons and flags are ``Msg``s (clinical/messages.py): their English text is the
wording the rules have always produced, and their code and parameters let the
reader's language render them. The helpers here build the shapes every scale
shares: "grade 3: <clause>", "<clause>; <note>", "<findings> not assessed", and
the "ambiguous: ..." / "provisional: ..." flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from clinical.messages import Msg, Seq, msg, translate

__all__ = ["AMBIGUOUS", "PROVISIONAL", "Grade", "ambiguous", "provisional", "graded",
           "noted", "not_assessed", "clauses"]

AMBIGUOUS = "ambiguous"
PROVISIONAL = "provisional"

_AMBIGUOUS = translate("clinical", "ambiguous: {choice}", "grading.ambiguous")
_PROVISIONAL = translate("clinical", "provisional: {missing}", "grading.provisional")
# "grade 3: one vasopressor (dopamine)": the grade and the clause that decided it.
_GRADE = translate("clinical", "grade {grade}: {because}", "grading.grade")
_NOTED = translate("clinical", "{text}; {note}", "grading.noted")
_NOT_ASSESSED = translate("clinical", "{what} not assessed", "grading.not_assessed")
# Several clauses of the same grade, joined by the reader's "and".
_CLAUSES = translate("clinical", "{clauses}", "grading.clauses")


def ambiguous(choice: str) -> Msg:
    """A flag for a case the published rules leave open, naming the choice made."""
    return msg(_AMBIGUOUS, choice=choice)


def provisional(missing: str) -> Msg:
    """A flag for a grade computed without a finding that was not assessed."""
    return msg(_PROVISIONAL, missing=missing)


def graded(grade: Any, because: str) -> Msg:
    """"grade {grade}: {because}" (``grade`` as shown: 3, or "II" for aGVHD)."""
    return msg(_GRADE, grade=grade, because=because)


def noted(text: str, note: str) -> Msg:
    """"{text}; {note}": a clause with a note appended (what was not assessed...)."""
    return msg(_NOTED, text=text, note=note)


def not_assessed(what: str | Sequence[str]) -> Msg:
    """"{what} not assessed"; several findings are listed with commas."""
    items = Seq(what, "comma") if not isinstance(what, str) else what
    return msg(_NOT_ASSESSED, what=items)


def clauses(items: Sequence[str]) -> str:
    """One clause, or several joined by "and" (one Msg either way)."""
    if len(items) == 1:
        return items[0]
    return msg(_CLAUSES, clauses=Seq(items, "and"))


@dataclass(frozen=True)
class Grade:
    """A computed grade (or category) and everything needed to trust it.

    ``value`` is the grade (0-5), a category ("moderate", "full_donor"), or
    None when it cannot be derived. ``reason`` is one line naming the finding
    and criterion that decided it, e.g. "grade 3: one vasopressor (dopamine)".
    ``flags`` is empty unless the rules leave the case ambiguous or a finding
    was missing. ``details`` holds intermediate results (organ stages, the ICE
    score used, the rounded value compared).

    ``reason`` and each flag are ``Msg``s from the graders here (a ``str``
    whose value is the English text); other rules may still give plain text.
    """

    value: Any
    scale: str
    reason: str
    flags: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def __init__(self, value: Any, scale: str, reason: str, flags: tuple[str, ...] = (),
                 details: dict[str, Any] | None = None) -> None:
        # The dataclass's own frozen __init__ sets each field through object.__setattr__;
        # grading makes one Grade per assessment (100,000 in a registry roll-up), so the
        # fields are written straight into the instance's dict. Still frozen: assigning
        # a field raises.
        fields = self.__dict__
        fields["value"] = value
        fields["scale"] = scale
        fields["reason"] = reason
        fields["flags"] = flags
        fields["details"] = {} if details is None else details

    @property
    def is_ambiguous(self) -> bool:
        return any(f.startswith(AMBIGUOUS) for f in self.flags)

    @property
    def because(self) -> str:
        """The reason without its "grade 3: " (or "severe: ", "ungradeable: ") prefix.

        A ``Msg`` reason built with a ``because`` parameter gives that clause (a
        ``Msg`` too, so it renders in the reader's language); otherwise the text
        after the first ": ", or the whole reason when it has none. The English
        is what ``reason.split(": ", 1)[1]`` gave.
        """
        reason = self.reason
        if isinstance(reason, Msg) and "because" in reason.params:
            return reason.params["because"]  # type: ignore[no-any-return]
        return reason.split(": ", 1)[1] if ": " in reason else reason
