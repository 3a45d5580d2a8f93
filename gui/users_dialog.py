"""File ▸ Users…: the administrator lists, adds and manages staff accounts, and sees the
names locked after failed sign-ins (with the time left) and unlocks them."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from clinical.accounts import Role, User
from clinical.errors import HemalogError
from gui import keymap
from gui.bridge import StoreBridge
from gui.permissions import role_name
from gui.models.item_table_model import Column, ItemTableModel, item_table_view
from gui.sign_in import ERROR_STYLE, in_words, password_edit
from gui.signature_dialog import wait_words

DONE_STYLE = "color: #1b5e20;"


def _role_combo(accessible: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    for role in Role:
        combo.addItem(role_name(role), role)
    return combo


class UsersDialog(QDialog):
    """Every account with its role and state; add, change role, reset password, disable."""

    def __init__(self, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle(self.tr("Users"))
        disabled, active = self.tr("disabled"), self.tr("yes")
        self.model = ItemTableModel([
            Column(self.tr("User name"), lambda u: u.username),
            Column(self.tr("Display name"), lambda u: u.display_name),
            Column(self.tr("Role"), lambda u: role_name(u.role)),
            Column(self.tr("Active"), lambda u: disabled if u.disabled else active),
        ], self)
        self.table = item_table_view(self.model, self.tr("User accounts"))

        # the selected account
        self.role_choice = _role_combo(self.tr("Role of the selected user"))
        self.role_button = QPushButton(keymap.label("users.change_role"))
        self.new_password = password_edit(self.tr("New password for the selected user"))
        self.password_button = QPushButton(keymap.label("users.reset_password"))
        self.disable_button = QPushButton(keymap.label("users.disable"))
        selected = QGroupBox(self.tr("Selected user"))
        selected_form = QFormLayout(selected)
        selected_form.addRow(self.tr("Role"), _row(self.role_choice, self.role_button))
        selected_form.addRow(self.tr("New password"),
                             _row(self.new_password, self.password_button))
        selected_form.addRow("", _row(self.disable_button))
        self.selected_box = selected

        # a new account
        self.add_name = QLineEdit()
        self.add_name.setAccessibleName(self.tr("New user name"))
        self.add_display = QLineEdit()
        self.add_display.setAccessibleName(self.tr("New user's display name"))
        self.add_display.setPlaceholderText(self.tr("e.g. Dr Ann Lee"))
        self.add_role = _role_combo(self.tr("New user's role"))
        self.add_password = password_edit(self.tr("New user's password"))
        self.add_button = QPushButton(keymap.label("users.add"))
        add = QGroupBox(self.tr("Add a user"))
        add_form = QFormLayout(add)
        for text, field in ((keymap.label("users.user_name"), self.add_name),
                            (keymap.label("users.display_name"), self.add_display),
                            (keymap.label("users.role"), self.add_role),
                            (keymap.label("users.password"), self.add_password)):
            label = QLabel(text)
            label.setBuddy(field)
            add_form.addRow(label, field)
        add_form.addRow("", _row(self.add_button))

        # names waiting after failed sign-ins (names tried: not only existing accounts)
        self.locked_model = ItemTableModel([
            Column(self.tr("Name tried"), lambda entry: entry[0]),
            Column(self.tr("Waits"), lambda entry: self.tr("{wait} left").format(
                wait=wait_words(entry[1]))),
        ], self)
        self.locked_table = item_table_view(self.locked_model, self.tr("Locked names"))
        self.locked_table.setMaximumHeight(110)   # the accounts above keep the room
        self.unlock_button = QPushButton(keymap.label("users.unlock"))
        self.unlock_button.setAccessibleName(self.tr("Unlock the selected name"))
        self.locked_note = QLabel()
        self.locked_note.setAccessibleName(self.tr("Locked names summary"))
        locked = QGroupBox(self.tr("Locked after failed sign-ins"))
        locked_layout = QVBoxLayout(locked)
        locked_layout.addWidget(self.locked_note)
        locked_layout.addWidget(self.locked_table, 1)
        locked_layout.addWidget(_row(self.unlock_button))
        self.locked_box = locked
        self.locked_timer = QTimer(self)    # the time left counts down while it is open
        self.locked_timer.setInterval(1000)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Users message"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        side = QHBoxLayout()
        side.addWidget(selected, 1)
        side.addWidget(add, 1)
        layout.addLayout(side)
        layout.addWidget(locked)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 600)
        self._connect_signals()
        self.reload()
        self.locked_timer.start()

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.role_button.clicked.connect(self.change_role)
        self.password_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.add_button.clicked.connect(self.add_user)
        for edit in (self.add_name, self.add_password):
            edit.textChanged.connect(self._update_buttons)
        self.new_password.textChanged.connect(self._update_buttons)
        self.locked_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.unlock_button.clicked.connect(self.unlock)
        self.locked_timer.timeout.connect(self.reload_locked)

    # --- showing ----------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else getattr(self.selected(), "id", None)
        self.model.set_items(self.bridge.users())
        for row, user in enumerate(self.model.items()):
            if user.id == keep:
                self.table.selectRow(row)
        self._on_selection_changed()
        self.reload_locked()

    def reload_locked(self) -> None:
        """The names waiting now, keeping the selected one selected while it waits."""
        keep = self.selected_locked()
        try:
            entries = sorted(self.bridge.locked_names())
        except HemalogError as exc:
            self._say(exc.lines, problem=True)
            entries = []
        self.locked_model.set_items(entries)
        for row, (name, _left) in enumerate(entries):
            if name == keep:
                self.locked_table.selectRow(row)
        self.locked_note.setText(
            self.tr("No name is locked.") if not entries else
            self.tr("Names waiting before they may try again: {n}").format(n=len(entries)))
        self._update_buttons()

    def selected_locked(self) -> str | None:
        rows = self.locked_table.selectionModel().selectedRows()
        return self.locked_model.item_at(rows[0].row())[0] if rows else None

    def selected(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_at(rows[0].row()) if rows else None

    def select(self, username: str) -> None:
        for row, user in enumerate(self.model.items()):
            if user.username == username:
                self.table.selectRow(row)
                return
        raise KeyError(username)

    def _on_selection_changed(self, *_args: object) -> None:
        user = self.selected()
        enable, disable = keymap.label("users.enable"), keymap.label("users.disable")
        if user is not None:
            self.role_choice.setCurrentIndex(self.role_choice.findData(user.role))
            self.disable_button.setText(enable if user.disabled else disable)
        self._update_buttons()

    def _update_buttons(self) -> None:
        user = self.selected()
        self.selected_box.setEnabled(user is not None)
        self.password_button.setEnabled(user is not None and bool(self.new_password.text()))
        self.add_button.setEnabled(bool(self.add_name.text().strip())
                                   and bool(self.add_password.text()))
        self.unlock_button.setEnabled(self.selected_locked() is not None)

    def _say(self, lines: list[str], *, problem: bool) -> None:
        self.message.setStyleSheet(ERROR_STYLE if problem else DONE_STYLE)
        self.message.setText("\n".join(in_words(line) for line in lines))

    def _is_me(self, user: User) -> bool:
        me = self.bridge.account
        return me is not None and me.id == user.id

    # --- actions: read the form, call the bridge once, say what happened ----------------
    def add_user(self) -> None:
        role = Role(self.add_role.currentData())  # Qt hands a StrEnum back as plain str
        try:
            user = self.bridge.add_user(self.add_name.text().strip(), self.add_password.text(),
                                        role, self.add_display.text().strip() or None)
        except HemalogError as exc:
            self._say(exc.lines, problem=True)
            return
        for edit in (self.add_name, self.add_display, self.add_password):
            edit.clear()
        self.reload(select_id=user.id)
        self._say([self.tr("Added {name} ({role})").format(name=user.username,
                                                           role=role_name(role))],
                  problem=False)

    def change_role(self) -> None:
        user, role = self.selected(), Role(self.role_choice.currentData())
        if user is None or role == user.role:
            return
        if self._is_me(user):
            self._say([self.tr(
                "You cannot change your own role: another administrator must do it")],
                problem=True)
            return
        try:
            self.bridge.set_role(user.id, role)
        except HemalogError as exc:
            self._say(exc.lines, problem=True)
            return
        self.reload()
        self._say([self.tr("{name} is now {role}").format(name=user.username,
                                                          role=role_name(role))],
                  problem=False)

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            self.bridge.set_password(user.id, self.new_password.text())
        except HemalogError as exc:
            self._say(exc.lines, problem=True)
            return
        self.new_password.clear()
        self._say([self.tr("New password set for {name}").format(name=user.username)],
                  problem=False)

    def unlock(self) -> None:
        name = self.selected_locked()
        if name is None:
            return
        try:
            self.bridge.unlock(name)
        except HemalogError as exc:
            self._say(exc.lines, problem=True)
            return
        self.reload_locked()
        self._say([self.tr("Unlocked {name}: it may sign in again now").format(name=name)],
                  problem=False)

    def toggle_disabled(self) -> None:
        user = self.selected()
        if user is None:
            return
        if self._is_me(user) and not user.disabled:
            self._say([self.tr("You cannot disable your own account")], problem=True)
            return
        try:
            self.bridge.set_disabled(user.id, not user.disabled)
        except HemalogError as exc:
            self._say(exc.lines, problem=True)
            return
        self.reload()
        said = (self.tr("{name} is enabled again") if user.disabled else
                self.tr("{name} is disabled: they can no longer sign in"))
        self._say([said.format(name=user.username)], problem=False)


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, (QLineEdit, QComboBox)) else 0)
    if len(widgets) == 1:
        layout.addStretch(1)
    return box
