"""The shared x axis: calendar dates or day numbers from CAR-T or HSCT.

x is always a whole number of days since an origin: 1970-01-01 for calendar
dates, the anchor's date for day numbers (so day 0 is the infusion or transplant).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

import pyqtgraph as pg

EPOCH = date(1970, 1, 1)


class XMode(StrEnum):
    CALENDAR = "date"
    CART = "cart"
    HSCT = "hsct"


def day_text(n: float) -> str:
    """Day numbers read naturally: '−14', '0', '+30' (a true minus sign)."""
    k = int(round(n))
    return f"+{k}" if k > 0 else f"\u2212{-k}" if k < 0 else "0"


class DayAxis(pg.AxisItem):
    """Bottom axis labelling x either as dates or as day numbers."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(orientation="bottom", **kwargs)
        self.origin = EPOCH
        self.calendar = True

    def set_origin(self, origin: date, calendar: bool) -> None:
        self.origin = origin
        self.calendar = calendar
        self.picture = None
        self.update()

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        if not self.calendar:
            return [day_text(v) for v in values]
        out = []
        for v in values:
            try:
                out.append((self.origin + timedelta(days=int(round(v)))).isoformat())
            except OverflowError:
                out.append("")
        return out

    def tickSpacing(self, minVal: float, maxVal: float, size: float):  # noqa: N802, N803, ANN201
        # Ticks at whole weeks or months of days, never at fractions of a day.
        span = max(maxVal - minVal, 1)
        for major in (1, 2, 7, 14, 28, 56, 91, 182, 365, 730):
            if span / major <= max(size / 110, 2):
                return [(major, 0), (major / 7 if major >= 7 else major, 0)]
        return [(1460, 0), (365, 0)]
