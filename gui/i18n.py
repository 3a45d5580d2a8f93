"""The window's language: Qt translators for hemalog's catalogue and Qt's own dialogs.

``use_language(app, language)`` installs ``resources/i18n/hemalog_<lang>.qm``
(compiled from the .ts by ``scripts/i18n.py compile``, which setup runs) and Qt's
``qtbase_<lang>.qm`` (file and print dialogs, OK/Cancel), and makes the same
language the one clinical messages render in (``lang.render``). Widgets built
afterwards are in that language; a window already on screen is rebuilt by its owner.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

import lang

__all__ = ["use_language", "current_language", "qm_path"]

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []


def qm_path(language: str) -> str:
    return str(lang.I18N / f"hemalog_{language}.qm")


def current_language() -> str:
    return lang.current()


def use_language(language: str | None, app: QCoreApplication | None = None) -> str:
    """Switch the application to ``language`` ("en" or "zh_CN"); returns the one in use."""
    chosen = lang.normalise(language) or lang.EN
    app = app or QCoreApplication.instance()
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    lang.set_current(chosen)
    if chosen == lang.EN or app is None:
        return chosen
    ours = QTranslator(app)
    if not ours.load(qm_path(chosen)):
        # setup compiles the catalogue; without it the window stays English (and says why).
        log.warning("translation %s not found: run `python scripts/i18n.py compile`",
                    qm_path(chosen))
    else:
        app.installTranslator(ours)
        _installed.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{chosen}",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    return chosen
