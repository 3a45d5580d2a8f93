"""The one keyboard map: every shortcut and every Alt+letter mnemonic of hemalog.

Windows, sections, forms and dialogs draw their labels from here
(``label("crs.temperature")`` -> "Tem&perature (highest)") and their keys
(``shortcut("form.save")`` -> Ctrl+S), so tests/gui/test_keyboard_map.py can check
the whole map for clashes before anyone presses a key.

A label id is ``<screen>.<name>``. A mnemonic must be unique among the screens shown
together (``SCREEN_GROUPS``): the main window's menus, the patient list, the plots
dock and the section tabs are visible beside the current section's buttons and the
current form's fields. Labels without ``&`` have no mnemonic; they are listed only
when a form draws them from here anyway. Key sequences are not translated
(style.md §13): the clash test would see one language only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

Key = QKeySequence.StandardKey | str

# --- mnemonics -----------------------------------------------------------------------
# Letters taken on every workspace screen: F V N (menus, patient list) and the tabs
# C X W L E U Y; every item section adds T I, every form S R, most forms D O.
LABELS: dict[str, str] = {
    # the main window: menu bar, patient list, section tabs
    "main.file": "&File",
    "main.view": "&View",
    "main.new_patient": "&New patient…",           # the patient list's button
    "tabs.overview": "Overview",                     # Ctrl+1 opens it; W went to Marrow
    "tabs.courses": "&Courses",
    "tabs.toxicity": "To&xicity",
    "tabs.marrow": "Marro&w",
    "tabs.labs": "&Labs",
    "tabs.events": "&Events",
    "tabs.measurements": "Meas&urements",
    "tabs.history": "Histor&y",
    # the welcome panel (instead of the workspace)
    "welcome.demo": "Load the &demo patient (published case)",
    "welcome.new_patient": "New patient…",          # Alt+N is the patient list's
    # the File menu (unique within the open menu)
    "file.new_patient": "&New patient…",
    "file.find": "&Find patient",
    "file.details": "Patient &details…",
    "file.demo": "Load de&mo patient",
    "file.print": "&Print summary…",
    "file.pdf": "Save summary &as PDF…",
    "file.pdf_deidentified": "Save de-&identified summary as PDF…",
    "file.users": "&Users…",
    "file.quit": "&Quit",
    "view.plots": "&Trend plots",
    "view.focus_plots": "&Focus trend plots",
    "view.widen_form": "&Widen form",
    "view.narrow_form": "&Narrow form",
    "view.widen_list": "Wider patient &list",
    "view.narrow_list": "Narrower patient li&st",
    # every item section (the saved items' table)
    "section.correct": "Correc&t selected",
    "section.void": "Vo&id selected…",
    # every item form
    "form.save": "&Save",
    "form.clear": "Clea&r",
    "entry.date": "&Date",                           # the forms dated by one field
    "entry.notes": "N&otes",
    # Toxicity
    "toxicity.treatment": "Record CRS/ICANS tre&atment…",
    "crs.temperature": "Tem&perature (highest)",
    "crs.hypotension": "&Hypotension",
    "crs.oxygen": "Oxy&gen",
    "icans.ice_helper": "ICE &helper: tick each item the patient gets right",
    "icans.seizure": "Sei&zure",
    "icans.motor": "Motor wea&kness",
    "icans.cerebral_edema": "Cere&bral oedema",
    "agvhd.skin_rash": "S&kin rash",
    "agvhd.bilirubin": "&Bilirubin",
    "agvhd.upper_gi": "Upper &GI",
    "agvhd.stool_episodes": "Stool e&pisodes",
    "cgvhd.skin": "S&kin",
    "cgvhd.mouth": "Mout&h",
    "cgvhd.gi": "&GI tract",
    "cgvhd.joints_fascia": "&Joints and fascia",
    # Courses
    "course.regimen": "Re&gimen:",
    "course.name": "Na&me",
    "course.start_date": "Start &date",
    "course.notes": "N&otes",
    "course.add_line": "&Add drug line",
    "course.save_template": "Save as tem&plate…",
    # Marrow
    "marrow.blasts": "&Blasts",
    "marrow.mrd": "&MRD",
    "marrow.chimerism": "Donor c&himerism",
    "marrow.cellularity": "Cellul&arity",
    "marrow.karyotype": "&Karyotype",
    # Events
    "event.type": "Ty&pe",
    "event.cells_per_kg": "Cells per &kg",
    "event.hla_match": "&HLA match",
    "event.deauville": "De&auville score",
    "event.blood_product": "&Blood product",
    "event.organism": "Or&ganism",
    # Measurements
    "measurement.height": "&Height",
    "measurement.weight": "Wei&ght",
    # Labs (buttons under the grid)
    "labs.new_row": "New &row",
    "labs.save_rows": "&Save changed rows",
    # New patient / Patient details
    "patient.mrn": "&MRN",
    "patient.name": "&Name",
    "patient.sex": "Se&x",
    "patient.birth_date": "&Birth date",
    "patient.age": "&Age at diagnosis",
    "patient.diagnosis": "&Diagnosis",
    "patient.diagnosis_date": "Diagnosis da&te",
    "patient.immunophenotype": "&Immunophenotype",
    "patient.notes": "N&otes",
    # Users
    "users.change_role": "C&hange role",
    "users.reset_password": "&Reset password",
    "users.disable": "&Disable",
    "users.enable": "&Enable",
    "users.add": "&Add user",
    "users.user_name": "&User name",
    "users.display_name": "Display &name",
    "users.role": "R&ole",
    "users.password": "&Password",
    "users.unlock": "Un&lock",                       # a name locked after failed sign-ins
    # Sign in (and the first admin's account, and the lock screen)
    "sign_in.user_name": "&User name",
    "sign_in.password": "&Password",
    "sign_in.sign_in": "&Sign in",
    "first_admin.user_name": "&User name",
    "first_admin.display_name": "&Display name",
    "first_admin.password": "&Password",
    "first_admin.repeat": "Password &again",
    "first_admin.create": "C&reate and sign in",
    "lock.unlock": "Un&lock",
    "lock.switch_user": "Sign in as &someone else",
    # Signing a void or a graded assessment's correction (gui/signature_dialog.py)
    "signature.password": "&Password",
    "signature.sign": "&Sign",
}

# Screens shown together: a mnemonic must be unique across each group.
_WORKSPACE = ("main", "tabs")
_ITEM = (*_WORKSPACE, "section", "form")
SCREEN_GROUPS: tuple[tuple[str, ...], ...] = (
    ("main", "welcome"),
    ("file",), ("view",),
    (*_ITEM, "course"),
    (*_ITEM, "entry", "toxicity", "crs"), (*_ITEM, "entry", "toxicity", "icans"),
    (*_ITEM, "entry", "toxicity", "agvhd"), (*_ITEM, "entry", "toxicity", "cgvhd"),
    (*_ITEM, "entry", "marrow"), (*_ITEM, "entry", "event"), (*_ITEM, "entry", "measurement"),
    (*_WORKSPACE, "labs"),
    ("patient",), ("users",), ("sign_in",), ("first_admin",),
    ("lock",),               # the sign-in dialog with Unlock for Sign in (U, P besides)
    ("signature",),
)


# --- shortcuts -----------------------------------------------------------------------
@dataclass(frozen=True)
class Shortcut:
    """Keys of one command; ``scope`` is where it works ("window": the main window)."""

    scope: str
    keys: tuple[Key, ...]


SHORTCUTS: dict[str, Shortcut] = {
    "file.new_patient": Shortcut("window", (QKeySequence.StandardKey.New,)),
    "file.find": Shortcut("window", (QKeySequence.StandardKey.Find,)),
    "file.print": Shortcut("window", (QKeySequence.StandardKey.Print,)),
    "file.pdf": Shortcut("window", ("Ctrl+Shift+S",)),
    "file.quit": Shortcut("window", ("Ctrl+Q",)),
    "view.plots": Shortcut("window", ("F9",)),
    "view.focus_plots": Shortcut("window", ("Shift+F9",)),
    "view.widen_form": Shortcut("window", ("Ctrl+]",)),
    "view.narrow_form": Shortcut("window", ("Ctrl+[",)),
    "view.widen_list": Shortcut("window", ("Ctrl+Shift+]",)),
    "view.narrow_list": Shortcut("window", ("Ctrl+Shift+[",)),
    **{f"tabs.go_{n}": Shortcut("window", (f"Ctrl+{n}",)) for n in range(1, 9)},
    "tabs.next": Shortcut("window", ("Ctrl+PgDown", "Ctrl+Tab")),
    "tabs.previous": Shortcut("window", ("Ctrl+PgUp", "Ctrl+Shift+Tab")),
    "labs.grid": Shortcut("window", ("Ctrl+G",)),
    "form.save": Shortcut("window", (QKeySequence.StandardKey.Save,)),  # the form in view
    "form.undo": Shortcut("form", (QKeySequence.StandardKey.Undo,)),
}

# Shortcuts in these scopes are live together (a form sits inside the main window).
SCOPE_GROUPS: tuple[tuple[str, ...], ...] = (("window", "form"),)

_used: set[str] = set()   # ids looked up so far (the test checks every entry is used)


def label(key: str) -> str:
    """A label with its mnemonic, '&Temperature'."""
    _used.add(key)
    return LABELS[key]


def sequences(key: str) -> list[QKeySequence]:
    """Every key sequence of a command, standard keys expanded for this platform."""
    _used.add(key)
    out: list[QKeySequence] = []
    for k in SHORTCUTS[key].keys:
        if isinstance(k, QKeySequence.StandardKey):
            out.extend(QKeySequence.keyBindings(k) or [QKeySequence(k)])
        else:
            out.append(QKeySequence(k))
    return out


def shortcut(key: str) -> QKeySequence:
    """The main key of a command (what labels and tooltips show)."""
    return sequences(key)[0]


def shortcut_text(key: str) -> str:
    """'Ctrl+S' as this platform writes it."""
    return shortcut(key).toString(QKeySequence.SequenceFormat.NativeText)


def with_shortcut(text: str, key: str) -> str:
    """'&Save' -> '&Save (Ctrl+S)': a button that shows its key."""
    return f"{text} ({shortcut_text(key)})"


def mnemonic(text: str) -> str | None:
    """The Alt+letter of a label ('Tem&perature' -> 'P'); '&&' is a literal ampersand."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].upper()
            i += 1
        i += 1
    return None


def unused() -> list[str]:
    """Entries nothing has looked up yet."""
    return sorted((set(LABELS) | set(SHORTCUTS)) - _used)


def context(scope: str) -> Qt.ShortcutContext:
    return (Qt.ShortcutContext.WindowShortcut if scope == "window"
            else Qt.ShortcutContext.WidgetWithChildrenShortcut)
