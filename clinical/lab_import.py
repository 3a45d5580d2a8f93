"""Lab results from the laboratory system: what a file's results become in a record.

A reader (storage/lab_sources.py: CSV, XLSX, HL7 v2 ORU^R01) turns a file into
``SourceResult``s, each the text of one result as the lab system wrote it and where
it stands in the file ("row 12", "message 2, OBX 4"). ``plan_lab_import`` decides,
result by result, what happens to each against the patient's record, before anything
is saved:

- **add**: a new lab value, in the stored unit (converted where the lab wrote
  another unit; the conversion is noted);
- **skip**: the same test, date and value is already recorded (or was earlier in the
  same file), or the result has no value;
- **refuse**, with the reason: another patient's MRN, a test or unit hemalog does not
  know, a value that is not a number or is impossible, a date that is not one, a
  result that is not final, or a different value for a test and day already recorded
  (that is a correction: made in the labs grid, with its reason).

A plan with any refused result is not imported at all (all or nothing): the file is
fixed, or the code table extended, and imported again.

Tests are found by code or name in a ``CodeTable`` (LOINC codes, local codes and the
names lab systems print; resources/labs/codes.csv, which a ward extends with a file
of its own). hemalog records one value per test and day (the labs grid's cell); a
result's time of day is read and dropped.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from typing import Any

from clinical.messages import Msg, Seq, msg, translate
from clinical.plain_text import text_problem
from clinical.record import Lab, LabTest
from clinical.units import LAB_UNITS, round_significant, stored_unit

__all__ = ["SourceResult", "Action", "PlannedRow", "LabImportPlan", "LabCode", "CodeTable",
           "DATE_FORMATS", "parse_when", "plan_lab_import", "unit_to_stored", "IMPOSSIBLE_ABOVE",
           "parse_code_table", "parse_reference", "group_by_patient", "offered_units", "shown_value"]

# --- messages ----------------------------------------------------------------------------------
UNKNOWN_CODE = translate("lab_import", "{code} is not a test in the lab code table; add it to the ward's table (lab-codes.csv) or leave it out", "lab_import.unknown_code")  # noqa: E501
NO_UNIT = translate("lab_import", "no unit given for {test}: choose it with the columns, or have the lab system send it ({units})", "lab_import.no_unit")  # noqa: E501
UNKNOWN_UNIT = translate("lab_import", "{unit} is not a unit hemalog converts for {test}; it knows {units}",
                         "lab_import.unknown_unit")
OTHER_PATIENT = translate("lab_import", "for another patient (MRN {mrn}); this import is for {expected}",
                          "lab_import.other_patient")
NO_PATIENT = translate("lab_import", "names no patient (no MRN)", "lab_import.no_patient")
UNKNOWN_MRN = translate("lab_import", "for MRN {mrn}, who is not in this database",
                        "lab_import.unknown_mrn")
TWO_PATIENTS = translate("lab_import", "the patient identifiers {mrn} name two patients of this database ({mrns}): which one is not guessed", "lab_import.two_patients")  # noqa: E501
NOT_A_NUMBER = translate("lab_import", "the value {value} is not a number", "lab_import.not_a_number")
DECIMAL_COMMA = translate("lab_import", "the value {value} has a comma: write the decimal with a point (3.5), without thousands separators", "lab_import.decimal_comma")  # noqa: E501
A_BOUND = translate("lab_import", "the value {value} is a limit of the lab's measuring range, not a measured value; it is not imported", "lab_import.bound")  # noqa: E501
NEGATIVE = translate("lab_import", "the value {value} is negative: impossible for {test}",
                     "lab_import.negative")
IMPOSSIBLE = translate("lab_import", "the value {value} {unit} is impossible for {test} (more than {limit} {unit})", "lab_import.impossible")  # noqa: E501
NO_DATE = translate("lab_import", "no date", "lab_import.no_date")
NOT_A_DATE = translate("lab_import", "{text} is not a date written {format}", "lab_import.not_a_date")
NOT_FINAL = translate("lab_import", "result status {status}: only final (F) or corrected (C) results are imported", "lab_import.not_final")  # noqa: E501
NO_VALUE = translate("lab_import", "no value", "lab_import.no_value")
ALREADY_RECORDED = translate("lab_import", "already recorded", "lab_import.already_recorded")
EARLIER_IN_FILE = translate("lab_import", "the same as {where}", "lab_import.same_as_earlier")
OTHER_VALUE_RECORDED = translate("lab_import", "{test} of {date} is already recorded as {value} {unit}; a different value is a correction: make it in the labs grid, with its reason", "lab_import.other_value_recorded")  # noqa: E501
OTHER_VALUE_IN_FILE = translate("lab_import", "{where} has {test} of {date} as {value} {unit}; hemalog keeps one value per test and day", "lab_import.other_value_in_file")  # noqa: E501
CONVERTED = translate("lab_import", "{value} {unit} converted to {stored} {stored_unit}",
                      "lab_import.converted")
RANGE_NOT_READ = translate("lab_import", "reference range {text} not read (not low-high, <high or >low)",
                           "lab_import.range_not_read")
BAD_TEXT = translate("lab_import", "{what}: {problem}", "lab_import.bad_text")
FUTURE_DATE = translate("lab_import", "{date} is after today ({today})", "lab_import.future_date")

# --- dates -----------------------------------------------------------------------------------
# The orders a column's dates may be written in (a mapping names one; ISO by default).
DATE_FORMATS: dict[str, str] = {
    "YYYY-MM-DD": r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})",
    "YYYY/MM/DD": r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})",
    "DD/MM/YYYY": r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})",
    "MM/DD/YYYY": r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})",
    "DD.MM.YYYY": r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})",
    "YYYYMMDD": r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})",
}
# After the date: a time of day (dropped), as lab systems write it.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
# HL7's compact time (YYYYMMDDHHMM[SS][+ZZZZ]) only after a compact date: after "2025-03-2"
# the digits "81" would otherwise be read as a time, and "2025-03-281" as 2 March.
_HL7_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|\d{2,6}(?:\.\d+)?(?:[+-]\d{4})?)?"  # noqa: E501
_COMPILED = {name: re.compile(rf"\s*{shape}{_HL7_TIME if name == 'YYYYMMDD' else _TIME}\s*")
             for name, shape in DATE_FORMATS.items()}


def parse_when(value: Any, fmt: str = "YYYY-MM-DD") -> date | Msg:
    """The day of a result: a date or date-time (as a spreadsheet holds it) or text in
    ``fmt`` with an optional time of day; else why not."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value)
    if not text.strip():
        return msg(NO_DATE)
    found = _COMPILED[fmt].fullmatch(text)
    if found is None:
        return msg(NOT_A_DATE, text=repr(text.strip()), format=fmt)
    try:
        return date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return msg(NOT_A_DATE, text=repr(text.strip()), format=fmt)


# --- units -----------------------------------------------------------------------------------
_COUNT = (LabTest.WBC, LabTest.ANC, LabTest.ALC, LabTest.PLT)
# Spellings lab systems use -> (the accepted unit, factor into it). Matched after
# ``_unit_key`` (case-folded, spaces dropped, µ/μ as u, × as x, superscripts as digits).
_ALIASES: dict[LabTest, dict[str, tuple[str, Decimal]]] = {t: {} for t in LabTest}
for _t in _COUNT:
    for _spelling in ("10^9/l", "10*9/l", "x10^9/l", "x10*9/l", "10e9/l", "x10e9/l", "g/l",
                      "10^3/ul", "10*3/ul", "x10^3/ul", "x10*3/ul", "10e3/ul", "k/ul", "/nl",
                      "10^3/mm3", "x10^3/mm3", "thou/ul"):
        _ALIASES[_t][_spelling] = ("10^9/L", Decimal(1))
    for _spelling in ("/ul", "cells/ul", "/mm3", "cells/mm3"):
        _ALIASES[_t][_spelling] = ("10^9/L", Decimal("0.001"))
_ALIASES[LabTest.HB].update({"g/l": ("g/L", Decimal(1)), "g/dl": ("g/dL", Decimal(1)),
                             "mg/ml": ("g/L", Decimal(1))})
_ALIASES[LabTest.CRP].update({"mg/l": ("mg/L", Decimal(1)), "mg/dl": ("mg/dL", Decimal(1)),
                              "ug/ml": ("mg/L", Decimal(1))})
_ALIASES[LabTest.FERRITIN].update({"ng/ml": ("ng/mL", Decimal(1)), "ug/l": ("ug/L", Decimal(1))})
_ALIASES[LabTest.IL6].update({"pg/ml": ("pg/mL", Decimal(1)), "ng/l": ("pg/mL", Decimal(1))})
for _t in (LabTest.BILIRUBIN, LabTest.CREATININE):
    _ALIASES[_t].update({"umol/l": ("umol/L", Decimal(1)), "mg/dl": ("mg/dL", Decimal(1))})
for _t in (LabTest.CAR_T_PCT, LabTest.TCR_PCT):
    _ALIASES[_t]["%"] = ("%", Decimal(1))

# A superscript is a power: "10⁹/L" is 10^9/L (and "mm³" is mm3, as the aliases spell it).
_UNIT_FOLD = str.maketrans({"µ": "u", "μ": "u", "×": "x", "⁹": "^9", "³": "^3", "⁶": "^6",
                            "⁻": "-", " ": None, "\u00a0": None})


def offered_units(test: LabTest) -> list[str]:
    """The units to choose from for ``test`` (the record's, then lab systems' usual)."""
    extra = ["10^3/uL", "/uL"] if test in _COUNT else []
    return [*LAB_UNITS[test], *extra]


def shown_value(value: Any) -> str:
    """A result's value as the file holds it, for the preview: a spreadsheet's 120.0 is
    shown 120, nothing as nothing, 0 as 0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


@functools.lru_cache(maxsize=4096)   # a file repeats a handful of units 20,000 times
def _unit_key(text: str) -> str:
    return text.translate(_UNIT_FOLD).casefold().replace("mm^3", "mm3")


def unit_to_stored(test: LabTest, unit: str) -> tuple[str, Decimal] | None:
    """(accepted unit, factor into it) for a unit as a lab system writes it, or None."""
    return _ALIASES[test].get(_unit_key(unit))


def known_unit(unit: str) -> bool:
    """Whether ``unit`` is a spelling hemalog converts for any test."""
    key = _unit_key(unit)
    return any(key in aliases for aliases in _ALIASES.values())


def _to_stored(test: LabTest, value: Decimal, unit: str, *, rounded: bool = True) -> Decimal:
    """``value`` in ``unit`` (one ``unit_to_stored`` knows) in the stored unit, rounded as
    record import rounds a converted value (4 significant digits; Part A 1.1) unless
    ``rounded`` is False."""
    accepted, factor = _ALIASES[test][_unit_key(unit)]
    to_accepted = _into_stored(test, accepted)
    if factor == 1 and to_accepted == 1:
        return value
    with localcontext(_WIDE):   # "1e999999" g/dL: refused as impossible, not an Overflow
        exact = value * factor * to_accepted
        return round_significant(exact) if rounded else exact


_WIDE = Context(prec=28, Emax=MAX_EMAX, Emin=MIN_EMIN)


@functools.cache
def _into_stored(test: LabTest, accepted: str) -> Decimal:
    """The factor from an accepted unit into the stored one, as a Decimal."""
    return Decimal(repr(LAB_UNITS[test][accepted]))


# Values no patient can have, in the stored unit: far beyond any reported result, so
# only a typing or transmission error reaches them (a percentage: 100).
IMPOSSIBLE_ABOVE: Mapping[LabTest, Decimal] = {
    LabTest.WBC: Decimal(2000), LabTest.ANC: Decimal(2000), LabTest.ALC: Decimal(2000),
    LabTest.PLT: Decimal(10000), LabTest.HB: Decimal(300), LabTest.CRP: Decimal(2000),
    LabTest.FERRITIN: Decimal(1000000), LabTest.IL6: Decimal(10000000),
    LabTest.BILIRUBIN: Decimal(2000), LabTest.CREATININE: Decimal(10000),
    LabTest.CAR_T_PCT: Decimal(100), LabTest.TCR_PCT: Decimal(100),
}

_NUMBER = re.compile(r"[+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _number(value: Any) -> Decimal | Msg:
    if isinstance(value, bool):
        return msg(NOT_A_NUMBER, value=repr(value))
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return msg(NOT_A_NUMBER, value=repr(value))
        return Decimal(repr(value))
    text = str(value).strip()
    if text[:1] in "<>≤≥" and text:
        return msg(A_BOUND, value=repr(text))
    if "," in text:
        return msg(DECIMAL_COMMA, value=repr(text))
    if text.startswith("-") and _NUMBER.fullmatch(text[1:]):
        return Decimal(text)
    if not _NUMBER.fullmatch(text):
        return msg(NOT_A_NUMBER, value=repr(text))
    try:
        return Decimal(text)
    except InvalidOperation:
        return msg(NOT_A_NUMBER, value=repr(text))


def _plain(value: Decimal) -> float | int:
    """A Decimal as the record stores it (an integer when it is one)."""
    return int(value) if value.adjusted() < 15 and value == value.to_integral_value() \
        else float(value)


_RANGE = re.compile(r"\s*(?P<low>[0-9.]+)?\s*(?:-|–|~|to)\s*(?P<high>[0-9.]+)\s*|"
                    r"\s*(?P<op>[<>]=?|≤|≥)\s*(?P<bound>[0-9.]+)\s*")


def parse_reference(text: str) -> tuple[Decimal | None, Decimal | None] | None:
    """(low, high) of a reference range written "3.5-9.5", "<5" or ">40"; None if unread."""
    found = _RANGE.fullmatch(text)
    if found is None:
        return None
    try:
        if found["op"]:
            bound = Decimal(found["bound"])
            return (None, bound) if found["op"] in ("<", "<=", "≤") else (bound, None)
        if found["low"] is None:
            return None
        low, high = Decimal(found["low"]), Decimal(found["high"])
    except InvalidOperation:
        return None
    return (low, high) if low <= high else None


# --- the code table -------------------------------------------------------------------------
@dataclass(frozen=True)
class LabCode:
    """A code or name a lab system gives a test, and the unit it implies (if any)."""

    code: str
    test: LabTest
    unit: str | None = None
    system: str = ""        # "LOINC", "local", "name"


def _code_key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


class CodeTable:
    """Codes and names to hemalog's tests. Later entries (a ward's own) win."""

    def __init__(self, codes: Iterable[LabCode] = ()) -> None:
        self._codes: dict[str, LabCode] = {}
        for test in LabTest:   # hemalog's own names always work
            self._codes[_code_key(test.value)] = LabCode(test.value, test, None, "hemalog")
        for code in codes:
            self._codes[_code_key(code.code)] = code
        self._seen: dict[str, LabCode | None] = {}   # lookup's answers, by the text given

    def lookup(self, code: str) -> LabCode | None:
        try:   # a file names the same few codes thousands of times
            return self._seen[code]
        except KeyError:
            found = self._codes.get(_code_key(code))
        if len(self._seen) < 10_000:
            self._seen[code] = found
        return found

    def merged(self, other: CodeTable) -> CodeTable:
        return CodeTable([*self._codes.values(), *other._codes.values()])

    def __len__(self) -> int:
        return len(self._codes)


CODE_TABLE_COLUMNS = ("code", "system", "test", "unit", "description")


def parse_code_table(text: str, name: str) -> tuple[CodeTable, list[str]]:
    """A code table from CSV text (columns ``CODE_TABLE_COLUMNS``; description
    optional); problems name the file and row."""
    problems: list[str] = []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("code", "test") if c not in (reader.fieldnames or [])]
    if missing:
        return CodeTable(), [f"{name}: no column {', '.join(missing)} (columns: "
                             f"{', '.join(CODE_TABLE_COLUMNS)})"]
    codes = []
    for n, row in enumerate(reader, start=2):
        code, test = (row.get("code") or "").strip(), (row.get("test") or "").strip()
        unit = (row.get("unit") or "").strip() or None
        where = f"{name} row {n}"
        if not code:
            problems.append(f"{where}: code is empty")
            continue
        bad = text_problem(code)
        if bad is not None:
            problems.append(f"{where}: code {bad}")
            continue
        try:
            lab_test = LabTest(test)
        except ValueError:
            problems.append(f"{where}: test {test!r} is not one of "
                            f"{', '.join(t.value for t in LabTest)}")
            continue
        if unit is not None and unit_to_stored(lab_test, unit) is None:
            problems.append(f"{where}: unit {unit!r} is not a unit for {test}")
            continue
        codes.append(LabCode(code, lab_test, unit, (row.get("system") or "").strip()))
    return CodeTable(codes), problems


# --- one file's results -----------------------------------------------------------------------
@dataclass(frozen=True)
class SourceResult:
    """One result as a file holds it: text (or a spreadsheet's number or date)."""

    where: str                       # "row 12", "message 2, OBX 4" (the reader's words)
    when: Any                        # a date, a datetime, or text in the mapping's format
    code: str                        # a LOINC code, a local code or a name
    value: Any                       # text or a number
    unit: str = ""
    reference: str = ""              # "3.5-9.5", "<5", ">40"
    mrn: str | None = None           # whose result the file says it is (None: not said)
    status: str = ""                 # HL7 OBX-11 ("F", "C", "P", ...); "" when not given
    date_format: str = "YYYY-MM-DD"


class Action(StrEnum):
    ADD = "add"
    SKIP = "skip"
    REFUSE = "refuse"


@dataclass(frozen=True)
class PlannedRow:
    source: SourceResult
    action: Action
    lab: Lab | None = None                  # what is saved (add), or what it matched (skip)
    why: Msg | None = None                  # why skipped or refused
    notes: tuple[Msg, ...] = ()             # conversions and what was read around the value


@dataclass(frozen=True)
class LabImportPlan:
    mrn: str
    rows: tuple[PlannedRow, ...] = ()

    def of(self, action: Action) -> list[PlannedRow]:
        return [r for r in self.rows if r.action is action]

    @property
    def labs(self) -> list[Lab]:
        """What is saved when the plan is carried out."""
        return [r.lab for r in self.rows if r.action is Action.ADD and r.lab is not None]

    @property
    def ok(self) -> bool:
        """Nothing refused: the plan may be carried out (all of it)."""
        return not self.of(Action.REFUSE)

    def counts(self) -> dict[str, int]:
        return {a.value: len(self.of(a)) for a in Action}


_FINAL = {"", "F", "C"}
# A file repeats the same few codes thousands of times, and each day's date once per test.
_text_problem = functools.lru_cache(maxsize=4096)(text_problem)
_parse_when = functools.lru_cache(maxsize=4096, typed=True)(parse_when)


@functools.lru_cache(maxsize=4096)   # a file gives each test's range with every result
def _stored_bounds(test: LabTest, unit: str, reference: str
                   ) -> tuple[float | int | None, float | int | None] | None:
    """(lln, uln) in the stored unit of a reference range in ``unit``; None if unread."""
    bounds = parse_reference(reference)
    if bounds is None:
        return None
    low, high = (None if b is None else _to_stored(test, b, unit) for b in bounds)
    return None if low is None else _plain(low), None if high is None else _plain(high)


def _forget_file() -> None:
    """Let go of the file's text the caches above hold (a cell may be long)."""
    for cached in (_text_problem, _parse_when, _stored_bounds, _unit_key):
        cached.cache_clear()


def _when(value: Any, fmt: str) -> date | Msg:
    try:
        return _parse_when(value, fmt)
    except TypeError:   # not hashable: not a spreadsheet's or a text file's value
        return parse_when(value, fmt)


def _one(result: SourceResult, codes: CodeTable, mrn: str, today: date | None
         ) -> PlannedRow:
    def refuse(why: Msg) -> PlannedRow:
        return PlannedRow(result, Action.REFUSE, why=why)

    if result.mrn is not None and not result.mrn.strip():   # an empty cell of the MRN column
        return refuse(msg(NO_PATIENT))
    if result.mrn is not None and result.mrn.strip() != mrn:
        return refuse(msg(OTHER_PATIENT, mrn=repr(result.mrn.strip()), expected=mrn))
    status = (result.status or "").strip().upper()
    if status not in _FINAL:
        return refuse(msg(NOT_FINAL, status=status))
    code = str(result.code or "").strip()
    bad = _text_problem(code)
    if bad is not None:
        return refuse(msg(BAD_TEXT, what="test", problem=bad))
    found = codes.lookup(code) if code else None
    if found is None:
        return refuse(msg(UNKNOWN_CODE, code=repr(code)))
    test = found.test
    if result.value is None or (isinstance(result.value, str) and not result.value.strip()):
        return PlannedRow(result, Action.SKIP, why=msg(NO_VALUE))
    when = _when(result.when, result.date_format)
    if isinstance(when, Msg):
        return refuse(when)
    if today is not None and when > today:
        return refuse(msg(FUTURE_DATE, date=when.isoformat(), today=today.isoformat()))
    unit = (result.unit or "").strip() or (found.unit or "")
    accepted = list(LAB_UNITS[test])
    if not unit:
        if len(accepted) > 1:
            return refuse(msg(NO_UNIT, test=test.value, units=Seq(accepted, "or")))
        unit = accepted[0]
    if unit_to_stored(test, unit) is None:
        return refuse(msg(UNKNOWN_UNIT, unit=repr(unit), test=test.value,
                          units=Seq(sorted({u for u, _ in _ALIASES[test].values()}), "or")))
    number = _number(result.value)
    if isinstance(number, Msg):
        return refuse(number)
    if number < 0:
        return refuse(msg(NEGATIVE, value=str(result.value).strip(), test=test.value))
    value = _to_stored(test, number, unit)
    home = stored_unit(test)
    exact = _to_stored(test, number, unit, rounded=False)   # 2000.4 10^9/L, not 2000
    if exact > IMPOSSIBLE_ABOVE[test]:
        return refuse(msg(IMPOSSIBLE, value=_plain(exact), unit=home, test=test.value,
                          limit=_plain(IMPOSSIBLE_ABOVE[test])))
    notes: list[Msg] = []
    accepted_unit, factor = _ALIASES[test][_unit_key(unit)]
    if accepted_unit != home or factor != 1 or value != number:
        notes.append(msg(CONVERTED, value=str(result.value).strip(), unit=unit,
                         stored=_plain(value), stored_unit=home))
    lln = uln = None
    reference = (result.reference or "").strip()
    if reference:
        bounds = _stored_bounds(test, unit, reference)
        if bounds is None:
            notes.append(msg(RANGE_NOT_READ, text=repr(reference)))
        else:
            lln, uln = bounds
    lab = Lab(date=when, test=test, value=_plain(value), unit=home, lln=lln, uln=uln)
    return PlannedRow(result, Action.ADD, lab=lab, notes=tuple(notes))


def plan_lab_import(results: Sequence[SourceResult], *, mrn: str, existing: Iterable[Lab],
                    codes: CodeTable, today: date | None = None) -> LabImportPlan:
    """What each of ``results`` becomes for the patient ``mrn`` whose saved labs are
    ``existing`` (in file order; nothing is saved here)."""
    recorded: dict[tuple[LabTest, date], Lab] = {}
    for lab in existing:
        recorded.setdefault((lab.test, lab.date), lab)
    earlier: dict[tuple[LabTest, date], PlannedRow] = {}
    rows: list[PlannedRow] = []
    for result in results:
        row = _one(result, codes, mrn, today)
        if row.action is Action.ADD and row.lab is not None:
            lab = row.lab
            key = (lab.test, lab.date)
            saved, before = recorded.get(key), earlier.get(key)
            if saved is not None:
                if Decimal(repr(saved.value)) == Decimal(repr(lab.value)):
                    row = PlannedRow(result, Action.SKIP, lab=saved, why=msg(ALREADY_RECORDED),
                                     notes=row.notes)
                else:
                    row = PlannedRow(result, Action.REFUSE, lab=lab, why=msg(
                        OTHER_VALUE_RECORDED, test=lab.test.value, date=lab.date.isoformat(),
                        value=_plain(Decimal(repr(saved.value))), unit=saved.unit),
                        notes=row.notes)
            elif before is not None and before.lab is not None:
                if Decimal(repr(before.lab.value)) == Decimal(repr(lab.value)):
                    row = PlannedRow(result, Action.SKIP, lab=before.lab,
                                     why=msg(EARLIER_IN_FILE, where=before.source.where),
                                     notes=row.notes)
                else:
                    row = PlannedRow(result, Action.REFUSE, lab=lab, why=msg(
                        OTHER_VALUE_IN_FILE, where=before.source.where, test=lab.test.value,
                        date=lab.date.isoformat(), value=before.lab.value, unit=before.lab.unit),
                        notes=row.notes)
            else:
                earlier[key] = row
        rows.append(row)
    _forget_file()
    return LabImportPlan(mrn, tuple(rows))


def group_by_patient(results: Sequence[SourceResult]) -> dict[str | None, list[SourceResult]]:
    """A file's results by the MRN each names (None: names none), in file order."""
    out: dict[str | None, list[SourceResult]] = {}
    for result in results:
        key = None if result.mrn is None or not result.mrn.strip() else result.mrn.strip()
        out.setdefault(key, []).append(result)
    return out



# --- tables (CSV and XLSX): columns to results --------------------------------------------
MAPPING_NOT_A_COLUMN = translate("lab_import", "mapping {name}: {role} column {column} is not in the file (its columns: {columns})", "lab_import.mapping.no_column")  # noqa: E501
MAPPING_INCOMPLETE = translate("lab_import", "columns not recognised: no {roles} column; choose them (File ▸ Import lab results…) or give --mapping", "lab_import.mapping.incomplete")  # noqa: E501
NO_TEST_COLUMNS = translate("lab_import", "no column is a test hemalog knows (wide form: one column per test, named by its code or name)", "lab_import.mapping.no_tests")  # noqa: E501

_HEADER_UNIT = re.compile(r"^(?P<name>.*?)\s*[\(\[](?P<unit>[^\)\]]*)[\)\]]\s*$")


@dataclass(frozen=True)
class ColumnMapping:
    """Which column holds what, for one lab system's export ("source").

    Long form: one result per row (``test``, ``value``, optional ``unit``,
    ``reference`` or ``low``/``high``). Wide form: one column per test (``tests``:
    header -> code, with the unit after it in brackets, "Hb (g/dL)", or in
    ``units``); without ``tests`` every column whose header is a code or name in the
    code table is a test."""

    name: str = ""
    form: str = "long"                       # "long" or "wide"
    date: str = ""
    date_format: str = "YYYY-MM-DD"
    mrn: str | None = None
    test: str | None = None
    value: str | None = None
    unit: str | None = None
    reference: str | None = None
    low: str | None = None
    high: str | None = None
    tests: Mapping[str, str] | None = None   # wide: header -> code
    units: Mapping[str, str] | None = None   # wide: header -> unit
    sheet: str | None = None                 # XLSX: the sheet (default: the first)

    def doc(self) -> dict[str, Any]:
        return {k: (dict(v) if isinstance(v, Mapping) else v)
                for k, v in self.__dict__.items() if v not in (None, "")}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any], name: str) -> ColumnMapping:
        """A mapping from its saved form; ``ValueError`` names what is wrong."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(doc) - known)
        if unknown:
            raise ValueError(f"mapping {name}: unknown key {', '.join(unknown)}")
        for key, value in doc.items():
            if key in ("tests", "units"):
                if not isinstance(value, Mapping) or not all(
                        isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                    raise ValueError(f"mapping {name}: {key} must map column names to text")
            elif not isinstance(value, str):
                raise ValueError(f"mapping {name}: {key} must be text")
        if doc.get("form", "long") not in ("long", "wide"):
            raise ValueError(f"mapping {name}: form must be long or wide")
        if doc.get("date_format", "YYYY-MM-DD") not in DATE_FORMATS:
            raise ValueError(f"mapping {name}: date_format must be one of "
                             f"{', '.join(DATE_FORMATS)}")
        return cls(**{**doc, "name": doc.get("name") or name})


_ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "date": ("date", "date/time", "datetime", "collected", "collection date", "specimen date",
             "sample date", "result date", "observation date", "采样时间", "采集时间", "日期",
             "报告时间", "检验日期"),
    "mrn": ("mrn", "patient id", "patient number", "hospital number", "pid", "住院号",
            "病历号", "登记号", "患者id"),
    "test": ("test", "test code", "test name", "analyte", "code", "loinc", "item", "检验项目",
             "项目", "项目代码", "项目名称"),
    "value": ("value", "result", "result value", "结果", "检验结果"),
    "unit": ("unit", "units", "单位"),
    "reference": ("reference", "reference range", "ref range", "range", "normal range",
                  "参考范围", "参考值"),
    "low": ("low", "lower limit", "lln", "ref low", "参考下限"),
    "high": ("high", "upper limit", "uln", "ref high", "参考上限"),
}


def _role_of(header: str) -> str | None:
    key = _code_key(header)
    for role, names in _ROLE_NAMES.items():
        if key in names:
            return role
    return None


def wide_test_of(header: str, codes: CodeTable) -> tuple[str, str | None] | None:
    """(code, unit in the header) when a column's header names a test; else None."""
    if codes.lookup(header) is not None:
        return header.strip(), None
    found = _HEADER_UNIT.match(header)
    if found and codes.lookup(found["name"]) is not None:
        return found["name"].strip(), (found["unit"].strip() or None)
    return None


def guess_mapping(header: Sequence[str], codes: CodeTable, *, name: str = "") -> ColumnMapping:
    """The mapping a header suggests: long form when it has test and value columns,
    wide form otherwise (every column naming a test). Checked by ``check_mapping``."""
    roles: dict[str, str] = {}
    for column in header:
        role = _role_of(column)
        if role is not None and role not in roles:
            roles[role] = column
    if "test" in roles and "value" in roles:
        return ColumnMapping(name=name, form="long", **roles)
    return ColumnMapping(name=name, form="wide", date=roles.get("date", ""),
                         mrn=roles.get("mrn"))


def check_mapping(mapping: ColumnMapping, header: Sequence[str], codes: CodeTable
                  ) -> Msg | None:
    """Why ``mapping`` cannot read a file with ``header`` (None: it can)."""
    columns = Seq([repr(h) for h in header])
    label = repr(mapping.name or "(unnamed)")
    needed = ["date"] + (["test", "value"] if mapping.form == "long" else [])
    missing = [role for role in needed if not getattr(mapping, role)]
    if missing:
        return msg(MAPPING_INCOMPLETE, roles=Seq(missing, "and"))
    for role in ("date", "mrn", "test", "value", "unit", "reference", "low", "high"):
        column = getattr(mapping, role)
        if column and column not in header:
            return msg(MAPPING_NOT_A_COLUMN, name=label, role=role, column=repr(column),
                       columns=columns)
    if mapping.form == "wide":
        for column in (mapping.tests or {}):
            if column not in header:
                return msg(MAPPING_NOT_A_COLUMN, name=label, role="test", column=repr(column),
                           columns=columns)
        if not _wide_columns(mapping, header, codes):
            return msg(NO_TEST_COLUMNS)
    return None


def _wide_columns(mapping: ColumnMapping, header: Sequence[str], codes: CodeTable
                  ) -> list[tuple[int, str, str]]:
    """(index, code, unit) of each test column of a wide table."""
    out = []
    taken = {mapping.date, mapping.mrn}
    for i, column in enumerate(header):
        if column in taken or not column:
            continue
        unit = (mapping.units or {}).get(column)
        if mapping.tests:
            if column in mapping.tests:
                out.append((i, mapping.tests[column], unit or ""))
            continue
        found = wide_test_of(column, codes)
        if found is not None:
            out.append((i, found[0], unit or found[1] or ""))
    return out


def unread_columns(mapping: ColumnMapping, header: Sequence[str], codes: CodeTable
                   ) -> list[str]:
    """The columns a mapping leaves unread (shown with the preview: nothing typed in the
    lab system disappears without a word)."""
    used = {mapping.date, mapping.mrn, mapping.test, mapping.value, mapping.unit,
            mapping.reference, mapping.low, mapping.high}
    if mapping.form == "wide":
        used |= {header[i] for i, _, _ in _wide_columns(mapping, header, codes)}
    return [c for c in header if c and c not in used]


def results_from_table(header: Sequence[str], rows: Iterable[tuple[int, Sequence[Any]]],
                       mapping: ColumnMapping, codes: CodeTable) -> list[SourceResult]:
    """The results of a table's ``rows`` ((row number as the file counts it, cells)),
    read with ``mapping`` (checked with ``check_mapping`` first)."""
    at = {column: i for i, column in reversed(list(enumerate(header)))}
    # Each role's column index (-1: not mapped), looked up once for the whole file.
    date_i, mrn_i, test_i, value_i, unit_i, ref_i, low_i, high_i = (
        at[c] if c else -1 for c in (mapping.date, mapping.mrn, mapping.test, mapping.value,
                                     mapping.unit, mapping.reference, mapping.low,
                                     mapping.high))

    def text(value: Any) -> str:
        return "" if value is None else str(value).strip()

    out: list[SourceResult] = []
    append = out.append
    fmt = mapping.date_format
    wide = _wide_columns(mapping, header, codes) if mapping.form == "wide" else []
    long = mapping.form == "long"
    for number, cells in rows:
        width = len(cells)

        def cell(i: int) -> Any:
            return cells[i] if 0 <= i < width else None

        if not any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
            continue   # a blank line
        when = cell(date_i)
        mrn = text(cell(mrn_i)) if mrn_i >= 0 else None
        where = f"row {number}"
        if long:
            reference = text(cell(ref_i))
            if not reference and (low_i >= 0 or high_i >= 0):
                low, high = text(cell(low_i)), text(cell(high_i))
                if low or high:
                    reference = f"{low}-{high}" if low and high else (
                        f">{low}" if low else f"<{high}")
            append(SourceResult(where, when, text(cell(test_i)), cell(value_i),
                                text(cell(unit_i)), reference, mrn, "", fmt))
        else:
            for i, code, unit in wide:
                value = cells[i] if i < width else None
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue   # no result for this test on this row
                append(SourceResult(f"{where}, {header[i]}", when, code, value, unit, "",
                                    mrn, "", fmt))
    return out
