"""CRS (ASTCT 2019) from bedside findings."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from clinical.record_schema import OXYGEN_DEVICES
from gui import keymap
from gui.forms.assessment_form import AssessmentForm
from gui.forms.fields import CheckField, ChoiceField, ListField, NumberField

# Typed names complete inline from these (any other name may still be typed).
VASOPRESSOR_NAMES = ("norepinephrine", "epinephrine", "phenylephrine", "dopamine",
                     "vasopressin", "angiotensin ii")
# The Chinese names a ward types, and the name the record stores for each (the record
# format is English): typed 多巴胺 is saved as dopamine, and the form says so.
VASOPRESSOR_ALIASES = {"去甲肾上腺素": "norepinephrine", "肾上腺素": "epinephrine",
                       "去氧肾上腺素": "phenylephrine", "多巴胺": "dopamine",
                       "血管加压素": "vasopressin", "血管紧张素II": "angiotensin ii",
                       "血管紧张素Ⅱ": "angiotensin ii"}

_DEVICE_NAMES = {
    "none": QT_TRANSLATE_NOOP("CrsForm", "none (room air)"),
    "blow_by": QT_TRANSLATE_NOOP("CrsForm", "blow-by"),
    "nasal_cannula": QT_TRANSLATE_NOOP("CrsForm", "nasal cannula"),
    "facemask": QT_TRANSLATE_NOOP("CrsForm", "facemask"),
    "non_rebreather": QT_TRANSLATE_NOOP("CrsForm", "non-rebreather"),
    "venturi": QT_TRANSLATE_NOOP("CrsForm", "Venturi mask"),
    "cpap": QT_TRANSLATE_NOOP("CrsForm", "CPAP"),
    "bipap": QT_TRANSLATE_NOOP("CrsForm", "BiPAP"),
    "mechanical_ventilation": QT_TRANSLATE_NOOP("CrsForm", "mechanical ventilation"),
}


def device_name(device: str) -> str:
    """An oxygen device as the form lists it, in the reader's language."""
    return QCoreApplication.translate("CrsForm", _DEVICE_NAMES.get(device, device))


class CrsForm(AssessmentForm):
    title = QT_TRANSLATE_NOOP("CrsForm", "Cytokine release syndrome (CRS)")
    assessment_kind = "crs"

    def build_findings(self) -> None:
        self.add_field(NumberField("findings.temperature_c", keymap.label("crs.temperature"), "°C"))
        self.add_field(CheckField("findings.fever_other_cause", self.tr("Fever from another cause"),
                                  self.tr("Fever explained by another cause (e.g. infection)")))
        self.add_field(CheckField("findings.fever_masked", self.tr("Fever masked"),
                                  self.tr("Antipyretic, tocilizumab or steroid given (fever masked)")))
        self.add_field(CheckField("findings.hypotension", keymap.label("crs.hypotension"),
                                  self.tr("Hypotension (fluids or vasopressors)")))
        vasopressors = ListField("findings.vasopressors", self.tr("Vasopressors"),
                                 placeholder=self.tr("e.g. norepinephrine, vasopressin"),
                                 names=VASOPRESSOR_NAMES, aliases=VASOPRESSOR_ALIASES)
        vasopressors.edit.setToolTip(self.tr(
            "Separate names with commas. Saved under the record's English name: norepinephrine, epinephrine, phenylephrine, dopamine, vasopressin, angiotensin ii."))  # noqa: E501
        self.add_field(vasopressors)
        self.add_field(ChoiceField("findings.oxygen_device", keymap.label("crs.oxygen"),
                                   [(d, device_name(d)) for d in OXYGEN_DEVICES]))
        self.add_field(NumberField("findings.oxygen_l_min", self.tr("Oxygen flow"), "L/min"))
        self.add_field(CheckField("findings.fatal", self.tr("Fatal"), self.tr("Death due to CRS")))
