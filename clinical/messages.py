"""Structured messages: what clinical/ says, as a code and its parameters.

A grade's reason, a flag, a dose warning or a validation problem is a ``Msg``:
a declared template (a stable ``code``, a context and its English wording) and
named parameters (the deciding finding, the criterion, the numbers). The
presentation layer renders it in the reader's language (``lang.render``).

``Msg`` is also a ``str`` whose value is the English rendering, so the wording
the rules have always produced, the record export (English by contract) and the
audit trail see exactly the text they saw before; only a reader that asks for
another language looks at the code and parameters.

Templates are declared with ``translate(context, english, code)``. The name is
the one Qt's ``lupdate`` collects, so every template lands in
``resources/i18n/hemalog_zh_CN.ts`` with its code as the disambiguating comment;
nothing here imports Qt.

Parameters may be text (typed data such as a drug name, shown as typed), numbers
(shown as ``str()`` shows them), another ``Msg`` (a vocabulary word, a nested
clause), or a ``Seq`` (clauses joined by the reader's "and", comma or semicolon).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Template", "Msg", "Seq", "translate", "msg", "render", "templates",
           "Lookup", "EN_SEPARATORS", "placeholders", "as_written"]


@dataclass(frozen=True)
class Template:
    """A message the rules can say: its code, Qt context and English wording."""

    code: str
    context: str
    english: str


_TEMPLATES: dict[str, Template] = {}


def translate(context: str, english: str, code: str) -> Template:
    """Declare a message template (named for Qt's lupdate, which collects the call).

    ``english`` uses ``str.format`` fields (``{drug}``); the Chinese wording in the
    catalogue must use the same fields. Declaring a code twice with different text
    is a programming error.
    """
    template = Template(code, context, english)
    known = _TEMPLATES.setdefault(code, template)
    if known != template:
        raise ValueError(f"message code {code!r} declared twice with different text")
    return template


def templates() -> dict[str, Template]:
    """Every template declared so far (import the modules that declare them first)."""
    return dict(_TEMPLATES)


def placeholders(text: str) -> set[str]:
    """The ``{field}`` names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class Seq:
    """Items joined by the reader's word: ``sep`` is "and", "or", "comma" or "semicolon"."""

    items: tuple[Any, ...]
    sep: str = "comma"

    def __init__(self, items: Iterable[Any], sep: str = "comma") -> None:
        if sep not in EN_SEPARATORS:
            raise ValueError(f"unknown separator {sep!r}")
        object.__setattr__(self, "items", tuple(items))
        object.__setattr__(self, "sep", sep)

    def __str__(self) -> str:
        return render(self)


EN_SEPARATORS: Mapping[str, str] = {"and": " and ", "or": " or ", "comma": ", ",
                                    "semicolon": "; "}

# (template) -> wording in the reader's language, or None to keep the English.
Lookup = Callable[[Template], "str | None"]


class Msg(str):
    """A message: ``str(m)`` is its English text; ``code`` and ``params`` its structure."""

    template: Template
    params: Mapping[str, Any]

    def __new__(cls, template: Template, **params: Any) -> Msg:
        missing = placeholders(template.english) - params.keys()
        if missing:
            raise ValueError(f"message {template.code!r} needs {sorted(missing)}")
        self = super().__new__(cls, _format(template.english, params, None, EN_SEPARATORS))
        self.template = template
        self.params = dict(params)
        return self

    @property
    def code(self) -> str:
        return self.template.code

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, dict(self.params)))

    def __repr__(self) -> str:
        return f"Msg({self.code!r}, {str(self)!r})"


def _rebuild(template: Template, params: dict[str, Any]) -> Msg:
    return Msg(template, **params)


def as_written(value: Any) -> Any:
    """A finding's number as the record file writes it (34.0 as 34): a reason that quotes
    a finding as entered reads the same before and after an export and import. (A
    number rounded for a comparison is shown as rounded, "10.0", and not passed here.)"""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def msg(template: Template, **params: Any) -> Msg:
    """A message from a declared template and its parameters."""
    return Msg(template, **params)


def _format(text: str, params: Mapping[str, Any], lookup: Lookup | None,
            seps: Mapping[str, str]) -> str:
    shown = {name: render(value, lookup, seps) for name, value in params.items()}
    return text.format_map(shown)


def render(value: Any, lookup: Lookup | None = None,
           seps: Mapping[str, str] = EN_SEPARATORS) -> str:
    """``value`` as text: a ``Msg`` in the wording ``lookup`` gives (English without one).

    A template the lookup does not know, or whose wording lacks a field, falls back
    to English: a missing translation never hides a reason.
    """
    if isinstance(value, Msg):
        text = value.template.english
        if lookup is not None:
            wording = lookup(value.template)
            if wording and placeholders(wording) == placeholders(text):
                text = wording
        return _format(text, value.params, lookup, seps)
    if isinstance(value, Seq):
        return seps[value.sep].join(render(v, lookup, seps) for v in value.items)
    if isinstance(value, (list, tuple)):
        return seps["comma"].join(render(v, lookup, seps) for v in value)
    return str(value)
