"""docs/clinical-rules.md: its anchors (a contract: the app's "Why?" buttons open the
document at them) and its worked examples, each run through hemalog's real rule code.

A worked example is a fenced ```text block whose first line is
``example <ID> (<rule>)``. The lines after it are ``key: value``; a line that starts
with a space continues the value above it (long JSON may run over several lines).

- ``in:`` the input as JSON: the findings of an assessment, a lab value, a series of
  counts, or (rule ``record``) part of a patient record in the export format.
- ``options:`` JSON keyword arguments for the rule (age, FEV1, criteria set...).
- ``result:`` what hemalog gives (``null``: no value; acute GVHD as 0, I-IV).
- ``flags:`` the kinds of flag raised, comma-separated (``none`` for none).
- ``says:`` the one-line reason hemalog prints, exactly.
- ``stages:``, ``term:``, ``export_flags:``, ``mosteller:``, ``dubois:``,
  ``haycock:``, ``bsa:``: further values, as the rule's runner below reads them.
- ``at <path>:`` (rule ``record``) the JSON found at that path of the exported record.
- ``refused:`` (rule ``record``) the paths the record import refuses, comma-separated.

Every expected value is compared with what the code computes, so a wrong number in the
document fails here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from clinical.derive import derive
from clinical.dosing import BsaFormula, bsa, bsa_rounded
from clinical.engraftment import engraftment_flags, neutrophil_engraftment, platelet_engraftment
from clinical.grading.agvhd import grade_agvhd
from clinical.grading.cgvhd import grade_cgvhd
from clinical.grading.crs import grade_crs
from clinical.grading.ctcae import CTCAE_V5, febrile_neutropenia, grade_count, lab_ctcae
from clinical.grading.icans import grade_icans
from clinical.icaht import early_icaht, late_icaht
from clinical.marrow import all_response, chimerism_category, mrd_negative
from clinical.record import LabTest
from clinical.record_json import to_document
from clinical.record_schema import parse_record

DOC = Path(__file__).resolve().parents[2] / "docs" / "clinical-rules.md"

REQUIRED_ANCHORS = (
    "conventions", "crs", "icans", "ice-score", "agvhd", "cgvhd", "ctcae",
    "febrile-neutropenia", "icaht", "engraftment-neutrophil", "engraftment-platelet",
    "graft-failure", "chimerism", "mrd", "response", "day-counting", "bsa", "doses",
    "dose-limits", "worst-grades", "registry", "sources",
)
# Sections that state a rule with numbers: each must show it at work.
SECTIONS_WITH_EXAMPLES = (
    "conventions", "crs", "icans", "ice-score", "agvhd", "cgvhd", "ctcae",
    "febrile-neutropenia", "icaht", "engraftment-neutrophil", "engraftment-platelet",
    "graft-failure", "chimerism", "mrd", "response", "day-counting", "bsa", "doses",
    "dose-limits", "worst-grades",
)

ANCHOR = re.compile(r'<a id="([^"]*)"></a>')
ANCHOR_LINE = re.compile(r'^<a id="([^"]*)"></a>$')
HEADING = re.compile(r"^#{1,6} \S")
EXAMPLE_HEAD = re.compile(r"^example (?P<id>\S+) \((?P<rule>[a-z-]+)\)$")
ROMAN = ("0", "I", "II", "III", "IV")


def _lines() -> list[str]:
    return DOC.read_text(encoding="utf-8").splitlines()


# --- the anchors ------------------------------------------------------------------------

def test_every_required_anchor_exists_exactly_once() -> None:
    found = ANCHOR.findall(DOC.read_text(encoding="utf-8"))
    for anchor in REQUIRED_ANCHORS:
        assert found.count(anchor) == 1, f"anchor {anchor!r} appears {found.count(anchor)} times"


def test_anchor_ids_are_unique_lower_case_words_with_hyphens() -> None:
    found = ANCHOR.findall(DOC.read_text(encoding="utf-8"))
    assert len(found) == len(set(found)), "an anchor id is used twice"
    for anchor in found:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", anchor), anchor


def test_each_anchor_stands_alone_after_a_blank_line_and_before_a_heading() -> None:
    lines = _lines()
    text = "\n".join(lines)
    assert len(ANCHOR.findall(text)) == sum(bool(ANCHOR_LINE.match(line)) for line in lines), \
        "an anchor shares its line with other text"
    for i, line in enumerate(lines):
        if not ANCHOR_LINE.match(line):
            continue
        assert i > 0 and lines[i - 1].strip() == "", f"line {i + 1}: no blank line before {line}"
        nxt = i + 1
        if nxt < len(lines) and lines[nxt].strip() == "":
            nxt += 1
        assert nxt < len(lines) and HEADING.match(lines[nxt]), \
            f"line {i + 1}: {line} is not followed by a heading"


def test_header_states_the_rules_version_the_code_carries() -> None:
    rules = pytest.importorskip("clinical.rules")
    head = "\n".join(_lines()[:15])
    found = re.search(r"Rules version (\d+(?:\.\d+)+)", head)
    assert found, "the header does not state 'Rules version N.N'"
    assert found.group(1) == rules.RULES_VERSION
    assert "CHANGELOG.md" in head


def test_document_names_nothing_outside_the_repository() -> None:
    text = DOC.read_text(encoding="utf-8")
    for outside in ("/work/", "shared/spec", "clinical-vectors",  # outside-path-ok
                    "record-format.md", "Part A", "Part B"):
        assert outside not in text, outside


# --- the worked examples ------------------------------------------------------------------

@dataclass
class Example:
    id: str
    rule: str
    section: str
    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, key: str) -> str | None:
        return next((v for k, v in self.fields if k == key), None)

    def json(self, key: str, default: Any = None) -> Any:
        text = self.get(key)
        return default if text is None else json.loads(text)


def parse_examples(lines: list[str]) -> list[Example]:
    examples: list[Example] = []
    section = ""
    i = 0
    while i < len(lines):
        anchor = ANCHOR_LINE.match(lines[i])
        if anchor:
            section = anchor.group(1)
        if lines[i].strip() != "```text":
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        body = lines[i + 1:j]
        head = EXAMPLE_HEAD.match(body[0]) if body else None
        if head:
            ex = Example(head["id"], head["rule"], section, i + 2)
            for raw in body[1:]:
                if raw.startswith((" ", "\t")) and ex.fields:
                    key, value = ex.fields[-1]
                    ex.fields[-1] = (key, f"{value} {raw.strip()}")
                    continue
                key, sep, value = raw.partition(":")
                assert sep, f"line {ex.line}: {raw!r} is not 'key: value'"
                ex.fields.append((key.strip(), value.strip()))
            examples.append(ex)
        i = j + 1
    return examples


EXAMPLES = parse_examples(_lines())


def shown(rule: str, value: Any) -> str:
    """A value as the document writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if rule == "agvhd":
        return ROMAN[value]
    return str(value)


def flag_kinds(flags: Any) -> set[str]:
    return {str(f).split(":", 1)[0].strip() for f in flags}


def listed(text: str) -> set[str]:
    return set() if text == "none" else {part.strip() for part in text.split(",")}


def _day(day0: date, key: str | int) -> date:
    text = str(key)
    if len(text) == 10 and text[4] == "-":
        return date.fromisoformat(text)
    return day0 + timedelta(days=int(text))


def _days(by_day: Mapping[str, Any]) -> dict[int, Any]:
    """{"0-5": 0.3, "6": 1.2} -> {0: 0.3, ..., 5: 0.3, 6: 1.2} (days from day 0)."""
    out: dict[int, Any] = {}
    for key, value in by_day.items():
        first, _, last = key.partition("-")
        for day in range(int(first), int(last or first) + 1):
            out[day] = value
    return out


def _series(day0: date, by_day: Mapping[str, Any]) -> list[tuple[date, float]]:
    """(date, value) pairs from {"2025-06-14": 30} or {"12": 0.6, "22-39": 30}; a list
    of values is several values on one day."""
    dated = {k: v for k, v in by_day.items() if len(k) == 10 and k[4] == "-"}
    by_date = {date.fromisoformat(k): v for k, v in dated.items()}
    by_date.update({day0 + timedelta(days=d): v for d, v in
                    _days({k: v for k, v in by_day.items() if k not in dated}).items()})
    return [(d, v) for d, value in by_date.items()
            for v in (value if isinstance(value, list) else [value])]


# Each runner returns the Grade (or, for the non-grade rules, None) and a dict of the
# other values an example may state.
Runner = Callable[[Example], tuple[Any, dict[str, str]]]


def _grade_only(compute: Callable[[Any, dict[str, Any]], Any]) -> Runner:
    def run(ex: Example) -> tuple[Any, dict[str, str]]:
        return compute(ex.json("in"), ex.json("options", {})), {}
    return run


def _agvhd(ex: Example) -> tuple[Any, dict[str, str]]:
    g = grade_agvhd(ex.json("in"))
    stages = ", ".join(f"{organ} {shown('', stage)}"
                       for organ, stage in g.details["stages"].items())
    return g, {"stages": stages}


def _ctcae(ex: Example) -> tuple[Any, dict[str, str]]:
    x = ex.json("in")
    version = x.get("version", CTCAE_V5)
    g = grade_count(x["test"], x["value"], x.get("lln"), version=version, unit=x.get("unit"),
                    transfusion_indicated=x.get("transfusion_indicated", False))
    if version == CTCAE_V5 and x.get("unit") is None and not x.get("transfusion_indicated"):
        # The record's per-lab grade (labs[].ctcae) must say the same.
        per_lab = lab_ctcae(LabTest(x["test"]), x["value"], x.get("lln"))
        assert per_lab is not None and per_lab.grade == g.value, (per_lab, g.value)
    return g, {"term": str(g.details["term"])}


def _neutrophil(ex: Example) -> tuple[Any, dict[str, str]]:
    x = ex.json("in")
    day0 = date.fromisoformat(x["day0"])
    g = neutrophil_engraftment(_series(day0, x["anc"]), day0, graft=x.get("graft"))
    return g, {"export_flags": ", ".join(engraftment_flags(g)) or "none"}


def _platelet(ex: Example) -> tuple[Any, dict[str, str]]:
    x = ex.json("in")
    day0 = date.fromisoformat(x["day0"])
    tx = [_day(day0, t) for t in x.get("platelet_transfusions", [])]
    g = platelet_engraftment(_series(day0, x["platelets"]), tx, day0)
    return g, {"export_flags": ", ".join(engraftment_flags(g)) or "none"}


def _bsa(ex: Example) -> tuple[Any, dict[str, str]]:
    x = ex.json("in")
    h, w = x["height_cm"], x["weight_kg"]
    return None, {"mosteller": f"{bsa(h, w, BsaFormula.MOSTELLER):.4f}",
                  "dubois": f"{bsa(h, w, BsaFormula.DUBOIS):.4f}",
                  "haycock": f"{bsa(h, w, BsaFormula.HAYCOCK):.4f}",
                  "bsa": str(bsa_rounded(h, w))}


PATIENT = {"mrn": "DOC-EXAMPLE", "name": "Worked Example", "diagnosis": "T-ALL"}


def _record(ex: Example) -> tuple[Any, dict[str, str]]:
    doc = {"format": "hemalog.record", "version": 1, "patient": PATIENT, **ex.json("in")}
    record, problems = parse_record(doc)
    if record is None:
        return None, {"refused": ", ".join(p.path for p in problems), "document": "null"}
    exported = json.loads(json.dumps(to_document(record, derive(record)), default=str))
    return None, {"refused": "none", "document": json.dumps(exported)}


RUNNERS: dict[str, Runner] = {
    "crs": _grade_only(lambda x, o: grade_crs(x)),
    "icans": _grade_only(lambda x, o: grade_icans(x, **o)),
    "agvhd": _agvhd,
    "cgvhd": _grade_only(lambda x, o: grade_cgvhd(x, **o)),
    "ctcae": _ctcae,
    "febrile-neutropenia": _grade_only(lambda x, o: febrile_neutropenia(
        x["anc"], x.get("highest_temperature_c"), x.get("minutes_at_38"))),
    "icaht-early": _grade_only(lambda x, o: early_icaht(_days(x["anc_by_day"]))),
    "icaht-late": _grade_only(lambda x, o: late_icaht(x["anc_after_day_30"])),
    "neutrophil-engraftment": _neutrophil,
    "platelet-engraftment": _platelet,
    "chimerism": _grade_only(lambda x, o: chimerism_category(
        x["donor_pct"], lymphoid_pct=x.get("lymphoid_pct"))),
    "mrd": _grade_only(lambda x, o: mrd_negative(x.get("mrd_pct"), x.get("lod_pct"))),
    "response": _grade_only(lambda x, o: all_response(
        x.get("blasts_pct"), x.get("anc"), x.get("plt"), **o)),
    "bsa": _bsa,
    "record": _record,
}


def _at(document: Any, path: str) -> Any:
    value = document
    for name, index in re.findall(r"([A-Za-z_0-9]+)|\[(\d+)\]", path):
        value = value[name] if name else value[int(index)]
    return value


def check(ex: Example) -> None:
    """Compare every expected value of ``ex`` with what the rule code computes."""
    assert ex.rule in RUNNERS, f"{ex.id}: unknown rule {ex.rule!r}"
    grade, extra = RUNNERS[ex.rule](ex)
    checked = 0
    for key, expected in ex.fields:
        where = f"{ex.id} (line {ex.line}) {key}"
        if key in ("in", "options"):
            continue
        checked += 1
        if key == "result":
            assert shown(ex.rule, grade.value) == expected, f"{where}: {grade.value!r}"
        elif key == "flags":
            assert flag_kinds(grade.flags) == listed(expected), \
                f"{where}: {[str(f) for f in grade.flags]}"
        elif key == "says":
            assert str(grade.reason) == expected, f"{where}: {str(grade.reason)!r}"
        elif key == "refused":
            assert listed(extra["refused"]) == listed(expected), f"{where}: {extra['refused']}"
        elif key.startswith("at "):
            document = json.loads(extra["document"])
            assert document is not None, f"{where}: the record was refused: {extra['refused']}"
            assert _at(document, key[3:].strip()) == json.loads(expected), \
                f"{where}: {_at(document, key[3:].strip())!r}"
        else:
            assert key in extra, f"{where}: not a key of rule {ex.rule}"
            assert extra[key] == expected, f"{where}: {extra[key]!r}"
    if ex.rule == "record" and ex.get("refused") is None:
        assert extra["refused"] == "none", f"{ex.id}: the record was refused: {extra['refused']}"
    assert checked, f"{ex.id}: states no expected value"


def test_the_examples_are_found_and_named_once() -> None:
    assert len(EXAMPLES) >= 40
    ids = [ex.id for ex in EXAMPLES]
    assert len(ids) == len(set(ids)), "an example id is used twice"
    text = DOC.read_text(encoding="utf-8")
    assert text.count("```text\nexample ") == len(EXAMPLES), "a ```text example block did not parse"


def test_every_rule_section_has_a_worked_example() -> None:
    sections = {ex.section for ex in EXAMPLES}
    missing = [s for s in SECTIONS_WITH_EXAMPLES if s not in sections]
    assert not missing, f"sections without a worked example: {missing}"


@pytest.mark.parametrize("ex", EXAMPLES, ids=[ex.id for ex in EXAMPLES])
def test_worked_example_is_what_the_code_computes(ex: Example) -> None:
    check(ex)


def _changed(ex: Example, key: str, value: str) -> Example:
    fields = [(k, value if k == key else v) for k, v in ex.fields]
    return Example(ex.id, ex.rule, ex.section, ex.line, fields)


def _bumped(text: str) -> str:
    """``text`` with its first number raised by one (2.002 -> 3.002, 2025 -> 2026)."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 1), text, count=1)


@pytest.mark.parametrize("ex", EXAMPLES, ids=[ex.id for ex in EXAMPLES])
def test_a_changed_number_in_the_example_fails(ex: Example) -> None:
    """The check can fail: every stated value holding a number, with that number
    changed, is caught."""
    stated = [k for k, v in ex.fields if k not in ("in", "options") and re.search(r"\d", v)]
    for key in stated:
        with pytest.raises(AssertionError):
            check(_changed(ex, key, _bumped(ex.get(key) or "")))


@pytest.mark.parametrize("key", ["result", "flags"])
def test_a_wrong_word_in_an_example_fails(key: str) -> None:
    ex = next(e for e in EXAMPLES if e.get("result") in ("mixed", "moderate", "CRi")
              and e.get("flags") is not None)
    wrong = {"result": "full_donor" if ex.get("result") != "full_donor" else "mixed",
             "flags": "ambiguous" if ex.get("flags") == "none" else "none"}[key]
    with pytest.raises(AssertionError):
        check(_changed(ex, key, wrong))
