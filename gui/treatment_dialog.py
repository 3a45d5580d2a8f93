"""Record the treatment given for CRS or ICANS in one step.

The clinician picks a date and the CRS or ICANS treatment template; each drug
line (dose and days editable, or untick it) is dosed live for this patient from
the course's one measurement basis, with the cap warnings in words. Save
stores ONE supportive course (day 1 = that date) through the bridge like any
course, so it is audited and counted in Courses, the Overview and the registry
roll-up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QGridLayout,
    QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

import lang
from clinical.days import anchors
from clinical.dosing import DoseCalculation, compute_doses, fmt
from clinical.errors import HemalogError
from clinical.record import Course, CourseCategory, DayReference, DrugLine, Record
from clinical.record_schema import parse_item
from clinical.regimens import RegimenTemplate
from clinical.rollups import CRS_WINDOW_DAYS, ICANS_WINDOW_DAYS, infusion_episodes
from clinical.schema import Problem
from gui.bridge import StoreBridge
from gui.forms.course_form import format_days, parse_days
from gui.forms.fields import DateField, TextField, _number_or_text
from gui.forms.item_form import ERROR_STYLE, error_words, plain_words
from storage.templates import load_templates

CRS_TEMPLATE = "CRS treatment"
ICANS_TEMPLATE = "ICANS treatment"
TEMPLATE_NAMES = (CRS_TEMPLATE, ICANS_TEMPLATE)
# The shipped templates' names as the dialog lists them (the course keeps the English).
_SHOWN_NAMES = {CRS_TEMPLATE: QT_TRANSLATE_NOOP("TreatmentDialog", "CRS treatment"),
                ICANS_TEMPLATE: QT_TRANSLATE_NOOP("TreatmentDialog", "ICANS treatment")}
WARNING_STYLE = ("background: #fff4ce; color: #5c3c00; border: 1px solid #c88a00;"
                 " border-radius: 3px; padding: 3px; font-weight: bold;")
NOTE_STYLE = "color: #555;"
_LINE_PATH = re.compile(r"^drugs\[(\d+)\]\.?(.*)$")


def treatment_templates() -> list[RegimenTemplate]:
    """The shipped CRS and ICANS treatment templates, in that order."""
    templates, _problems = load_templates()
    shipped = {t.name: t for t in templates if not t.user_made}
    return [shipped[name] for name in TEMPLATE_NAMES if name in shipped]


def _tr(text: str) -> str:
    return QCoreApplication.translate("TreatmentDialog", text)


def _per_day(n: int) -> str:
    if n == 1:
        return QCoreApplication.translate("TreatmentDialog", "once a day")
    if 24 % n == 0:
        return QCoreApplication.translate("TreatmentDialog", "{n} a day (every {hours} h)").format(n=n, hours=24 // n)
    return QCoreApplication.translate("TreatmentDialog", "{n} a day").format(n=n)


def _given(calc: DoseCalculation) -> str:
    n = calc.administrations
    doses = QCoreApplication.translate("TreatmentDialog", "1 dose") if n == 1 else QCoreApplication.translate("TreatmentDialog", "{n} doses").format(n=n)
    if not calc.dates:
        return doses
    span = (calc.dates[0].isoformat() if len(calc.dates) == 1
            else f"{calc.dates[0].isoformat()} … {calc.dates[-1].isoformat()}")
    return f"{doses}: {span}"


class DrugRow:
    """One drug line of the template: tick to give, dose and days editable, result beside."""

    def __init__(self, line: DrugLine) -> None:
        self.line = line
        drug = line.drug
        self.give = QCheckBox(drug)
        self.give.setChecked(True)
        self.give.setAccessibleName(QCoreApplication.translate("TreatmentDialog", "Give {drug}").format(drug=drug))
        self.dose = QLineEdit(fmt(line.dose))
        self.dose.setAccessibleName(QCoreApplication.translate("TreatmentDialog", "{drug} dose ({unit})").format(drug=drug,
                                                                      unit=line.unit.value))
        self.dose.setMaximumWidth(70)
        self.unit = QLabel(line.unit.value)
        self.days = QLineEdit(format_days(line.days))
        self.days.setAccessibleName(QCoreApplication.translate("TreatmentDialog", "{drug} days (day 1 = the treatment date)").format(
            drug=drug))
        self.days.setToolTip(QCoreApplication.translate("TreatmentDialog", "Days counted from the treatment date (day 1), e.g. 1 or 1-3"))
        self.days.setMaximumWidth(70)
        route = line.route or QCoreApplication.translate("TreatmentDialog", "route —")
        self.per_day = QLabel(f"{_per_day(line.doses_per_day)}, {route}")
        self.amount = QLabel()
        self.amount.setAccessibleName(QCoreApplication.translate("TreatmentDialog", "{drug} amount per dose").format(drug=drug))
        font = self.amount.font()
        font.setBold(True)
        self.amount.setFont(font)
        self.given = QLabel()
        self.given.setAccessibleName(QCoreApplication.translate("TreatmentDialog", "{drug} doses and dates").format(drug=drug))
        self.basis = QLabel()
        self.basis.setAccessibleName(QCoreApplication.translate("TreatmentDialog", "{drug}: how the amount is worked out").format(drug=drug))
        self.warning = QLabel()
        self.warning.setAccessibleName(QCoreApplication.translate("TreatmentDialog", "{drug} warning").format(drug=drug))
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.setVisible(False)
        self.problem = QLabel()
        self.problem.setAccessibleName(QCoreApplication.translate("TreatmentDialog", "{drug} problem").format(drug=drug))
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setVisible(False)
        self.give.toggled.connect(self._on_give)

    @property
    def drug(self) -> str:
        return self.line.drug

    def is_given(self) -> bool:
        return self.give.isChecked()

    def _on_give(self, on: bool) -> None:
        self.dose.setEnabled(on)
        self.days.setEnabled(on)

    def doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"drug": self.line.drug, "dose": _number_or_text(self.dose.text()),
                               "unit": self.line.unit.value,
                               "days": parse_days(self.days.text()),
                               "doses_per_day": self.line.doses_per_day,
                               "route": self.line.route}
        return {k: v for k, v in doc.items() if v is not None}

    def show(self, calc: DoseCalculation | None, problems: Sequence[str]) -> None:
        if not self.is_given():
            self.amount.setText(QCoreApplication.translate("TreatmentDialog", "not given"))
            self.given.setText("")
            self.basis.setText("")
        elif calc is None:
            self.amount.setText("—")
            self.given.setText("")
            self.basis.setText("")
        else:
            self.amount.setText("—" if calc.amount is None
                                else f"{fmt(calc.amount)} {calc.unit}"
                                + (" ⚠" if calc.warnings else ""))
            self.given.setText(_given(calc))
            self.basis.setText(lang.render(calc.basis))
        warnings = calc.warnings if calc is not None and self.is_given() else ()
        self.warning.setText("\n".join(QCoreApplication.translate("TreatmentDialog", "⚠ Warning — {drug}: {warning}").format(
            drug=self.drug, warning=lang.render(w)) for w in warnings))
        self.warning.setVisible(bool(warnings))
        self.problem.setText("\n".join(problems))
        self.problem.setVisible(bool(problems))


class TreatmentDialog(QDialog):
    """CRS or ICANS treatment on one date, saved as one supportive course."""

    HEADERS = (QT_TRANSLATE_NOOP("TreatmentDialog", "Give"),
               QT_TRANSLATE_NOOP("TreatmentDialog", "Dose"), "",
               QT_TRANSLATE_NOOP("TreatmentDialog", "Days"),
               QT_TRANSLATE_NOOP("TreatmentDialog", "How often, route"),
               QT_TRANSLATE_NOOP("TreatmentDialog", "Amount per dose"),
               QT_TRANSLATE_NOOP("TreatmentDialog", "Doses and dates"),
               QT_TRANSLATE_NOOP("TreatmentDialog", "Worked out as"))

    def __init__(self, bridge: StoreBridge, patient_id: int, record: Record, *,
                 start: date | None = None, template: str = CRS_TEMPLATE,
                 start_from: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.patient_id = patient_id
        self.record = record
        self.course: Course | None = None         # the course Save would store (None: invalid)
        self.saved_course: Course | None = None   # set once saved
        self.rows: list[DrugRow] = []
        self.templates = treatment_templates()
        self.setWindowTitle(self.tr("Record CRS/ICANS treatment"))
        self.setAccessibleName(self.tr("Record CRS or ICANS treatment"))

        self.date_field = DateField("start_date", self.tr("Treatment &date"))
        self.date_field.set_value(start or date.today())
        self.date_field.set_anchors(anchors(record.events))
        self.date_from = QLabel(self.tr("· from {source}").format(source=start_from)
                                if start_from else "")
        self.date_from.setStyleSheet(NOTE_STYLE)
        self.date_error = QLabel()
        self.date_error.setAccessibleName(self.tr("Treatment date problem"))
        self.date_error.setStyleSheet(ERROR_STYLE)
        self.date_error.setVisible(False)
        self.template_combo = QComboBox()
        self.template_combo.setAccessibleName(self.tr("Treatment template"))
        for t in self.templates:
            self.template_combo.addItem(_tr(_SHOWN_NAMES.get(t.name, t.name)), t)
        self.template_combo.setCurrentIndex(max(
            (i for i, t in enumerate(self.templates) if t.name == template), default=0))
        self.template_notes = QLabel()
        self.template_notes.setWordWrap(True)
        self.template_notes.setStyleSheet(NOTE_STYLE)
        self.template_notes.setAccessibleName(self.tr("Template notes"))
        self.notes = TextField("notes", self.tr("N&otes"), placeholder=self.tr(
            "optional, e.g. grade 3 CRS, second tocilizumab dose due"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        date_box = QWidget()
        date_layout = QVBoxLayout(date_box)
        date_layout.setContentsMargins(0, 0, 0, 0)
        date_layout.setSpacing(0)
        date_row = QHBoxLayout()
        date_row.setSpacing(8)
        date_row.addWidget(self.date_field)
        date_row.addWidget(self.date_from, 1)
        date_layout.addLayout(date_row)
        date_layout.addWidget(self.date_error)
        date_label = QLabel(self.date_field.label)
        date_label.setBuddy(self.date_field.edit)
        form.addRow(date_label, date_box)
        template_label = QLabel(self.tr("&Treatment"))
        template_label.setBuddy(self.template_combo)
        template_box = QVBoxLayout()
        template_box.setSpacing(2)
        combo_row = QHBoxLayout()
        combo_row.addWidget(self.template_combo)
        combo_row.addStretch(1)
        template_box.addLayout(combo_row)
        template_box.addWidget(self.template_notes)
        form.addRow(template_label, template_box)

        self.window_note = QLabel()
        self.window_note.setWordWrap(True)
        self.window_note.setAccessibleName(self.tr("CAR-T day and roll-up window"))
        self.window_note.setStyleSheet(NOTE_STYLE)
        self.body_label = QLabel()
        self.body_label.setWordWrap(True)
        self.body_label.setAccessibleName(self.tr("Body size used"))
        self.lines_frame = QFrame()
        self.lines_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.lines_frame.setAccessibleName(self.tr("Drug lines"))
        self.grid = QGridLayout(self.lines_frame)
        self.grid.setHorizontalSpacing(12)
        self.problems = QLabel()
        self.problems.setAccessibleName(self.tr("Problems"))
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        notes_form = QFormLayout()
        notes_label = QLabel(self.notes.label)
        notes_label.setBuddy(self.notes.edit)
        notes_form.addRow(notes_label, self.notes)

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("&Save course"))
        self.save_button.setAccessibleName(self.tr("Save the treatment course"))
        self.save_button.setDefault(True)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(self.tr("Save one supportive course (Enter or Ctrl+S)"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel: close without saving"))
        self.cancel_button.setToolTip(self.tr("Close without saving (Esc)"))
        self.cancel_button.setAutoDefault(False)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.window_note)
        layout.addWidget(self.body_label)
        layout.addWidget(self.lines_frame)
        layout.addLayout(notes_form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.date_field.changed.connect(self.refresh)
        self.notes.changed.connect(self.refresh)
        self.template_combo.currentIndexChanged.connect(self._template_changed)
        self._template_changed()
        hint = self.sizeHint()   # wide enough that the lines do not jump as results change
        self.resize(max(hint.width(), 940), hint.height())
        self.date_field.edit.setFocus()
        self.date_field.edit.selectAll()

    # --- the template and its rows -----------------------------------------------------------
    def template(self) -> RegimenTemplate | None:
        return self.template_combo.currentData()

    def row(self, drug: str) -> DrugRow:
        return next(r for r in self.rows if r.drug == drug)

    def _template_changed(self) -> None:
        while self.grid.count():  # the headers and every row's widgets
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows = []
        template = self.template()
        for col, text in enumerate(self.HEADERS):
            header = QLabel(f"<b>{_tr(text)}</b>" if text else "")
            self.grid.addWidget(header, 0, col)
        if template is None:
            self.template_notes.setText("")
            self.refresh()
            return
        self.template_notes.setText(self.tr("{notes} Here: untick a drug not given; a repeat dose or another drug is added afterwards by correcting the course in Courses.").format(  # noqa: E501
            notes=template.course.notes or ""))
        self.template_notes.setToolTip(self.tr("Source: {source}").format(source=template.source))
        for i, line in enumerate(template.course.drugs):
            r = DrugRow(line)
            base = 1 + 3 * i
            for col, w in enumerate((r.give, r.dose, r.unit, r.days, r.per_day, r.amount,
                                     r.given, r.basis)):
                self.grid.addWidget(w, base, col)
            self.grid.addWidget(r.warning, base + 1, 0, 1, len(self.HEADERS))
            self.grid.addWidget(r.problem, base + 2, 0, 1, len(self.HEADERS))
            for signal in (r.give.toggled, r.dose.textChanged, r.days.textChanged):
                signal.connect(self.refresh)
            self.rows.append(r)
        self.grid.setColumnStretch(len(self.HEADERS) - 1, 1)
        self._set_tab_order()
        self.refresh()

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.date_field.edit, self.template_combo]
        for r in self.rows:
            chain += [r.give, r.dose, r.days]
        chain += [self.notes.edit, self.save_button, self.cancel_button]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    # --- the course and its doses ----------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        template = self.template()
        doc: dict[str, Any] = {
            "name": template.name if template else "",
            "category": CourseCategory.SUPPORTIVE.value,
            "day_reference": DayReference.COURSE_START.value,
            "start_date": self.date_field.value(),
            "drugs": [r.doc() for r in self.rows if r.is_given()]}
        if self.notes.value():
            doc["notes"] = self.notes.value()
        return doc

    def refresh(self) -> None:
        given = [r for r in self.rows if r.is_given()]
        course, problems = parse_item("courses", self.document())
        self.course = course if isinstance(course, Course) else None
        per_row: dict[int, list[str]] = {}
        general: list[str] = []
        date_problems: list[str] = []
        for p in problems:
            self._place(p, given, per_row, general, date_problems)
        if self.template() is None:
            general.append(self.tr("The CRS and ICANS treatment templates are missing (resources/regimens): enter the course in Courses."))  # noqa: E501
        self.date_error.setText("\n".join(date_problems))
        self.date_error.setVisible(bool(date_problems))
        # The complete lines are dosed even while another line still has a problem.
        complete = [r for i, r in enumerate(given) if i not in per_row]
        dosed = self.course
        if dosed is None and complete and not date_problems and self.template() is not None:
            doc = {**self.document(), "drugs": [r.doc() for r in complete]}
            partial, _ = parse_item("courses", doc)
            dosed = partial if isinstance(partial, Course) else None
        calcs: list[DoseCalculation] = []
        if dosed is not None:
            calcs = compute_doses([*self.record.courses, dosed], self.record.measurements,
                                  self.record.events)[-1]
        by_row = dict(zip((id(r) for r in (given if dosed is self.course else complete)),
                          calcs))
        for i, r in enumerate(given):
            r.show(by_row.get(id(r)), per_row.get(i, []))
        for r in self.rows:
            if not r.is_given():
                r.show(None, [])
        self.body_label.setText(self.tr("Doses use: {body}").format(
            body=lang.render(calcs[0].body.describe()) if calcs else
            self.tr("— (doses appear when the date and a drug line are complete)")))
        self.window_note.setText(self._context_note())
        self.problems.setText("\n".join(general))
        self.problems.setVisible(bool(general))
        self.save_button.setEnabled(self.course is not None)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # after the layout took the new sizes
            self._fit()
        return handled

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Grow to show a warning or a problem that appeared: wrapped labels give their
        height only for a width, so Qt does not enlarge the dialog for them by itself."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        need = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                else layout.totalMinimumSize().height())
        if need > self.height():
            self.resize(self.width(), need)

    def _place(self, p: Problem, given: Sequence[DrugRow], per_row: dict[int, list[str]],
               general: list[str], date_problems: list[str]) -> None:
        """A validator problem -> words beside the field it is about."""
        words = plain_words(p.message)
        if p.path == "start_date":
            date_problems.append(self.tr("Treatment date {problem}").format(problem=words).replace(
                "must be a date written YYYY-MM-DD", "must be a date written like 2025-04-12"))
            return
        if p.path == "drugs":
            general.append(self.tr("Tick at least one drug to give."))
            return
        match = _LINE_PATH.match(p.path)
        if match and int(match.group(1)) < len(given):
            row = given[int(match.group(1))]
            field = match.group(2).split(".")[0].split("[")[0]
            if field == "days" and p.path.endswith(".days") and getattr(
                    p.message, "code", "").startswith("validation.list.too_few"):
                words = self.tr("are empty: give at least one day, e.g. 1 or 1-3")
            elif field == "days" and "at least 1 item" in words:
                words = self.tr("are empty: give at least one day, e.g. 1 or 1-3")
            elif field == "days":
                words = self.tr("{problem} (days are whole numbers, e.g. 1 or 1-3)").format(
                    problem=words)
            per_row.setdefault(int(match.group(1)), []).append(
                self.tr("{drug} {field} {problem}").format(
                    drug=row.drug.capitalize(), field=self._field_name(field), problem=words))
            return
        general.append(self.tr("{field}: {problem}").format(field=p.path, problem=words)
                       if p.path else words)

    def _field_name(self, field: str) -> str:
        """A drug line's field as the grid heads it ('dose', 'days')."""
        names = {"dose": QT_TRANSLATE_NOOP("TreatmentDialog", "dose"),
                 "days": QT_TRANSLATE_NOOP("TreatmentDialog", "days")}
        return _tr(names[field]) if field in names else field.replace("_", " ")

    def _context_note(self) -> str:
        """Which CAR-T day the date is, and whether the registry roll-up will count it."""
        parts = []
        when = self.date_field.date()
        if when is not None:
            episodes = [e for e in infusion_episodes(self.record.events) if e[0] <= when]
            if not episodes:
                parts.append(self.tr("No CAR-T infusion recorded on or before this date: the registry roll-up counts CRS/ICANS treatment only after an infusion."))  # noqa: E501
            else:
                day0 = episodes[-1][0]
                day = (when - day0).days
                inside = [name for name, last in (("CRS", CRS_WINDOW_DAYS),
                                                  ("ICANS", ICANS_WINDOW_DAYS)) if day <= last]
                if len(inside) > 1:
                    where = self.tr("inside the {kinds} windows").format(
                        kinds=lang.separators(lang.current())["and"].join(inside))
                elif inside:
                    where = self.tr("inside the {kind} window").format(kind=inside[0])
                else:
                    where = self.tr("after the CRS (to day +30) and ICANS (to day +60) windows")
                parts.append(self.tr("Day +{day} after the CAR-T infusion of {date}: {where}.")
                             .format(day=day, date=day0.isoformat(), where=where))
            template = self.template()
            if template is not None:
                near = sorted(c.start_date.isoformat() for c in self.record.courses
                              if c.name == template.name and c.start_date is not None
                              and abs(c.start_date - when) <= timedelta(days=7))
                if near:
                    parts.append(self.tr("Already in Courses: {name} starting {dates} (check this is not recorded twice).")  # noqa: E501
                                 .format(name=_tr(_SHOWN_NAMES.get(template.name, template.name)),
                                         dates=", ".join(near)))
        return " ".join(parts)

    # --- saving ------------------------------------------------------------------------------
    def save(self) -> Course | None:
        self.refresh()
        if self.course is None:
            return None
        try:
            saved = self.bridge.save_item("courses", self.patient_id, self.course)
        except HemalogError as exc:  # a locked file or a refused role: keep what was typed
            self.problems.setText(self.tr("Not saved. {reason}").format(
                reason=error_words(exc.lines)))
            self.problems.setVisible(True)
            return None
        self.saved_course = saved
        self.accept()
        return saved
