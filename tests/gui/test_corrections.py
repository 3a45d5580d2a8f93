"""Correct and void saved items from a section; undo in a form. Every change is audited."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import Qt

from clinical.audit import AuditAction
from clinical.record import AssessmentKind, EventType
from gui.item_section import ItemSection
from gui.workspace import PatientWorkspace
from guitest_helpers import click, open_section, open_toxicity_form, type_into
from storage.repository import SqliteStore

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True


def select(qtbot: Any, section: ItemSection, predicate: Any) -> Any:
    """Click the first row whose item matches."""
    for row, item in enumerate(section.model.items()):
        if predicate(item):
            rect = section.table.visualRect(section.model.index(row, 0))
            qtbot.mouseClick(section.table.viewport(), Qt.MouseButton.LeftButton,
                             pos=rect.center())
            assert section.selected() == item
            return item
    raise AssertionError("no matching row")


def reason_typo(self: Any) -> str:
    """Stands in for the reason dialog (a plain function, not a Mock: style.md §8)."""
    return "typo"


def test_correct_a_measurement_records_old_new_and_reason(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    section, form = workspace.measurements, workspace.measurement_form
    open_section(workspace, section)
    original = select(qtbot, section, lambda m: m.weight_kg == 65)
    click(qtbot, section.correct_button)
    assert form.field("weight_kg").edit.text() == "65"
    assert form.field("height_cm").edit.text() == "170"
    assert form.status.text() == "Correcting the saved item of 2024-06-06"
    assert not form.save_button.isEnabled()          # nothing changed yet

    monkeypatch.setattr(type(form), "ask_reason", reason_typo)
    type_into(qtbot, form.field("weight_kg"), "56")
    with qtbot.waitSignal(workspace.bridge.item_saved, timeout=2000):
        click(qtbot, form.save_button)

    (stored,) = store.measurements.list(pid)
    assert (stored.id, stored.weight_kg, stored.version) == (original.id, 56, 2)
    (update,) = [e for e in store.audit.entries(pid)
                 if e.action is AuditAction.UPDATE and e.table == "measurements"]
    assert update.row_id == original.id and update.reason == "typo" and update.user == "nurse"
    assert (update.old["weight_kg"], update.new["weight_kg"]) == (65, 56)
    # every view follows: the header's BSA and the table
    assert workspace.header.bsa.text() == "BSA 1.63 m²"   # √(170 × 56 / 3600)
    assert section.model.items()[0].weight_kg == 56


def test_a_correction_without_a_reason_is_not_saved(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int,
        dialogs: Any) -> None:
    section, form = workspace.measurements, workspace.measurement_form
    select(qtbot, section, lambda m: True)
    click(qtbot, section.correct_button)
    type_into(qtbot, form.field("weight_kg"), "66")
    dialogs.text = None                                # the reason dialog is cancelled
    with qtbot.assertNotEmitted(workspace.bridge.item_saved):
        click(qtbot, form.save_button)
    assert dialogs.of("getText")[0][1] == "Correct a saved item"
    assert form.status.text() == "Not saved: a correction needs a reason"
    assert form.field("weight_kg").edit.text() == "66"       # what was typed stays
    assert store.measurements.list(pid)[0].weight_kg == 65


def test_correct_the_seed_crs_assessment(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    section = workspace.toxicity.section
    open_toxicity_form(workspace, "icans")
    crs = select(qtbot, section, lambda a: a.kind is AssessmentKind.CRS)
    click(qtbot, section.correct_button)
    form = workspace.toxicity.forms["crs"]
    assert workspace.toxicity.tabs.currentWidget() is form   # the right form comes forward
    assert form.grade_label.text() == "Grade 3"
    monkeypatch.setattr(type(form), "ask_reason", reason_typo)
    type_into(qtbot, form.field("findings.temperature_c"), "39.9")
    with qtbot.waitSignal(form.saved, timeout=2000):
        click(qtbot, form.save_button)
    stored = store.assessments.get(crs.id)
    assert stored.findings["temperature_c"] == 39.9 and stored.version == 2
    update = [e for e in store.audit.entries(pid)
              if e.action is AuditAction.UPDATE and e.row_id == crs.id][-1]
    assert update.reason == "typo"


def test_correcting_an_assessment_keeps_its_notes(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    section = workspace.toxicity.section
    crs = select(qtbot, section, lambda a: a.kind is AssessmentKind.CRS)
    assert crs.notes and crs.notes.startswith("reported as grade 3")
    click(qtbot, section.correct_button)
    form = workspace.toxicity.forms["crs"]
    monkeypatch.setattr(type(form), "ask_reason", reason_typo)
    type_into(qtbot, form.field("findings.temperature_c"), "39.9")
    click(qtbot, form.save_button)
    assert store.assessments.get(crs.id).notes == crs.notes


def test_void_an_event_hides_it_but_keeps_it_in_the_store(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int,
        dialogs: Any) -> None:
    section = workspace.events
    open_section(workspace, section)
    shown_before = len(section.model.items())
    event = select(qtbot, section, lambda e: e.type is EventType.TRANSFUSION)
    dialogs.text = "entered twice"
    with qtbot.waitSignal(section.voided, timeout=2000) as voided:
        click(qtbot, section.void_button)
    assert voided.args == [event.id]
    assert "voided" in dialogs.of("getText")[0][2]
    assert event.id not in [e.id for e in section.model.items()]
    assert len(section.model.items()) == shown_before - 1
    assert event.id not in [e.id for e in store.events.list(pid)]
    kept = [e for e in store.events.list(pid, include_voided=True) if e.id == event.id]
    assert kept == [dataclasses.replace(event, version=event.version + 1)]
    (void,) = [e for e in store.audit.entries(pid) if e.action is AuditAction.VOID]
    assert void.row_id == event.id and void.reason == "entered twice"


def test_void_cancelled_keeps_the_item(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int,
        dialogs: Any) -> None:
    section = workspace.events
    event = select(qtbot, section, lambda e: e.type is EventType.HSCT)
    dialogs.text = None
    with qtbot.assertNotEmitted(section.voided):
        click(qtbot, section.void_button)
    assert event.id in [e.id for e in store.events.list(pid)]


def test_correct_asks_before_dropping_unsaved_input(
        qtbot: Any, workspace: PatientWorkspace, dialogs: Any) -> None:
    section, form = workspace.measurements, workspace.measurement_form
    type_into(qtbot, form.field("weight_kg"), "80")
    select(qtbot, section, lambda m: True)
    click(qtbot, section.correct_button)                # dialogs answer Cancel
    assert dialogs.of("question")
    assert form.field("weight_kg").edit.text() == "80"
    assert form.status.text() == ""


def test_ctrl_z_on_a_non_text_widget_brings_the_previous_value_back(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    form = workspace.measurement_form
    open_section(workspace, workspace.measurements)
    window = workspace.window()
    with qtbot.waitActive(window):
        window.activateWindow()
    type_into(qtbot, form.field("weight_kg"), "70")
    type_into(qtbot, form.field("weight_kg"), "700")      # a slip
    assert form._errors["weight_kg"].isVisible() and not form.save_button.isEnabled()
    form.new_button.setFocus()                            # focus off the line edit
    qtbot.keyClick(form.new_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert form.field("weight_kg").edit.text() == "70"
    assert not form._errors["weight_kg"].isVisible() and form.save_button.isEnabled()
    type_into(qtbot, form.field("height_cm"), "171")
    with qtbot.waitSignal(form.saved, timeout=2000) as saved:
        click(qtbot, form.save_button)
    stored = next(m for m in store.measurements.list(pid) if m.id == saved.args[0].id)
    assert (stored.height_cm, stored.weight_kg) == (171, 70)


def test_undo_steps_back_one_change_at_a_time(qtbot: Any, workspace: PatientWorkspace) -> None:
    form = workspace.toxicity.forms["crs"]
    type_into(qtbot, form.field("findings.temperature_c"), "39")
    form.field("findings.hypotension").box.click()
    assert form.grade_label.text() == "Grade 2"
    form.undo()
    assert not form.field("findings.hypotension").box.isChecked()
    assert form.field("findings.temperature_c").edit.text() == "39"
    assert form.grade_label.text() == "Grade 1"
    for _ in range(10):   # back to the start, and no further
        form.undo()
    assert form.field("findings.temperature_c").edit.text() == ""
    assert not form.is_dirty()


def test_course_form_undo_to_the_start_is_clean(
        qtbot: Any, workspace: PatientWorkspace) -> None:
    form = workspace.course_form
    type_into(qtbot, form.field("name"), "X")
    form.undo()
    assert form.field("name").edit.text() == ""
    assert not form.is_dirty()
    assert "Course" not in workspace.unsaved()
