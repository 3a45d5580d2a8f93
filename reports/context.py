"""What every part of the printout shares: the record, derived data, fonts and
how dates, names and free text are shown (normally, or de-identified).

De-identified copies (teaching, case reports) show initials instead of the
name, no MRN, and every date as a day number from one reference: the first
anchor (CAR-T infusion or HSCT), or the diagnosis date when there is none.
Free-text notes are left out; any other text passes through ``scrub``, which
turns ISO dates into day numbers and removes the name and MRN, as a safety net.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from clinical.days import ANCHOR_LABELS, day_counters, day_number, format_day
from clinical.derive import Derived
from clinical.record import EventType, Record
from lang import Words
from reports.fonts import FontSet
from reports.vocabulary import REPORT, term

__all__ = ["ReportContext", "initials", "is_cjk", "signed_day"]

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def signed_day(n: int) -> str:
    """'+14', '−36' (a true minus sign), '0'."""
    return f"+{n}" if n > 0 else f"\u2212{-n}" if n < 0 else "0"


def is_cjk(ch: str) -> bool:
    """A Han, kana or Hangul character (names written without initials)."""
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK ", "HIRAGANA", "KATAKANA", "HANGUL"))


def initials(name: str) -> str:
    """'Demo patient (published case)' -> 'D.P.'; 'Smith, John' -> 'J.S.'; '王芳' -> '王某'.

    A name written in Chinese characters keeps its first character (the surname)
    followed by 某 ("a certain"), the convention of Chinese case reports.
    """
    name = re.sub(r"[(（\[].*?[)）\]]", " ", name).strip()
    if not name:
        return "?"
    if is_cjk(name[0]):
        return name[0] + ("某" if unicodedata.name(name[0], "").startswith("CJK ") else ".")
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    words = [w for w in re.split(r"[\s\-‐.]+", name) if w and w[0].isalpha()]
    return "".join(f"{w[0].upper()}." for w in words) or "?"


@dataclass
class ReportContext:
    """Formatting decisions for one printout, and the words of its language."""

    record: Record
    derived: Derived
    fonts: FontSet
    printed_at: datetime
    printed_by: str
    database: str
    deidentified: bool = False
    words: Words = field(default_factory=Words)

    def __post_init__(self) -> None:
        patient = self.record.patient
        self.reference: date | None = None
        self.reference_label = ""
        if self.derived.anchors:
            kind, when = min(self.derived.anchors.items(), key=lambda kv: kv[1])
            self.reference = when
            self.reference_label = (self.translate("Report", "first CAR-T infusion")
                                    if kind is EventType.CART_INFUSION else "HSCT")
        else:
            diagnosis = patient.diagnosis_date or min(
                (e.date for e in self.record.events if e.type is EventType.DIAGNOSIS),
                default=None)
            if diagnosis is not None:
                self.reference = diagnosis
                self.reference_label = self.translate("Report", "diagnosis")
        self._secrets = [s for s in (patient.mrn, patient.name) if s and len(s) > 1]

    # --- words ---------------------------------------------------------------------
    @property
    def english(self) -> bool:
        return self.words.is_english

    def translate(self, context: str, text: str) -> str:
        """``text`` in the printout's language (the call lupdate collects)."""
        return self.words.translate(context, text)

    def render(self, value: Any) -> str:
        """A clinical message (or plain text) in the printout's language."""
        return self.words.render(value)

    def term(self, value: Any) -> str:
        """A word of the record (a code as text, a vocabulary word) in the printout's language."""
        return term(self.words, REPORT, value)

    def day(self, n: int) -> str:
        """'day +14', 'day −36', 'day 0' in the printout's language."""
        return self.render(format_day(n))

    def reason(self, value: Any) -> str:
        """A grade's reason without its leading 'grade 3: ' (shown beside it already)."""
        text = self.render(value)
        for colon in (": ", "："):
            if colon in text:
                return text.split(colon, 1)[1]
        return text

    # --- who -----------------------------------------------------------------------
    @property
    def patient_name(self) -> str:
        return initials(self.record.patient.name) if self.deidentified else self.record.patient.name

    @property
    def as_of(self) -> date:
        return self.printed_at.date()

    # --- dates ---------------------------------------------------------------------
    def relative(self, d: date) -> str:
        """'day −302' from the de-identification reference."""
        if self.reference is None:
            return self.translate("Report", "day ?")
        return self.day(day_number(d, self.reference))

    def date(self, d: date | None) -> str:
        """An ISO date, or in a de-identified copy the day number from the reference."""
        if d is None:
            return "—"
        return self.relative(d) if self.deidentified else d.isoformat()

    def date_range(self, first: date, last: date) -> str:
        if first == last:
            return self.date(first)
        if self.deidentified and self.reference is not None:
            a, b = day_number(first, self.reference), day_number(last, self.reference)
            return self.translate("Report", "day {first} to {last}").format(
                first=signed_day(a), last=signed_day(b))
        to = self.translate("Report", "{first} to {last}")
        if first.year == last.year:
            return to.format(first=first.isoformat(), last=f"{last:%m-%d}")
        return to.format(first=first.isoformat(), last=last.isoformat())

    def counters(self, d: date) -> str:
        """'CAR-T day +3 · HSCT day −43' (no calendar date, so safe in both modes)."""
        return self.render(day_counters(d, self.derived.anchors))

    def when(self, d: date) -> str:
        """Date and day counters together: '2025-04-10 (CAR-T day +3 · HSCT day −43)';
        de-identified just the counters (or the day from the reference without anchors)."""
        counters = self.counters(d)
        if self.deidentified:
            return counters or f"{self.relative(d)} ({self.reference_text})"
        return f"{self.date(d)} ({counters})" if counters else self.date(d)

    def hsct_day(self, d: date) -> str:
        hsct = self.derived.anchors.get(EventType.HSCT)
        return self.day(day_number(d, hsct)) if hsct else self.date(d)

    @property
    def reference_text(self) -> str:
        if self.reference is None:
            return self.translate("Report", "no reference date recorded")
        return self.translate("Report", "day 0 = {reference}").format(
            reference=self.reference_label)

    # --- text ----------------------------------------------------------------------
    def scrub(self, text: Any) -> str:
        """Text for the page; in a de-identified copy with dates, name and MRN removed."""
        text = "" if text is None else str(text)
        if not self.deidentified:
            return text
        text = _ISO_DATE.sub(self._date_to_day, text)
        for secret in self._secrets:
            text = text.replace(secret, self.translate("Report", "[removed]"))
        return text

    def _date_to_day(self, match: re.Match[str]) -> str:
        try:
            d = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return self.translate("Report", "[date]")
        return self.relative(d)

    def notes(self, text: str | None, limit: int | None = None) -> str:
        """Free-text notes: printed as written, left out of de-identified copies;
        beyond ``limit`` characters cut, saying how much is left in the record."""
        if self.deidentified or not text:
            return ""
        if limit is not None and len(text) > limit:
            more = self.translate("Report", "[{count} more characters in the record]")
            return f"{text[:limit].rstrip()} … {more.format(count=f'{len(text) - limit:,}')}"
        return text

    def anchor_lines(self) -> list[str]:
        """'CAR-T 2025-04-07 — day +200 on 2025-10-24' per anchor."""
        out = []
        for kind, when in self.derived.anchors.items():
            label = self.render(ANCHOR_LABELS[kind])
            if self.deidentified:
                out.append(f"{label} {self.relative(when)}")
            else:
                out.append(self.translate("Report", "{anchor} {date} — {day} on {today}").format(
                    anchor=label, date=when.isoformat(),
                    day=self.day(day_number(self.as_of, when)), today=self.as_of.isoformat()))
        return out
