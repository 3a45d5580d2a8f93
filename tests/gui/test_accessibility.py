"""Every control a user can reach has a name a screen reader can say."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractSpinBox, QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QPushButton,
    QTableView, QWidget,
)

from gui.main_window import MainWindow

INTERACTIVE = (QLineEdit, QComboBox, QCheckBox, QPushButton, QDateEdit, QTableView)


def describe(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    shown = f" {text()!r}" if callable(text) and isinstance(text(), str) and text() else ""
    parents = []
    parent = widget.parentWidget()
    while parent is not None and len(parents) < 3:
        parents.append(type(parent).__name__)
        parent = parent.parentWidget()
    return f"{type(widget).__name__}{shown} in {' < '.join(parents)}"


def interactive_widgets(window: MainWindow) -> list[QWidget]:
    out = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), QAbstractSpinBox):
            continue  # Qt's own editor inside a date edit, which carries the name
        out.append(widget)
    return out


def test_every_interactive_widget_has_a_name_or_a_label(demo_window: MainWindow) -> None:
    buddies = {id(label.buddy()) for label in demo_window.findChildren(QLabel)
               if label.buddy() is not None}
    widgets = interactive_widgets(demo_window)
    assert len(widgets) > 100  # the forms, the grid, the tables, the buttons
    nameless = [describe(w) for w in widgets
                if not w.accessibleName().strip() and id(w) not in buddies]
    assert nameless == []


def test_welcome_panel_buttons_have_names(window: MainWindow) -> None:
    names = {w.accessibleName() for w in interactive_widgets(window)
             if w.isVisibleTo(window) and isinstance(w, QPushButton)}
    assert {"Load the demo patient", "New patient"} <= names


def test_accessible_names_have_no_mnemonic_ampersand(demo_window: MainWindow) -> None:
    with_amp = sorted({w.accessibleName() for w in demo_window.findChildren(QWidget)
                       if "&" in w.accessibleName().replace("&&", "")})
    assert with_amp == []
