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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = ["Template", "Msg", "Seq", "translate", "msg", "render", "templates",
           "Lookup", "EN_SEPARATORS", "placeholders", "as_written"]


def _printf(english: str) -> str:
    """The wording as a ``%``-format over a mapping ("grade {grade}" -> "grade %(grade)s"):
    the same text as ``str.format`` gives for plain values, made without parsing the
    wording again for every message."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(english):
        parts.append(literal.replace("%", "%%"))
        if name:
            parts.append(f"%({name})s")
    return "".join(parts)


@dataclass(frozen=True)
class Template:
    """A message the rules can say: its code, Qt context and English wording."""

    code: str
    context: str
    english: str
    # The wording's {field} names, read once (every message checks its parameters).
    fields: frozenset[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", placeholders(self.english))
        object.__setattr__(self, "_plain", None)
        object.__setattr__(self, "_printf", _printf(self.english))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Template, (self.code, self.context, self.english))   # not the caches

    def plain(self) -> Msg:
        """The message of a template without fields: one Msg, made once and shared (it
        cannot differ between calls; graders say "hypotension not assessed" often)."""
        if self._plain is None:
            object.__setattr__(self, "_plain", Msg(self))
        return self._plain  # type: ignore[no-any-return]


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


@lru_cache(maxsize=4096)
def placeholders(text: str) -> frozenset[str]:
    """The ``{field}`` names a template uses (remembered: templates are few, and every
    message checks its own)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


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

    __slots__ = ("template", "params")
    template: Template
    params: Mapping[str, Any]

    def __new__(cls, template: Template, /, **params: Any) -> Msg:
        return _make(cls, template, params)

    @property
    def code(self) -> str:
        return self.template.code

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, dict(self.params)))

    def __repr__(self) -> str:
        return f"Msg({self.code!r}, {str(self)!r})"


def _make(cls: type[Msg], template: Template, params: dict[str, Any]) -> Msg:
    """A Msg of ``template`` with ``params`` (the caller's own fresh dict, kept as it is).

    Graders make hundreds of thousands of these, so the English is formatted once,
    here, by the template's ``%``-format: ``%s`` shows each value as str() does (a Msg
    its English, a Seq its English clauses, a number as typed), the same text
    ``str.format`` gave. A list or tuple given as a parameter is shown as its items
    joined with commas, as render() shows it.
    """
    try:
        if _LISTS.isdisjoint(map(type, params.values())):
            text = template._printf % params
        else:
            text = template.english.format_map(
                {name: _english(value) for name, value in params.items()})
    except KeyError:
        missing = template.fields - params.keys()
        raise ValueError(f"message {template.code!r} needs {sorted(missing)}") from None
    self = str.__new__(cls, text)
    self.template = template
    self.params = params
    return self


def _rebuild(template: Template, params: dict[str, Any]) -> Msg:
    return Msg(template, **params)


def as_written(value: Any) -> Any:
    """A finding's number as the record file writes it (34.0 as 34): a reason that quotes
    a finding as entered reads the same before and after an export and import. (A
    number rounded for a comparison is shown as rounded, "10.0", and not passed here.)"""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def msg(template: Template, /, **params: Any) -> Msg:
    """A message from a declared template and its parameters."""
    if params or template.fields:
        return _make(Msg, template, params)
    return template.plain()


# Parameters shown as their items joined (render), not as str() shows a list.
_LISTS: frozenset[type] = frozenset({list, tuple})


def _english(value: Any) -> str:
    """A parameter's English text (a Msg already is it)."""
    if isinstance(value, Msg):
        return str.__str__(value)
    return render(value)


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
        if lookup is None and seps is EN_SEPARATORS:
            return str.__str__(value)   # made in English when the Msg was
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
