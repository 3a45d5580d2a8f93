"""Issue 19: the project stands on its own: no path outside it, one version, a licence,
a NOTICE that names every dependency, a changelog."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from clinical.rules import RULES_VERSION
from clinical.version import app_version, software_stamp
from gui.about import dependency_licences

ROOT = Path(__file__).resolve().parent.parent

# Paths that only exist on a developer's machine: the specs beside the clone, the
# workspace it was built in, a home folder.
OUTSIDE = re.compile(r"\.\./shared|(?<![\w.-])shared/(spec|seed|examples|hooks)\b"
                     r"|/work/(main|shared|\.library)|/root/|/home/\w+")
ALLOWED = "outside-path-ok"   # a line that names such a path as data (a test's pattern)
TEXT_SUFFIXES = {".py", ".md", ".toml", ".sh", ".json", ".csv", ".ts", ".txt", ".cfg",
                 ".ini", ".yml", ".yaml", ""}


def _project_files() -> list[Path]:
    """Every file of the project: git's tracked and new (not ignored) files."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / name for name in listed.splitlines() if (ROOT / name).is_file()]


def test_no_file_refers_to_a_path_outside_the_repository() -> None:
    found = []
    for path in _project_files():
        if path.suffix not in TEXT_SUFFIXES or path.name == Path(__file__).name:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line) and ALLOWED not in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert found == []


def test_the_pattern_catches_what_it_should() -> None:
    for bad in ("see ../shared/spec/record-format.md",  # outside-path-ok
                "shared/spec/clinical-rules.md", "/work/shared/seed/x",  # outside-path-ok
                "open('/home/nurse/x.db')"):  # outside-path-ok
        assert OUTSIDE.search(bad), bad
    for fine in ("docs/record-format.md", "tmp_path / 'shared' / 'lab-codes.csv'",
                 "the settings folder shared by a ward"):
        assert not OUTSIDE.search(fine), fine


def test_one_version_everywhere() -> None:
    with (ROOT / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert app_version() == version
    printed = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"],
                             capture_output=True, text=True, timeout=60)
    assert printed.returncode == 0 and printed.stdout.strip() == f"hemalog {version}"
    assert software_stamp() == f"hemalog {version}; rules {RULES_VERSION}"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(version)} .*rules {re.escape(RULES_VERSION)}$",
                     changelog, re.MULTILINE), "CHANGELOG.md has no entry for this version"
    rules = (ROOT / "docs" / "clinical-rules.md").read_text(encoding="utf-8")
    assert f"Rules version {RULES_VERSION}" in rules


def test_licence_is_apache_2_and_notice_names_every_dependency() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in licence
    with (ROOT / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    assert project.get("license") == "Apache-2.0"
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    listed = {line.split()[0].lower() for line in notice.splitlines()
              if line and not line.startswith((" ", "-")) and len(line.split()) >= 2}
    missing = [lic.package for lic in dependency_licences()
               if lic.package.lower() not in listed]
    assert missing == [], f"NOTICE does not name: {missing}"
    assert "GNU Lesser General Public License" in " ".join(notice.split())


def test_the_readme_points_to_the_documents() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for document in ("docs/user-guide.md", "docs/record-format.md", "docs/command-line.md",
                     "docs/clinical-rules.md", "CHANGELOG.md", "LICENSE"):
        assert document in readme, document
        assert (ROOT / document).is_file(), document


def test_every_exported_grade_names_the_rules_that_gave_it() -> None:
    import json

    from clinical.derive import derive
    from clinical.record_json import to_document
    from clinical.record_schema import parse_record
    from resources import DEMO_RECORD

    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert not problems and record is not None
    document = to_document(record, derive(record))
    assert document["assessments"] and all(
        a["rules_version"] == RULES_VERSION for a in document["assessments"])
    # a lab's CTCAE grade keeps the shape the record format fixes ({term, grade,
    # version}: the CTCAE version); the record's assessments name the rules version
    graded = [lab["ctcae"] for lab in document["labs"] if "ctcae" in lab]
    assert graded and all(set(c) == {"term", "grade", "version"} for c in graded)
    # and the import ignores it, as every derived key
    again, problems = parse_record(document)
    assert not problems and again == record
