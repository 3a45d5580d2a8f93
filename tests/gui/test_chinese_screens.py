"""Issue 15: every screen and dialog in 中文 leaves no label, button, tab, menu item or
column header in English, but for the abbreviations ward staff use and the data a
clinician typed (names, drug names, regimen names, notes).

The window is opened with the demo patient, each section and each toxicity form is
shown in turn, and each dialog is opened as a person opens it; every visible text is
collected and searched for English words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel, QLineEdit,
    QMenu, QTabBar, QWidget,
)

import lang
from clinical.accounts import Role
from clinical.audit import VOIDED_BECAUSE
from clinical.messages import msg
from gui.bridge import StoreBridge
from gui.i18n import use_language
from gui.main_window import MainWindow
from gui.idle_lock import LockDialog
from gui.preferences_dialog import PreferencesDialog
from gui.sign_in import FirstAdminDialog, SignInDialog
from gui.signature_dialog import SignatureDialog
from gui.treatment_dialog import TreatmentDialog
from gui.users_dialog import UsersDialog
from guitest_helpers import open_toxicity_form
from resources import DEMO_RECORD, ROOT

# The allow-list, and the other abbreviations and units ward staff write as is.
ALLOWED = {
    "CRS", "ICANS", "MRD", "CAR-T", "HSCT", "BSA", "ANC", "PLT", "Hb", "WBC", "ALC", "CRP",
    "IL-6", "PET-CT", "Deauville", "ICE",
    "GVHD", "aGVHD", "cGVHD", "CTCAE", "CAPD", "MAGIC", "NIH", "ASTCT", "LDH", "ICAHT", "CR",
    "TCR", "CIBMTR", "HLA", "CPAP", "BiPAP", "IV", "PO", "SC", "IT", "CAR", "PET", "CT", "IL",
    "CD", "MRN", "PDF", "hemalog", "ISO", "OK", "Ctrl", "Alt", "Shift", "Tab", "Enter", "Esc",
    "Del", "PgUp", "PgDn", "Home", "End", "Space", "Backspace", "Up", "Down", "Left", "Right",
    "mg", "kg", "cm", "mL", "min", "mmol", "µmol", "umol", "mmHg", "IU", "Gy", "L", "dL",
    "g", "m", "x", "d", "h", "SD", "N", "No", "mol",
    "ug", "pg", "ng", "IU",
    "English",  # the language chooser names each language in itself
    "nurse", "ada", "Ada", "li",  # account names (data)  # the signed-in account's name (conftest's store user)
}


def _data_words() -> set[str]:
    """Words of what a clinician or the regimen templates wrote: shown as written."""
    words: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            words.update(re.findall(r"[A-Za-z][A-Za-z0-9\-]*", value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    for path in (ROOT / "regimens").glob("*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return words


DATA = _data_words()


def english_words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text)                  # rich-text tags
    text = re.sub(r"&[a-z]+;", " ", text)                 # entities
    text = re.sub(r"\(&[A-Za-z0-9]\)|&(?=\w)", "", text)  # accelerators: 保存(&S)
    text = re.sub(r"\d{4}-\d{2}-\d{2}", " ", text)        # ISO dates
    text = re.sub(r"(?:[A-Za-z]:)?[/\\][^\s·]*", " ", text)  # file paths (data)
    found = []
    for word in re.findall(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z]", text):
        bare = word.strip("-")
        if bare in ALLOWED or bare in DATA or len(bare) == 1:
            continue
        if re.fullmatch(r"[A-Z]{1,3}\d*[a-z]?", bare) or re.fullmatch(r"\w*\d\w*", bare):
            continue                                      # a code (CD7, T2, D4, 10e9)
        found.append(word)
    return found


def _menu_texts(menu: QMenu) -> Iterator[tuple[str, str]]:
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        yield f"menu {menu.title()!r}", action.text()
        if action.menu() is not None:
            yield from _menu_texts(action.menu())


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every visible label, button, tab, header, placeholder, title."""
    yield "window title", root.windowTitle()
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        kind = type(widget).__name__
        if isinstance(widget, QLabel):
            yield kind, widget.text()
        elif isinstance(widget, QAbstractButton):
            yield kind, widget.text()
            yield f"{kind} tooltip", widget.toolTip()
        elif isinstance(widget, QGroupBox):
            yield kind, widget.title()
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield kind, widget.tabText(i)
        elif isinstance(widget, QLineEdit):
            yield f"{kind} placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox) and widget.isEditable() is False:
            for i in range(widget.count()):
                yield kind, widget.itemText(i)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            header = getattr(widget, "horizontalHeader", lambda: None)()
            if header is not None and header.isVisible():
                for column in range(model.columnCount()):
                    if not header.isSectionHidden(column):
                        yield f"{kind} header", str(model.headerData(column, header.orientation()) or "")
    menubar = getattr(root, "menuBar", None)
    if callable(menubar):
        for action in menubar().actions():
            yield "menu bar", action.text()
            if action.menu() is not None:
                yield from _menu_texts(action.menu())


def english_left(root: QWidget) -> list[tuple[str, str, list[str]]]:
    return [(where, text, words) for where, text in visible_texts(root)
            if text and (words := english_words(text))]


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("HEMALOG_LANG", lang.ZH)
    use_language(lang.ZH)
    yield lang.ZH
    use_language(lang.EN)


@pytest.fixture
def zh_window(zh: str, demo_window: MainWindow, qtbot: Any) -> MainWindow:
    demo_window.showNormal()
    demo_window.resize(1366, 768)
    qtbot.wait(20)
    return demo_window


def test_english_words_are_found_and_allowed_ones_are_not() -> None:
    assert english_words("Save changed rows") == ["Save", "changed", "rows"]
    assert english_words("保存(&S)") == []
    assert english_words("细胞因子释放综合征（CRS）3级") == []
    assert english_words("体表面积 BSA 1.82 m² · ANC ×10⁹/L") == []
    assert english_words("<b>评估</b> 2024-09-03") == []


def test_the_main_window_and_every_section_speak_chinese(zh_window: MainWindow, qtbot: Any
                                                          ) -> None:
    ws = zh_window.workspace
    left = english_left(zh_window)
    for index in range(ws.tabs.count()):
        ws.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        left += [(f"section {ws.tabs.tabText(index)}: {w}", t, e)
                 for w, t, e in english_left(zh_window)]
    assert not left, report(left)


def report(left: list[tuple[str, str, list[str]]]) -> str:
    return "English left on screen:\n" + "\n".join(f"  {w}: {t!r} -> {e}" for w, t, e in left)


@pytest.mark.parametrize("kind", ["crs", "icans", "agvhd", "cgvhd"])
def test_every_toxicity_form_speaks_chinese(zh_window: MainWindow, qtbot: Any, kind: str
                                            ) -> None:
    open_toxicity_form(zh_window.workspace, kind)
    qtbot.wait(10)
    left = english_left(zh_window)
    assert not left, report(left)


@pytest.fixture
def admin_bridge(bridge: StoreBridge) -> StoreBridge:
    """The ward's administrator signed in (the Users dialog is theirs)."""
    store = bridge.store
    admin = store.accounts.create("ada", "admin-pass-1", Role.ADMIN, "Ada")
    store.sign_in(admin)
    store.accounts.create("li", "doctor-pass-1", Role.PHYSICIAN, "李医师")
    bridge.sign_in(admin)
    return bridge


DIALOGS = {
    "preferences": lambda b, w: PreferencesDialog(b, w),
    "users": lambda b, w: UsersDialog(b, w),
    "sign-in": lambda b, w: SignInDialog(b, "li", w),
    "first administrator": lambda b, w: FirstAdminDialog(b, "", w),
    "signature": lambda b, w: SignatureDialog(
        b, msg(VOIDED_BECAUSE, reason="重复录入"), w),
    "lock": lambda b, w: LockDialog(b, b.account, "15 min", w),
    "CRS treatment": lambda b, w: TreatmentDialog(b, w.workspace.patient_id,
                                                  w.workspace.record, parent=w),
}


@pytest.mark.parametrize("name", DIALOGS)
def test_every_dialog_speaks_chinese(zh: str, admin_bridge: StoreBridge, demo_window: MainWindow,
                                     qtbot: Any, name: str) -> None:
    dialog = DIALOGS[name](admin_bridge, demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    left = english_left(dialog)
    dialog.reject()
    assert not left, report(left)


def test_history_names_fields_and_values_in_the_forms_chinese_words(
        zh_window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not "findings.temperature_c: 38.9 → 39.9" or "评估 2025-04-10 crs": the History
    says what the form that was typed into says."""
    from clinical.record import EventType
    from gui.forms.event_form import event_name
    from gui.toxicity_section import kind_name
    from guitest_helpers import click, open_section, select_item, type_into

    ws = zh_window.workspace
    form = open_toxicity_form(ws, "crs")
    crs = select_item(qtbot, ws.toxicity.section, lambda a: a.kind.value == "crs")
    click(qtbot, ws.toxicity.section.correct_button)
    monkeypatch.setattr(type(form), "ask_reason", lambda self: "体温抄录错误")
    type_into(qtbot, form.field("findings.temperature_c"), "39.9")
    form.field("findings.hypotension").focus_widget().setFocus()
    qtbot.keyClick(form.field("findings.hypotension").focus_widget(), " ")   # tick or untick
    with qtbot.waitSignal(zh_window.bridge.item_saved, timeout=2000):
        click(qtbot, form.save_button)
    transfusion = next(e for e in ws.events.model.items() if e.type is EventType.TRANSFUSION)
    with qtbot.waitSignal(zh_window.bridge.record_changed, timeout=2000):
        zh_window.bridge.void_item("events", ws.patient_id, transfusion.id, "重复录入")

    open_section(ws, ws.history)
    model = ws.history.model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(2)]
    void, correction = rows
    assert void[3].endswith(" " + event_name("transfusion")) and "transfusion" not in void[3]
    assert correction[3] == f"评估 {crs.date.isoformat()} {kind_name('crs')}"
    temperature = form.field("findings.temperature_c").name
    hypotension = form.field("findings.hypotension").name
    old = crs.findings["temperature_c"]
    was = crs.findings.get("hypotension")
    lines = correction[5].split("; ")
    assert f"{temperature}: {old:g} → 39.9" in lines, lines
    assert f"{hypotension}: {'—' if was is None else ('是' if was else '否')} → " \
           f"{'否' if was else '是'}" in lines, lines
    assert "(P)" not in temperature and "(H)" not in hypotension      # no mnemonic
    assert "findings" not in correction[5] and not english_words(correction[5]), lines


def test_history_says_what_was_signed_in_chinese_with_the_reason_as_typed(zh: str) -> None:
    from clinical.audit import AuditAction, AuditEntry
    from gui.history_view import signature_text

    def signed(meaning: str) -> str:
        entry = AuditEntry(id=1, at="2025-04-10T08:00:00.000Z", user="li", patient_id=1,
                           table="events", row_id=3, action=AuditAction.VOID, reason="x",
                           old=None, new=None,
                           signature={"by": "li", "meaning": meaning,
                                      "at": "2025-04-10T08:00:00.000Z"})
        return signature_text(entry)

    assert signed("voided because entered twice").endswith("：作废，原因：entered twice")
    assert signed("corrected because 体温抄录错误").endswith("：更正，原因：体温抄录错误")
    assert signed("voided because ").endswith("：voided because ")      # no reason: as stored
    assert signed("approved the plan").endswith("：approved the plan")  # not ours: as stored
