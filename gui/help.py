"""Help in the app, offline: the user guide (F1) and the clinical rules ("Why?").

The documents are the project's own Markdown files in docs/ (docs/user-guide.md, its
Chinese twin docs/user-guide.zh_CN.md, docs/clinical-rules.md), shown in one help
window. Sections are found by the anchors the documents carry, a line
``<a id="crs"></a>`` before a heading: Qt's Markdown reader drops such HTML, so the
window reads the anchors itself and names the heading that follows each one
(``<a name>`` in the HTML it shows), after which ``scrollToAnchor`` and links such as
``clinical-rules.md#crs`` work as in a browser.

F1 opens the guide at the section for the screen in view: a widget says which
section is its own with the dynamic property ``help_topic`` (set where the screens
are composed); the nearest one above the keyboard focus wins, else the screen shown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDE, RULES = "user-guide", "clinical-rules"
TOPIC = "help_topic"          # the dynamic property naming a widget's guide section
IMAGE_WIDTH = 640             # screenshots are shown at most this wide (px)

_ANCHOR = re.compile(r'^\s*<a id="([A-Za-z0-9_-]+)"></a>\s*$')
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Page:
    """A document ready to show: Markdown without the anchor lines, and for each anchor
    the text of the heading it names (as Qt will render it)."""

    path: Path
    markdown: str
    anchors: dict[str, str]


def document_path(name: str, language: str = "en") -> Path:
    """docs/NAME.md, or its translation (docs/NAME.zh_CN.md) when there is one."""
    if language and language != "en":
        translated = DOCS / f"{name}.{language}.md"
        if translated.is_file():
            return translated
    return DOCS / f"{name}.md"


def read_page(path: Path) -> Page:
    """The document at ``path`` with its anchors (an anchor names the next heading)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    kept: list[str] = []
    anchors: dict[str, str] = {}
    waiting: list[str] = []
    for line in lines:
        found = _ANCHOR.match(line)
        if found:
            waiting.append(found.group(1))
            continue
        heading = _HEADING.match(line)
        if heading and waiting:
            text = _plain(heading.group(2))
            for anchor in waiting:
                anchors[anchor] = text
            waiting = []
        kept.append(line)
    return Page(path, "\n".join(kept) + "\n", anchors)


def page_html(page: Page) -> str:
    """The page as HTML for QTextBrowser: Qt's own Markdown reading, then each anchor
    named on its heading (``<a name>``: scrollToAnchor and "#id" links find it) and each
    screenshot given a width of at most IMAGE_WIDTH. Done on the HTML text, not on a
    laid-out document: changing formats in place after a table left the text after it
    unpainted."""
    scratch = QTextDocument()
    scratch.setMarkdown(page.markdown)
    text = scratch.toHtml()
    for anchor, heading in page.anchors.items():
        found = re.search(r"(<h[1-6][^>]*>)((?:<span[^>]*>)?)" + re.escape(
            html.escape(heading, quote=False)) + r"(?:</span>)?</h[1-6]>", text)
        if found:
            text = (text[:found.end(1)] + f'<a name="{anchor}"></a>' + text[found.end(1):])

    def fit(match: re.Match[str]) -> str:
        size = QImage(str(page.path.parent / html.unescape(match.group(2)))).size()
        if size.width() <= IMAGE_WIDTH:
            return match.group(0)
        height = round(size.height() * IMAGE_WIDTH / size.width())
        return f'{match.group(1)} width="{IMAGE_WIDTH}" height="{height}"'
    return re.sub(r'(<img src="([^"]+)")', fit, text)


def _plain(markdown: str) -> str:
    """A heading's text as Qt shows it: emphasis, code marks and links removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[*_`]", "", text).strip()


def topic_at(widget: QWidget | None) -> str | None:
    """The guide section of ``widget``: its own ``help_topic`` or its nearest parent's."""
    while widget is not None:
        topic = widget.property(TOPIC)
        if topic:
            return str(topic)
        widget = widget.parentWidget()
    return None


class HelpWindow(QWidget):
    """One window for the guide and the rules; links between them stay inside it."""

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        # A window of its own, owned by the main window: it goes when that window goes
        # and never keeps the app running on its own.
        super().__init__(parent, Qt.WindowType.Window)
        self.language = language
        self.page: Page | None = None
        self.anchor: str | None = None
        self.setWindowTitle(self.tr("hemalog help"))
        self.resize(820, 700)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("Help text"))
        self.browser.setOpenLinks(False)   # links are followed here (other documents too)
        self.browser.anchorClicked.connect(self._follow)
        self.guide_button = QPushButton(self.tr("User guide"))
        self.guide_button.clicked.connect(lambda: self.show_document(GUIDE))
        self.rules_button = QPushButton(self.tr("Clinical rules"))
        self.rules_button.clicked.connect(lambda: self.show_document(RULES))
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.clicked.connect(self._back)
        self._history: list[tuple[str, str | None]] = []
        buttons = QHBoxLayout()
        for button in (self.back_button, self.guide_button, self.rules_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.browser, 1)
        self.back_button.setEnabled(False)

    def show_document(self, name: str, anchor: str | None = None) -> None:
        """docs/NAME.md (in the window's language where translated), at ``anchor``."""
        self.show_path(document_path(name, self.language), anchor)

    def show_path(self, path: Path, anchor: str | None = None, *, remember: bool = True) -> None:
        if remember and self.page is not None:
            self._history.append((str(self.page.path), self.anchor))
            self.back_button.setEnabled(True)
        if self.page is None or self.page.path != path:
            self._load(path)
        self.anchor = anchor if self.page is not None and anchor in self.page.anchors else None
        if self.anchor is not None:
            self.browser.scrollToAnchor(self.anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)
        self.show()
        self.raise_()
        self.activateWindow()

    def first_visible_line(self) -> str:
        """The text of the first paragraph or heading that starts in view (what the
        reader sees first at the top)."""
        top = self.browser.verticalScrollBar().value()
        layout = self.browser.document().documentLayout()
        block = self.browser.document().firstBlock()
        while block.isValid():
            if layout.blockBoundingRect(block).top() >= top - 1 and block.text().strip():
                return block.text()
            block = block.next()
        return ""

    # --- loading ---------------------------------------------------------------------
    def _load(self, path: Path) -> None:
        try:
            page = read_page(path)
        except OSError as exc:
            self.page = Page(path, "", {})
            self.browser.setPlainText(self.tr("The help file {path} cannot be read: {error}")
                                      .format(path=path, error=exc.strerror or exc))
            return
        self.page = page
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setHtml(page_html(page))
        self.setWindowTitle(self.tr("hemalog help — {title}").format(
            title=self.browser.document().firstBlock().text() or path.name))

    # --- links -----------------------------------------------------------------------
    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        anchor = url.fragment() or None
        target = url.path()
        if not target:   # "#crs": this document
            if self.page is not None:
                self.show_path(self.page.path, anchor)
            return
        path = (self.page.path.parent if self.page else DOCS) / target
        if path.suffix == ".md" and path.resolve().parent == DOCS.resolve():
            name = path.stem.split(".")[0]
            self.show_path(document_path(name, self.language), anchor)
        elif path.is_file():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _back(self) -> None:
        if not self._history:
            return
        path, anchor = self._history.pop()
        self.back_button.setEnabled(bool(self._history))
        self.show_path(Path(path), anchor, remember=False)


def help_window(owner: QWidget, language: str) -> HelpWindow:
    """The help window of ``owner`` (one per main window), made on first use."""
    window = getattr(owner, "_help_window", None)
    if window is None or window.language != language:
        if window is not None:
            window.close()
            window.deleteLater()
        window = HelpWindow(language, owner)
        owner._help_window = window   # type: ignore[attr-defined]
    return window


def main_window_of(widget: QWidget | None) -> QWidget | None:
    """The top window ``widget`` belongs to, through the dialogs opened over it."""
    window = widget.window() if widget is not None else QApplication.activeWindow()
    while window is not None and window.parentWidget() is not None:
        window = window.parentWidget().window()
    return window


def show_rule(anchor: str, parent: QWidget | None = None) -> HelpWindow:
    """"Why?": the clinical rules at ``anchor``, in the main window's help window."""
    from gui.i18n import current_language
    owner = main_window_of(parent)
    window = help_window(owner, current_language()) if owner is not None else \
        HelpWindow(current_language())
    window.show_document(RULES, anchor)
    return window


class WhyButton(QPushButton):
    """"Why?" beside a computed grade, dose warning or date: opens the rule it came from
    (docs/clinical-rules.md at ``anchor``)."""

    def __init__(self, anchor: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(QApplication.translate("Help", "Why?"), parent)
        self.anchor = anchor
        self.setAccessibleName(QApplication.translate("Help", "Why? The rule for {what}")
                               .format(what=what))
        self.setToolTip(QApplication.translate("Help", "Open the rule hemalog applies ({what})")
                        .format(what=what))
        self.setAutoDefault(False)
        self.clicked.connect(lambda: show_rule(self.anchor, self))
