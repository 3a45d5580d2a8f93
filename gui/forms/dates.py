"""Reading a typed date: year first, or today ± days; never a guess.

Pure Python (no Qt) so it is tested without a QApplication. Accepted, case and
surrounding spaces ignored:

- ``2025-04-10``, ``2025-4-10``, ``2025/4/10``, ``2025.04.10`` (year first, one separator)
- ``20250410`` (eight digits, year first)
- ``t`` (today), ``t-3`` (3 days ago), ``t+1`` (tomorrow); a true minus sign works too

Refused, with the reason (``Refused``), instead of guessed: a day or month
first (``04/10/2025`` is 4 October in one ward and April 10 in another), a
two-digit year (``25-4-10``), a day that does not exist (``2025-02-30``) and
anything else. Empty text is "no date" (None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

import lang

__all__ = ["Refusal", "Refused", "parse_date", "refusal_words", "WEEKDAYS", "MONTHS",
           "long_words", "short_words", "EXAMPLES", "examples"]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate collects
    """Marks a word for the catalogue without Qt; it is translated when shown."""
    return text


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Marked for the catalogue: a Chinese reader gets 周一 … 周日.
_WEEKDAY_WORDS = (QT_TRANSLATE_NOOP("DateWords", "Mon"), QT_TRANSLATE_NOOP("DateWords", "Tue"),
                  QT_TRANSLATE_NOOP("DateWords", "Wed"), QT_TRANSLATE_NOOP("DateWords", "Thu"),
                  QT_TRANSLATE_NOOP("DateWords", "Fri"), QT_TRANSLATE_NOOP("DateWords", "Sat"),
                  QT_TRANSLATE_NOOP("DateWords", "Sun"))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
EXAMPLES = "2025-04-10, 20250410, 2025/4/10, t (today) or t-3 (3 days ago)"


def _words(language: str | None) -> lang.Words:
    return lang.Words(language or lang.current())


def examples(language: str | None = None) -> str:
    """EXAMPLES in the reader's language (what is typed is the same in every language)."""
    return _words(language).translate(
        "DateWords", "2025-04-10, 20250410, 2025/4/10, t (today) or t-3 (3 days ago)")


def _month(month: int, words: lang.Words, short: bool = False) -> str:
    """The month by name in English ('April', 'Apr'); its number in Chinese ('4')."""
    if not words.is_english:
        return str(month)
    name = MONTHS[month - 1]
    return name[:3] if short else name
MAX_OFFSET_DAYS = 36600   # t±n beyond a century is a typo, not a date

_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_LAST = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
_SHORT_YEAR = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{1,2})$")
_TODAY = re.compile(r"^t(?:\s*([-+\u2212])\s*(\d+))?$")


class Refusal(Enum):
    """Why a typed date is not read (the GUI words it)."""

    AMBIGUOUS = "ambiguous"          # 04/10/2025: two different dates
    YEAR_LAST = "year_last"          # 13/04/2025 or 04/04/2025: one reading, but day/month first
    SHORT_YEAR = "short_year"        # 25-4-10: which century, which order?
    NO_SUCH_DAY = "no_such_day"      # 2025-02-30, 2025-13-01
    TOO_FAR = "too_far"              # t+99999
    UNREADABLE = "unreadable"        # anything else


@dataclass(frozen=True)
class Refused:
    """A typed text that is not read as a date, why, and the dates it might mean."""

    text: str
    reason: Refusal
    readings: tuple[date, ...] = ()   # the possible dates (AMBIGUOUS, YEAR_LAST)
    parts: tuple[int, int, int] | None = None   # (year, month, day) read for NO_SUCH_DAY


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_first(text: str, year: int, month: int, day: int) -> date | Refused:
    when = _make(year, month, day)
    if when is not None:
        return when
    return Refused(text.strip(), Refusal.NO_SUCH_DAY, parts=(year, month, day))


def parse_date(text: str, today: date) -> date | None | Refused:
    """A typed date -> the date, None when empty, or ``Refused`` with the reason."""
    cleaned = text.strip().lower()
    if not cleaned:
        return None
    match = _TODAY.match(cleaned)
    if match:
        sign, days = match.groups()
        if days is None:
            return today
        if int(days) > MAX_OFFSET_DAYS:
            return Refused(text.strip(), Refusal.TOO_FAR)
        step = timedelta(days=int(days))
        try:
            return today + step if sign == "+" else today - step
        except OverflowError:
            return Refused(text.strip(), Refusal.TOO_FAR)
    match = _YEAR_FIRST.match(cleaned)
    if match:
        year, _sep, month, day = match.groups()
        return _year_first(text, int(year), int(month), int(day))
    match = _COMPACT.match(cleaned)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _year_first(text, year, month, day)
    match = _YEAR_LAST.match(cleaned)
    if match:
        first, _sep, second, year = match.groups()
        readings = tuple(dict.fromkeys(
            d for d in (_make(int(year), int(second), int(first)),    # day first
                        _make(int(year), int(first), int(second)))    # month first
            if d is not None))
        if not readings:
            return Refused(text.strip(), Refusal.NO_SUCH_DAY)
        reason = Refusal.AMBIGUOUS if len(readings) > 1 else Refusal.YEAR_LAST
        return Refused(text.strip(), reason, readings)
    if _SHORT_YEAR.match(cleaned):
        return Refused(text.strip(), Refusal.SHORT_YEAR)
    return Refused(text.strip(), Refusal.UNREADABLE)


def long_words(when: date, language: str | None = None) -> str:
    """'10 April 2025' in English (whatever the system locale); '2025年4月10日' in Chinese."""
    words = _words(language)
    return words.translate("DateWords", "{day} {month} {year}").format(
        day=when.day, month=_month(when.month, words), year=when.year)


def short_words(when: date, language: str | None = None) -> str:
    """'Thu 10 Apr 2025': the weekday and the month by name, so a swapped day and month
    is seen before saving ('2025年4月10日 周四' in Chinese)."""
    words = _words(language)
    weekday = (WEEKDAYS[when.weekday()] if words.is_english
               else words.translate("DateWords", _WEEKDAY_WORDS[when.weekday()]))
    return words.translate("DateWords", "{weekday} {day} {month} {year}").format(
        weekday=weekday, day=when.day, month=_month(when.month, words, short=True),
        year=when.year)


def refusal_words(refused: Refused, field: str, language: str | None = None) -> str:
    """The reason in words, naming the field: what was typed, why not, what to type."""
    words = _words(language)
    typed = words.translate("DateWords", "{field} {typed}").format(field=field, typed=repr(refused.text))
    either = lang.separators(words.language)["or"]
    if refused.reason is Refusal.AMBIGUOUS:
        meanings = either.join(long_words(d, words.language) for d in refused.readings)
        typings = either.join(d.isoformat() for d in refused.readings)
        return words.translate("DateWords", "{typed} is ambiguous: {meanings}? Type the year first: {typings}."
                 ).format(typed=typed, meanings=meanings, typings=typings)
    if refused.reason is Refusal.YEAR_LAST:
        when = refused.readings[0]
        return words.translate("DateWords", "{typed}: type the year first, e.g. {iso} ({words})."
                 ).format(typed=typed, iso=when.isoformat(), words=long_words(when, words.language))
    if refused.reason is Refusal.SHORT_YEAR:
        return words.translate("DateWords", "{typed}: the year needs four digits and comes first, e.g. 2025-04-10."
                 ).format(typed=typed)
    if refused.reason is Refusal.NO_SUCH_DAY and refused.parts is not None:
        year, month, day = refused.parts
        if not 1 <= month <= 12:
            return words.translate("DateWords", "{typed}: there is no month {month} (year, month, day: e.g. 2025-04-10)."
                     ).format(typed=typed, month=month)
        if year == 0:
            return words.translate("DateWords", "{typed}: there is no year 0.").format(typed=typed)
        return words.translate("DateWords", "{typed}: {month} {year} has no day {day}.").format(
            typed=typed, month=_month(month, words), year=year, day=day)
    if refused.reason is Refusal.NO_SUCH_DAY:
        return words.translate("DateWords", "{typed} is not a day of the calendar: check the month and the day."
                 ).format(typed=typed)
    if refused.reason is Refusal.TOO_FAR:
        return words.translate("DateWords", "{typed} is more than a century away: type the date itself."
                 ).format(typed=typed)
    return words.translate("DateWords", "{typed} is not a date: type {examples}.").format(
        typed=typed, examples=examples(words.language))
