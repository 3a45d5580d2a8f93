"""Clinical events: CAR-T infusion, HSCT, PET-CT, transfusions, infections..."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from clinical.record import EventType
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.fields import ChoiceField, DateField, NumberField, TextField
from gui.forms.item_form import ItemForm

# English (the words the tests and the record's readers know); event_name() translates.
EVENT_NAMES = {
    "diagnosis": QT_TRANSLATE_NOOP("EventForm", "diagnosis"), "cart_infusion": QT_TRANSLATE_NOOP("EventForm", "CAR-T infusion"),
    "hsct": QT_TRANSLATE_NOOP("EventForm", "HSCT (stem cell transplant)"),
    "pet_ct": QT_TRANSLATE_NOOP("EventForm", "PET-CT"), "transfusion": QT_TRANSLATE_NOOP("EventForm", "transfusion"), "infection": QT_TRANSLATE_NOOP("EventForm", "infection"),
    "engraftment_confirmed": QT_TRANSLATE_NOOP("EventForm", "engraftment confirmed"), "relapse": QT_TRANSLATE_NOOP("EventForm", "relapse"),
    "death": QT_TRANSLATE_NOOP("EventForm", "death"), "last_follow_up": QT_TRANSLATE_NOOP("EventForm", "last follow-up"), "other": QT_TRANSLATE_NOOP("EventForm", "other"),
}


def event_name(event_type: str) -> str:
    """An event type as the form lists it, in the reader's language."""
    return QCoreApplication.translate("EventForm", EVENT_NAMES.get(event_type, event_type))

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
    title = QT_TRANSLATE_NOOP("EventForm", "Event")

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.field("type").changed.connect(self._show_details)
        self._show_details()

    def build(self) -> None:
        self.add_field(ChoiceField("type", keymap.label("event.type"), [(t.value, event_name(t.value))
                                                     for t in EventType]))
        self.add_field(DateField("date", keymap.label("entry.date")))
        self.add_field(TextField("details.product", self.tr("Product")))
        self.add_field(NumberField("details.cells_per_kg", keymap.label("event.cells_per_kg"), self.tr("cells/kg")))
        self.add_field(TextField("details.donor", self.tr("Donor"),
                                 placeholder=self.tr("autologous or relation")))
        self.add_field(TextField("details.donor_relation", self.tr("Donor relation")))
        self.add_field(TextField("details.hla_match", keymap.label("event.hla_match"), placeholder=self.tr("e.g. 9/10")))
        self.add_field(ChoiceField("details.graft", self.tr("Graft"), [
            ("haploidentical", self.tr("haploidentical")),
            ("matched_sibling", self.tr("matched sibling")),
            ("matched_unrelated", self.tr("matched unrelated")), ("cord", self.tr("cord blood"))]))
        self.add_field(ChoiceField("details.conditioning_intensity", self.tr("Conditioning"), [
            ("MAC", self.tr("myeloablative (MAC)")), ("RIC", self.tr("reduced intensity (RIC)")),
            ("NMA", self.tr("non-myeloablative (NMA)"))]))
        self.add_field(NumberField("details.deauville", keymap.label("event.deauville"), self.tr("1-5"), integer=True))
        self.add_field(TextField("details.response", self.tr("Response")))
        self.add_field(ChoiceField("details.product_blood", keymap.label("event.blood_product"), [
            ("platelets", self.tr("platelets")), ("red_cells", self.tr("red cells")),
            ("plasma", self.tr("plasma")), ("granulocytes", self.tr("granulocytes"))]))
        self.add_field(TextField("details.organism", keymap.label("event.organism")))
        self.add_field(TextField("details.site", self.tr("Site")))
        self.add_field(ChoiceField("details.lineage", self.tr("Lineage"), [
            ("neutrophil", self.tr("neutrophil")), ("platelet", self.tr("platelet"))]))
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
