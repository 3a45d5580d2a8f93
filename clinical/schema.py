"""A small declarative parser for JSON documents that collects every problem.

Each parser takes ``(value, path, problems)`` and returns the parsed value or
``INVALID``. Problems carry the JSON path, so a message reads
``courses[3].drugs[1].dose: must be > 0``. The same parsers check whole
records on import and single items typed into a form.

A problem's message is a ``Msg`` (clinical.messages): a stable code such as
``validation.number.gt`` and its parameters (the limit, the expected type, the
allowed values). Its English text is the wording hemalog has always shown; the
presentation layer renders it in the reader's language. The path stays as it
is in every language: it names the field of the record format.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Final

from clinical.messages import Msg, Seq, msg, translate
from clinical.plain_text import printable, text_problem

__all__ = [
    "INVALID", "Problem", "Problems", "Field", "Parser",
    "text", "integer", "number", "boolean", "iso_date", "enum_of", "list_of",
    "string_map", "parse_object", "join", "LINE", "ONE_OF", "REQUIRED", "UNKNOWN_KEY",
]


class _Invalid:
    """Marker for a value that failed to parse (its problem is recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()


# A problem as one line: the path (English in every language: it names the field)
# and what is wrong with it.
LINE = translate("validation", "{path}: {message}", "validation.line")

WRONG_TYPE = translate("validation", "must be {expected}, not {actual}", "validation.wrong_type")
# What a value must be, or what it was instead (``WRONG_TYPE``'s parameters).
TYPE_TEXT = translate("validation", "text", "validation.type.text")
TYPE_NUMBER = translate("validation", "a number", "validation.type.number")
TYPE_WHOLE_NUMBER = translate("validation", "a whole number", "validation.type.whole_number")
TYPE_TRUE_OR_FALSE = translate("validation", "true or false", "validation.type.true_or_false")
TYPE_TRUE_FALSE = translate("validation", "true/false", "validation.type.true_false")
TYPE_DATE = translate("validation", "a date (YYYY-MM-DD)", "validation.type.date")
TYPE_LIST = translate("validation", "a list", "validation.type.list")
TYPE_OBJECT = translate("validation", "an object", "validation.type.object")
TYPE_NULL = translate("validation", "null", "validation.type.null")

INVALID_TEXT = translate("validation", "contains characters that are not valid text",
                         "validation.text.invalid")
EMPTY = translate("validation", "must not be empty", "validation.text.empty")
TOO_LONG = translate("validation", "is too long (more than {limit} characters)",
                     "validation.text.too_long")
NOT_FINITE = translate("validation", "must be a finite number", "validation.number.not_finite")
TOO_LARGE = translate("validation", "is too large to be a real value",
                      "validation.number.too_large")
GT = translate("validation", "must be > {limit}", "validation.number.gt")
GE = translate("validation", "must be >= {limit}", "validation.number.ge")
LE = translate("validation", "must be <= {limit}", "validation.number.le")
LT = translate("validation", "must be < {limit}", "validation.number.lt")
NOT_WHOLE = translate("validation", "must be a whole number", "validation.number.not_whole")
DATE_SHAPE = translate("validation", "must be a date written YYYY-MM-DD, not {value}",
                       "validation.date.shape")
DATE_NOT_REAL = translate("validation", "is not a real calendar date: {value}",
                          "validation.date.not_real")
ONE_OF = translate("validation", "must be one of {allowed}; got {value}", "validation.one_of")
TOO_FEW_ONE = translate("validation", "must have at least {count} item",
                        "validation.list.too_few_one")
TOO_FEW = translate("validation", "must have at least {count} items", "validation.list.too_few")
BAD_KEY = translate("validation", "has an empty or invalid key", "validation.map.bad_key")
KEY_REFUSED = translate("validation", "the key {key} {problem}", "validation.map.key_refused")
UNKNOWN_KEY = translate("validation", "unknown key (known keys: {known})",
                        "validation.object.unknown_key")
REQUIRED = translate("validation", "is required", "validation.required")
NOT_NULL = translate("validation", "must not be null", "validation.not_null")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located by its JSON path.

    ``message`` is a ``Msg`` (its ``code`` and ``params`` say what is wrong); ``str()``
    of the problem is its line, ``path: message``, in English, as always.
    """

    path: str
    message: Msg | str

    @property
    def code(self) -> str:
        """The message's stable code ("" for a message given as plain text)."""
        return self.message.code if isinstance(self.message, Msg) else ""

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.message.params) if isinstance(self.message, Msg) else {}

    @property
    def line(self) -> Msg | str:
        """``path: message`` as a message (the path is kept as it is in every language)."""
        return msg(LINE, path=self.path, message=self.message) if self.path else self.message

    def __str__(self) -> str:
        return self.line


class Problems:
    """Collects problems while a document is parsed."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, message: Msg | str) -> None:
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


def _type_name(value: Any) -> Msg | str:
    if value is None:
        return msg(TYPE_NULL)
    if isinstance(value, bool):
        return msg(TYPE_TRUE_FALSE)
    if isinstance(value, (int, float)):
        return msg(TYPE_NUMBER)
    if isinstance(value, str):
        return msg(TYPE_TEXT)
    if isinstance(value, list):
        return msg(TYPE_LIST)
    if isinstance(value, dict):
        return msg(TYPE_OBJECT)
    return type(value).__name__


def _wrong_type(expected: Msg | str, value: Any, path: str, problems: Problems) -> _Invalid:
    problems.add(path, msg(WRONG_TYPE, expected=expected, actual=_type_name(value)))
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
            return _wrong_type(msg(TYPE_TEXT), value, path, problems)
        if not valid_text(value):
            problems.add(path, msg(INVALID_TEXT))
            return INVALID
        refused = text_problem(value, multiline=multiline)
        if refused:
            problems.add(path, refused)
            return INVALID
        if not allow_empty and not value.strip():
            problems.add(path, msg(EMPTY))
            return INVALID
        if len(value) > max_length:
            problems.add(path, msg(TOO_LONG, limit=max_length))
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
            return _wrong_type(msg(TYPE_NUMBER), value, path, problems)
        if isinstance(value, float) and not math.isfinite(value):
            problems.add(path, msg(NOT_FINITE))
            return INVALID
        if abs(value) > LARGEST_NUMBER:
            problems.add(path, msg(TOO_LARGE))
            return INVALID
        if gt is not None and not value > gt:
            problems.add(path, msg(GT, limit=_fmt(gt)))
            return INVALID
        if ge is not None and not value >= ge:
            problems.add(path, msg(GE, limit=_fmt(ge)))
            return INVALID
        if le is not None and not value <= le:
            problems.add(path, msg(LE, limit=_fmt(le)))
            return INVALID
        if lt is not None and not value < lt:
            problems.add(path, msg(LT, limit=_fmt(lt)))
            return INVALID
        return value
    return parse


def integer(*, ge: int | None = None, le: int | None = None) -> Parser:
    """A whole number; 5.0 is accepted as 5."""
    bounds = number(ge=ge, le=le)

    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not _is_number(value):
            return _wrong_type(msg(TYPE_WHOLE_NUMBER), value, path, problems)
        if abs(value) > LARGEST_NUMBER:
            problems.add(path, msg(TOO_LARGE))
            return INVALID
        if isinstance(value, float):
            if not (math.isfinite(value) and value.is_integer()):
                problems.add(path, msg(NOT_WHOLE))
                return INVALID
            value = int(value)
        return bounds(value, path, problems)
    return parse


def boolean() -> Parser:
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, bool):
            return _wrong_type(msg(TYPE_TRUE_OR_FALSE), value, path, problems)
        return value
    return parse


_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date() -> Parser:
    """A real calendar date written YYYY-MM-DD."""
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, str):
            return _wrong_type(msg(TYPE_DATE), value, path, problems)
        if not _DATE_SHAPE.fullmatch(value):
            problems.add(path, msg(DATE_SHAPE, value=repr(value)))
            return INVALID
        try:
            return date.fromisoformat(value)
        except ValueError:
            problems.add(path, msg(DATE_NOT_REAL, value=value))
            return INVALID
    return parse


def enum_of(enum_type: type[Enum]) -> Parser:
    allowed = [m.value for m in enum_type]
    by_value = {m.value: m for m in enum_type}

    def parse(value: Any, path: str, problems: Problems) -> Any:
        member = by_value.get(value) if isinstance(value, str) else None
        if member is None:
            problems.add(path, msg(ONE_OF, allowed=Seq(allowed, "comma"), value=repr(value)))
            return INVALID
        return member
    return parse


def list_of(item: Parser, *, min_length: int = 0) -> Parser:
    """A list whose items all parse; returns a tuple."""
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, list):
            return _wrong_type(msg(TYPE_LIST), value, path, problems)
        if len(value) < min_length:
            problems.add(path, msg(TOO_FEW if min_length > 1 else TOO_FEW_ONE, count=min_length))
            return INVALID
        out = [item(v, join(path, i), problems) for i, v in enumerate(value)]
        return INVALID if any(v is INVALID for v in out) else tuple(out)
    return parse


def string_map(value_parser: Parser) -> Parser:
    """An object with free text keys, e.g. immunophenotype markers."""
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, dict):
            return _wrong_type(msg(TYPE_OBJECT), value, path, problems)
        out = {}
        for key, v in value.items():
            if not key.strip() or not valid_text(key):
                problems.add(path, msg(BAD_KEY))
                continue
            refused = text_problem(key)
            if refused:
                problems.add(path, msg(KEY_REFUSED, key=printable(key), problem=refused))
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
                 what: Msg | str | None = None) -> dict[str, Any] | None:
    """Parse an object against its fields.

    Returns the parsed values keyed in field order (absent optional keys get
    their default), or None when the value is not an object or any key failed.
    Keys in ``derived`` are written by export and ignored here.
    """
    if not isinstance(value, dict):
        _wrong_type(msg(TYPE_OBJECT) if what is None else what, value, path, problems)
        return None
    before = len(problems)
    for key in value:
        if key not in fields and key not in derived:
            problems.add(join(path, key), msg(UNKNOWN_KEY, known=Seq(fields, "comma")))
    out: dict[str, Any] = {}
    for key, spec in fields.items():
        raw = value.get(key)
        if raw is None:
            if spec.required:
                problems.add(join(path, key), msg(REQUIRED))
            elif key in value and not spec.nullable:
                problems.add(join(path, key), msg(NOT_NULL))
            out[key] = spec.default
            continue
        out[key] = spec.parser(raw, join(path, key), problems)
    return out if len(problems) == before else None
