"""ICANS (ASTCT 2019) with the ICE helper: ten items that fill the score."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QWidget

from gui import keymap
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
        group = QGroupBox(keymap.label("icans.ice_helper"))
        grid = QGridLayout(group)
        self.ice_boxes: list[QCheckBox] = []
        self._helper_used = False  # the score comes from the boxes only once they are used
        for i, (text, _domain) in enumerate(ICE_ITEMS):
            box = QCheckBox(text)
            box.setAccessibleName(f"ICE: {text}")
            box.toggled.connect(self._on_box_toggled)
            grid.addWidget(box, i // 2, i % 2)
            self.ice_boxes.append(box)
        self.form.insertRow(2, group)
        # The boxes are made after Save and Clear: put them after the ICE score in tab order.
        chain = [self.field("findings.ice_score").focus_widget(), *self.ice_boxes]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

    def build_findings(self) -> None:
        self.add_field(NumberField("findings.ice_score", "ICE score", "of 10", integer=True))
        self.add_field(ChoiceField("findings.consciousness", "Consciousness", [
            ("alert", "alert"), ("awakens_spontaneously", "awakens spontaneously"),
            ("awakens_to_voice", "awakens to voice"),
            ("awakens_to_touch", "awakens only to touch"), ("unarousable", "unarousable")]))
        self.add_field(ChoiceField("findings.seizure", keymap.label("icans.seizure"), [
            ("none", "none"), ("rapidly_resolving", "resolved rapidly"),
            ("life_threatening", "prolonged (> 5 min) or repetitive")]))
        self.add_field(ChoiceField("findings.motor", keymap.label("icans.motor"), [
            ("none", "none"), ("deep_focal_weakness", "deep focal weakness")]))
        self.add_field(ChoiceField("findings.cerebral_edema", keymap.label("icans.cerebral_edema"), [
            ("none", "none"), ("focal", "focal"), ("diffuse", "diffuse")]))
        self.add_field(CheckField("findings.fatal", "Fatal", "Death due to ICANS"))

    def _on_box_toggled(self) -> None:
        self._helper_used = True
        self.field("findings.ice_score").set_value(sum(b.isChecked() for b in self.ice_boxes))

    def _set_boxes(self, items: dict[str, int] | None) -> None:
        """Tick the boxes to match saved ICE items (all ticked for a score of 10)."""
        left = dict(items or {})
        for box, (_text, domain) in zip(self.ice_boxes, ICE_ITEMS):
            box.blockSignals(True)
            box.setChecked(left.get(domain, 0) > 0)
            if left.get(domain, 0) > 0:
                left[domain] -= 1
            box.blockSignals(False)

    def clear(self) -> None:
        self._helper_used = False
        if hasattr(self, "ice_boxes"):
            self._set_boxes(None)
        super().clear()

    def load(self, obj: Any) -> None:
        super().load(obj)
        items = obj.findings.get("ice_items")
        if items is None and obj.findings.get("ice_score") == 10:
            items = {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}
        self._set_boxes(items)
        # With saved items the boxes are the score; with a score alone they wait to be used.
        self._helper_used = obj.findings.get("ice_items") is not None

    def document(self) -> dict[str, Any]:
        doc = super().document()
        if getattr(self, "_helper_used", False):
            doc.setdefault("findings", {})["ice_items"] = self.ice_items()
        return doc

    def ice_items(self) -> dict[str, Any]:
        """The ticked items as the record's ice_items (domain -> points)."""
        items = {"orientation": 0, "naming": 0, "commands": 0, "writing": 0, "attention": 0}
        for box, (_text, domain) in zip(self.ice_boxes, ICE_ITEMS):
            items[domain] += box.isChecked()
        return items
