"""CTCAE haematology grading: blood counts, anaemia and febrile neutropenia.

Ranges are read as in clinical-rules.md Part B §0/§5 (the admiral pattern):
worst grade first, each grade is ``x < cut``, so the lower number of a range
such as "<1.5 - 1.0" belongs to the milder grade. Every comparison is done in
``Decimal`` built from the float's shortest repr, so 1.49 is 1.49 and a cut of
0.5 is exactly 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clinical.grading.result import Grade, ambiguous, provisional
from clinical.record import Lab, LabTest
from clinical.units import LAB_UNITS

CTCAE_V5 = "CTCAE v5.0"
CTCAE_V6 = "CTCAE v6.0"
VERSIONS = (CTCAE_V5, CTCAE_V6)

# CTCAE Part B §0: 1 g/dL = 10 g/L = 0.6206 mmol/L.
HB_MMOL_PER_G_DL = Decimal("0.6206")
MMOL_L = "mmol/L"

FN_ANC_CUT = Decimal("1.0")
FN_SINGLE_TEMP_C = Decimal("38.3")  # exclusive: ">38.3"
FN_SUSTAINED_TEMP_C = Decimal("38.0")  # inclusive: ">=38.0 ..."
FN_SUSTAINED_MINUTES = Decimal(60)  # "... for more than one hour": exclusive


def dec(x: float) -> Decimal:
    """A float as the Decimal of its shortest repr (1.49 -> Decimal('1.49'))."""
    if isinstance(x, bool) or not isinstance(x, (int, float, Decimal)):
        raise TypeError(f"expected a number, got {x!r}")
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError(f"not a finite number: {x!r}")
    return x if isinstance(x, Decimal) else Decimal(repr(x))


def fmt(d: Decimal) -> str:
    """Plain notation, trailing zeros dropped but one decimal kept ('100', '1.0', '79.5')."""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0")
        text = text + "0" if text.endswith(".") else text
    return text


@dataclass(frozen=True)
class _Term:
    """One CTCAE term: its numeric cuts, worst grade first, in the stored unit."""

    name: str
    label: str
    unit: str
    cuts: tuple[tuple[int, Decimal], ...]
    # True when grade 1 is "<LLN"; False when the last cut is grade 1 itself.
    grade1_is_lln: bool = True
    note: str | None = None  # an ambiguity to flag on every grade of this term


def _cuts(*pairs: tuple[int, str]) -> tuple[tuple[int, Decimal], ...]:
    return tuple((g, Decimal(c)) for g, c in pairs)


_V5: dict[LabTest, _Term] = {
    LabTest.ANC: _Term("Neutrophil count decreased", "ANC", "x10^9/L",
                       _cuts((4, "0.5"), (3, "1.0"), (2, "1.5"))),
    LabTest.PLT: _Term("Platelet count decreased", "platelets", "x10^9/L",
                       _cuts((4, "25"), (3, "50"), (2, "75"))),
    LabTest.WBC: _Term("White blood cell decreased", "WBC", "x10^9/L",
                       _cuts((4, "1.0"), (3, "2.0"), (2, "3.0"))),
    LabTest.ALC: _Term("Lymphocyte count decreased", "lymphocytes", "x10^9/L",
                       _cuts((4, "0.2"), (3, "0.5"), (2, "0.8"))),
    # Grade 4 (life-threatening) is clinical: no number reaches it.
    LabTest.HB: _Term("Anemia", "Hb", "g/L", _cuts((3, "80"), (2, "100"))),
}

# CTCAE v6.0 (Part B §5.3, admiral ncictcaev6.json): neutrophils no longer use
# the LLN; "Platelet count decreased" became "Thrombocytopenia" with G4 < 10.
_V6: dict[LabTest, _Term] = {
    **_V5,
    LabTest.ANC: _Term("Neutrophil count decreased", "ANC", "x10^9/L",
                       _cuts((4, "0.1"), (3, "0.5"), (2, "1.0"), (1, "1.5")),
                       grade1_is_lln=False),
    LabTest.PLT: _Term("Thrombocytopenia", "platelets", "x10^9/L",
                       _cuts((4, "10"), (3, "50"), (2, "75"))),
    # The spec lists anaemia and WBC as unchanged in v6.0 but is silent on
    # lymphocytes, and admiral's v6.0 table has no such term: say so.
    LabTest.ALC: _Term("Lymphocyte count decreased", "lymphocytes", "x10^9/L",
                       _cuts((4, "0.2"), (3, "0.5"), (2, "0.8")),
                       note="v6.0 lymphocyte cut-offs not verified; v5.0 cut-offs used"),
}

_TERMS: dict[str, dict[LabTest, _Term]] = {CTCAE_V5: _V5, CTCAE_V6: _V6}

# The mmol/L anaemia bins of the CTCAE table, used only to name the
# alternative reading: hemalog never grades from them (Part A).
_HB_MMOL_CUTS = _cuts((3, "4.9"), (2, "6.2"))


def _as_test(test: LabTest | str) -> LabTest:
    try:
        t = LabTest(test)
    except ValueError:
        raise ValueError(f"unknown lab test {test!r}") from None
    if t not in _V5:
        raise ValueError(f"CTCAE haematology grading does not cover {t.value!r}")
    return t


def _term(test: LabTest, version: str) -> _Term:
    if version not in _TERMS:
        raise ValueError(f"unknown CTCAE version {version!r}; expected one of {VERSIONS}")
    return _TERMS[version][test]


def _numeric_grade(x: Decimal, cuts: tuple[tuple[int, Decimal], ...],
                   lln: Decimal | None, grade1_is_lln: bool) -> tuple[int | None, Decimal | None]:
    """The admiral cascade; (None, None) when grade 1 would need a missing LLN."""
    for grade, cut in cuts:
        if x < cut:
            return grade, cut
    if not grade1_is_lln:
        return 0, cuts[-1][1]
    if lln is None:
        return None, None
    return (1, lln) if x < lln else (0, lln)


def _to_stored(test: LabTest, x: Decimal, unit: str | None) -> Decimal:
    """Convert to the stored unit; mmol/L haemoglobin is handled by the caller."""
    if unit is None:
        return x
    factors = LAB_UNITS[test]
    if unit not in factors:
        accepted = list(factors) + ([MMOL_L] if test is LabTest.HB else [])
        raise ValueError(f"unit {unit!r} not accepted for {test.value}; expected one of {accepted}")
    return x * dec(factors[unit])


def _mmol_to_g_l(x: Decimal) -> Decimal:
    return x / HB_MMOL_PER_G_DL * 10


def grade_count(
    test: LabTest | str,
    value: float,
    lln: float | None,
    *,
    version: str = CTCAE_V5,
    unit: str | None = None,
    transfusion_indicated: bool = False,
) -> Grade:
    """Grade a low blood count (anc, plt, wbc, alc, hb) under CTCAE.

    ``value`` and ``lln`` share ``unit`` (default: the stored unit, 10^9/L or
    g/L). Haemoglobin may be given in g/dL or mmol/L; it is always graded in
    g/L. ``transfusion_indicated`` is the clinical arm of anaemia grade 3.
    """
    t = _as_test(test)
    term = _term(t, version)
    if transfusion_indicated and t is not LabTest.HB:
        raise ValueError("transfusion_indicated applies to haemoglobin only")
    raw = dec(value)
    if raw < 0:
        raise ValueError(f"{term.label} cannot be negative: {value!r}")
    raw_lln = None if lln is None else dec(lln)

    flags: list[str] = []
    details: dict[str, object] = {"term": term.name, "value": value, "unit": unit or term.unit}
    if t is LabTest.HB and unit == MMOL_L:
        x = _mmol_to_g_l(raw)
        x_lln = None if raw_lln is None else _mmol_to_g_l(raw_lln)
        g_l = fmt(x.quantize(Decimal("0.1")))
        shown = f"{term.label} {g_l}"
        alt, _ = _numeric_grade(raw, _HB_MMOL_CUTS, raw_lln, True)
        if transfusion_indicated:
            alt = 3
        details["mmol_l_bin_grade"] = alt
        # The mmol/L bins are not exact conversions of the g/L ones (§5.2):
        # name the grade the mmol/L column would have given.
        alt_text = "ungradeable" if alt is None else f"grade {alt}"
        flags.append(ambiguous(
            f"Hb {fmt(raw)} mmol/L graded as {g_l} g/L (1 g/dL = 0.6206 mmol/L); "
            f"the CTCAE mmol/L bins would give {alt_text}"))
    else:
        x = _to_stored(t, raw, unit)
        x_lln = None if raw_lln is None else _to_stored(t, raw_lln, unit)
        shown = f"{term.label} {fmt(x)}"
    details["graded_value"] = float(x)
    details["lln"] = None if x_lln is None else float(x_lln)
    if term.note:
        flags.append(ambiguous(term.note))

    grade, cut = _numeric_grade(x, term.cuts, x_lln, term.grade1_is_lln)
    details["cut"] = None if cut is None else float(cut)

    if t is LabTest.HB and transfusion_indicated and (grade is None or grade < 3):
        # A semicolon in CTCAE means "or": "<80 g/L; transfusion indicated".
        details["transfusion_indicated"] = True
        return Grade(3, version, f"grade 3: transfusion indicated ({shown} g/L) ({term.name})",
                     tuple(flags), details)

    if grade is None or cut is None:
        flags.append(provisional("LLN missing"))
        return Grade(None, version,
                     f"ungradeable: {shown} is not below the grade-2 cut {fmt(term.cuts[-1][1])} "
                     f"and grade 1 needs the lab's LLN, which is missing ({term.name})",
                     tuple(flags), details)
    if grade == 0:
        below = f"LLN {fmt(cut)}" if term.grade1_is_lln else f"{fmt(cut)} {term.unit}"
        reason = f"grade 0: {shown} is not below {below}"
    elif grade == 1 and term.grade1_is_lln:
        reason = f"grade 1: {shown} < LLN {fmt(cut)} {term.unit}"
    else:
        reason = f"grade {grade}: {shown} < {fmt(cut)} {term.unit}"
    return Grade(grade, version, f"{reason} ({term.name})", tuple(flags), details)


def febrile_neutropenia(
    anc: float,
    max_single_temp_c: float | None,
    sustained_38_minutes: float | None = None,
) -> Grade:
    """CTCAE v5.0 febrile neutropenia: grade 3, or value None when not FN.

    FN needs ANC < 1.0 x10^9/L and either one temperature > 38.3 °C or a
    temperature >= 38.0 °C sustained for more than 60 minutes
    (``sustained_38_minutes``). Grades 4-5 are clinical and not derived here.
    """
    a = dec(anc)
    if a < 0:
        raise ValueError(f"ANC cannot be negative: {anc!r}")
    temp = None if max_single_temp_c is None else dec(max_single_temp_c)
    minutes = None if sustained_38_minutes is None else dec(sustained_38_minutes)
    if minutes is not None and minutes < 0:
        raise ValueError(f"minutes cannot be negative: {sustained_38_minutes!r}")

    single = None if temp is None else temp > FN_SINGLE_TEMP_C
    sustained: bool | None = None if minutes is None else minutes > FN_SUSTAINED_MINUTES
    if sustained is None and temp is not None and temp < FN_SUSTAINED_TEMP_C:
        sustained = False  # never reached 38.0, so it cannot have been sustained there
    details: dict[str, object] = {"anc": anc, "max_single_temp_c": max_single_temp_c,
                                  "sustained_38_minutes": sustained_38_minutes,
                                  "fever": True if (single or sustained) else
                                  (False if single is False and sustained is False else None)}
    scale = CTCAE_V5
    if not a < FN_ANC_CUT:
        fever = " despite fever" if details["fever"] else ""
        return Grade(None, scale, f"not febrile neutropenia{fever}: ANC {fmt(a)} is not < 1.0 x10^9/L",
                     (), details)
    if single and temp is not None:
        return Grade(3, scale, f"grade 3 febrile neutropenia: ANC {fmt(a)} < 1.0 and a single "
                     f"temperature {fmt(temp)} °C > 38.3 °C", (), details)
    if sustained and minutes is not None:
        return Grade(3, scale, f"grade 3 febrile neutropenia: ANC {fmt(a)} < 1.0 and >= 38.0 °C "
                     f"sustained {fmt(minutes)} min (> 60 min)", (), details)
    missing = []
    if single is None:
        missing.append("highest single temperature")
    if sustained is None:
        missing.append("minutes at >= 38.0 °C")
    if missing:
        what = " and ".join(missing)
        return Grade(None, scale, f"not febrile neutropenia on what was recorded: ANC {fmt(a)} < 1.0 "
                     f"but {what} not recorded", (provisional(what + " not recorded"),), details)
    shown = "no temperature" if temp is None else f"highest {fmt(temp)} °C"
    return Grade(None, scale, f"not febrile neutropenia: ANC {fmt(a)} < 1.0 but {shown} is not > 38.3 °C "
                 f"and >= 38.0 °C was not sustained > 60 min", (), details)


def worst_grade(
    labs: Iterable[Lab],
    test: LabTest | str,
    start: date | None,
    end: date | None,
    *,
    version: str = CTCAE_V5,
) -> Grade:
    """The worst CTCAE grade of one test over labs dated ``start``..``end``.

    Either bound may be None (open). Each lab is graded with its own LLN and
    unit; ties go to the earliest date. Values that could not be graded (LLN
    missing) make a grade of 0 or 1 provisional, since they might be grade 1.
    """
    t = _as_test(test)
    _term(t, version)  # validate the version even when no lab matches
    best: tuple[Lab, Grade] | None = None
    count = 0
    ungraded = 0
    first_ungraded: Lab | None = None
    for lab in labs:
        if lab.test != t or (start is not None and lab.date < start) or (end is not None and lab.date > end):
            continue
        count += 1
        g = grade_count(t, lab.value, lab.lln, version=version, unit=lab.unit)
        if g.value is None:
            ungraded += 1
            if first_ungraded is None or lab.date < first_ungraded.date:
                first_ungraded = lab
            continue
        if best is None or g.value > best[1].value or (g.value == best[1].value and lab.date < best[0].date):
            best = (lab, g)

    span = f"{start.isoformat() if start else 'first'} to {end.isoformat() if end else 'last'}"
    details: dict[str, object] = {"count": count, "ungraded": ungraded, "start": start, "end": end}
    if count == 0:
        return Grade(None, version, f"no {t.value} values from {span}", (), details)
    if best is None:
        return Grade(None, version, f"ungradeable: none of {count} {t.value} values from {span} "
                     f"could be graded (LLN missing)", (provisional("LLN missing"),), details)
    lab, g = best
    details.update({"date": lab.date, "value": lab.value, "decided_by": g.reason})
    flags = list(g.flags)
    if ungraded and g.value < 2:
        # Those values sit above the grade-2 cut; with their LLN they could be grade 1.
        flags.append(provisional(f"{ungraded} value(s) without LLN could be grade 1"))
    reason = (f"grade {g.value}: {t.value} {lab.value:g} on {lab.date.isoformat()} "
              f"(worst of {count} values, {span})")
    return Grade(g.value, version, reason, tuple(dict.fromkeys(flags)), details)


# --- per lab value, for the record's derived `labs[].ctcae` (Part A 1.1) ------------------

CTCAE_V5_NUMBER = "5.0"

# (term, label, unit, cuts as floats worst first). Comparing floats is the same as
# comparing the Decimals of their shortest reprs (both orders are monotone), and a
# whole record's labs are graded on every save, so this path avoids Decimal.
_FAST_V5: dict[LabTest, tuple[str, str, str, tuple[tuple[int, float], ...]]] = {
    t: (term.name, term.label, term.unit, tuple((g, float(c)) for g, c in term.cuts))
    for t, term in _V5.items()
}


@dataclass(frozen=True, slots=True)
class LabCtcae:
    """One lab value's CTCAE v5.0 grade: the export's `{"term", "grade", "version"}`.

    ``grade`` is None when the value sits above every fixed cut and the lab gave
    no LLN to decide between grade 1 and 0. ``cut`` is the threshold that decided.
    """

    term: str
    grade: int | None
    label: str
    unit: str
    value: float
    cut: float | None
    lln: float | None
    lowest_fixed_cut: float
    version: str = CTCAE_V5_NUMBER

    def doc(self) -> dict[str, object]:
        return {"term": self.term, "grade": self.grade, "version": self.version}

    def reason(self) -> str:
        """Why, in one line: 'grade 4: ANC 0.3 < 0.5 x10^9/L (Neutrophil count decreased)'."""
        shown = f"{self.label} {self.value:g}"
        if self.grade is None:
            why = (f"not graded: {shown} is not below {self.lowest_fixed_cut:g} {self.unit} and "
                   "the lab gave no LLN to decide between grade 1 and 0")
        elif self.grade == 0:
            why = f"grade 0: {shown} is not below the LLN {self.lln:g}"
        elif self.cut == self.lln and self.grade == 1:
            why = f"grade 1: {shown} < LLN {self.lln:g} {self.unit}"
        else:
            why = f"grade {self.grade}: {shown} < {self.cut:g} {self.unit}"
        return f"{why} ({self.term}, CTCAE v{self.version})"


def lab_ctcae(test: LabTest, value: float, lln: float | None) -> LabCtcae | None:
    """CTCAE v5.0 grade of one stored lab value (None for tests CTCAE does not grade here).

    The fixed cuts first, worst grade first (x < cut); above every fixed cut the
    LLN decides between 1 (below it) and 0, and without an LLN the grade is None.
    """
    fast = _FAST_V5.get(test)
    if fast is None:
        return None
    term, label, unit, cuts = fast
    lowest = cuts[-1][1]
    for grade, cut in cuts:
        if value < cut:
            return LabCtcae(term, grade, label, unit, value, cut, lln, lowest)
    if lln is None:
        return LabCtcae(term, None, label, unit, value, None, None, lowest)
    return LabCtcae(term, 1 if value < lln else 0, label, unit, value, lln, lln, lowest)


def ctcae_terms() -> dict[LabTest, str]:
    """The CTCAE v5.0 term of each test graded per value (anc, plt, wbc, alc, hb)."""
    return {t: fast[0] for t, fast in _FAST_V5.items()}


def ctcae_grades(labs: Iterable[Lab]) -> list[int | None]:
    """``lab_ctcae(...).grade`` for every lab at once (None for other tests too).

    The derived summary grades every count of a patient on each save; this loop
    makes no object per lab, so 20,000 values cost a few milliseconds.
    """
    cuts_of = {t: fast[3] for t, fast in _FAST_V5.items()}
    out: list[int | None] = []
    append = out.append
    for lab in labs:
        cuts = cuts_of.get(lab.test)
        if cuts is None:
            append(None)
            continue
        value = lab.value
        for grade, cut in cuts:
            if value < cut:
                append(grade)
                break
        else:
            lln = lab.lln
            append(None if lln is None else (1 if value < lln else 0))
    return out
