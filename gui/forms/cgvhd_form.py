"""Chronic GVHD (NIH 2014): eight organ scores, the global severity."""

from __future__ import annotations

from clinical.record_schema import CGVHD_ORGANS
from gui import keymap
from gui.forms.assessment_form import AssessmentForm
from gui.forms.fields import ChoiceField

# Organs with an Alt+letter take it from the keyboard map; the others are reached with Tab.
_ORGAN_LABELS = {"eyes": "Eyes", "liver": "Liver", "lungs": "Lungs (FEV1 score)",
                 "genital": "Genital tract"}
_SCORES = [(0, "0"), (1, "1"), (2, "2"), (3, "3")]


class CgvhdForm(AssessmentForm):
    title = "Chronic GVHD (NIH 2014)"
    assessment_kind = "cgvhd"

    def build_findings(self) -> None:
        for organ in CGVHD_ORGANS:
            label = _ORGAN_LABELS.get(organ) or keymap.label(f"cgvhd.{organ}")
            self.add_field(ChoiceField(f"findings.{organ}", label, _SCORES))
