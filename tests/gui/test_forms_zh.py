"""Issue 15: the forms in Simplified Chinese, typed as a ward's nurse types them.

The seed case's CRS assessment (resources/demo/seed-case.json: 39.6 °C, hypotension on
dopamine, room air) typed into the CRS form in zh_CN shows the grade as 3级 and a Chinese
reason naming 多巴胺; a vasopressor typed in Chinese is saved under the record's English
name (and the form says so); the ICE items read as a Chinese ward gives them, scored the
same; whatever the language, what is saved is what the English entry saves. At 1366×768
every form shows all its fields in Chinese, as in English.

The Chinese words come from the compiled catalogue (resources/i18n/hemalog_zh_CN.qm and
the .ts): the tests that read them fail until the catalogue holds the forms' strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QScrollArea, QWidget

import lang
from clinical.record import Assessment
from gui.bridge import StoreBridge
from gui.forms.crs_form import CrsForm
from gui.forms.icans_form import ICE_ITEMS, IcansForm
from gui.i18n import use_language
from gui.main_window import MainWindow
from guitest_helpers import open_section, open_toxicity_form, set_date, tick, type_into

# The ICE score as a Chinese ward gives it (common15 glossary): one box per point.
ZH_ICE = ("定向力：年份", "定向力：月份", "定向力：城市", "定向力：医院", "命名：物品1",
          "命名：物品2", "命名：物品3", "执行指令", "书写", "从100开始每次减10倒数")


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The application in Chinese (a window built now signs in in Chinese too)."""
    monkeypatch.setenv("HEMALOG_LANG", lang.ZH)
    use_language(lang.ZH)
    yield lang.ZH
    use_language(lang.EN)


def ime_type(widget: QWidget, *words: str) -> None:
    """Chinese typed as a person types it: each word picked from the input method's
    candidates (pinyin "duobaan" -> 多巴胺) lands as one commit, as the IME sends it."""
    for word in words:
        event = QInputMethodEvent()
        event.setCommitString(word)
        QApplication.sendEvent(widget, event)


def type_words(qtbot: Any, field: Any, text: str) -> None:
    """Click into a field (all selected) and type: English key by key, Chinese by IME."""
    if text.isascii():
        type_into(qtbot, field, text)
        return
    edit = field.focus_widget()
    edit.setFocus()
    edit.selectAll()
    ime_type(edit, text)


def _device_index(combo: QComboBox, device: str) -> int:
    index = combo.findData(device)
    assert index >= 0
    return index


def type_seed_crs(qtbot: Any, form: CrsForm, vasopressor: str) -> None:
    """The seed case's CRS findings, key by key (the device picked from its list)."""
    set_date(form.field("date"), "2025-04-10")
    type_into(qtbot, form.field("findings.temperature_c"), "39.6")
    tick(qtbot, form.field("findings.hypotension").box)
    type_words(qtbot, form.field("findings.vasopressors"), vasopressor)
    qtbot.keyClick(form.field("findings.vasopressors").focus_widget(), Qt.Key.Key_Tab)
    combo = form.field("findings.oxygen_device").combo
    combo.setFocus()
    combo.setCurrentIndex(_device_index(combo, "none"))


def _crs_form(qtbot: Any, bridge: StoreBridge) -> CrsForm:
    form = CrsForm(bridge)
    qtbot.addWidget(form)
    form.show()
    return form


# --- the seed CRS in Chinese ---------------------------------------------------------------------
def test_seed_crs_typed_in_chinese_shows_grade_3_and_a_reason_naming_dopamine(
        zh: str, qtbot: Any, bridge: StoreBridge) -> None:
    """Fails until the merged catalogue holds 'Grade {grade}' and the CRS reasons."""
    form = _crs_form(qtbot, bridge)
    type_seed_crs(qtbot, form, "多巴胺")
    assert form.grade_label.text() == "3级"
    assert "多巴胺" in form.reason_label.text()
    assert "dopamine" not in form.reason_label.text()


def test_chinese_vasopressor_name_is_saved_as_the_record_name_and_the_form_says_so(
        zh: str, qtbot: Any, bridge: StoreBridge) -> None:
    form = _crs_form(qtbot, bridge)
    type_seed_crs(qtbot, form, "多巴胺")
    field = form.field("findings.vasopressors")
    assert field.edit.text() == "多巴胺"                # what was typed stays as typed
    assert field.value() == ["dopamine"]                 # the record's English name
    assert field.stored_note.isVisible()
    assert "多巴胺 \u2192 dopamine" in field.stored_note.text()


def test_chinese_vasopressor_completes_from_its_first_character(
        zh: str, qtbot: Any, bridge: StoreBridge) -> None:
    form = _crs_form(qtbot, bridge)
    edit = form.field("findings.vasopressors").edit
    edit.setFocus()
    ime_type(edit, "多")
    assert edit.text() == "多巴胺" and edit.selectedText() == "巴胺"
    ime_type(edit, "，", "去甲")          # a Chinese comma keeps the suggestion
    assert edit.text() == "多巴胺，去甲肾上腺素"
    assert form.field("findings.vasopressors").value() == ["dopamine", "norepinephrine"]


def test_crs_typed_in_chinese_saves_what_the_english_entry_saves(
        qtbot: Any, bridge: StoreBridge, monkeypatch: pytest.MonkeyPatch) -> None:
    english = _crs_form(qtbot, bridge)
    type_seed_crs(qtbot, english, "dopamine")
    monkeypatch.setenv("HEMALOG_LANG", lang.ZH)
    use_language(lang.ZH)
    try:
        chinese = _crs_form(qtbot, bridge)
        type_seed_crs(qtbot, chinese, "多巴胺")
        assert chinese.document() == english.document()
        ours, problems = chinese.to_domain()
        theirs, _ = english.to_domain()
        assert not problems and ours == theirs
        assert ours.findings["vasopressors"] == ["dopamine"]
    finally:
        use_language(lang.EN)


def test_seed_crs_saved_through_the_chinese_workspace_matches_the_seed(
        zh: str, qtbot: Any, demo_window: MainWindow) -> None:
    """Through the window itself: saved with Save, the stored findings are the seed's."""
    ws = demo_window.workspace
    form = open_toxicity_form(ws, "crs")
    form.clear()
    type_seed_crs(qtbot, form, "多巴胺")
    saved = form.save()
    assert isinstance(saved, Assessment)
    seed = next(a for a in ws.record.assessments
                if a.kind.value == "crs" and a.id != saved.id)
    stored = {k: v for k, v in saved.findings.items() if v not in (False, None)}
    wanted = {k: v for k, v in seed.findings.items() if v not in (False, None)}
    assert stored == wanted


# --- ICE in Chinese ------------------------------------------------------------------------------
def test_ice_items_read_as_a_chinese_ward_gives_them(
        zh: str, qtbot: Any, bridge: StoreBridge) -> None:
    """Fails until the merged catalogue holds the ICANS form's strings."""
    form = IcansForm(bridge)
    qtbot.addWidget(form)
    texts = [box.text() for box in form.ice_boxes]
    for text, start in zip(texts, ZH_ICE):
        assert text.startswith(start), texts
    assert all(box.toolTip() and "分" in box.toolTip() for box in form.ice_boxes)


def test_ice_boxes_score_the_same_in_both_languages(
        qtbot: Any, bridge: StoreBridge, monkeypatch: pytest.MonkeyPatch) -> None:
    ticked = (0, 1, 2, 4, 5, 7, 9)     # 3 of orientation, 2 of naming, commands, attention

    def entry() -> dict[str, Any]:
        form = IcansForm(bridge)
        qtbot.addWidget(form)
        form.show()
        set_date(form.field("date"), "2025-04-11")
        for i in ticked:
            tick(qtbot, form.ice_boxes[i])
        assert form.field("findings.ice_score").value() == len(ticked)
        return form.document()

    english = entry()
    monkeypatch.setenv("HEMALOG_LANG", lang.ZH)
    use_language(lang.ZH)
    try:
        chinese = entry()
    finally:
        use_language(lang.EN)
    assert chinese == english
    assert chinese["findings"]["ice_items"] == {
        "orientation": 3, "naming": 2, "commands": 1, "writing": 0, "attention": 1}
    assert [domain for _, domain in ICE_ITEMS].count("orientation") == 4


# --- layout at 1366×768 in Chinese ---------------------------------------------------------------
@pytest.fixture
def zh_ward_screen(zh: str, demo_window: MainWindow, qtbot: Any) -> MainWindow:
    window = demo_window
    assert lang.current() == lang.ZH
    window.showNormal()
    window.resize(1366, 768)
    window.plots_dock.show()
    window._default_layout()
    qtbot.wait(50)
    return window


def _clipped(widget: QWidget, window: MainWindow) -> bool:
    """Cut by the window or narrower than its text needs (a label eliding its words)."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    if not window.rect().contains(QRect(top_left, widget.size())):
        return True
    if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text() \
            and not widget.text().startswith("<"):
        return widget.width() < widget.fontMetrics().horizontalAdvance(
            widget.text().replace("&", "")) - 1
    if isinstance(widget, QAbstractButton):
        return widget.width() < widget.minimumSizeHint().width() - 1
    return False


def _course(ws: Any) -> Any:
    open_section(ws, ws.courses)
    form = ws.course_form
    combo = form.template_combo
    index = next(i for i in range(combo.count()) if combo.itemData(i) is not None
                 and combo.itemData(i).name == "R-CHOP")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    return form


ZH_FORMS = {
    "course": _course,
    "CRS": lambda ws: open_toxicity_form(ws, "crs"),
    "ICANS": lambda ws: open_toxicity_form(ws, "icans"),
    "acute GVHD": lambda ws: open_toxicity_form(ws, "agvhd"),
    "chronic GVHD": lambda ws: open_toxicity_form(ws, "cgvhd"),
    "measurements": lambda ws: (open_section(ws, ws.measurements), ws.measurement_form)[1],
    "marrow": lambda ws: (open_section(ws, ws.marrow), ws.marrow_form)[1],
    "events": lambda ws: (open_section(ws, ws.events), ws.event_form)[1],
}


@pytest.mark.parametrize("name", ZH_FORMS)
def test_every_field_of_each_form_shows_unclipped_in_chinese_at_1366x768(
        zh_ward_screen: MainWindow, qtbot: Any, name: str) -> None:
    form = ZH_FORMS[name](zh_ward_screen.workspace)
    qtbot.wait(50)
    area = form.parentWidget()
    while not isinstance(area, QScrollArea):      # the section's scroll area
        area = area.parentWidget()
    for key, field in form._fields.items():
        if not field.isVisibleTo(form):
            continue                               # an event type's details not shown
        label = form.form.labelForField(field.parentWidget())
        for widget in (label, field.focus_widget()):
            if widget is None:
                continue
            area.ensureWidgetVisible(widget)       # scrolled to it, as Tab does
            qtbot.wait(5)
            assert not _clipped(widget, zh_ward_screen), f"{name}: {key} is clipped"
            assert widget.visibleRegion().boundingRect().size() == widget.rect().size(), \
                f"{name}: {key} is cut by the form's edge"
    assert form.save_button.isVisible()
    area.ensureWidgetVisible(form.save_button)
    assert form.save_button.visibleRegion().boundingRect().size() == form.save_button.size()


def test_labs_grid_fits_in_chinese_at_1366x768(zh_ward_screen: MainWindow, qtbot: Any) -> None:
    ws = zh_ward_screen.workspace
    open_section(ws, ws.labs)
    qtbot.wait(50)
    grid = ws.labs
    for button in grid.findChildren(QAbstractButton):
        if button.isVisible():
            assert not _clipped(button, zh_ward_screen), button.text()
    assert grid.table.horizontalScrollBar().maximum() == 0 or \
        grid.table.viewport().width() >= 600, "labs: the grid is too narrow"
    assert grid.table.viewport().height() >= 5 * grid.table.rowHeight(0)
