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

Labels are translated when shown (``label()``, context "Keymap"); the table holds the
English, marked with QT_TRANSLATE_NOOP for lupdate (no translator exists at import).
A translation keeps the English letter, after the word as Chinese apps write it
("&Save" -> "保存(&S)"), so every key and the clash checks stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence

Key = QKeySequence.StandardKey | str

# --- mnemonics -----------------------------------------------------------------------
# Letters taken on every workspace screen: F V N (menus, patient list) and the tabs
# C X W L E U Y; every item section adds T I, every form S R, most forms D O.
LABELS: dict[str, str] = {
    # the main window: menu bar, patient list, section tabs
    "main.file": QT_TRANSLATE_NOOP("Keymap", "&File"),
    "main.view": QT_TRANSLATE_NOOP("Keymap", "&View"),
    # No Alt letter free on every screen (H is Hypotension, HLA, Height...): F1 opens
    # the guide, and F10 or Alt reaches the menu bar.
    "main.help": QT_TRANSLATE_NOOP("Keymap", "Help"),
    "main.new_patient": QT_TRANSLATE_NOOP("Keymap", "&New patient…"),  # the patient list's button
    "tabs.overview": QT_TRANSLATE_NOOP("Keymap", "Overview"),  # Ctrl+1 opens it; W went to Marrow
    "tabs.courses": QT_TRANSLATE_NOOP("Keymap", "&Courses"),
    "tabs.toxicity": QT_TRANSLATE_NOOP("Keymap", "To&xicity"),
    "tabs.marrow": QT_TRANSLATE_NOOP("Keymap", "Marro&w"),
    "tabs.labs": QT_TRANSLATE_NOOP("Keymap", "&Labs"),
    "tabs.events": QT_TRANSLATE_NOOP("Keymap", "&Events"),
    "tabs.measurements": QT_TRANSLATE_NOOP("Keymap", "Meas&urements"),
    "tabs.history": QT_TRANSLATE_NOOP("Keymap", "Histor&y"),
    # the welcome panel (instead of the workspace)
    "welcome.demo": QT_TRANSLATE_NOOP("Keymap", "Load the &demo patient (published case)"),
    "welcome.new_patient": QT_TRANSLATE_NOOP("Keymap", "New patient…"),  # Alt+N is the patient list's
    # the File menu (unique within the open menu)
    "file.new_patient": QT_TRANSLATE_NOOP("Keymap", "&New patient…"),
    "file.find": QT_TRANSLATE_NOOP("Keymap", "&Find patient"),
    "file.details": QT_TRANSLATE_NOOP("Keymap", "Patient &details…"),
    "file.demo": QT_TRANSLATE_NOOP("Keymap", "Load de&mo patient"),
    "file.import_labs": QT_TRANSLATE_NOOP("Keymap", "Import &lab results…"),
    "file.registry": QT_TRANSLATE_NOOP("Keymap", "Re&gistry export…"),
    "file.print": QT_TRANSLATE_NOOP("Keymap", "&Print summary…"),
    "file.pdf": QT_TRANSLATE_NOOP("Keymap", "Save summary &as PDF…"),
    "file.pdf_deidentified": QT_TRANSLATE_NOOP("Keymap", "Save de-&identified summary as PDF…"),
    "file.users": QT_TRANSLATE_NOOP("Keymap", "&Users…"),
    "file.preferences": QT_TRANSLATE_NOOP("Keymap", "P&references…"),
    "file.quit": QT_TRANSLATE_NOOP("Keymap", "&Quit"),
    "view.plots": QT_TRANSLATE_NOOP("Keymap", "&Trend plots"),
    "view.focus_plots": QT_TRANSLATE_NOOP("Keymap", "&Focus trend plots"),
    "view.widen_form": QT_TRANSLATE_NOOP("Keymap", "&Widen form"),
    "view.narrow_form": QT_TRANSLATE_NOOP("Keymap", "&Narrow form"),
    "view.widen_list": QT_TRANSLATE_NOOP("Keymap", "Wider patient &list"),
    "view.narrow_list": QT_TRANSLATE_NOOP("Keymap", "Narrower patient li&st"),
    "help.guide": QT_TRANSLATE_NOOP("Keymap", "&User guide"),
    "help.rules": QT_TRANSLATE_NOOP("Keymap", "&Clinical rules"),
    "help.about": QT_TRANSLATE_NOOP("Keymap", "&About hemalog"),
    # every item section (the saved items' table)
    "section.correct": QT_TRANSLATE_NOOP("Keymap", "Correc&t selected"),
    "section.void": QT_TRANSLATE_NOOP("Keymap", "Vo&id selected…"),
    # every item form
    "form.save": QT_TRANSLATE_NOOP("Keymap", "&Save"),
    "form.clear": QT_TRANSLATE_NOOP("Keymap", "Clea&r"),
    "entry.date": QT_TRANSLATE_NOOP("Keymap", "&Date"),  # the forms dated by one field
    "entry.notes": QT_TRANSLATE_NOOP("Keymap", "N&otes"),
    # Toxicity
    "toxicity.treatment": QT_TRANSLATE_NOOP("Keymap", "Record CRS/ICANS tre&atment…"),
    "crs.temperature": QT_TRANSLATE_NOOP("Keymap", "Tem&perature (highest)"),
    "crs.hypotension": QT_TRANSLATE_NOOP("Keymap", "&Hypotension"),
    "crs.oxygen": QT_TRANSLATE_NOOP("Keymap", "Oxy&gen"),
    "icans.ice_helper": QT_TRANSLATE_NOOP("Keymap", "ICE &helper: tick each item the patient gets right"),
    "icans.seizure": QT_TRANSLATE_NOOP("Keymap", "Sei&zure"),
    "icans.motor": QT_TRANSLATE_NOOP("Keymap", "Motor wea&kness"),
    "icans.cerebral_edema": QT_TRANSLATE_NOOP("Keymap", "Cere&bral oedema"),
    "agvhd.skin_rash": QT_TRANSLATE_NOOP("Keymap", "S&kin rash"),
    "agvhd.bilirubin": QT_TRANSLATE_NOOP("Keymap", "&Bilirubin"),
    "agvhd.upper_gi": QT_TRANSLATE_NOOP("Keymap", "Upper &GI"),
    "agvhd.stool_episodes": QT_TRANSLATE_NOOP("Keymap", "Stool e&pisodes"),
    "cgvhd.skin": QT_TRANSLATE_NOOP("Keymap", "S&kin"),
    "cgvhd.mouth": QT_TRANSLATE_NOOP("Keymap", "Mout&h"),
    "cgvhd.gi": QT_TRANSLATE_NOOP("Keymap", "&GI tract"),
    "cgvhd.joints_fascia": QT_TRANSLATE_NOOP("Keymap", "&Joints and fascia"),
    # Courses
    "course.regimen": QT_TRANSLATE_NOOP("Keymap", "Re&gimen:"),
    "course.name": QT_TRANSLATE_NOOP("Keymap", "Na&me"),
    "course.start_date": QT_TRANSLATE_NOOP("Keymap", "Start &date"),
    "course.notes": QT_TRANSLATE_NOOP("Keymap", "N&otes"),
    "course.add_line": QT_TRANSLATE_NOOP("Keymap", "&Add drug line"),
    "course.save_template": QT_TRANSLATE_NOOP("Keymap", "Save as tem&plate…"),
    # Marrow
    "marrow.blasts": QT_TRANSLATE_NOOP("Keymap", "&Blasts"),
    "marrow.mrd": QT_TRANSLATE_NOOP("Keymap", "&MRD"),
    "marrow.chimerism": QT_TRANSLATE_NOOP("Keymap", "Donor c&himerism"),
    "marrow.cellularity": QT_TRANSLATE_NOOP("Keymap", "Cellul&arity"),
    "marrow.karyotype": QT_TRANSLATE_NOOP("Keymap", "&Karyotype"),
    # Events
    "event.type": QT_TRANSLATE_NOOP("Keymap", "Ty&pe"),
    "event.cells_per_kg": QT_TRANSLATE_NOOP("Keymap", "Cells per &kg"),
    "event.hla_match": QT_TRANSLATE_NOOP("Keymap", "&HLA match"),
    "event.deauville": QT_TRANSLATE_NOOP("Keymap", "De&auville score"),
    "event.blood_product": QT_TRANSLATE_NOOP("Keymap", "&Blood product"),
    "event.organism": QT_TRANSLATE_NOOP("Keymap", "Or&ganism"),
    # Measurements
    "measurement.height": QT_TRANSLATE_NOOP("Keymap", "&Height"),
    "measurement.weight": QT_TRANSLATE_NOOP("Keymap", "Wei&ght"),
    # Labs (buttons under the grid)
    "labs.new_row": QT_TRANSLATE_NOOP("Keymap", "New &row"),
    "labs.save_rows": QT_TRANSLATE_NOOP("Keymap", "&Save changed rows"),
    # New patient / Patient details
    "patient.mrn": QT_TRANSLATE_NOOP("Keymap", "&MRN"),
    "patient.name": QT_TRANSLATE_NOOP("Keymap", "&Name"),
    "patient.sex": QT_TRANSLATE_NOOP("Keymap", "Se&x"),
    "patient.birth_date": QT_TRANSLATE_NOOP("Keymap", "&Birth date"),
    "patient.age": QT_TRANSLATE_NOOP("Keymap", "&Age at diagnosis"),
    "patient.diagnosis": QT_TRANSLATE_NOOP("Keymap", "&Diagnosis"),
    "patient.diagnosis_date": QT_TRANSLATE_NOOP("Keymap", "Diagnosis da&te"),
    "patient.immunophenotype": QT_TRANSLATE_NOOP("Keymap", "&Immunophenotype"),
    "patient.notes": QT_TRANSLATE_NOOP("Keymap", "N&otes"),
    # Users
    "users.change_role": QT_TRANSLATE_NOOP("Keymap", "C&hange role"),
    "users.reset_password": QT_TRANSLATE_NOOP("Keymap", "&Reset password"),
    "users.disable": QT_TRANSLATE_NOOP("Keymap", "&Disable"),
    "users.enable": QT_TRANSLATE_NOOP("Keymap", "&Enable"),
    "users.add": QT_TRANSLATE_NOOP("Keymap", "&Add user"),
    "users.user_name": QT_TRANSLATE_NOOP("Keymap", "&User name"),
    "users.display_name": QT_TRANSLATE_NOOP("Keymap", "Display &name"),
    "users.role": QT_TRANSLATE_NOOP("Keymap", "R&ole"),
    "users.password": QT_TRANSLATE_NOOP("Keymap", "&Password"),
    "users.unlock": QT_TRANSLATE_NOOP("Keymap", "Un&lock"),  # a name locked after failed sign-ins
    # Sign in (and the first admin's account, and the lock screen)
    "sign_in.user_name": QT_TRANSLATE_NOOP("Keymap", "&User name"),
    "sign_in.password": QT_TRANSLATE_NOOP("Keymap", "&Password"),
    "sign_in.sign_in": QT_TRANSLATE_NOOP("Keymap", "&Sign in"),
    "sign_in.language": QT_TRANSLATE_NOOP("Keymap", "&Language"),
    "first_admin.user_name": QT_TRANSLATE_NOOP("Keymap", "&User name"),
    "first_admin.display_name": QT_TRANSLATE_NOOP("Keymap", "&Display name"),
    "first_admin.password": QT_TRANSLATE_NOOP("Keymap", "&Password"),
    "first_admin.repeat": QT_TRANSLATE_NOOP("Keymap", "Password &again"),
    "first_admin.create": QT_TRANSLATE_NOOP("Keymap", "C&reate and sign in"),
    "first_admin.language": QT_TRANSLATE_NOOP("Keymap", "&Language"),
    "lock.unlock": QT_TRANSLATE_NOOP("Keymap", "Un&lock"),
    "lock.switch_user": QT_TRANSLATE_NOOP("Keymap", "Sign in as &someone else"),
    # Signing a void or a graded assessment's correction (gui/signature_dialog.py)
    "signature.password": QT_TRANSLATE_NOOP("Keymap", "&Password"),
    "signature.sign": QT_TRANSLATE_NOOP("Keymap", "&Sign"),
    # File ▸ Preferences… (gui/preferences_dialog.py)
    "preferences.language": QT_TRANSLATE_NOOP("Keymap", "&Language"),
}

# Screens shown together: a mnemonic must be unique across each group.
_WORKSPACE = ("main", "tabs")
_ITEM = (*_WORKSPACE, "section", "form")
SCREEN_GROUPS: tuple[tuple[str, ...], ...] = (
    ("main", "welcome"),
    ("file",), ("view",), ("help",),
    (*_ITEM, "course"),
    (*_ITEM, "entry", "toxicity", "crs"), (*_ITEM, "entry", "toxicity", "icans"),
    (*_ITEM, "entry", "toxicity", "agvhd"), (*_ITEM, "entry", "toxicity", "cgvhd"),
    (*_ITEM, "entry", "marrow"), (*_ITEM, "entry", "event"), (*_ITEM, "entry", "measurement"),
    (*_WORKSPACE, "labs"),
    ("patient",), ("users",), ("sign_in",), ("first_admin",),
    ("lock",),  # the sign-in dialog with Unlock for Sign in (U, P besides)
    ("signature",), ("preferences",),
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
    "help.guide": Shortcut("window", (QKeySequence.StandardKey.HelpContents,)),  # F1
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
    """A label with its mnemonic, '&Temperature', in the window's language."""
    _used.add(key)
    return QCoreApplication.translate("Keymap", LABELS[key])


def english(key: str) -> str:
    """The label's English source (what the clash checks read)."""
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
