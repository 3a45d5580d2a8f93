"""Chronic GVHD (NIH 2014): eight organ scores, the global severity."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from clinical.record_schema import CGVHD_ORGANS
from gui import keymap
from gui.forms.assessment_form import AssessmentForm
from gui.forms.fields import ChoiceField

# Organs with an Alt+letter take it from the keyboard map; the others are reached with Tab.
_ORGAN_LABELS = {"eyes": QT_TRANSLATE_NOOP("CgvhdForm", "Eyes"),
                 "liver": QT_TRANSLATE_NOOP("CgvhdForm", "Liver"),
                 "lungs": QT_TRANSLATE_NOOP("CgvhdForm", "Lungs (FEV1 score)"),
                 "genital": QT_TRANSLATE_NOOP("CgvhdForm", "Genital tract")}
_SCORES = [(0, "0"), (1, "1"), (2, "2"), (3, "3")]


class CgvhdForm(AssessmentForm):
    title = QT_TRANSLATE_NOOP("CgvhdForm", "Chronic GVHD (NIH 2014)")
    assessment_kind = "cgvhd"

    def build_findings(self) -> None:
        for organ in CGVHD_ORGANS:
            label = (QCoreApplication.translate("CgvhdForm", _ORGAN_LABELS[organ])
                     if organ in _ORGAN_LABELS else keymap.label(f"cgvhd.{organ}"))
            self.add_field(ChoiceField(f"findings.{organ}", label, _SCORES))
