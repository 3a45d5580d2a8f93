"""Day numbering from the anchors and course days to calendar dates."""

from __future__ import annotations

from datetime import date

from clinical.days import anchors, course_dates, day_counters, day_number, format_day
from clinical.record import Course, CourseCategory, DayReference, Event, EventType


def _events() -> list[Event]:
    return [Event(type=EventType.HSCT, date=date(2025, 5, 23)),
            Event(type=EventType.CART_INFUSION, date=date(2025, 4, 8)),
            Event(type=EventType.CART_INFUSION, date=date(2025, 4, 7))]


def test_anchors_are_the_first_cart_and_hsct_by_date() -> None:
    assert anchors(_events()) == {EventType.CART_INFUSION: date(2025, 4, 7),
                                  EventType.HSCT: date(2025, 5, 23)}


def test_day_numbers_and_their_wording() -> None:
    hsct = date(2025, 5, 23)
    assert day_number(date(2025, 6, 6), hsct) == 14
    assert day_number(date(2025, 7, 7), hsct) == 45
    assert format_day(14) == "day +14"
    assert format_day(-36) == "day \u221236"
    assert format_day(0) == "day 0"
    assert day_counters(date(2025, 4, 22), anchors(_events())) == (
        "CAR-T day +15 · HSCT day \u221231")


def test_course_start_days_count_from_day_1() -> None:
    course = Course(name="CP", start_date=date(2024, 6, 18), drugs=())
    assert course_dates(course, [1, 5], {}) == [date(2024, 6, 18), date(2024, 6, 22)]


def test_conditioning_days_count_from_the_transplant_as_day_0() -> None:
    course = Course(name="Bu/Cy", category=CourseCategory.CONDITIONING,
                    day_reference=DayReference.HSCT, drugs=())
    dates = course_dates(course, [-9, -2, 1, 3], anchors(_events()))
    assert dates == [date(2025, 5, 14), date(2025, 5, 21), date(2025, 5, 24), date(2025, 5, 26)]


def test_days_from_a_missing_event_are_unknown() -> None:
    course = Course(name="CAR-T", day_reference=DayReference.CART_INFUSION, drugs=())
    assert course_dates(course, [0], {}) is None
