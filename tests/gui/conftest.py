"""Fixtures for the GUI tests: a nurse's store, the bridge, throwaway settings, the
main window with the demo patient open, and scripted answers for every modal dialog.

Modal dialogs (QMessageBox.question/information/warning/critical, QInputDialog.getText)
would block a headless run forever, so each is replaced by a plain function (not a
Mock: style.md §8) that records the call and returns the answer the test scripted.
The signature dialog is the real one, shown without blocking: the scripted password is
typed into its field key by key and Enter pressed, as the signer would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from gui.bridge import StoreBridge
from gui.main_window import MainWindow
from gui.plots.plots_panel import PlotsPanel
from gui.settings import Settings
from gui.signature_dialog import SignatureDialog
from gui.workspace import PatientWorkspace
from resources import DEMO_MRN
from storage.repository import SqliteStore
from tests.conftest import open_test_store

HERE = Path(__file__).resolve().parent

# The offscreen platform plugin says this (as a Qt warning) whenever a top-level
# window with size constraints is shown; it is about the test platform, not hemalog.
OFFSCREEN_NOISE = r"^This plugin does not support propagateSizeHints\(\)$"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.gui)
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


Button = QMessageBox.StandardButton


@pytest.fixture(autouse=True)
def _delete_closed_widgets(qapp: QApplication) -> Iterator[None]:
    """pytest-qt closes each test's widgets with deleteLater(); without an event loop the
    deletions pile up and every later test drags dozens of hidden main windows along.
    Runs after pytest-qt has closed the widgets (its teardown hook comes first)."""
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@dataclass
class Dialogs:
    """Scripted answers for modal dialogs and a record of every one shown."""

    question: Button = Button.Cancel      # what QMessageBox.question answers
    text: str | None = None               # QInputDialog.getText: None = the user cancels
    password: str | None = None           # typed into the signature dialog: None = Cancel
    calls: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, title, text)

    def of(self, kind: str) -> list[tuple[str, str, str]]:
        return [c for c in self.calls if c[0] == kind]


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    script = Dialogs()

    def question(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Button:
        script.calls.append(("question", title, text))
        return script.question

    def note(kind: str) -> Any:
        def show(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Button:
            script.calls.append((kind, title, text))
            return Button.Ok
        return show

    def get_text(parent: Any, title: str, label: str, *args: Any, **kwargs: Any
                 ) -> tuple[str, bool]:
        script.calls.append(("getText", title, label))
        return (script.text, True) if script.text is not None else ("", False)

    def sign(dialog: SignatureDialog) -> int:
        """Type the scripted password and press Enter; a dialog still open then (Cancel
        scripted, or a wrong password: its message is recorded) is cancelled."""
        dialog.show()
        if script.password is not None:
            dialog.password.setFocus()
            QTest.keyClicks(dialog.password, script.password)
            QTest.keyClick(dialog.password, Qt.Key.Key_Return)
        script.calls.append(("signature", dialog.windowTitle(), dialog.message.text()))
        if dialog.isVisible():
            QTest.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(QMessageBox, "question", question)
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, note(kind))
    monkeypatch.setattr(QInputDialog, "getText", get_text)
    monkeypatch.setattr(SignatureDialog, "exec", sign)
    return script


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module that sets ``BOTH_BACKENDS = True`` runs each of its tests on a SQLite
    file and on a server database (issue 16); the others on a file only."""
    if "gui_backend" in metafunc.fixturenames:
        both = (getattr(metafunc.module, "BOTH_BACKENDS", False)
                and metafunc.definition.get_closest_marker("sqlite_only") is None)
        metafunc.parametrize("gui_backend", ["sqlite", "postgresql"] if both else ["sqlite"])


@pytest.fixture
def where(gui_backend: str, db_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """The test's database: the tmp-path file, or a server database's URL."""
    return db_path if gui_backend == "sqlite" else request.getfixturevalue("pg_hemalog_url")


@pytest.fixture
def store(gui_backend: str, where: Path | str) -> Iterator[SqliteStore]:
    """The test's database, opened as the ward nurse (on a server: as its owner, which
    like a file without accounts needs no sign-in until an account exists)."""
    s = open_test_store(gui_backend, where, user="nurse")
    yield s
    s.close()


@pytest.fixture
def bridge(store: SqliteStore) -> StoreBridge:
    return StoreBridge(store)


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "hemalog.ini"


@pytest.fixture
def settings(settings_path: Path) -> Settings:
    return Settings(QSettings(str(settings_path), QSettings.Format.IniFormat))


@pytest.fixture
def no_trend_plots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip redrawing the trend plots dock on every reload: it is two thirds of a reload
    and these tests look at forms, tables and the database (test_plots.py covers the
    plots). The dock is still built, and lab points still arrive by the live path."""
    monkeypatch.setattr(PlotsPanel, "show_record", _skip_show_record)


def _skip_show_record(self: PlotsPanel, *args: Any) -> None:
    """A plain function, not a Mock (style.md §8)."""


@pytest.fixture
def make_window(qtbot: Any, bridge: StoreBridge, settings: Settings, dialogs: Dialogs,
                no_trend_plots: None) -> Any:
    """Build (and show) a MainWindow on the test store and settings."""

    def discard_on_teardown(_window: MainWindow) -> None:
        # pytest-qt closes the window before fixtures are torn down; a test that left
        # input behind must not leave a question blocking (or the window half open).
        dialogs.question = Button.Discard

    def make(settings_: Settings | None = None) -> MainWindow:
        window = MainWindow(bridge, settings_ or settings)
        qtbot.addWidget(window, before_close_func=discard_on_teardown)
        with qtbot.waitExposed(window):
            window.show()
        return window

    return make


@pytest.fixture
def window(make_window: Any) -> MainWindow:
    """The main window on an empty database."""
    return make_window()


@pytest.fixture
def demo_window(window: MainWindow, bridge: StoreBridge) -> MainWindow:
    """The main window with the demo patient loaded and open."""
    window.load_demo()
    assert window.workspace.record is not None
    assert window.workspace.record.patient.mrn == DEMO_MRN
    return window


@pytest.fixture
def workspace(demo_window: MainWindow) -> PatientWorkspace:
    return demo_window.workspace


@pytest.fixture
def pid(workspace: PatientWorkspace) -> int:
    assert workspace.patient_id is not None
    return workspace.patient_id
