"""Acute GVHD (MAGIC 2016): organ findings, the four stages and the overall grade."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from clinical.derive import grade_assessment
from clinical.record import Assessment
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.assessment_form import AssessmentForm
from gui.forms.fields import CheckField, NumberField


class AgvhdForm(AssessmentForm):
    title = "Acute GVHD (MAGIC)"
    assessment_kind = "agvhd"

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        self.stages_label = QLabel()
        self.stages_label.setAccessibleName("Organ stages")
        super().__init__(bridge, parent)
        self.result_box.layout().insertWidget(1, self.stages_label)

    def build_findings(self) -> None:
        self.add_field(NumberField("findings.skin_rash_bsa_pct", keymap.label("agvhd.skin_rash"), "% body surface"))
        self.add_field(CheckField("findings.skin_bullae", "Bullae",
                                  "Generalised erythroderma with bullae and desquamation > 5%"))
        self.add_field(NumberField("findings.bilirubin_mg_dl", keymap.label("agvhd.bilirubin"), "mg/dL"))
        self.add_field(NumberField("findings.bilirubin_umol_l", "Bilirubin (SI)", "µmol/L"))
        self.add_field(CheckField("findings.upper_gi_persistent", keymap.label("agvhd.upper_gi"),
                                  "Persistent nausea, vomiting or anorexia"))
        self.add_field(NumberField("findings.stool_ml_day", "Stool volume", "mL/day"))
        self.add_field(NumberField("findings.stool_episodes_day", keymap.label("agvhd.stool_episodes"), "per day",
                                   integer=True))
        self.add_field(NumberField("findings.stool_ml_kg_day", "Stool (child)", "mL/kg/day"))
        self.add_field(CheckField("findings.severe_abdominal_pain", "Severe abdominal pain",
                                  "Severe abdominal pain (opioids, performance impaired)"))
        self.add_field(CheckField("findings.bloody_stool", "Bloody stool", "Grossly bloody stool"))

    def on_result(self, obj: Any) -> None:
        super().on_result(obj)
        if not hasattr(self, "stages_label"):
            return
        if not isinstance(obj, Assessment):
            self.stages_label.setText("")
            return
        stages = grade_assessment(obj).details.get("stages", {})
        names = {"skin": "Skin", "liver": "Liver", "upper_gi": "Upper GI", "lower_gi": "Lower GI"}
        self.stages_label.setText("   ".join(
            f"{names[k]} {'—' if stages.get(k) is None else stages[k]}" for k in names))
