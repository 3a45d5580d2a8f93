"""All QSettings access: typed preferences and remembered window state."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "hemalog"
APPLICATION = "hemalog"

# Preferences and their defaults, in one place.
IDLE_LOCK_MINUTES = 10          # lock the window after this many minutes without input
IDLE_LOCK_RANGE = (1, 240)


class Settings:
    """Preferences (what the user chose) and UI state (what the app remembers)."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings or QSettings(ORGANISATION, APPLICATION)

    # --- preferences ---------------------------------------------------------------
    def idle_lock_minutes(self) -> int:
        """Minutes without key, mouse or wheel input before the window locks."""
        value = self._s.value("preferences/idle_lock_minutes", IDLE_LOCK_MINUTES)
        try:
            minutes = int(value)  # an INI file gives text
        except (TypeError, ValueError):
            return IDLE_LOCK_MINUTES
        low, high = IDLE_LOCK_RANGE
        return minutes if low <= minutes <= high else IDLE_LOCK_MINUTES

    def set_idle_lock_minutes(self, minutes: int) -> None:
        low, high = IDLE_LOCK_RANGE
        if not low <= minutes <= high:
            raise ValueError(f"idle lock: {minutes} minutes is outside {low}-{high}")
        self._s.setValue("preferences/idle_lock_minutes", int(minutes))

    # --- UI state -----------------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        value = self._s.value("state/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_window_geometry(self, value: QByteArray) -> None:
        self._s.setValue("state/geometry", value)

    def window_state(self) -> QByteArray | None:
        """Docks and toolbars (the plots dock's place and size)."""
        value = self._s.value("state/window")
        return value if isinstance(value, QByteArray) else None

    def set_window_state(self, value: QByteArray) -> None:
        self._s.setValue("state/window", value)

    def splitter_state(self, name: str) -> QByteArray | None:
        value = self._s.value(f"state/splitter/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_splitter_state(self, name: str, value: QByteArray) -> None:
        self._s.setValue(f"state/splitter/{name}", value)

    def forget_splitter_state(self, name: str) -> None:
        self._s.remove(f"state/splitter/{name}")

    def last_patient(self, database: str) -> str | None:
        """The MRN last open with this database file."""
        value = self._s.value(f"state/last_patient/{_key(database)}")
        return str(value) if value else None

    def set_last_patient(self, database: str, mrn: str | None) -> None:
        self._s.setValue(f"state/last_patient/{_key(database)}", mrn or "")

    def last_pdf_folder(self) -> str | None:
        """The folder a summary PDF was last saved in (Save as PDF starts there)."""
        value = self._s.value("state/last_pdf_folder")
        return str(value) if value else None

    def set_last_pdf_folder(self, folder: str) -> None:
        self._s.setValue("state/last_pdf_folder", folder)

    def last_lab_folder(self) -> str | None:
        """The folder a lab file was last imported from."""
        value = self._s.value("state/last_lab_folder")
        return str(value) if value else None

    def set_last_lab_folder(self, folder: str) -> None:
        self._s.setValue("state/last_lab_folder", folder)

    def sync(self) -> None:
        self._s.sync()


def _key(path: str) -> str:
    # QSettings treats '/' as a group separator; keep the path in one key.
    return path.replace("/", "|").replace("\\", "|")
