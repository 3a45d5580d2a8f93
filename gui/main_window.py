"""The main window: patient list beside the patient workspace. It only composes.

Its language is the signed-in person's (File ▸ Preferences…, or their account's at
sign-in). A switch rebuilds the window's contents in the new language and reopens the
same patient, section and form; while a form holds unsaved input nothing is rebuilt:
the switch waits until that input is saved (or the next sign-in), so nothing typed is
lost.

What other workstations save shows within about a second (gui/live.py): the list, the
open patient's sections and plots refresh by the path this workstation's own saves
take, and nothing typed is touched. A database that cannot be reached puts a banner
across the window until a read works again; every save is refused meanwhile, with
its input kept.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication, QDialog, QDockWidget, QFileDialog, QLabel, QMainWindow, QMenuBar, QMessageBox,
    QPushButton,
    QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

import lang
from clinical.accounts import Role, User
from clinical.errors import HemalogError
from clinical.record import Patient, PatientSummary
from gui import keymap
from gui.background import DailyBackup
from gui.bridge import StoreBridge
from gui.help import GUIDE, RULES, TOPIC, help_window, topic_at
from gui.i18n import current_language, use_language
from gui.idle_lock import IdleLock
from gui.live import LiveFeed
from gui.patient_list import PatientList
from gui.session_status import SessionStatus
from gui.settings import Settings
from storage import is_server_url
from storage.live import Change

if TYPE_CHECKING:  # imported when first needed: pyqtgraph, reportlab and the forms
    from gui.about import AboutDialog
    from gui.plots.plots_panel import PlotsPanel  # cost ~0.5 s that start-up need not pay
    from gui.preferences_dialog import PreferencesDialog  # the dialogs: ~50 ms together
    from gui.users_dialog import UsersDialog
    from gui.workspace import PatientWorkspace

log = logging.getLogger(__name__)


class WelcomePanel(QWidget):
    """What the right side shows before a patient is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty(TOPIC, "patients")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.demo_button = QPushButton(keymap.label("welcome.demo"))
        self.demo_button.setAccessibleName(self.tr("Load the demo patient"))
        # Alt+N is the patient list's New patient… beside it; this one shows Ctrl+N.
        self.new_button = QPushButton(keymap.with_shortcut(keymap.label("welcome.new_patient"),
                                                           "file.new_patient"))
        self.new_button.setAccessibleName(self.tr("New patient"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 20)
        layout.addStretch(1)
        layout.addWidget(self.text)
        for button in (self.demo_button, self.new_button):
            button.setMaximumWidth(420)
            layout.addWidget(button)
        layout.addStretch(2)

    def show_state(self, empty_database: bool) -> None:
        self.demo_button.setVisible(empty_database)
        self.text.setText(
            self.tr("<h2>Welcome to hemalog</h2><p>This database has no patients yet. Load the demo patient to look around, or add a new patient.</p>")  # noqa: E501
            if empty_database else
            self.tr("<h2>hemalog</h2><p>Choose a patient on the left, or find one with {key}.</p>")
            .format(key=keymap.shortcut_text("file.find")))


PROBE_MS = 2000   # while the database cannot be reached, a cheap read this often


class MainWindow(QMainWindow):
    """Patient list, workspace and plots dock; locks itself when left idle.

    ``idle_lock_ms`` overrides the idle-lock preference (tests use a short one).
    """

    def __init__(self, bridge: StoreBridge, settings: Settings | None = None, *,
                 idle_lock_ms: int | None = None) -> None:
        super().__init__()
        self.bridge = bridge
        self.settings = settings or Settings()
        self.users_dialog: UsersDialog | None = None
        self.lab_import_dialog: Any = None   # File ▸ Import lab results…, while open
        self.preferences_dialog: PreferencesDialog | None = None
        self.about_dialog: AboutDialog | None = None
        self.daily_backup: DailyBackup | None = None
        self.pending_language: str | None = None   # chosen while input was unsaved
        self.setWindowTitle(f"hemalog — {bridge.store.short_name}")
        self.patient_list = PatientList(bridge)
        self._workspace: PatientWorkspace | None = None
        self._plots: PlotsPanel | None = None
        self._fitted = False
        self._first_start = False
        self.welcome = WelcomePanel()
        self.right = QStackedWidget()
        self.right.addWidget(self.welcome)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main")
        self.splitter.addWidget(self.patient_list)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([200, 700])
        self.banner = QLabel()
        self.banner.setObjectName("unreachable")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel#unreachable { background: #b00020; color: white;"
                                  " font-weight: bold; padding: 6px; }")
        self.banner.setAccessibleName(self.tr("Database unreachable"))
        self.banner.hide()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        # Other workstations' changes; a lost database is probed until it answers.
        self.live = LiveFeed(bridge, self)
        self.probe_timer = QTimer(self)
        self.probe_timer.setInterval(PROBE_MS)
        self.probe_timer.timeout.connect(self._probe)
        self.plots_dock = QDockWidget(self.tr("Trend plots"), self)
        self.plots_dock.setProperty(TOPIC, "plots")
        self.plots_dock.setObjectName("plots")
        self.plots_dock.setWidget(QLabel(self.tr("Trend plots appear when a patient is open.")))
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.plots_dock)
        self.session_status = SessionStatus(bridge)
        self.statusBar().addPermanentWidget(self.session_status)
        self._build_menu()
        self._build_shortcuts()
        self._connect_signals()
        self._update_permissions()
        self._restore_state()
        self.idle_lock = IdleLock(self, bridge, idle_lock_ms
                                  or self.settings.idle_lock_minutes() * 60_000)

    def _build_menu(self) -> None:
        """Menus from the keyboard map (gui/keymap.py): labels, mnemonics and keys. A new
        menu bar each time (a language switch): its actions go with it."""
        old = self.menuBar()
        for act in old.findChildren(QAction):   # deleted later: their keys go now
            act.setShortcuts([])
        bar = QMenuBar(self)
        self.setMenuBar(bar)   # Qt deletes the old bar
        menu = bar.addMenu(keymap.label("main.file"))

        def action(key: str, triggered: object) -> QAction:
            act = QAction(keymap.label(key), bar, triggered=triggered)
            if key in keymap.SHORTCUTS:
                act.setShortcuts(keymap.sequences(key))
            return act

        self.new_action = action("file.new_patient", self.new_patient)
        self.find_action = action("file.find", self.focus_search)
        self.details_action = action("file.details", self.edit_patient)
        self.demo_action = action("file.demo", self.load_demo)
        self.import_labs_action = action("file.import_labs", self.import_labs)
        self.registry_action = action("file.registry", self.export_registry)
        self.users_action = action("file.users", self.open_users)
        self.preferences_action = action("file.preferences", self.open_preferences)
        self.print_action = action("file.print", lambda: self.print_summary(False))
        self.pdf_action = action("file.pdf", lambda: self.save_pdf(False))
        self.pdf_deid_action = action("file.pdf_deidentified", lambda: self.save_pdf(True))
        quit_action = action("file.quit", self.close)
        view = bar.addMenu(keymap.label("main.view"))
        toggle = self.plots_dock.toggleViewAction()
        toggle.setText(keymap.label("view.plots"))
        toggle.setShortcuts(keymap.sequences("view.plots"))
        view.addAction(toggle)
        self.focus_plots_action = action("view.focus_plots", self.focus_plots)
        self.widen_form_action = action("view.widen_form", lambda: self.widen_form(1))
        self.narrow_form_action = action("view.narrow_form", lambda: self.widen_form(-1))
        self.widen_list_action = action("view.widen_list", lambda: self.widen_list(1))
        self.narrow_list_action = action("view.narrow_list", lambda: self.widen_list(-1))
        view.addAction(self.focus_plots_action)
        view.addSeparator()
        for act in (self.widen_form_action, self.narrow_form_action,
                    self.widen_list_action, self.narrow_list_action):
            view.addAction(act)
        help_menu = bar.addMenu(keymap.label("main.help"))
        self.guide_action = action("help.guide", self.show_guide)
        self.rules_action = action("help.rules", self.show_rules)
        self.about_action = action("help.about", self.show_about)
        for act in (self.guide_action, self.rules_action):
            help_menu.addAction(act)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        for action in (self.new_action, self.find_action, self.details_action,
                       self.demo_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.import_labs_action)
        menu.addAction(self.registry_action)
        menu.addSeparator()
        for action in (self.print_action, self.pdf_action, self.pdf_deid_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.preferences_action)
        menu.addAction(self.users_action)
        menu.addSeparator()
        menu.addAction(quit_action)

    def _build_shortcuts(self) -> None:
        """Window-wide keys that work from any field, date fields and the labs grid too:
        Ctrl+1…8 and Ctrl+PgUp/PgDn switch sections, Ctrl+S saves the form in view,
        Ctrl+G goes to the labs grid."""
        def bind(key: str, slot: object) -> None:
            for sequence in keymap.sequences(key):
                shortcut = QShortcut(sequence, self)
                shortcut.setContext(keymap.context(keymap.SHORTCUTS[key].scope))
                shortcut.activated.connect(slot)

        for number in range(1, 9):
            bind(f"tabs.go_{number}", lambda n=number: self.go_to_section(n - 1))
        bind("tabs.next", lambda: self._in_workspace(lambda ws: ws.step_section(1)))
        bind("tabs.previous", lambda: self._in_workspace(lambda ws: ws.step_section(-1)))
        bind("labs.grid", lambda: self._in_workspace(lambda ws: ws.focus_labs_grid()))
        bind("form.save", lambda: self._in_workspace(lambda ws: ws.save_current()))

    def _in_workspace(self, do: object) -> None:
        if self._workspace is not None and self.right.currentWidget() is self._workspace:
            do(self._workspace)  # type: ignore[operator]

    def go_to_section(self, index: int) -> None:
        """Ctrl+1…8: the section at that place in the tab order."""
        def go(ws: PatientWorkspace) -> None:
            if ws.tabs.currentIndex() == index:
                ws.section_key_again()   # back to its first field; Toxicity: the next form
            else:
                ws.tabs.setCurrentIndex(index)
        self._in_workspace(go)

    # The workspace and the plots are built on first use (or just after the window is
    # first shown), so the window appears without waiting for pyqtgraph and the forms.
    @property
    def workspace(self) -> PatientWorkspace:
        if self._workspace is None:
            from gui.workspace import PatientWorkspace

            self._workspace = PatientWorkspace(self.bridge)
            self.right.addWidget(self._workspace)
            self._workspace.record_shown.connect(self._on_record_shown)
            self._workspace.toxicity.treatment_saved.connect(self._say_for_a_while)
            self._restore_splitters()
        return self._workspace

    @property
    def plots(self) -> PlotsPanel:
        if self._plots is None:
            from gui.plots.plots_panel import PlotsPanel

            self._plots = PlotsPanel(self.bridge)
            self.plots_dock.setWidget(self._plots)
        return self._plots

    def _warm_up(self) -> None:
        """Build what the first patient needs while the user looks at the list."""
        self.workspace  # noqa: B018 - building it is the point
        self.plots  # noqa: B018
        if self._first_start:   # the panels' own sizes are known now
            self._default_layout()

    def showEvent(self, event: object) -> None:  # noqa: N802
        super().showEvent(event)  # type: ignore[arg-type]
        if self._workspace is None:
            QTimer.singleShot(0, self._warm_up)
        if not self._fitted:   # the frame is known only once shown
            self._fitted = True
            QTimer.singleShot(0, self._fit_to_screen)
        self.start_live_updates()

    # --- other workstations, a lost database ---------------------------------------------
    def start_live_updates(self) -> None:
        """Watch the store once someone is signed in (its reads are refused before)."""
        if self.bridge.account is not None and not self.live.running:
            self.live.start()

    def stop_live_updates(self) -> None:
        """End the watch's thread and the probing (window closed, store closing)."""
        self.live.stop()
        self.probe_timer.stop()

    def _on_reachable(self, reachable: bool) -> None:
        if reachable:
            self.banner.hide()
            self.probe_timer.stop()
            # What changed meanwhile is unknown: the list and the open patient anew.
            self.bridge.take_change(Change(frozenset(), resync=True))
            return
        self.banner.setText(self._unreachable_text())
        self.banner.show()
        self.probe_timer.start()

    def _unreachable_text(self) -> str:
        if is_server_url(self.bridge.store.location):
            return self.tr("The database server cannot be reached. Nothing typed is lost; saving is refused until it is back. Reconnecting…")  # noqa: E501
        return self.tr("The database file cannot be reached. Nothing typed is lost; saving is refused until it is back. Trying again…")  # noqa: E501

    def _probe(self) -> None:
        self.bridge.probe()   # reachable_changed(True) hides the banner

    def _connect_signals(self) -> None:
        self._connect_content_signals()
        self.bridge.signed_in.connect(self._on_signed_in)
        self.bridge.reachable_changed.connect(self._on_reachable)
        # A language chosen while input was unsaved applies once it is saved.
        self.bridge.record_changed.connect(self._on_saved)
        self.bridge.patient_saved.connect(self._on_saved)

    def _connect_content_signals(self) -> None:
        """The widgets a language switch rebuilds."""
        self.patient_list.patient_chosen.connect(self.open_patient)
        self.patient_list.new_patient_requested.connect(self.new_patient)
        self.welcome.demo_button.clicked.connect(self.load_demo)
        self.welcome.new_button.clicked.connect(self.new_patient)

    def _update_permissions(self) -> None:
        is_admin = self.bridge.role is Role.ADMIN
        self.users_action.setEnabled(is_admin)
        self.users_action.setToolTip("" if is_admin else self.tr("Only an admin may manage users."))
        self.preferences_action.setEnabled(True)
        if not is_admin and self.users_dialog is not None:
            self.users_dialog.close()   # someone else took over at the lock screen

    def _on_signed_in(self, user: object) -> None:
        self._update_permissions()
        if self.isVisible():   # a feed of whoever was here before listens as them: anew
            self.live.stop()
            self.start_live_updates()
        # Whoever signs in (the lock screen's someone else too) sees their own language.
        if isinstance(user, User):
            wanted = lang.choose(user.language)
            already_waiting = wanted == self.pending_language
            if not self.apply_language(wanted) and not already_waiting:
                self._say_language_waits(wanted)

    def _on_record_shown(self, record: object) -> None:
        ws = self.workspace
        if ws.patient_id is not None and ws.record is not None and ws.derived is not None:
            self.plots.show_record(ws.patient_id, ws.record, ws.derived)
            if self.right.currentWidget() is ws:   # details corrected, here or elsewhere
                patient = ws.record.patient
                self.setWindowTitle(f"hemalog — {patient.name} ({patient.mrn})")

    # --- the keyboard moves the splitters and reaches the plots ------------------------
    def widen_form(self, direction: int) -> None:
        """View ▸ Widen form / Narrow form: the section's table | form splitter."""
        from gui.item_section import STEP, FormSplitter

        section = self.workspace.tabs.currentWidget() if self._workspace else None
        if section is None or self.right.currentWidget() is not self._workspace:
            return
        splitters = section.findChildren(FormSplitter)
        if splitters:
            splitters[0].widen_form(direction * STEP)

    def widen_list(self, direction: int) -> None:
        """View ▸ Wider / Narrower patient list: the main splitter."""
        sizes = self.splitter.sizes()
        step = max(-sizes[0] + 60, min(direction * 60, sizes[1] - 300))
        self.splitter.setSizes([sizes[0] + step, sizes[1] - step])

    def focus_plots(self) -> None:
        """View ▸ Focus trend plots (Shift+F9): shows the dock and puts the cursor in it."""
        self.plots_dock.show()
        self.plots_dock.raise_()
        panel = self.plots_dock.widget()
        targets = [w for w in panel.findChildren(QWidget)
                   if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(panel)]
        (targets[0] if targets else panel).setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- size and layout -----------------------------------------------------------------
    def _fit_to_screen(self) -> None:
        """The whole frame (title bar included) and the status bar inside the screen's
        available area: a saved geometry from a bigger screen is shrunk and moved in."""
        screen = self.screen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        avail = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = frame.width() - self.width()
        extra_h = frame.height() - self.height()
        width = min(self.width(), avail.width() - extra_w)
        height = min(self.height(), avail.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        x = min(max(frame.x(), avail.x()), avail.right() + 1 - frame.width())
        y = min(max(frame.y(), avail.y()), avail.bottom() + 1 - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def _first_start_geometry(self) -> None:
        """First start: the available area of the screen, maximised (the frame with its
        title bar is then the screen's business, not a client area of 1366x768)."""
        screen = self.screen()
        if screen is None:
            self.resize(1366, 768)
            return
        avail = screen.availableGeometry()
        self.setGeometry(avail)   # without a window manager this is the whole area
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def _restore_state(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
            self._fit_to_screen()
        else:
            self._first_start_geometry()
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        else:  # first start: room for the plots beside the forms, a slim patient list
            self._first_start = True
            QTimer.singleShot(0, self._default_layout)
        self._restore_splitters()
        last = self.settings.last_patient(self.bridge.store.location)
        patients = {p.mrn: p for p in self.patient_list.patients()}
        if last in patients:
            self.open_patient(patients[last])
        else:
            self._show_welcome()

    def _restore_splitters(self) -> None:
        for splitter in self.findChildren(QSplitter):
            state = self.settings.splitter_state(splitter.objectName())
            if splitter.objectName() and state is not None:
                splitter.restoreState(state)

    def _default_layout(self) -> None:
        """First start: a slim patient list, the plots dock beside the workspace. Below
        1600 px the dock takes 30 % (the forms need the rest); wider it takes 35 %."""
        width = self.width()
        plots = max(320, width * 30 // 100) if width < 1600 else min(720, width * 35 // 100)
        self.resizeDocks([self.plots_dock], [plots], Qt.Orientation.Horizontal)
        patients = 170 if width < 1600 else 220
        self.splitter.setSizes([patients, max(400, self.splitter.width() - patients)])

    def _show_welcome(self) -> None:
        self.welcome.show_state(not self.patient_list.patients())
        self.right.setCurrentWidget(self.welcome)
        for action in (self.details_action, self.print_action, self.pdf_action,
                       self.pdf_deid_action):
            action.setEnabled(False)

    # --- actions ---------------------------------------------------------------------------
    def confirm_leave(self) -> bool:
        """True when nothing typed would be lost (or the user chose to discard it)."""
        unsaved = self._workspace.unsaved() if self._workspace is not None else []
        if not unsaved:
            return True
        answer = QMessageBox.question(
            self, self.tr("Unsaved input"),
            self.tr("These forms hold input that is not saved: {forms}.\nDiscard it?").format(
                forms=_listed(unsaved)),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def open_patient(self, patient: Patient | PatientSummary) -> None:
        if patient.id == self.workspace.patient_id:
            self.right.setCurrentWidget(self.workspace)
            return
        if not self.confirm_leave():
            return
        if not self.workspace.open_patient(patient.id):
            return   # the database cannot be reached: the banner says so
        self.right.setCurrentWidget(self.workspace)
        for action in (self.details_action, self.print_action, self.pdf_action,
                       self.pdf_deid_action):
            action.setEnabled(True)
        self.setWindowTitle(f"hemalog — {patient.name} ({patient.mrn})")
        self.settings.set_last_patient(self.bridge.store.location, patient.mrn)

    def new_patient(self) -> None:
        from gui.forms.patient_form import PatientDialog
        dialog = PatientDialog(self.bridge, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self.open_patient(dialog.saved)

    def edit_patient(self) -> None:
        if self.workspace.record is None:
            return
        from gui.forms.patient_form import PatientDialog
        PatientDialog(self.bridge, self.workspace.record.patient, parent=self).exec()

    def choose_lab_file(self) -> str:
        """The lab file to import (a file dialog, starting where the last one was)."""
        folder = self.settings.last_lab_folder() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import lab results"), folder,
            self.tr("Lab results (*.csv *.tsv *.txt *.xlsx *.hl7 *.oru *.msg);;All files (*)"))
        return name

    def import_labs(self) -> None:
        """File ▸ Import lab results…: a lab system's file into the open patient's labs,
        previewed before anything is saved (gui/lab_import_dialog.py)."""
        from gui.lab_import_dialog import LabImportDialog

        record = self.workspace.record if self._workspace is not None else None
        if record is None:
            self.statusBar().showMessage(
                self.tr("Open a patient first: lab results are imported into the open "
                        "patient's record."), 8000)
            return
        name = self.choose_lab_file()
        if not name:
            return
        self.settings.set_last_lab_folder(str(Path(name).parent))
        dialog = LabImportDialog(self.bridge, record.patient.mrn, Path(name), self)
        self.lab_import_dialog = dialog
        dialog.finished.connect(lambda _result: self._lab_import_done(dialog))
        dialog.open()   # window-modal

    def _lab_import_done(self, dialog: Any) -> None:
        if dialog.saved:
            self.statusBar().showMessage(self.tr("Imported {count} lab results from {file}.")
                                         .format(count=dialog.saved, file=dialog.path.name),
                                         8000)
        dialog.deleteLater()
        if self.lab_import_dialog is dialog:
            self.lab_import_dialog = None

    def export_registry(self) -> None:
        """File ▸ Registry export…: every patient's CAR-T and HSCT rows as a CSV file."""
        from gui.registry_dialog import RegistryDialog

        dialog = RegistryDialog(self.bridge, self)
        if dialog.exec() and dialog.written is not None:
            path, rows = dialog.written
            self.statusBar().showMessage(self.tr("Registry export: {rows} rows saved to {path}")
                                         .format(rows=rows, path=path), 8000)

    def print_summary(self, deidentified: bool) -> None:
        from gui.printing import print_summary

        if self.workspace.record is not None:
            print_summary(self, self.workspace.record, printed_by=self.bridge.user,
                          database=self.bridge.store.location, deidentified=deidentified)

    def pdf_suggestion(self, deidentified: bool) -> str:
        """Where Save as PDF starts: the last folder used (else Documents), a file named
        from the MRN and today's date; a de-identified copy never names the MRN."""
        record = self.workspace.record
        folder = self.settings.last_pdf_folder() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        stem = ("summary-deidentified" if deidentified or record is None
                else _file_safe(record.patient.mrn))
        return str(Path(folder) / f"{stem}_{date.today().isoformat()}.pdf")

    def save_pdf(self, deidentified: bool) -> None:
        from gui.printing import save_summary_as

        if self.workspace.record is not None:
            saved = save_summary_as(self, self.workspace.record, printed_by=self.bridge.user,
                                    database=self.bridge.store.location,
                                    deidentified=deidentified,
                                    suggested=self.pdf_suggestion(deidentified))
            if saved is not None:
                self.settings.set_last_pdf_folder(str(Path(saved).parent))
                self.statusBar().showMessage(
                    self.tr("Summary saved to {path}").format(path=saved), 8000)

    def watch_backup(self, backup: DailyBackup) -> None:
        """Start the daily backup beside the window; the status bar reports how it went."""
        self.daily_backup = backup
        # bound methods of this window: the worker thread's signals arrive queued, here
        backup.finished.connect(self._on_backup_finished)
        backup.failed.connect(self._on_backup_failed)
        backup.start()

    def _say_for_a_while(self, text: str) -> None:
        """A confirmation in the status bar, for 8 seconds (as a lab import's)."""
        self.statusBar().showMessage(text, 8000)

    def _on_backup_finished(self, _path: object) -> None:
        self.session_status.refresh()

    def _on_backup_failed(self, message: str) -> None:
        log.warning("%s", message)
        self.statusBar().showMessage(message)

    # --- help ------------------------------------------------------------------------------
    def help_topic(self) -> str | None:
        """The user guide's section for what is in view: the nearest ``help_topic`` above
        the keyboard focus, else the screen shown (gui/help.py)."""
        focus = QApplication.focusWidget()
        if focus is not None and focus.window() is self:
            topic = topic_at(focus)
            if topic:
                return topic
        if self.right.currentWidget() is not self.welcome and self._workspace is not None:
            shown = self._workspace.current_form() or self._workspace.tabs.currentWidget()
            return topic_at(shown)
        return topic_at(self.patient_list)

    def show_guide(self) -> None:
        """Help ▸ User guide (F1): the guide at the section for the screen in view."""
        help_window(self, current_language()).show_document(GUIDE, self.help_topic())

    def show_rules(self) -> None:
        """Help ▸ Clinical rules: every rule hemalog applies, with its source."""
        help_window(self, current_language()).show_document(RULES)

    def show_about(self) -> None:
        """Help ▸ About: version, database, platform and licences."""
        from gui.about import AboutDialog
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self.bridge.store.location, self)
        self.about_dialog.open()

    def open_users(self) -> None:
        """File ▸ Users… (admin only); open(), not exec(): the idle lock still comes over it."""
        if self.bridge.role is not Role.ADMIN:
            return
        if self.users_dialog is None:
            from gui.users_dialog import UsersDialog
            self.users_dialog = UsersDialog(self.bridge, self)
            self.users_dialog.finished.connect(self._on_users_closed)
        self.users_dialog.open()   # window-modal: the menu cannot ask twice

    def _on_users_closed(self, _result: int) -> None:
        if self.users_dialog is not None:
            self.users_dialog.deleteLater()
            self.users_dialog = None

    # --- language ------------------------------------------------------------------------
    def open_preferences(self) -> None:
        """File ▸ Preferences…: the language, remembered on the signed-in account."""
        if self.preferences_dialog is None:
            from gui.preferences_dialog import PreferencesDialog
            self.preferences_dialog = PreferencesDialog(self.bridge, self)
            self.preferences_dialog.finished.connect(self._on_preferences_closed)
        self.preferences_dialog.open()

    def _on_preferences_closed(self, result: int) -> None:
        dialog, self.preferences_dialog = self.preferences_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            return
        language = dialog.language()
        if self.bridge.account is not None:
            try:
                self.bridge.set_language(language)
            except HemalogError as exc:
                QMessageBox.warning(self, self.tr("Language not saved"),
                                    lang.render_lines(exc.lines))
                return
        if not self.apply_language(language):
            self._say_language_waits(language)

    def apply_language(self, language: str) -> bool:
        """Show the window in ``language``: True when it is (now or already); False when a
        form holds unsaved input, which stays as typed: the switch waits for a save."""
        language = lang.normalise(language) or lang.EN
        if language == lang.current():
            self.pending_language = None
            return True
        if self._workspace is not None and self._workspace.unsaved():
            self.pending_language = language
            return False
        self.pending_language = None
        use_language(language)
        self._rebuild_in_language()
        return True

    def _say_language_waits(self, language: str) -> None:
        unsaved = self._workspace.unsaved() if self._workspace is not None else []
        QMessageBox.information(
            self, self.tr("Language"),
            self.tr("The window changes to {language} once the unsaved input is saved, or when you next sign in. Nothing typed is lost: {forms}.")  # noqa: E501
            .format(language=lang.LANGUAGE_NAMES.get(language, language),
                    forms=_listed(unsaved)))

    def _on_saved(self, *_args: object) -> None:
        if self.pending_language is not None:
            # after the saving form has cleared itself (it does so after the signal)
            QTimer.singleShot(0, self._apply_pending_language)

    def _apply_pending_language(self) -> None:
        if self.pending_language is not None:
            self.apply_language(self.pending_language)

    def _rebuild_in_language(self) -> None:
        """Every widget anew in the current language; the same patient, section, form,
        as-of date, search text and splitter positions."""
        ws = self._workspace
        showing_patient = ws is not None and self.right.currentWidget() is ws
        patient_id = ws.patient_id if ws is not None else None
        tab = ws.tabs.currentIndex() if ws is not None else 0
        tox_tab = ws.toxicity.tabs.currentIndex() if ws is not None else 0
        as_of = ws.header.as_of() if ws is not None else None
        splitters: dict[str, QByteArray] = {
            s.objectName(): s.saveState() for s in (ws.findChildren(QSplitter) if ws else [])
            if s.objectName() and _worth_keeping(s)}
        search = self.patient_list.search.text()
        self._build_menu()
        self._update_permissions()
        self.banner.setAccessibleName(self.tr("Database unreachable"))
        self.banner.setText(self._unreachable_text())
        self.plots_dock.setWindowTitle(self.tr("Trend plots"))
        self.plots_dock.toggleViewAction().setText(keymap.label("view.plots"))
        old_list, self.patient_list = self.patient_list, PatientList(self.bridge)
        self.splitter.replaceWidget(0, self.patient_list)
        self.patient_list.search.setText(search)
        old_welcome, self.welcome = self.welcome, WelcomePanel()
        self.right.addWidget(self.welcome)
        for old in (old_list, old_welcome):
            old.hide()
            old.deleteLater()
        self.right.removeWidget(old_welcome)
        if ws is not None:
            self._workspace = None
            self.right.removeWidget(ws)
            ws.hide()
            ws.deleteLater()
        if self._plots is not None:
            old_plots, self._plots = self._plots, None
            self.plots_dock.setWidget(QLabel(self.tr("Trend plots appear when a patient is open.")))
            old_plots.deleteLater()
        self._connect_content_signals()
        self.session_status.refresh()
        if patient_id is None or not showing_patient:
            self._show_welcome()
            if patient_id is None:
                return
        new = self.workspace
        for splitter in new.findChildren(QSplitter):
            if splitter.objectName() in splitters:
                splitter.restoreState(splitters[splitter.objectName()])
        if as_of is not None:
            new.header.set_as_of(as_of)
        new.open_patient(patient_id)
        new.toxicity.tabs.setCurrentIndex(tox_tab)
        new.tabs.setCurrentIndex(tab)
        if showing_patient:
            self.right.setCurrentWidget(new)
            new.focus_current()

    def focus_search(self) -> None:
        self.patient_list.search.setFocus()
        self.patient_list.search.selectAll()

    def load_demo(self) -> None:
        try:
            patient = self.bridge.load_demo()
        except HemalogError as exc:
            QMessageBox.information(self, self.tr("Demo patient"), lang.render_lines(exc.lines))
            return
        self.open_patient(patient)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.confirm_leave():
            event.ignore()
            return
        self.settings.set_window_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        for splitter in self.findChildren(QSplitter):
            if not splitter.objectName():
                continue
            if _worth_keeping(splitter):
                self.settings.set_splitter_state(splitter.objectName(), splitter.saveState())
            else:
                self.settings.forget_splitter_state(splitter.objectName())
        self.settings.sync()
        self.stop_live_updates()
        event.accept()


def _worth_keeping(splitter: QSplitter) -> bool:
    """A form splitter's place (gui.item_section.FormSplitter, imported with the
    workspace, after the first frame) is kept once the user placed it; others always."""
    placed = getattr(splitter, "placed", None)
    return placed is None or bool(placed())


def _listed(names: list[str]) -> str:
    """'CRS, Labs' in English, 'CRS、化验' in Chinese."""
    return lang.separators(lang.current())["comma"].join(names)


def _file_safe(text: str) -> str:
    """An MRN as part of a file name: path separators and the like become '-'."""
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text).strip(".") or "summary"
