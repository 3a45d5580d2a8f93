"""Issue 13, finding 7: text that would act on a terminal or reorder what is shown.

Every text field refuses control characters and bidirectional overrides with a
message naming the field, the character and its position; notes may hold
newlines and tabs; user names follow the patient-name rule; ``printable`` shows
whatever is already stored as visible escapes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from clinical.accounts import Role
from clinical.errors import HemalogError
from clinical.plain_text import printable
from clinical.record_schema import parse_item, parse_record
from resources import DEMO_RECORD
from storage.repository import SqliteStore

Key = str | int

HOSTILE_NAME = "Evil\x1b[2J\x1b]0;owned\x07 Name\x00"
SPOOFED_NAME = "Ann \u202eeeL"  # shows as "Ann Lee"

REFUSED = {
    "ESC": "\x1b", "BEL": "\x07", "NUL": "\x00", "DEL": "\x7f", "carriage return": "\r",
    "C1 CSI": "\x9b", "C1 NEL": "\x85", "line separator": "\u2028",
    "paragraph separator": "\u2029", "LRE": "\u202a", "RLE": "\u202b", "PDF": "\u202c",
    "LRO": "\u202d", "RLO": "\u202e", "LRI": "\u2066", "RLI": "\u2067", "FSI": "\u2068",
    "PDI": "\u2069",
}


@pytest.fixture(scope="module")
def demo_doc() -> dict[str, Any]:
    return json.loads(DEMO_RECORD.read_text(encoding="utf-8"))


def _patient(**changes: Any) -> dict[str, Any]:
    return {"mrn": "H-1", "name": "Ann Lee", "diagnosis": "AML", **changes}


def _strings(node: Any, keys: tuple[Key, ...] = ()) -> Iterator[tuple[Key, ...]]:
    """The key path of every string value in a document."""
    if isinstance(node, str):
        yield keys
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*keys, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*keys, i))


def _json_path(keys: tuple[Key, ...]) -> str:
    out = ""
    for key in keys:
        out = f"{out}[{key}]" if isinstance(key, int) else (f"{out}.{key}" if out else key)
    return out


# --- the parser --------------------------------------------------------------------

@pytest.mark.parametrize("char", REFUSED.values(), ids=REFUSED.keys())
@pytest.mark.parametrize("field", ["mrn", "name", "diagnosis"])
def test_single_line_fields_refuse_control_and_bidi_characters(field: str, char: str) -> None:
    patient, problems = parse_item("patient", _patient(**{field: f"Ann{char}Lee"}), "patient")
    assert patient is None
    assert [str(p) for p in problems] == [
        f"patient.{field}: contains {_kind(char)} (U+{ord(char):04X}) at position 4; remove it"]


def _kind(char: str) -> str:
    if char in "\u2028\u2029":
        return "a line separator"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return "a bidirectional control character"
    return "a control character"


def test_the_issue_names_are_refused_naming_the_first_bad_character() -> None:
    _, problems = parse_item("patient", _patient(name=HOSTILE_NAME), "patient")
    assert [str(p) for p in problems] == [
        "patient.name: contains a control character (U+001B) at position 5; remove it"]
    _, problems = parse_item("patient", _patient(name=SPOOFED_NAME), "patient")
    assert [str(p) for p in problems] == [
        "patient.name: contains a bidirectional control character (U+202E) at position 5; "
        "remove it"]


def test_notes_keep_newlines_and_tabs_but_refuse_other_controls() -> None:
    patient, problems = parse_item("patient", _patient(notes="day 1:\tfever\nday 2:\tnone"))
    assert problems == [] and patient.notes == "day 1:\tfever\nday 2:\tnone"
    _, problems = parse_item("patient", _patient(notes="ok\n\x1b[2Jgone"), "patient")
    assert [str(p) for p in problems] == [
        "patient.notes: contains a control character (U+001B) at position 4; remove it"]


def test_a_newline_is_refused_outside_notes() -> None:
    _, problems = parse_item("patient", _patient(name="Ann\nLee"), "patient")
    assert [p.path for p in problems] == ["patient.name"]


def test_bidi_marks_and_other_scripts_are_accepted() -> None:
    """The marks (LRM, RLM, ALM) reorder nothing themselves; Hebrew and Arabic text holds them."""
    for name in ("\u05d0\u05d1\u200f (Ann)", "Ann\u200eLee", "\u0639\u0644\u064a\u061c 2",
                 "张伟", "José Müller", "O'Brien-Smith"):
        patient, problems = parse_item("patient", _patient(name=name))
        assert problems == [] and patient.name == name


def test_an_immunophenotype_key_with_a_control_character_is_refused() -> None:
    _, problems = parse_item("patient", _patient(immunophenotype={"CD\x1b7": "positive"}),
                             "patient")
    assert [str(p) for p in problems] == [
        "patient.immunophenotype: the key CD\\x1b7 contains a control character (U+001B) "
        "at position 3; remove it"]


def test_no_string_anywhere_in_a_record_can_carry_an_escape(demo_doc: dict[str, Any]) -> None:
    """Every kind of string in the demo record, with ESC put in it, is refused at its path."""
    shapes: dict[tuple[Key, ...], tuple[Key, ...]] = {}
    for keys in _strings(demo_doc):
        shapes.setdefault(tuple("*" if isinstance(k, int) else k for k in keys), keys)
    assert len(shapes) > 40
    for keys in shapes.values():
        if keys == ("format",):
            continue
        doc = copy.deepcopy(demo_doc)
        node: Any = doc
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = node[keys[-1]][:1] + "\x1b" + node[keys[-1]][1:]
        record, problems = parse_record(doc)
        where = _json_path(keys)
        assert record is None, where
        assert where in {p.path for p in problems}, (where, problems)


# --- user names ----------------------------------------------------------------------

@pytest.mark.parametrize("username, display_name, expected", [
    ("ann\x07", None, "user name: contains a control character (U+0007) at position 4; "
                      "remove it"),
    ("ann", SPOOFED_NAME, "display name: contains a bidirectional control character (U+202E) "
                          "at position 5; remove it"),
    ("ann", HOSTILE_NAME, "display name: contains a control character (U+001B) at position 5; "
                          "remove it"),
])
def test_user_and_display_names_follow_the_same_rule(
        store: SqliteStore, username: str, display_name: str | None, expected: str) -> None:
    with pytest.raises(HemalogError) as refused:
        store.accounts.create(username, "long enough pw", Role.ADMIN, display_name)
    assert refused.value.lines == [expected]
    assert store.accounts.count() == 0


def test_a_plain_display_name_is_still_accepted(store: SqliteStore) -> None:
    user = store.accounts.create("ann", "long enough pw", Role.ADMIN, "Dr Ann Lee \u05d0")
    assert user.display_name == "Dr Ann Lee \u05d0"


# --- showing stored text -------------------------------------------------------------

def test_printable_shows_hostile_characters_as_escapes() -> None:
    assert printable(HOSTILE_NAME) == "Evil\\x1b[2J\\x1b]0;owned\\x07 Name\\x00"
    assert printable(SPOOFED_NAME) == "Ann \\u202eeeL"
    assert printable("a\tb\nc\u2028\x9b\udcff") == "a\\x09b\\x0ac\\u2028\\x9b\\udcff"


def test_printable_leaves_ordinary_text_alone() -> None:
    for text in ("Ann Lee", "张伟", "\u05d0\u05d1\u200f", "José", "👩‍⚕️ Dr Lee"):
        assert printable(text) == text


def test_every_refused_character_is_escaped_by_printable() -> None:
    for char in REFUSED.values():
        shown = printable(f"a{char}b")
        assert char not in shown and shown.isprintable(), repr(shown)
