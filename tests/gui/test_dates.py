"""The typed-date reader (gui/forms/dates.py): pure, no Qt, table-driven.

Every accepted spelling reads as one date; every ambiguous or impossible one is refused
with its reason, never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from gui.forms.dates import Refusal, Refused, parse_date, refusal_words, short_words

TODAY = date(2025, 4, 10)   # a Thursday

ACCEPTED = [
    ("2025-04-10", date(2025, 4, 10)),
    ("2025-4-10", date(2025, 4, 10)),
    ("2025-4-1", date(2025, 4, 1)),
    ("20250410", date(2025, 4, 10)),
    ("2025/4/10", date(2025, 4, 10)),
    ("2025/04/10", date(2025, 4, 10)),
    ("2025.04.10", date(2025, 4, 10)),
    ("  2025-04-10 ", date(2025, 4, 10)),         # spaces trimmed
    ("2024-02-29", date(2024, 2, 29)),            # leap day
    ("20240229", date(2024, 2, 29)),
    ("2000-02-29", date(2000, 2, 29)),            # divisible by 400: a leap year
    ("1999-12-31", date(1999, 12, 31)),
    ("t", TODAY),
    ("T", TODAY),
    (" t ", TODAY),
    ("t-3", date(2025, 4, 7)),
    ("T-3", date(2025, 4, 7)),
    ("t - 3", date(2025, 4, 7)),
    ("t\u22123", date(2025, 4, 7)),               # a true minus sign
    ("t+1", date(2025, 4, 11)),
    ("t+0", TODAY),
    ("t-0", TODAY),
    ("t-40", date(2025, 3, 1)),                   # across a month end
    ("t+365", date(2026, 4, 10)),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted_spellings_read_as_one_date(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_t_plus_minus_crosses_a_leap_day() -> None:
    assert parse_date("t+1", date(2024, 2, 28)) == date(2024, 2, 29)
    assert parse_date("t-1", date(2024, 3, 1)) == date(2024, 2, 29)
    assert parse_date("t-1", date(2025, 3, 1)) == date(2025, 2, 28)


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_is_no_date(text: str) -> None:
    assert parse_date(text, TODAY) is None


REFUSED = [
    ("04/10/2025", Refusal.AMBIGUOUS, (date(2025, 10, 4), date(2025, 4, 10))),
    ("10/04/2025", Refusal.AMBIGUOUS, (date(2025, 4, 10), date(2025, 10, 4))),
    ("4-10-2025", Refusal.AMBIGUOUS, (date(2025, 10, 4), date(2025, 4, 10))),
    ("04.10.2025", Refusal.AMBIGUOUS, (date(2025, 10, 4), date(2025, 4, 10))),
    ("13/04/2025", Refusal.YEAR_LAST, (date(2025, 4, 13),)),    # only one reading: still
    ("04/13/2025", Refusal.YEAR_LAST, (date(2025, 4, 13),)),    # not guessed
    ("04/04/2025", Refusal.YEAR_LAST, (date(2025, 4, 4),)),
    ("25-4-10", Refusal.SHORT_YEAR, ()),
    ("10/4/25", Refusal.SHORT_YEAR, ()),
    ("2025-02-30", Refusal.NO_SUCH_DAY, ()),
    ("2025-02-29", Refusal.NO_SUCH_DAY, ()),      # not a leap year
    ("1900-02-29", Refusal.NO_SUCH_DAY, ()),      # divisible by 100, not 400
    ("20250230", Refusal.NO_SUCH_DAY, ()),
    ("2025-13-01", Refusal.NO_SUCH_DAY, ()),
    ("2025-00-10", Refusal.NO_SUCH_DAY, ()),
    ("2025-04-31", Refusal.NO_SUCH_DAY, ()),
    ("0000-04-10", Refusal.NO_SUCH_DAY, ()),
    ("31/31/2025", Refusal.NO_SUCH_DAY, ()),
    ("2025-04/10", Refusal.UNREADABLE, ()),       # two different separators
    ("2025-04-10x", Refusal.UNREADABLE, ()),
    ("2025410", Refusal.UNREADABLE, ()),          # seven digits
    ("202504100", Refusal.UNREADABLE, ()),
    ("10 Apr 2025", Refusal.UNREADABLE, ()),
    ("today", Refusal.UNREADABLE, ()),
    ("t-", Refusal.UNREADABLE, ()),
    ("t-3d", Refusal.UNREADABLE, ()),
    ("t*3", Refusal.UNREADABLE, ()),
    ("-3", Refusal.UNREADABLE, ()),
    ("2025-04-10 12:00", Refusal.UNREADABLE, ()),
    ("t+99999", Refusal.TOO_FAR, ()),
    ("t-9999999999", Refusal.TOO_FAR, ()),
]


@pytest.mark.parametrize(("text", "reason", "readings"), REFUSED)
def test_ambiguous_or_impossible_text_is_refused_with_the_reason(
        text: str, reason: Refusal, readings: tuple[date, ...]) -> None:
    result = parse_date(text, TODAY)
    assert isinstance(result, Refused)
    assert (result.text, result.reason, result.readings) == (text, reason, readings)


def test_t_near_the_end_of_the_calendar_is_refused_not_an_error() -> None:
    result = parse_date("t+10", date(9999, 12, 30))
    assert isinstance(result, Refused) and result.reason is Refusal.TOO_FAR


@pytest.mark.parametrize(("text", "words"), [
    ("04/10/2025", "Date '04/10/2025' is ambiguous: 4 October 2025 or 10 April 2025? "
                   "Type the year first: 2025-10-04 or 2025-04-10."),
    ("13/04/2025", "Date '13/04/2025': type the year first, e.g. 2025-04-13 (13 April 2025)."),
    ("25-4-10", "Date '25-4-10': the year needs four digits and comes first, e.g. 2025-04-10."),
    ("2025-02-30", "Date '2025-02-30': February 2025 has no day 30."),
    ("20251301", "Date '20251301': there is no month 13 (year, month, day: e.g. 2025-04-10)."),
    ("0000-01-01", "Date '0000-01-01': there is no year 0."),
    ("31/31/2025", "Date '31/31/2025' is not a day of the calendar: check the month and the day."),
    ("t+99999", "Date 't+99999' is more than a century away: type the date itself."),
    ("soon", "Date 'soon' is not a date: type 2025-04-10, 20250410, 2025/4/10, t (today) "
             "or t-3 (3 days ago)."),
])
def test_the_refusal_names_the_field_and_says_what_to_type(text: str, words: str) -> None:
    refused = parse_date(text, TODAY)
    assert isinstance(refused, Refused)
    assert refusal_words(refused, "Date") == words


def test_short_words_show_weekday_and_month_by_name() -> None:
    assert short_words(date(2025, 4, 10)) == "Thu 10 Apr 2025"
    assert short_words(date(2024, 2, 29)) == "Thu 29 Feb 2024"


def test_the_reader_needs_no_qt() -> None:
    import sys
    import subprocess
    code = ("import sys; import gui.forms.dates; "
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
