"""Height and weight on a date (doses use the latest on or before day 1)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gui import keymap
from gui.forms.fields import DateField, NumberField
from gui.forms.item_form import ItemForm


class MeasurementForm(ItemForm):
    kind = "measurements"
    title = QT_TRANSLATE_NOOP("MeasurementForm", "Height and weight")

    def build(self) -> None:
        self.add_field(DateField("date", keymap.label("entry.date")))
        self.add_field(NumberField("height_cm", keymap.label("measurement.height"), "cm"))
        self.add_field(NumberField("weight_kg", keymap.label("measurement.weight"), "kg"))
