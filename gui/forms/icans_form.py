"""ICANS (ASTCT 2019) with the ICE helper: ten items that fill the score."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QWidget

from gui.bridge import StoreBridge
from gui.forms.assessment_form import AssessmentForm
from gui.forms.fields import CheckField, ChoiceField, NumberField

# The ten ICE points: (item, ICE domain).
ICE_ITEMS = (
    ("Year", "orientation"), ("Month", "orientation"), ("City", "orientation"),
    ("Hospital", "orientation"), ("Names object 1", "naming"), ("Names object 2", "naming"),
    ("Names object 3", "naming"), ("Follows a command", "commands"),
    ("Writes a sentence", "writing"), ("Counts back from 100 by 10", "attention"),
)


class IcansForm(AssessmentForm):
    title = "Immune effector cell-associated neurotoxicity (ICANS)"
    assessment_kind = "icans"

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        group = QGroupBox("ICE helper: tick each item the patient gets right")
        grid = QGridLayout(group)
        self.ice_boxes: list[QCheckBox] = []
        for i, (text, _domain) in enumerate(ICE_ITEMS):
            box = QCheckBox(text)
            box.setAccessibleName(f"ICE: {text}")
            box.toggled.connect(self._fill_ice_score)
            grid.addWidget(box, i // 2, i % 2)
            self.ice_boxes.append(box)
        self.form.insertRow(2, group)

    def build_findings(self) -> None:
        self.add_field(NumberField("findings.ice_score", "&ICE score", "of 10", integer=True))
        self.add_field(ChoiceField("findings.consciousness", "&Consciousness", [
            ("alert", "alert"), ("awakens_spontaneously", "awakens spontaneously"),
            ("awakens_to_voice", "awakens to voice"),
            ("awakens_to_touch", "awakens only to touch"), ("unarousable", "unarousable")]))
        self.add_field(ChoiceField("findings.seizure", "Sei&zure", [
            ("none", "none"), ("rapidly_resolving", "resolved rapidly"),
            ("life_threatening", "prolonged (> 5 min) or repetitive")]))
        self.add_field(ChoiceField("findings.motor", "&Motor", [
            ("none", "none"), ("deep_focal_weakness", "deep focal weakness")]))
        self.add_field(ChoiceField("findings.cerebral_edema", "Cerebral o&edema", [
            ("none", "none"), ("focal", "focal"), ("diffuse", "diffuse")]))
        self.add_field(CheckField("findings.fatal", "Fatal", "Death due to ICANS"))

    def _fill_ice_score(self) -> None:
        self.field("findings.ice_score").set_value(sum(b.isChecked() for b in self.ice_boxes))

    def clear(self) -> None:
        for box in getattr(self, "ice_boxes", ()):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        super().clear()

    def ice_items(self) -> dict[str, Any]:
        """The ticked items as the record's ice_items (domain -> points)."""
        items = {"orientation": 0, "naming": 0, "commands": 0, "writing": 0, "attention": 0}
        for box, (_text, domain) in zip(self.ice_boxes, ICE_ITEMS):
            items[domain] += box.isChecked()
        return items
