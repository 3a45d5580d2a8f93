"""The patient workspace: header, then Overview, Courses, Toxicity, Marrow, Labs,
Events, Measurements and History. It reloads the patient whenever the bridge reports a change."""

from __future__ import annotations

import dataclasses
import operator
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

import lang
from clinical.derive import Derived, derive
from clinical.dosing import body_size, fmt
from clinical.record import AssessmentKind, LabTest, Record
from gui import keymap
from gui.bridge import StoreBridge
from gui.help import TOPIC
from gui.forms.course_form import CourseForm
from gui.forms.event_form import EventForm, event_name
from gui.forms.fields import DateField
from gui.forms.marrow_form import MarrowForm
from gui.forms.measurement_form import MeasurementForm
from gui.forms.patient_form import PatientDialog
from gui.history_view import GRID_FIELDS, HistoryView, Words
from gui.item_section import ItemSection
from gui.labs_grid import LabsGrid, test_name
from gui.models.item_table_model import Column
from gui.overview import Overview
from gui.patient_header import PatientHeader
from gui.toxicity_section import ToxicitySection, kind_name
from storage.sql import ConnectionLost


# Course categories as the reader's language names them (the record keeps the codes).
CATEGORY_NAMES = {
    "chemotherapy": QT_TRANSLATE_NOOP("PatientWorkspace", "chemotherapy"),
    "lymphodepletion": QT_TRANSLATE_NOOP("PatientWorkspace", "lymphodepletion"),
    "conditioning": QT_TRANSLATE_NOOP("PatientWorkspace", "conditioning"),
    "gvhd_prophylaxis": QT_TRANSLATE_NOOP("PatientWorkspace", "gvhd prophylaxis"),
    "cellular_therapy": QT_TRANSLATE_NOOP("PatientWorkspace", "cellular therapy"),
    "targeted": QT_TRANSLATE_NOOP("PatientWorkspace", "targeted"),
    "supportive": QT_TRANSLATE_NOOP("PatientWorkspace", "supportive"),
    "other": QT_TRANSLATE_NOOP("PatientWorkspace", "other"),
}


# An event's details as the Events table shows them: the keys and the coded values are
# the record format's (English); typed values are shown as typed.
DETAIL_NAMES = {
    "product": QT_TRANSLATE_NOOP("PatientWorkspace", "product"),
    "cells_per_kg": QT_TRANSLATE_NOOP("PatientWorkspace", "cells per kg"),
    "donor": QT_TRANSLATE_NOOP("PatientWorkspace", "donor"),
    "donor_relation": QT_TRANSLATE_NOOP("PatientWorkspace", "donor relation"),
    "hla_match": QT_TRANSLATE_NOOP("PatientWorkspace", "hla match"),
    "graft": QT_TRANSLATE_NOOP("PatientWorkspace", "graft"),
    "conditioning_intensity": QT_TRANSLATE_NOOP("PatientWorkspace", "conditioning intensity"),
    "deauville": QT_TRANSLATE_NOOP("PatientWorkspace", "deauville"),
    "response": QT_TRANSLATE_NOOP("PatientWorkspace", "response"),
    "organism": QT_TRANSLATE_NOOP("PatientWorkspace", "organism"),
    "site": QT_TRANSLATE_NOOP("PatientWorkspace", "site"),
    "lineage": QT_TRANSLATE_NOOP("PatientWorkspace", "lineage"),
}
DETAIL_VALUES = {
    "platelets": QT_TRANSLATE_NOOP("PatientWorkspace", "platelets"),
    "red_cells": QT_TRANSLATE_NOOP("PatientWorkspace", "red cells"),
    "plasma": QT_TRANSLATE_NOOP("PatientWorkspace", "plasma"),
    "granulocytes": QT_TRANSLATE_NOOP("PatientWorkspace", "granulocytes"),
    "haploidentical": QT_TRANSLATE_NOOP("PatientWorkspace", "haploidentical"),
    "matched_sibling": QT_TRANSLATE_NOOP("PatientWorkspace", "matched sibling"),
    "matched_unrelated": QT_TRANSLATE_NOOP("PatientWorkspace", "matched unrelated"),
    "cord": QT_TRANSLATE_NOOP("PatientWorkspace", "cord blood"),
    "neutrophil": QT_TRANSLATE_NOOP("PatientWorkspace", "neutrophil"),
    "platelet": QT_TRANSLATE_NOOP("PatientWorkspace", "platelet"),
}


def details_text(details: dict[str, Any]) -> str:
    """'hla match 10/10, graft haploidentical' in the window's language."""
    def word(table: dict[str, str], key: Any, fallback: str) -> str:
        english = table.get(key) if isinstance(key, str) else None
        return QCoreApplication.translate("PatientWorkspace", english) if english else fallback

    sep = lang.separators(lang.current())["comma"]
    return sep.join(f"{word(DETAIL_NAMES, k, k.replace('_', ' '))} {word(DETAIL_VALUES, v, str(v))}"
                    for k, v in details.items())


def category_name(value: str) -> str:
    english = CATEGORY_NAMES.get(value)
    return (QCoreApplication.translate("PatientWorkspace", english) if english
            else value.replace("_", " "))


def _shown_title(form: Any) -> str:
    """A form's title in the window's language (its ``title`` is the English)."""
    shown = getattr(form, "shown_title", None)
    return shown() if callable(shown) else form.title


def _num(value: Any, suffix: str = "") -> str:
    return "" if value is None else f"{fmt(value)}{suffix}"


_LAB_ID = operator.attrgetter("id")


def _newest_first(items: Any) -> list[Any]:
    return sorted(items, key=lambda i: (i.date, i.id or 0), reverse=True)


class PatientWorkspace(QWidget):
    """Everything about one patient; ``record`` and ``derived`` are its current state."""

    record_shown = Signal(object)   # Record, after every (re)load

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.patient_id: int | None = None
        self.record: Record | None = None
        self._in_memory: Record | None = None   # the record with a just-saved lab applied
        self._labs_owed = False   # a reload left the labs grid alone: it held unsaved input
        self._anchored: tuple[dict[Any, Any], int] | None = None   # what the dates show
        self.derived: Derived | None = None
        self.header = PatientHeader()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Patient sections"))
        self.overview = Overview()
        self.course_form = CourseForm(bridge)
        self.courses = ItemSection(bridge, "courses", [
            Column(self.tr("Start"), lambda c: self._course_start(c)),
            Column(self.tr("Course"), lambda c: c.name),
            Column(self.tr("Category"), lambda c: category_name(c.category.value)),
            Column(self.tr("Drugs"), lambda c: ", ".join(dict.fromkeys(d.drug for d in c.drugs))),
            Column(self.tr("Warnings"), lambda c: self._course_warnings(c)),
        ], self.course_form, name="course")
        self.toxicity = ToxicitySection(bridge)
        self.marrow_form = MarrowForm(bridge)
        self.marrow = ItemSection(bridge, "marrow", [
            Column(self.tr("Date"), lambda m: m.date.isoformat()),
            Column(self.tr("Blasts"), lambda m: _num(m.blasts_pct, "%"), align_right=True),
            Column(self.tr("MRD"), lambda m: _num(m.mrd_pct, "%"), align_right=True),
            Column(self.tr("MRD status"), lambda m: self._mrd_text(m)),
            Column(self.tr("Donor chimerism"), lambda m: _num(m.donor_chimerism_pct, "%"),
                   align_right=True),
            Column(self.tr("Chimerism"), lambda m: self._chimerism(m)[0],
                   tooltip=lambda m: self._chimerism(m)[1]),
            Column(self.tr("Notes"), lambda m: m.notes or ""),
        ], self.marrow_form, name="marrow result")
        self.labs = LabsGrid(bridge)
        self.event_form = EventForm(bridge)
        self.events = ItemSection(bridge, "events", [
            Column(self.tr("Date"), lambda e: e.date.isoformat()),
            Column(self.tr("Event"), lambda e: event_name(e.type.value)),
            Column(self.tr("Details"), lambda e: details_text(e.details)),
            Column(self.tr("Notes"), lambda e: e.notes or ""),
        ], self.event_form, name="event")
        self.measurement_form = MeasurementForm(bridge)
        self.measurements = ItemSection(bridge, "measurements", [
            Column(self.tr("Date"), lambda m: m.date.isoformat()),
            Column(self.tr("Height"), lambda m: _num(m.height_cm, " cm"), align_right=True),
            Column(self.tr("Weight"), lambda m: _num(m.weight_kg, " kg"), align_right=True),
            Column(self.tr("BSA from here"), lambda m: self._bsa_at(m)),
        ], self.measurement_form, name="measurement")
        self.history = HistoryView(bridge)
        self.history.words = self._history_words()
        for number, (widget, name) in enumerate((
                (self.overview, "overview"), (self.courses, "courses"),
                (self.toxicity, "toxicity"), (self.marrow, "marrow"), (self.labs, "labs"),
                (self.events, "events"), (self.measurements, "measurements"),
                (self.history, "history")), start=1):
            index = self.tabs.addTab(widget, keymap.label(f"tabs.{name}"))
            key = keymap.shortcut_text(f"tabs.go_{number}")
            tip = (self.tr("{key} ({key} again: the next form); {previous} and {next} step through")
                   if name == "toxicity" else
                   self.tr("{key}; {previous} and {next} step through"))
            self.tabs.setTabToolTip(index, tip.format(
                key=key, previous=keymap.shortcut_text("tabs.previous"),
                next=keymap.shortcut_text("tabs.next")))
        self._label_labs_buttons()
        # F1: the user guide's section for each screen (the toxicity forms name theirs)
        # (marrow, events and measurements have no section of their own: the top)
        for widget, topic in ((self.courses, "course"), (self.labs, "labs"),
                              (self.history, "history")):
            widget.setProperty(TOPIC, topic)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.bridge.item_saved.connect(self._on_item_saved)
        self.bridge.item_voided.connect(self._on_item_voided)
        self.bridge.record_changed.connect(self._on_record_changed)
        self.bridge.patient_saved.connect(self._on_patient_saved)
        self.bridge.remote_changed.connect(self._on_remote_change)
        # Checked once the event that saved or edited is over (an editor closing).
        for signal in (self.labs.row_saved, self.labs.table.itemDelegate().closeEditor,
                       self.labs.table.itemChanged):
            signal.connect(lambda *_a: QTimer.singleShot(0, self, self._settle_labs))
        self.header.date_changed.connect(lambda _d: self.reload())
        self.tabs.currentChanged.connect(lambda _i: self.focus_current())
        self.toxicity.tabs.currentChanged.connect(self._on_toxicity_tab_changed)

    def _label_labs_buttons(self) -> None:
        """The labs grid's buttons take their Alt+letters from the keyboard map (its own
        "&New row" and "Save &changed rows" clashed with New patient and Courses)."""
        names = {"New lab row": "labs.new_row", "Save changed lab rows": "labs.save_rows"}
        # the grid may name them in the window's language (its own context)
        names |= {QCoreApplication.translate("LabsGrid", english): key
                  for english, key in list(names.items())}
        for button in self.labs.findChildren(QPushButton):
            key = names.get(button.accessibleName())
            if key == "labs.save_rows":   # Ctrl+S saves them too (save_current)
                button.setText(keymap.with_shortcut(keymap.label(key), "form.save"))
            elif key is not None:
                button.setText(keymap.label(key))

    # --- the keyboard: focus follows the task --------------------------------------------
    def current_form(self) -> Any:
        """The form in view (what Ctrl+S saves), or None on Overview, Labs and History."""
        section = self.tabs.currentWidget()
        if section is self.toxicity:
            return self.toxicity.current_form()
        return {self.courses: self.course_form, self.marrow: self.marrow_form,
                self.events: self.event_form,
                self.measurements: self.measurement_form}.get(section)

    def focus_current(self) -> None:
        """The cursor goes where the section's work starts: its form's first field, the
        labs grid, the Overview filter, the History table."""
        section = self.tabs.currentWidget()
        form = self.current_form()
        if form is not None:
            form.focus_first()
        elif section is self.labs:
            self.focus_labs_grid()
        elif section is self.overview:
            self.overview.filter.setFocus(Qt.FocusReason.OtherFocusReason)
        elif section is self.history:
            self.history.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def section_key_again(self) -> None:
        """The section's Ctrl+number pressed while it is open: back to its form's first
        field; in Toxicity, from inside a form, on to the next form (CRS, ICANS, aGVHD,
        cGVHD, then CRS again), so each assessment is one key away."""
        if self.tabs.currentWidget() is self.toxicity:
            form = self.toxicity.current_form()
            focus = QApplication.focusWidget()
            if focus is not None and form.isAncestorOf(focus):
                tabs = self.toxicity.tabs
                tabs.setCurrentIndex((tabs.currentIndex() + 1) % tabs.count())
                return   # the tab change puts the cursor in the form's first field
        self.focus_current()

    def _on_toxicity_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.toxicity:
            self.focus_current()

    def focus_labs_grid(self) -> None:
        """Ctrl+G: the Labs section, the cursor in its grid."""
        if self.tabs.currentWidget() is not self.labs:
            self.tabs.setCurrentWidget(self.labs)   # focus_current lands in the grid
            return
        if hasattr(self.labs, "focus_grid"):
            self.labs.focus_grid()
        else:   # an older LabsGrid
            self.labs.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step_section(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def save_current(self) -> None:
        """Ctrl+S: save the form in view (the labs grid: its changed rows)."""
        form = self.current_form()
        if form is not None:
            form.save()
        elif self.tabs.currentWidget() is self.labs:
            self.labs.save_changed_rows()

    def _history_words(self) -> Words:
        """How the forms name fields and values, for History (in the reader's language)."""
        words = Words()
        for form in self.item_forms():
            words.add_form(form.kind, form.fields())
        for table, labels in GRID_FIELDS.items():
            words.add_labels(table, labels)
        names, values = PatientDialog.words()       # the details, corrected in a dialog
        words.add_names("patients", names)
        for key, shown in values.items():
            words.add_values("patients", key, shown)
        words.add_values("assessments", "kind", {k.value: kind_name(k.value) for k in AssessmentKind})
        words.add_values("labs", "test", {t.value: test_name(t) for t in LabTest})
        return words

    # --- loading ------------------------------------------------------------------------
    def item_forms(self) -> list[Any]:
        return [self.course_form, self.marrow_form, self.event_form, self.measurement_form,
                *self.toxicity.forms.values()]

    def open_patient(self, patient_id: int | None) -> bool:
        """Show this patient; False (the open patient stays) when the database cannot be
        reached: the record is read before anything is switched."""
        record = None
        if patient_id is not None:
            try:
                record = self.bridge.load_record(patient_id)
            except ConnectionLost:   # announced by the bridge (the window's banner)
                return False
        self.patient_id = patient_id
        self._labs_owed = False
        for form in self.item_forms():
            form.set_patient(patient_id)
        self.history.show_patient(patient_id)
        if record is None:
            self.reload()
        else:
            self.setEnabled(True)
            self._show(record)
        return True

    def reload(self) -> None:
        """The open patient read anew. While the database cannot be reached the last
        state read stays shown (saves are refused by the store meanwhile)."""
        if self.patient_id is None:
            self.record = self.derived = None
            self.header.show_record(None, None)
            self.setEnabled(False)
            return
        self.setEnabled(True)
        try:
            record = self.bridge.load_record(self.patient_id)
        except ConnectionLost:   # announced by the bridge (the window's banner)
            return
        self._show(record)

    def _labs_busy(self) -> bool:
        """The labs grid holds input not saved yet (a row typed, a cell being edited):
        rebuilding it now would move the cursor and close the editor."""
        return self.labs.is_dirty() or (
            self.labs.table.state() == QAbstractItemView.State.EditingState)

    def _settle_labs(self, *_args: object) -> None:
        """Show the saved labs a reload held back, once the grid's input is saved or
        discarded (checked after each edit closes and each row saved)."""
        if self._labs_owed and not self._labs_busy() and self.record is not None:
            self._labs_owed = False
            self.labs.set_labs(self.patient_id, list(self.record.labs))

    def _show(self, record: Record) -> None:
        """Every view from one record (derived once here for all of them). Forms keep
        what is typed in them; a labs grid with unsaved input is left as it is and
        filled anew once that input is saved or discarded."""
        previous = None if self.record is None or self.derived is None else \
            (self.record, self.derived)
        derived = derive(record, as_of=self.header.as_of(), previous=previous)
        self.record, self.derived = record, derived
        self.header.show_record(record, derived)
        self.overview.show_record(record, derived)
        pid = self.patient_id
        self.courses.set_items(pid, sorted(record.courses, key=self._course_sort, reverse=True))
        self.course_form.set_record(record)
        self.toxicity.show_record(pid, record, derived)
        self.marrow.set_items(pid, _newest_first(record.marrow))
        if self.labs.saving:
            pass   # a row being saved here: the grid refreshes itself once it is written
        elif pid == self.labs.patient_id and self._labs_busy():
            self._labs_owed = True
        else:
            self._labs_owed = False
            self.labs.set_labs(pid, list(record.labs))
        self.events.set_items(pid, _newest_first(record.events))
        self.measurements.set_items(pid, _newest_first(record.measurements))
        self._anchor_date_fields(derived)
        self.record_shown.emit(record)

    def _anchor_date_fields(self, derived: Derived) -> None:
        """Every date field shows the CAR-T and HSCT day its date is, for this patient."""
        key = (dict(derived.anchors), DateField.made)
        if self._anchored == key:
            return   # the same days, no date field made since (a lab saved): nothing to redo
        self._anchored = key
        for field in self.findChildren(DateField):
            field.set_anchors(derived.anchors)

    # A saved lab is applied to the record in memory: a patient with years of daily
    # counts is not read back from the database after every value typed.
    def _on_item_saved(self, kind: str, patient_id: int, item: Any) -> None:
        if kind == "labs" and patient_id == self.patient_id and self.record is not None:
            labs = self.record.labs
            if item.id in map(_LAB_ID, labs):   # a correction (thousands of labs: at C speed)
                labs = tuple(item if lab.id == item.id else lab for lab in labs)
            else:
                labs = (*labs, item)
            self._in_memory = dataclasses.replace(self.record, labs=labs)

    def _on_item_voided(self, kind: str, patient_id: int, item_id: int) -> None:
        if kind == "labs" and patient_id == self.patient_id and self.record is not None:
            self._in_memory = dataclasses.replace(
                self.record, labs=tuple(lab for lab in self.record.labs if lab.id != item_id))

    def _on_record_changed(self, patient_id: int) -> None:
        if patient_id != self.patient_id:
            return
        record, self._in_memory = self._in_memory, None
        if record is not None:
            self._show(record)
        else:
            self.reload()

    def _on_patient_saved(self, patient: Any) -> None:
        if patient.id == self.patient_id:
            self.reload()

    def _on_remote_change(self, change: Any) -> None:
        """Another workstation's change. Its patients came as record_changed already;
        a resync (the feed was interrupted: anything may have changed) reloads."""
        if change.resync and self.patient_id is not None:
            self._in_memory = None
            self.reload()

    # --- column helpers -------------------------------------------------------------------
    def _course_calcs(self, course: Any) -> list[Any]:
        if self.record is None or self.derived is None:
            return []
        for c, calcs in zip(self.record.courses, self.derived.doses):
            if c.id == course.id:
                return calcs
        return []

    def _course_start(self, course: Any) -> str:
        dates = [d for calc in self._course_calcs(course) if calc.dates for d in calc.dates]
        return min(dates).isoformat() if dates else (
            course.start_date.isoformat() if course.start_date else "—")

    def _course_sort(self, course: Any) -> Any:
        return self._course_start(course)

    def _course_warnings(self, course: Any) -> str:
        return "; ".join(lang.render(w) for calc in self._course_calcs(course)
                         for w in calc.warnings)

    def _mrd_text(self, marrow: Any) -> str:
        if self.record is None or self.derived is None or marrow.mrd_pct is None:
            return ""
        for m, grade in zip(self.record.marrow, self.derived.mrd):
            if m.id == marrow.id:
                return {True: self.tr("negative"), False: self.tr("positive"),
                        None: self.tr("not evaluable")}[grade.value]
        return ""

    def _chimerism(self, marrow: Any) -> tuple[str, str]:
        """(category as shown, why) for a marrow result's donor chimerism."""
        if self.record is None or self.derived is None or marrow.donor_chimerism_pct is None:
            return "", ""
        for i, m in enumerate(self.record.marrow):
            if m.id == marrow.id:
                grade = self.derived.chimerism[i]
                category, flags = self.derived.chimerism_doc(i)
                if grade is None or category is None:
                    return "", ""
                shown = lang.render(category)
                text = (self.tr("{category} (boundary)").format(category=shown)
                        if "chimerism_boundary" in flags else shown)
                return text, "\n".join(lang.render(line) for line in [grade.reason, *grade.flags])
        return "", ""

    def _bsa_at(self, m: Any) -> str:
        if self.record is None:
            return ""
        body = body_size(self.record.measurements, m.date)
        return f"{fmt(body.bsa_m2)} m²" if body.bsa_m2 is not None else ""

    # --- unsaved input -----------------------------------------------------------------------
    def unsaved(self) -> list[str]:
        """Names of the forms holding unsaved input."""
        names = [_shown_title(f) for f in (self.course_form, self.marrow_form, self.event_form,
                                           self.measurement_form) if f.is_dirty()]
        names += self.toxicity.dirty_forms()
        if self.labs.is_dirty():
            names.append(self.tr("Labs"))
        return names
