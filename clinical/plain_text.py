"""Which characters text may hold, and how to show text that breaks the rule.

A name, an MRN or a note ends up on a terminal, in a PDF and in the app. Control
characters (ESC, BEL, NUL, ...) can clear a terminal or retitle its window, and
the bidirectional overrides and isolates reorder what is shown ("Ann \\u202eeeL"
reads as "Ann Lee"). Both are refused on input; ``printable`` makes any that are
already stored visible as escapes instead of letting them act.

The bidirectional *marks* (U+200E, U+200F, U+061C) are allowed: they reorder
nothing themselves and appear in text pasted from Hebrew and Arabic systems.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from clinical.messages import Msg, msg, translate

__all__ = ["MULTILINE_ALLOWED", "unsafe_character", "text_problem", "printable",
           "first_undecodable_byte", "undecodable_problem"]

# Embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI).
BIDI_CONTROLS: Final = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))

# The only control characters a multi-line field (notes) may hold.
MULTILINE_ALLOWED: Final = frozenset("\n\t")

# Line and paragraph separators break a line like a newline does.
_SEPARATORS: Final = frozenset({"Zl", "Zp"})

# What a refused character is (the ``kind`` of ``REFUSED_CHARACTER``).
BIDI_CONTROL = translate("validation", "a bidirectional control character",
                         "validation.character.bidi_control")
CONTROL = translate("validation", "a control character", "validation.character.control")
LINE_SEPARATOR = translate("validation", "a line separator",
                           "validation.character.line_separator")
REFUSED_CHARACTER = translate("validation", "contains {kind} (U+{codepoint}) at position {position}; remove it", "validation.text.refused_character")
UNDECODABLE_BYTE = translate("validation", "{what}: not valid text (byte 0x{byte}); use only characters that are valid UTF-8", "validation.argument.undecodable_byte")
UNDECODABLE = translate("validation", "{what}: not valid text; use only characters that are valid UTF-8", "validation.argument.undecodable")


def _kind(char: str) -> Msg | None:
    """What is wrong with one character, or None when it may be stored."""
    if char in BIDI_CONTROLS:
        return msg(BIDI_CONTROL)
    category = unicodedata.category(char)
    if category == "Cc":
        return msg(CONTROL)
    if category in _SEPARATORS:
        return msg(LINE_SEPARATOR)
    return None


def unsafe_character(value: str, *, multiline: bool = False) -> tuple[int, str, Msg] | None:
    """(index, character, kind) of the first character that may not be stored, or None."""
    allowed = MULTILINE_ALLOWED if multiline else frozenset()
    for index, char in enumerate(value):
        if char in allowed:
            continue
        kind = _kind(char)
        if kind is not None:
            return index, char, kind
    return None


def text_problem(value: str, *, multiline: bool = False) -> Msg | None:
    """The message for text holding a refused character, without the field's name
    (the caller puts it after the field's path)."""
    found = unsafe_character(value, multiline=multiline)
    if found is None:
        return None
    index, char, kind = found
    # Counted from 1, as a person counts the characters they typed.
    return msg(REFUSED_CHARACTER, kind=kind, codepoint=f"{ord(char):04X}", position=index + 1)


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _shows_as_is(char: str) -> bool:
    # Lone surrogates (undecodable bytes, a bad \ud800 escape) cannot be written out.
    return _kind(char) is None and unicodedata.category(char) != "Cs"


def printable(text: str) -> str:
    """``text`` with every control, separator, bidirectional control and lone surrogate
    shown as an escape (``\\x1b``, ``\\u202e``), so output to a terminal cannot act on it."""
    if all(_shows_as_is(c) for c in text):
        return text
    return "".join(c if _shows_as_is(c) else _escape(c) for c in text)


def first_undecodable_byte(value: str) -> int | None:
    """The first byte that was not UTF-8 in a command-line argument, or None.

    Python hands such bytes over as lone surrogates U+DC80..U+DCFF (surrogateescape)."""
    for char in value:
        if 0xDC80 <= ord(char) <= 0xDCFF:
            return ord(char) - 0xDC00
    return None


def _encodes(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def undecodable_problem(what: str, value: str) -> Msg | None:
    """``MRN: not valid text (byte 0xff)`` for an argument that is not UTF-8, else None.

    ``what`` names the argument (an option or field name: kept as it is)."""
    if _encodes(value):
        return None
    byte = first_undecodable_byte(value)
    if byte is None:
        return msg(UNDECODABLE, what=what)
    return msg(UNDECODABLE_BYTE, what=what, byte=f"{byte:02x}")
