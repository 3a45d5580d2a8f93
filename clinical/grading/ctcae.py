"""CTCAE haematology grading: blood counts, anaemia and febrile neutropenia.

Ranges are read as in clinical-rules.md Part B §0/§5 (the admiral pattern):
worst grade first, each grade is ``x < cut``, so the lower number of a range
such as "<1.5 - 1.0" belongs to the milder grade. Every comparison is done in
``Decimal`` built from the float's shortest repr, so 1.49 is 1.49 and a cut of
0.5 is exactly 0.5.

Reasons and flags are ``Msg``s (clinical/messages.py) whose English is the
wording below; CTCAE term names, count labels and test names are vocabulary
(context "term"), so ``LabCtcae.term`` and ``details["term"]`` are ``Msg``s
whose text is the English CTCAE term the export writes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clinical.grading.result import Grade, ambiguous, graded, provisional
from clinical.messages import Msg, Seq, msg, translate
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


# -- the words of the reasons and flags (English as it has always been) -----------------
_T_UNGRADEABLE = translate("clinical", "ungradeable: {because}", "ctcae.ungradeable")
_T_NOT_GRADED = translate("clinical", "not graded: {because}", "ctcae.not_graded")
_T_TRANSFUSION = translate("clinical", "transfusion indicated ({label} {value} g/L) ({term})", "ctcae.transfusion_indicated")
_T_NO_LLN = translate("clinical", "{label} {value} is not below the grade-2 cut {cut} and grade 1 needs the lab's LLN, which is missing ({term})", "ctcae.no_lln")
_T_NOT_BELOW_LLN = translate("clinical", "{label} {value} is not below LLN {cut} ({term})", "ctcae.not_below_lln")
_T_NOT_BELOW_CUT = translate("clinical", "{label} {value} is not below {cut} {unit} ({term})", "ctcae.not_below_cut")
_T_BELOW_LLN = translate("clinical", "{label} {value} < LLN {cut} {unit} ({term})", "ctcae.below_lln")
_T_BELOW_CUT = translate("clinical", "{label} {value} < {cut} {unit} ({term})", "ctcae.below_cut")
_T_HB_MMOL = translate("clinical", "Hb {value} mmol/L graded as {g_l} g/L (1 g/dL = 0.6206 mmol/L); the CTCAE mmol/L bins would give {other}", "ctcae.ambiguous.hb_mmol")
_T_UNGRADEABLE_WORD = translate("clinical", "ungradeable", "ctcae.ungradeable_word")
_T_GRADE_WORD = translate("clinical", "grade {grade}", "ctcae.grade_word")
_T_LLN_MISSING = translate("clinical", "LLN missing", "ctcae.lln_missing")
# Febrile neutropenia.
_T_FN_GRADE = translate("clinical", "grade {grade} febrile neutropenia: {because}", "ctcae.fn.grade")
_T_FN_NOT = translate("clinical", "not febrile neutropenia: {because}", "ctcae.fn.not")
_T_FN_NOT_DESPITE = translate("clinical", "not febrile neutropenia despite fever: {because}", "ctcae.fn.not_despite_fever")
_T_FN_NOT_RECORDED = translate("clinical", "not febrile neutropenia on what was recorded: {because}", "ctcae.fn.not_on_record")
_T_FN_ANC_HIGH = translate("clinical", "ANC {anc} is not < 1.0 x10^9/L", "ctcae.fn.anc_not_low")
_T_FN_SINGLE = translate("clinical", "ANC {anc} < 1.0 and a single temperature {temperature} °C > 38.3 °C", "ctcae.fn.single_temperature")
_T_FN_SUSTAINED = translate("clinical", "ANC {anc} < 1.0 and >= 38.0 °C sustained {minutes} min (> 60 min)", "ctcae.fn.sustained")
_T_FN_MISSING = translate("clinical", "ANC {anc} < 1.0 but {what} not recorded", "ctcae.fn.missing")
_T_NOT_RECORDED = translate("clinical", "{what} not recorded", "ctcae.not_recorded")
_T_FN_NO_FEVER = translate("clinical", "ANC {anc} < 1.0 but {shown} is not > 38.3 °C and >= 38.0 °C was not sustained > 60 min", "ctcae.fn.no_fever")
_T_FN_HIGHEST = translate("clinical", "highest {temperature} °C", "ctcae.fn.highest")
_FN_SINGLE_TEMP = msg(translate("term", "highest single temperature", "term.ctcae.highest_single_temperature"))
_FN_MINUTES = msg(translate("term", "minutes at >= 38.0 °C", "term.ctcae.minutes_at_38"))
# The worst grade over a span.
_T_SPAN = translate("clinical", "{start} to {end}", "ctcae.span")
_FIRST = msg(translate("term", "first", "term.ctcae.first"))
_LAST = msg(translate("term", "last", "term.ctcae.last"))
_T_NO_VALUES = translate("clinical", "no {test} values from {span}", "ctcae.no_values")
_T_NONE_GRADED = translate("clinical", "none of {count} {test} values from {span} could be graded (LLN missing)", "ctcae.none_graded")
_T_UNGRADED_COULD_BE_1 = translate("clinical", "{count} value(s) without LLN could be grade 1", "ctcae.ungraded_could_be_1")
_T_WORST = translate("clinical", "{test} {value} on {date} (worst of {count} values, {span})", "ctcae.worst")
# One lab value (the record's derived `labs[].ctcae`).
_T_LAB_NO_LLN = translate("clinical", "{label} {value} is not below {cut} {unit} and the lab gave no LLN to decide between grade 1 and 0 ({term}, CTCAE v{version})", "ctcae.lab.no_lln")
_T_LAB_NOT_BELOW_LLN = translate("clinical", "{label} {value} is not below the LLN {lln} ({term}, CTCAE v{version})", "ctcae.lab.not_below_lln")
_T_LAB_BELOW_LLN = translate("clinical", "{label} {value} < LLN {lln} {unit} ({term}, CTCAE v{version})", "ctcae.lab.below_lln")
_T_LAB_BELOW_CUT = translate("clinical", "{label} {value} < {cut} {unit} ({term}, CTCAE v{version})", "ctcae.lab.below_cut")

# The tests as the rules name them ("no anc values from ...").
_TEST_NAMES: dict[LabTest, Msg] = {
    LabTest.ANC: msg(translate("term", "anc", "term.ctcae.test.anc")),
    LabTest.PLT: msg(translate("term", "plt", "term.ctcae.test.plt")),
    LabTest.WBC: msg(translate("term", "wbc", "term.ctcae.test.wbc")),
    LabTest.ALC: msg(translate("term", "alc", "term.ctcae.test.alc")),
    LabTest.HB: msg(translate("term", "hb", "term.ctcae.test.hb")),
}

# CTCAE term names and the labels of the counts they grade.
_NEUTROPHILS = msg(translate("term", "Neutrophil count decreased", "term.ctcae.neutrophil_count_decreased"))
_PLATELETS = msg(translate("term", "Platelet count decreased", "term.ctcae.platelet_count_decreased"))
_WBC = msg(translate("term", "White blood cell decreased", "term.ctcae.white_blood_cell_decreased"))
_LYMPHOCYTES = msg(translate("term", "Lymphocyte count decreased", "term.ctcae.lymphocyte_count_decreased"))
_ANEMIA = msg(translate("term", "Anemia", "term.ctcae.anemia"))
_THROMBOCYTOPENIA = msg(translate("term", "Thrombocytopenia", "term.ctcae.thrombocytopenia"))
_L_ANC = msg(translate("term", "ANC", "term.ctcae.count.anc"))
_L_PLATELETS = msg(translate("term", "platelets", "term.ctcae.count.platelets"))
_L_WBC = msg(translate("term", "WBC", "term.ctcae.count.wbc"))
_L_LYMPHOCYTES = msg(translate("term", "lymphocytes", "term.ctcae.count.lymphocytes"))
_L_HB = msg(translate("term", "Hb", "term.ctcae.count.hb"))
_ALC_V6_NOTE = msg(translate("clinical", "v6.0 lymphocyte cut-offs not verified; v5.0 cut-offs used", "ctcae.ambiguous.alc_v6"))


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
    LabTest.ANC: _Term(_NEUTROPHILS, _L_ANC, "x10^9/L",
                       _cuts((4, "0.5"), (3, "1.0"), (2, "1.5"))),
    LabTest.PLT: _Term(_PLATELETS, _L_PLATELETS, "x10^9/L",
                       _cuts((4, "25"), (3, "50"), (2, "75"))),
    LabTest.WBC: _Term(_WBC, _L_WBC, "x10^9/L",
                       _cuts((4, "1.0"), (3, "2.0"), (2, "3.0"))),
    LabTest.ALC: _Term(_LYMPHOCYTES, _L_LYMPHOCYTES, "x10^9/L",
                       _cuts((4, "0.2"), (3, "0.5"), (2, "0.8"))),
    # Grade 4 (life-threatening) is clinical: no number reaches it.
    LabTest.HB: _Term(_ANEMIA, _L_HB, "g/L", _cuts((3, "80"), (2, "100"))),
}

# CTCAE v6.0 (Part B §5.3, admiral ncictcaev6.json): neutrophils no longer use
# the LLN; "Platelet count decreased" became "Thrombocytopenia" with G4 < 10.
_V6: dict[LabTest, _Term] = {
    **_V5,
    LabTest.ANC: _Term(_NEUTROPHILS, _L_ANC, "x10^9/L",
                       _cuts((4, "0.1"), (3, "0.5"), (2, "1.0"), (1, "1.5")),
                       grade1_is_lln=False),
    LabTest.PLT: _Term(_THROMBOCYTOPENIA, _L_PLATELETS, "x10^9/L",
                       _cuts((4, "10"), (3, "50"), (2, "75"))),
    # The spec lists anaemia and WBC as unchanged in v6.0 but is silent on
    # lymphocytes, and admiral's v6.0 table has no such term: say so.
    LabTest.ALC: _Term(_LYMPHOCYTES, _L_LYMPHOCYTES, "x10^9/L",
                       _cuts((4, "0.2"), (3, "0.5"), (2, "0.8")),
                       note=_ALC_V6_NOTE),
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
        shown = g_l
        alt, _ = _numeric_grade(raw, _HB_MMOL_CUTS, raw_lln, True)
        if transfusion_indicated:
            alt = 3
        details["mmol_l_bin_grade"] = alt
        # The mmol/L bins are not exact conversions of the g/L ones (§5.2):
        # name the grade the mmol/L column would have given.
        alt_text = msg(_T_UNGRADEABLE_WORD) if alt is None else msg(_T_GRADE_WORD, grade=alt)
        flags.append(ambiguous(msg(_T_HB_MMOL, value=fmt(raw), g_l=g_l, other=alt_text)))
    else:
        x = _to_stored(t, raw, unit)
        x_lln = None if raw_lln is None else _to_stored(t, raw_lln, unit)
        shown = fmt(x)
    details["graded_value"] = float(x)
    details["lln"] = None if x_lln is None else float(x_lln)
    if term.note:
        flags.append(ambiguous(term.note))

    grade, cut = _numeric_grade(x, term.cuts, x_lln, term.grade1_is_lln)
    details["cut"] = None if cut is None else float(cut)

    if t is LabTest.HB and transfusion_indicated and (grade is None or grade < 3):
        # A semicolon in CTCAE means "or": "<80 g/L; transfusion indicated".
        details["transfusion_indicated"] = True
        because = msg(_T_TRANSFUSION, label=term.label, value=shown, term=term.name)
        return Grade(3, version, graded(3, because), tuple(flags), details)

    if grade is None or cut is None:
        flags.append(provisional(msg(_T_LLN_MISSING)))
        because = msg(_T_NO_LLN, label=term.label, value=shown, cut=fmt(term.cuts[-1][1]),
                      term=term.name)
        return Grade(None, version, msg(_T_UNGRADEABLE, because=because), tuple(flags), details)
    if grade == 0:
        if term.grade1_is_lln:
            because = msg(_T_NOT_BELOW_LLN, label=term.label, value=shown, cut=fmt(cut),
                          term=term.name)
        else:
            because = msg(_T_NOT_BELOW_CUT, label=term.label, value=shown, cut=fmt(cut),
                          unit=term.unit, term=term.name)
    else:
        below = _T_BELOW_LLN if grade == 1 and term.grade1_is_lln else _T_BELOW_CUT
        because = msg(below, label=term.label, value=shown, cut=fmt(cut), unit=term.unit,
                      term=term.name)
    return Grade(grade, version, graded(grade, because), tuple(flags), details)


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
        prefix = _T_FN_NOT_DESPITE if details["fever"] else _T_FN_NOT
        return Grade(None, scale, msg(prefix, because=msg(_T_FN_ANC_HIGH, anc=fmt(a))),
                     (), details)
    if single and temp is not None:
        because = msg(_T_FN_SINGLE, anc=fmt(a), temperature=fmt(temp))
        return Grade(3, scale, msg(_T_FN_GRADE, grade=3, because=because), (), details)
    if sustained and minutes is not None:
        because = msg(_T_FN_SUSTAINED, anc=fmt(a), minutes=fmt(minutes))
        return Grade(3, scale, msg(_T_FN_GRADE, grade=3, because=because), (), details)
    missing = []
    if single is None:
        missing.append(_FN_SINGLE_TEMP)
    if sustained is None:
        missing.append(_FN_MINUTES)
    if missing:
        what = Seq(missing, "and")
        because = msg(_T_FN_MISSING, anc=fmt(a), what=what)
        return Grade(None, scale, msg(_T_FN_NOT_RECORDED, because=because),
                     (provisional(msg(_T_NOT_RECORDED, what=what)),), details)
    # Both readings are known here, so a temperature was recorded.
    assert temp is not None
    shown = msg(_T_FN_HIGHEST, temperature=fmt(temp))
    because = msg(_T_FN_NO_FEVER, anc=fmt(a), shown=shown)
    return Grade(None, scale, msg(_T_FN_NOT, because=because), (), details)


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

    span = msg(_T_SPAN, start=start.isoformat() if start else _FIRST,
               end=end.isoformat() if end else _LAST)
    test_name = _TEST_NAMES[t]
    details: dict[str, object] = {"count": count, "ungraded": ungraded, "start": start, "end": end}
    if count == 0:
        return Grade(None, version, msg(_T_NO_VALUES, test=test_name, span=span), (), details)
    if best is None:
        because = msg(_T_NONE_GRADED, count=count, test=test_name, span=span)
        return Grade(None, version, msg(_T_UNGRADEABLE, because=because),
                     (provisional(msg(_T_LLN_MISSING)),), details)
    lab, g = best
    details.update({"date": lab.date, "value": lab.value, "decided_by": g.reason})
    flags = list(g.flags)
    if ungraded and g.value < 2:
        # Those values sit above the grade-2 cut; with their LLN they could be grade 1.
        flags.append(provisional(msg(_T_UNGRADED_COULD_BE_1, count=ungraded)))
    because = msg(_T_WORST, test=test_name, value=f"{lab.value:g}", date=lab.date.isoformat(),
                  count=count, span=span)
    return Grade(g.value, version, graded(g.value, because), tuple(dict.fromkeys(flags)), details)


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

    def reason(self) -> Msg:
        """Why, in one line (a ``Msg``), e.g.
        'grade 4: ANC 0.3 < 0.5 x10^9/L (Neutrophil count decreased, CTCAE v5.0)'."""
        shown = {"label": self.label, "value": f"{self.value:g}", "term": self.term,
                 "version": self.version}
        if self.grade is None:
            because = msg(_T_LAB_NO_LLN, cut=f"{self.lowest_fixed_cut:g}", unit=self.unit,
                          **shown)
            return msg(_T_NOT_GRADED, because=because)
        if self.grade == 0:
            because = msg(_T_LAB_NOT_BELOW_LLN, lln=f"{self.lln:g}", **shown)
        elif self.cut == self.lln and self.grade == 1:
            because = msg(_T_LAB_BELOW_LLN, lln=f"{self.lln:g}", unit=self.unit, **shown)
        else:
            because = msg(_T_LAB_BELOW_CUT, cut=f"{self.cut:g}", unit=self.unit, **shown)
        return graded(self.grade, because)


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
