"""Issue 18: years of daily counts redraw within a frame, and nothing is lost to see.

A long series is drawn decimated to the pixels across (a peak pair per pixel column,
so the lowest and highest values are always drawn) without antialiasing; zoomed in,
every point in view is drawn, smoothed, with its markers.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from clinical.derive import derive
from clinical.record import Lab, LabTest, Patient, Record
from gui.plots.trend_plots import TrendPlots

START = date(2010, 1, 1)
X0 = (START - date(1970, 1, 1)).days   # calendar x: days since 1970-01-01
DAYS = 6_000
NADIR_DAY, PEAK_DAY = 4_321, 1_234


def _anc(day: int) -> float:
    if day == NADIR_DAY:
        return 0.01
    if day == PEAK_DAY:
        return 48.0
    return round(1 + (day * 7919 % 1000) / 100, 2)


@pytest.fixture
def plots(qtbot) -> TrendPlots:  # noqa: ANN001
    labs = tuple(Lab(date=START + timedelta(days=d), test=LabTest.ANC, value=_anc(d),
                     unit="10^9/L", id=d + 1, version=1) for d in range(DAYS))
    record = Record(patient=Patient(mrn="R-1", name="Long Series", diagnosis="AML", id=1,
                                    version=1), labs=labs)
    widget = TrendPlots()
    qtbot.addWidget(widget)
    widget.resize(900, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_record(1, record, derive(record))
    qtbot.wait(10)
    return widget


def _drawn(plots: TrendPlots) -> tuple[np.ndarray, np.ndarray]:
    x, y = plots.curves["anc"].getData()   # what the curve paints: clipped and decimated
    return np.asarray(x), np.asarray(y)


def test_a_long_series_is_drawn_a_peak_pair_per_pixel_and_keeps_its_extremes(
        plots: TrendPlots) -> None:
    x, y = _drawn(plots)
    pixels = plots.panels["A"].vb.width()
    # a min/max pair per group of int(points / pixels) points: about two per pixel
    assert 0 < len(x) <= 2 * 1.2 * pixels    # not 6,000 points for ~800 pixels
    assert y.min() == 0.01 and y.max() == 48.0   # the nadir and the peak are drawn
    curve = plots.curves["anc"]
    assert curve.curve.opts["antialias"] is False and curve.opts["symbol"] is None


def test_zoomed_in_every_point_in_view_is_drawn_smoothed_with_markers(
        plots: TrendPlots, qtbot) -> None:  # noqa: ANN001
    first = START + timedelta(days=NADIR_DAY - 100)
    plots.show_days(first, first + timedelta(days=200))
    qtbot.wait(10)
    x, y = _drawn(plots)
    inside = (x >= X0 + NADIR_DAY - 100) & (x <= X0 + NADIR_DAY + 100)
    # every day in view, each with its own value (one beyond each edge reaches the border)
    assert np.array_equal(x[inside], X0 + np.arange(NADIR_DAY - 100, NADIR_DAY + 101))
    assert [float(v) for v in y[inside]] == [_anc(d) for d in range(NADIR_DAY - 100,
                                                                     NADIR_DAY + 101)]
    curve = plots.curves["anc"]
    assert curve.curve.opts["antialias"] is True and curve.opts["symbol"] is not None


def test_a_new_point_lands_in_place_and_a_correction_moves_it(plots: TrendPlots) -> None:
    day = START + timedelta(days=DAYS + 5)
    plots.add_or_update_lab(Lab(date=day, test=LabTest.ANC, value=3.3, unit="10^9/L",
                                id=99_999, version=1))
    series = plots.lab_series["anc"]
    assert len(series.ids) == DAYS + 1 and series.ids[-1] == 99_999
    plots.add_or_update_lab(Lab(date=START, test=LabTest.ANC, value=7.7, unit="10^9/L",
                                id=99_999, version=2))   # corrected to another day
    assert len(series.ids) == DAYS + 1
    assert series.days[1] == X0 and series.values[1] == 7.7
    assert list(np.diff(series.days) >= 0) == [True] * DAYS   # still in date order
    plots.remove_lab(99_999)
    assert len(series.ids) == DAYS and 99_999 not in series.ids
