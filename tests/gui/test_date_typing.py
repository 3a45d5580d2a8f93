"""Issue 12: a date typed as it is shown is the date saved, in every form that has one.

Each test types with real key events into the focused field, saves as a person does
(the Save button, or Enter where the dialog or grid saves on Enter) and reads the
date back from the store. The old QDateEdit (display yyyy-MM-dd) turned a typed
2025-04-10 into 2025-11-04 because "-" jumped to the next section."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QWidget

from gui.bridge import StoreBridge
from gui.forms.fields import DateField
from gui.forms.patient_form import PatientDialog
from gui.labs_grid import LabsGrid
from gui.workspace import PatientWorkspace
from guitest_helpers import choose, click, open_section, open_toxicity_form, type_into
from storage.repository import SqliteStore

TYPED = "2025-04-10"
APRIL_10 = date(2025, 4, 10)
SHIFT = Qt.KeyboardModifier.ShiftModifier
POPUP_NOISE = r"^This plugin does not support (raise\(\)|grabbing the keyboard)$"


@pytest.fixture
def active(qtbot: Any, workspace: PatientWorkspace) -> PatientWorkspace:
    """The demo patient open, its window active so the keys go where the focus is."""
    window = workspace.window()
    with qtbot.waitActive(window):
        window.activateWindow()
    return workspace


def type_date(qtbot: Any, field: DateField, text: str) -> None:
    """Into the date's text (all selected, as on entering with Tab), key by key, Tab out."""
    field.edit.setFocus()
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)


def new_ids(before: list[Any], after: list[Any]) -> list[Any]:
    known = {item.id for item in before}
    return [item for item in after if item.id not in known]


def save_form(qtbot: Any, workspace: PatientWorkspace, form: Any) -> None:
    with qtbot.waitSignal(workspace.bridge.item_saved, timeout=2000):
        click(qtbot, form.save_button)


# --- every item form ------------------------------------------------------------------------
def fill_measurement(qtbot: Any, ws: PatientWorkspace) -> Any:
    open_section(ws, ws.measurements)
    type_into(qtbot, ws.measurement_form.field("weight_kg"), "58")
    return ws.measurement_form


def fill_marrow(qtbot: Any, ws: PatientWorkspace) -> Any:
    open_section(ws, ws.marrow)
    type_into(qtbot, ws.marrow_form.field("blasts_pct"), "1.5")
    return ws.marrow_form


def fill_event(qtbot: Any, ws: PatientWorkspace) -> Any:
    open_section(ws, ws.events)
    choose(ws.event_form.field("type").combo, "relapse")
    return ws.event_form


def fill_course(qtbot: Any, ws: PatientWorkspace) -> Any:
    open_section(ws, ws.courses)
    form = ws.course_form
    form.template_combo.setFocus()
    qtbot.keyClicks(form.template_combo, "R-CHOP")
    assert form.template_combo.currentText() == "R-CHOP"
    return form


def fill_crs(qtbot: Any, ws: PatientWorkspace) -> Any:
    form = open_toxicity_form(ws, "crs")
    type_into(qtbot, form.field("findings.temperature_c"), "38.4")
    return form


def fill_icans(qtbot: Any, ws: PatientWorkspace) -> Any:
    form = open_toxicity_form(ws, "icans")
    type_into(qtbot, form.field("findings.ice_score"), "8")
    return form


def fill_agvhd(qtbot: Any, ws: PatientWorkspace) -> Any:
    form = open_toxicity_form(ws, "agvhd")
    type_into(qtbot, form.field("findings.skin_rash_bsa_pct"), "30")
    return form


def fill_cgvhd(qtbot: Any, ws: PatientWorkspace) -> Any:
    form = open_toxicity_form(ws, "cgvhd")
    organ = next(key for key in form._fields if key.startswith("findings."))
    combo = form.field(organ).combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)     # "—" -> 0 -> 1 (all zeros grade nothing)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert form.field(organ).value() == 1
    return form


FORMS = {   # form -> (fill it minimally, its date field's key, the stored items, their date)
    "measurement": (fill_measurement, "date", lambda s, p: s.measurements.list(p), "date"),
    "marrow": (fill_marrow, "date", lambda s, p: s.marrow.list(p), "date"),
    "event": (fill_event, "date", lambda s, p: s.events.list(p), "date"),
    "course": (fill_course, "start_date", lambda s, p: s.courses.list(p), "start_date"),
    "crs": (fill_crs, "date", lambda s, p: s.assessments.list(p), "date"),
    "icans": (fill_icans, "date", lambda s, p: s.assessments.list(p), "date"),
    "agvhd": (fill_agvhd, "date", lambda s, p: s.assessments.list(p), "date"),
    "cgvhd": (fill_cgvhd, "date", lambda s, p: s.assessments.list(p), "date"),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_a_typed_date_is_the_date_saved_in_every_item_form(
        qtbot: Any, active: PatientWorkspace, store: SqliteStore, pid: int, name: str) -> None:
    fill, key, stored, attr = FORMS[name]
    form = fill(qtbot, active)
    field = form.field(key)
    assert isinstance(field, DateField)
    before = stored(store, pid)
    type_date(qtbot, field, TYPED)
    assert field.edit.text() == TYPED
    assert form.save_button.isEnabled()
    save_form(qtbot, active, form)
    (item,) = new_ids(before, stored(store, pid))
    assert getattr(item, attr) == APRIL_10


@pytest.mark.parametrize("typed", ["2025-04-10", "20250410", "2025/4/10", " 2025-4-10 "])
def test_every_accepted_spelling_saves_april_10_and_is_shown_as_saved(
        qtbot: Any, active: PatientWorkspace, store: SqliteStore, pid: int, typed: str) -> None:
    form = fill_measurement(qtbot, active)
    before = store.measurements.list(pid)
    type_date(qtbot, form.field("date"), typed)
    assert form.field("date").edit.text() == TYPED      # rewritten on leaving the field
    save_form(qtbot, active, form)
    (item,) = new_ids(before, store.measurements.list(pid))
    assert item.date == APRIL_10


@pytest.mark.parametrize("typed", ["t-3", "T-3", "t - 3"])
def test_t_minus_3_is_three_days_ago(
        qtbot: Any, active: PatientWorkspace, store: SqliteStore, pid: int, typed: str) -> None:
    form = fill_marrow(qtbot, active)
    before = store.marrow.list(pid)
    type_date(qtbot, form.field("date"), typed)
    expected = date.today() - timedelta(days=3)
    assert form.field("date").edit.text() == expected.isoformat()
    save_form(qtbot, active, form)
    (item,) = new_ids(before, store.marrow.list(pid))
    assert item.date == expected


@pytest.mark.parametrize("typed", ["04/10/2025", "10/04/2025", "2025-02-30", "25-4-10"])
def test_an_ambiguous_or_impossible_date_is_refused_not_guessed(
        qtbot: Any, active: PatientWorkspace, store: SqliteStore, typed: str) -> None:
    form = fill_measurement(qtbot, active)
    before = store.counts()
    field = form.field("date")
    type_date(qtbot, field, typed)
    assert field.edit.text() == typed                    # kept as typed, to correct it
    assert field.note.isVisible() and field.note.text().startswith(f"Date '{typed}'")
    # One message, under the date: the form does not repeat the validator's wording.
    assert not form._errors["date"].isVisible()
    assert not form.save_button.isEnabled()
    with qtbot.assertNotEmitted(active.bridge.item_saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)   # disabled
        form.save()                                                      # nor Ctrl+S
    assert store.counts() == before


def test_the_ambiguous_message_offers_both_readings(
        qtbot: Any, active: PatientWorkspace) -> None:
    form = fill_measurement(qtbot, active)
    type_date(qtbot, form.field("date"), "04/10/2025")
    assert form.field("date").note.text() == (
        "Date '04/10/2025' is ambiguous: 4 October 2025 or 10 April 2025? "
        "Type the year first: 2025-10-04 or 2025-04-10.")


def test_the_day_counters_show_beside_the_typed_date(
        qtbot: Any, active: PatientWorkspace) -> None:
    form = fill_measurement(qtbot, active)
    field = form.field("date")
    type_date(qtbot, field, TYPED)
    # the demo patient's CAR-T infusion is 2025-04-07, the transplant 2025-05-23
    assert field.note.text() == "Thu 10 Apr 2025 \u00b7 CAR-T day +3 \u00b7 HSCT day \u221243"
    assert "CAR-T day +3" in field.edit.accessibleDescription()


def test_without_a_patient_the_weekday_only(qtbot: Any) -> None:
    field = DateField("date", "&Date")
    qtbot.addWidget(field)
    field.set_value("2025-04-10")
    assert field.note.text() == "Thu 10 Apr 2025"


# --- one Tab in, one Tab out ----------------------------------------------------------------------
def _inside(widget: QWidget | None, field: DateField) -> bool:
    while widget is not None:
        if widget is field:
            return True
        widget = widget.parentWidget()
    return False


@pytest.mark.parametrize("name", list(FORMS))
def test_one_tab_leaves_the_date_and_one_shift_tab_comes_back(
        qtbot: Any, active: PatientWorkspace, name: str) -> None:
    fill, key, _stored, _attr = FORMS[name]
    form = fill(qtbot, active)
    field = form.field(key)
    if not field.isEnabled():    # a course counted from an event has no start date
        pytest.skip("date not used")
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    after = QApplication.focusWidget()
    assert not _inside(after, field)
    assert any(f.focus_widget() is after for f in form._fields.values() if f is not field)
    qtbot.keyClick(after, Qt.Key.Key_Backtab, SHIFT)
    assert QApplication.focusWidget() is field.edit


def test_the_measurement_date_tabs_straight_to_height(
        qtbot: Any, active: PatientWorkspace) -> None:
    form = fill_measurement(qtbot, active)
    date_edit, height = form.field("date").edit, form.field("height_cm").edit
    date_edit.setFocus()
    qtbot.keyClick(date_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is height
    assert height.selectedText() == height.text()
    qtbot.keyClick(height, Qt.Key.Key_Backtab, SHIFT)
    assert QApplication.focusWidget() is date_edit
    assert date_edit.selectedText() == date_edit.text()  # ready to type over


# --- the calendar ---------------------------------------------------------------------------------
@pytest.mark.qt_log_ignore(POPUP_NOISE)
@pytest.mark.parametrize("key, modifier", [(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
                                           (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier)])
def test_the_calendar_opens_from_the_keyboard_and_esc_changes_nothing(
        qtbot: Any, active: PatientWorkspace, key: Qt.Key, modifier: Qt.KeyboardModifier
        ) -> None:
    form = fill_measurement(qtbot, active)
    field = form.field("date")
    type_date(qtbot, field, TYPED)
    field.edit.setFocus()
    qtbot.keyClick(field.edit, key, modifier)
    assert field.popup is not None and field.calendar is not None
    qtbot.waitUntil(field.popup.isVisible, timeout=2000)
    assert field.calendar.selectedDate().toPython() == APRIL_10
    view = field.calendar.findChild(QWidget, "qt_calendar_calendarview")
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not field.popup.isVisible(), timeout=2000)
    assert field.edit.text() == TYPED
    assert QApplication.focusWidget() is field.edit
    # and Enter picks: the day after, shown as it is saved
    qtbot.keyClick(field.edit, key, modifier)
    qtbot.waitUntil(field.popup.isVisible, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not field.popup.isVisible()
    assert field.value() == "2025-04-11" and field.edit.text() == "2025-04-11"


# --- today by default, empty when optional ------------------------------------------------------
def test_item_forms_start_on_today_and_keep_the_date_after_a_save(
        qtbot: Any, active: PatientWorkspace) -> None:
    form = fill_measurement(qtbot, active)
    assert form.field("date").value() == date.today().isoformat()
    type_date(qtbot, form.field("date"), TYPED)
    save_form(qtbot, active, form)
    assert form.field("date").edit.text() == TYPED       # kept for the next entry
    form.clear()
    assert form.field("date").value() == date.today().isoformat()


# --- the patient dialog --------------------------------------------------------------------------
@pytest.fixture
def patient_dialog(qtbot: Any, bridge: StoreBridge) -> PatientDialog:
    dialog = PatientDialog(bridge)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def test_the_patient_dates_start_empty(patient_dialog: PatientDialog) -> None:
    for key in ("birth_date", "diagnosis_date"):
        field = patient_dialog.fields[key]
        assert isinstance(field, DateField)
        assert field.value() is None and field.edit.text() == ""
    assert patient_dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled() \
        is False   # no MRN yet


@pytest.mark.parametrize("key", ["birth_date", "diagnosis_date"])
def test_a_typed_patient_date_is_saved(
        qtbot: Any, patient_dialog: PatientDialog, store: SqliteStore, key: str) -> None:
    type_into(qtbot, patient_dialog.fields["mrn"], "MRN-DATE-1")
    type_into(qtbot, patient_dialog.fields["name"], "Test Patient")
    type_into(qtbot, patient_dialog.fields["diagnosis"], "T-ALL")
    type_date(qtbot, patient_dialog.fields[key], TYPED)
    save = patient_dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    click(qtbot, save)
    patient = store.patients.get_by_mrn("MRN-DATE-1")
    assert getattr(patient, key) == APRIL_10
    other = "diagnosis_date" if key == "birth_date" else "birth_date"
    assert getattr(patient, other) is None              # an empty date stays empty


def test_an_ambiguous_birth_date_is_refused_in_the_patient_dialog(
        qtbot: Any, patient_dialog: PatientDialog, store: SqliteStore) -> None:
    before = store.counts()
    type_into(qtbot, patient_dialog.fields["mrn"], "MRN-DATE-2")
    type_into(qtbot, patient_dialog.fields["name"], "Test Patient")
    type_into(qtbot, patient_dialog.fields["diagnosis"], "T-ALL")
    field = patient_dialog.fields["birth_date"]
    type_date(qtbot, field, "04/10/2025")
    assert field.edit.text() == "04/10/2025"
    assert field.note.text().startswith("Birth date '04/10/2025' is ambiguous")
    assert "Birth date" in patient_dialog.problems.text()
    save = patient_dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    patient_dialog.save()
    assert store.counts() == before


# --- the treatment dialog -------------------------------------------------------------------------
def test_a_typed_treatment_date_is_saved_with_enter(
        qtbot: Any, active: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    open_section(active, active.toxicity)
    before = store.courses.list(pid)
    dialog = active.toxicity.record_treatment()
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    field = dialog.date_field
    assert isinstance(field, DateField)
    field.edit.setFocus()
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "20250410")
    assert "CAR-T day +3" in field.note.text()
    with qtbot.waitSignal(active.bridge.item_saved, timeout=2000):
        qtbot.keyClick(field.edit, Qt.Key.Key_Return)    # the dialog saves on Enter
    (course,) = new_ids(before, store.courses.list(pid))
    assert course.start_date == APRIL_10


def test_an_ambiguous_treatment_date_is_refused(
        qtbot: Any, active: PatientWorkspace, store: SqliteStore) -> None:
    open_section(active, active.toxicity)
    before = store.counts()
    dialog = active.toxicity.record_treatment()
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    field = dialog.date_field
    field.edit.setFocus()
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "04/10/2025")
    assert field.note.text().startswith("Treatment date '04/10/2025' is ambiguous")
    assert dialog.date_error.isVisible() and "Treatment date" in dialog.date_error.text()
    assert not dialog.save_button.isEnabled()
    with qtbot.assertNotEmitted(active.bridge.item_saved):
        qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.edit.text() == "04/10/2025"
    assert store.counts() == before
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


# --- the labs grid --------------------------------------------------------------------------------
def new_lab_row(qtbot: Any, grid: LabsGrid) -> None:
    button = next(b for b in grid.findChildren(QPushButton)
                  if b.accessibleName() == "New lab row")
    click(qtbot, button)
    assert grid.table.state() == grid.table.State.EditingState
    assert (grid.table.currentRow(), grid.table.currentColumn()) == (0, 0)   # on the date


def press(qtbot: Any, key: Qt.Key) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key)
    qtbot.wait(1)   # the delegate commits a closed editor's text through the event loop


@pytest.mark.parametrize("typed", ["2025-04-10", "20250410", "2025/4/10"])
def test_a_typed_lab_date_is_the_date_saved(
        qtbot: Any, active: PatientWorkspace, store: SqliteStore, pid: int, typed: str) -> None:
    open_section(active, active.labs)
    grid = active.labs
    new_lab_row(qtbot, grid)
    qtbot.keyClicks(QApplication.focusWidget(), typed)   # the date's text is selected
    press(qtbot, Qt.Key.Key_Tab)
    assert grid.table.item(0, 0).text() == TYPED        # shown as it will be saved
    qtbot.keyClicks(QApplication.focusWidget(), "4.2")  # WBC
    with qtbot.waitSignal(grid.row_saved, timeout=2000):
        press(qtbot, Qt.Key.Key_Return)
    labs = [lab for lab in store.labs.list(pid) if lab.date == APRIL_10]
    assert [(lab.test.value, lab.value) for lab in labs] == [("wbc", 4.2)]


def test_an_ambiguous_lab_date_is_refused_and_nothing_saved(
        qtbot: Any, active: PatientWorkspace, store: SqliteStore) -> None:
    open_section(active, active.labs)
    grid = active.labs
    before = store.counts()
    new_lab_row(qtbot, grid)
    qtbot.keyClicks(QApplication.focusWidget(), "04/10/2025")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "4.2")
    with qtbot.assertNotEmitted(grid.row_saved):
        press(qtbot, Qt.Key.Key_Return)
    assert grid.message.text().startswith("Not saved. Date '04/10/2025' is ambiguous")
    assert grid.table.item(0, 0).text() == "04/10/2025"
    assert store.counts() == before


def test_focus_grid_puts_the_keyboard_in_the_grid(
        qtbot: Any, active: PatientWorkspace) -> None:
    open_section(active, active.labs)
    grid = active.labs
    grid.legend.setFocus()
    grid.focus_grid()
    assert QApplication.focusWidget() is grid.table
    assert grid.table.currentRow() >= 0 and grid.table.currentColumn() >= 0


# --- the header's "as of" date --------------------------------------------------------------------
def test_the_header_as_of_date_is_typed_too(qtbot: Any, active: PatientWorkspace) -> None:
    header = active.header
    with qtbot.waitSignal(header.date_changed, timeout=2000) as changed:
        type_date(qtbot, header.on_date, "20250410")
    assert changed.args == [APRIL_10]
    assert header.on_date.edit.text() == TYPED
    assert "CAR-T day +3" in header.days.text()
    with qtbot.assertNotEmitted(header.date_changed):
        type_date(qtbot, header.on_date, "04/10/2025")   # refused: the counters stay
    assert header.as_of() == APRIL_10
    assert header.on_date.note.text().startswith("Day counters as of '04/10/2025'")
