"""A small declarative parser for JSON documents that collects every problem.

Each parser takes ``(value, path, problems)`` and returns the parsed value or
``INVALID``. Problems carry the JSON path, so a message reads
``courses[3].drugs[1].dose: must be > 0``. The same parsers check whole
records on import and single items typed into a form.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Final

from clinical.plain_text import printable, text_problem

__all__ = [
    "INVALID", "Problem", "Problems", "Field", "Parser",
    "text", "integer", "number", "boolean", "iso_date", "enum_of", "list_of",
    "string_map", "parse_object", "join",
]


class _Invalid:
    """Marker for a value that failed to parse (its problem is recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located by its JSON path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class Problems:
    """Collects problems while a document is parsed."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(Problem(path, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


Parser = Callable[[Any, str, Problems], Any]


def join(path: str, key: str | int) -> str:
    """Extend a JSON path with a key (``a.b``) or an index (``a[3]``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _wrong_type(expected: str, value: Any, path: str, problems: Problems) -> _Invalid:
    problems.add(path, f"must be {expected}, not {_type_name(value)}")
    return INVALID


def valid_text(value: str) -> bool:
    """False for text that cannot be stored (lone surrogates from a bad \\ud800 escape)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text(*, allow_empty: bool = False, max_length: int = 10_000,
         multiline: bool = False) -> Parser:
    """Text without control or bidirectional-override characters (see clinical.plain_text).

    ``multiline`` is for free text such as notes: it may also hold newlines and tabs."""
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, str):
            return _wrong_type("text", value, path, problems)
        if not valid_text(value):
            problems.add(path, "contains characters that are not valid text")
            return INVALID
        refused = text_problem(value, multiline=multiline)
        if refused:
            problems.add(path, refused)
            return INVALID
        if not allow_empty and not value.strip():
            problems.add(path, "must not be empty")
            return INVALID
        if len(value) > max_length:
            problems.add(path, f"is too long (more than {max_length} characters)")
            return INVALID
        return value
    return parse


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# No clinical quantity comes near this; larger numbers (or 2**63 and up) cannot
# be stored exactly, so they are refused rather than silently changed.
LARGEST_NUMBER = 1e15


def number(*, gt: float | None = None, ge: float | None = None,
           le: float | None = None, lt: float | None = None) -> Parser:
    """A finite number within the given bounds (ints stay ints)."""
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not _is_number(value):
            return _wrong_type("a number", value, path, problems)
        if isinstance(value, float) and not math.isfinite(value):
            problems.add(path, "must be a finite number")
            return INVALID
        if abs(value) > LARGEST_NUMBER:
            problems.add(path, "is too large to be a real value")
            return INVALID
        if gt is not None and not value > gt:
            problems.add(path, f"must be > {_fmt(gt)}")
            return INVALID
        if ge is not None and not value >= ge:
            problems.add(path, f"must be >= {_fmt(ge)}")
            return INVALID
        if le is not None and not value <= le:
            problems.add(path, f"must be <= {_fmt(le)}")
            return INVALID
        if lt is not None and not value < lt:
            problems.add(path, f"must be < {_fmt(lt)}")
            return INVALID
        return value
    return parse


def integer(*, ge: int | None = None, le: int | None = None) -> Parser:
    """A whole number; 5.0 is accepted as 5."""
    bounds = number(ge=ge, le=le)

    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not _is_number(value):
            return _wrong_type("a whole number", value, path, problems)
        if abs(value) > LARGEST_NUMBER:
            problems.add(path, "is too large to be a real value")
            return INVALID
        if isinstance(value, float):
            if not (math.isfinite(value) and value.is_integer()):
                problems.add(path, "must be a whole number")
                return INVALID
            value = int(value)
        return bounds(value, path, problems)
    return parse


def boolean() -> Parser:
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, bool):
            return _wrong_type("true or false", value, path, problems)
        return value
    return parse


_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date() -> Parser:
    """A real calendar date written YYYY-MM-DD."""
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, str):
            return _wrong_type("a date (YYYY-MM-DD)", value, path, problems)
        if not _DATE_SHAPE.fullmatch(value):
            problems.add(path, f"must be a date written YYYY-MM-DD, not {value!r}")
            return INVALID
        try:
            return date.fromisoformat(value)
        except ValueError:
            problems.add(path, f"is not a real calendar date: {value}")
            return INVALID
    return parse


def enum_of(enum_type: type[Enum]) -> Parser:
    allowed = [m.value for m in enum_type]
    by_value = {m.value: m for m in enum_type}

    def parse(value: Any, path: str, problems: Problems) -> Any:
        member = by_value.get(value) if isinstance(value, str) else None
        if member is None:
            problems.add(path, f"must be one of {', '.join(allowed)}; got {value!r}")
            return INVALID
        return member
    return parse


def list_of(item: Parser, *, min_length: int = 0) -> Parser:
    """A list whose items all parse; returns a tuple."""
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, list):
            return _wrong_type("a list", value, path, problems)
        if len(value) < min_length:
            problems.add(path, f"must have at least {min_length} item{'s' if min_length > 1 else ''}")
            return INVALID
        out = [item(v, join(path, i), problems) for i, v in enumerate(value)]
        return INVALID if any(v is INVALID for v in out) else tuple(out)
    return parse


def string_map(value_parser: Parser) -> Parser:
    """An object with free text keys, e.g. immunophenotype markers."""
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, dict):
            return _wrong_type("an object", value, path, problems)
        out = {}
        for key, v in value.items():
            if not key.strip() or not valid_text(key):
                problems.add(path, "has an empty or invalid key")
                continue
            refused = text_problem(key)
            if refused:
                problems.add(path, f"the key {printable(key)} {refused}")
                continue
            out[key] = value_parser(v, join(path, key), problems)
        return INVALID if any(v is INVALID for v in out.values()) else out
    return parse


@dataclass(frozen=True)
class Field:
    """How one key of an object is parsed."""

    parser: Parser
    required: bool = False
    default: Any = None
    nullable: bool = True  # an explicit null means "not given"


def parse_object(value: Any, path: str, problems: Problems,
                 fields: Mapping[str, Field], *,
                 derived: frozenset[str] = frozenset(),
                 what: str = "an object") -> dict[str, Any] | None:
    """Parse an object against its fields.

    Returns the parsed values keyed in field order (absent optional keys get
    their default), or None when the value is not an object or any key failed.
    Keys in ``derived`` are written by export and ignored here.
    """
    if not isinstance(value, dict):
        _wrong_type(what, value, path, problems)
        return None
    before = len(problems)
    for key in value:
        if key not in fields and key not in derived:
            known = ", ".join(fields)
            problems.add(join(path, key), f"unknown key (known keys: {known})")
    out: dict[str, Any] = {}
    for key, spec in fields.items():
        raw = value.get(key)
        if raw is None:
            if spec.required:
                problems.add(join(path, key), "is required")
            elif key in value and not spec.nullable:
                problems.add(join(path, key), "must not be null")
            out[key] = spec.default
            continue
        out[key] = spec.parser(raw, join(path, key), problems)
    return out if len(problems) == before else None
