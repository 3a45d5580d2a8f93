"""Clinical events: CAR-T infusion, HSCT, PET-CT, transfusions, infections..."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from clinical.record import EventType
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.fields import ChoiceField, DateField, NumberField, TextField
from gui.forms.item_form import ItemForm

EVENT_NAMES = {
    "diagnosis": "diagnosis", "cart_infusion": "CAR-T infusion", "hsct": "HSCT (stem cell transplant)",
    "pet_ct": "PET-CT", "transfusion": "transfusion", "infection": "infection",
    "engraftment_confirmed": "engraftment confirmed", "relapse": "relapse", "death": "death",
    "last_follow_up": "last follow-up", "other": "other",
}

# Which detail fields each event type shows.
DETAILS: dict[str, tuple[str, ...]] = {
    "cart_infusion": ("product", "cells_per_kg", "donor"),
    "hsct": ("donor_relation", "hla_match", "graft", "conditioning_intensity"),
    "pet_ct": ("deauville", "response"),
    "transfusion": ("product_blood",),
    "infection": ("organism", "site"),
    "engraftment_confirmed": ("lineage",),
}


class EventForm(ItemForm):
    kind = "events"
    title = "Event"

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.field("type").changed.connect(self._show_details)
        self._show_details()

    def build(self) -> None:
        self.add_field(ChoiceField("type", keymap.label("event.type"), [(t.value, EVENT_NAMES[t.value])
                                                     for t in EventType]))
        self.add_field(DateField("date", keymap.label("entry.date")))
        self.add_field(TextField("details.product", "Product"))
        self.add_field(NumberField("details.cells_per_kg", keymap.label("event.cells_per_kg"), "cells/kg"))
        self.add_field(TextField("details.donor", "Donor", placeholder="autologous or relation"))
        self.add_field(TextField("details.donor_relation", "Donor relation"))
        self.add_field(TextField("details.hla_match", keymap.label("event.hla_match"), placeholder="e.g. 9/10"))
        self.add_field(ChoiceField("details.graft", "Graft", [
            ("haploidentical", "haploidentical"), ("matched_sibling", "matched sibling"),
            ("matched_unrelated", "matched unrelated"), ("cord", "cord blood")]))
        self.add_field(ChoiceField("details.conditioning_intensity", "Conditioning", [
            ("MAC", "myeloablative (MAC)"), ("RIC", "reduced intensity (RIC)"),
            ("NMA", "non-myeloablative (NMA)")]))
        self.add_field(NumberField("details.deauville", keymap.label("event.deauville"), "1-5", integer=True))
        self.add_field(TextField("details.response", "Response"))
        self.add_field(ChoiceField("details.product_blood", keymap.label("event.blood_product"), [
            ("platelets", "platelets"), ("red_cells", "red cells"), ("plasma", "plasma"),
            ("granulocytes", "granulocytes")]))
        self.add_field(TextField("details.organism", keymap.label("event.organism")))
        self.add_field(TextField("details.site", "Site"))
        self.add_field(ChoiceField("details.lineage", "Lineage", [
            ("neutrophil", "neutrophil"), ("platelet", "platelet")]))
        self.add_field(TextField("notes", keymap.label("entry.notes")))

    def document(self) -> dict[str, Any]:
        doc = super().document()
        details = doc.get("details", {})
        wanted = DETAILS.get(doc.get("type") or "", ())
        kept = {k: v for k, v in details.items() if k in wanted}
        if "product_blood" in kept:  # transfusions name their product from a fixed list
            kept["product"] = kept.pop("product_blood")
        doc["details"] = kept
        return doc

    def load(self, obj: Any) -> None:
        super().load(obj)
        if obj.type is EventType.TRANSFUSION:
            self.field("details.product_blood").set_value(obj.details.get("product"))
            self.field("details.product").set_value(None)
            self._reset_history()

    def _show_details(self) -> None:
        wanted = DETAILS.get(self.field("type").value() or "", ())
        for key, field in self._fields.items():
            if key.startswith("details."):
                visible = key.split(".", 1)[1] in wanted
                box = field.parentWidget()
                box.setVisible(visible)
                label = self.form.labelForField(box)
                if label is not None:
                    label.setVisible(visible)

    def _field_for(self, path: str) -> str | None:
        if path == "details.product" and self.field("type").value() == "transfusion":
            return "details.product_blood"
        return super()._field_for(path)
