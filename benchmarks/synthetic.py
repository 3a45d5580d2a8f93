"""Deterministic synthetic patient records for benchmarks and stress tests."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from resources import DEMO_RECORD

COUNT_TESTS = ("wbc", "anc", "hb", "plt", "alc")


def record_with_labs(n_labs: int, *, seed: int = 1, mrn: str = "BENCH-1") -> dict[str, Any]:
    """The demo record with ``n_labs`` daily lab values instead of its own."""
    rng = random.Random(seed)
    doc = json.loads(DEMO_RECORD.read_text(encoding="utf-8"))
    doc["patient"] = {**doc["patient"], "mrn": mrn, "name": f"Synthetic {mrn}"}
    start = date(2020, 1, 1)
    labs = []
    for i in range(n_labs):
        test = COUNT_TESTS[i % len(COUNT_TESTS)]
        day = start + timedelta(days=i // len(COUNT_TESTS))
        value = {"wbc": rng.uniform(0.1, 12), "anc": rng.uniform(0, 8), "hb": rng.uniform(60, 150),
                 "plt": rng.uniform(5, 350), "alc": rng.uniform(0.1, 3)}[test]
        unit = "g/L" if test == "hb" else "10^9/L"
        labs.append({"date": day.isoformat(), "test": test, "value": round(value, 2),
                     "unit": unit})
    doc["labs"] = labs
    return doc


def write_record(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path
