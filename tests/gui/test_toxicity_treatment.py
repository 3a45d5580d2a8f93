"""Recording CRS/ICANS treatment from the Toxicity section, as a ward clinician would:
Alt+A (or the button), type the date, read the doses, Enter to save or Esc to leave."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QCalendarWidget, QCheckBox, QComboBox, QDateEdit, QLabel,
    QLineEdit, QPushButton, QTableView, QTabBar, QToolButton, QWidget,
)

from clinical.derive import derive
from clinical.dosing import compute_doses
from clinical.record import AssessmentKind, CourseCategory, DoseUnit, Measurement
from gui.toxicity_section import ToxicitySection
from gui.treatment_dialog import TreatmentDialog
from gui.workspace import PatientWorkspace
from guitest_helpers import (
    click, open_section, open_toxicity_form, row_of_item, row_texts, select_item, set_date,
    type_into,
)
from storage.repository import SqliteStore

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True

ALT = Qt.KeyboardModifier.AltModifier
# What tests/gui/test_accessibility.py checks in the main window, plus the calendar.
NAMED = (QLineEdit, QComboBox, QCheckBox, QPushButton, QDateEdit, QTableView, QToolButton,
         QCalendarWidget)


@pytest.fixture
def toxicity(qtbot: Any, workspace: PatientWorkspace) -> ToxicitySection:
    """The Toxicity tab in front, the window active so shortcuts and keys work."""
    open_section(workspace, workspace.toxicity)
    window = workspace.window()
    with qtbot.waitActive(window):
        window.activateWindow()
    return workspace.toxicity


def open_with_alt_a(qtbot: Any, toxicity: ToxicitySection) -> TreatmentDialog:
    """Press Alt+A where the focus is, as a keyboard user does."""
    toxicity.section.table.setFocus()
    qtbot.keyClick(toxicity.section.table, Qt.Key.Key_A, ALT)
    # a mnemonic presses its button with an animated click, a moment later
    qtbot.waitUntil(lambda: toxicity.treatment_dialog is not None, timeout=2000)
    dialog = toxicity.treatment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    return dialog


def focused(dialog: TreatmentDialog) -> QWidget:
    """Where the dialog's keyboard focus is (the offscreen platform may not have made
    the new dialog the active window yet, so QApplication.focusWidget() can lag)."""
    widget = dialog.focusWidget()
    assert widget is not None
    return widget


def pick(qtbot: Any, dialog: TreatmentDialog, name: str) -> None:
    """Choose the template with the keyboard: focus the combo, type the name's first word
    (a space would open the drop-down list)."""
    dialog.template_combo.setFocus()
    qtbot.keyClicks(dialog.template_combo, name.split()[0])
    assert dialog.template_combo.currentText() == name


def type_date(qtbot: Any, dialog: TreatmentDialog, text: str) -> None:
    type_into(qtbot, dialog.date_field, text)


def retype(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Click into a line's cell, select what is there and type over it."""
    edit.setFocus()
    edit.selectAll()
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)


def new_courses(store: SqliteStore, pid: int, before: list[Any]) -> list[Any]:
    known = {c.id for c in before}
    return [c for c in store.courses.list(pid) if c.id not in known]


def test_crs_treatment_typed_date_is_saved_as_one_supportive_course(
        qtbot: Any, toxicity: ToxicitySection, workspace: PatientWorkspace,
        store: SqliteStore, pid: int) -> None:
    before = store.courses.list(pid)
    audited_before = len(workspace.bridge.history(pid))
    dialog = open_with_alt_a(qtbot, toxicity)
    assert dialog.windowTitle() == "Record CRS/ICANS treatment"
    pick(qtbot, dialog, "CRS treatment")
    type_date(qtbot, dialog, "2025-04-12")          # typed key by key, "-" and all
    assert dialog.date_field.edit.text() == "2025-04-12"
    assert dialog.date_field.note.text().startswith("Sat 12 Apr 2025 \u00b7 CAR-T day +5")

    # the doses for the demo patient (65 kg) are on screen, live, with why
    tocilizumab, dexamethasone = dialog.row("tocilizumab"), dialog.row("dexamethasone")
    assert tocilizumab.amount.text() == "520 mg"
    assert tocilizumab.basis.text() == "8 mg/kg × 65 kg = 520 mg"
    assert tocilizumab.given.text() == "1 dose: 2025-04-12"
    assert dexamethasone.amount.text() == "10 mg"
    assert dexamethasone.given.text() == "3 doses: 2025-04-12 … 2025-04-14"
    assert dialog.body_label.text() == \
        "Doses use: BSA 1.75 m² — 170 cm, 65 kg, measured 2024-06-06"
    assert not tocilizumab.warning.isVisible() and not dexamethasone.warning.isVisible()
    assert "Day +5 after the CAR-T infusion of 2025-04-07" in dialog.window_note.text()
    assert dialog.save_button.isEnabled()

    # Enter saves (from the date field, where the focus was left)
    dialog.date_field.edit.setFocus()
    with qtbot.waitSignal(workspace.bridge.item_saved, timeout=2000) as saved_signal:
        qtbot.keyClick(dialog.date_field.edit, Qt.Key.Key_Return)
    kind, patient_id, saved = saved_signal.args
    assert (kind, patient_id) == ("courses", pid)
    assert not dialog.isVisible()

    (course,) = new_courses(store, pid, before)    # ONE course
    assert course.id == saved.id
    assert course.name == "CRS treatment"
    assert course.category is CourseCategory.SUPPORTIVE
    assert course.start_date == date(2025, 4, 12)
    lines = {line.drug: line for line in course.drugs}
    assert list(lines) == ["tocilizumab", "dexamethasone"]
    assert (lines["tocilizumab"].dose, lines["tocilizumab"].unit,
            lines["tocilizumab"].days) == (8, DoseUnit.MG_KG, (1,))
    assert (lines["dexamethasone"].dose, lines["dexamethasone"].unit,
            lines["dexamethasone"].days) == (10, DoseUnit.MG, (1, 2, 3))

    # audited like any course, shown in Courses, counted by the roll-up
    added = workspace.bridge.history(pid)[audited_before:]
    assert {(e.table, e.row_id, e.user) for e in added if e.table == "courses"} == \
        {("courses", course.id, "nurse")}
    assert sorted(e.row_id for e in added if e.table == "drug_lines") == \
        sorted(line.id for line in course.drugs)
    model = workspace.courses.model
    shown = row_texts(model, row_of_item(model, course.id))
    assert (shown["Start"], shown["Course"], shown["Category"], shown["Drugs"]) == (
        "2025-04-12", "CRS treatment", "supportive", "tocilizumab, dexamethasone")
    crs = derive(store.load_record(pid)).cellular_therapy[0].crs
    assert {"dexamethasone", "tocilizumab"} <= set(crs.treatment)
    assert workspace.window().statusBar().currentMessage() == \
        "Saved course CRS treatment from 2025-04-12 (see Courses)."


def test_tocilizumab_above_800_mg_is_warned_in_words_and_saved_unchanged(
        qtbot: Any, toxicity: ToxicitySection, workspace: PatientWorkspace,
        store: SqliteStore, pid: int) -> None:
    store.measurements.add(pid, Measurement(date=date(2025, 4, 11), weight_kg=120))
    before = store.courses.list(pid)
    click(qtbot, toxicity.treatment_button)
    dialog = toxicity.treatment_dialog
    assert dialog is not None
    pick(qtbot, dialog, "CRS treatment")
    type_date(qtbot, dialog, "2025-04-12")

    row = dialog.row("tocilizumab")
    assert row.basis.text() == "8 mg/kg × 120 kg = 960 mg"
    assert row.amount.text() == "960 mg ⚠"                 # the amount is never changed
    assert row.warning.isVisible()
    assert "single dose 960 mg is above the 800 mg cap for tocilizumab" in row.warning.text()
    assert row.warning.text().startswith("⚠ Warning")        # said in words, not colour only
    assert "120 kg measured 2025-04-11" in dialog.body_label.text()
    assert not dialog.row("dexamethasone").warning.isVisible()
    assert dialog.save_button.isEnabled()                     # a warning does not block

    with qtbot.waitSignal(workspace.bridge.item_saved, timeout=2000):
        click(qtbot, dialog.save_button)
    (course,) = new_courses(store, pid, before)
    line = course.drugs[0]
    assert (line.drug, line.dose, line.unit) == ("tocilizumab", 8, DoseUnit.MG_KG)
    record = store.load_record(pid)
    calcs = compute_doses(record.courses, record.measurements, record.events)
    stored = dict(zip((c.id for c in record.courses), calcs))[course.id]
    assert stored[0].amount == Decimal(960)
    assert any("800 mg cap" in w for w in stored[0].warnings)


def test_zero_dose_and_empty_days_are_named_and_block_saving(
        qtbot: Any, toxicity: ToxicitySection, workspace: PatientWorkspace,
        store: SqliteStore) -> None:
    before = store.counts()
    dialog = open_with_alt_a(qtbot, toxicity)
    pick(qtbot, dialog, "CRS treatment")
    type_date(qtbot, dialog, "2025-04-12")
    dexamethasone = dialog.row("dexamethasone")
    retype(qtbot, dexamethasone.dose, "0")

    assert dexamethasone.problem.isVisible()
    assert dexamethasone.problem.text() == "Dexamethasone dose must be more than 0"
    assert not dialog.save_button.isEnabled()
    assert dialog.row("tocilizumab").amount.text() == "520 mg"   # the good line still dosed
    with qtbot.assertNotEmitted(workspace.bridge.item_saved):
        qtbot.keyClick(dexamethasone.dose, Qt.Key.Key_Return)      # Enter: nothing
        dialog.save()                                               # nor Ctrl+S
    assert dialog.isVisible()
    assert dexamethasone.dose.text() == "0"                        # nothing typed is lost

    tocilizumab = dialog.row("tocilizumab")
    retype(qtbot, dexamethasone.dose, "10")
    retype(qtbot, tocilizumab.days, "")
    assert tocilizumab.problem.text().startswith("Tocilizumab days are empty")
    assert not dexamethasone.problem.isVisible()
    assert not dialog.save_button.isEnabled()

    type_date(qtbot, dialog, "2025-13-40")
    assert dialog.date_error.isVisible()
    assert dialog.date_error.text() == "Treatment date is not a real calendar date: 2025-13-40"
    assert not dialog.save_button.isEnabled()
    type_date(qtbot, dialog, "12/04/2025")
    assert dialog.date_error.text() == \
        "Treatment date must be a date written like 2025-04-12, not '12/04/2025'"

    # unticking every drug says so (Space on the focused box, as with the keyboard)
    type_date(qtbot, dialog, "2025-04-12")
    for row in dialog.rows:
        row.give.setFocus()
        qtbot.keyClick(row.give, Qt.Key.Key_Space)
    assert dialog.problems.text() == "Tick at least one drug to give."
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert store.counts() == before


def test_escape_closes_without_saving_and_keeps_the_crs_form(
        qtbot: Any, toxicity: ToxicitySection, workspace: PatientWorkspace,
        store: SqliteStore) -> None:
    form = open_toxicity_form(workspace, "crs")
    type_into(qtbot, form.field("findings.temperature_c"), "39.2")  # unsaved, in the form
    before = store.counts()
    dialog = open_with_alt_a(qtbot, toxicity)
    type_date(qtbot, dialog, "2025-04-12")
    assert focused(dialog) is dialog.date_field.edit
    with qtbot.assertNotEmitted(workspace.bridge.item_saved):
        qtbot.keyClick(focused(dialog), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.saved_course is None
    assert store.counts() == before
    assert toxicity.treatment_dialog is None
    assert "Saved course" not in toxicity.window().statusBar().currentMessage()
    assert form.field("findings.temperature_c").edit.text() == "39.2"


def test_the_date_and_template_come_from_the_selected_assessment(
        qtbot: Any, toxicity: ToxicitySection) -> None:
    select_item(qtbot, toxicity.section, lambda a: a.kind is AssessmentKind.ICANS)
    dialog = open_with_alt_a(qtbot, toxicity)
    assert dialog.date_field.value() == "2025-04-10"
    assert "ICANS assessment of 2025-04-10" in dialog.date_from.text()
    assert dialog.template_combo.currentText() == "ICANS treatment"
    dexamethasone = dialog.row("dexamethasone")
    assert [r.drug for r in dialog.rows] == ["dexamethasone"]
    assert dexamethasone.per_day.text() == "4 a day (every 6 h), IV"
    assert dexamethasone.given.text() == "12 doses: 2025-04-10 … 2025-04-12"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_the_crs_form_date_is_the_default_without_a_selection(
        qtbot: Any, toxicity: ToxicitySection, workspace: PatientWorkspace) -> None:
    form = open_toxicity_form(workspace, "crs")
    set_date(form.field("date"), "2025-04-11")
    toxicity.section.table.clearSelection()
    dialog = open_with_alt_a(qtbot, toxicity)
    assert dialog.date_field.value() == "2025-04-11"
    assert dialog.date_from.text() == "· from the date in the CRS form"
    assert dialog.template_combo.currentText() == "CRS treatment"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_today_is_the_default_on_a_gvhd_tab(
        qtbot: Any, toxicity: ToxicitySection, workspace: PatientWorkspace) -> None:
    open_toxicity_form(workspace, "agvhd")
    dialog = open_with_alt_a(qtbot, toxicity)
    assert dialog.date_field.value() == date.today().isoformat()
    assert dialog.date_from.text() == "· from today"
    assert dialog.template_combo.currentText() == "CRS treatment"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_tab_order_runs_date_template_lines_notes_save(
        qtbot: Any, toxicity: ToxicitySection) -> None:
    dialog = open_with_alt_a(qtbot, toxicity)
    assert focused(dialog) is dialog.date_field.edit     # the date first, ready to type
    assert dialog.date_field.edit.selectedText() == dialog.date_field.edit.text()
    seen = [focused(dialog)]
    for _ in range(9):
        qtbot.keyClick(focused(dialog), Qt.Key.Key_Tab)
        seen.append(focused(dialog))
    toc, dex = dialog.row("tocilizumab"), dialog.row("dexamethasone")
    # one Tab leaves the date (the calendar is Alt+Down, not a second stop)
    assert seen == [dialog.date_field.edit, dialog.template_combo,
                    toc.give, toc.dose, toc.days, dex.give, dex.dose, dex.days,
                    dialog.notes.edit, dialog.save_button]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def _mnemonic(text: str) -> str | None:
    text = text.replace("&&", "")
    at = text.find("&")
    return text[at + 1].lower() if 0 <= at < len(text) - 1 else None


@pytest.mark.parametrize("kind", ["crs", "icans", "agvhd", "cgvhd"])
def test_alt_a_is_used_once_on_every_toxicity_tab(
        kind: str, toxicity: ToxicitySection, workspace: PatientWorkspace) -> None:
    open_toxicity_form(workspace, kind)
    window = workspace.window()
    owners = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts: list[str] = []
        if isinstance(widget, QAbstractButton):
            texts = [widget.text()]
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            texts = [widget.text()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count())]
        owners += [t for t in texts if _mnemonic(t) == "a"]
    owners += [a.text() for a in window.menuBar().actions() if _mnemonic(a.text()) == "a"]
    assert owners == ["Record CRS/ICANS tre&atment…"]


def test_every_control_in_the_dialog_has_a_name(
        qtbot: Any, toxicity: ToxicitySection) -> None:
    dialog = open_with_alt_a(qtbot, toxicity)
    buddies = {id(label.buddy()) for label in dialog.findChildren(QLabel)
               if label.buddy() is not None}
    controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, NAMED)
                and not (isinstance(w, QLineEdit)   # Qt's own editor inside a spin box
                         and isinstance(w.parentWidget(), QAbstractSpinBox))]
    nameless = [f"{type(w).__name__} {w.objectName()}" for w in controls
                if not w.accessibleName().strip() and id(w) not in buddies]
    assert nameless == []
    assert not [w.accessibleName() for w in dialog.findChildren(QWidget)
                if "&" in w.accessibleName().replace("&&", "")]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


# Showing a popup makes the offscreen platform say what it cannot do (as with propagateSizeHints).
@pytest.mark.qt_log_ignore(r"^This plugin does not support (raise\(\)|grabbing the keyboard)$")
def test_the_calendar_picks_a_date_with_the_keyboard(
        qtbot: Any, toxicity: ToxicitySection) -> None:
    dialog = open_with_alt_a(qtbot, toxicity)
    type_date(qtbot, dialog, "2025-04-12")
    field = dialog.date_field
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, ALT)        # opens on the typed date
    assert field.popup is not None and field.calendar is not None
    qtbot.waitUntil(field.popup.isVisible, timeout=2000)
    assert field.calendar.selectedDate().toPython() == date(2025, 4, 12)
    view = field.calendar.findChild(QWidget, "qt_calendar_calendarview")
    qtbot.keyClick(view, Qt.Key.Key_Right)                  # the next day
    with qtbot.assertNotEmitted(toxicity.bridge.item_saved):
        qtbot.keyClick(view, Qt.Key.Key_Return)             # picks; does not save
    assert not field.popup.isVisible()
    assert dialog.isVisible()
    assert field.value() == "2025-04-13"
    assert dialog.row("tocilizumab").given.text() == "1 dose: 2025-04-13"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
