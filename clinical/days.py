"""Day numbering: day +N from the anchors, and course days to calendar dates.

The first CAR-T infusion and the first HSCT are the anchors; the anchor's
date is day 0, so "day +14" is 14 days after it (record-format.md, events).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from clinical.messages import Msg, msg, translate
from clinical.record import Course, DayReference, Event, EventType

__all__ = ["anchors", "day_number", "format_day", "course_dates", "day_counters",
           "ANCHOR_LABELS", "anchor_day"]

ANCHOR_EVENTS = (EventType.CART_INFUSION, EventType.HSCT)
# The anchors as they label a day ("CAR-T day +15"): vocabulary, rendered per language.
ANCHOR_LABELS: dict[EventType, Msg] = {
    EventType.CART_INFUSION: msg(translate("term", "CAR-T", "term.anchor.cart_infusion")),
    EventType.HSCT: msg(translate("term", "HSCT", "term.anchor.hsct")),
}

DAY_AFTER = translate("clinical", "day +{n}", "day.after")
DAY_BEFORE = translate("clinical", "day −{n}", "day.before")
DAY_ZERO = translate("clinical", "day 0", "day.zero")
ANCHOR_DAY = translate("clinical", "{anchor} {day}", "day.anchor_day")
TWO_COUNTERS = translate("clinical", "{first} · {second}", "day.counters.two")
COURSE_START_REFERENCE = translate("clinical", "day 1 = course start", "day.reference.course_start")
EVENT_REFERENCE = translate("clinical", "day 0 = {anchor}", "day.reference.event")


def anchors(events: Iterable[Event]) -> dict[EventType, date]:
    """The earliest CAR-T infusion and HSCT dates (only those that happened)."""
    found: dict[EventType, date] = {}
    for e in events:
        if e.type in ANCHOR_EVENTS and (e.type not in found or e.date < found[e.type]):
            found[e.type] = e.date
    return {t: found[t] for t in ANCHOR_EVENTS if t in found}


def day_number(on: date, anchor: date) -> int:
    return (on - anchor).days


def format_day(n: int) -> Msg:
    """'day +14', 'day −36' (a true minus sign), 'day 0'."""
    if n > 0:
        return msg(DAY_AFTER, n=n)
    if n < 0:
        return msg(DAY_BEFORE, n=-n)
    return msg(DAY_ZERO)


def anchor_day(event_type: EventType, n: int) -> Msg:
    """'CAR-T day +15': a day counted from one anchor."""
    return msg(ANCHOR_DAY, anchor=ANCHOR_LABELS[event_type], day=format_day(n))


def day_counters(on: date, anchor_dates: Mapping[EventType, date]) -> str:
    """'CAR-T day +15 · HSCT day −36' for a date; empty without anchors."""
    counters = [anchor_day(t, day_number(on, d)) for t, d in anchor_dates.items()]
    if not counters:
        return ""
    if len(counters) == 1:
        return counters[0]
    first, *rest = counters
    for second in rest:
        first = msg(TWO_COUNTERS, first=first, second=second)
    return first


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
        return msg(COURSE_START_REFERENCE)
    return msg(EVENT_REFERENCE, anchor=ANCHOR_LABELS[_REFERENCE_EVENT[course.day_reference]])
