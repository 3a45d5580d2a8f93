"""The Chinese catalogue is complete: every string the code can show has a finished translation.

The catalogue (resources/i18n/hemalog_zh_CN.ts) is what Qt's lupdate collects from
the code; these tests run lupdate again into a copy, so a string added to the code
without a translation, a translation left unfinished, or one that lost a {field}
or a keyboard accelerator fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import clinical
import lang
from clinical.messages import placeholders, templates

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import i18n  # noqa: E402  (scripts/i18n.py)

TS = i18n.ts_path("zh_CN")


def entries(path: Path) -> list[dict[str, str | None]]:
    return i18n.messages(path)


def key(m: dict[str, str | None]) -> tuple[str, str, str]:
    return (m["context"] or "", m["source"] or "", m["comment"] or "")


def test_every_message_has_a_finished_translation() -> None:
    unfinished = [key(m) for m in entries(TS)
                  if m["type"] in ("unfinished", "vanished", "obsolete") or not m["translation"]]
    assert unfinished == [], f"{len(unfinished)} unfinished, e.g. {unfinished[:5]}"


def test_the_catalogue_holds_every_string_of_the_code(tmp_path: Path) -> None:
    copy = i18n.update(tmp_path / "hemalog_zh_CN.ts")
    now, committed = {key(m) for m in entries(copy)}, {key(m) for m in entries(TS)}
    new = sorted(now - committed)
    gone = sorted(committed - now)
    assert new == [], f"{len(new)} strings in the code are not in the catalogue, e.g. {new[:5]}"
    assert gone == [], f"{len(gone)} catalogue entries are no longer in the code, e.g. {gone[:5]}"


def test_translations_keep_every_field_and_accelerator() -> None:
    wrong = []
    for m in entries(TS):
        source, text = m["source"] or "", m["translation"] or ""
        if not text:
            continue
        if placeholders(source) != placeholders(text):
            wrong.append((source, text, "fields"))
        accel = re.findall(r"&([^&\s])", source.replace("&&", ""))
        if accel and f"&{accel[0].upper()}" not in text.upper():
            wrong.append((source, text, "accelerator"))
    assert wrong == []


def _import_all(package) -> None:
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)


def test_every_clinical_message_is_in_the_catalogue() -> None:
    _import_all(clinical)
    catalogue = lang.Catalogue.load(TS)
    declared = [t for code, t in templates().items() if not code.startswith("test.")]
    assert len(declared) > 50  # the rules declare their messages
    missing = [t.code for t in declared if catalogue.wording(t) is None]
    assert missing == []


def test_the_compiled_catalogue_is_built_from_the_ts(tmp_path: Path) -> None:
    """lrelease compiles the .ts without complaint (setup runs it: the build step)."""
    out = tmp_path / "hemalog_zh_CN.qm"
    done = subprocess.run([i18n._tool("pyside6-lrelease"), str(TS), "-qm", str(out)],
                          capture_output=True, text=True, check=True)
    assert out.stat().st_size > 1000, done.stdout
    assert "untranslated" not in done.stdout or " 0 untranslated" in done.stdout, done.stdout


@pytest.mark.parametrize("term", ["细胞因子释放综合征", "免疫效应细胞相关神经毒性综合征", "微小残留病",
                                  "中性粒细胞植入", "血小板植入", "体表面积", "累积剂量"])
def test_the_glossary_terms_are_used(term: str) -> None:
    assert term in TS.read_text(encoding="utf-8")
    assert term in (TS.parent / "glossary.md").read_text(encoding="utf-8")
