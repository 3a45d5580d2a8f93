"""Errors that carry a message for the person at the keyboard."""

from __future__ import annotations

from collections.abc import Iterable


class HemalogError(Exception):
    """Bad input or a refused operation: shown to the user, never a traceback.

    ``lines`` holds one line per problem (a JSON path or a file, then what is wrong).
    A line may be a ``Msg`` (clinical.messages): ``str`` of it, and the exception's
    text, are the English wording; ``lang.render_lines(exc.lines, language)`` shows
    the lines in the reader's language (plain lines unchanged).
    """

    lines: list[str]

    def __init__(self, lines: str | Iterable[str]) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


class NotFoundError(HemalogError):
    """The patient or item asked for does not exist."""


class ConflictError(HemalogError):
    """Someone else saved the same item first; both values are in the message."""

    def __init__(self, lines: str | Iterable[str], *, current: object = None,
                 attempted: object = None) -> None:
        super().__init__(lines)
        self.current = current
        self.attempted = attempted
