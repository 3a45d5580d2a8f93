"""Pinyin forms of names written in Chinese characters, for patient search (issue 15).

Typing ``zhang``, ``zhangw`` (full syllables) or ``zw`` (initials) finds 张伟, as does
typing 张. The stored search key of a name holding Han characters carries its full
pinyin (syllables joined, no tones: ``zhangwei``) and its initials (``zw``); a query
that mixes characters and letters (``张w``, ``zhang伟``) is turned into pinyin the same
way (storage.repository).

Readings: each character takes its most common reading (pypinyin's first reading for
the character alone, without word context: a name is not a word, and the query and the
stored key must agree character by character). A name's first character, when it is a
surname read otherwise (曾 zeng, not ceng; 单 shan, not dan...), takes the surname
reading, and so do the compound surnames below. ü is written ``v``, as on a pinyin
keyboard (吕 ``lv``); the key also carries the ``u`` spelling (``lu``).

pypinyin (about 0.3 s to import: its dictionaries) is imported on the first name or
query that holds a Han character, never at start-up.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["has_han", "han_runs", "syllables", "pinyin_forms", "query_pinyin",
           "SURNAME_READINGS", "COMPOUND_SURNAMES"]

# CJK Unified Ideographs with extension A, the compatibility block (NFKC maps most of it
# to the unified one) and the supplementary planes' extensions B to H. Plain comparisons,
# not a regular expression: compiling classes this wide costs milliseconds at start-up.
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


def _is_han(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _HAN_RANGES)


# Surnames whose reading differs from the character's most common one.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao",
    "查": "zha", "盖": "ge", "乐": "yue", "覃": "qin", "缪": "miao", "召": "shao",
    "种": "chong", "翟": "zhai", "秘": "bi", "折": "she", "阚": "kan", "员": "yun",
    "卜": "bu",
}
COMPOUND_SURNAMES = {
    "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"), "澹台": ("tan", "tai"),
}


def has_han(text: str) -> bool:
    """True when ``text`` holds at least one Chinese character."""
    return not text.isascii() and any(_is_han(c) for c in text)


def han_runs(text: str) -> list[str]:
    """The runs of Chinese characters in ``text``, in order."""
    runs, run = [], ""
    for char in text:
        if _is_han(char):
            run += char
        elif run:
            runs.append(run)
            run = ""
    return [*runs, run] if run else runs


def _pieces(text: str) -> list[str]:
    """One Han character, or a run of other letters and digits, each a piece; anything
    else (spaces, the middle dot of 阿卜杜·买买提, hyphens) only separates."""
    pieces, word = [], ""
    for char in text:
        han = _is_han(char)
        if char.isalnum() and not han:
            word += char
            continue
        if word:
            pieces.append(word)
            word = ""
        if han:
            pieces.append(char)
    return [*pieces, word] if word else pieces


@lru_cache(maxsize=16384)
def _reading(char: str) -> str:
    """The most common reading of one Han character, without tone; the character
    itself when pypinyin knows none."""
    from pypinyin import Style, lazy_pinyin  # here: off the start-up path

    found = lazy_pinyin(char, style=Style.NORMAL, errors="default")
    reading = found[0] if found else char
    return reading if reading.isascii() and reading.isalpha() else char


def syllables(text: str) -> list[str]:
    """``text`` as pinyin pieces: a syllable per Han character, each run of other
    letters and digits as it is (NFKC, case-folded), separators dropped.
    A leading surname takes its surname reading."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    pieces = _pieces(text)
    out = [_reading(p) if len(p) == 1 and _is_han(p) else p for p in pieces]
    if len(pieces) >= 2 and pieces[0] + pieces[1] in COMPOUND_SURNAMES:
        out[0:2] = COMPOUND_SURNAMES[pieces[0] + pieces[1]]
    elif pieces and pieces[0] in SURNAME_READINGS:
        out[0] = SURNAME_READINGS[pieces[0]]
    return out


def pinyin_forms(name: str) -> tuple[str, ...]:
    """The forms stored for search: full syllables joined (``zhangwei``), initials
    (``zw``) and, for a name with ü, the ``u`` spelling; () for a name without Han
    characters (its letters are searched as they are)."""
    if not has_han(name):
        return ()
    pieces = syllables(name)
    full = "".join(pieces)
    forms = [full, "".join(p[0] for p in pieces)]
    if "v" in full:
        forms.append(full.replace("v", "u"))
    return tuple(dict.fromkeys(f for f in forms if f))


def query_pinyin(query: str) -> str:
    """A query as the full form it should be found in: Han characters as their
    syllables, letters kept, separators dropped (``张 w`` -> ``zhangw``)."""
    return "".join(syllables(query))
