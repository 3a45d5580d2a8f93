"""ICANS (ASTCT 2019) with the ICE helper: ten items that fill the score."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QWidget

from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.assessment_form import AssessmentForm
from gui.forms.fields import CheckField, ChoiceField, NumberField

# The ten ICE points: (item, ICE domain). In Chinese each box reads as a Chinese ward
# gives the ICE score: 定向力（年份、月份、城市、医院）, 命名三个物品, 执行指令,
# 书写一个标准句子, 从100开始每次减10倒数; one point each, scored the same.
ICE_ITEMS = (
    (QT_TRANSLATE_NOOP("IcansForm", "Year"), "orientation"),
    (QT_TRANSLATE_NOOP("IcansForm", "Month"), "orientation"),
    (QT_TRANSLATE_NOOP("IcansForm", "City"), "orientation"),
    (QT_TRANSLATE_NOOP("IcansForm", "Hospital"), "orientation"),
    (QT_TRANSLATE_NOOP("IcansForm", "Names object 1"), "naming"),
    (QT_TRANSLATE_NOOP("IcansForm", "Names object 2"), "naming"),
    (QT_TRANSLATE_NOOP("IcansForm", "Names object 3"), "naming"),
    (QT_TRANSLATE_NOOP("IcansForm", "Follows a command"), "commands"),
    (QT_TRANSLATE_NOOP("IcansForm", "Writes a sentence"), "writing"),
    (QT_TRANSLATE_NOOP("IcansForm", "Counts back from 100 by 10"), "attention"),
)
# What the examiner asks for each domain (the boxes' tooltips).
ICE_HINTS = {
    "orientation": QT_TRANSLATE_NOOP("IcansForm", "Orientation: year, month, city, hospital (1 point each, 4 in all)"),  # noqa: E501
    "naming": QT_TRANSLATE_NOOP("IcansForm", "Naming: names 3 objects shown, e.g. a clock, a pen, a button (1 point each, 3 in all)"),  # noqa: E501
    "commands": QT_TRANSLATE_NOOP("IcansForm", "Following commands, e.g. \"show me 2 fingers\" (1 point)"),  # noqa: E501
    "writing": QT_TRANSLATE_NOOP("IcansForm", "Writing a standard sentence (1 point)"),
    "attention": QT_TRANSLATE_NOOP("IcansForm", "Attention: counts backwards from 100 by 10 (1 point)"),  # noqa: E501
}


def ice_item_text(text: str) -> str:
    """An ICE item as its box shows it, in the reader's language."""
    return QCoreApplication.translate("IcansForm", text)


class IcansForm(AssessmentForm):
    title = QT_TRANSLATE_NOOP("IcansForm", "Immune effector cell-associated neurotoxicity (ICANS)")
    assessment_kind = "icans"

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        group = QGroupBox(keymap.label("icans.ice_helper"))
        grid = QGridLayout(group)
        self.ice_boxes: list[QCheckBox] = []
        self._helper_used = False  # the score comes from the boxes only once they are used
        for i, (text, domain) in enumerate(ICE_ITEMS):
            box = QCheckBox(ice_item_text(text))
            box.setAccessibleName(self.tr("ICE: {item}").format(item=box.text()))
            box.setToolTip(QCoreApplication.translate("IcansForm", ICE_HINTS[domain]))
            box.toggled.connect(self._on_box_toggled)
            grid.addWidget(box, i // 2, i % 2)
            self.ice_boxes.append(box)
        self.form.insertRow(2, group)
        # The boxes are made after Save and Clear: put them after the ICE score in tab order.
        chain = [self.field("findings.ice_score").focus_widget(), *self.ice_boxes]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

    def build_findings(self) -> None:
        self.add_field(NumberField("findings.ice_score", self.tr("ICE score"), self.tr("of 10"),
                                   integer=True))
        self.add_field(ChoiceField("findings.consciousness", self.tr("Consciousness"), [
            ("alert", self.tr("alert")),
            ("awakens_spontaneously", self.tr("awakens spontaneously")),
            ("awakens_to_voice", self.tr("awakens to voice")),
            ("awakens_to_touch", self.tr("awakens only to touch")),
            ("unarousable", self.tr("unarousable"))]))
        self.add_field(ChoiceField("findings.seizure", keymap.label("icans.seizure"), [
            ("none", self.tr("none")), ("rapidly_resolving", self.tr("resolved rapidly")),
            ("life_threatening", self.tr("prolonged (> 5 min) or repetitive"))]))
        self.add_field(ChoiceField("findings.motor", keymap.label("icans.motor"), [
            ("none", self.tr("none")), ("deep_focal_weakness", self.tr("deep focal weakness"))]))
        self.add_field(ChoiceField("findings.cerebral_edema", keymap.label("icans.cerebral_edema"), [
            ("none", self.tr("none")), ("focal", self.tr("focal")),
            ("diffuse", self.tr("diffuse"))]))
        self.add_field(CheckField("findings.fatal", self.tr("Fatal"), self.tr("Death due to ICANS")))

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
