"""The translation catalogue: collect the strings, merge translations, compile.

    python scripts/i18n.py compile        # .ts -> .qm (setup.sh runs this; the build step)
    python scripts/i18n.py update         # collect every translate()/tr() string into the .ts
    python scripts/i18n.py merge F.json   # fill translations from [{context, source, comment, translation}]
    python scripts/i18n.py missing        # list the messages without a finished translation
    python scripts/i18n.py check F.json FILE.py...  # strings of FILEs not translated in F.json

``update`` runs Qt's pyside6-lupdate over the Python sources (gui/, reports/,
clinical/, lang/, main.py); strings no longer in the code are dropped. ``compile``
runs pyside6-lrelease; a .qm is never written by hand or committed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
SOURCE_DIRS = ("gui", "reports", "clinical", "lang", "cli")


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"i18n: {name} not found (it ships with PySide6)")
    return found


def sources() -> list[str]:
    files = [str(p.relative_to(ROOT)) for d in SOURCE_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    return [*files, "main.py"]


def ts_path(language: str) -> Path:
    return I18N / f"hemalog_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N / f"hemalog_{language}.qm"


def update(target: Path | None = None, language: str = "zh_CN") -> Path:
    """Collect the strings into the .ts (or into ``target``, a copy, for a check)."""
    ts = ts_path(language)
    out = target or ts
    if target is not None and ts.exists():
        shutil.copyfile(ts, target)
    subprocess.run([_tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none",
                    *sources(), "-ts", str(out)], cwd=ROOT, check=True)
    return out


def compile_all() -> None:
    for language in LANGUAGES:
        ts = ts_path(language)
        if ts.exists():
            subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm",
                            str(qm_path(language))], check=True)


def messages(path: Path) -> list[dict[str, str | None]]:
    """Every message of a .ts: context, source, comment, translation, type."""
    out = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            out.append({"context": name, "source": message.findtext("source") or "",
                        "comment": message.findtext("comment") or "",
                        "translation": None if translation is None else translation.text,
                        "type": None if translation is None else translation.get("type")})
    return out


def merge(fragment: Path, language: str = "zh_CN") -> int:
    """Fill translations from a JSON list; returns how many messages were filled."""
    wanted = {(e["context"], e["source"], e.get("comment") or ""): e["translation"]
              for e in json.loads(fragment.read_text(encoding="utf-8"))}
    path = ts_path(language)
    tree = ET.parse(path)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            if key in wanted and wanted[key]:
                translation = message.find("translation")
                translation.text = wanted[key]
                translation.attrib.pop("type", None)
                filled += 1
    _write(tree, path)
    return filled


def _write(tree: ET.ElementTree, path: Path) -> None:
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def check(fragment: Path, files: list[str]) -> int:
    """Print each string of ``files`` lacking a translation in ``fragment`` (a JSON list),
    and each translation whose {fields} differ from its source; 1 if any."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    from clinical.messages import placeholders
    given = {(e["context"], e["source"], e.get("comment") or ""): e.get("translation")
             for e in json.loads(fragment.read_text(encoding="utf-8"))}
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / "check_zh_CN.ts"
        subprocess.run([_tool("pyside6-lupdate"), "-silent", "-locations", "none",
                        *files, "-ts", str(ts)], cwd=ROOT, check=True)
        found = messages(ts)
    bad = 0
    for m in found:
        key = (m["context"], m["source"], m["comment"])
        text = given.get(key)
        if not text:
            print("missing:", json.dumps(dict(zip(("context", "source", "comment"), key)),
                                         ensure_ascii=False))
            bad += 1
        elif placeholders(text) != placeholders(key[1]):
            print("fields differ:", json.dumps({"source": key[1], "translation": text},
                                               ensure_ascii=False))
            bad += 1
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "check":
        return check(Path(argv[1]), argv[2:])
    if not argv or argv[0] not in ("compile", "update", "merge", "missing"):
        print(__doc__)
        return 2
    if argv[0] == "compile":
        compile_all()
    elif argv[0] == "update":
        update()
    elif argv[0] == "merge":
        for name in argv[1:]:
            print(f"{name}: {merge(Path(name))} filled")
    else:
        for m in messages(ts_path("zh_CN")):
            if m["type"] == "unfinished" or not m["translation"]:
                print(json.dumps({k: m[k] for k in ("context", "source", "comment")},
                                 ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
