"""Chronic GVHD (NIH 2014): eight organ scores, the global severity."""

from __future__ import annotations

from clinical.record_schema import CGVHD_ORGANS
from gui.forms.assessment_form import AssessmentForm
from gui.forms.fields import ChoiceField

_ORGAN_LABELS = {"skin": "S&kin", "mouth": "&Mouth", "eyes": "&Eyes", "gi": "&GI tract",
                 "liver": "&Liver", "lungs": "Lu&ngs (FEV1 score)",
                 "joints_fascia": "&Joints and fascia", "genital": "Genital &tract"}
_SCORES = [(0, "0"), (1, "1"), (2, "2"), (3, "3")]


class CgvhdForm(AssessmentForm):
    title = "Chronic GVHD (NIH 2014)"
    assessment_kind = "cgvhd"

    def build_findings(self) -> None:
        for organ in CGVHD_ORGANS:
            self.add_field(ChoiceField(f"findings.{organ}", _ORGAN_LABELS[organ], _SCORES))
