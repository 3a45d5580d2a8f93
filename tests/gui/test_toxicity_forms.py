"""The four toxicity forms driven like a nurse at the bedside: grade, reason, saved row."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from clinical.record import AssessmentKind
from gui.workspace import PatientWorkspace
from guitest_helpers import (
    choose, click, open_toxicity_form, row_of_item, row_texts, set_date, tick, type_into,
)
from storage.repository import SqliteStore

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True

SEED_CRS = {"temperature_c": 39.6, "fever_masked": False, "hypotension": True,
            "vasopressors": ["dopamine"], "oxygen_device": "none"}


def enter_seed_crs(qtbot: Any, form: Any) -> None:
    set_date(form.field("date"), "2025-04-10")
    type_into(qtbot, form.field("findings.temperature_c"), "39.6")
    hypotension = form.field("findings.hypotension").box
    hypotension.setFocus()
    qtbot.keyClick(hypotension, Qt.Key.Key_Space)
    assert hypotension.isChecked()
    type_into(qtbot, form.field("findings.vasopressors"), "dopamine")
    choose(form.field("findings.oxygen_device").combo, "none (room air)")


def test_seed_crs_through_the_form_is_grade_3_saved_and_listed(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    form = open_toxicity_form(workspace, "crs")
    before = store.assessments.list(pid)
    assert form.grade_label.text() == "Grade: enter the findings"

    type_into(qtbot, form.field("findings.temperature_c"), "39.6")
    assert form.grade_label.text() == "Grade 1"  # fever alone, live
    enter_seed_crs(qtbot, form)
    assert form.grade_label.text() == "Grade 3"
    assert "dopamine" in form.reason_label.text()
    assert form.reason_label.isVisible()
    assert form.field("findings.fever_masked").box.isChecked() is False

    with qtbot.waitSignal(workspace.bridge.item_saved, timeout=2000) as saved_signal:
        click(qtbot, form.save_button)
    kind, patient_id, saved = saved_signal.args
    assert (kind, patient_id) == ("assessments", pid)

    after = store.assessments.list(pid)
    assert len(after) == len(before) + 1
    new = next(a for a in after if a.id == saved.id)
    assert new.kind is AssessmentKind.CRS and new.date.isoformat() == "2025-04-10"
    assert SEED_CRS.items() <= new.findings.items()

    # the toxicity table shows it with its grade and reason; the form is ready again
    model = workspace.toxicity.section.model
    shown = row_texts(model, row_of_item(model, saved.id))
    assert shown["Kind"] == "CRS" and shown["Grade"] == "Grade 3"
    assert "dopamine" in shown["Reason"]
    assert form.status.text() == "Saved item of 2025-04-10."
    assert form.field("findings.temperature_c").edit.text() == ""
    assert form.field("date").value() == "2025-04-10"  # the date is kept for the next entry


def test_crs_temperature_as_text_is_named_beside_the_field_and_nothing_saved(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    form = open_toxicity_form(workspace, "crs")
    before = store.counts()
    type_into(qtbot, form.field("findings.temperature_c"), "abc")
    error = form._errors["findings.temperature_c"]
    assert error.isVisible()
    assert "must be a number" in error.text() and "Temperature" in error.text()
    assert not form.save_button.isEnabled()
    assert form.grade_label.text() == "Grade: enter the findings"
    with qtbot.assertNotEmitted(workspace.bridge.item_saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)  # disabled: no effect
        form.save()                                                     # nor by Ctrl+S
    assert store.counts() == before
    assert form.field("findings.temperature_c").edit.text() == "abc"  # nothing typed is lost

    # correcting the value hides the message and enables Save
    type_into(qtbot, form.field("findings.temperature_c"), "38.5")
    assert not error.isVisible()
    assert form.save_button.isEnabled()


def test_crs_nasal_cannula_without_flow_names_oxygen_flow(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore) -> None:
    form = open_toxicity_form(workspace, "crs")
    before = store.counts()
    type_into(qtbot, form.field("findings.temperature_c"), "39")
    choose(form.field("findings.oxygen_device").combo, "nasal cannula")
    error = form._errors["findings.oxygen_l_min"]
    assert error.isVisible()
    assert "flow" in error.text().lower() and "nasal cannula" in error.text()
    assert not form.save_button.isEnabled()
    form.save()
    assert store.counts() == before
    type_into(qtbot, form.field("findings.oxygen_l_min"), "4")
    assert not error.isVisible() and form.save_button.isEnabled()
    assert form.grade_label.text() == "Grade 2"


def test_field_problem_text_has_no_mnemonic_ampersand(
        qtbot: Any, workspace: PatientWorkspace) -> None:
    form = open_toxicity_form(workspace, "crs")
    type_into(qtbot, form.field("findings.temperature_c"), "abc")
    assert form._errors["findings.temperature_c"].text() == \
        "Temperature (highest) must be a number"


def test_icans_ice_helper_fills_the_score_and_grades_live(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    form = open_toxicity_form(workspace, "icans")
    score = form.field("findings.ice_score").edit
    for box in form.ice_boxes[:8]:
        tick(qtbot, box)
    assert [b.isChecked() for b in form.ice_boxes] == [True] * 8 + [False] * 2
    assert score.text() == "8"
    assert form.grade_label.text() == "Grade 1"
    assert "ICE score 8" in form.reason_label.text()
    # unticking one lowers the score and the grade follows
    tick(qtbot, form.ice_boxes[0])
    assert score.text() == "7" and form.grade_label.text() == "Grade 1"
    for box in form.ice_boxes[8:]:
        tick(qtbot, box)
    assert score.text() == "9"
    choose(form.field("findings.consciousness").combo, "alert")
    with qtbot.waitSignal(form.saved, timeout=2000) as saved:
        click(qtbot, form.save_button)
    stored = next(a for a in store.assessments.list(pid) if a.id == saved.args[0].id)
    assert stored.findings["ice_score"] == 9 and stored.findings["consciousness"] == "alert"
    # after saving the helper starts again from nothing
    assert not any(b.isChecked() for b in form.ice_boxes) and score.text() == ""


def test_ice_helper_agrees_with_a_loaded_score(qtbot: Any, workspace: PatientWorkspace) -> None:
    section = workspace.toxicity.section
    icans = next(a for a in section.model.items() if a.kind is AssessmentKind.ICANS)
    assert icans.findings["ice_score"] == 10
    section.table.selectRow(row_of_item(section.model, icans.id))
    click(qtbot, section.correct_button)
    form = workspace.toxicity.forms["icans"]
    assert form.field("findings.ice_score").edit.text() == "10"
    assert all(box.isChecked() for box in form.ice_boxes)   # ICE 10 = every item right


def test_acute_gvhd_bilirubin_3_1_is_liver_stage_2_grade_III(
        qtbot: Any, workspace: PatientWorkspace) -> None:
    form = open_toxicity_form(workspace, "agvhd")
    type_into(qtbot, form.field("findings.bilirubin_mg_dl"), "3.1")
    assert "Liver 2" in form.stages_label.text()
    assert form.grade_label.text() == "Grade III"
    assert "liver stage 2" in form.reason_label.text()
    type_into(qtbot, form.field("findings.bilirubin_mg_dl"), "3.0")
    assert "Liver 1" in form.stages_label.text() and form.grade_label.text() == "Grade II"


def test_chronic_gvhd_lungs_2_is_severe(qtbot: Any, workspace: PatientWorkspace,
                                        store: SqliteStore, pid: int) -> None:
    form = open_toxicity_form(workspace, "cgvhd")
    choose(form.field("findings.lungs").combo, "2")
    assert form.grade_label.text() == "Severity: severe"
    assert "lungs" in form.reason_label.text()
    with qtbot.waitSignal(form.saved, timeout=2000) as saved:
        click(qtbot, form.save_button)
    stored = next(a for a in store.assessments.list(pid) if a.id == saved.args[0].id)
    assert stored.kind is AssessmentKind.CGVHD and stored.findings == {"lungs": 2}
    model = workspace.toxicity.section.model
    assert row_texts(model, row_of_item(model, stored.id))["Grade"] == "severe"


@pytest.mark.parametrize("kind", ["crs", "icans", "agvhd", "cgvhd"])
def test_blank_assessment_form_saves_nothing(qtbot: Any, workspace: PatientWorkspace,
                                             store: SqliteStore, pid: int, kind: str) -> None:
    form = open_toxicity_form(workspace, kind)
    assert form.grade_label.text() == "Grade: enter the findings"
    before = len(store.assessments.list(pid))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert len(store.assessments.list(pid)) == before


def test_a_vasopressor_name_completes_inline_and_other_names_still_type(
        qtbot: Any, workspace: Any) -> None:
    from guitest_helpers import open_toxicity_form
    form = open_toxicity_form(workspace, "crs")
    field = form.field("findings.vasopressors")
    edit = field.focus_widget()
    edit.setFocus()
    qtbot.keyClicks(edit, "nor")
    assert edit.text() == "norepinephrine" and edit.selectedText() == "epinephrine"
    qtbot.keyClicks(edit, ", vas")
    assert field.value() == ["norepinephrine", "vasopressin"]
    edit.clear()
    qtbot.keyClicks(edit, "do")                      # dopamine only (no dobutamine listed)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)       # deleting the suggestion keeps it gone
    assert edit.text() == "do"
    edit.clear()
    qtbot.keyClicks(edit, "levosimendan")            # not in the list: typed as typed
    assert field.value() == ["levosimendan"]
