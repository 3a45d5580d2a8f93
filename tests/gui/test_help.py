"""Issue 19: help in the app: F1 opens the guide at the screen in view, "Why?" opens the
rule a grade came from, About names the version, the database and every licence."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from clinical.version import app_version
from gui.help import DOCS, GUIDE, RULES, HelpWindow, document_path, read_page
from gui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def _focus(qtbot: Any, widget: QWidget) -> QWidget:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    return widget


def _help(window: MainWindow) -> HelpWindow:
    helper = getattr(window, "_help_window", None)
    assert helper is not None, "no help window was opened"
    return helper


def _heading(name: str, anchor: str) -> str:
    return read_page(document_path(name)).anchors[anchor]


def _at(qtbot: Any, helper: HelpWindow, document: str, anchor: str) -> None:
    """The help window is on screen, showing ``document`` with ``anchor``'s heading at
    the top of its view."""
    qtbot.waitUntil(helper.isVisible, timeout=2000)
    assert helper.page is not None and helper.page.path == document_path(document)
    assert helper.anchor == anchor
    qtbot.waitUntil(lambda: helper.first_visible_line() == _heading(document, anchor),
                    timeout=2000)


def test_f1_on_the_crs_form_opens_the_guide_at_crs(qtbot: Any, demo_window: MainWindow) -> None:
    with qtbot.waitActive(demo_window):
        demo_window.activateWindow()
    ws = demo_window.workspace
    QTest.keyClick(_focus(qtbot, demo_window.patient_list.search), Qt.Key.Key_3, CTRL)
    form = ws.toxicity.forms["crs"]
    temperature = form.field("findings.temperature_c").focus_widget()
    _focus(qtbot, temperature)
    QTest.keyClick(temperature, Qt.Key.Key_F1)
    _at(qtbot, _help(demo_window), GUIDE, "crs")


def test_f1_follows_the_screen(qtbot: Any, demo_window: MainWindow) -> None:
    with qtbot.waitActive(demo_window):
        demo_window.activateWindow()
    search = _focus(qtbot, demo_window.patient_list.search)
    QTest.keyClick(search, Qt.Key.Key_F1)
    _at(qtbot, _help(demo_window), GUIDE, "patients")
    QTest.keyClick(_focus(qtbot, search), Qt.Key.Key_G, CTRL)   # the labs grid
    qtbot.waitUntil(lambda: demo_window.workspace.tabs.currentWidget()
                    is demo_window.workspace.labs, timeout=2000)
    QTest.keyClick(demo_window.focusWidget(), Qt.Key.Key_F1)
    _at(qtbot, _help(demo_window), GUIDE, "labs")


def test_why_beside_a_grade_opens_its_rule(qtbot: Any, demo_window: MainWindow) -> None:
    ws = demo_window.workspace
    QTest.keyClick(_focus(qtbot, demo_window.patient_list.search), Qt.Key.Key_3, CTRL)
    form = ws.toxicity.forms["crs"]
    temperature = form.field("findings.temperature_c").focus_widget()
    QTest.keyClicks(_focus(qtbot, temperature), "39.2")
    qtbot.waitUntil(lambda: "1" in form.grade_label.text(), timeout=3000)
    assert form.why_button.isVisible()
    qtbot.mouseClick(form.why_button, Qt.MouseButton.LeftButton)
    _at(qtbot, _help(demo_window), RULES, "crs")
    # the ICANS form's Why? opens the ICANS rule
    QTest.keyClick(_focus(qtbot, demo_window.patient_list.search), Qt.Key.Key_3, CTRL)
    ws.toxicity.tabs.setCurrentWidget(ws.toxicity.forms["icans"])
    qtbot.mouseClick(ws.toxicity.forms["icans"].why_button, Qt.MouseButton.LeftButton)
    _at(qtbot, _help(demo_window), RULES, "icans")


def test_why_beside_the_engraftment_date_opens_the_engraftment_rule(
        qtbot: Any, demo_window: MainWindow) -> None:
    header = demo_window.workspace.header
    assert "engrafted" in header.days.text()        # the demo patient has engrafted
    assert header.why_engraftment.isVisible()
    qtbot.mouseClick(header.why_engraftment, Qt.MouseButton.LeftButton)
    _at(qtbot, _help(demo_window), RULES, "engraftment-neutrophil")


def test_every_why_and_every_f1_section_exists_in_the_documents() -> None:
    rules = read_page(document_path(RULES)).anchors
    for anchor in ("crs", "icans", "agvhd", "cgvhd", "dose-limits", "engraftment-neutrophil"):
        assert anchor in rules, anchor
    for language in ("en", "zh_CN"):
        guide = read_page(document_path(GUIDE, language)).anchors
        for topic in ("patients", "course", "crs", "icans", "gvhd", "labs", "history", "plots"):
            assert topic in guide, (language, topic)
    assert document_path(GUIDE, "zh_CN") == DOCS / "user-guide.zh_CN.md"


def test_a_link_to_another_document_opens_it_at_its_anchor(qtbot: Any) -> None:
    helper = HelpWindow()
    qtbot.addWidget(helper)
    helper.resize(800, 600)
    helper.show_document(GUIDE)
    from PySide6.QtCore import QUrl
    helper.browser.anchorClicked.emit(QUrl("clinical-rules.md#icans"))
    _at(qtbot, helper, RULES, "icans")
    qtbot.mouseClick(helper.back_button, Qt.MouseButton.LeftButton)
    assert helper.page is not None and helper.page.path == document_path(GUIDE)


def test_about_names_the_version_the_database_and_every_licence(
        qtbot: Any, window: MainWindow) -> None:
    window.about_action.trigger()
    dialog = window.about_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    text = dialog.text.toPlainText()
    assert f"hemalog {app_version()}" in text
    assert window.bridge.store.location in text
    for package in ("PySide6", "shiboken6", "pyqtgraph", "reportlab", "sqlite-utils",
                    "psycopg", "pypdfium2"):
        assert package.lower() in text.lower(), package
    assert "LGPL-3.0" in text and "GNU Lesser General Public License" in text
    assert "Apache License 2.0" in text
    names = {lic.package for lic in dialog.licences}
    assert len(names) >= 20
    dialog.close()
