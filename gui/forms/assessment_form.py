"""Base for the toxicity forms: the grade, its reason and flags update live."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

import lang

from clinical.derive import grade_assessment, grade_label
from clinical.record import Assessment
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.fields import DateField, TextField
from gui.forms.item_form import ItemForm
from gui.help import TOPIC, WhyButton

# Chronic GVHD's global severity (NIH 2014), marked for the catalogue.
SEVERITIES = {"none": QT_TRANSLATE_NOOP("AssessmentForm", "none"),
              "mild": QT_TRANSLATE_NOOP("AssessmentForm", "mild"),
              "moderate": QT_TRANSLATE_NOOP("AssessmentForm", "moderate"),
              "severe": QT_TRANSLATE_NOOP("AssessmentForm", "severe")}


# The user guide's section for each form (docs/user-guide.md anchors).
GUIDE_SECTIONS = {"crs": "crs", "icans": "icans", "agvhd": "gvhd", "cgvhd": "gvhd"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentForm", text)


def grade_words(kind: str, value: Any) -> str | None:
    """The grade alone as a reader writes it: '3', 'III', 'moderate' in English; '3级',
    'III度' (acute GVHD, as Chinese wards write it), '中度' in Chinese. None when the
    grade cannot be derived."""
    label = grade_label(kind, value)
    if label is None:
        return None
    if lang.current() == lang.EN:
        return label
    if kind == "cgvhd":
        return _tr(SEVERITIES.get(label, label))
    return grade_text(kind, value)


def grade_text(kind: str, value: Any) -> str:
    """'Grade 3', 'Grade III' for acute GVHD, 'Severity: moderate' for chronic GVHD
    (in Chinese '3级', 'III度', '严重程度：中度')."""
    label = grade_label(kind, value)
    if label is None:
        return QCoreApplication.translate("AssessmentForm", "Grade: cannot be derived")
    if kind == "cgvhd":
        return QCoreApplication.translate("AssessmentForm", "Severity: {severity}").format(
            severity=_tr(SEVERITIES.get(label, label)))
    if kind == "agvhd":   # the same English; Chinese writes acute GVHD's grade as III度
        return QCoreApplication.translate("AssessmentForm", "Grade {grade}", "acute GVHD"
                                          ).format(grade=label)
    return QCoreApplication.translate("AssessmentForm", "Grade {grade}").format(grade=label)


class AssessmentForm(ItemForm):
    """An assessment of one kind, graded as findings are typed."""

    kind = "assessments"
    assessment_kind = ""

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        self.result_box = QFrame()
        self.result_box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self.result_box)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(1)
        self.grade_label = QLabel()
        self.grade_label.setAccessibleName(QCoreApplication.translate("AssessmentForm", "Grade"))
        font = self.grade_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.grade_label.setFont(font)
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setAccessibleName(QCoreApplication.translate("AssessmentForm", "Reason"))
        self.flags_label = QLabel()
        self.flags_label.setWordWrap(True)
        self.flags_label.setStyleSheet("color: #8a5a00;")
        self.flags_label.setAccessibleName(QCoreApplication.translate("AssessmentForm", "Flags"))
        self.scale_label = QLabel()
        self.scale_label.setStyleSheet("color: #555;")
        # "Why?": the rule this grade follows, in docs/clinical-rules.md
        self.why_button = WhyButton(self.assessment_kind, QCoreApplication.translate(
            "AssessmentForm", "this grade"))
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.grade_label, 1)
        top.addWidget(self.why_button)
        layout.addLayout(top)
        for w in (self.reason_label, self.flags_label, self.scale_label):
            layout.addWidget(w)
        super().__init__(bridge, parent)
        self.extra.addWidget(self.result_box)
        # F1 here opens the user guide at this form's section
        self.setProperty(TOPIC, GUIDE_SECTIONS.get(self.assessment_kind))

    def build(self) -> None:
        self.add_field(DateField("date", keymap.label("entry.date")))
        self.build_findings()
        self.add_field(TextField("notes", keymap.label("entry.notes")))

    def build_findings(self) -> None:
        """Subclasses add their findings fields (keys 'findings.<name>')."""

    def base_document(self) -> dict[str, Any]:
        return {"kind": self.assessment_kind, "findings": {}}

    def is_complete(self, obj: Any) -> bool:
        """At least one finding entered (unticked boxes alone grade nothing)."""
        return isinstance(obj, Assessment) and any(
            v not in (None, False, "", []) for v in obj.findings.values())

    def on_result(self, obj: Any) -> None:
        if not self.is_complete(obj):
            self.grade_label.setText(self.tr("Grade: enter the findings"))
            self.reason_label.setText("")
            self.flags_label.setText("")
            self.scale_label.setText("")
            return
        grade = grade_assessment(obj)
        self.grade_label.setText(grade_text(self.assessment_kind, grade.value))
        self.reason_label.setText(lang.render(grade.reason))
        self.flags_label.setText("\n".join(f"⚑ {lang.render(flag)}" for flag in grade.flags))
        self.scale_label.setText(lang.render(grade.scale))
