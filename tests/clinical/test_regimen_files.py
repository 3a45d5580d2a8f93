"""Regimen templates (resources/regimens/*.json): well formed, valid courses, true to the seed case."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from clinical.record_schema import parse_item
from resources import DEMO_RECORD, ROOT as RESOURCES

REGIMEN_DIR = RESOURCES / "regimens"
REGIMEN_FILES = sorted(REGIMEN_DIR.glob("*.json"))

REQUIRED_KEYS = {"template", "version", "name", "category", "day_reference", "drugs", "source"}
OPTIONAL_KEYS = {"cycle_days", "notes"}

# Drugs a template adds to the seed course on purpose (named in the case report, but
# without a dose, so missing from the seed record's drug lines).
ADDED_TO_SEED = {"GVHD prophylaxis": {"cyclosporine"}}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _line(d: dict[str, Any]) -> tuple[Any, ...]:
    return (d["drug"], d["dose"], d["unit"], list(d["days"]), d.get("doses_per_day", 1),
            d.get("route"))


def _templates() -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in map(_load, REGIMEN_FILES)}


def _seed_courses() -> list[dict[str, Any]]:
    return json.loads(DEMO_RECORD.read_text(encoding="utf-8"))["courses"]


def test_there_are_regimen_files() -> None:
    assert REGIMEN_FILES, f"no templates in {REGIMEN_DIR}"


@pytest.mark.parametrize("path", REGIMEN_FILES, ids=lambda p: p.name)
def test_template_keys(path: Path) -> None:
    t = _load(path)
    assert isinstance(t, dict)
    assert REQUIRED_KEYS <= t.keys(), f"missing {REQUIRED_KEYS - t.keys()}"
    assert t.keys() <= REQUIRED_KEYS | OPTIONAL_KEYS, f"unknown {t.keys() - REQUIRED_KEYS - OPTIONAL_KEYS}"
    assert t["template"] == "hemalog.regimen"
    assert t["version"] == 1 and type(t["version"]) is int
    assert isinstance(t["name"], str) and t["name"].strip()
    assert isinstance(t["source"], str) and t["source"].strip()
    assert path.name == f"{_slug(t['name'])}.json"
    if "cycle_days" in t:
        assert type(t["cycle_days"]) is int and t["cycle_days"] > 0
    if "notes" in t:
        assert isinstance(t["notes"], str)


@pytest.mark.parametrize("path", REGIMEN_FILES, ids=lambda p: p.name)
def test_template_is_a_valid_course(path: Path) -> None:
    t = _load(path)
    doc = {k: t[k] for k in ("name", "category", "day_reference", "drugs", "notes") if k in t}
    if t["day_reference"] == "course_start":
        doc["start_date"] = "2025-01-01"
    course, problems = parse_item("courses", doc)
    assert problems == []
    assert course is not None


@pytest.mark.parametrize("path", REGIMEN_FILES, ids=lambda p: p.name)
def test_vincristine_dosing_is_explained(path: Path) -> None:
    t = _load(path)
    if any(d["drug"] == "vincristine" for d in t["drugs"]):
        assert "2 mg" in t.get("notes", ""), "notes must say whether vincristine is capped or flat 2 mg"


def test_template_names_are_unique() -> None:
    names = [_load(p)["name"] for p in REGIMEN_FILES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("index", range(len(_seed_courses())))
def test_seed_course_has_matching_template(index: int) -> None:
    seed = _seed_courses()[index]
    templates = _templates()
    assert seed["name"] in templates, f"no template named {seed['name']!r}"
    t = templates[seed["name"]]
    assert t["category"] == seed["category"]
    assert t["day_reference"] == seed.get("day_reference", "course_start")

    added = ADDED_TO_SEED.get(seed["name"], set())
    assert not added & {d["drug"] for d in seed["drugs"]}
    assert added <= {d["drug"] for d in t["drugs"]}
    lines = [_line(d) for d in t["drugs"] if d["drug"] not in added]
    assert lines == [_line(d) for d in seed["drugs"]]
