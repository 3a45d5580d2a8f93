"""Fonts for the printout: a Latin font and a CJK font, both embedded in the PDF.

reportlab's CID font STSong-Light is not embedded, so viewers without Adobe-GB1
data show blank Chinese (platform-notes.md). We register TrueType fonts instead,
which reportlab embeds as subsets (FontFile2), and draw every piece of text in
runs: a character goes to the Latin font when it has the glyph, otherwise to the
CJK font. WenQuanYi Micro Hei, for example, has no superscript nine ("10⁹/L"),
so one font for everything would lose characters either way.

Set HEMALOG_CJK_FONT to a .ttf/.ttc path to choose the CJK font, or to "none"
to print without one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["FontSet", "fonts", "find_fonts", "CJK_CANDIDATES", "LATIN_CANDIDATES",
           "MISSING_CJK_NOTE"]

log = logging.getLogger(__name__)

MISSING_CJK_NOTE = ("Note: a font for Chinese text was not found on this computer; "
                    "Chinese, Japanese or Korean characters may print as empty boxes.")

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"

# (path, subfont index) in order of preference. Noto Sans CJK ships as CFF
# outlines, which reportlab cannot embed; it is tried and skipped if it fails.
CJK_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/google-droid/DroidSansFallback.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    (str(_WINDOWS_FONTS / "msyh.ttc"), 0),
    (str(_WINDOWS_FONTS / "msyh.ttf"), 0),
    (str(_WINDOWS_FONTS / "simsun.ttc"), 0),
    (str(_WINDOWS_FONTS / "simhei.ttf"), 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
)

# (regular, bold) pairs.
LATIN_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/local/share/fonts/DejaVuSans.ttf", "/usr/local/share/fonts/DejaVuSans-Bold.ttf"),
    (str(_WINDOWS_FONTS / "DejaVuSans.ttf"), str(_WINDOWS_FONTS / "DejaVuSans-Bold.ttf")),
    ("/Library/Fonts/DejaVuSans.ttf", "/Library/Fonts/DejaVuSans-Bold.ttf"),
)

# Helvetica (not embedded, Latin-1 only) is the last resort: spell out what it lacks.
_HELVETICA_SAFE = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2009": " ",
                                 "\u2079": "^9", "\u2264": "<=", "\u2265": ">=",
                                 "\u2192": "->", "\u25c6": "*", "\u25c7": "o", "\u26a0": "!",
                                 "\u25b2": "^", "\u2026": "...", "\u00b7": "-"})


@dataclass(frozen=True)
class FontSet:
    """The registered font names and which characters each can draw."""

    regular: str
    bold: str
    cjk: str | None
    embedded: bool                            # False only for the Helvetica fallback
    missing_cjk: bool                         # no font for Chinese text was found
    latin_chars: frozenset[int] = field(default_factory=frozenset, repr=False)
    cjk_chars: frozenset[int] = field(default_factory=frozenset, repr=False)

    def clean(self, text: str) -> str:
        return text if self.embedded else text.translate(_HELVETICA_SAFE)

    def runs(self, text: str, *, bold: bool = False) -> Iterator[tuple[str, str]]:
        """(font name, text) runs: the CJK font only where the Latin font lacks a glyph."""
        text = self.clean(text)
        latin = self.bold if bold else self.regular
        if self.cjk is None or text.isascii():
            yield latin, text
            return
        current, start = latin, 0
        for i, ch in enumerate(text):
            code = ord(ch)
            want = (self.cjk if code not in self.latin_chars and code in self.cjk_chars
                    else latin)
            if want != current and i > start:
                yield current, text[start:i]
                start = i
            current = want
        if start < len(text):
            yield current, text[start:]

    def markup(self, text: str, *, bold: bool = False) -> str:
        """Escaped Paragraph markup: <font> tags around bold and CJK runs."""
        out = []
        for font, run in self.runs(text, bold=bold):
            run = escape(run)
            out.append(run if font == self.regular else f'<font face="{font}">{run}</font>')
        return "".join(out)

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        return sum(pdfmetrics.stringWidth(run, font, size)
                   for font, run in self.runs(text, bold=bold))


def _register(name: str, path: str, index: int = 0) -> TTFont | None:
    try:
        font = TTFont(name, path, subfontIndex=index)
    except Exception:  # noqa: BLE001 - missing, unreadable or CFF-outline fonts are skipped
        return None
    pdfmetrics.registerFont(font)
    return font


def find_fonts(cjk_candidates: Sequence[tuple[str, int]] = CJK_CANDIDATES,
               latin_candidates: Sequence[tuple[str, str]] = LATIN_CANDIDATES,
               *, tag: str = "") -> FontSet:
    """Register the first Latin and CJK fonts found; ``tag`` keeps test variants apart."""
    override = os.environ.get("HEMALOG_CJK_FONT")
    if override is not None and cjk_candidates is CJK_CANDIDATES:
        cjk_candidates = () if override.strip().lower() in ("", "none") else ((override, 0),)
    cjk = cjk_name = None
    for path, index in cjk_candidates:
        if Path(path).is_file():
            cjk = _register(f"HemalogCJK{tag}", path, index)
            if cjk is not None:
                cjk_name = cjk.fontName
                break
    regular = bold = None
    for regular_path, bold_path in latin_candidates:
        if Path(regular_path).is_file():
            regular = _register(f"HemalogSans{tag}", regular_path)
            if regular is not None:
                bold = (_register(f"HemalogSans-Bold{tag}", bold_path)
                        if Path(bold_path).is_file() else None) or regular
                break
    cjk_chars = frozenset(cjk.face.charToGlyph) if cjk is not None else frozenset()
    if regular is not None and bold is not None:
        return FontSet(regular.fontName, bold.fontName, cjk_name, True, cjk_name is None,
                       frozenset(regular.face.charToGlyph), cjk_chars)
    if cjk is not None and cjk_name is not None:
        # No DejaVu: the CJK font (which has Latin letters too) prints everything.
        return FontSet(cjk_name, cjk_name, None, True, False, cjk_chars, frozenset())
    return FontSet("Helvetica", "Helvetica-Bold", None, False, True)


@cache
def fonts() -> FontSet:
    """The fonts of this computer, found and registered once per process."""
    found = find_fonts()
    if found.missing_cjk:
        log.warning(MISSING_CJK_NOTE)
    return found
