"""Words of the record and of the trend panels, for the printout and the plots.

The record stores codes (``chemotherapy``, ``full_donor``, ``platelets``) and
clinical/series.py names the trend panels in English. Both the printout
(``lang.Words``) and the Qt plots (``QCoreApplication.translate``) look these
words up by their English text in the catalogue; ``QT_TRANSLATE_NOOP`` below is
only a marker that Qt's lupdate collects (it returns the text unchanged), so the
module needs no Qt.

``term(words, context, value)`` shows a value in the reader's language: a
clinical ``Msg`` is rendered, a known word translated, anything else (typed
data: a drug, a product name) shown as it is.
"""

from __future__ import annotations

from typing import Any

from clinical.messages import Msg

__all__ = ["QT_TRANSLATE_NOOP", "term", "code_text", "TRENDS", "REPORT"]

TRENDS = "Trends"
REPORT = "Report"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - Qt's marker name
    """Mark ``text`` for the catalogue (lupdate collects the call); returns it unchanged."""
    del context
    return text


# Words of the trend panels that clinical/series.py leaves as plain text (its titles and
# axis labels are clinical messages, rendered as such).
_TREND_WORDS = (
    QT_TRANSLATE_NOOP("Trends", "TCR"),
    QT_TRANSLATE_NOOP("Trends", "platelets"),
    QT_TRANSLATE_NOOP("Trends", "red cells"),
    QT_TRANSLATE_NOOP("Trends", "plasma"),
    QT_TRANSLATE_NOOP("Trends", "granulocytes"),
)

# Codes of the record, shown with "_" as a space (code_text).
_REPORT_WORDS = (
    # sex
    QT_TRANSLATE_NOOP("Report", "male"),
    QT_TRANSLATE_NOOP("Report", "female"),
    QT_TRANSLATE_NOOP("Report", "other"),
    QT_TRANSLATE_NOOP("Report", "unknown"),
    # course categories
    QT_TRANSLATE_NOOP("Report", "chemotherapy"),
    QT_TRANSLATE_NOOP("Report", "lymphodepletion"),
    QT_TRANSLATE_NOOP("Report", "conditioning"),
    QT_TRANSLATE_NOOP("Report", "GVHD prophylaxis"),
    QT_TRANSLATE_NOOP("Report", "cellular therapy"),
    QT_TRANSLATE_NOOP("Report", "targeted"),
    QT_TRANSLATE_NOOP("Report", "supportive"),
    # chimerism, MRD
    QT_TRANSLATE_NOOP("Report", "full donor"),
    QT_TRANSLATE_NOOP("Report", "mixed"),
    QT_TRANSLATE_NOOP("Report", "autologous reconstitution"),
    QT_TRANSLATE_NOOP("Report", "MRD CR"),
    QT_TRANSLATE_NOOP("Report", "MRD intermediate"),
    QT_TRANSLATE_NOOP("Report", "MRD failure"),
    QT_TRANSLATE_NOOP("Report", "flow"),
    QT_TRANSLATE_NOOP("Report", "pcr"),
    QT_TRANSLATE_NOOP("Report", "ngs"),
    # chronic GVHD severity
    QT_TRANSLATE_NOOP("Report", "none"),
    QT_TRANSLATE_NOOP("Report", "mild"),
    QT_TRANSLATE_NOOP("Report", "moderate"),
    QT_TRANSLATE_NOOP("Report", "severe"),
    # event details: keys and coded values
    QT_TRANSLATE_NOOP("Report", "product"),
    QT_TRANSLATE_NOOP("Report", "cells per kg"),
    QT_TRANSLATE_NOOP("Report", "donor"),
    QT_TRANSLATE_NOOP("Report", "donor relation"),
    QT_TRANSLATE_NOOP("Report", "hla match"),
    QT_TRANSLATE_NOOP("Report", "graft"),
    QT_TRANSLATE_NOOP("Report", "conditioning intensity"),
    QT_TRANSLATE_NOOP("Report", "deauville"),
    QT_TRANSLATE_NOOP("Report", "response"),
    QT_TRANSLATE_NOOP("Report", "organism"),
    QT_TRANSLATE_NOOP("Report", "site"),
    QT_TRANSLATE_NOOP("Report", "lineage"),
    QT_TRANSLATE_NOOP("Report", "autologous"),
    QT_TRANSLATE_NOOP("Report", "haploidentical"),
    QT_TRANSLATE_NOOP("Report", "matched sibling"),
    QT_TRANSLATE_NOOP("Report", "matched unrelated"),
    QT_TRANSLATE_NOOP("Report", "cord"),
    QT_TRANSLATE_NOOP("Report", "platelets"),
    QT_TRANSLATE_NOOP("Report", "red cells"),
    QT_TRANSLATE_NOOP("Report", "plasma"),
    QT_TRANSLATE_NOOP("Report", "granulocytes"),
    QT_TRANSLATE_NOOP("Report", "neutrophil"),
    QT_TRANSLATE_NOOP("Report", "platelet"),
    QT_TRANSLATE_NOOP("Report", "baseline"),
    QT_TRANSLATE_NOOP("Report", "complete metabolic response"),
    QT_TRANSLATE_NOOP("Report", "partial metabolic response"),
    QT_TRANSLATE_NOOP("Report", "no metabolic response"),
    QT_TRANSLATE_NOOP("Report", "progressive metabolic disease"),
    QT_TRANSLATE_NOOP("Report", "infection"),
    QT_TRANSLATE_NOOP("Report", "relapse"),
    QT_TRANSLATE_NOOP("Report", "death"),
    QT_TRANSLATE_NOOP("Report", "diagnosis"),
    QT_TRANSLATE_NOOP("Report", "transfusion"),
)


def term(words: Any, context: str, value: Any) -> str:
    """``value`` in the reader's language: Msg rendered, a known word translated."""
    if isinstance(value, Msg):
        return str(words.render(value))
    text = "" if value is None else str(value)
    if not text or words.is_english:
        return text
    return str(words.translate(context, text))


def code_text(words: Any, code: Any) -> str:
    """A record code as words: 'gvhd_prophylaxis' -> 'GVHD prophylaxis' (or its Chinese)."""
    text = str(code).replace("_", " ")
    if text == "gvhd prophylaxis":
        text = "GVHD prophylaxis"
    return term(words, REPORT, text)
