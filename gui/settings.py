"""All QSettings access: typed preferences and remembered window state."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "hemalog"
APPLICATION = "hemalog"


class Settings:
    """Preferences (what the user chose) and UI state (what the app remembers)."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings or QSettings(ORGANISATION, APPLICATION)

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

    def last_patient(self, database: str) -> str | None:
        """The MRN last open with this database file."""
        value = self._s.value(f"state/last_patient/{_key(database)}")
        return str(value) if value else None

    def set_last_patient(self, database: str, mrn: str | None) -> None:
        self._s.setValue(f"state/last_patient/{_key(database)}", mrn or "")

    def sync(self) -> None:
        self._s.sync()


def _key(path: str) -> str:
    # QSettings treats '/' as a group separator; keep the path in one key.
    return path.replace("/", "|").replace("\\", "|")
