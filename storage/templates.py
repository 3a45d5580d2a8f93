"""Regimen template files: the shipped ones and those saved on this workstation."""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs

from clinical.errors import HemalogError
from clinical.record import Course
from clinical.regimens import RegimenTemplate, parse_template, slug, template_document
from resources import ROOT as RESOURCES
from storage.locations import APP
from storage.record_files import write_text_atomically

SHIPPED = RESOURCES / "regimens"


def user_folder() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "regimens"


def load_templates() -> tuple[list[RegimenTemplate], list[str]]:
    """Every readable template (shipped, then saved here), and a line per bad file."""
    templates: list[RegimenTemplate] = []
    problems: list[str] = []
    for folder, user_made in ((SHIPPED, False), (user_folder(), True)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                problems.append(f"{path}: cannot read: {exc}")
                continue
            template, errors = parse_template(doc)
            if template is None:
                problems.extend(f"{path}: {e}" for e in errors)
                continue
            if user_made:
                template = RegimenTemplate(template.name, template.course, template.source,
                                           template.cycle_days, True)
            templates.append(template)
    return sorted(templates, key=lambda t: t.name.casefold()), problems


def save_template(course: Course, name: str, source: str) -> Path:
    """Save a course as a template in this workstation's template folder."""
    if not name.strip():
        raise HemalogError("template name: must not be empty")
    folder = user_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(name)}.json"
    if path.exists() or (SHIPPED / path.name).exists():
        raise HemalogError(f"template name: a template called {name!r} already exists")
    doc = template_document(course, name=name.strip(), source=source.strip() or "saved from a course")
    write_text_atomically(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return path
