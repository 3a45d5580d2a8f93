"""The plots view: x-axis toggle, range presets, reset, save as PNG, hover read-out."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from clinical.derive import Derived
from clinical.record import EventType, Record
from gui.bridge import StoreBridge
from gui.plots.axes import XMode
from gui.plots.trend_plots import TrendPlots

MODE_NAMES = {XMode.CALENDAR: QT_TRANSLATE_NOOP("PlotsPanel", "Dates"),
              XMode.CART: QT_TRANSLATE_NOOP("PlotsPanel", "Days from CAR-T"),
              XMode.HSCT: QT_TRANSLATE_NOOP("PlotsPanel", "Days from HSCT")}
# (key, English name) of the range presets; shown translated, chosen by key.
PRESETS = (("all", QT_TRANSLATE_NOOP("PlotsPanel", "All")),
           ("last_30", QT_TRANSLATE_NOOP("PlotsPanel", "Last 30 days")),
           ("last_90", QT_TRANSLATE_NOOP("PlotsPanel", "Last 90 days")),
           ("around_cart", QT_TRANSLATE_NOOP("PlotsPanel", "Around CAR-T")),
           ("around_hsct", QT_TRANSLATE_NOOP("PlotsPanel", "Around HSCT")))


class PlotsPanel(QWidget):
    """Trend plots that follow the open patient and every save, live."""

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.plots = TrendPlots()
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName(self.tr("X axis"))
        self.mode_combo.currentIndexChanged.connect(self._on_mode)
        self.range_combo = QComboBox()
        self.range_combo.setAccessibleName(self.tr("Range"))
        for key, name in PRESETS:
            self.range_combo.addItem(QCoreApplication.translate("PlotsPanel", name), key)
        self.range_combo.activated.connect(self._on_range)
        # No Alt+letter: the dock sits beside every form.
        reset = QPushButton(self.tr("Reset view"))
        reset.setAccessibleName(self.tr("Reset plot view"))
        reset.clicked.connect(self.plots.reset_view)
        save = QPushButton(self.tr("Save PNG…"))
        save.setAccessibleName(self.tr("Save plots as PNG"))
        save.clicked.connect(self.save_png)
        self.readout = QLabel(self.tr("Hover over a point to read it."))
        self.readout.setAccessibleName(self.tr("Plot value under the mouse"))
        self.plots.hovered.connect(self.readout.setText)
        bar = QHBoxLayout()
        for w in (QLabel(self.tr("X:")), self.mode_combo, QLabel(self.tr("Show:")),
                  self.range_combo):
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
        modes = self.plots.available_modes()
        if modes != [self.mode_combo.itemData(i) for i in range(self.mode_combo.count())]:
            # (the same choices, as after most saves: the list is left as it is)
            self.mode_combo.blockSignals(True)
            self.mode_combo.clear()
            for mode in modes:
                self.mode_combo.addItem(
                    QCoreApplication.translate("PlotsPanel", MODE_NAMES[mode]), mode)
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
        preset = self.range_combo.currentData()
        last = trend.last_date()
        anchors = trend.anchors
        if preset == "all":
            self.plots.reset_view()
        elif preset in ("last_30", "last_90"):
            days = 30 if preset == "last_30" else 90
            self.plots.show_days(last - timedelta(days=days), last)
        else:
            event = EventType.CART_INFUSION if preset == "around_cart" else EventType.HSCT
            anchor: date | None = anchors.get(event)
            if anchor is None:
                self.readout.setText(self.tr("No CAR-T recorded for this patient.")
                                     if event is EventType.CART_INFUSION else
                                     self.tr("No HSCT recorded for this patient."))
                return
            after = 60 if event is EventType.CART_INFUSION else 100
            self.plots.show_days(anchor - timedelta(days=14), anchor + timedelta(days=after))

    def save_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save plots"), "trend-plots.png",
                                              self.tr("PNG image (*.png)"))
        if path and not self.plots.save_png(path):
            QMessageBox.warning(self, self.tr("Not saved"),
                                self.tr("Could not write {path}").format(path=path))
