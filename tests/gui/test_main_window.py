"""The main window: welcome, demo, patient search, remembered state, status bar, header."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel

from clinical.record import Patient, Sex
from gui.bridge import StoreBridge
from gui.main_window import MainWindow
from gui.settings import Settings
from guitest_helpers import click, open_section, set_date
from resources import DEMO_MRN
from storage.repository import SqliteStore

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True

MINUS = "\u2212"


def commit_text(widget: Any, text: str) -> None:
    """Type Chinese as it arrives from an input method (QTest.keyClicks knows only ASCII)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_empty_database_welcomes_and_the_demo_button_opens_the_demo(
        qtbot: Any, window: MainWindow, store: SqliteStore) -> None:
    assert window.right.currentWidget() is window.welcome
    assert "no patients yet" in window.welcome.text.text()
    button = window.welcome.demo_button
    assert button.isVisible() and button.accessibleName() == "Load the demo patient"
    assert not window.details_action.isEnabled()

    with qtbot.waitSignal(window.workspace.record_shown, timeout=5000):
        click(qtbot, button)
    header = window.workspace.header
    assert window.right.currentWidget() is window.workspace
    assert "MRN DEMO-CD7-001" in header.identity.text()
    assert header.name.text() == "Demo patient (published case)"
    assert "CAR-T day" in header.days.text() and "HSCT day" in header.days.text()
    assert header.bsa.text() == "BSA 1.75 m²"
    assert [p.mrn for p in window.patient_list.patients()] == [DEMO_MRN]
    assert store.patients.get_by_mrn(DEMO_MRN).name == header.name.text()
    assert window.windowTitle() == f"hemalog — Demo patient (published case) ({DEMO_MRN})"
    assert window.details_action.isEnabled()


def test_loading_the_demo_twice_says_why_not(
        demo_window: MainWindow, store: SqliteStore, dialogs: Any) -> None:
    before = store.counts()
    demo_window.demo_action.trigger()
    (note,) = dialogs.of("information")
    assert DEMO_MRN in note[2] and "already" in note[2]
    assert store.counts() == before


def test_search_as_you_type_filters_the_patient_list(
        qtbot: Any, demo_window: MainWindow, bridge: StoreBridge) -> None:
    bridge.add_patient(Patient(mrn="BJ-2025-17", name="王芳", sex=Sex.FEMALE,
                               diagnosis="B-ALL"))
    plist = demo_window.patient_list
    assert len(plist.patients()) == 2
    qtbot.keyClicks(plist.search, "demo")
    assert [p.mrn for p in plist.patients()] == [DEMO_MRN]
    plist.search.clear()
    qtbot.keyClicks(plist.search, "zzz")
    assert plist.patients() == [] and plist.model.rowCount() == 0
    plist.search.clear()
    commit_text(plist.search, "王")
    assert [p.name for p in plist.patients()] == ["王芳"]
    plist.search.clear()
    qtbot.keyClicks(plist.search, "bj-2025")             # MRN, any case
    assert [p.name for p in plist.patients()] == ["王芳"]


def test_ctrl_f_focuses_the_search_and_enter_opens_the_first_match(
        qtbot: Any, demo_window: MainWindow, bridge: StoreBridge) -> None:
    other = bridge.add_patient(Patient(mrn="BJ-2025-17", name="王芳", diagnosis="B-ALL"))
    with qtbot.waitActive(demo_window):
        demo_window.activateWindow()
    demo_window.find_action.trigger()
    search = demo_window.patient_list.search
    assert search.hasFocus()
    commit_text(search, "王")
    with qtbot.waitSignal(demo_window.patient_list.patient_chosen, timeout=2000):
        qtbot.keyClick(search, "\r")
    assert demo_window.workspace.patient_id == other.id


def test_geometry_and_last_patient_are_remembered(
        qtbot: Any, make_window: Any, demo_window: MainWindow, settings: Settings,
        settings_path: Any) -> None:
    # the offscreen screen is 800 px wide and the window's minimum width is larger, so
    # the width is kept at the minimum; the height shows the geometry came back
    width = demo_window.minimumWidth()
    demo_window.showNormal()              # the first start is maximised
    demo_window.setGeometry(QRect(0, 0, width, 555))
    qtbot.wait(1)
    assert demo_window.size().toTuple() == (width, 555)
    assert demo_window.close()
    assert settings_path.exists()

    again = make_window()
    assert again.size().toTuple() == (width, 555)          # not the first-start 1366 × 768
    assert again.right.currentWidget() is again.workspace
    assert again.workspace.record.patient.mrn == DEMO_MRN


def test_status_bar_names_the_database_file_and_user(window: MainWindow, store: SqliteStore,
                                                     gui_backend: str) -> None:
    texts = [label.text() for label in window.statusBar().findChildren(QLabel)]
    (line,) = [t for t in texts if store.location in t and "User: nurse" in t]
    # A file's own daily backups; a server has none of hemalog's (pg_dump, `backup`).
    assert ("Last backup: never" in line) is (gui_backend == "sqlite"), line


def test_header_day_counters_follow_the_as_of_date(
        qtbot: Any, demo_window: MainWindow) -> None:
    header = demo_window.workspace.header
    with qtbot.waitSignal(demo_window.workspace.record_shown, timeout=2000):
        set_date(header.on_date, "2025-04-22")          # typed, then Tab
    assert "CAR-T day +15" in header.days.text()
    assert f"HSCT day {MINUS}31" in header.days.text()
    assert "HSCT day -31" not in header.days.text()            # a true minus sign
    with qtbot.waitSignal(demo_window.workspace.record_shown, timeout=2000):
        set_date(header.on_date, "20250523")
    assert header.on_date.edit.text() == "2025-05-23"
    assert "HSCT day 0" in header.days.text() and "CAR-T day +46" in header.days.text()


def test_header_max_grades_show_the_seed_case(demo_window: MainWindow) -> None:
    grades = demo_window.workspace.header.grades.text()
    assert "CRS max 3 (2025-04-10)" in grades


def test_header_shows_the_cart_and_transplant_roll_ups_one_line_each(
        demo_window: MainWindow) -> None:
    rollups = demo_window.workspace.header.rollups
    assert rollups.text().split("\n") == [
        "CAR-T 2025-04-07: CRS from day +3, worst grade 3 on day +3, tocilizumab, "
        "dexamethasone · ICANS none",
        "HSCT 2025-05-23: neutrophils day +14, platelets day +45 · aGVHD worst 0 by day +100 · "
        "cGVHD none · chimerism 93.33 % mixed"]
    assert not rollups.isHidden() and "day +30" in rollups.toolTip()


def test_marrow_table_shows_the_chimerism_category(demo_window: MainWindow) -> None:
    from guitest_helpers import open_section, row_texts
    workspace = demo_window.workspace
    open_section(workspace, workspace.marrow)
    model = workspace.marrow.model
    rows = [row_texts(model, r) for r in range(model.rowCount())]
    (with_value,) = [r for r in rows if r["Donor chimerism"]]
    assert (with_value["Donor chimerism"], with_value["Chimerism"]) == ("93.33%", "mixed")
    assert all(r["Chimerism"] == "" for r in rows if not r["Donor chimerism"])


def test_a_section_never_opened_is_not_remembered_squeezed(
        qtbot: Any, make_window: Any, demo_window: MainWindow, settings: Settings) -> None:
    """Closing saved every section's splitter, also of sections never opened (their
    hidden sizes): after a restart those forms came back squeezed and never fitted again.
    Only a place the user chose is kept; an opened, unmoved section is fitted anew."""
    demo_window.showNormal()
    demo_window.resize(1366, 768)
    ws = demo_window.workspace
    open_section(ws, ws.courses)
    placed = ws.courses.splitter
    qtbot.wait(20)
    sizes = placed.sizes()
    placed.moveSplitter(sizes[0] + 40, 1)            # as the user's drag does
    qtbot.waitUntil(lambda: placed.placed())
    kept = placed.sizes()
    assert not ws.marrow.splitter.placed()           # never opened
    assert demo_window.close()
    assert settings.splitter_state("section-marrow") is None
    assert settings.splitter_state("section-courses") is not None

    again = make_window()
    again.showNormal()
    again.resize(1366, 768)
    ws = again.workspace
    open_section(ws, ws.marrow)
    qtbot.wait(20)
    marrow = ws.marrow.splitter
    assert not marrow.placed()
    assert marrow.sizes()[1] >= min(marrow.form_needs(), int(sum(marrow.sizes()) * 0.7)) - 1
    open_section(ws, ws.courses)
    qtbot.wait(20)
    assert ws.courses.splitter.placed() and ws.courses.splitter.sizes() == kept
