"""The one keyboard map (gui/keymap.py): no Alt+letter shared on a screen, no key
shared by two commands, sections switch from any field, Ctrl+S saves the form in view,
focus follows the task, and a fresh form is free of red."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QFileDialog, QGroupBox, QInputDialog, QLabel, QMenuBar,
    QTabBar, QWidget,
)

from clinical.accounts import Role, User
from clinical.record import AssessmentKind
from gui import keymap
from gui.forms.patient_form import PatientDialog
from gui.idle_lock import LockDialog
from gui.main_window import MainWindow
from gui.preferences_dialog import PreferencesDialog
from gui.sign_in import FirstAdminDialog, SignInDialog
from gui.signature_dialog import SignatureDialog
from gui.users_dialog import UsersDialog
from gui.workspace import PatientWorkspace
from guitest_helpers import open_section, open_toxicity_form, type_into
from resources import DEMO_MRN

CTRL = Qt.KeyboardModifier.ControlModifier
NINA = User(1, "nina", "Nina Nurse", Role.NURSE)


# --- reading the mnemonics off the screen ---------------------------------------------------
def visible_mnemonics(top: QWidget) -> dict[str, list[str]]:
    """Alt+letter -> the visible controls of ``top``'s window that carry it."""
    found: dict[str, list[str]] = defaultdict(list)

    def note(text: str, where: str) -> None:
        letter = keymap.mnemonic(text)
        if letter:
            found[letter].append(f"{where} {text!r}")

    for w in [top, *top.findChildren(QWidget)]:
        if w.window() is not top or not w.isVisible():
            continue
        if isinstance(w, QLabel) and w.buddy() is not None:
            note(w.text(), "label")
        elif isinstance(w, QAbstractButton):
            note(w.text(), "button")
        elif isinstance(w, QGroupBox):
            note(w.title(), "group")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i):
                    note(w.tabText(i), "tab")
        elif isinstance(w, QMenuBar):
            for action in w.actions():
                if action.isVisible():
                    note(action.text(), "menu")
    return found


def clashes(top: QWidget) -> dict[str, list[str]]:
    return {k: v for k, v in visible_mnemonics(top).items() if len(v) > 1}


def assert_no_clash(top: QWidget, screen: str) -> None:
    assert clashes(top) == {}, f"shared Alt+letters on {screen}"


def settle(qtbot: Any) -> None:
    qtbot.wait(1)


# --- (1) every screen, every section, every sub-tab, every dialog ---------------------------
def test_no_two_visible_controls_share_an_alt_letter(
        qtbot: Any, demo_window: MainWindow, bridge: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = demo_window.workspace
    for index in range(ws.tabs.count()):
        ws.tabs.setCurrentIndex(index)
        settle(qtbot)
        if ws.tabs.currentWidget() is ws.toxicity:
            for sub in range(ws.toxicity.tabs.count()):
                ws.toxicity.tabs.setCurrentIndex(sub)
                settle(qtbot)
                assert_no_clash(demo_window, f"Toxicity {ws.toxicity.tabs.tabText(sub)}")
        else:
            assert_no_clash(demo_window, ws.tabs.tabText(index))
    # every event type shows its own detail fields
    open_section(ws, ws.events)
    combo = ws.event_form.field("type").combo
    for i in range(combo.count()):
        combo.setCurrentIndex(i)
        assert_no_clash(demo_window, f"Events, {combo.itemText(i)}")

    # the File menu (its items among themselves)
    file_menu = demo_window.menuBar().actions()[0].menu()
    letters = [keymap.mnemonic(a.text()) for a in file_menu.actions() if not a.isSeparator()]
    assert len(letters) == len(set(letters)), letters

    dialogs: list[QWidget] = [
        PatientDialog(bridge, parent=demo_window),
        PatientDialog(bridge, ws.record.patient, parent=demo_window),
        UsersDialog(bridge, demo_window),
        SignInDialog(bridge),
        FirstAdminDialog(bridge),
        LockDialog(bridge, NINA, "for 10 minutes"),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot)
        assert_no_clash(dialog, dialog.windowTitle())
        dialog.close()

    # the void and correction reasons: a real QInputDialog with the text the app asks
    seen: list[str] = []

    def get_text(parent: Any, title: str, label: str, *args: Any, **kwargs: Any
                 ) -> tuple[str, bool]:
        box = QInputDialog(parent)
        box.setWindowTitle(title)
        box.setLabelText(label)
        box.show()
        assert_no_clash(box, title)
        seen.append(title)
        box.close()
        box.deleteLater()
        return "", False

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    open_section(ws, ws.measurements)
    ws.measurements.table.selectRow(0)
    ws.measurements.void_selected()
    ws.measurement_form.load(ws.record.measurements[0])
    type_into(qtbot, ws.measurement_form.field("weight_kg"), "66")
    ws.measurement_form.save()
    assert seen == ["Void", "Correct a saved item"]

    # the CRS/ICANS treatment dialog, from the Toxicity button
    open_toxicity_form(ws, "crs")
    ws.toxicity.treatment_button.click()
    dialog = ws.toxicity.treatment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert_no_clash(dialog, "treatment dialog")
    dialog.reject()

    # File ▸ Import lab results… (its columns step, each layout, and its preview) and
    # File ▸ Registry export…
    from gui.lab_import_dialog import LabImportDialog
    from gui.registry_dialog import RegistryDialog
    import tempfile
    lab_file = Path(tempfile.mkdtemp()) / "labs.csv"
    lab_file.write_text("Date,Test,Result,Unit,Range\n2025-03-01,WBC,4.1,10^9/L,3.5-9.5\n",
                        encoding="utf-8")
    importer = LabImportDialog(demo_window.bridge, DEMO_MRN, lab_file, demo_window)
    qtbot.addWidget(importer)
    importer.show()
    settle(qtbot)
    assert_no_clash(importer, "lab import: columns, long")
    importer.form_box.setCurrentIndex(importer.form_box.findData("wide"))
    assert_no_clash(importer, "lab import: columns, wide")
    importer.form_box.setCurrentIndex(importer.form_box.findData("long"))
    importer.preview()
    settle(qtbot)
    assert importer.pages.currentWidget() is importer.preview_page, importer.message.text()
    assert_no_clash(importer, "lab import: preview")
    importer.close()
    registry = RegistryDialog(demo_window.bridge, demo_window)
    qtbot.addWidget(registry)
    registry.show()
    settle(qtbot)
    assert_no_clash(registry, registry.windowTitle())
    registry.close()

    # the signature dialog (voids, graded corrections): it signs for whoever is signed in
    demo_window.bridge.sign_in(NINA)
    signature = SignatureDialog(demo_window.bridge, "voided because entered twice", demo_window)
    qtbot.addWidget(signature)
    signature.show()
    settle(qtbot)
    assert_no_clash(signature, signature.windowTitle())


def test_welcome_screen_has_no_shared_alt_letter(window: MainWindow) -> None:
    assert window.right.currentWidget() is window.welcome
    assert_no_clash(window, "welcome")


def test_the_clash_check_fails_on_a_clashing_label(demo_window: MainWindow, qtbot: Any) -> None:
    ws = demo_window.workspace
    form = open_toxicity_form(ws, "crs")
    settle(qtbot)
    assert_no_clash(demo_window, "CRS")
    label = QLabel("&Save notes")            # Alt+S is Save's
    label.setBuddy(form.field("notes").focus_widget())
    form.form.addRow(label, QWidget())
    settle(qtbot)
    assert "S" in clashes(demo_window)


# --- (2) the map itself ------------------------------------------------------------------------
def test_every_map_entry_is_used_and_no_key_is_shared(
        qtbot: Any, demo_window: MainWindow, bridge: Any) -> None:
    for dialog in (PatientDialog(bridge, parent=demo_window), UsersDialog(bridge, demo_window),
                   SignInDialog(bridge), FirstAdminDialog(bridge),
                   LockDialog(bridge, NINA, "for a while"),
                   PreferencesDialog(bridge, demo_window)):
        qtbot.addWidget(dialog)
    bridge.sign_in(NINA)                                   # the signature dialog's signer
    qtbot.addWidget(SignatureDialog(bridge, "voided because entered twice"))
    assert keymap.unused() == []

    for group in keymap.SCOPE_GROUPS:
        owner: dict[str, str] = {}
        for key, entry in keymap.SHORTCUTS.items():
            if entry.scope not in group:
                continue
            for sequence in keymap.sequences(key):
                text = sequence.toString()
                assert text not in owner, f"{text} is both {owner[text]} and {key}"
                owner[text] = key

    for group in keymap.SCREEN_GROUPS:   # the table alone, before any widget is built
        taken: dict[str, str] = {}
        for key, text in keymap.LABELS.items():
            letter = keymap.mnemonic(text)
            if key.split(".")[0] in group and letter:
                assert letter not in taken, f"Alt+{letter}: {taken[letter]} and {key}"
                taken[letter] = key


def test_mnemonic_reading() -> None:
    assert keymap.mnemonic("Tem&perature") == "P"
    assert keymap.mnemonic("Salt && &pepper") == "P"
    assert keymap.mnemonic("R&&D") is None
    assert keymap.label("crs.temperature") == "Tem&perature (highest)"
    assert keymap.shortcut("form.save").toString() == "Ctrl+S"


# --- (3) section keys from anywhere -------------------------------------------------------------
@pytest.fixture
def active(qtbot: Any, demo_window: MainWindow) -> MainWindow:
    with qtbot.waitActive(demo_window):
        demo_window.activateWindow()
    return demo_window


def _focus(qtbot: Any, widget: QWidget) -> QWidget:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    return widget


def _places(ws: PatientWorkspace) -> dict[str, Any]:
    return {
        "a line edit": lambda: (open_toxicity_form(ws, "crs"),
                                ws.toxicity.forms["crs"].field("findings.temperature_c")
                                .focus_widget())[1],
        "a date field": lambda: (open_section(ws, ws.marrow),
                                 ws.marrow_form.field("date").focus_widget())[1],
        "the labs grid": lambda: (open_section(ws, ws.labs), ws.labs.table)[1],
    }


@pytest.mark.parametrize("place", ["a line edit", "a date field", "the labs grid"])
def test_ctrl_number_and_ctrl_page_switch_sections_from(
        qtbot: Any, active: MainWindow, place: str) -> None:
    ws = active.workspace
    for number in range(1, 9):
        widget = _focus(qtbot, _places(ws)[place]())
        QTest.keyClick(widget, getattr(Qt.Key, f"Key_{number}"), CTRL)
        assert ws.tabs.currentIndex() == number - 1, (place, number)
    widget = _focus(qtbot, _places(ws)[place]())
    start = ws.tabs.currentIndex()
    QTest.keyClick(widget, Qt.Key.Key_PageDown, CTRL)
    assert ws.tabs.currentIndex() == start + 1
    widget = _focus(qtbot, _places(ws)[place]())
    QTest.keyClick(widget, Qt.Key.Key_PageUp, CTRL)
    assert ws.tabs.currentIndex() == start - 1
    widget = _focus(qtbot, _places(ws)[place]())
    QTest.keyClick(widget, Qt.Key.Key_Tab, CTRL)
    assert ws.tabs.currentIndex() == start + 1


def test_ctrl_page_switches_from_an_open_grid_cell(qtbot: Any, active: MainWindow) -> None:
    ws = active.workspace
    open_section(ws, ws.labs)
    ws.labs.table.setCurrentCell(0, 1)
    ws.labs.table.editItem(ws.labs.table.item(0, 1))
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not ws.labs.table
    QTest.keyClick(editor, Qt.Key.Key_PageDown, CTRL)
    assert ws.tabs.currentWidget() is ws.events


def test_ctrl_g_goes_to_the_labs_grid(qtbot: Any, active: MainWindow) -> None:
    ws = active.workspace
    widget = _focus(qtbot, _places(ws)["a line edit"]())
    QTest.keyClick(widget, Qt.Key.Key_G, CTRL)
    assert ws.tabs.currentWidget() is ws.labs
    assert active.focusWidget() is ws.labs.table


# --- (4) Ctrl+S saves the form in view -----------------------------------------------------------
def test_ctrl_s_saves_the_crs_form_typed_with_keys(
        qtbot: Any, active: MainWindow, store: Any) -> None:
    ws = active.workspace
    before = len(ws.record.assessments)
    QTest.keyClick(_focus(qtbot, active.patient_list.search), Qt.Key.Key_3, CTRL)  # Toxicity
    assert ws.tabs.currentWidget() is ws.toxicity
    form = ws.toxicity.forms["crs"]
    assert ws.toxicity.current_form() is form
    date_edit = form.field("date").focus_widget()
    assert active.focusWidget() is date_edit                 # the first field
    QTest.keyClick(date_edit, Qt.Key.Key_Tab)                # to the temperature
    temperature = form.field("findings.temperature_c").focus_widget()
    assert active.focusWidget() is temperature
    QTest.keyClicks(temperature, "39.2")
    with qtbot.waitSignal(form.saved, timeout=5000):
        QTest.keyClick(temperature, Qt.Key.Key_S, CTRL)
    saved = [a for a in store.load_record(ws.patient_id).assessments
             if a.kind is AssessmentKind.CRS]
    assert len(ws.record.assessments) == before + 1
    assert any(a.findings.get("temperature_c") == 39.2 for a in saved)
    assert "Ctrl+S" in form.save_button.text()


# --- (5) focus follows the task; a cleared form is free of red ------------------------------------
def _errors_shown(form: Any) -> list[str]:
    return [label.text() for label in form._errors.values() if label.isVisibleTo(form)] + \
        ([form.general_error.text()] if form.general_error.text() else [])


def test_opening_a_section_puts_the_cursor_in_its_first_field(
        qtbot: Any, active: MainWindow) -> None:
    ws = active.workspace
    expected = {
        1: ws.overview.filter, 2: ws.course_form.template_combo,
        3: ws.toxicity.forms["crs"].field("date").focus_widget(),
        4: ws.marrow_form.field("date").focus_widget(), 5: ws.labs.table,
        6: ws.event_form.field("type").focus_widget(),
        7: ws.measurement_form.field("date").focus_widget(), 8: ws.history.table,
    }
    QTest.keyClick(active.patient_list.search, Qt.Key.Key_2, CTRL)
    for number, widget in expected.items():
        QTest.keyClick(active.focusWidget(), getattr(Qt.Key, f"Key_{number}"), CTRL)
        assert active.focusWidget() is widget, number
    ws.tabs.setCurrentWidget(ws.toxicity)                    # as a tab click does
    ws.toxicity.tabs.setCurrentIndex(1)
    assert active.focusWidget() is ws.toxicity.forms["icans"].field("date").focus_widget()


def test_ctrl_3_again_steps_through_the_toxicity_forms(qtbot: Any, active: MainWindow) -> None:
    """From inside a Toxicity form, Ctrl+3 goes on to the next form, its date first."""
    ws = active.workspace
    QTest.keyClick(_focus(qtbot, active.patient_list.search), Qt.Key.Key_3, CTRL)
    order = ["crs", "icans", "agvhd", "cgvhd", "crs"]
    for kind in order:
        form = ws.toxicity.forms[kind]
        assert ws.toxicity.current_form() is form, kind
        assert active.focusWidget() is form.field("date").focus_widget(), kind
        QTest.keyClick(active.focusWidget(), Qt.Key.Key_3, CTRL)
    assert "again: the next form" in ws.tabs.tabToolTip(ws.tabs.indexOf(ws.toxicity))
    # From outside the form (the saved assessments), Ctrl+3 returns to the form in view.
    ws.toxicity.section.table.setFocus()
    form = ws.toxicity.current_form()
    QTest.keyClick(active.focusWidget(), Qt.Key.Key_3, CTRL)
    assert ws.toxicity.current_form() is form
    assert active.focusWidget() is form.field("date").focus_widget()


def test_after_a_save_the_cursor_is_back_in_the_first_field_and_no_red_shows(
        qtbot: Any, active: MainWindow) -> None:
    ws = active.workspace
    for form in ws.item_forms():
        assert _errors_shown(form) == [], form.title          # pristine
    form = ws.measurement_form
    QTest.keyClick(active.patient_list.search, Qt.Key.Key_7, CTRL)
    height = form.field("height_cm").focus_widget()
    QTest.keyClicks(height, "171")
    with qtbot.waitSignal(form.saved, timeout=5000):
        QTest.keyClick(height, Qt.Key.Key_S, CTRL)
    assert active.focusWidget() is form.field("date").focus_widget()
    assert _errors_shown(form) == []
    # trying to save the empty form says what is missing, in words
    QTest.keyClick(active.focusWidget(), Qt.Key.Key_S, CTRL)
    shown = " ".join(_errors_shown(form))
    assert "height" in shown.lower() and "_cm" not in shown and "_kg" not in shown
    form.clear()
    assert _errors_shown(form) == []
    ws.course_form.clear()
    assert _errors_shown(ws.course_form) == []   # no "Add at least one drug line." yet


def test_a_message_never_names_an_internal_key(workspace: PatientWorkspace, qtbot: Any) -> None:
    form = workspace.marrow_form
    open_section(workspace, workspace.marrow)
    type_into(qtbot, form.field("mrd_pct"), "0.001")
    type_into(qtbot, form.field("mrd_lod_pct"), "0.01")
    shown = " ".join(_errors_shown(form))
    assert "below" in shown and "mrd_lod_pct" not in shown and "assay sensitivity" in shown


# --- (6) the smaller items ------------------------------------------------------------------------
def test_typing_h_in_the_event_type_finds_hsct(qtbot: Any, workspace: PatientWorkspace) -> None:
    open_section(workspace, workspace.events)
    combo = workspace.event_form.field("type").combo
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_H)
    assert combo.currentData() == "hsct"


def test_new_patient_sex_is_unknown_until_chosen(qtbot: Any, bridge: Any) -> None:
    dialog = PatientDialog(bridge)
    qtbot.addWidget(dialog)
    assert dialog.fields["sex"].value() == "unknown"
    assert dialog.problems.text() == ""                          # pristine: no red


def test_regimen_template_notes_are_shown_whole_and_wrapped(
        qtbot: Any, workspace: PatientWorkspace) -> None:
    form = workspace.course_form
    open_section(workspace, workspace.courses)
    combo = form.template_combo
    index = combo.findText("GVHD prophylaxis")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    notes = form.field("notes").value()
    assert len(notes) > 200
    shown = form.template_notes.text()
    assert shown.startswith(notes + "\nSource: ")        # whole, then where it comes from
    assert form.template_notes.wordWrap() and form.template_notes.isVisible()


def test_icans_ice_boxes_come_before_save_in_tab_order(workspace: PatientWorkspace) -> None:
    form = workspace.toxicity.forms["icans"]
    chain: list[QWidget] = []
    widget = form.field("findings.ice_score").focus_widget()
    while widget not in chain and len(chain) < 200:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain[1:11] == form.ice_boxes
    assert chain.index(form.save_button) > chain.index(form.ice_boxes[-1])


def test_save_pdf_starts_in_documents_named_by_mrn_and_date_then_remembers(
        qtbot: Any, demo_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    target = tmp_path / "out" / "summary.pdf"
    target.parent.mkdir()

    def get_save_file_name(parent: Any, caption: str, start: str, *args: Any) -> tuple[str, str]:
        asked.append(start)
        return str(target), "PDF document (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
    assert demo_window.pdf_action.shortcut().toString() == "Ctrl+Shift+S"
    from PySide6.QtCore import QStandardPaths
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    today = date.today().isoformat()
    assert demo_window.pdf_suggestion(False) == str(Path(documents) / f"{DEMO_MRN}_{today}.pdf")
    demo_window.pdf_action.trigger()
    assert asked == [str(Path(documents) / f"{DEMO_MRN}_{today}.pdf")]
    assert target.exists()
    demo_window.pdf_deid_action.trigger()
    assert Path(asked[1]).parent == target.parent              # the last folder used
    assert DEMO_MRN not in Path(asked[1]).name


def test_pdf_item_has_its_own_letter_in_the_file_menu(demo_window: MainWindow) -> None:
    items = [a for a in demo_window.menuBar().actions()[0].menu().actions() if not a.isSeparator()]
    letters = [keymap.mnemonic(a.text()) for a in items]
    assert letters.count(keymap.mnemonic(demo_window.pdf_action.text())) == 1


@pytest.mark.parametrize("mrn", ["../../etc/passwd", "a/b\\c", "x\x00y\n", "..", "CON:", "张三/01"])
def test_the_suggested_pdf_name_stays_in_its_folder_whatever_the_mrn(mrn: str) -> None:
    from gui.main_window import _file_safe
    name = _file_safe(mrn)
    assert name and "/" not in name and "\\" not in name and ":" not in name
    assert all(c.isprintable() for c in name) and name.strip(".") == name
