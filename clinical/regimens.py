"""Regimen templates: a course without dates, with where its doses come from."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from clinical.messages import msg, translate
from clinical.record import Course, DayReference
from clinical.record_json import course_doc
from clinical.record_schema import parse_item
from clinical.schema import Problem

TEMPLATE_FORMAT = "hemalog.regimen"
TEMPLATE_KEYS = {"template", "version", "name", "category", "day_reference", "cycle_days",
                 "drugs", "notes", "source"}

NOT_A_TEMPLATE = translate("validation", "not a regimen template (template: {format})",
                           "validation.regimen.not_a_template")
UNKNOWN_KEYS = translate("validation", "unknown keys: {keys}", "validation.regimen.unknown_keys")
NO_SOURCE = translate("validation", "every template names the source of its doses",
                      "validation.regimen.no_source")


@dataclass(frozen=True)
class RegimenTemplate:
    name: str
    course: Course                 # start_date None: set when the course is given
    source: str
    cycle_days: int | None = None
    user_made: bool = False


def parse_template(doc: Any, where: str = "") -> tuple[RegimenTemplate | None, list[Problem]]:
    """A template document -> RegimenTemplate, checked with the course validator."""
    problems: list[Problem] = []
    if not isinstance(doc, dict) or doc.get("template") != TEMPLATE_FORMAT:
        return None, [Problem(where, msg(NOT_A_TEMPLATE, format=TEMPLATE_FORMAT))]
    unknown = set(doc) - TEMPLATE_KEYS
    if unknown:
        problems.append(Problem(where, msg(UNKNOWN_KEYS, keys=", ".join(sorted(unknown)))))
    if not isinstance(doc.get("source"), str) or not doc["source"].strip():
        problems.append(Problem(f"{where}.source" if where else "source",
                                msg(NO_SOURCE)))
    course_part = {k: doc[k] for k in ("name", "category", "day_reference", "drugs", "notes")
                   if k in doc}
    if course_part.get("day_reference", "course_start") == "course_start":
        course_part["start_date"] = "2000-01-01"  # placeholder: templates have no date
    course, course_problems = parse_item("courses", course_part, where)
    problems.extend(course_problems)
    if course is None or problems:
        return None, problems
    cycle = doc.get("cycle_days")
    return RegimenTemplate(course.name, dataclasses.replace(course, start_date=None),
                           doc["source"].strip(), cycle if isinstance(cycle, int) else None), []


def template_document(course: Course, *, name: str, source: str) -> dict[str, Any]:
    """A saved course as a new template (its dates and ids dropped)."""
    doc = course_doc(dataclasses.replace(course, name=name, start_date=None))
    doc.pop("start_date", None)
    return {"template": TEMPLATE_FORMAT, "version": 1, **doc, "source": source}


def course_from_template(template: RegimenTemplate, start: date | None) -> Course:
    """A new course from a template starting on ``start`` (None for event-based days)."""
    course = template.course
    return dataclasses.replace(
        course, start_date=start if course.day_reference is DayReference.COURSE_START else None,
        drugs=tuple(dataclasses.replace(d, id=None, version=0) for d in course.drugs))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "regimen"
