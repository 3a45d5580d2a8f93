"""The reader's language: which one, and words in it, without Qt.

hemalog speaks English ("en") and Simplified Chinese ("zh_CN"). The catalogue
is Qt's ``resources/i18n/hemalog_zh_CN.ts``; the window loads its compiled
``.qm`` with a QTranslator, while the printout, the command line and the
rendering of clinical messages read the ``.ts`` here (it is XML), so none of
them needs Qt.

- ``choose(explicit)``: the language to use: an explicit choice (a command-line
  ``--lang`` or an account's preference), else ``HEMALOG_LANG``, else the
  system locale, else English.
- ``tr(context, text, language)``: a catalogue entry (the same call lupdate
  collects as ``translate(context, text)``).
- ``render(value, language)``: a clinical ``Msg`` (or plain text) in that language.
"""

from __future__ import annotations

import locale
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from clinical.messages import EN_SEPARATORS, Template
from clinical.messages import render as _render
from resources import ROOT

__all__ = ["LANGUAGES", "EN", "ZH", "choose", "normalise", "system_language", "tr",
           "translate", "render", "render_lines", "catalogue_path", "Catalogue",
           "catalogue", "separators", "LANGUAGE_NAMES", "Words", "set_current", "current"]

EN = "en"
ZH = "zh_CN"
LANGUAGES = (EN, ZH)
# Each language named in itself, as a chooser lists them.
LANGUAGE_NAMES = {EN: "English", ZH: "中文"}

I18N = ROOT / "i18n"

_SEPARATORS: Mapping[str, Mapping[str, str]] = {
    EN: EN_SEPARATORS,
    ZH: {"and": "且", "or": "或", "comma": "、", "semicolon": "；"},
}


def normalise(value: str | None) -> str | None:
    """"zh", "zh_CN", "zh-CN.UTF-8", "Chinese" -> "zh_CN"; "en_GB" -> "en"; other -> None."""
    if not value:
        return None
    text = value.strip().replace("-", "_").split(".")[0].lower()
    if text.startswith("zh") or text.startswith("chinese"):
        return ZH
    if text.startswith("en") or text in ("c", "posix") or text.startswith("english"):
        return EN
    return None


def system_language() -> str:
    """The language of the system locale: Chinese if it is Chinese, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        found = normalise(os.environ.get(name, "").split(":")[0])
        if found:
            return found
    try:
        found = normalise(locale.getlocale()[0])
    except ValueError:
        found = None
    return found or EN


def choose(explicit: str | None = None) -> str:
    """The language to use: an explicit choice, else HEMALOG_LANG, else the system's."""
    for candidate in (explicit, os.environ.get("HEMALOG_LANG")):
        found = normalise(candidate)
        if found:
            return found
    return system_language()


def catalogue_path(language: str) -> Path:
    return I18N / f"hemalog_{language}.ts"


class Catalogue:
    """The finished translations of one ``.ts`` file, by (context, source, comment)."""

    def __init__(self, entries: Mapping[tuple[str, str, str], str]) -> None:
        self.entries = dict(entries)

    @classmethod
    def load(cls, path: Path) -> Catalogue:
        entries: dict[tuple[str, str, str], str] = {}
        root = ET.parse(path).getroot()
        for context in root.iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is None or translation.get("type") in (
                        "unfinished", "vanished", "obsolete"):
                    continue
                text = translation.text or ""
                if not text:
                    continue
                source = message.findtext("source") or ""
                comment = message.findtext("comment") or ""
                entries[(name, source, comment)] = text
        return cls(entries)

    def get(self, context: str, source: str, comment: str = "") -> str | None:
        return self.entries.get((context, source, comment))

    def wording(self, template: Template) -> str | None:
        return self.get(template.context, template.english, template.code)


@cache
def catalogue(language: str) -> Catalogue | None:
    """The catalogue for a language (None for English, the source language)."""
    if language == EN:
        return None
    path = catalogue_path(language)
    return Catalogue.load(path) if path.is_file() else Catalogue({})


def separators(language: str) -> Mapping[str, str]:
    return _SEPARATORS.get(language, EN_SEPARATORS)


def tr(context: str, text: str, language: str, comment: str = "") -> str:
    """``text`` (English source) in ``language``; the English when no translation exists."""
    found = catalogue(language)
    if found is None:
        return text
    return found.get(context, text, comment) or text


def translate(context: str, text: str, comment: str = "", *, language: str | None = None) -> str:
    """Qt-free ``QCoreApplication.translate``: lupdate collects calls by this name.

    The language is ``language`` or the current one (``set_current``).
    """
    return tr(context, text, language or current(), comment)


_current: list[str] = []


def set_current(language: str) -> None:
    """The language ``translate`` uses when not told (the printout sets it per call)."""
    _current[:] = [normalise(language) or EN]


def current() -> str:
    return _current[0] if _current else EN


class Words:
    """Words in one language, for code that renders a whole document in it (the printout).

    ``words.translate("Context", "English")`` is the call lupdate collects;
    ``words.render(msg)`` renders a clinical message.
    """

    def __init__(self, language: str | None = None) -> None:
        self.language = normalise(language) or EN

    @property
    def is_english(self) -> bool:
        return self.language == EN

    def translate(self, context: str, text: str, comment: str = "") -> str:
        return tr(context, text, self.language, comment)

    def render(self, value: Any) -> str:
        return render(value, self.language)


def render(value: Any, language: str | None = None) -> str:
    """A clinical message (or plain value) as text in ``language`` (default: current)."""
    language = language or current()
    found = catalogue(language)
    lookup = None if found is None else found.wording
    return _render(value, lookup, separators(language))


def render_lines(lines: Any, language: str | None = None) -> str:
    """An error's lines (``HemalogError.lines``), one per line, in ``language``."""
    return "\n".join(render(line, language) for line in lines)
