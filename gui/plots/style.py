"""Colours, line styles and markers that survive colour blindness and grey print.

Okabe-Ito colours; every series also differs by line style and marker, so a
black-and-white copy still tells them apart.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

BLACK, ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")

# series key -> (colour, line style, marker symbol)
SERIES_STYLE = {
    "wbc": (BLUE, Qt.PenStyle.SolidLine, "o"),
    "anc": (VERMILLION, Qt.PenStyle.DashLine, "t"),
    "hb": (BLUE, Qt.PenStyle.SolidLine, "s"),
    "plt": (ORANGE, Qt.PenStyle.DashLine, "d"),
    "mrd": (VERMILLION, Qt.PenStyle.SolidLine, "o"),
    "tcr_pct": (BLUE, Qt.PenStyle.DotLine, "t1"),
    "car_t_pct": (GREEN, Qt.PenStyle.SolidLine, "o"),
    "crp": (BLUE, Qt.PenStyle.SolidLine, "o"),
    "ferritin": (ORANGE, Qt.PenStyle.DashLine, "s"),
    "il6": (PURPLE, Qt.PenStyle.DotLine, "t"),
}

# Grade 0..5 -> marker colour (and size grows with grade for grey print).
GRADE_COLOURS = ("#BBBBBB", YELLOW, ORANGE, VERMILLION, PURPLE, BLACK)
UNGRADED = "#FFFFFF"

MARKER_STYLE = {
    "cart_infusion": (GREEN, Qt.PenStyle.SolidLine),
    "hsct": (PURPLE, Qt.PenStyle.SolidLine),
    "pet_ct": ("#666666", Qt.PenStyle.DotLine),
    "engraftment_neutrophil": (VERMILLION, Qt.PenStyle.DashDotLine),
    "engraftment_platelet": (ORANGE, Qt.PenStyle.DashDotLine),
}

BAND_COLOURS = {
    "chemotherapy": (86, 180, 233, 40), "lymphodepletion": (0, 158, 115, 45),
    "conditioning": (204, 121, 167, 45), "gvhd_prophylaxis": (230, 159, 0, 30),
    "cellular_therapy": (0, 158, 115, 70),
}
DEFAULT_BAND = (120, 120, 120, 30)
