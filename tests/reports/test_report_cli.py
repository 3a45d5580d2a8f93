"""write_report: the summary PDF of a stored patient, written atomically."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from clinical.errors import HemalogError, NotFoundError
from reports.cli import save_summary_pdf, write_report
from resources import DEMO_MRN, DEMO_RECORD
from storage.record_files import import_files
from storage.repository import SqliteStore


@pytest.fixture
def demo_store(store: SqliteStore) -> SqliteStore:
    import_files(store, [DEMO_RECORD])
    return store


def test_writes_the_pdf_and_leaves_no_temporary_file(demo_store: SqliteStore,
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = write_report(demo_store, DEMO_MRN, folder / "demo.pdf", deidentified=False,
                       printed_by="dr.cli")
    assert out == folder / "demo.pdf"
    assert [p.name for p in folder.iterdir()] == ["demo.pdf"]
    text = PdfReader(out).pages[0].extract_text()
    assert DEMO_MRN in text
    assert f"by dr.cli · database: {demo_store.path}" in text


def test_deidentified_report(demo_store: SqliteStore, tmp_path: Path) -> None:
    out = write_report(demo_store, DEMO_MRN, tmp_path / "teach.pdf", deidentified=True,
                       printed_by="dr.cli")
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert DEMO_MRN not in text and "Demo patient" not in text


def test_replaces_an_existing_file(demo_store: SqliteStore, tmp_path: Path) -> None:
    out = tmp_path / "demo.pdf"
    out.write_bytes(b"old")
    write_report(demo_store, DEMO_MRN, out, deidentified=False, printed_by="x")
    assert out.read_bytes().startswith(b"%PDF")


def test_missing_folder(demo_store: SqliteStore, tmp_path: Path) -> None:
    with pytest.raises(HemalogError, match="the folder .*nowhere does not exist"):
        write_report(demo_store, DEMO_MRN, tmp_path / "nowhere" / "x.pdf", deidentified=False,
                     printed_by="x")


def test_folder_given_as_the_file(demo_store: SqliteStore, tmp_path: Path) -> None:
    with pytest.raises(HemalogError, match="is a folder"):
        write_report(demo_store, DEMO_MRN, tmp_path, deidentified=False, printed_by="x")


def test_unknown_mrn(demo_store: SqliteStore, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no patient with MRN NOPE-1"):
        write_report(demo_store, "NOPE-1", tmp_path / "x.pdf", deidentified=False,
                     printed_by="x")
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".x.pdf.*")) == []


def test_save_summary_pdf_for_a_loaded_record(demo_store: SqliteStore, tmp_path: Path) -> None:
    patient_id = demo_store.patients.get_by_mrn(DEMO_MRN).id
    assert patient_id is not None
    folder = tmp_path / "out"
    folder.mkdir()
    out = save_summary_pdf(demo_store.load_record(patient_id), folder / "gui.pdf",
                           printed_by="nurse", database="ward.db")
    assert "Page 1 of" in PdfReader(out).pages[0].extract_text()
    assert [p.name for p in folder.iterdir()] == ["gui.pdf"]
