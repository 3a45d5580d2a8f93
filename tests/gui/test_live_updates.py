"""Two workstations on one database (issue 16): what one saves shows in the other within
a second, and nothing half-typed in the other is touched.

A real PostgreSQL server (two logins, two stores, two main windows) and, more cheaply,
two windows on one SQLite file. Each window is driven as a person drives it: keys typed
into the focused field, Ctrl+S, the labs grid's Enter.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from clinical.accounts import Role
from clinical.record import LabTest, Patient, Sex
from gui.bridge import StoreBridge
from gui.forms.patient_form import PatientDialog
from gui.labs_grid import TESTS
from gui.main_window import MainWindow
from gui.settings import Settings
from guitest_helpers import click, open_section, select_item, set_date, type_into
from storage.repository import SqliteStore

PASSWORD = "correct horse 7"
LIVE_MS = 1000           # the promise: another workstation's save shows within a second
FEED_THREADS = ("hemalog-server-feed", "hemalog-file-feed")


def feed_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name in FEED_THREADS]


@pytest.fixture(autouse=True)
def _no_feed_left(qapp: Any) -> Iterator[None]:
    yield
    # pytest-qt has closed the windows by now: their feeds' threads must be gone.
    assert feed_threads() == [], "a window left its change feed running"


# --- two workstations ------------------------------------------------------------------------
class Ward:
    """The stores, bridges and windows of a test; closed at the end."""

    def __init__(self, qtbot: Any, tmp_path: Path, dialogs: Any) -> None:
        self.qtbot = qtbot
        self.dialogs = dialogs
        self.tmp_path = tmp_path
        self.stores: list[Any] = []

    def window(self, store: Any, account: Any, name: str) -> MainWindow:
        self.stores.append(store)
        bridge = StoreBridge(store)
        bridge.sign_in(account)
        ini = self.tmp_path / f"{name}.ini"
        window = MainWindow(bridge, Settings(QSettings(str(ini), QSettings.Format.IniFormat)))
        self.qtbot.addWidget(window, before_close_func=self._discard_on_close)
        with self.qtbot.waitExposed(window):
            window.show()
        return window

    def close(self) -> None:
        for store in self.stores:
            store.close()


    def _discard_on_close(self, _window: MainWindow) -> None:
        """A test that left input behind is not asked about it at teardown."""
        self.dialogs.question = QMessageBox.StandardButton.Discard


@pytest.fixture
def ward(qtbot: Any, tmp_path: Path, dialogs: Any) -> Iterator[Ward]:
    w = Ward(qtbot, tmp_path, dialogs)
    yield w
    w.close()


@pytest.fixture
def server_db(pg_hemalog_url: str) -> str:
    """A server database with an admin (adm), a physician (phil), a nurse (nina) and one
    patient, made as `hemalog server init` and File ▸ Users… make them."""
    from storage.pg_store import PostgresStore

    owner = PostgresStore.as_owner(pg_hemalog_url, user="adm")
    owner.accounts.create("adm", PASSWORD, Role.ADMIN, "Ada Admin")
    owner.close()
    admin = signed_in(pg_hemalog_url, "adm")
    admin.accounts.create("phil", PASSWORD, Role.PHYSICIAN, "Dr Phil")
    admin.accounts.create("nina", PASSWORD, Role.NURSE, "Nina")
    admin.patients.add(Patient(mrn="P-1", name="Li Wei", sex=Sex.MALE, diagnosis="T-ALL"))
    admin.close()
    return pg_hemalog_url


def signed_in(url: str, name: str) -> Any:
    from storage import open_store

    store = open_store(url, user="os-user")
    store.sign_in(store.accounts.sign_in(name, PASSWORD))
    return store


def server_windows(ward: Ward, url: str) -> tuple[MainWindow, MainWindow]:
    """Window A (phil) and window B (nina), both showing patient P-1."""
    windows = []
    for name in ("phil", "nina"):
        store = signed_in(url, name)
        windows.append(ward.window(store, store.accounts.sign_in(name, PASSWORD), name))
    for window in windows:
        window.open_patient(window.patient_list.patients()[0])
        wait_live(ward.qtbot, window)
    return windows[0], windows[1]


def file_windows(ward: Ward, path: Path) -> tuple[MainWindow, MainWindow]:
    """Two windows (two connections) on one SQLite file, both showing P-1."""
    first = SqliteStore(path, user="ada")
    ada = first.accounts.create("ada", PASSWORD, Role.ADMIN, "Ada Admin")
    first.sign_in(ada)
    first.accounts.create("nina", PASSWORD, Role.NURSE, "Nina")
    first.patients.add(Patient(mrn="P-1", name="Li Wei", sex=Sex.MALE, diagnosis="T-ALL"))
    second = SqliteStore(path, user="nina")
    windows = [ward.window(first, ada, "ada"),
               ward.window(second, second.accounts.sign_in("nina", PASSWORD), "nina")]
    for window in windows:
        window.open_patient(window.patient_list.patients()[0])
        wait_live(ward.qtbot, window)
    return windows[0], windows[1]


def wait_live(qtbot: Any, window: MainWindow) -> None:
    """The window's change feed listens (changes committed before may go unreported)."""
    qtbot.waitUntil(lambda: window.live._watch is not None and window.live._watch.ready.is_set(),
                    timeout=5000)


def activate(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitActive(window):
        window.activateWindow()


def save_keys(qtbot: Any, window: MainWindow) -> None:
    """Ctrl+S where the cursor is: the form in view is saved."""
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def weights(window: MainWindow) -> list[float | None]:
    return [m.weight_kg for m in window.workspace.measurements.model.items()]


def plotted(window: MainWindow, test: str) -> list[float]:
    xs, ys = window.plots.plots.curves[test].getOriginalDataset()
    return [] if ys is None else [float(y) for y in ys]


def type_measurement(qtbot: Any, window: MainWindow, iso: str, weight: str,
                     height: str = "") -> Any:
    ws = window.workspace
    open_section(ws, ws.measurements)
    form = ws.measurement_form
    set_date(form.field("date"), iso)
    if height:
        type_into(qtbot, form.field("height_cm"), height)
    type_into(qtbot, form.field("weight_kg"), weight)
    return form


def type_lab_row(qtbot: Any, window: MainWindow, iso: str, wbc: str, *, enter: bool) -> Any:
    """New lab row, the date, Tab, the WBC; Enter saves the row when ``enter``."""
    grid = window.workspace.labs
    open_section(window.workspace, grid)
    click(qtbot, next(b for b in grid.findChildren(QPushButton)
                      if b.accessibleName() == "New lab row"))
    qtbot.keyClicks(QApplication.focusWidget(), iso)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.wait(1)
    qtbot.keyClicks(QApplication.focusWidget(), wbc)
    if enter:
        with qtbot.waitSignal(grid.row_saved, timeout=3000):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    return grid


def grid_row(grid: Any, iso: str) -> list[str] | None:
    for r in range(grid.table.rowCount()):
        if grid.table.item(r, 0).text() == iso:
            return [grid.table.item(r, c).text() if grid.table.item(r, c) else ""
                    for c in range(grid.table.columnCount())]
    return None


WBC = 1 + TESTS.index(LabTest.WBC)


# --- the server ------------------------------------------------------------------------------
def test_a_measurement_saved_in_one_window_shows_in_the_other_and_spares_its_input(
        qtbot: Any, ward: Ward, server_db: str) -> None:
    a, b = server_windows(ward, server_db)
    # B: half a search typed, half a marrow result typed, a row chosen in the list.
    activate(qtbot, b)
    b.patient_list.search.setFocus()
    qtbot.keyClicks(b.patient_list.search, "P-")
    b.patient_list.table.selectRow(0)
    marrow = b.workspace.marrow_form
    open_section(b.workspace, b.workspace.marrow)
    type_into(qtbot, marrow.field("blasts_pct"), "4")
    b.workspace.tabs.setCurrentWidget(b.workspace.marrow)

    activate(qtbot, a)
    type_measurement(qtbot, a, "2025-04-10", "63.5", "170")
    save_keys(qtbot, a)
    assert weights(a) == [63.5]

    qtbot.waitUntil(lambda: weights(b) == [63.5], timeout=LIVE_MS)
    assert b.workspace.header.bsa.text().startswith("BSA 1.7")   # the header anew: BSA known
    assert marrow.field("blasts_pct").edit.text() == "4"     # B's typing untouched
    assert marrow.is_dirty()
    assert b.patient_list.search.text() == "P-"
    assert b.patient_list.table.selectionModel().selectedRows()[0].row() == 0


def test_a_lab_saved_in_one_window_reaches_the_others_plot_and_a_busy_grid_waits(
        qtbot: Any, ward: Ward, server_db: str) -> None:
    a, b = server_windows(ward, server_db)
    # B is half way through a lab row: the date typed, the WBC being typed (editor open).
    activate(qtbot, b)
    b_grid = type_lab_row(qtbot, b, "2025-04-12", "7.", enter=False)
    assert b_grid.table.state() == b_grid.table.State.EditingState

    # A (B's window keeps the keyboard) pastes a row into its grid and saves it.
    a_grid = a.workspace.labs
    open_section(a.workspace, a_grid)
    a_grid.add_row("2025-04-11", {LabTest.WBC: "3.2"})
    with qtbot.waitSignal(a_grid.row_saved, timeout=3000):
        click(qtbot, next(b for b in a_grid.findChildren(QPushButton)
                          if b.accessibleName() == "Save changed lab rows"))

    qtbot.waitUntil(lambda: plotted(b, "wbc") == [3.2], timeout=LIVE_MS)
    assert [lab.value for lab in b.workspace.record.labs] == [3.2]
    # The grid with B's unsaved input was not rebuilt: the editor is still open ...
    assert b_grid.table.state() == b_grid.table.State.EditingState
    assert grid_row(b_grid, "2025-04-11") is None
    # ... and once B's row is saved the grid shows both rows.
    activate(qtbot, b)
    qtbot.keyClicks(QApplication.focusWidget(), "7")
    with qtbot.waitSignal(b_grid.row_saved, timeout=3000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid_row(b_grid, "2025-04-11") is not None, timeout=LIVE_MS)
    assert grid_row(b_grid, "2025-04-11")[WBC] == "3.2"
    assert grid_row(b_grid, "2025-04-12")[WBC] == "7.7"
    # and A sees B's row
    qtbot.waitUntil(lambda: sorted(plotted(a, "wbc")) == [3.2, 7.7], timeout=LIVE_MS)


def test_a_new_patient_in_one_window_joins_the_others_list(
        qtbot: Any, ward: Ward, server_db: str) -> None:
    a, b = server_windows(ward, server_db)
    activate(qtbot, b)
    form = b.workspace.measurement_form
    open_section(b.workspace, b.workspace.measurements)
    type_into(qtbot, form.field("weight_kg"), "58")   # half-typed in B

    activate(qtbot, a)

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PatientDialog)
        for key, text in (("mrn", "P-2"), ("name", "Wang Fang"), ("diagnosis", "AML")):
            edit = dialog.fields[key].focus_widget()
            edit.setFocus()
            QTest.keyClicks(edit, text)
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))

    QTimer.singleShot(0, fill_in)
    a.new_patient()

    qtbot.waitUntil(lambda: [p.mrn for p in b.patient_list.patients()] == ["P-1", "P-2"],
                    timeout=LIVE_MS)
    assert form.field("weight_kg").edit.text() == "58"
    assert b.workspace.record.patient.mrn == "P-1"   # B still shows its patient


def _reads_and_news(window: MainWindow) -> tuple[list[int], list[Any]]:
    """The patients ``window`` reads back from the database from now on, and the changes
    its feed brings it (each window's own lists)."""
    reads: list[int] = []
    news: list[Any] = []
    load = window.bridge.load_record

    def counted(patient_id: int) -> Any:
        reads.append(patient_id)
        return load(patient_id)

    window.bridge.load_record = counted   # type: ignore[method-assign]
    window.live.changed.connect(news.append)
    return reads, news


def save_lab_row(qtbot: Any, window: MainWindow, iso: str, wbc: str) -> None:
    """A lab row pasted into ``window``'s grid and saved with Save changed rows."""
    grid = window.workspace.labs
    open_section(window.workspace, grid)
    grid.add_row(iso, {LabTest.WBC: wbc})
    with qtbot.waitSignal(grid.row_saved, timeout=3000):
        click(qtbot, next(b for b in grid.findChildren(QPushButton)
                          if b.accessibleName() == "Save changed lab rows"))


@pytest.mark.parametrize("backend", ["server", "file"])
def test_a_window_does_not_read_back_its_own_save_but_reads_the_others(
        qtbot: Any, ward: Ward, request: pytest.FixtureRequest, tmp_path: Path,
        backend: str) -> None:
    """A value saved here is shown from memory: this window's feed does not bring the
    save back (a reload of a patient with years of counts after every value typed),
    while the other window's feed still brings it there, and the other's saves here."""
    a, b = server_windows(ward, request.getfixturevalue("server_db")) \
        if backend == "server" else file_windows(ward, tmp_path / "ward.db")
    (a_reads, a_news), (b_reads, b_news) = _reads_and_news(a), _reads_and_news(b)
    patient = a.workspace.patient_id

    activate(qtbot, a)
    save_lab_row(qtbot, a, "2025-04-11", "3.2")
    assert plotted(a, "wbc") == [3.2]
    qtbot.waitUntil(lambda: plotted(b, "wbc") == [3.2], timeout=LIVE_MS)
    assert [sorted(c.patients) for c in b_news] == [[patient]] and b_reads == [patient]
    qtbot.wait(3 * 250 + 200)   # the feeds' slowest round (the file's poll) and then some
    assert a_news == [] and a_reads == []   # A's own save: not heard, not read back

    activate(qtbot, b)
    save_lab_row(qtbot, b, "2025-04-12", "7.7")
    qtbot.waitUntil(lambda: sorted(plotted(a, "wbc")) == [3.2, 7.7], timeout=LIVE_MS)
    assert a_reads == [patient]
    assert [lab.value for lab in a.workspace.record.labs] == [3.2, 7.7]
    qtbot.wait(3 * 250 + 200)
    assert len(b_news) == 1 and b_reads == [patient]   # nor B its own


def test_closing_the_windows_ends_their_feeds(qtbot: Any, ward: Ward, server_db: str) -> None:
    a, b = server_windows(ward, server_db)
    assert len(feed_threads()) == 2
    for window in (a, b):
        assert window.close()
    assert feed_threads() == []


def test_the_same_item_corrected_in_both_windows_shows_both_values(
        qtbot: Any, ward: Ward, server_db: str, dialogs: Any) -> None:
    a, b = server_windows(ward, server_db)
    activate(qtbot, a)
    type_measurement(qtbot, a, "2025-04-10", "63.5", "170")
    save_keys(qtbot, a)
    qtbot.waitUntil(lambda: weights(b) == [63.5], timeout=LIVE_MS)
    dialogs.text = "weighed again"        # the reason each correction asks for
    forms = {}
    for window, weight in ((a, "64"), (b, "65")):   # both open the saved item to correct it
        activate(qtbot, window)
        ws = window.workspace
        open_section(ws, ws.measurements)
        select_item(qtbot, ws.measurements, lambda m: m.weight_kg == 63.5)
        click(qtbot, ws.measurements.correct_button)
        type_into(qtbot, ws.measurement_form.field("weight_kg"), weight)
        forms[window] = ws.measurement_form
    activate(qtbot, a)
    save_keys(qtbot, a)
    assert weights(a) == [64]
    activate(qtbot, b)
    save_keys(qtbot, b)      # the second save: B started from the version before A's
    problem = forms[b].general_error.text()
    assert "Not saved" in problem and "changed by someone else" in problem
    assert "64" in problem and "65" in problem       # what is saved now, and B's
    assert forms[b].field("weight_kg").edit.text() == "65"   # B's value kept
    with signed_in_store(server_db, "adm") as store:
        pid = store.patients.get_by_mrn("P-1").id
        assert [m.weight_kg for m in store.measurements.list(pid)] == [64]


class signed_in_store:  # noqa: N801 - a context manager, like open()
    def __init__(self, url: str, name: str) -> None:
        self.store = signed_in(url, name)

    def __enter__(self) -> Any:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


# --- one SQLite file, two windows ----------------------------------------------------------
def test_two_windows_on_one_file_see_each_others_saves(
        qtbot: Any, ward: Ward, tmp_path: Path) -> None:
    a, b = file_windows(ward, tmp_path / "ward.db")
    activate(qtbot, b)
    form = b.workspace.measurement_form
    open_section(b.workspace, b.workspace.measurements)
    type_into(qtbot, form.field("weight_kg"), "58")

    activate(qtbot, a)
    type_measurement(qtbot, a, "2025-04-10", "63.5", "170")
    save_keys(qtbot, a)

    qtbot.waitUntil(lambda: weights(b) == [63.5], timeout=LIVE_MS)
    assert form.field("weight_kg").edit.text() == "58"
    assert form.is_dirty()
    assert date(2025, 4, 10) in [m.date for m in b.workspace.record.measurements]
