"""CRS (ASTCT 2019) from bedside findings."""

from __future__ import annotations

from clinical.record_schema import OXYGEN_DEVICES
from gui import keymap
from gui.forms.assessment_form import AssessmentForm
from gui.forms.fields import CheckField, ChoiceField, ListField, NumberField

# Typed names complete inline from these (any other name may still be typed).
VASOPRESSOR_NAMES = ("norepinephrine", "epinephrine", "phenylephrine", "dopamine",
                     "vasopressin", "angiotensin ii")

_DEVICE_NAMES = {
    "none": "none (room air)", "blow_by": "blow-by", "nasal_cannula": "nasal cannula",
    "facemask": "facemask", "non_rebreather": "non-rebreather", "venturi": "Venturi mask",
    "cpap": "CPAP", "bipap": "BiPAP", "mechanical_ventilation": "mechanical ventilation",
}


class CrsForm(AssessmentForm):
    title = "Cytokine release syndrome (CRS)"
    assessment_kind = "crs"

    def build_findings(self) -> None:
        self.add_field(NumberField("findings.temperature_c", keymap.label("crs.temperature"), "°C"))
        self.add_field(CheckField("findings.fever_other_cause", "Fever from another cause",
                                  "Fever explained by another cause (e.g. infection)"))
        self.add_field(CheckField("findings.fever_masked", "Fever masked",
                                  "Antipyretic, tocilizumab or steroid given (fever masked)"))
        self.add_field(CheckField("findings.hypotension", keymap.label("crs.hypotension"),
                                  "Hypotension (fluids or vasopressors)"))
        self.add_field(ListField("findings.vasopressors", "Vasopressors",
                                 placeholder="e.g. norepinephrine, vasopressin",
                                 names=VASOPRESSOR_NAMES))
        self.add_field(ChoiceField("findings.oxygen_device", keymap.label("crs.oxygen"),
                                   [(d, _DEVICE_NAMES[d]) for d in OXYGEN_DEVICES]))
        self.add_field(NumberField("findings.oxygen_l_min", "Oxygen flow", "L/min"))
        self.add_field(CheckField("findings.fatal", "Fatal", "Death due to CRS"))
