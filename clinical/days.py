"""Day numbering: day +N from the anchors, and course days to calendar dates.

The first CAR-T infusion and the first HSCT are the anchors; the anchor's
date is day 0, so "day +14" is 14 days after it (record-format.md, events).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from clinical.record import Course, DayReference, Event, EventType

__all__ = ["anchors", "day_number", "format_day", "course_dates", "day_counters",
           "ANCHOR_LABELS"]

ANCHOR_EVENTS = (EventType.CART_INFUSION, EventType.HSCT)
ANCHOR_LABELS = {EventType.CART_INFUSION: "CAR-T", EventType.HSCT: "HSCT"}


def anchors(events: Iterable[Event]) -> dict[EventType, date]:
    """The earliest CAR-T infusion and HSCT dates (only those that happened)."""
    found: dict[EventType, date] = {}
    for e in events:
        if e.type in ANCHOR_EVENTS and (e.type not in found or e.date < found[e.type]):
            found[e.type] = e.date
    return {t: found[t] for t in ANCHOR_EVENTS if t in found}


def day_number(on: date, anchor: date) -> int:
    return (on - anchor).days


def format_day(n: int) -> str:
    """'day +14', 'day −36' (a true minus sign), 'day 0'."""
    if n > 0:
        return f"day +{n}"
    if n < 0:
        return f"day \u2212{-n}"
    return "day 0"


def day_counters(on: date, anchor_dates: Mapping[EventType, date]) -> str:
    """'CAR-T day +15 · HSCT day −36' for a date; empty without anchors."""
    return " · ".join(f"{ANCHOR_LABELS[t]} {format_day(day_number(on, d))}"
                      for t, d in anchor_dates.items())


_REFERENCE_EVENT = {DayReference.HSCT: EventType.HSCT,
                    DayReference.CART_INFUSION: EventType.CART_INFUSION}


def course_dates(course: Course, days: Iterable[int],
                 anchor_dates: Mapping[EventType, date]) -> list[date] | None:
    """Calendar dates of course days, or None when the reference event is not recorded.

    With ``course_start`` day 1 is the start date; with an event reference the
    event's date is day 0 (conditioning days −9…−2, prophylaxis days +1, +3).
    """
    if course.day_reference is DayReference.COURSE_START:
        if course.start_date is None:
            return None
        return [course.start_date + timedelta(days=d - 1) for d in days]
    anchor = anchor_dates.get(_REFERENCE_EVENT[course.day_reference])
    if anchor is None:
        return None
    return [anchor + timedelta(days=d) for d in days]


def reference_label(course: Course) -> str:
    """What the course's days count from, in words."""
    if course.day_reference is DayReference.COURSE_START:
        return "day 1 = course start"
    return f"day 0 = {ANCHOR_LABELS[_REFERENCE_EVENT[course.day_reference]]}"
