"""A bone-marrow result: blasts, MRD, chimerism, cellularity."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QWidget

import lang

from clinical.marrow import mrd_negative
from clinical.record import MarrowResult
from gui import keymap
from gui.bridge import StoreBridge
from gui.forms.fields import ChoiceField, DateField, NumberField, TextField
from gui.forms.item_form import ItemForm


class MarrowForm(ItemForm):
    kind = "marrow"
    title = QT_TRANSLATE_NOOP("MarrowForm", "Marrow result")

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        self.mrd_label = QLabel()
        self.mrd_label.setWordWrap(True)
        super().__init__(bridge, parent)
        self.mrd_label.setAccessibleName(self.tr("MRD status"))
        self.extra.addWidget(self.mrd_label)

    def build(self) -> None:
        self.add_field(DateField("date", keymap.label("entry.date")))
        self.add_field(NumberField("blasts_pct", keymap.label("marrow.blasts"), "%"))
        self.add_field(NumberField("mrd_pct", keymap.label("marrow.mrd"), self.tr("% (0 = not detected)")))
        self.add_field(ChoiceField("mrd_method", self.tr("MRD method"),
                                   [("flow", self.tr("flow cytometry")), ("pcr", "PCR"),
                                    ("ngs", "NGS")]))
        self.add_field(NumberField("mrd_lod_pct", self.tr("Assay sensitivity"),
                                   self.tr("% (default 0.01)")))
        self.add_field(NumberField("donor_chimerism_pct", keymap.label("marrow.chimerism"), "%"))
        self.add_field(NumberField("cellularity_pct", keymap.label("marrow.cellularity"), "%"))
        self.add_field(TextField("fibrosis_grade", self.tr("Fibrosis"),
                                 placeholder=self.tr("e.g. MF-1")))
        self.add_field(TextField("karyotype", keymap.label("marrow.karyotype")))
        self.add_field(TextField("notes", keymap.label("entry.notes")))

    def is_complete(self, obj: Any) -> bool:
        """A result needs at least one finding besides its date."""
        return isinstance(obj, MarrowResult) and any(
            getattr(obj, f) not in (None, "") for f in (
                "blasts_pct", "mrd_pct", "donor_chimerism_pct", "cellularity_pct",
                "fibrosis_grade", "karyotype", "notes"))

    def on_result(self, obj: Any) -> None:
        if not hasattr(self, "mrd_label"):
            return
        if not isinstance(obj, MarrowResult) or obj.mrd_pct is None:
            self.mrd_label.setText("")
            return
        grade = mrd_negative(obj.mrd_pct, obj.mrd_lod_pct)
        status = {True: self.tr("MRD negative"), False: self.tr("MRD positive"),
                  None: self.tr("MRD not evaluable")}
        flags = "".join(f"\n⚑ {lang.render(f)}" for f in grade.flags)
        self.mrd_label.setText(f"<b>{status[grade.value]}</b> — {lang.render(grade.reason)}{flags}"
                               .replace("\n", "<br>"))
