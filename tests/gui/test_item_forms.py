"""Marrow, event and measurement forms: fill, save, see it listed and stored."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from clinical.record import EventType, MrdMethod
from gui.workspace import PatientWorkspace
from guitest_helpers import choose, click, open_section, row_of_item, row_texts, set_date, type_into
from storage.repository import SqliteStore

# Saved through the store: run on a SQLite file and on a server (issue 16).
BOTH_BACKENDS = True


def tab_to_next(qtbot: Any, widget: Any) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_marrow_result_shows_mrd_status_live_and_is_saved(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    form = workspace.marrow_form
    open_section(workspace, workspace.marrow)
    set_date(form.field("date"), "2025-09-15")
    type_into(qtbot, form.field("blasts_pct"), "1.5")
    type_into(qtbot, form.field("mrd_pct"), "0.005")
    choose(form.field("mrd_method").combo, "flow cytometry")
    assert form.mrd_label.text().startswith("<b>MRD negative</b>")
    type_into(qtbot, form.field("mrd_pct"), "0.2")
    assert form.mrd_label.text().startswith("<b>MRD positive</b>")
    type_into(qtbot, form.field("donor_chimerism_pct"), "99")
    type_into(qtbot, form.field("notes"), "day +115 marrow")

    with qtbot.waitSignal(form.saved, timeout=2000) as saved:
        click(qtbot, form.save_button)
    item = saved.args[0]
    stored = next(m for m in store.marrow.list(pid) if m.id == item.id)
    assert (stored.date.isoformat(), stored.blasts_pct, stored.mrd_pct, stored.mrd_method,
            stored.donor_chimerism_pct, stored.notes) == (
        "2025-09-15", 1.5, 0.2, MrdMethod.FLOW, 99, "day +115 marrow")
    assert form.status.text() == "Saved item of 2025-09-15."
    shown = row_texts(workspace.marrow.model, row_of_item(workspace.marrow.model, item.id))
    assert shown["MRD"] == "0.2%" and shown["MRD status"] == "positive"
    assert shown["Donor chimerism"] == "99%"


def test_marrow_percent_over_100_is_refused(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore) -> None:
    form = workspace.marrow_form
    open_section(workspace, workspace.marrow)
    before = store.counts()
    type_into(qtbot, form.field("blasts_pct"), "120")
    error = form._errors["blasts_pct"]
    assert error.isVisible() and "100 or less" in error.text()
    assert not form.save_button.isEnabled()
    form.save()
    assert store.counts() == before


@pytest.mark.parametrize("event, shown, hidden", [
    ("transfusion", ["Blood product"], ["Product", "Cells per kg", "Deauville score"]),
    ("CAR-T infusion", ["Product", "Cells per kg", "Donor"], ["Blood product", "Graft"]),
    ("PET-CT", ["Deauville score", "Response"], ["Blood product", "Product"]),
    ("relapse", [], ["Blood product", "Product", "Organism", "Lineage"]),
])
def test_event_form_shows_only_the_details_of_the_chosen_type(
        workspace: PatientWorkspace, event: str, shown: list[str], hidden: list[str]) -> None:
    form = workspace.event_form
    open_section(workspace, workspace.events)
    choose(form.field("type").combo, event)
    labels = {f.name: f for f in form._fields.values()}   # the words, not the mnemonic
    for name in shown:
        assert labels[name].isVisible(), name
        assert form.form.labelForField(labels[name].parentWidget()).isVisible(), name
    for name in hidden:
        assert not labels[name].isVisible(), name
        assert not form.form.labelForField(labels[name].parentWidget()).isVisible(), name
    # the always-present fields stay
    assert labels["Date"].isVisible() and labels["Notes"].isVisible()


def test_transfusion_event_is_saved_with_its_blood_product(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    form = workspace.event_form
    open_section(workspace, workspace.events)
    choose(form.field("type").combo, "transfusion")
    set_date(form.field("date"), "2025-07-01")
    assert not form.save_button.isEnabled()          # the product is required
    assert form._errors["details.product_blood"].isVisible()
    choose(form.field("details.product_blood").combo, "red cells")
    assert not form._errors["details.product_blood"].isVisible()
    type_into(qtbot, form.field("notes"), "2 units")

    with qtbot.waitSignal(workspace.bridge.record_changed, timeout=2000):
        click(qtbot, form.save_button)
    stored = [e for e in store.events.list(pid)
              if e.type is EventType.TRANSFUSION and e.date.isoformat() == "2025-07-01"]
    assert [(e.details, e.notes) for e in stored] == [({"product": "red_cells"}, "2 units")]
    assert form.status.text() == "Saved item of 2025-07-01."
    shown = row_texts(workspace.events.model, row_of_item(workspace.events.model, stored[0].id))
    assert shown["Event"] == "transfusion" and shown["Details"] == "product red cells"


def test_event_details_of_another_type_are_not_saved(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    form = workspace.event_form
    choose(form.field("type").combo, "CAR-T infusion")
    type_into(qtbot, form.field("details.product"), "tisa-cel")
    choose(form.field("type").combo, "relapse")      # the product field is now hidden
    set_date(form.field("date"), "2025-11-01")
    with qtbot.waitSignal(form.saved, timeout=2000) as saved:
        click(qtbot, form.save_button)
    stored = next(e for e in store.events.list(pid) if e.id == saved.args[0].id)
    assert stored.type is EventType.RELAPSE and stored.details == {}


def test_measurement_is_saved_and_the_bsa_column_follows(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore, pid: int) -> None:
    form = workspace.measurement_form
    open_section(workspace, workspace.measurements)
    assert not form.save_button.isEnabled()           # height or weight is needed
    set_date(form.field("date"), "2025-09-01")
    type_into(qtbot, form.field("height_cm"), "170")
    tab_to_next(qtbot, form.field("height_cm").edit)
    type_into(qtbot, form.field("weight_kg"), "58")
    with qtbot.waitSignal(form.saved, timeout=2000) as saved:
        click(qtbot, form.save_button)
    stored = next(m for m in store.measurements.list(pid) if m.id == saved.args[0].id)
    assert (stored.date.isoformat(), stored.height_cm, stored.weight_kg) == (
        "2025-09-01", 170, 58)
    assert form.status.text() == "Saved item of 2025-09-01."
    shown = row_texts(workspace.measurements.model,
                      row_of_item(workspace.measurements.model, stored.id))
    assert shown["Weight"] == "58 kg" and shown["BSA from here"] == "1.65 m²"


def test_measurement_weight_zero_is_refused(
        qtbot: Any, workspace: PatientWorkspace, store: SqliteStore) -> None:
    form = workspace.measurement_form
    before = store.counts()
    type_into(qtbot, form.field("weight_kg"), "0")
    assert form._errors["weight_kg"].isVisibleTo(form)
    assert not form.save_button.isEnabled()
    form.save()
    assert store.counts() == before
