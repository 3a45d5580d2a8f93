"""Convert clinical objects to table rows and back, by their type hints."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from enum import Enum
from functools import cache
from typing import Any


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


def from_row(cls: type, row: dict[str, Any], **extra: Any) -> Any:
    kwargs: dict[str, Any] = {}
    for name, how, tp in _columns(cls):
        value = row.get(name)
        if value is None:
            if how == "json":
                value = {} if (typing.get_origin(tp) or tp) is dict else []
            kwargs[name] = value
            continue
        if how == "date":
            value = date.fromisoformat(value)
        elif how == "enum":
            value = tp(value)
        elif how == "json":
            value = json.loads(value)
            val_type = typing.get_args(tp)[1] if typing.get_origin(tp) is dict else None
            if isinstance(val_type, type) and issubclass(val_type, Enum):
                value = {k: val_type(v) for k, v in value.items()}
        elif how == "tuple":
            value = tuple(json.loads(value))
        elif isinstance(value, float) and value.is_integer() and tp in (float, "float"):
            value = int(value) if abs(value) < 2**53 else value
        kwargs[name] = value
    return cls(id=row["id"], version=row["version"], **kwargs, **extra)
