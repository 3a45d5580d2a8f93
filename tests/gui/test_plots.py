"""Live trend plots: a value saved anywhere lands on its curve without a reload."""

from __future__ import annotations

import struct
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from clinical.derive import derive
from clinical.record import LabTest
from gui.bridge import StoreBridge
from gui.labs_grid import TESTS
from gui.main_window import MainWindow
from gui.plots.axes import XMode, day_text
from gui.plots.trend_plots import TrendPlots
from gui.settings import Settings
from resources import DEMO_MRN
from storage.repository import SqliteStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # noqa: ANN001
    store = SqliteStore(tmp_path / "plots.db", user="nurse")
    bridge = StoreBridge(store)
    window = MainWindow(bridge, Settings(QSettings(str(tmp_path / "s.ini"),
                                                   QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.show()
    window.load_demo()
    yield window
    window.workspace.labs.table.setRowCount(0)  # nothing unsaved: close without asking
    window.close()
    store.close()


def _points(plots: TrendPlots, test: str) -> list[tuple[float, float]]:
    xs, ys = plots.curves[test].getOriginalDataset()  # before any log transform
    return list(zip(xs.tolist(), ys.tolist()))


def test_demo_curves_hold_every_lab_value(demo_window: MainWindow) -> None:
    plots = demo_window.plots.plots
    record = demo_window.workspace.record
    anc = [lab for lab in record.labs if lab.test is LabTest.ANC]
    assert len(_points(plots, "anc")) == len(anc)
    # MRD: detected values on the curve, "not detected" (0 %) drawn apart at 0.01 %
    xs, ys = plots.curves["mrd_nd"].getOriginalDataset()
    assert len(xs) == 3 and set(ys.tolist()) == {0.01}


def test_a_lab_saved_in_the_grid_lands_on_the_curve_without_reload(
        demo_window: MainWindow, qtbot, monkeypatch) -> None:  # noqa: ANN001
    plots = demo_window.plots.plots
    # With reloading switched off, only the live path can put the point on the curve.
    monkeypatch.setattr(plots, "show_record", lambda *a: None)
    before = _points(plots, "anc")
    grid = demo_window.workspace.labs
    row = grid.add_row("2025-07-30")
    grid.table.item(row, 1 + TESTS.index(LabTest.ANC)).setText("0.42")
    with qtbot.waitSignal(demo_window.bridge.item_saved, timeout=2000):
        assert grid.save_row(row)
    after = _points(plots, "anc")
    x = (date(2025, 7, 30) - plots.origin).days
    assert (x, 0.42) in after and len(after) == len(before) + 1
    # voiding it takes the point away again
    lab = next(lab for lab in demo_window.bridge.items("labs", demo_window.workspace.patient_id)
               if lab.date == date(2025, 7, 30))
    demo_window.bridge.void_item("labs", demo_window.workspace.patient_id, lab.id, "test")
    assert (x, 0.42) not in _points(plots, "anc")


def test_days_from_hsct_read_naturally(demo_window: MainWindow) -> None:
    plots = demo_window.plots.plots
    plots.set_mode(XMode.HSCT)
    assert plots.origin == date(2025, 5, 23)
    assert plots.axes[0].tickStrings([-14, 0, 30], 1, 1) == ["\u221214", "0", "+30"]
    assert day_text(-36) == "\u221236"
    xs, _ys = plots.curves["anc"].getData()
    assert min(xs) < 0 < max(xs)  # values before and after the transplant
    plots.set_mode(XMode.CALENDAR)
    assert plots.axes[0].tickStrings([(date(2025, 5, 23) - date(1970, 1, 1)).days], 1, 1) == [
        "2025-05-23"]


def test_context_markers_bands_and_grades(demo_window: MainWindow) -> None:
    trend = demo_window.plots.plots.trend
    labels = [m.label for m in trend.markers]
    assert {"CAR-T", "HSCT", "ANC engrafted d+14", "PLT engrafted d+45"} <= set(labels)
    assert len(trend.bands) == 15          # one band per dated course, CRS treatment included
    crs = [g for g in trend.grades if g.kind == "crs"]
    assert crs[0].rank == 3
    assert len(demo_window.plots.plots.grade_scatter.data) == 4


def test_range_presets_and_reset(demo_window: MainWindow) -> None:
    panel = demo_window.plots
    panel.range_combo.setCurrentText("Around HSCT")
    panel._on_range()
    (x0, x1), _ = panel.plots.panels["A"].viewRange()
    hsct = (date(2025, 5, 23) - panel.plots.origin).days
    assert x0 <= hsct - 14 + 1 and x1 >= hsct + 99
    panel.plots.reset_view()
    (x0, x1), _ = panel.plots.panels["A"].viewRange()
    assert x1 - x0 > 400


def test_hover_reads_the_nearest_value(demo_window: MainWindow) -> None:
    plots = demo_window.plots.plots
    x = (date(2025, 6, 6) - plots.origin).days
    text = plots._nearest("A", x, 0.6)
    assert "2025-06-06" in text and "HSCT day +14" in text


def test_save_png(demo_window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "p.png"
    assert demo_window.plots.plots.save_png(str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_hemalog_plot_command_renders_headless(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    run = [sys.executable, str(ROOT / "main.py"), "--db", str(db)]
    assert subprocess.run([*run, "demo"], capture_output=True).returncode == 0
    out = tmp_path / "p.png"
    done = subprocess.run([*run, "plot", DEMO_MRN, "-o", str(out), "--anchor", "hsct"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _png_size(out) == (1400, 1500)
    bad = subprocess.run([*run, "plot", "NOPE", "-o", str(out)], capture_output=True, text=True)
    assert bad.returncode == 1 and "NOPE" in bad.stderr and "Traceback" not in bad.stderr
    missing = subprocess.run([*run, "plot", DEMO_MRN, "-o", str(tmp_path / "no" / "p.png")],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_show_record_redraws_only_context_when_labs_are_in_step(demo_window: MainWindow,
                                                                monkeypatch) -> None:  # noqa: ANN001
    plots = demo_window.plots.plots
    calls = []
    for series in plots.lab_series.values():
        monkeypatch.setattr(series, "set", lambda labs, s=series: calls.append(labs))
    ws = demo_window.workspace
    plots.show_record(ws.patient_id, ws.record, derive(ws.record))
    assert calls == []


def test_a_panel_that_first_appears_during_the_session_gets_its_full_height(qtbot) -> None:  # noqa: ANN001
    """Issue 12: the first count of its kind saved drew its panel ~15 px high until restart."""
    import json
    from dataclasses import replace

    from clinical.record import Lab
    from clinical.record_schema import parse_record
    from resources import DEMO_RECORD
    doc = json.loads(DEMO_RECORD.read_text(encoding="utf-8"))
    doc["labs"], doc["marrow"] = [], []
    record, _ = parse_record(doc)
    plots = TrendPlots()
    qtbot.addWidget(plots)
    plots.resize(546, 607)
    plots.show()
    plots.show_record(1, record, derive(record))
    qtbot.waitUntil(lambda: plots.panels["events"].geometry().height() > 0, timeout=3000)
    assert not plots.panels["A"].isVisible()
    plots.layout_widget.resizeEvent(None)   # the view settles with only the strip to show
    with_wbc = replace(record, labs=(Lab(date=date(2025, 4, 9), test=LabTest.WBC, value=3.2,
                                         unit="10^9/L", id=1),))
    plots.add_or_update_lab(with_wbc.labs[0])
    plots.show_record(1, with_wbc, derive(with_wbc))
    qtbot.wait(50)
    assert plots.panels["A"].isVisible()
    view = plots.layout_widget.height()
    assert plots.layout_widget.ci.geometry().height() == view
    assert plots.panels["A"].geometry().height() > view * 0.5


def test_plots_speak_the_chosen_language(qtbot) -> None:  # noqa: ANN001
    """Titles, legends and row names through Qt's translators (needs the compiled catalogue)."""
    import json

    from clinical.record_schema import parse_record
    from gui.i18n import use_language
    from resources import DEMO_RECORD
    record, _ = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    use_language("zh_CN")
    try:
        plots = TrendPlots()
        qtbot.addWidget(plots)
        plots.show_record(1, record, derive(record))
        assert plots.panels["events"].titleLabel.text == "毒性分级与输血"
        assert plots.curves["mrd_nd"].name() == "MRD未检出"
        assert "血红蛋白" in plots.panels["B"].titleLabel.text
        hsct = plots._day_labels(date(2025, 6, 6))
        assert "HSCT +14天" in hsct
    finally:
        use_language("en")


def test_hemalog_plot_lang_leaves_the_language_as_it_was(tmp_path: Path, qtbot) -> None:  # noqa: ANN001
    import lang
    import main
    db = tmp_path / "p.db"
    assert main.main(["--db", str(db), "demo"]) == 0
    out = tmp_path / "zh.png"
    assert main.main(["--db", str(db), "plot", DEMO_MRN, "-o", str(out), "--lang",
                      "zh_CN"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert lang.current() == lang.EN


def _save_anc(grid, iso: str, text: str) -> None:  # noqa: ANN001
    """The row of ``iso`` (a new one if there is none), ANC typed over, the row saved."""
    rows = [r for r in range(grid.table.rowCount()) if grid.table.item(r, 0).text() == iso]
    row = rows[0] if rows else grid.add_row(iso)
    grid.table.item(row, 1 + TESTS.index(LabTest.ANC)).setText(text)
    assert grid.save_row(row)


def test_a_value_saved_then_corrected_here_and_elsewhere_is_one_point(
        demo_window: MainWindow, qtbot, dialogs) -> None:  # noqa: ANN001
    """A value saved here is checked against the record by identity (no regrouping of
    every lab); a correction here, or the record changed at another workstation, is
    checked in full: each time the curve holds the value once, as the database has it."""
    from dataclasses import replace

    from clinical.record import Lab
    from storage.live import Change
    plots, ws = demo_window.plots.plots, demo_window.workspace
    grid = ws.labs
    ws.tabs.setCurrentWidget(grid)
    x = (date(2025, 7, 30) - plots.origin).days
    count = len(_points(plots, "anc"))

    def on_the_day() -> list[float]:
        return [y for xx, y in _points(plots, "anc") if xx == x]

    _save_anc(grid, "2025-07-30", "0.42")
    assert on_the_day() == [0.42] and len(_points(plots, "anc")) == count + 1
    dialogs.text = "typo"                            # the reason a correction asks for
    _save_anc(grid, "2025-07-30", "0.24")
    assert on_the_day() == [0.24] and len(_points(plots, "anc")) == count + 1
    store = demo_window.bridge.store
    saved = next(lab for lab in store.labs.list(ws.patient_id)
                 if lab.date == date(2025, 7, 30) and lab.test is LabTest.ANC)
    store.labs.update(replace(saved, value=2.4), "lab called back")
    store.labs.add(ws.patient_id, Lab(date=date(2025, 7, 30), test=LabTest.PLT, value=15,
                                      unit="10^9/L"))
    demo_window.bridge.take_change(Change(frozenset({ws.patient_id})))   # as the feed does
    assert on_the_day() == [2.4] and len(_points(plots, "anc")) == count + 1
    assert (x, 15) in _points(plots, "plt")
    _save_anc(grid, "2025-07-30", "0.9")             # and here again, after the reload
    assert on_the_day() == [0.9] and len(_points(plots, "anc")) == count + 1


def test_another_patient_gets_its_own_line_and_course_labels(qtbot) -> None:  # noqa: ANN001
    """The labels and lines are kept from one patient to the next: each patient shows
    its own (given their words, places and colours again), none of the patient before."""
    import json
    from dataclasses import replace

    from clinical.record import EventType
    from clinical.record_schema import parse_record
    from gui.plots.trend_plots import Z_MARKER_LABEL, Z_MARKER_LINE
    from resources import DEMO_RECORD
    demo, _ = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    # A second patient: the demo without its CAR-T and PET-CTs, and with two courses.
    other = replace(demo, patient=replace(demo.patient, mrn="OTHER"),
                    events=tuple(e for e in demo.events
                                 if e.type not in (EventType.CART_INFUSION, EventType.PET_CT)),
                    courses=demo.courses[:2])
    plots = TrendPlots()
    qtbot.addWidget(plots)
    plots.resize(900, 1200)
    plots.show()
    for patient_id, record in ((1, demo), (2, other), (1, demo)):
        plots.show_record(patient_id, record, derive(record))
        qtbot.wait(1)
        trend = plots.trend
        markers, bands = len(trend.markers), len(trend.bands)
        assert [t.toPlainText() for t in plots._marker_labels if t.isVisible()] == [
            str(m.label) for m in trend.markers]
        assert [t.toPlainText() for t in plots._course_labels[:bands]] == [
            b.label[:28] for b in trend.bands]
        assert not any(t.isVisible() for t in plots._course_labels[bands:])
        for key, panel in plots.panels.items():   # (a panel without data is hidden)
            lines = plots._marker_lines[key]
            assert [line.value() for line in lines[:markers]] == [
                plots._x(m.date) for m in trend.markers]
            assert all(line.isVisibleTo(panel) for line in lines[:markers])
            assert not any(line.isVisibleTo(panel) for line in lines[markers:])
            assert all(line.zValue() == Z_MARKER_LINE for line in lines)
        assert all(t.zValue() == Z_MARKER_LABEL for t in plots._marker_labels)
    assert len(plots._marker_labels) == len(plots.trend.markers)   # kept, not made again
