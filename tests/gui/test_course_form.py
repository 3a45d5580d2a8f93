"""A course entered from a regimen template: computed doses, body size and warnings."""

from __future__ import annotations

from typing import Any

import pytest

from clinical.record import DoseUnit
from gui.forms.course_form import COLUMNS
from gui.workspace import PatientWorkspace
from guitest_helpers import (
    choose, click, open_section, row_of_item, row_texts, set_date, table_texts, type_into,
)
from storage.repository import SqliteStore

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True

AMOUNT, DATES, WARNINGS = (COLUMNS.index(c) for c in ("Amount", "Dates", "Warnings"))


def pick_template(qtbot: Any, form: Any, name: str) -> None:
    """Choose a template with the keyboard: focus the combo, type the name's start."""
    combo = form.template_combo
    combo.setFocus()
    qtbot.keyClicks(combo, name)
    assert combo.currentText() == name


def lines_by_drug(form: Any) -> dict[str, list[str]]:
    return {table_texts(form.table, r)[0]: table_texts(form.table, r)
            for r in range(form.table.rowCount())}


def test_r_chop_from_template_shows_bsa_doses_and_the_vincristine_cap(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    form = workspace.course_form
    open_section(workspace, workspace.courses)
    before = store.courses.list(pid)
    set_date(form.field("start_date"), "2025-09-01")
    pick_template(qtbot, form, "R-CHOP")

    assert form.field("name").value() == "R-CHOP"
    lines = lines_by_drug(form)
    assert list(lines) == ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine",
                           "prednisone"]
    assert lines["rituximab"][AMOUNT] == "656.25 mg × 1"          # 375 mg/m² × 1.75 m²
    assert lines["rituximab"][DATES] == "1 Sep"
    row = list(lines).index("prednisone")
    assert form.table.item(row, DATES).toolTip() == ", ".join(
        f"2025-09-0{d}" for d in range(1, 6))                    # every date, with its year
    assert lines["prednisone"][AMOUNT] == "100 mg × 5"            # flat dose, days 1-5
    assert lines["prednisone"][DATES] == "1 Sep–5 Sep"
    assert lines["vincristine"][AMOUNT] == "2.45 mg × 1"          # 1.4 mg/m² × 1.75 m²
    assert lines["vincristine"][WARNINGS] == "⚠"                 # the line is flagged
    assert "above the 2 mg cap" in form.table.item(3, WARNINGS).toolTip()
    assert lines["rituximab"][WARNINGS] == ""
    # ... and the warning is listed whole under the table, naming the drug
    assert form.warnings_label.isVisible()
    assert form.warnings_label.text().startswith("⚠ vincristine: single dose 2.45 mg is above")
    assert "BSA 1.75" in form.body_label.text()
    assert form.body_label.isVisible()
    assert form.status.text() == "From template R-CHOP."
    assert "Source: Coiffier" in form.template_notes.text()

    with qtbot.waitSignal(workspace.bridge.item_saved, timeout=2000) as saved_signal:
        click(qtbot, form.save_button)
    saved = saved_signal.args[2]
    after = store.courses.list(pid)
    assert len(after) == len(before) + 1
    course = next(c for c in after if c.id == saved.id)
    assert course.name == "R-CHOP" and course.start_date.isoformat() == "2025-09-01"
    assert [(d.drug, d.dose, d.unit, d.days) for d in course.drugs] == [
        ("rituximab", 375, DoseUnit.MG_M2, (1,)), ("cyclophosphamide", 750, DoseUnit.MG_M2, (1,)),
        ("doxorubicin", 50, DoseUnit.MG_M2, (1,)), ("vincristine", 1.4, DoseUnit.MG_M2, (1,)),
        ("prednisone", 100, DoseUnit.MG, (1, 2, 3, 4, 5))]
    assert all(d.id is not None for d in course.drugs)
    # the courses table lists it with the warning; the form is empty again
    model = workspace.courses.model
    shown = row_texts(model, row_of_item(model, course.id))
    assert shown["Course"] == "R-CHOP" and shown["Start"] == "2025-09-01"
    assert "vincristine" in shown["Warnings"]
    assert form.table.rowCount() == 0 and form.status.text() == "Saved course R-CHOP."


def test_changing_the_start_date_moves_the_dates_live(
        qtbot: Any, workspace: PatientWorkspace) -> None:
    form = workspace.course_form
    open_section(workspace, workspace.courses)
    set_date(form.field("start_date"), "2025-09-01")
    pick_template(qtbot, form, "R-CHOP")
    set_date(form.field("start_date"), "2025-10-06")
    assert lines_by_drug(form)["prednisone"][DATES] == "6 Oct–10 Oct"


def test_editing_a_dose_cell_recomputes_the_amount(
        qtbot: Any, workspace: PatientWorkspace) -> None:
    form = workspace.course_form
    open_section(workspace, workspace.courses)
    pick_template(qtbot, form, "R-CHOP")
    row = [table_texts(form.table, r)[0] for r in range(form.table.rowCount())].index(
        "vincristine")
    form.table.item(row, COLUMNS.index("Dose")).setText("1")  # as typed into the cell
    assert table_texts(form.table, row)[AMOUNT] == "1.75 mg × 1"
    assert table_texts(form.table, row)[WARNINGS] == ""


def test_a_line_without_a_dose_is_named_and_blocks_save(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore) -> None:
    form = workspace.course_form
    open_section(workspace, workspace.courses)
    before = store.counts()
    type_into(qtbot, form.field("name"), "Ad hoc")
    click(qtbot, next(b for b in form.findChildren(type(form.save_button))
                      if b.text() == "&Add drug line"))
    form.table.item(0, 0).setText("cytarabine")
    assert not form.save_button.isEnabled()
    assert "Line 1" in form.general_error.text()
    assert form.body_label.text() == "Doses appear when every line is complete."
    form.save()
    assert store.counts() == before


@pytest.mark.parametrize("reference, enabled", [
    ("course start (day 1 = start date)", True), ("transplant (HSCT = day 0)", False)])
def test_start_date_only_for_courses_counted_from_their_start(
        workspace: PatientWorkspace, reference: str, enabled: bool) -> None:
    form = workspace.course_form
    choose(form.field("day_reference").combo, reference)
    assert form.field("start_date").isEnabled() is enabled



def test_correct_one_line_of_a_saved_course(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    section, form = workspace.courses, workspace.course_form
    open_section(workspace, section)
    course = next(c for c in section.model.items() if c.name == "GVHD prophylaxis")
    section.table.selectRow(row_of_item(section.model, course.id))
    click(qtbot, section.correct_button)
    assert form.status.text() == "Correcting the saved course GVHD prophylaxis"
    assert form.table.rowCount() == len(course.drugs)
    assert not form.save_button.isEnabled()            # nothing changed yet
    atg = [table_texts(form.table, r)[0] for r in range(form.table.rowCount())].index(
        "rabbit anti-thymocyte globulin")
    assert table_texts(form.table, atg)[DATES] == "19 May–21 May"  # HSCT day −4..−2

    form.table.item(atg, COLUMNS.index("Dose")).setText("125")
    assert table_texts(form.table, atg)[AMOUNT] == "125 mg × 3"
    monkeypatch.setattr(type(form), "ask_reason", lambda self: "dose reduced")
    with qtbot.waitSignal(form.saved, timeout=2000):
        click(qtbot, form.save_button)

    stored = store.courses.get(course.id)
    assert [(d.id, d.dose, d.version) for d in stored.drugs] == [
        (d.id, 125 if i == atg else d.dose, 2 if i == atg else 1)
        for i, d in enumerate(course.drugs)]
    updates = [e for e in store.audit.entries(pid) if e.action.value == "update"]
    assert [(e.table, e.row_id, e.reason) for e in updates] == [
        ("drug_lines", course.drugs[atg].id, "dose reduced")]
    assert (updates[0].old["dose"], updates[0].new["dose"]) == (150, 125)


def test_course_without_lines_says_so_in_words(
        qtbot: Any, workspace: PatientWorkspace) -> None:
    form = workspace.course_form
    open_section(workspace, workspace.courses)
    type_into(qtbot, form.field("name"), "Ad hoc")
    text = form.general_error.text()
    assert "drug" in text.lower()
    assert "drugsmust" not in text and not text.startswith("drugs")


def test_one_basis_per_course_shown_once_even_with_a_measurement_between_its_days(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    """Part A 1.1: a weight recorded on day 3 of R-CHOP does not dose its later lines."""
    from datetime import date

    from clinical.record import Measurement
    store.measurements.add(pid, Measurement(date=date(2025, 9, 3), weight_kg=50))
    workspace.reload()
    form = workspace.course_form
    open_section(workspace, workspace.courses)
    set_date(form.field("start_date"), "2025-09-01")
    pick_template(qtbot, form, "R-CHOP")
    assert form.body_label.text() == ("Doses use: BSA 1.75 m² — 170 cm, 65 kg, "
                                      "measured 2024-06-06")
    lines = lines_by_drug(form)
    assert lines["rituximab"][AMOUNT] == "656.25 mg × 1"
    # Starting after the new weight, the same course takes it (height kept from before).
    set_date(form.field("start_date"), "2025-09-03")
    assert form.body_label.text() == ("Doses use: BSA 1.54 m² — 170 cm measured 2024-06-06, "
                                      "50 kg measured 2025-09-03")
    assert lines_by_drug(form)["rituximab"][AMOUNT] == "577.5 mg × 1"
