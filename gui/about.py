"""Help ▸ About: what is running, on which database, under which licences.

The licences are read from the installed packages' own metadata (every package
hemalog needs, and what they need in turn), so the list is the installation's and
cannot fall behind; NOTICE in the project folder lists the same (a test keeps it so).
"""

from __future__ import annotations

import html
import platform
import re
import sys
from dataclasses import dataclass
from importlib import metadata

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from clinical.rules import RULES_VERSION
from clinical.version import app_version

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")


@dataclass(frozen=True)
class Licence:
    package: str
    version: str
    licence: str


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _wanted(requirement: str, extras: set[str]) -> bool:
    """Whether a requirement applies here: no marker, a marker naming one of the
    extras asked for, or a platform/Python marker that holds on this machine."""
    if ";" not in requirement:
        return True
    marker = requirement.split(";", 1)[1]
    named = re.findall(r"""extra\s*==\s*["']([^"']+)["']""", marker)
    if named:
        return any(_normal(e) in extras for e in named)
    try:
        from packaging.markers import Marker
    except ImportError:
        return True   # cannot tell: list it rather than leave a licence out
    return bool(Marker(marker).evaluate())


def licence_text(dist: metadata.Distribution) -> str:
    """The licence a package declares: its SPDX expression, else its License field's
    first line, else its trove classifiers."""
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    field = (meta.get("License") or "").strip()
    if field and field.upper() != "UNKNOWN":
        first = field.splitlines()[0].split(" (")[0].split(",")[0].strip()
        return first[:60]
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return "; ".join(classifiers) or "not stated"


def dependency_licences(root: str = "hemalog") -> list[Licence]:
    """Every package ``root`` needs to run (not its test extras), recursively, with its
    licence, by name."""
    found: dict[str, Licence] = {}
    queue: list[tuple[str, set[str]]] = [(root, set())]
    while queue:
        name, extras = queue.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = _normal(dist.metadata["Name"])
        if key in found and not extras:
            continue
        if name != root:
            found[key] = Licence(dist.metadata["Name"], dist.version, licence_text(dist))
        for requirement in dist.requires or []:
            if not _wanted(requirement, extras):
                continue
            match = _NAME.match(requirement)
            if match is None:
                continue
            wanted = {_normal(e) for e in (match.group(2) or "").split(",") if e.strip()}
            if _normal(match.group(1)) not in found or wanted:
                queue.append((match.group(1), wanted))
    return sorted(found.values(), key=lambda lic: lic.package.lower())


LGPL_NOTICE = (
    "PySide6 (Qt for Python) and the Qt libraries it brings, and psycopg, are used under "
    "the GNU Lesser General Public License version 3 (LGPL-3.0). They are separate, "
    "unmodified libraries installed beside hemalog (in its .venv folder): you may "
    "replace them with another compatible version of your own. Their source code is "
    "available from https://code.qt.io and https://download.qt.io (Qt, PySide6) and "
    "https://github.com/psycopg/psycopg (psycopg); the licence text is at "
    "https://www.gnu.org/licenses/lgpl-3.0.html. hemalog itself is licensed under the "
    "Apache License 2.0 (LICENSE and NOTICE in its folder).")


class AboutDialog(QDialog):
    """Version, database, platform and every dependency's licence."""

    def __init__(self, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About hemalog"))
        self.resize(720, 620)
        self.licences = dependency_licences()
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("About hemalog"))
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(self._html(location))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def _html(self, location: str) -> str:
        e = html.escape
        facts = [
            (self.tr("Version"), f"hemalog {app_version()}"),
            (self.tr("Clinical rules"), self.tr("version {version} (Help ▸ Clinical rules)")
             .format(version=RULES_VERSION)),
            (self.tr("Database"), location),
            (self.tr("Python"), f"{platform.python_version()} ({sys.executable})"),
            (self.tr("Qt"), qVersion()),
            (self.tr("PySide6"), PYSIDE_VERSION),
            (self.tr("System"), platform.platform()),
        ]
        rows = "".join(f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in facts)
        deps = "".join(f"<tr><td>{e(lic.package)}</td><td>{e(lic.version)}</td>"
                       f"<td>{e(lic.licence)}</td></tr>" for lic in self.licences)
        what = self.tr("Clinical event logger for haematology wards.")
        licences = self.tr("Licences")
        ours = self.tr("hemalog: Apache License 2.0.")
        package, version, licence = self.tr("Package"), self.tr("Version"), self.tr("Licence")
        return (f"<h2>hemalog {e(app_version())}</h2><p>{e(what)}</p>"
                f"<table cellpadding='3'>{rows}</table>"
                f"<h3>{e(licences)}</h3><p>{e(ours)}</p><p>{e(LGPL_NOTICE)}</p>"
                f"<table border='1' cellpadding='3' style='border-collapse: collapse'>"
                f"<tr><th>{e(package)}</th><th>{e(version)}</th><th>{e(licence)}</th></tr>"
                f"{deps}</table>")
