"""docs/user-guide.md and docs/user-guide.zh_CN.md: the anchors F1 opens, the
screenshots they show, and the keys they name.

Conventions the two guides keep (so that they can be kept in step):

- Each task section starts with a line ``<a id="ID"></a>`` after a blank line and
  immediately before its heading (gui/help.py finds sections by these anchors: they
  are a contract with the app's F1). Both guides have the same anchors in the same order.
- Screenshots are PNGs made by ``scripts/screenshots.py``: the English guide shows
  ``images/NAME.png``, the Chinese guide ``images/zh_CN/NAME.png``, each with alt text.
  Both show the same screenshots; every PNG in docs/images is shown by a guide; every
  screenshot the script makes is shown, and every one shown is made by the script.
- A key is written as Qt writes it (``Ctrl+Shift+S``, ``F9``, ``Alt+T``). Every key of
  the keyboard map's shortcuts (gui/keymap.py) is in the "keyboard" section; every
  ``Ctrl+``/``F`` key named anywhere is one of the map's, or one a widget handles
  itself (the calendar of a date field, pasting into the labs grid, Qt's focus keys);
  every ``Alt+LETTER`` is a mnemonic of the map, named in the same paragraph by its
  label as the screen shows it (in Chinese, the catalogue's translation).
- Links to other documents point at files in docs/ (and at anchors that exist).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QKeySequence

import lang
from gui import keymap

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
IMAGES = DOCS / "images"
SCRIPT = ROOT / "scripts" / "screenshots.py"
GUIDES = {"en": DOCS / "user-guide.md", "zh_CN": DOCS / "user-guide.zh_CN.md"}
IMAGE_DIR = {"en": "images/", "zh_CN": "images/zh_CN/"}

# The sections the app's F1 may ask for (issue 19): the guide's contract with gui/help.py.
REQUIRED = ("sign-in", "patients", "admit-patient", "course", "crs", "icans", "gvhd", "labs",
            "lab-import", "plots", "correct-void", "history", "print-summary",
            "backup-restore", "users", "preferences", "keyboard")

ANCHOR = re.compile(r'^<a id="([A-Za-z0-9_-]+)"></a>$')
HEADING = re.compile(r"^#{1,6} \S")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
# A key as Qt writes it: modifiers and a key, or a function key alone.
KEY = re.compile(r"(?<![A-Za-z0-9+])((?:(?:Ctrl|Alt|Shift)\+)+"
                 r"(?:F[0-9]{1,2}|PgUp|PgDown|Tab|Backspace|Down|Up|Left|Right|[A-Za-z0-9\[\]])"
                 r"|F[0-9]{1,2})(?![A-Za-z0-9])")
ALT_LETTER = re.compile(r"^Alt\+([A-Z])$")
SHOT = re.compile(r'(?:shot_screen|shot_widget|save_image)\(\s*"([a-z0-9-]+)"')


def text(language: str) -> str:
    return GUIDES[language].read_text(encoding="utf-8")


def lines(language: str) -> list[str]:
    return text(language).splitlines()


def anchors(language: str) -> list[str]:
    return [m.group(1) for line in lines(language) if (m := ANCHOR.match(line.strip()))]


def section(language: str, anchor: str) -> str:
    """The text from ``anchor`` to the next anchor (or the end)."""
    body = text(language)
    start = body.index(f'<a id="{anchor}"></a>')
    following = [m.start() for m in re.finditer(r'^<a id="', body[start + 1:], re.M)]
    return body[start:start + 1 + following[0]] if following else body[start:]


def images(language: str) -> list[tuple[str, str]]:
    """(alt text, path) of every image the guide shows."""
    return [(m.group(1), m.group(2)) for m in IMAGE.finditer(text(language))]


def portable(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


# --- anchors ----------------------------------------------------------------------------
@pytest.mark.parametrize("language", list(GUIDES))
@pytest.mark.parametrize("anchor", REQUIRED)
def test_each_required_section_has_its_anchor_once_just_before_a_heading(
        language: str, anchor: str) -> None:
    guide = lines(language)
    where = [i for i, line in enumerate(guide) if line == f'<a id="{anchor}"></a>']
    assert len(where) == 1, f"{GUIDES[language].name}: anchor {anchor!r} found {len(where)} times"
    i = where[0]
    assert i + 1 < len(guide) and HEADING.match(guide[i + 1]), \
        f"{GUIDES[language].name}: no heading right after the anchor {anchor!r}"
    assert i > 0 and guide[i - 1].strip() == "", \
        f"{GUIDES[language].name}: no blank line before the anchor {anchor!r}"


@pytest.mark.parametrize("language", list(GUIDES))
def test_every_anchor_line_is_well_formed_and_unique(language: str) -> None:
    """An anchor written otherwise (spaces, quotes) would be shown as text, not found."""
    raw = [line for line in lines(language) if "<a id=" in line]
    assert all(ANCHOR.match(line) for line in raw), raw
    found = anchors(language)
    assert len(found) == len(set(found)), sorted(a for a in found if found.count(a) > 1)


def test_both_guides_have_the_same_sections_in_the_same_order() -> None:
    assert anchors("zh_CN") == anchors("en")
    assert set(REQUIRED) <= set(anchors("en"))


@pytest.mark.parametrize("language", list(GUIDES))
def test_links_inside_the_guide_and_to_other_documents_lead_somewhere(language: str) -> None:
    own = set(anchors(language))
    prose = re.sub(r"`[^`]*`", "", text(language))   # `Ctrl+[` is code, not a link
    for target in LINK.findall(prose):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, fragment = target.partition("#")
        if not path:
            assert fragment in own, f"{GUIDES[language].name}: no anchor {fragment!r}"
            continue
        document = DOCS / path
        assert document.is_file() and document.resolve().parent == DOCS.resolve(), \
            f"{GUIDES[language].name}: link to {target!r}: no such document in docs/"
        if fragment:
            body = document.read_text(encoding="utf-8")
            slugs = {_slug(h) for h in re.findall(r"^#{1,6} (.*)$", body, re.M)}
            assert f'<a id="{fragment}"></a>' in body or fragment in slugs, \
                f"{GUIDES[language].name}: {path} has no anchor {fragment!r}"


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, '-' for spaces."""
    words = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return words.replace(" ", "-")


# --- screenshots ------------------------------------------------------------------------
@pytest.mark.parametrize("language", list(GUIDES))
def test_every_image_shown_exists_has_alt_text_and_is_in_its_language_folder(
        language: str) -> None:
    shown = images(language)
    assert shown, f"{GUIDES[language].name} shows no screenshots"
    for alt, path in shown:
        assert alt.strip(), f"{GUIDES[language].name}: {path} has no alt text"
        assert path.startswith(IMAGE_DIR[language]) and path.endswith(".png"), \
            f"{GUIDES[language].name}: {path} is not a PNG in {IMAGE_DIR[language]}"
        assert "/" not in path[len(IMAGE_DIR[language]):], path
        assert (DOCS / path).is_file(), f"{GUIDES[language].name}: {path} does not exist"


def test_both_guides_show_the_same_screenshots() -> None:
    names = {language: [Path(p).name for _, p in images(language)] for language in GUIDES}
    assert names["zh_CN"] == names["en"]


def test_no_image_in_docs_images_is_left_unshown() -> None:
    shown = {(DOCS / path).resolve() for language in GUIDES for _, path in images(language)}
    stale = sorted(str(p.relative_to(DOCS)) for p in IMAGES.rglob("*.png")
                   if p.resolve() not in shown)
    assert not stale, f"PNGs no guide shows (remove them or show them): {stale}"


def test_the_screenshot_script_makes_exactly_the_screenshots_the_guides_show() -> None:
    """One command (scripts/screenshots.py) remakes every picture: nothing shown is made
    by hand, and nothing made is left out."""
    made = set(SHOT.findall(SCRIPT.read_text(encoding="utf-8")))
    shown = {Path(p).stem for _, p in images("en")}
    assert made, "scripts/screenshots.py names no screenshot"
    assert shown == made, {"shown, not made": sorted(shown - made),
                           "made, not shown": sorted(made - shown)}


# --- keys -------------------------------------------------------------------------------
def map_keys() -> set[str]:
    """Every key sequence of the keyboard map's shortcuts, as Qt writes it."""
    return {portable(s) for key in keymap.SHORTCUTS for s in keymap.sequences(key)}


def widget_keys() -> set[str]:
    """Keys a widget handles itself, each checked against the code that handles it."""
    fields = (ROOT / "gui" / "forms" / "fields.py").read_text(encoding="utf-8")
    grid = (ROOT / "gui" / "labs_grid.py").read_text(encoding="utf-8")
    keys = {key for key in ("Alt+Down", "F4") if key in fields}   # a date field's calendar
    if "StandardKey.Paste" in grid:                               # pasting rows into the grid
        keys |= {portable(s) for s in QKeySequence.keyBindings(QKeySequence.StandardKey.Paste)}
    keys.add("Shift+Tab")   # Qt's own: the previous field
    return keys


def shown_label(key: str, language: str) -> str:
    """A keyboard-map label as the screen shows it: 'Correc&t selected' -> 'Correct
    selected', '更正所选(&T)' -> '更正所选'; ending '…' and ':' dropped."""
    words = keymap.english(key) if language == "en" else lang.tr("Keymap", keymap.english(key),
                                                                  language)
    words = re.sub(r"\(&[A-Za-z]\)", "", words).replace("&&", "\0").replace("&", "")
    return words.replace("\0", "&").strip().rstrip("…:：").strip()


def squeeze(words: str) -> str:
    return re.sub(r"\s+", "", words).lower()


@pytest.mark.parametrize("language", list(GUIDES))
def test_the_keyboard_section_names_every_shortcut_of_the_keyboard_map(
        qapp: Any, language: str) -> None:
    named = set(KEY.findall(section(language, "keyboard")))
    missing = []
    for key, shortcut in keymap.SHORTCUTS.items():
        # Keys the map spells out are named, each; of a platform's standard key, the main one.
        wanted = [portable(QKeySequence(k)) for k in shortcut.keys if isinstance(k, str)] or \
            [portable(keymap.shortcut(key))]
        missing += [f"{key}: {w}" for w in wanted if w not in named]
    assert not missing, f"{GUIDES[language].name}: the keyboard section lacks {missing}"


@pytest.mark.parametrize("language", list(GUIDES))
def test_every_key_the_guide_names_is_a_key_hemalog_has(qapp: Any, language: str) -> None:
    known = map_keys() | widget_keys()
    named = set(KEY.findall(text(language)))
    unknown = sorted(k for k in named if k not in known and not ALT_LETTER.match(k))
    assert not unknown, f"{GUIDES[language].name} names keys hemalog does not have: {unknown}"


@pytest.mark.parametrize("language", list(GUIDES))
def test_every_alt_letter_goes_with_a_label_of_the_keyboard_map_that_has_it(
        qapp: Any, language: str) -> None:
    by_letter: dict[str, list[str]] = {}
    for key, label in keymap.LABELS.items():
        letter = keymap.mnemonic(label)
        if letter:
            by_letter.setdefault(letter, []).append(key)
    wrong = []
    for paragraph in re.split(r"\n\s*\n", text(language)):
        for found in KEY.findall(paragraph):
            match = ALT_LETTER.match(found)
            if match is None:
                continue
            labels = [shown_label(k, language) for k in by_letter.get(match.group(1), [])]
            if not any(squeeze(label) in squeeze(paragraph) for label in labels if label):
                wrong.append(f"{found} in: {paragraph.strip()[:90]!r}")
    assert not wrong, f"{GUIDES[language].name}: Alt keys without their label: {wrong}"


def test_the_key_pattern_reads_keys_as_qt_writes_them() -> None:
    """The tests above rest on KEY: it finds what it must, and nothing else."""
    sample = ("Press `Ctrl+Shift+]`, `Ctrl+PgDown`, F9 or `Shift+F9`; Alt+Down opens; "
              "按F1打开；Alt+T. Not FEV1, CD7+, G4 or Ctrl alone.")
    assert KEY.findall(sample) == ["Ctrl+Shift+]", "Ctrl+PgDown", "F9", "Shift+F9",
                                   "Alt+Down", "F1", "Alt+T"]
