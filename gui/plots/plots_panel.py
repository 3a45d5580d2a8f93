"""The plots view: x-axis toggle, range presets, reset, save as PNG, hover read-out."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from clinical.derive import Derived
from clinical.record import EventType, Record
from gui.bridge import StoreBridge
from gui.plots.axes import XMode
from gui.plots.trend_plots import TrendPlots

MODE_NAMES = {XMode.CALENDAR: "Dates", XMode.CART: "Days from CAR-T",
              XMode.HSCT: "Days from HSCT"}
PRESETS = ("All", "Last 30 days", "Last 90 days", "Around CAR-T", "Around HSCT")


class PlotsPanel(QWidget):
    """Trend plots that follow the open patient and every save, live."""

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.plots = TrendPlots()
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName("X axis")
        self.mode_combo.currentIndexChanged.connect(self._on_mode)
        self.range_combo = QComboBox()
        self.range_combo.setAccessibleName("Range")
        self.range_combo.addItems(PRESETS)
        self.range_combo.activated.connect(self._on_range)
        reset = QPushButton("Reset view")   # no Alt+letter: the dock sits beside every form
        reset.setAccessibleName("Reset plot view")
        reset.clicked.connect(self.plots.reset_view)
        save = QPushButton("Save PNG…")
        save.setAccessibleName("Save plots as PNG")
        save.clicked.connect(self.save_png)
        self.readout = QLabel("Hover over a point to read it.")
        self.readout.setAccessibleName("Plot value under the mouse")
        self.plots.hovered.connect(self.readout.setText)
        bar = QHBoxLayout()
        for w in (QLabel("X:"), self.mode_combo, QLabel("Show:"), self.range_combo):
            bar.addWidget(w)
        bar.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(reset)
        buttons.addWidget(save)
        buttons.addStretch(1)
        self.readout.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(buttons)
        layout.addWidget(self.readout)
        layout.addWidget(self.plots, 1)
        bridge.item_saved.connect(self._on_item_saved)
        bridge.item_voided.connect(self._on_item_voided)

    def show_record(self, patient_id: int, record: Record, derived: Derived) -> None:
        self.plots.show_record(patient_id, record, derived)
        current = self.mode_combo.currentData()
        self.mode_combo.blockSignals(True)
        self.mode_combo.clear()
        for mode in self.plots.available_modes():
            self.mode_combo.addItem(MODE_NAMES[mode], mode)
        index = self.mode_combo.findData(current)
        self.mode_combo.setCurrentIndex(max(index, 0))
        self.mode_combo.blockSignals(False)
        if self.mode_combo.currentData() != self.plots.mode:
            self.plots.set_mode(self.mode_combo.currentData())

    def _on_item_saved(self, kind: str, patient_id: int, item: Any) -> None:
        if kind == "labs" and patient_id == self.plots.patient_id:
            self.plots.add_or_update_lab(item)

    def _on_item_voided(self, kind: str, patient_id: int, item_id: int) -> None:
        if kind == "labs" and patient_id == self.plots.patient_id:
            self.plots.remove_lab(item_id)

    def _on_mode(self) -> None:
        mode = self.mode_combo.currentData()
        if mode is not None:
            self.plots.set_mode(mode)

    def _on_range(self) -> None:
        trend = self.plots.trend
        if trend is None or trend.last_date() is None:
            return
        preset = self.range_combo.currentText()
        last = trend.last_date()
        anchors = trend.anchors
        if preset == "All":
            self.plots.reset_view()
        elif preset.startswith("Last"):
            days = 30 if "30" in preset else 90
            self.plots.show_days(last - timedelta(days=days), last)
        else:
            event = EventType.CART_INFUSION if "CAR-T" in preset else EventType.HSCT
            anchor: date | None = anchors.get(event)
            if anchor is None:
                self.readout.setText(f"No {preset.split()[-1]} recorded for this patient.")
                return
            after = 60 if event is EventType.CART_INFUSION else 100
            self.plots.show_days(anchor - timedelta(days=14), anchor + timedelta(days=after))

    def save_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save plots", "trend-plots.png",
                                              "PNG image (*.png)")
        if path and not self.plots.save_png(path):
            QMessageBox.warning(self, "Not saved", f"Could not write {path}")
