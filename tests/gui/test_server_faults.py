"""The database server goes away while someone types (issue 16): a banner says so,
every save is refused with the input kept, nothing is half-written, and once the
server is back the banner goes by itself and the same save works. A sign-in while the
server is away says so in one line and can be tried again."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.bridge import StoreBridge
from gui.sign_in import SignInDialog
from test_live_updates import (  # noqa: F401 - fixtures: ward, server_db, _no_feed_left
    LIVE_MS, PASSWORD, Ward, _no_feed_left, activate, save_keys, server_db, server_windows,
    signed_in_store, type_measurement, ward, weights,
)

pytest.importorskip("psycopg")

BACK_MS = 10_000   # the server restarts, the feed retries each second, the store reconnects
BANNER = ("The database server cannot be reached. Nothing typed is lost; saving is "
          "refused until it is back. Reconnecting…")


def measurements_on_server(url: str) -> list[float | None]:
    with signed_in_store(url, "adm") as store:
        pid = store.patients.get_by_mrn("P-1").id
        return [m.weight_kg for m in store.measurements.list(pid)]


def test_a_save_while_the_server_is_away_is_refused_and_kept_then_works_once_it_is_back(
        qtbot: Any, ward: Ward, server_db: str, pg_server: Any) -> None:
    _a, b = server_windows(ward, server_db)
    activate(qtbot, b)
    form = type_measurement(qtbot, b, "2025-04-10", "61.5", "168")
    assert not b.banner.isVisible()
    pg_server.stop()
    try:
        save_keys(qtbot, b)
        assert "Not saved" in form.general_error.text()
        qtbot.waitUntil(b.banner.isVisible, timeout=LIVE_MS)
        assert b.banner.text() == BANNER
        # Everything typed is still in the form, ready to be saved again.
        assert form.field("weight_kg").edit.text() == "61.5"
        assert form.field("height_cm").edit.text() == "168"
        assert form.field("date").edit.text().startswith("2025-04-10")
        # The last state read stays shown; looking around does not fail.
        assert weights(b) == []
        b.patient_list.search.setFocus()
        qtbot.keyClicks(b.patient_list.search, "Li")
        assert [p.mrn for p in b.patient_list.patients()] == ["P-1"]
        qtbot.keyClick(b.patient_list.search, Qt.Key.Key_Escape)
        b.patient_list.search.clear()
        save_keys(qtbot, b)       # a second try, still away: refused again
        assert "Not saved" in form.general_error.text()
    finally:
        pg_server.start()
    qtbot.waitUntil(lambda: not b.banner.isVisible(), timeout=BACK_MS)
    assert measurements_on_server(server_db) == []          # nothing half-written
    form.field("weight_kg").focus_widget().setFocus()
    save_keys(qtbot, b)
    assert form.general_error.text() == ""
    assert weights(b) == [61.5]
    assert measurements_on_server(server_db) == [61.5]


def test_the_banner_shows_when_the_feed_loses_the_server_before_any_save(
        qtbot: Any, ward: Ward, server_db: str, pg_server: Any) -> None:
    a, _b = server_windows(ward, server_db)
    pg_server.stop()
    try:
        qtbot.waitUntil(a.banner.isVisible, timeout=5000)
    finally:
        pg_server.start()
    qtbot.waitUntil(lambda: not a.banner.isVisible(), timeout=BACK_MS)
    assert a.workspace.record.patient.mrn == "P-1"


def test_signing_in_while_the_server_is_away_says_so_and_can_be_tried_again(
        qtbot: Any, server_db: str, pg_server: Any) -> None:
    from storage import open_store

    store = open_store(server_db, user="os-user")
    try:
        dialog = SignInDialog(StoreBridge(store), "nina")
        qtbot.addWidget(dialog)
        dialog.show()
        activate_dialog(qtbot, dialog)
        qtbot.keyClicks(dialog.password, PASSWORD)
        pg_server.stop()
        try:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
            message = dialog.message.text()
            assert "cannot reach the database server" in message, message
            assert "\n" not in message and PASSWORD not in message
            assert dialog.isVisible() and dialog.user is None
            assert dialog.password.text() == PASSWORD     # nothing to type again
        finally:
            pg_server.start()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert dialog.user is not None and dialog.user.username == "nina"
    finally:
        store.close()


def activate_dialog(qtbot: Any, dialog: Any) -> None:
    with qtbot.waitActive(dialog):
        dialog.activateWindow()


def test_the_app_starts_on_a_server_after_a_sign_in_retried_while_it_was_away(
        qtbot: Any, server_db: str, pg_server: Any, settings: Any, dialogs: Any) -> None:
    from gui.app import start
    from gui.main_window import MainWindow

    said: list[str] = []

    def sign_in_as_a_person(dialog: Any) -> bool:
        dialog.show()
        activate_dialog(qtbot, dialog)
        qtbot.keyClicks(dialog.password, PASSWORD)     # the name is filled in (--user)
        pg_server.stop()
        try:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
            said.append(dialog.message.text())
        finally:
            pg_server.start()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        return dialog.result() == dialog.DialogCode.Accepted

    window = start(server_db, "nina", settings, run_modal=sign_in_as_a_person)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    try:
        assert "cannot reach the database server" in said[0]
        assert window.bridge.account.username == "nina"
        assert [p.mrn for p in window.patient_list.patients()] == ["P-1"]
        qtbot.waitUntil(lambda: window.live.running, timeout=LIVE_MS)
        assert not window.banner.isVisible()
    finally:
        window.close()
        window.bridge.store.close()
