"""Convert clinical objects to table rows and back, by their type hints."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from enum import Enum
from functools import cache
from typing import Any

from clinical.errors import HemalogError
from clinical.record import (
    Assessment, Course, DrugLine, Event, Lab, MarrowResult, Measurement, Patient,
)


def _base_type(hint: Any) -> Any:
    """``X | None`` -> X."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else hint
    return hint


@cache
def _columns(cls: type) -> tuple[tuple[str, str, Any], ...]:
    """(field, how, type) for every stored field of a dataclass: how is
    'date', 'enum', 'json' (dicts, lists), 'tuple' (json list read back as a
    tuple) or 'plain'. Nested objects (Course.drugs) are left to the caller."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if f.name in ("id", "version"):
            continue
        tp = _base_type(hints[f.name])
        origin = typing.get_origin(tp) or tp
        if tp is date:
            how = "date"
        elif isinstance(tp, type) and issubclass(tp, Enum):
            how = "enum"
        elif origin is dict or origin is list:
            how = "json"
        elif origin is tuple:
            args = typing.get_args(tp)
            if args and dataclasses.is_dataclass(args[0]):
                continue  # child rows in their own table
            how = "tuple"
        else:
            how = "plain"
        out.append((f.name, how, tp))
    return tuple(out)


def to_row(obj: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, how, _ in _columns(type(obj)):
        value = getattr(obj, name)
        if value is None:
            row[name] = None
        elif how == "date":
            row[name] = value.isoformat()
        elif how == "enum":
            row[name] = value.value
        elif how in ("json", "tuple"):
            row[name] = json.dumps(_jsonable(value), ensure_ascii=False)
        else:
            row[name] = value
    return row


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


# The table each stored class lives in, to name it when a row cannot be read.
TABLES: dict[str, type] = {
    "patients": Patient, "measurements": Measurement, "courses": Course,
    "drug_lines": DrugLine, "events": Event, "labs": Lab, "marrow": MarrowResult,
    "assessments": Assessment,
}
_TABLE_OF = {cls: table for table, cls in TABLES.items()}


class _Unreadable(Exception):
    """A stored value that does not have the form hemalog writes for its field."""


Reader = Callable[[Any], Any]


def _read_str(value: Any) -> str:
    if type(value) is not str:
        raise _Unreadable
    return value


def _read_int(value: Any) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    raise _Unreadable


def _read_float(value: Any) -> float:
    if type(value) is float:
        # Whole numbers come back as ints, as they were given (5, not 5.0).
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if type(value) is int:
        return value
    raise _Unreadable


def _read_date(value: Any) -> date:
    # Only the YYYY-MM-DD that hemalog writes: Python would also read 19700312 or
    # 1970-W11-4, but such a value was not written by hemalog and is reported.
    if type(value) is not str or len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise _Unreadable
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Unreadable from None


def _read_enum(tp: type[Enum]) -> Reader:
    # Each value's member, looked up in a dict: calling the enum costs a few Python
    # calls a row, and a record is read row by row (20,000 labs). Any other value
    # goes through the enum as before.
    members = {member.value: member for member in tp}

    def read(value: Any) -> Enum:
        member = members.get(value) if type(value) is str else None
        if member is not None:
            return member
        try:
            return tp(value)
        except ValueError:
            raise _Unreadable from None
    return read


def _read_json(shape: type, convert: Callable[[Any], Any] = lambda v: v) -> Reader:
    def read(value: Any) -> Any:
        if type(value) is not str:
            raise _Unreadable
        try:
            out = json.loads(value)
        except ValueError:
            raise _Unreadable from None
        if not isinstance(out, shape):
            raise _Unreadable
        try:
            return convert(out)
        except ValueError:
            raise _Unreadable from None
    return read


def _reader(how: str, tp: Any) -> Reader:
    """How to read one column's stored value; the reader raises _Unreadable for
    a value of any other form (a legacy date, text in a number column, bad JSON)."""
    if how == "date":
        return _read_date
    if how == "enum":
        return _read_enum(tp)
    if how == "tuple":
        return _read_json(list, tuple)
    if how == "json":
        if (typing.get_origin(tp) or tp) is not dict:
            return _read_json(list)
        val_type = typing.get_args(tp)[1] if typing.get_args(tp) else None
        if isinstance(val_type, type) and issubclass(val_type, Enum):
            enum_type = val_type
            return _read_json(dict, lambda d: {k: enum_type(v) for k, v in d.items()})
        return _read_json(dict)
    return {str: _read_str, int: _read_int, float: _read_float}.get(tp, lambda v: v)


@cache
def _readers(cls: type) -> tuple[tuple[str, Reader, type | None], ...]:
    """(field, reader, what an absent value becomes: dict, list or None) per column."""
    out = []
    for name, how, tp in _columns(cls):
        empty = None
        if how == "json":
            empty = dict if (typing.get_origin(tp) or tp) is dict else list
        out.append((name, _reader(how, tp), empty))
    return tuple(out)


def unreadable_message(table: str, row_id: Any, field: str) -> str:
    """Names where the bad value is, never the value: messages reach logs and screens."""
    return (f"{table} row {row_id}: {field} is stored in a form hemalog cannot read; "
            "run hemalog verify")


@cache
def row_columns(cls: type) -> tuple[str, ...]:
    """The columns ``from_rows`` reads, in its order: the stored fields, id, version."""
    return (*(name for name, _, _ in _columns(cls)), "id", "version")


def _read_values(readers: tuple[tuple[str, Reader, type | None], ...], values: Iterable[Any],
                 row_id: Any, table: str) -> tuple[dict[str, Any], list[str]]:
    """The fields read from one row's ``values`` (one per reader, in their order), and
    one line per value that could not be read."""
    kwargs: dict[str, Any] = {}
    problems: list[str] = []
    for (name, read, empty), value in zip(readers, values):
        if value is None:
            kwargs[name] = empty() if empty else None
            continue
        try:
            kwargs[name] = read(value)
        except _Unreadable:
            problems.append(unreadable_message(table, row_id, name))
    return kwargs, problems


def _fields(cls: type, row: dict[str, Any], table: str) -> tuple[dict[str, Any], list[str]]:
    return _read_values(_readers(cls), map(row.get, row_columns(cls)), row.get("id"), table)


def row_problems(table: str, row: dict[str, Any]) -> list[str]:
    """One line per stored value of a row of ``table`` that from_row could not read."""
    return _fields(TABLES[table], row, table)[1]


def from_row(cls: type, row: dict[str, Any], **extra: Any) -> Any:
    """The object stored in ``row``; a HemalogError naming the table, row and field
    (not the value) when a value is not in the form hemalog writes."""
    table = _TABLE_OF.get(cls, cls.__name__)
    kwargs, problems = _fields(cls, row, table)
    if problems:
        raise HemalogError(problems)
    return cls(id=row["id"], version=row["version"], **kwargs, **extra)


def from_rows(cls: type, rows: Iterable[Sequence[Any]]) -> list[Any]:
    """``from_row`` for each of ``rows``, tuples of the columns ``row_columns(cls)``:
    a patient's labs, tens of thousands, are read without a dict a row."""
    readers = _readers(cls)
    table = _TABLE_OF.get(cls, cls.__name__)
    out = []
    for row in rows:
        kwargs, problems = _read_values(readers, row, row[-2], table)
        if problems:
            raise HemalogError(problems)
        out.append(cls(id=row[-2], version=row[-1], **kwargs))
    return out
