"""The user guide's screenshots, taken from the real app under Xvfb, in English and Chinese.

    .venv/bin/python scripts/screenshots.py            # both languages
    .venv/bin/python scripts/screenshots.py --lang zh_CN

One command, nothing else to set up but Xvfb (Debian: `apt-get install xvfb`). It starts
its own X server (a free display number, a 1366x768 screen), then for each language runs
the app as a ward does: the first administrator's account, the demo patient, the staff
accounts, a second start with a sign-in, a new patient, a course from a template, CRS,
ICANS and GVHD assessments, a row of labs, a lab file imported, a correction and a void
(with their reasons and signatures), the history, the print preview and the summary PDF,
the preferences, the lock screen and the offer to restore a damaged database. Everything
is typed and pressed as a person does (key clicks into the focused field, Alt+letters,
the menus' shortcuts); the windows are the real ones on a real SQLite database in
/tmp/hemalog-guide (a fixed place, so the paths the screens show are the same on every
machine; it is emptied first).

What would differ from one machine or one run to the next is held still where the app
allows it: the settings are a file of the run's own (QSettings in the work folder, never
the user's), the audit trail's workstation name is "ward7-pc1" (socket.gethostname), and
the header's day counters are set to 2025-04-11 (CAR-T day +4) by typing into "Days as
of", as a person would. Where a form is cut off at its right edge (its section's splitter
as the previous session left it), the script presses View > Widen form (Ctrl+]) until it
shows whole, as a person would. The lock screen is called up as the idle timer does, and
the plots are floated (the dock's own button) to be shown bigger.

The PNGs go to docs/images/ (English) and docs/images/zh_CN/ (Chinese), named after what
they show (sign-in.png, crs-form.png, ...). They are written only when every step of a
language worked; otherwise the command says which step failed and exits 1. Colours are
reduced to a 256-colour palette (Pillow, which reportlab brings) to keep each file small.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = Path("/tmp/hemalog-guide")    # shown in the status bar: the same on every machine
IMAGES = ROOT / "docs" / "images"
LANGUAGES = ("en", "zh_CN")
SCREEN = (1366, 768)
MAX_BYTES = 150_000                  # a screenshot above this is reported
EXIT_OK, EXIT_FAILED = 0, 1


def out_dir(language: str) -> Path:
    return IMAGES if language == "en" else IMAGES / language


class GuideError(Exception):
    """A step of the tour did not go as a person would see it go."""


# =========================================================================================
# The parent: an X server of our own, one child process per language
# =========================================================================================
def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a free display (it picks one and tells us: -displayfd)."""
    xvfb = shutil.which("Xvfb") or ("/usr/bin/Xvfb" if Path("/usr/bin/Xvfb").exists() else None)
    if xvfb is None:
        raise GuideError("Xvfb is not installed (Debian/Ubuntu: apt-get install xvfb)")
    read, write = os.pipe()
    width, height = SCREEN
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write)
    number = b""
    deadline = time.monotonic() + 20
    with os.fdopen(read, "rb") as pipe:
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            chunk = pipe.read(1)
            if not chunk:
                break
            number += chunk
    if not number.strip().isdigit():
        proc.kill()
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise GuideError(f"Xvfb did not start: {err.strip()[-500:] or 'no display number'}")
    return proc, f":{number.decode().strip()}"


def child_env(display: str, language: str, work: Path) -> dict[str, str]:
    """The child's environment: our display, our folders, nothing of the user's."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HEMALOG_", "QT_", "XDG_", "LC_", "LANG"))}
    env.update({
        "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "QT_QPA_PLATFORMTHEME": "",
        "QT_AUTO_SCREEN_SCALE_FACTOR": "0", "QT_SCALE_FACTOR": "1",
        "QT_ACCESSIBILITY": "0", "NO_AT_BRIDGE": "1",
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": os.environ.get("TZ", "UTC"),
        "HEMALOG_LANG": language,
        "HEMALOG_LAB_SETTINGS": str(work / "lab-settings"),
        "HOME": str(work / "home"),
    })
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        env[var] = str(work / "home" / var.lower())
    return env


def run_parent(languages: list[str], keep: bool) -> int:
    try:
        xvfb, display = start_xvfb()
    except GuideError as exc:
        print(f"screenshots: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"screenshots: Xvfb on display {display}, {SCREEN[0]}x{SCREEN[1]}")
    failed: list[str] = []
    try:
        for language in languages:
            work = WORK / language
            staging = WORK / "shots" / language
            for folder in (work, staging):
                if folder.exists():
                    shutil.rmtree(folder)
                folder.mkdir(parents=True)
            (work / "home").mkdir()
            for var in ("xdg_data_home", "xdg_state_home", "xdg_config_home",
                        "xdg_cache_home", "xdg_runtime_dir"):
                (work / "home" / var).mkdir(mode=0o700)
            print(f"screenshots: {language} …", flush=True)
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--child", language,
                 str(staging)],
                env=child_env(display, language, work), cwd=str(ROOT), timeout=900)
            if done.returncode != 0:
                failed.append(language)
                print(f"screenshots: {language} FAILED (exit {done.returncode}); "
                      f"docs/images left as they were", file=sys.stderr)
                continue
            written = publish(staging, out_dir(language))
            print(f"screenshots: {language}: {len(written)} images in "
                  f"{out_dir(language).relative_to(ROOT)} ({time.monotonic() - started:.0f} s)")
    except subprocess.TimeoutExpired:
        failed.append("timeout")
        print("screenshots: a language run took more than 15 minutes; stopped",
              file=sys.stderr)
    finally:
        xvfb.terminate()
        try:
            xvfb.wait(10)
        except subprocess.TimeoutExpired:
            xvfb.kill()
        if not keep and not failed and WORK.exists():
            shutil.rmtree(WORK, ignore_errors=True)
    if failed:
        return EXIT_FAILED
    return EXIT_OK


def publish(staging: Path, target: Path) -> list[Path]:
    """Copy a language's PNGs into docs/images; say which are big and which are stale."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for png in sorted(staging.glob("*.png")):
        dest = target / png.name
        shutil.copyfile(png, dest)
        written.append(dest)
        if dest.stat().st_size > MAX_BYTES:
            print(f"screenshots: note: {dest.relative_to(ROOT)} is "
                  f"{dest.stat().st_size // 1000} KB")
    names = {p.name for p in written}
    for old in sorted(target.glob("*.png")):
        if old.name not in names:
            print(f"screenshots: note: {old.relative_to(ROOT)} was not made by this run "
                  f"(stale? the guide's test lists unreferenced images)")
    return written


# =========================================================================================
# The child: the app itself, driven as a person drives it
# =========================================================================================
def run_child(language: str, staging: Path) -> int:
    sys.path.insert(0, str(ROOT))
    # The audit trail names the workstation (socket.gethostname()); the screenshots name
    # the same one on every machine that takes them.
    import socket
    socket.gethostname = lambda: WORKSTATION
    try:
        tour = Tour(language, staging)
    except Exception:   # noqa: BLE001 - Qt or hemalog could not start: say so
        traceback.print_exc()
        print(f"screenshots: {language}: the app could not be started", file=sys.stderr)
        return EXIT_FAILED
    code = tour.run()
    try:
        from gui.teardown import tear_down
        tour.modal_timer.stop()
        tear_down()
    except Exception:   # noqa: BLE001 - the screenshots are written: say it, keep the code
        traceback.print_exc()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)   # nothing of Qt left for the interpreter's exit to free


# The data typed, per language (names and free text as a ward in that language types them).
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "admin_name": "Ward administrator",
        "nurse_name": "Nurse Chen Jing", "doctor_name": "Dr Wang Li",
        "patient_name": "Ann Lee", "diagnosis": "DLBCL",
        "notes": "Admitted for R-CHOP cycle 1",
        "search": "lee", "search_demo": "demo",
        "correct_reason": "temperature misread from the chart",
        "void_reason": "entered twice",
        "lab_file": "lis-export.csv",
        "lab_csv": (
            "MRN,Collected,Test,Result,Units,Reference range\n"
            "DEMO-CD7-001,2025-07-22 07:40,White blood cells,7.75,10^9/L,3.5-9.5\n"
            "DEMO-CD7-001,2025-07-22 07:40,Platelets,57.5,10^9/L,125-350\n"
            "DEMO-CD7-001,2025-07-29 07:35,White blood cells,6.9,10^9/L,3.5-9.5\n"
            "DEMO-CD7-001,2025-07-29 07:35,Absolute neutrophil count,4.2,10^9/L,1.8-6.3\n"
            "DEMO-CD7-001,2025-07-29 07:35,Platelets,88,10^9/L,125-350\n"
            "DEMO-CD7-001,2025-07-29 07:35,Haemoglobin,9.6,g/dL,13-17.5\n"
            "DEMO-CD7-001,2025-07-29 07:35,C-reactive protein,4.1,mg/L,0-10\n"),
    },
    "zh_CN": {
        "admin_name": "病区管理员",
        "nurse_name": "陈静护士", "doctor_name": "王丽医生",
        "patient_name": "张伟", "diagnosis": "弥漫大B细胞淋巴瘤",
        "notes": "入院行R-CHOP第1周期",
        "search": "zhangw", "search_demo": "demo",
        "correct_reason": "体温抄录错误",
        "void_reason": "重复录入",
        "lab_file": "lis-export.csv",
        "lab_csv": (
            "病历号,采样时间,项目名称,结果,单位,参考范围\n"
            "DEMO-CD7-001,2025-07-22 07:40,白细胞,7.75,10^9/L,3.5-9.5\n"
            "DEMO-CD7-001,2025-07-22 07:40,血小板,57.5,10^9/L,125-350\n"
            "DEMO-CD7-001,2025-07-29 07:35,白细胞,6.9,10^9/L,3.5-9.5\n"
            "DEMO-CD7-001,2025-07-29 07:35,中性粒细胞绝对值,4.2,10^9/L,1.8-6.3\n"
            "DEMO-CD7-001,2025-07-29 07:35,血小板,88,10^9/L,125-350\n"
            "DEMO-CD7-001,2025-07-29 07:35,血红蛋白,9.6,g/dL,13-17.5\n"
            "DEMO-CD7-001,2025-07-29 07:35,C反应蛋白,4.1,mg/L,0-10\n"),
    },
}
ADMIN = ("admin", "ward-7-admin")
NURSE = ("nchen", "ward-7-nurse")
DOCTOR = ("drwang", "ward-7-doctor")
WORKSTATION = "ward7-pc1"
AS_OF = "2025-04-11"     # the header's day counters: CAR-T day +4 of the demo patient


class Tour:
    """One language's walk through the app; ``run`` returns the exit code."""

    def __init__(self, language: str, staging: Path) -> None:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from gui.settings import APPLICATION, ORGANISATION, Settings

        self.language = language
        self.text = TEXT[language]
        self.staging = staging
        self.work = WORK / language
        self.db = self.work / "hemalog.db"
        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        self.app.setOrganizationName(ORGANISATION)
        self.app.setApplicationName(APPLICATION)
        self.app.setApplicationDisplayName("hemalog")
        self.app.styleHints().setCursorFlashTime(0)   # a caret that does not blink
        self.settings = Settings(QSettings(str(self.work / "hemalog.ini"),
                                           QSettings.Format.IniFormat))
        self.window: Any = None
        self.step = ""
        self.shots: list[str] = []
        self.modal_queue: list[tuple[type, Callable[[Any], None], str]] = []
        self.modal_errors: list[str] = []
        self._modal_busy = False
        from PySide6.QtCore import QTimer
        self.modal_timer = QTimer()
        self.modal_timer.setInterval(40)
        self.modal_timer.timeout.connect(self._modal_tick)
        self.modal_timer.start()
        self.slot_errors: list[str] = []
        sys.excepthook = self._slot_error   # an exception in a Qt slot fails the step

    def _slot_error(self, kind: type[BaseException], value: BaseException, tb: Any) -> None:
        traceback.print_exception(kind, value, tb)
        self.slot_errors.append(f"{kind.__name__}: {value}")

    # --- the walk ---------------------------------------------------------------------
    def run(self) -> int:
        steps: list[tuple[str, Callable[[], None]]] = [
            ("first start: the administrator's account", self.first_start),
            ("the staff accounts (File > Users)", self.add_staff),
            ("the demo patient", self.demo_patient),
            ("quit", self.quit),
            ("second start: sign in", self.second_start),
            ("a new patient (Ctrl+N)", self.new_patient),
            ("find a patient (Ctrl+F)", self.find_patient),
            ("a course from a template", self.course),
            ("CRS", self.crs),
            ("CRS treatment (Alt+A)", self.treatment),
            ("ICANS", self.icans),
            ("acute and chronic GVHD", self.gvhd),
            ("a row of labs", self.labs),
            ("a lab file", self.lab_import),
            ("a correction", self.correct),
            ("a void", self.void),
            ("the history", self.history),
            ("the trend plots", self.plots),
            ("print preview", self.print_preview),
            ("save the summary as PDF", self.save_pdf),
            ("preferences and the File menu", self.preferences),
            ("the status bar", self.status_bar),
            ("the lock screen", self.lock),
            ("quit", self.quit),
            ("a damaged database", self.damaged_database),
        ]
        try:
            for name, step in steps:
                self.step = name
                step()
                self.check_modals()
                if self.slot_errors:
                    raise GuideError("the app raised " + "; ".join(self.slot_errors))
        except Exception as exc:   # noqa: BLE001 - report the step and stop
            if not isinstance(exc, GuideError):
                traceback.print_exc()
            print(f"screenshots: {self.language}: step '{self.step}' failed: {exc}",
                  file=sys.stderr)
            self.close_everything()
            return EXIT_FAILED
        print(f"screenshots: {self.language}: {len(self.shots)} screenshots: "
              + ", ".join(self.shots))
        return EXIT_OK

    # --- start-up, sign-in, accounts -----------------------------------------------------------
    def start_app(self, run_modal: Callable[[Any], bool]) -> Any:
        from gui.app import start

        window = start(self.db, None, self.settings, run_modal=run_modal)
        if isinstance(window, int):
            raise GuideError(f"the app did not start (exit code {window})")
        self.window = window
        self.until(lambda: window.isVisible() and window._workspace is not None
                   and window._plots is not None, "the main window to be built")
        # Maximised, as a person has it (without a window manager a restored geometry
        # keeps the offset of a title bar that is not there).
        screen = self.app.primaryScreen().availableGeometry()
        if window.geometry() != screen:
            window.setGeometry(screen)
        self.wait(600)
        self.activate(window)
        return window

    def first_start(self) -> None:
        def create_admin(dialog: Any) -> bool:
            from gui.sign_in import FirstAdminDialog
            if not isinstance(dialog, FirstAdminDialog):
                raise GuideError(f"expected the first administrator's dialog, got {dialog!r}")
            dialog.show()
            self.activate(dialog)
            self.type_text(dialog.user_name, ADMIN[0])
            self.type_text(dialog.display_name, self.text["admin_name"])
            self.type_text(dialog.password, ADMIN[1])
            self.type_text(dialog.repeat, ADMIN[1])
            self.expect(dialog.create_button.isEnabled(), "Create and sign in is enabled")
            self.shot_widget("first-admin", dialog)
            self.click(dialog.create_button)
            return dialog.result() == dialog.DialogCode.Accepted

        window = self.start_app(create_admin)
        self.shot_screen("welcome")
        if window.daily_backup is not None:   # the first start's backup: restored at the end
            window.daily_backup.wait(120)
            self.wait(200)

    def add_staff(self) -> None:
        from gui import keymap
        from gui.users_dialog import UsersDialog

        self.menu("main.file", "file.users")
        dialog = self.until(lambda: _active(UsersDialog), "the Users dialog")
        for (user, password), name, role in ((NURSE, self.text["nurse_name"], "nurse"),
                                              (DOCTOR, self.text["doctor_name"], "physician")):
            self.alt(keymap.label("users.user_name"), dialog)
            self.type_focused(user)
            self.alt(keymap.label("users.display_name"), dialog)
            self.type_focused(name)
            self.alt(keymap.label("users.role"), dialog)
            self.choose_data(dialog.add_role, role)
            self.alt(keymap.label("users.password"), dialog)
            self.type_focused(password)
            self.alt(keymap.label("users.add"), dialog)
            self.wait(100)
        names = [u.username for u in dialog.model.items()]
        self.expect(NURSE[0] in names and DOCTOR[0] in names, "both accounts are listed")
        self.select_row(dialog.table, names.index(NURSE[0]))
        self.shot_widget("users", dialog)
        self.key("Escape", dialog)
        self.until(lambda: _gone(dialog), "the Users dialog to close")

    def demo_patient(self) -> None:
        from gui import keymap

        self.expect(self.window.welcome.demo_button.isVisible(), "the welcome panel offers the demo")
        self.alt(keymap.label("welcome.demo"), self.window)
        ws = self.window.workspace
        self.until(lambda: ws.record is not None, "the demo patient to open")
        self.set_as_of()
        self.go_section(1)
        self.shot_screen("overview")

    def set_as_of(self) -> None:
        """The header's day counters as of AS_OF (the demo patient's CAR-T day +4)."""
        header = self.window.workspace.header
        self.type_text(header.on_date.edit, AS_OF)
        self.key("Return", header.on_date.edit)
        self.until(lambda: header.as_of().isoformat() == AS_OF, "the day counters' date")

    def quit(self) -> None:
        from gui import keymap

        window = self.window
        self.press(keymap.shortcut("file.quit"))
        self.until(lambda: _gone(window), "the window to close")
        self.finish_window()

    def finish_window(self) -> None:
        """What run_app does after the event loop: stop the feed, close the store."""
        window, self.window = self.window, None
        if window is None:
            return
        window.stop_live_updates()
        if window.daily_backup is not None and window.daily_backup.running:
            window.daily_backup.wait(120)
        store = window.bridge.store
        window.deleteLater()
        self.wait(200)
        store.close()

    def second_start(self) -> None:
        def sign_in(dialog: Any) -> bool:
            from gui.sign_in import SignInDialog
            if not isinstance(dialog, SignInDialog):
                raise GuideError(f"expected the sign-in dialog, got {dialog!r}")
            dialog.show()
            self.activate(dialog)
            self.type_text(dialog.user_name, DOCTOR[0])
            self.type_text(dialog.password, DOCTOR[1])
            self.shot_widget("sign-in", dialog)
            self.key("Return", dialog.password)
            return dialog.result() == dialog.DialogCode.Accepted

        window = self.start_app(sign_in)
        self.until(lambda: window.workspace.record is not None,
                   "the last patient to open again")
        self.set_as_of()

    # --- patients ---------------------------------------------------------------------------
    def new_patient(self) -> None:
        from gui import keymap
        from gui.forms.patient_form import PatientDialog

        def fill(dialog: PatientDialog) -> None:
            self.activate(dialog)
            f = dialog.fields
            self.alt(keymap.label("patient.mrn"), dialog)
            self.type_focused("W7-2025-0142")
            self.alt(keymap.label("patient.name"), dialog)
            self.type_focused(self.text["patient_name"])
            self.alt(keymap.label("patient.sex"), dialog)
            self.choose_data(f["sex"].focus_widget(), "female")
            self.alt(keymap.label("patient.birth_date"), dialog)
            self.type_focused("1968-03-14")
            self.key("Tab")
            self.alt(keymap.label("patient.diagnosis"), dialog)
            self.type_focused(self.text["diagnosis"])
            self.alt(keymap.label("patient.diagnosis_date"), dialog)
            self.type_focused("2025-08-20")
            self.key("Tab")
            self.alt(keymap.label("patient.immunophenotype"), dialog)
            self.type_focused("CD20+, CD19+, CD10-")
            self.alt(keymap.label("patient.notes"), dialog)
            self.type_focused(self.text["notes"])
            self.wait(150)
            save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
            self.expect(save.isEnabled(), "Save is enabled in the new patient dialog")
            self.shot_widget("new-patient", dialog)
            self.click(save)

        self.on_modal(PatientDialog, fill, "the new patient dialog")
        self.press(keymap.shortcut("file.new_patient"))
        ws = self.window.workspace
        self.until(lambda: ws.record is not None and ws.record.patient.mrn == "W7-2025-0142",
                   "the new patient to open")

    def find_patient(self) -> None:
        from gui import keymap

        patients = self.window.patient_list
        self.press(keymap.shortcut("file.find"))
        self.expect(patients.search.hasFocus(), "Ctrl+F puts the cursor in the search box")
        self.type_focused(self.text["search"])
        self.until(lambda: patients.model.rowCount() == 1, "the search to find one patient")
        self.wait(200)
        self.shot_screen("patient-search")
        self.press(keymap.shortcut("file.find"))
        self.type_focused(self.text["search_demo"])
        self.until(lambda: patients.model.rowCount() == 1, "the search to find the demo")
        self.key("Return")
        from resources import DEMO_MRN
        ws = self.window.workspace
        self.until(lambda: ws.record is not None and ws.record.patient.mrn == DEMO_MRN,
                   "the demo patient to open")
        self.press(keymap.shortcut("file.find"))
        self.key("Backspace")      # the whole list again
        self.set_as_of()

    # --- courses ------------------------------------------------------------------------------
    def course(self) -> None:
        from gui import keymap

        ws = self.window.workspace
        form = ws.course_form
        self.go_section(2)
        self.alt(keymap.label("course.start_date"))
        self.type_focused("2025-09-01")
        self.key("Tab")
        self.alt(keymap.label("course.regimen"))
        self.type_focused("R-CHOP")
        self.until(lambda: form.table.rowCount() == 5, "the R-CHOP lines")
        self.expect(form.warnings_label.isVisible(), "a dose warning is listed")
        self.click_into(form.table, form.table.visualItemRect(form.table.item(3, 1)).center())
        self.wait(300)
        self.fit_form()
        self.shot_screen("course-form")
        before = len(ws.record.courses)
        self.press(keymap.shortcut("form.save"))
        self.until(lambda: len(ws.record.courses) == before + 1, "the course to be saved")

    # --- toxicity -------------------------------------------------------------------------------
    def toxicity_form(self, kind: str) -> Any:
        """Ctrl+3 until the form of ``kind`` is in front (Ctrl+3 again: the next form)."""
        ws = self.window.workspace
        for _ in range(6):
            self.press(self.tab_key(3))
            self.wait(80)
            form = ws.toxicity.current_form()
            if ws.tabs.currentWidget() is ws.toxicity and form is ws.toxicity.forms[kind] \
                    and form.isAncestorOf(self.app.focusWidget()):
                return form
        raise GuideError(f"Ctrl+3 did not reach the {kind} form")

    def saved_count(self) -> int:
        return len(self.window.workspace.record.assessments)

    def save_form(self, what: str) -> None:
        from gui import keymap

        before = self.saved_count()
        self.press(keymap.shortcut("form.save"))
        self.until(lambda: self.saved_count() == before + 1, f"the {what} to be saved")

    def crs(self) -> None:
        from gui import keymap

        form = self.toxicity_form("crs")
        self.type_focused(AS_OF)                      # Date: the form's first field
        self.key("Tab")
        self.alt(keymap.label("crs.temperature"))
        self.type_focused("38.9")
        self.alt(keymap.label("crs.oxygen"))
        self.choose_data(form.field("findings.oxygen_device").focus_widget(), "nasal_cannula")
        self.key("Tab")
        self.type_focused("2")                        # Oxygen flow, L/min
        self.key("Tab")
        self.until(lambda: form.reason_label.text() != "", "the live CRS grade")
        self.wait(200)
        self.fit_form()
        self.shot_screen("crs-form")
        self.save_form("CRS assessment")

    def treatment(self) -> None:
        from gui import keymap
        from gui.treatment_dialog import TreatmentDialog

        ws = self.window.workspace
        self.alt(keymap.label("toxicity.treatment"))
        dialog = self.until(lambda: _active(TreatmentDialog), "the treatment dialog")
        self.wait(300)
        self.expect(dialog.save_button.isEnabled(), "the treatment can be saved")
        self.shot_widget("treatment-dialog", dialog)
        before = len(ws.record.courses)
        self.click(dialog.save_button)
        self.until(lambda: len(ws.record.courses) == before + 1, "the treatment course")

    def icans(self) -> None:
        form = self.toxicity_form("icans")
        self.type_focused(AS_OF)
        self.key("Tab")
        for box in form.ice_boxes[:7]:               # 7 of 10 ICE points
            self.tick(box)
        for key, value in (("consciousness", "alert"), ("seizure", "none"), ("motor", "none"),
                           ("cerebral_edema", "none")):
            self.choose_data(form.field(f"findings.{key}").focus_widget(), value)
        self.until(lambda: form.reason_label.text() != "", "the live ICANS grade")
        self.wait(200)
        self.fit_form()
        self.shot_screen("icans-form")
        self.save_form("ICANS assessment")

    def gvhd(self) -> None:
        from gui import keymap

        form = self.toxicity_form("agvhd")
        self.type_focused("2025-07-01")
        self.key("Tab")
        self.alt(keymap.label("agvhd.skin_rash"))
        self.type_focused("30")
        self.click_into(form.field("findings.stool_ml_day").focus_widget())
        self.type_focused("700")
        self.key("Tab")
        self.until(lambda: form.reason_label.text() != "", "the live aGVHD grade")
        self.wait(200)
        self.fit_form()
        self.shot_screen("agvhd-form")
        self.save_form("aGVHD assessment")
        form = self.toxicity_form("cgvhd")
        self.type_focused("2025-11-03")
        self.key("Tab")
        self.alt(keymap.label("cgvhd.skin"))
        self.choose_data(form.field("findings.skin").focus_widget(), 1)
        self.alt(keymap.label("cgvhd.mouth"))
        self.choose_data(form.field("findings.mouth").focus_widget(), 1)
        for organ in ("eyes", "gi", "liver", "lungs", "joints_fascia", "genital"):
            self.key("Tab")
            self.choose_data(form.field(f"findings.{organ}").focus_widget(), 0)
        self.key("Tab")
        self.until(lambda: form.reason_label.text() != "", "the live cGVHD severity")
        self.wait(200)
        self.fit_form()
        self.shot_screen("cgvhd-form")
        self.save_form("cGVHD assessment")

    # --- labs ------------------------------------------------------------------------------------
    def labs(self) -> None:
        from gui import keymap

        ws = self.window.workspace
        grid = ws.labs
        self.press(keymap.shortcut("labs.grid"))
        self.until(lambda: ws.tabs.currentWidget() is grid, "the labs grid")
        self.alt(keymap.label("labs.new_row"))
        self.wait(100)
        self.key("A", modifier="Ctrl")
        self.type_focused("2025-04-12")
        for value in ("0.9", "0.3", "0.2", "35", "78", "56", "2100", "85"):
            self.key("Tab")
            self.type_focused(value)
        before = len(ws.record.labs)
        self.key("Return")
        self.until(lambda: len(ws.record.labs) == before + 8, "the row of labs to be saved")
        self.wait(300)
        self.shot_screen("labs-grid")
        self.key("Escape")
        self.wait(100)

    def lab_import(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from gui.lab_import_dialog import LabImportDialog

        folder = self.work / "lab-files"
        folder.mkdir(exist_ok=True)
        path = folder / self.text["lab_file"]
        path.write_text(self.text["lab_csv"], encoding="utf-8")
        self.settings.set_last_lab_folder(str(folder))
        ws = self.window.workspace

        def choose_file(dialog: QFileDialog) -> None:
            self.wait(300)
            self.type_file_name(dialog, str(path))

        self.on_modal(QFileDialog, choose_file, "the file dialog")
        self.menu("main.file", "file.import_labs")
        dialog = self.until(lambda: _active(LabImportDialog), "the lab import dialog")
        self.until(lambda: dialog.pages.currentWidget() is not None, "its first page")
        self.wait(300)
        self.shot_widget("lab-import-columns", dialog)
        self.click(dialog.next_button)
        self.until(lambda: dialog.pages.currentWidget() is dialog.preview_page, "the preview")
        self.wait(300)
        self.expect(dialog.import_button.isEnabled(), "nothing in the file is refused")
        self.shot_widget("lab-import-preview", dialog)
        before = len(ws.record.labs)
        self.click(dialog.import_button)
        self.until(lambda: len(ws.record.labs) > before, "the lab results to be imported")
        self.until(lambda: _gone(dialog), "the import dialog to close")

    # --- corrections, voids, history ------------------------------------------------------------
    def correct(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from gui import keymap
        from gui.signature_dialog import SignatureDialog

        ws = self.window.workspace
        form = self.toxicity_form("crs")
        section = ws.toxicity.section
        rows = [i for i, a in enumerate(section.model.items())
                if a.kind.value == "crs" and a.date.isoformat() == AS_OF]
        self.expect(bool(rows), "the CRS assessment just saved is listed")
        self.select_row(section.table, rows[0])
        self.alt(keymap.label("section.correct"))
        self.until(lambda: form._editing is not None, "the assessment in the form")
        self.alt(keymap.label("crs.temperature"))
        self.type_focused("38.6")
        self.key("Tab")
        self.wait(200)
        self.fit_form()
        self.shot_screen("correct-form")

        def reason(dialog: QInputDialog) -> None:
            self.activate(dialog)
            dialog.resize(max(dialog.width(), 460), dialog.height())
            self.type_focused(self.text["correct_reason"])
            self.shot_widget("correction-reason", dialog)
            self.key("Return")

        def sign(dialog: SignatureDialog) -> None:
            self.activate(dialog)
            self.type_text(dialog.password, DOCTOR[1])
            self.shot_widget("signature", dialog)
            self.key("Return", dialog.password)

        self.on_modal(QInputDialog, reason, "the reason for the correction")
        self.on_modal(SignatureDialog, sign, "the signature")
        before = len(self.window.bridge.history(ws.patient_id))
        self.press(keymap.shortcut("form.save"))
        self.until(lambda: len(self.window.bridge.history(ws.patient_id)) > before,
                   "the correction to be saved")

    def void(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from gui import keymap
        from gui.signature_dialog import SignatureDialog

        ws = self.window.workspace
        self.go_section(6)
        rows = [i for i, e in enumerate(ws.events.model.items())
                if e.type.value == "transfusion" and e.date.isoformat() == "2025-06-01"]
        self.expect(bool(rows), "the transfusion of 2025-06-01 is listed")
        self.select_row(ws.events.table, rows[0])

        def reason(dialog: QInputDialog) -> None:
            self.activate(dialog)
            dialog.resize(max(dialog.width(), 460), dialog.height())
            self.type_focused(self.text["void_reason"])
            self.shot_widget("void-reason", dialog)
            self.key("Return")

        def sign(dialog: SignatureDialog) -> None:
            self.activate(dialog)
            self.type_text(dialog.password, DOCTOR[1])
            self.key("Return", dialog.password)

        self.on_modal(QInputDialog, reason, "the reason for the void")
        self.on_modal(SignatureDialog, sign, "the signature")
        before = len(ws.record.events)
        self.alt(keymap.label("section.void"))
        self.until(lambda: len(ws.record.events) == before - 1, "the event to be voided")

    def history(self) -> None:
        ws = self.window.workspace
        view = ws.history
        self.go_section(8)
        self.tick(view.changes_only)
        self.until(lambda: view.table.model().rowCount() >= 2, "the corrections and voids")
        self.select_row(view.table, 0)
        self.wait(300)
        self.shot_screen("history")
        self.tick(view.changes_only)

    # --- plots ------------------------------------------------------------------------------------
    def plots(self) -> None:
        from PySide6.QtWidgets import QAbstractButton

        from gui.plots.axes import XMode

        window = self.window
        dock = window.plots_dock
        panel = window.plots
        self.go_section(1)
        self.choose_data(panel.mode_combo, XMode.CART)
        self.choose_data(panel.range_combo, "around_cart")
        # The dock's float button: the plots in a window of their own, made bigger
        float_button = dock.findChild(QAbstractButton, "qt_dockwidget_floatbutton")
        self.expect(float_button is not None, "the plots dock has a float button")
        self.click(float_button)
        self.until(dock.isFloating, "the plots to float")
        dock.setGeometry(0, 0, 860, SCREEN[1])
        self.wait(700)
        self.hover(panel.plots)
        self.shot_widget("trend-plots", dock)
        self.click(float_button)
        self.until(lambda: not dock.isFloating(), "the plots to dock again")
        self.choose_data(panel.range_combo, "all")
        self.choose_data(panel.mode_combo, XMode.CALENDAR)
        self.wait(300)

    # --- print, PDF ----------------------------------------------------------------------------------
    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        from gui import keymap

        def preview(dialog: QPrintPreviewDialog) -> None:
            dialog.resize(1100, 720)
            self.wait(1500)
            self.shot_widget("print-preview", dialog)
            self.key("Escape", dialog)

        self.on_modal(QPrintPreviewDialog, preview, "the print preview")
        self.press(keymap.shortcut("file.print"))

    def save_pdf(self) -> None:
        import pypdfium2 as pdfium
        from PySide6.QtGui import QImage
        from PySide6.QtWidgets import QFileDialog

        from gui import keymap

        folder = self.work / "summaries"
        folder.mkdir(exist_ok=True)
        self.settings.set_last_pdf_folder(str(folder))
        target = folder / "summary.pdf"

        def name_it(dialog: QFileDialog) -> None:
            self.wait(300)
            self.type_file_name(dialog, str(target))

        self.on_modal(QFileDialog, name_it, "the Save as PDF dialog")
        self.press(keymap.shortcut("file.pdf"))
        self.until(lambda: target.exists(), "the summary PDF")
        document = pdfium.PdfDocument(str(target))
        try:
            page = document[0]
            bitmap = page.render(scale=100 / 72, rev_byteorder=True)
            array = bitmap.to_numpy()
            height, width = array.shape[:2]
            image = QImage(array.data, width, height, bitmap.stride,
                           QImage.Format.Format_RGB888).copy()
        finally:
            document.close()
        self.save_image("summary-page1", image)

    # --- preferences, menus, status bar, lock ---------------------------------------------------------
    def preferences(self) -> None:
        from gui.preferences_dialog import PreferencesDialog

        self.menu("main.file", "file.preferences")
        dialog = self.until(lambda: _active(PreferencesDialog), "the Preferences dialog")
        self.wait(200)
        self.shot_widget("preferences", dialog)
        self.key("Escape", dialog)
        self.until(lambda: _gone(dialog), "the Preferences dialog to close")
        self.wait(200)
        # The File menu as Alt+F opens it, with its keys
        from gui import keymap
        self.alt(keymap.label("main.file"), self.window)
        menu = self.until(lambda: self.app.activePopupWidget(), "the File menu")
        self.wait(300)
        self.shot_widget("file-menu", menu)
        self.key("Escape", menu)
        self.wait(100)
        if self.app.activePopupWidget() is not None:
            self.key("Escape", self.app.activePopupWidget())
        self.key("Escape")

    def status_bar(self) -> None:
        window = self.window
        window.session_status.refresh()
        self.wait(200)
        self.shot_widget("status-bar", window.session_status)

    def lock(self) -> None:
        from gui.idle_lock import LockDialog

        window = self.window
        window.idle_lock.lock()    # what the idle timer does after 10 minutes without input
        dialog = self.until(lambda: _active(LockDialog), "the lock screen")
        self.wait(400)
        self.shot_screen("lock")
        self.type_text(dialog.password, DOCTOR[1])
        self.key("Return", dialog.password)
        self.until(lambda: not window.idle_lock.is_locked, "the window to unlock")

    # --- restore ------------------------------------------------------------------------------------------
    def damaged_database(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from gui.app import check_database

        with open(self.db, "r+b") as f:      # the file's first page: no longer a database
            f.seek(0)
            f.write(b"\0" * 4096)
        for side in ("-wal", "-shm"):
            Path(f"{self.db}{side}").unlink(missing_ok=True)

        def offer(box: QMessageBox) -> None:
            self.wait(300)
            self.shot_widget("restore-offer", box)
            self.click(box.button(QMessageBox.StandardButton.Yes))

        def restored(box: QMessageBox) -> None:
            self.wait(200)
            self.click(box.buttons()[0])

        self.on_modal(QMessageBox, offer, "the offer to restore")
        self.on_modal(QMessageBox, restored, "the restored notice")
        if not check_database(self.db):
            raise GuideError("the damaged database was not restored from its backup")

    # =========================================================================================
    # Doing things as a person does
    # =========================================================================================
    def wait(self, ms: int = 60) -> None:
        from PySide6.QtTest import QTest
        QTest.qWait(ms)

    def until(self, predicate: Callable[[], Any], what: str, timeout_s: float = 15) -> Any:
        deadline = time.monotonic() + timeout_s
        while True:
            if self.slot_errors:
                raise GuideError(f"the app raised {'; '.join(self.slot_errors)} "
                                 f"(while waiting for {what})")
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise GuideError(f"waited {timeout_s:.0f} s for {what}")
            self.wait(40)

    def expect(self, condition: Any, what: str) -> None:
        if not condition:
            raise GuideError(f"expected: {what}")

    def activate(self, widget: Any) -> None:
        widget.raise_()
        widget.activateWindow()
        self.wait(60)

    def focused(self) -> Any:
        """Where a key goes: the focused widget of the window in front (a modal dialog,
        else the main window), made active first as a click on it would (Xvfb has no
        window manager to give the focus back when a dialog closes)."""
        front = self.app.activeModalWidget() or self.window
        if front is not None and self.app.activePopupWidget() is None \
                and self.app.activeWindow() is not front.window():
            self.activate(front)
        return self.app.focusWidget() or front

    def target(self, widget: Any = None) -> Any:
        """``widget`` (its window made active), else the focused widget."""
        if widget is None:
            return self.focused()
        if self.app.activePopupWidget() is None and \
                self.app.activeWindow() is not widget.window():
            self.activate(widget.window())
        return widget

    def key(self, name: str, widget: Any = None, modifier: str = "") -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        key = getattr(Qt.Key, f"Key_{name}")
        mods = Qt.KeyboardModifier.NoModifier
        for part in filter(None, modifier.split("+")):
            mods |= {"Ctrl": Qt.KeyboardModifier.ControlModifier,
                     "Alt": Qt.KeyboardModifier.AltModifier,
                     "Shift": Qt.KeyboardModifier.ShiftModifier}[part]
        QTest.keyClick(self.target(widget), key, mods)
        self.wait(30)

    def press(self, sequence: Any) -> None:
        """A key sequence from the keyboard map (Ctrl+S, F9 ...), to the focused widget."""
        from PySide6.QtTest import QTest

        combo = sequence[0]
        QTest.keyClick(self.focused(), combo.key(), combo.keyboardModifiers())
        self.wait(80)

    def tab_key(self, n: int) -> Any:
        from gui import keymap
        return keymap.shortcut(f"tabs.go_{n}")

    def go_section(self, n: int) -> None:
        ws = self.window.workspace
        self.press(self.tab_key(n))
        self.until(lambda: ws.tabs.currentIndex() == n - 1, f"section {n}")
        self.wait(150)

    def alt(self, label: str, widget: Any = None) -> None:
        """Alt+the label's underlined letter, as the keyboard map gives it."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from gui import keymap

        letter = keymap.mnemonic(label)
        if letter is None:
            raise GuideError(f"{label!r} has no Alt+letter")
        QTest.keyClick(self.target(widget), getattr(Qt.Key, f"Key_{letter}"),
                       Qt.KeyboardModifier.AltModifier)
        self.wait(80)

    def menu(self, menu_key: str, item_key: str) -> None:
        """Alt+F, then the item's letter: the menu as a person opens it."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from gui import keymap

        self.activate(self.window)
        self.alt(keymap.label(menu_key), self.window)
        popup = self.until(lambda: self.app.activePopupWidget(), f"the menu {menu_key}")
        letter = keymap.mnemonic(keymap.label(item_key))
        QTest.keyClick(popup, getattr(Qt.Key, f"Key_{letter}"))
        self.wait(150)

    def type_focused(self, text: str) -> None:
        """Type into the focused widget: letters key by key; Chinese as an input method
        commits it (one word at a time)."""
        self.type_text(self.focused(), text, click=False)

    def type_text(self, widget: Any, text: str, click: bool = True) -> None:
        from PySide6.QtGui import QInputMethodEvent
        from PySide6.QtTest import QTest

        if click:
            self.click_into(widget)
            if hasattr(widget, "selectAll"):
                widget.selectAll()
        run = ""
        for char in text + "\0":
            if char != "\0" and char.isascii() == (run[:1].isascii() if run else char.isascii()):
                run += char
                continue
            if run.isascii():
                QTest.keyClicks(widget, run)
            else:
                event = QInputMethodEvent()
                event.setCommitString(run)
                self.app.sendEvent(widget, event)
            run = char if char != "\0" else ""
        self.wait(40)

    def click(self, button: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        if not button.isEnabled():
            raise GuideError(f"the button {button.text()!r} is disabled")
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        self.wait(80)

    def click_into(self, widget: Any, pos: Any = None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        target = widget.viewport() if hasattr(widget, "viewport") else widget
        if pos is None:
            QTest.mouseClick(target, Qt.MouseButton.LeftButton)
        else:
            QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             pos)
        widget.setFocus()
        self.wait(40)

    def tick(self, box: Any) -> None:
        """Click a check box on its box-and-text area."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QStyle, QStyleOptionButton

        option = QStyleOptionButton()
        option.initFrom(box)
        option.text = box.text()
        area = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxClickRect, option, box)
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         area.center())
        self.wait(40)

    def choose_data(self, combo: Any, data: Any) -> None:
        """Pick a drop-down entry with the arrow keys, as from the keyboard."""
        index = combo.findData(data)
        if index < 0:
            raise GuideError(f"{data!r} is not offered by {combo.accessibleName()!r}")
        combo.setFocus()
        self.wait(30)
        while combo.currentIndex() != index:
            self.key("Down" if combo.currentIndex() < index else "Up", combo)

    def select_row(self, table: Any, row: int) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        index = table.model().index(row, 0)
        table.scrollTo(index)
        self.wait(40)
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, table.visualRect(index).center())
        self.wait(80)

    def hover(self, widget: Any) -> None:
        """The mouse over the first plot, where the read-out shows a value."""
        from PySide6.QtCore import QPoint
        from PySide6.QtTest import QTest

        layout = getattr(widget, "layout_widget", widget)
        QTest.mouseMove(layout, QPoint(layout.width() // 2, layout.height() // 10))
        self.wait(200)

    def type_file_name(self, dialog: Any, path: str) -> None:
        """In Qt's file dialog: the whole path into its name field, Enter."""
        from PySide6.QtWidgets import QLineEdit

        edits = [e for e in dialog.findChildren(QLineEdit) if e.isVisible()]
        name = next((e for e in edits if e.objectName() == "fileNameEdit"),
                    edits[0] if edits else None)
        if name is None:
            raise GuideError("the file dialog has no file name field")
        name.setFocus()
        name.selectAll()
        self.type_text(name, path, click=False)
        self.key("Return", name)

    # --- modal dialogs: answered from inside their own event loop ---------------------------------
    def on_modal(self, kind: type, action: Callable[[Any], None], what: str) -> None:
        """When a modal dialog of ``kind`` comes up, do ``action`` with it (in order)."""
        self.modal_queue.append((kind, action, what))

    def _modal_tick(self) -> None:
        if self._modal_busy or not self.modal_queue:
            return
        kind, action, what = self.modal_queue[0]
        dialog = self.app.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            return
        self.modal_queue.pop(0)
        self._modal_busy = True
        try:
            self.wait(150)
            action(dialog)
        except Exception as exc:   # noqa: BLE001 - said after the dialog is closed
            if not isinstance(exc, GuideError):
                traceback.print_exc()
            self.modal_errors.append(f"{what}: {exc}")
            self.modal_queue.clear()
            if dialog.isVisible():
                dialog.reject() if hasattr(dialog, "reject") else dialog.close()
        finally:
            self._modal_busy = False

    def check_modals(self) -> None:
        errors, self.modal_errors = self.modal_errors, []
        waiting = [what for _, _, what in self.modal_queue]
        self.modal_queue.clear()
        if errors:
            raise GuideError("; ".join(errors))
        if waiting:
            raise GuideError(f"never came up: {', '.join(waiting)}")

    # --- screenshots ------------------------------------------------------------------------------
    def fit_form(self) -> None:
        """View > Widen form (Ctrl+]) until the form in view shows whole, as a person
        does when its right edge is cut off (a form's width is remembered per section)."""
        from PySide6.QtWidgets import QScrollArea

        from gui import keymap
        from gui.item_section import FormSplitter

        ws = self.window.workspace
        section = ws.tabs.currentWidget()
        splitters = section.findChildren(FormSplitter) if section is not None else []
        if not splitters:
            return
        area = splitters[0].widget(1)
        if not isinstance(area, QScrollArea):
            return
        from PySide6.QtWidgets import QTableWidget

        def cut_off() -> bool:
            tables = [t for t in area.widget().findChildren(QTableWidget) if t.isVisible()]
            return area.horizontalScrollBar().maximum() > 0 or any(
                t.horizontalScrollBar().maximum() > 0 for t in tables)

        focus = self.app.focusWidget()
        for _ in range(12):
            self.wait(60)
            if not cut_off():
                break
            self.press(keymap.shortcut("view.widen_form"))
        if focus is not None:
            focus.setFocus()
            area.ensureWidgetVisible(focus)
        self.wait(100)

    def shot_screen(self, name: str) -> None:
        """The whole 1366x768 screen, as the X server shows it."""
        self.wait(250)
        image = self.app.primaryScreen().grabWindow(0).toImage()
        self.save_image(name, image)

    def shot_widget(self, name: str, widget: Any) -> None:
        """One window or dialog (no frame: Xvfb has no window manager)."""
        self.wait(150)
        self.save_image(name, widget.grab().toImage())

    def save_image(self, name: str, image: Any) -> None:
        from PIL import Image
        from PySide6.QtGui import QImage

        if image.isNull() or image.width() < 20:
            raise GuideError(f"{name}: nothing to grab")
        rgb = image.convertToFormat(QImage.Format.Format_RGB888)
        data = bytes(rgb.constBits())
        picture = Image.frombuffer("RGB", (rgb.width(), rgb.height()), data, "raw", "RGB",
                                   rgb.bytesPerLine(), 1)
        path = self.staging / f"{name}.png"
        palette = picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                   dither=Image.Dither.NONE)
        palette.save(path, optimize=True)
        self.shots.append(name)

    def close_everything(self) -> None:
        self.modal_queue.clear()
        for widget in self.app.topLevelWidgets():
            if widget.isVisible() and hasattr(widget, "reject"):
                widget.reject()
        if self.window is not None:
            try:
                self.window.stop_live_updates()
                self.window.bridge.store.close()
            except Exception:   # noqa: BLE001 - failing already
                pass


def _gone(widget: Any) -> bool:
    """The window is closed (or deleted already)."""
    from shiboken6 import isValid

    return not isValid(widget) or not widget.isVisible()


def _active(kind: type) -> Any:
    """The visible dialog of ``kind`` in front, if there is one."""
    from PySide6.QtWidgets import QApplication

    widget = QApplication.activeModalWidget() or QApplication.activeWindow()
    return widget if isinstance(widget, kind) and widget.isVisible() else None


# =========================================================================================
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=LANGUAGES, action="append",
                        help="only this language (repeatable); default: both")
    parser.add_argument("--keep", action="store_true",
                        help=f"keep the databases in {WORK} afterwards")
    parser.add_argument("--child", nargs=2, metavar=("LANG", "FOLDER"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child(args.child[0], Path(args.child[1]))
    return run_parent(args.lang or list(LANGUAGES), args.keep)


if __name__ == "__main__":
    sys.exit(main())
