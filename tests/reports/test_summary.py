"""The printable summary: content, page furniture, de-identification, CJK fonts, long tables."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from benchmarks.bench_reports import big_record_doc
from clinical.derive import derive
from clinical.dosing import fmt
from clinical.record import Event, EventType, Record
from clinical.record_schema import parse_record
from clinical.rules import RULES_VERSION
from clinical.version import app_version
from reports import fonts as fonts_module
from reports import summary as summary_module
from reports.context import ReportContext, initials
from reports.fonts import find_fonts
from reports.summary import build_summary_pdf
from reports.tables import days_text
from reports.timeline_figure import timeline_rows
from resources import DEMO_MRN, DEMO_RECORD

ROOT = Path(__file__).resolve().parents[2]
PRINTED_AT = datetime(2026, 1, 15, 9, 30)
DATABASE = "/srv/hemalog/ward5.db"


def _record(doc: dict) -> Record:
    record, problems = parse_record(doc)
    assert record is not None, problems
    return record


def _demo_doc() -> dict:
    return json.loads(DEMO_RECORD.read_text(encoding="utf-8"))


def _pdf(record: Record, **kwargs: object) -> tuple[int, PdfReader, list[str]]:
    out = io.BytesIO()
    pages = build_summary_pdf(record, out=out, printed_by="dr.test", database=DATABASE,
                              printed_at=PRINTED_AT, **kwargs)  # type: ignore[arg-type]
    reader = PdfReader(io.BytesIO(out.getvalue()))
    return pages, reader, [p.extract_text() for p in reader.pages]


@pytest.fixture(scope="module")
def demo() -> Record:
    return _record(_demo_doc())


@pytest.fixture(scope="module")
def demo_pdf(demo: Record) -> tuple[int, PdfReader, list[str]]:
    return _pdf(demo)


@pytest.fixture(scope="module")
def deid_pdf(demo: Record) -> tuple[int, PdfReader, list[str]]:
    return _pdf(demo, deidentified=True)


def _all_dates(record: Record) -> set[date]:
    """Every date the record holds or implies (dose dates, engraftment dates)."""
    p = record.patient
    found = {d for d in (p.birth_date, p.diagnosis_date) if d}
    for items in (record.measurements, record.events, record.labs, record.marrow,
                  record.assessments):
        found |= {item.date for item in items}
    found |= {c.start_date for c in record.courses if c.start_date}
    derived = derive(record)
    found |= {d for calcs in derived.doses for c in calcs if c.dates for d in c.dates}
    found |= {g.value for g in derived.engraftment.values() if isinstance(g.value, date)}
    return found


# --- acceptance: the demo patient ------------------------------------------------------
def test_demo_pdf_has_mrn_courses_crs_engraftment_and_mrd(demo: Record, demo_pdf) -> None:
    _pages, _reader, texts = demo_pdf
    text = "\n".join(texts)
    assert DEMO_MRN in text
    for course in demo.courses:
        assert course.name in text, course.name
    assert re.search(r"Max CRS\s+grade 3\b", texts[0])
    assert re.search(r"CRS\s+grade 3\b", text.split("Toxicity assessments", 1)[1])
    assert re.search(r"Neutrophil\s+engraftment\s+day \+14\b", texts[0])
    assert re.search(r"Platelet\s+engraftment\s+day \+45\b", texts[0])
    for m in demo.marrow:
        if m.mrd_pct is not None:
            assert f"{fmt(m.mrd_pct)} %" in text, m.mrd_pct
    assert "44.57" in texts[0]          # the diagnosis MRD on the timeline


def test_page_one_header_key_facts_and_timeline(demo_pdf) -> None:
    text = demo_pdf[2][0]
    for expected in ("Demo patient (published case)", "male, 51 y at diagnosis",
                     "T-ALL/LBL (CD7+, TdT+", "1.75 m² (Mosteller", "Key facts",
                     "CAR-T 2025-04-07 — day +283 on 2026-01-15",
                     "HSCT 2025-05-23 — day +237 on 2026-01-15",
                     "Latest MRD", "not detected — negative", "93.33 % donor — mixed",
                     "Deauville 2", "Treatment timeline", "12. Donor-derived CD7 CAR-T"):
        assert expected in text, expected


def test_every_page_has_patient_page_x_of_y_printer_and_database(demo_pdf) -> None:
    pages, reader, texts = demo_pdf
    assert pages == len(reader.pages) >= 4
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text
        assert f"Demo patient (published case) · MRN {DEMO_MRN}" in text
        assert f"Printed 2026-01-15 09:30 by dr.test · database: {DATABASE}" in text
        # what produced it (issue 19): hemalog's version and the rules version
        assert f"hemalog {app_version()} · clinical rules {RULES_VERSION}" in text


def test_sections_follow_page_one(demo_pdf) -> None:
    text = "\n".join(demo_pdf[2][1:])
    positions = [text.index(s) for s in ("Courses and doses", "Toxicity assessments",
                                         "Bone marrow", "Trends", "Events")]
    assert positions == sorted(positions)
    for panel in ("White cells and neutrophils", "Haemoglobin and platelets",
                  "MRD and TCR rearrangement", "CAR-T cells", "Toxicity grades and transfusions"):
        assert panel in text
    assert "Inflammation" not in text   # panel E has no data for the demo: left out
    flat = " ".join(text.split())
    assert "350 mg × 5 = 1750 mg" in flat
    assert "200 mg/m² × BSA 1.75 m² = 350 mg" in flat


def test_file_output_and_embedded_fonts_only(demo: Record, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    pages = build_summary_pdf(demo, out=out, printed_by="nurse", database="x.db")
    reader = PdfReader(out)
    assert pages == len(reader.pages)
    for name, font in _fonts(reader).items():
        assert "/FontFile2" in font, f"{name} is not embedded"


# --- de-identified ---------------------------------------------------------------------
def test_deidentified_has_no_name_mrn_or_record_date(demo: Record, deid_pdf) -> None:
    _pages, reader, texts = deid_pdf
    text = "\n".join(texts)
    assert "Demo patient" not in text
    assert DEMO_MRN not in text
    for d in _all_dates(demo):
        assert d.isoformat() not in text, d
    months = {f"{d.year}-{d.month:02d}" for d in _all_dates(demo)}
    assert not [m for m in months if m in text]
    assert set(re.findall(r"\d{4}-\d{2}-\d{2}", text)) == {"2026-01-15"}  # the print date only
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    assert "Demo patient" not in meta and DEMO_MRN not in meta


def test_deidentified_says_so_uses_initials_days_and_drops_notes(demo: Record, deid_pdf) -> None:
    texts = deid_pdf[2]
    assert "D.P." in texts[0]
    assert "De-identified copy" in texts[0]
    assert "free-text notes are left out" in texts[0]
    assert "day 0 = first CAR-T infusion" in texts[0]
    text = "\n".join(texts)
    assert "day +14" in text and "day +45" in text
    assert "grade 3" in text
    for note in ("admitted with a right neck mass", "Reconstructed from a published case",
                 "single allele mismatch"):
        assert note not in text
    for number, page in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in page
        assert "database: ward5.db" in page


def test_deidentified_without_anchor_counts_from_diagnosis(demo: Record) -> None:
    no_anchor = replace(demo, events=tuple(e for e in demo.events
                                           if e.type not in (EventType.CART_INFUSION,
                                                             EventType.HSCT)),
                        courses=demo.courses[:11])
    _pages, _reader, texts = _pdf(no_anchor, deidentified=True)
    text = "\n".join(texts)
    assert "day 0 = diagnosis" in text
    assert not re.findall(r"20(24|25)-\d{2}-\d{2}", text)


def test_initials() -> None:
    assert initials("Demo patient (published case)") == "D.P."
    assert initials("Smith, John") == "J.S."
    assert initials("Jean-Luc Picard") == "J.L.P."
    assert initials("王芳") == "王某"
    assert initials("") == "?"


def test_scrub_turns_dates_into_days_and_removes_name(demo: Record) -> None:
    ctx = ReportContext(demo, derive(demo), find_fonts(), PRINTED_AT, "x", "db", True)
    assert ctx.scrub("seen 2025-04-10 by DEMO-CD7-001") == "seen day +3 by [removed]"
    assert ReportContext(demo, derive(demo), find_fonts(), PRINTED_AT, "x", "db",
                         False).scrub("2025-04-10") == "2025-04-10"


# --- any script ------------------------------------------------------------------------
def _fonts(reader: PdfReader) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = dict(descriptor.get_object()) if descriptor else {}
    return found


def _chinese_record(demo: Record) -> Record:
    patient = replace(demo.patient, name="王芳", mrn="ZH-0001", notes="患者入院时颈部肿块，诊断为T淋巴母细胞白血病。")
    events = tuple(replace(e, notes="血小板输注后无不良反应") if e.type is EventType.TRANSFUSION
                   else e for e in demo.events)
    courses = (replace(demo.courses[0], name="预处理 CP 方案"),) + demo.courses[1:]
    return replace(demo, patient=patient, events=events, courses=courses)


@pytest.fixture(scope="module")
def cjk_available() -> None:
    if fonts_module.fonts().missing_cjk:
        pytest.skip("no CJK font on this machine")


def test_chinese_name_and_notes_print_with_an_embedded_font(demo: Record, cjk_available) -> None:
    _pages, reader, texts = _pdf(_chinese_record(demo))
    text = "\n".join(texts)
    assert "王芳" in text
    assert "患者入院时颈部肿块" in text
    assert "血小板输注后无不良反应" in text
    assert "预处理 CP 方案" in text
    assert "王芳 · MRN ZH-0001" in texts[-1]
    fonts = _fonts(reader)
    assert all("/FontFile2" in f for f in fonts.values()), fonts.keys()
    assert any("HemalogCJK" in name or "WenQuanYi" in name or "Noto" in name or "Droid" in name
               for name in fonts), fonts.keys()


def test_chinese_name_deidentified(demo: Record, cjk_available) -> None:
    text = "\n".join(_pdf(_chinese_record(demo), deidentified=True)[2])
    assert "王某" in text
    assert "王芳" not in text and "ZH-0001" not in text and "患者" not in text


def test_without_a_cjk_font_the_page_says_so(demo: Record, monkeypatch: pytest.MonkeyPatch) -> None:
    latin_only = find_fonts(cjk_candidates=(), tag="NoCJK")
    assert latin_only.missing_cjk
    monkeypatch.setattr(summary_module, "fonts", lambda: latin_only)
    texts = _pdf(_chinese_record(demo))[2]
    assert "a font for Chinese text was not found" in texts[0]


def test_helvetica_fallback_without_any_font_file(demo: Record,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    bare = find_fonts(cjk_candidates=(), latin_candidates=(), tag="Bare")
    assert not bare.embedded and bare.regular == "Helvetica"
    monkeypatch.setattr(summary_module, "fonts", lambda: bare)
    pages, _reader, texts = _pdf(demo)
    assert pages == len(texts) and "DEMO-CD7-001" in texts[0]
    assert "a font for Chinese text was not found" in texts[0]


# --- long tables -----------------------------------------------------------------------
def test_sixty_courses_repeat_the_table_header_on_every_page() -> None:
    record = _record(big_record_doc(days=40, courses=60, mrn="LONG-1"))
    assert len(record.courses) == 60
    pages, _reader, texts = _pdf(record)
    course_pages = [n for n, t in enumerate(texts[1:], start=2) if "synthetic course" in t]
    assert len(course_pages) >= 3
    assert course_pages == list(range(course_pages[0], course_pages[-1] + 1))
    for n in course_pages:
        page = " ".join(texts[n - 1].split())
        assert "Dose as ordered" in page and "Computed amount" in page, n
        assert f"Page {n} of {pages}" in page
    assert "60. " in "\n".join(texts[n - 1] for n in course_pages)


def test_long_events_table_repeats_its_header(demo: Record) -> None:
    many = tuple(Event(type=EventType.TRANSFUSION, date=date(2025, 5, 24) + timedelta(days=i // 10),
                       details={"product": "platelets"}) for i in range(150))
    _pages, _reader, texts = _pdf(replace(demo, events=demo.events + many))
    event_pages = [t for t in texts if t.count("Transfusion") > 20]
    assert len(event_pages) >= 2
    for page in event_pages:
        assert re.search(r"Date\s+Day\s+Event\s+Details", page)


# --- pieces ----------------------------------------------------------------------------
def test_timeline_rows_pair_each_course_with_the_mrd_that_followed(demo: Record) -> None:
    ctx = ReportContext(demo, derive(demo), find_fonts(), PRINTED_AT, "x", "db")
    rows, undated = timeline_rows(ctx)
    assert undated == []
    by_label = [(r.label, r.mrd.mrd_pct if r.mrd else None) for r in rows]
    assert by_label[0] == ("Diagnosis: T-ALL/LBL", 44.57)
    assert by_label[1] == ("CP pre-phase", None)
    assert by_label[2] == ("HyperCVAD-A", 22.9)
    assert ("Donor-derived CD7 CAR-T", 0) in by_label
    assert ("CRS treatment", None) in by_label  # supportive: drawn, takes no MRD
    assert [r.start for r in rows] == sorted(r.start for r in rows)


def test_days_text() -> None:
    assert days_text((1, 2, 3, 4, 11, 12, 13, 14)) == "d1–4, 11–14"
    assert days_text((-9, -8, -7)) == "d−9 to −7"
    assert days_text((4,)) == "d4"
    assert days_text((0, 1)) == "d0–1"


def test_reports_never_import_qt() -> None:
    code = ("import sys, reports.summary, reports.cli; "
            "sys.exit(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_very_long_notes_are_cut_in_tables_and_kept_in_full_at_the_end(demo: Record) -> None:
    letter = "Discharge letter pasted in full. 出院小结。 " * 600       # ~24,000 characters
    events = (replace(demo.events[0], notes=letter),) + demo.events[1:]
    record = replace(demo, events=events, patient=replace(demo.patient, notes=letter))
    _pages, _reader, texts = _pdf(record)
    text = " ".join(" ".join(texts).split())
    assert "more characters in the record]" in text
    assert "continued under Patient notes" in texts[0].replace("\n", " ")
    assert text.rindex("Patient notes") > text.index("Events")
    assert text.count("Discharge letter pasted in full.") > 600   # the full text at the end


# --- format 1.1: the course basis once per course, the roll-ups on page 1 --------------------
def test_course_table_shows_each_course_basis_once(demo: Record,
                                                   demo_pdf: tuple[int, PdfReader, list[str]]) -> None:
    text = re.sub(r"\s+", " ", " ".join(demo_pdf[2]))
    basis = "Doses from BSA 1.75 m² — 170 cm, 65 kg, measured 2024-06-06"
    sized = [c for c in demo.courses
             if any(line.unit.value in {"mg/m2", "g/m2", "units/m2", "mg/kg", "cells/kg"}
                    for line in c.drugs)]
    assert text.count(basis) == len(sized) > 0


def test_page_one_shows_the_roll_ups_one_line_each(
        demo_pdf: tuple[int, PdfReader, list[str]],
        deid_pdf: tuple[int, PdfReader, list[str]]) -> None:
    page1 = re.sub(r"\s+", " ", demo_pdf[2][0])
    assert ("CAR-T 2025-04-07: CRS from day +3, worst grade 3 on day +3, tocilizumab, "
            "dexamethasone · ICANS none") in page1
    assert ("HSCT 2025-05-23: neutrophils day +14, platelets day +45 · aGVHD worst 0 by day "
            "+100 · cGVHD none · chimerism 93.33 % mixed") in page1
    deid1 = re.sub(r"\s+", " ", deid_pdf[2][0])
    assert "CAR-T day 0: CRS from day +3" in deid1 and "2025-04-07" not in deid1
