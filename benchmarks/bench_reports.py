"""The printable summary (issue 6 targets: demo patient 1 s; 3 years of daily counts
and 40 courses 3 s).

The big patient is the demo record with three years of daily WBC, ANC, Hb and
platelets (with nadirs after each course and engraftment after the HSCT) and
40 courses: 37 chemotherapy courses cycling through the demo's regimens, then
its CAR-T, conditioning and GVHD prophylaxis.
"""

from __future__ import annotations

import io
import json
import math
import random
from datetime import date, datetime, timedelta
from typing import Any

from benchmarks.harness import benchmark
from clinical.record import Record
from clinical.record_schema import parse_record
from reports.summary import build_summary_pdf
from resources import DEMO_RECORD

__all__ = ["demo_record", "big_record_doc", "big_record"]

PRINTED_AT = datetime(2026, 1, 15, 9, 30)


def demo_record() -> Record:
    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert record is not None, problems
    return record


def _counts(day: int, course_days: list[int], hsct_day: int, rng: random.Random) -> dict[str, float]:
    """Blood counts for one day: a nadir 7-14 days after each course, aplasia after HSCT."""
    suppression = 0.0
    for start in course_days:
        since = day - start
        if 0 <= since <= 21:
            suppression = max(suppression, math.sin(math.pi * since / 21))
    since_hsct = day - hsct_day
    if -7 <= since_hsct < 13:
        suppression = 1.0
    elif 13 <= since_hsct < 40:
        suppression = max(suppression, 1 - (since_hsct - 13) / 27)
    keep = 1 - 0.95 * suppression
    noise = rng.uniform(0.9, 1.1)
    return {"wbc": round(6.0 * keep * noise, 2), "anc": round(4.0 * keep * noise, 2),
            "hb": round(70 + 50 * keep * noise, 1),
            "plt": round(max(5.0, 220 * keep * noise if since_hsct < 13 or since_hsct > 44
                                 else 12 * noise), 1)}


def big_record_doc(days: int = 3 * 365 + 1, courses: int = 40, *, seed: int = 6,
                   mrn: str = "BENCH-REPORT-1") -> dict[str, Any]:
    """The demo record's document with ``days`` of daily counts and ``courses`` courses."""
    rng = random.Random(seed)
    doc = json.loads(DEMO_RECORD.read_text(encoding="utf-8"))
    doc["patient"] = {**doc["patient"], "mrn": mrn, "name": f"Synthetic {mrn}"}
    hsct = date.fromisoformat(next(e["date"] for e in doc["events"] if e["type"] == "hsct"))
    last = date(2025, 10, 20)
    first = last - timedelta(days=days - 1)
    dated = [c for c in doc["courses"] if c.get("start_date")]
    anchored = [c for c in doc["courses"] if not c.get("start_date")]
    n_chemo = max(courses - len(anchored), 0)
    lymphodepletion = date.fromisoformat(dated[-1]["start_date"])
    courses_from = last - timedelta(days=3 * 365)     # courses span 3 years whatever ``days``
    spacing = max(1, (lymphodepletion - courses_from).days // max(n_chemo, 1))
    new_courses = []
    for k in range(n_chemo):
        template = dated[k % (len(dated) - 1)] if k < n_chemo - 1 else dated[-1]
        start = courses_from + timedelta(days=10 + k * spacing)
        new_courses.append({**template, "start_date": start.isoformat(),
                            "notes": f"synthetic course {k + 1}"})
    doc["courses"] = new_courses + anchored
    course_days = [(date.fromisoformat(c["start_date"]) - first).days for c in new_courses]
    hsct_day = (hsct - first).days
    labs = [lab for lab in doc["labs"] if lab["test"] not in ("wbc", "anc", "hb", "plt")]
    for day in range(days):
        when = (first + timedelta(days=day)).isoformat()
        for test, value in _counts(day, course_days, hsct_day, rng).items():
            labs.append({"date": when, "test": test, "value": value,
                         "unit": "g/L" if test == "hb" else "10^9/L"})
    doc["labs"] = labs
    return doc


def big_record(days: int = 3 * 365 + 1, courses: int = 40) -> Record:
    record, problems = parse_record(big_record_doc(days, courses))
    assert record is not None, problems
    return record


def _build(record: Record) -> None:
    out = io.BytesIO()
    build_summary_pdf(record, out=out, printed_by="bench", database="bench.db",
                      printed_at=PRINTED_AT)
    assert out.getvalue().startswith(b"%PDF")


@benchmark("report: demo patient PDF", setup=lambda quick: demo_record(), target=1.0)
def _demo(record: Record) -> None:
    _build(record)


@benchmark("report: 3 years daily counts, 40 courses",
           setup=lambda quick: big_record(120 if quick else 3 * 365 + 1, 12 if quick else 40),
           target=3.0)
def _big(record: Record) -> None:
    _build(record)
