"""Acute GVHD (MAGIC 2016): organ findings, the four stages and the overall grade."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QWidget

from clinical.derive import grade_assessment
from clinical.record import Assessment
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.assessment_form import AssessmentForm
from gui.forms.fields import CheckField, NumberField


class AgvhdForm(AssessmentForm):
    title = QT_TRANSLATE_NOOP("AgvhdForm", "Acute GVHD (MAGIC)")
    assessment_kind = "agvhd"

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        self.stages_label = QLabel()
        super().__init__(bridge, parent)
        self.stages_label.setAccessibleName(self.tr("Organ stages"))
        self.result_box.layout().insertWidget(1, self.stages_label)

    def build_findings(self) -> None:
        self.add_field(NumberField("findings.skin_rash_bsa_pct", keymap.label("agvhd.skin_rash"), self.tr("% body surface")))
        self.add_field(CheckField("findings.skin_bullae", self.tr("Bullae"),
                                  self.tr("Generalised erythroderma with bullae and desquamation > 5%")))
        self.add_field(NumberField("findings.bilirubin_mg_dl", keymap.label("agvhd.bilirubin"), "mg/dL"))
        self.add_field(NumberField("findings.bilirubin_umol_l", self.tr("Bilirubin (SI)"), "µmol/L"))
        self.add_field(CheckField("findings.upper_gi_persistent", keymap.label("agvhd.upper_gi"),
                                  self.tr("Persistent nausea, vomiting or anorexia")))
        self.add_field(NumberField("findings.stool_ml_day", self.tr("Stool volume"), self.tr("mL/day")))
        self.add_field(NumberField("findings.stool_episodes_day", keymap.label("agvhd.stool_episodes"), self.tr("per day"),
                                   integer=True))
        self.add_field(NumberField("findings.stool_ml_kg_day", self.tr("Stool (child)"), self.tr("mL/kg/day")))
        self.add_field(CheckField("findings.severe_abdominal_pain", self.tr("Severe abdominal pain"),
                                  self.tr("Severe abdominal pain (opioids, performance impaired)")))
        self.add_field(CheckField("findings.bloody_stool", self.tr("Bloody stool"),
                                  self.tr("Grossly bloody stool")))

    def on_result(self, obj: Any) -> None:
        super().on_result(obj)
        if not hasattr(self, "stages_label"):
            return
        if not isinstance(obj, Assessment):
            self.stages_label.setText("")
            return
        stages = grade_assessment(obj).details.get("stages", {})
        names = {"skin": self.tr("Skin"), "liver": self.tr("Liver"), "upper_gi": self.tr("Upper GI"),
                 "lower_gi": self.tr("Lower GI")}
        self.stages_label.setText("   ".join(
            f"{names[k]} {'—' if stages.get(k) is None else stages[k]}" for k in names))
