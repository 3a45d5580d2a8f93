"""The printable summary in Simplified Chinese (issue 15): chosen per call, by
`hemalog report --lang zh_CN`, by HEMALOG_LANG; fonts embedded; English unchanged.

The Chinese wording comes from resources/i18n/hemalog_zh_CN.ts: the tests that
look for a Chinese heading or term need the finished catalogue.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

import lang
import main
from clinical.errors import HemalogError
from clinical.record import Record
from clinical.record_schema import parse_record
from reports import fonts as fonts_module
from reports import summary as summary_module
from reports.context import is_cjk
from reports.fonts import find_fonts
from reports.summary import build_summary_pdf
from resources import DEMO_MRN, DEMO_RECORD

PRINTED_AT = datetime(2026, 1, 15, 9, 30)
DATABASE = "/srv/hemalog/ward5.db"
# The demo patient's name as a Chinese ward writes it (the record's own, when it has one).
CHINESE_NAME = "张伟"


def _demo_doc() -> dict:
    doc = json.loads(DEMO_RECORD.read_text(encoding="utf-8"))
    if not any(is_cjk(ch) for ch in doc["patient"]["name"]):
        doc["patient"]["name"] = CHINESE_NAME
    return doc


def _name() -> str:
    return _demo_doc()["patient"]["name"]


def _record() -> Record:
    record, problems = parse_record(_demo_doc())
    assert record is not None, problems
    return record


def _pdf(record: Record, **kwargs: object) -> tuple[PdfReader, list[str]]:
    out = io.BytesIO()
    build_summary_pdf(record, out=out, printed_by="dr.test", database=DATABASE,
                      printed_at=PRINTED_AT, **kwargs)  # type: ignore[arg-type]
    reader = PdfReader(io.BytesIO(out.getvalue()))
    return reader, [p.extract_text() for p in reader.pages]


def _fonts(reader: PdfReader) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = dict(descriptor.get_object()) if descriptor else {}
    return found


@pytest.fixture(scope="module")
def cjk_available() -> None:
    if fonts_module.fonts().missing_cjk:
        pytest.skip("no CJK font on this machine")


@pytest.fixture(scope="module")
def zh_pdf(cjk_available: None) -> tuple[PdfReader, list[str]]:
    return _pdf(_record(), language="zh_CN")


@pytest.fixture(scope="module")
def en_texts() -> list[str]:
    return _pdf(_record(), language="en")[1]


def _squeeze(text: str) -> str:
    """Extracted text without the line breaks a wrapped Chinese cell gets."""
    return re.sub(r"\s+", "", text)


# --- content -----------------------------------------------------------------------
def test_zh_summary_names_crs_in_chinese_and_the_patient(zh_pdf) -> None:  # noqa: ANN001
    """Needs the merged catalogue (the CRS row of the toxicity table)."""
    _reader, texts = zh_pdf
    text = "\n".join(texts)
    assert _name() in texts[0]
    assert "细胞因子释放综合征" in _squeeze(text)


def test_zh_headings_and_footer(zh_pdf) -> None:  # noqa: ANN001
    """Needs the merged catalogue."""
    _reader, texts = zh_pdf
    first = texts[0]
    assert "关键信息" in first and "病程时间线" in first
    assert f"第 1 页，共 {len(texts)} 页" in first
    assert "Key facts" not in first and "Page 1 of" not in first
    assert "疗程与剂量" in "\n".join(texts)


def test_zh_dates_stay_iso(zh_pdf) -> None:  # noqa: ANN001
    _reader, texts = zh_pdf
    assert "2025-04-07" in texts[0]         # the CAR-T infusion, as an ISO date
    assert "2026-01-15 09:30" in texts[0]   # printed at


def test_zh_fonts_are_embedded(zh_pdf) -> None:  # noqa: ANN001
    reader, _texts = zh_pdf
    fonts = _fonts(reader)
    assert fonts and all("/FontFile2" in f for f in fonts.values()), fonts.keys()
    cjk = fonts_module.fonts().cjk
    assert cjk is not None
    face = pdfmetrics.getFont(cjk).face.name
    face = face.decode() if isinstance(face, bytes) else str(face)
    assert any(face in name for name in fonts), (face, fonts.keys())   # Chinese in the CJK font


def test_zh_deidentified_keeps_the_surname_only(cjk_available) -> None:  # noqa: ANN001
    _reader, texts = _pdf(_record(), language="zh_CN", deidentified=True)
    text = "\n".join(texts)
    assert _name()[0] + "某" in texts[0]
    assert _name() not in text and DEMO_MRN not in text


# --- English stays as it was ---------------------------------------------------------
def test_english_is_the_default_outside_the_app(en_texts: list[str]) -> None:
    assert lang.current() == lang.EN
    default = _pdf(_record())[1]
    assert default == en_texts
    first = en_texts[0]
    assert "Key facts" in first and "Treatment timeline" in first and "Page 1 of" in first
    assert "grade 3" in first and "关键信息" not in first


def test_the_apps_language_is_the_default(monkeypatch: pytest.MonkeyPatch,
                                          cjk_available) -> None:  # noqa: ANN001
    """Needs the merged catalogue: the GUI's print and PDF actions use lang.current()."""
    monkeypatch.setattr(lang, "_current", ["zh_CN"])
    texts = _pdf(_record())[1]
    assert "关键信息" in texts[0]


# --- no CJK font ---------------------------------------------------------------------
def test_zh_without_a_cjk_font_is_refused_naming_the_setting(
        monkeypatch: pytest.MonkeyPatch) -> None:
    latin_only = find_fonts(cjk_candidates=(), tag="NoCJKzh")
    assert latin_only.missing_cjk
    monkeypatch.setattr(summary_module, "fonts", lambda: latin_only)
    with pytest.raises(HemalogError, match="HEMALOG_CJK_FONT"):
        build_summary_pdf(_record(), out=io.BytesIO(), printed_by="x", database=DATABASE,
                          language="zh_CN")
    # English still prints (with its note), as before.
    build_summary_pdf(_record(), out=io.BytesIO(), printed_by="x", database=DATABASE,
                      language="en")


# --- the command line ----------------------------------------------------------------
@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "ward.db"
    source = tmp_path / "demo-zh.json"
    source.write_text(json.dumps(_demo_doc(), ensure_ascii=False), encoding="utf-8")
    assert main.main(["--db", str(db), "import", str(source)]) == 0
    return db


def _report(db: Path, out: Path, *extra: str) -> int:
    return main.main(["--db", str(db), "report", DEMO_MRN, "-o", str(out), *extra])


def _text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_report_lang_zh_cn_end_to_end(demo_db: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      cjk_available) -> None:  # noqa: ANN001
    """Needs the merged catalogue for the Chinese term."""
    monkeypatch.delenv("HEMALOG_LANG", raising=False)
    out = tmp_path / "zh.pdf"
    assert _report(demo_db, out, "--lang", "zh_CN") == 0
    text = _text(out)
    assert _name() in text
    assert "细胞因子释放综合征" in _squeeze(text)
    fonts = _fonts(PdfReader(out))
    assert all("/FontFile2" in f for f in fonts.values())


def test_hemalog_lang_chooses_the_report_language(demo_db: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str],
                                                  cjk_available) -> None:  # noqa: ANN001
    """Needs the merged catalogue."""
    monkeypatch.setenv("HEMALOG_LANG", "zh_CN")
    out = tmp_path / "env.pdf"
    assert _report(demo_db, out) == 0
    assert "关键信息" in _text(out)
    assert "已写入" in capsys.readouterr().out           # the command's own message
    # --lang wins over HEMALOG_LANG.
    english = tmp_path / "en.pdf"
    assert _report(demo_db, english, "--lang", "en") == 0
    assert "Key facts" in _text(english) and "关键信息" not in _text(english)


def test_without_hemalog_lang_the_system_locale_decides(demo_db: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str],
                                                       ) -> None:
    monkeypatch.delenv("HEMALOG_LANG", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    out = tmp_path / "locale.pdf"
    assert _report(demo_db, out) == 0
    assert "Key facts" in _text(out)
    assert capsys.readouterr().out.strip() == f"wrote {out}"   # English, exactly as before


def test_unknown_lang_is_bad_input(demo_db: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert _report(demo_db, tmp_path / "x.pdf", "--lang", "fr") == 1
    err = capsys.readouterr().err
    assert "unknown language 'fr'" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_hemalog_lang_errors_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Needs the merged catalogue; the exit code is unchanged."""
    monkeypatch.setenv("HEMALOG_LANG", "zh_CN")
    assert main.main(["--db", str(tmp_path / "x.db"), "report", DEMO_MRN, "-o",
                      str(tmp_path / "x.pdf"), "--lang", "fr"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("hemalog: 命令行：")


def test_machine_output_stays_english(demo_db: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HEMALOG_LANG", "zh_CN")
    capsys.readouterr()
    assert main.main(["--db", str(demo_db), "export", DEMO_MRN]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "hemalog.record"
    crs = next(a for a in doc["assessments"] if a["kind"] == "crs")
    assert crs["reason"] == "grade 3: one vasopressor (dopamine)"
    assert main.main(["--db", str(demo_db), "list"]) == 0
    assert capsys.readouterr().out.split("\t")[2] == "male"
