"""Issue 17: what a lab file's results become (clinical/lab_import.py), without files or a
database: units and their conversions, reference ranges, dates, duplicates, and every
reason a result is refused, with boundary cases at the impossible limits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from clinical.lab_import import (
    A_BOUND, ALREADY_RECORDED, BAD_TEXT, CONVERTED, DECIMAL_COMMA, EARLIER_IN_FILE, FUTURE_DATE,
    IMPOSSIBLE, IMPOSSIBLE_ABOVE, MAPPING_INCOMPLETE, MAPPING_NOT_A_COLUMN, NEGATIVE, NO_DATE,
    NO_PATIENT, NO_TEST_COLUMNS, NO_UNIT, NO_VALUE, NOT_A_DATE, NOT_A_NUMBER, NOT_FINAL,
    OTHER_PATIENT, OTHER_VALUE_IN_FILE, OTHER_VALUE_RECORDED, RANGE_NOT_READ, UNKNOWN_CODE,
    UNKNOWN_UNIT, Action, CodeTable, ColumnMapping, LabCode, LabImportPlan, PlannedRow,
    SourceResult, check_mapping, group_by_patient, guess_mapping, parse_code_table,
    parse_reference, parse_when, plan_lab_import, results_from_table, unit_to_stored,
    unread_columns,
)
from clinical.messages import Msg, Template
from clinical.record import Lab, LabTest
from resources import LAB_CODES

MRN = "MRN-1"
TODAY = date(2025, 6, 1)
DAY = date(2025, 3, 28)


@pytest.fixture(scope="module")
def codes() -> CodeTable:
    table, problems = parse_code_table(LAB_CODES.read_text(encoding="utf-8"), "codes.csv")
    assert problems == []
    return table


def result(code: str = "WBC", value: Any = "3.5", unit: str = "10^9/L", *,
           when: Any = "2025-03-28", where: str = "row 2", **kw: Any) -> SourceResult:
    return SourceResult(where=where, when=when, code=code, value=value, unit=unit, **kw)


def plan(codes: CodeTable, *results: SourceResult, existing: tuple[Lab, ...] = (),
         today: date | None = TODAY) -> LabImportPlan:
    return plan_lab_import(list(results), mrn=MRN, existing=existing, codes=codes, today=today)


def one(codes: CodeTable, r: SourceResult, **kw: Any) -> PlannedRow:
    (row,) = plan(codes, r, **kw).rows
    return row


def refused(codes: CodeTable, r: SourceResult, template: Template, **kw: Any) -> str:
    """The row is refused for the reason ``template``: its English text."""
    row = one(codes, r, **kw)
    assert row.action is Action.REFUSE, (row.action, row.why)
    assert isinstance(row.why, Msg) and row.why.template is template, str(row.why)
    return str(row.why)


def added(codes: CodeTable, r: SourceResult, **kw: Any) -> PlannedRow:
    row = one(codes, r, **kw)
    assert row.action is Action.ADD, (row.action, str(row.why))
    assert row.lab is not None
    return row


def same(a: Any, b: Any) -> bool:
    """Equal as numbers, whatever their type (84 == 84.0; 3.66 == Decimal('3.660'))."""
    def number(x: Any) -> Decimal:
        return x if isinstance(x, Decimal) else Decimal(repr(x))
    return number(a) == number(b)


# --- the shipped code table --------------------------------------------------------------------
@pytest.mark.parametrize(("code", "test"), [
    ("6690-2", LabTest.WBC), ("751-8", LabTest.ANC), ("731-0", LabTest.ALC),
    ("777-3", LabTest.PLT), ("718-7", LabTest.HB), ("1988-5", LabTest.CRP),
    ("2276-4", LabTest.FERRITIN), ("26881-3", LabTest.IL6), ("1975-2", LabTest.BILIRUBIN),
    ("2160-0", LabTest.CREATININE),
    ("NEUT#", LabTest.ANC), ("hgb", LabTest.HB), ("  white  BLOOD cells ", LabTest.WBC),
    ("血红蛋白", LabTest.HB), ("tcr_pct", LabTest.TCR_PCT), ("car_t_pct", LabTest.CAR_T_PCT),
])
def test_the_issues_loinc_codes_local_codes_and_names_find_their_test(
        codes: CodeTable, code: str, test: LabTest) -> None:
    found = codes.lookup(code)
    assert found is not None and found.test is test


def test_percentages_are_not_counts_in_the_shipped_table(codes: CodeTable) -> None:
    assert codes.lookup("NEUT%") is None and codes.lookup("LYMPH%") is None
    assert refused(codes, result("NEUT%", "55", "%"), UNKNOWN_CODE).startswith("'NEUT%' is not")


# --- units and conversions --------------------------------------------------------------------
@pytest.mark.parametrize(("code", "value", "unit", "stored", "stored_unit"), [
    ("WBC", "3660", "/uL", 3.66, "10^9/L"),
    ("WBC", "3660", "cells/µL", 3.66, "10^9/L"),
    ("ANC", "2100", "/mm3", 2.1, "10^9/L"),
    ("PLT", "60", "x10³/μL", 60, "10^9/L"),
    ("PLT", "60", "K/uL", 60, "10^9/L"),
    ("PLT", "60", "10*9/L", 60, "10^9/L"),
    ("PLT", "60", "×10⁹/L", 60, "10^9/L"),      # superscripts were not recognised
    ("PLT", "60", "10⁹/L", 60, "10^9/L"),
    ("ANC", "2100", "cells/mm³", 2.1, "10^9/L"),
    ("WBC", "3.66", "10³/µL", 3.66, "10^9/L"),
    ("PLT", "60", "G/L", 60, "10^9/L"),
    ("HGB", "8.4", "g/dL", 84, "g/L"),
    ("HGB", "8.45", "G/DL", 84.5, "g/L"),
    ("HGB", "84", "g/l", 84, "g/L"),
    ("CRP", "1.25", "mg/dL", 12.5, "mg/L"),
    ("CRP", "12.5", "ug/mL", 12.5, "mg/L"),
    ("bilirubin", "1.2", "mg/dL", 20.52, "umol/L"),
    ("bilirubin", "20", "µmol/L", 20, "umol/L"),
    ("CREA", "1", "mg/dl", 88.4, "umol/L"),
    ("ferritin", "500", "ug/L", 500, "ng/mL"),
    ("IL6", "35", "ng/L", 35, "pg/mL"),
    ("car_t_pct", "12.5", "%", 12.5, "%"),
])
def test_units_are_converted_to_the_stored_unit(codes: CodeTable, code: str, value: str,
                                                unit: str, stored: float, stored_unit: str
                                                ) -> None:
    lab = added(codes, result(code, value, unit)).lab
    assert lab is not None
    assert same(lab.value, stored) and lab.unit == stored_unit


def test_a_conversion_is_noted_and_a_value_in_the_stored_unit_is_kept_exactly(
        codes: CodeTable) -> None:
    row = added(codes, result("WBC", "3660", "/uL"))
    assert [str(n) for n in row.notes] == ["3660 /uL converted to 3.66 10^9/L"]
    assert row.notes[0].template is CONVERTED
    kept = added(codes, result("WBC", "3.6600", "10^9/L"))
    assert kept.notes == () and kept.lab is not None and same(kept.lab.value, 3.66)
    hb = added(codes, result("HGB", "8.4", "g/dL"))
    assert [str(n) for n in hb.notes] == ["8.4 g/dL converted to 84 g/L"]
    assert hb.lab is not None and hb.lab.value == 84 and isinstance(hb.lab.value, int)


def test_a_converted_value_is_rounded_to_four_significant_digits(codes: CodeTable) -> None:
    lab = added(codes, result("bilirubin", "1.234", "mg/dL")).lab   # 21.1014
    assert lab is not None and same(lab.value, 21.10)
    lab = added(codes, result("WBC", "12345", "/uL")).lab
    assert lab is not None and same(lab.value, 12.35)


def test_the_unit_may_come_from_the_code_table_and_a_single_unit_test_needs_none(
        codes: CodeTable) -> None:
    ward = codes.merged(CodeTable([LabCode("WBC-UL", LabTest.WBC, "/uL", "local")]))
    lab = added(ward, result("WBC-UL", "3660", "")).lab
    assert lab is not None and same(lab.value, 3.66)
    lab = added(codes, result("PLT", "60", "")).lab        # counts have one unit
    assert lab is not None and lab.unit == "10^9/L" and lab.value == 60
    lab = added(codes, result("CAR-T cells", "12", "")).lab   # the table says %
    assert lab is not None and lab.unit == "%"
    # the file's own unit wins over the table's
    lab = added(ward, result("WBC-UL", "3.66", "10^9/L")).lab
    assert lab is not None and same(lab.value, 3.66)


def test_a_test_with_several_units_and_none_given_is_refused(codes: CodeTable) -> None:
    text = refused(codes, result("HGB", "84", ""), NO_UNIT)
    assert text.startswith("no unit given for hb") and "g/L or g/dL" in text


@pytest.mark.parametrize(("code", "unit"), [
    ("HGB", "mmol/L"), ("WBC", "%"), ("CRP", "mg/dL/L"), ("PLT", "10^6/L"), ("CREA", "mmol/L"),
])
def test_an_unknown_unit_is_refused_naming_the_known_ones(codes: CodeTable, code: str,
                                                          unit: str) -> None:
    text = refused(codes, result(code, "5", unit), UNKNOWN_UNIT)
    assert text.startswith(f"{unit!r} is not a unit hemalog converts for ")
    assert unit_to_stored(codes.lookup(code).test, unit) is None  # type: ignore[union-attr]


# --- reference ranges -------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "bounds"), [
    ("3.5-9.5", (Decimal("3.5"), Decimal("9.5"))),
    (" 3.5 - 9.5 ", (Decimal("3.5"), Decimal("9.5"))),
    ("3.5–9.5", (Decimal("3.5"), Decimal("9.5"))),
    ("3.5~9.5", (Decimal("3.5"), Decimal("9.5"))),
    ("3.5 to 9.5", (Decimal("3.5"), Decimal("9.5"))),
    ("<5", (None, Decimal(5))), ("<=5", (None, Decimal(5))), ("≤5", (None, Decimal(5))),
    (">40", (Decimal(40), None)), ("≥40", (Decimal(40), None)),
    ("0-0", (Decimal(0), Decimal(0))),
    ("9.5-3.5", None), ("negative", None), ("-5", None), ("1.2.3-4", None), ("", None),
    (".-.", None),
])
def test_reference_ranges_are_read_or_not(text: str, bounds: Any) -> None:
    assert parse_reference(text) == bounds


def test_the_reference_range_becomes_lln_and_uln_in_the_stored_unit(codes: CodeTable) -> None:
    lab = added(codes, result("WBC", "3660", "/uL", reference="4000-10000")).lab
    assert lab is not None and (lab.lln, lab.uln) == (4, 10)
    lab = added(codes, result("HGB", "8.4", "g/dL", reference="13.5-17.5")).lab
    assert lab is not None and (lab.lln, lab.uln) == (135, 175)
    lab = added(codes, result("CRP", "1.2", "mg/dL", reference="<0.5")).lab
    assert lab is not None and (lab.lln, lab.uln) == (None, 5)
    lab = added(codes, result("bilirubin", "1.2", "mg/dL", reference="0.2-1.2")).lab
    assert lab is not None and same(lab.lln, 3.42) and same(lab.uln, 20.52)
    lab = added(codes, result("PLT", "60", "10^9/L", reference=">150")).lab
    assert lab is not None and (lab.lln, lab.uln) == (150, None)


def test_a_range_that_cannot_be_read_is_noted_not_refused(codes: CodeTable) -> None:
    row = added(codes, result("WBC", "3.5", reference="see comment"))
    assert row.lab is not None and (row.lab.lln, row.lab.uln) == (None, None)
    assert [n.template for n in row.notes] == [RANGE_NOT_READ]
    assert str(row.notes[0]) == ("reference range 'see comment' not read (not low-high, "
                                 "<high or >low)")


# --- dates ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "fmt"), [
    ("2025-03-28", "YYYY-MM-DD"), ("2025-3-28", "YYYY-MM-DD"), (" 2025-03-28 ", "YYYY-MM-DD"),
    ("2025-03-28 08:15", "YYYY-MM-DD"), ("2025-03-28T08:15:30", "YYYY-MM-DD"),
    ("2025-03-28T08:15:30.250Z", "YYYY-MM-DD"), ("2025-03-28T23:15:00+08:00", "YYYY-MM-DD"),
    ("2025-03-28 8:15", "YYYY-MM-DD"),
    ("2025/03/28", "YYYY/MM/DD"), ("2025/03/28 08:15", "YYYY/MM/DD"),
    ("28/03/2025", "DD/MM/YYYY"), ("28/3/2025 08:15:00", "DD/MM/YYYY"),
    ("03/28/2025", "MM/DD/YYYY"), ("28.03.2025", "DD.MM.YYYY"), ("28.03.2025 08:15", "DD.MM.YYYY"),
    ("20250328", "YYYYMMDD"), ("202503280815", "YYYYMMDD"), ("20250328081530", "YYYYMMDD"),
    ("20250328081530+0800", "YYYYMMDD"), ("20250328081530.1234", "YYYYMMDD"),
    (datetime(2025, 3, 28, 23, 59), "YYYY-MM-DD"), (date(2025, 3, 28), "DD/MM/YYYY"),
])
def test_dates_and_date_times_give_the_day(value: Any, fmt: str) -> None:
    assert parse_when(value, fmt) == DAY


@pytest.mark.parametrize(("value", "fmt"), [
    ("2025-02-30", "YYYY-MM-DD"), ("2025-13-01", "YYYY-MM-DD"), ("28/03/2025", "YYYY-MM-DD"),
    ("2025-03-28", "DD/MM/YYYY"), ("28/03/2025", "MM/DD/YYYY"), ("03/28/2025", "DD/MM/YYYY"),
    ("2025-03-28 25", "YYYY-MM-DD"), ("yesterday", "YYYY-MM-DD"), ("2025032", "YYYYMMDD"),
    ("2025-03-28 08:15 AM", "YYYY-MM-DD"), ("45744", "YYYY-MM-DD"),
    # a digit too many is a typing error, not a time glued on (was read as 2 March / 1 March)
    ("2025-03-281", "YYYY-MM-DD"), ("2025-3-123", "YYYY-MM-DD"), ("28/03/20251", "DD/MM/YYYY"),
    ("28.3.202512", "DD.MM.YYYY"),
])
def test_what_is_not_a_date_in_the_format_is_said(value: str, fmt: str) -> None:
    found = parse_when(value, fmt)
    assert isinstance(found, Msg) and found.template is NOT_A_DATE
    assert str(found) == f"{value.strip()!r} is not a date written {fmt}"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_no_date_is_said(value: Any) -> None:
    found = parse_when(value)
    assert isinstance(found, Msg) and found.template is NO_DATE


def test_a_result_is_planned_on_its_day_and_a_bad_or_future_date_is_refused(
        codes: CodeTable) -> None:
    lab = added(codes, result(when="28/03/2025 08:15", date_format="DD/MM/YYYY")).lab
    assert lab is not None and lab.date == DAY
    assert refused(codes, result(when="2025-02-30"), NOT_A_DATE) == \
        "'2025-02-30' is not a date written YYYY-MM-DD"
    assert refused(codes, result(when=""), NO_DATE) == "no date"
    assert refused(codes, result(when="2025-06-02"), FUTURE_DATE) == \
        "2025-06-02 is after today (2025-06-01)"
    assert added(codes, result(when="2025-06-01 23:59")).lab.date == TODAY  # type: ignore[union-attr]
    assert added(codes, result(when="2099-01-01"), today=None).lab is not None


# --- duplicates -------------------------------------------------------------------------------
def saved(test: LabTest = LabTest.WBC, value: float = 3.66, day: date = DAY) -> Lab:
    from clinical.units import stored_unit
    return Lab(date=day, test=test, value=value, unit=stored_unit(test), id=7, version=1)


def test_the_same_test_day_and_value_as_the_record_is_skipped(codes: CodeTable) -> None:
    existing = (saved(), saved(LabTest.HB, 84))
    p = plan(codes, result("WBC", "3.66"), result("WBC", "3660", "/uL", where="row 3"),
             result("HGB", "8.4", "g/dL", when="2025-03-28 14:00", where="row 4"),
             result("HGB", "84.0", "g/L", where="row 5"), existing=existing)
    assert [r.action for r in p.rows] == [Action.SKIP] * 4
    assert all(r.why is not None and r.why.template is ALREADY_RECORDED for r in p.rows)
    assert p.rows[0].lab == existing[0] and p.rows[2].lab == existing[1]
    assert p.labs == [] and p.ok and p.counts() == {"add": 0, "skip": 4, "refuse": 0}


def test_a_float_saved_value_matches_its_decimal_text(codes: CodeTable) -> None:
    existing = (saved(value=0.1 + 0.2),)    # 0.30000000000000004: not what a file says
    row = one(codes, result("WBC", "0.3"), existing=existing)
    assert row.action is Action.REFUSE     # a float that is not 0.3 is another value
    existing = (saved(value=0.3),)
    assert one(codes, result("WBC", "0.30"), existing=existing).action is Action.SKIP


def test_a_different_value_for_a_recorded_test_and_day_is_refused(codes: CodeTable) -> None:
    text = refused(codes, result("HGB", "8.5", "g/dL"), OTHER_VALUE_RECORDED,
                   existing=(saved(LabTest.HB, 84),))
    assert text == ("hb of 2025-03-28 is already recorded as 84 g/L; a different value is a "
                    "correction: make it in the labs grid, with its reason")


def test_another_day_or_another_test_is_not_a_duplicate(codes: CodeTable) -> None:
    existing = (saved(),)
    p = plan(codes, result("WBC", "3.7", when="2025-03-29"), result("ANC", "3.66"),
             existing=existing)
    assert [r.action for r in p.rows] == [Action.ADD, Action.ADD]


def test_duplicates_within_the_file(codes: CodeTable) -> None:
    p = plan(codes, result("WBC", "3.66", where="row 2"),
             result("Leukocytes", "3660", "/uL", when="2025-03-28 20:00", where="row 3"),
             result("6690-2", "3.7", where="row 4"),
             result("HGB", "84", "g/L", where="row 5"))
    assert [r.action for r in p.rows] == [Action.ADD, Action.SKIP, Action.REFUSE, Action.ADD]
    assert p.rows[1].why is not None and p.rows[1].why.template is EARLIER_IN_FILE
    assert str(p.rows[1].why) == "the same as row 2"
    assert p.rows[2].why is not None and p.rows[2].why.template is OTHER_VALUE_IN_FILE
    assert str(p.rows[2].why) == ("row 2 has wbc of 2025-03-28 as 3.66 10^9/L; hemalog keeps "
                                  "one value per test and day")
    assert not p.ok and len(p.labs) == 2   # the plan as a whole is not carried out


def test_a_refused_row_does_not_count_as_earlier_in_the_file(codes: CodeTable) -> None:
    p = plan(codes, result("WBC", "3,66", where="row 2"), result("WBC", "3.66", where="row 3"))
    assert [r.action for r in p.rows] == [Action.REFUSE, Action.ADD]


# --- the patient --------------------------------------------------------------------------------
def test_another_patients_result_is_refused_and_no_mrn_is_the_import_patients(
        codes: CodeTable) -> None:
    assert refused(codes, result(mrn="MRN-2"), OTHER_PATIENT) == \
        "for another patient (MRN 'MRN-2'); this import is for MRN-1"
    assert added(codes, result(mrn=" MRN-1 ")).lab is not None
    assert added(codes, result(mrn=None)).lab is not None   # a file without an MRN column


def test_an_empty_mrn_cell_names_no_patient(codes: CodeTable) -> None:
    # was "for another patient (MRN '')"
    assert refused(codes, result(mrn=""), NO_PATIENT) == "names no patient (no MRN)"
    assert refused(codes, result(mrn="  "), NO_PATIENT) == "names no patient (no MRN)"


def test_group_by_patient_keeps_file_order_and_puts_no_mrn_together() -> None:
    rs = [result(mrn="A", where="1"), result(mrn=None, where="2"), result(mrn=" B", where="3"),
          result(mrn="A ", where="4"), result(mrn=" ", where="5")]
    groups = group_by_patient(rs)
    assert list(groups) == ["A", None, "B"]
    assert [r.where for r in groups["A"]] == ["1", "4"]
    assert [r.where for r in groups[None]] == ["2", "5"]


# --- codes ------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["K+", "NEUT %", "", "   ", "12345-6"])
def test_an_unknown_or_missing_code_is_refused(codes: CodeTable, code: str) -> None:
    text = refused(codes, result(code), UNKNOWN_CODE)
    assert text == (f"{code.strip()!r} is not a test in the lab code table; add it to the "
                    "ward's table (lab-codes.csv) or leave it out")


def test_a_code_with_control_characters_is_refused_as_bad_text(codes: CodeTable) -> None:
    text = refused(codes, result("WBC\x1b[2J"), BAD_TEXT)
    assert text.startswith("test: ")


# --- values -----------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["-1", "-0.5", "  -3.2  ", -4, -0.001])
def test_a_negative_value_is_refused(codes: CodeTable, value: Any) -> None:
    text = refused(codes, result("WBC", value), NEGATIVE)
    assert text == f"the value {str(value).strip()} is negative: impossible for wbc"


def test_zero_is_a_value(codes: CodeTable) -> None:
    lab = added(codes, result("car_t_pct", "0", "%")).lab
    assert lab is not None and lab.value == 0
    lab = added(codes, result("WBC", 0.0, "/uL")).lab
    assert lab is not None and lab.value == 0


@pytest.mark.parametrize("value", ["<0.5", ">100", "<=1", ">=1000", "≤0.1", "≥2000", " <5 "])
def test_a_bound_of_the_measuring_range_is_refused(codes: CodeTable, value: str) -> None:
    text = refused(codes, result("CRP", value, "mg/L"), A_BOUND)
    assert text == (f"the value {value.strip()!r} is a limit of the lab's measuring range, "
                    "not a measured value; it is not imported")


@pytest.mark.parametrize("value", ["3,5", "1,234", "1.234,5", " 8,4 "])
def test_a_decimal_comma_is_refused(codes: CodeTable, value: str) -> None:
    text = refused(codes, result("WBC", value), DECIMAL_COMMA)
    assert text.startswith(f"the value {value.strip()!r} has a comma")


@pytest.mark.parametrize("value", ["3.5 H", "positive", "NaN", "inf", "Infinity", "1e", "--3",
                                   "3..5", "0x10", "−3", "3 .5", float("nan"), float("inf"),
                                   True, "3\x00.5"])
def test_what_is_not_a_number_is_refused(codes: CodeTable, value: Any) -> None:
    refused(codes, result("WBC", value), NOT_A_NUMBER)


@pytest.mark.parametrize(("value", "stored"), [
    ("+3", 3), ("3.", 3), (".5", 0.5), ("1e2", 100), ("2.5E-1", 0.25), (7, 7), (3.66, 3.66),
    ("-0", 0),
])
def test_numbers_as_lab_systems_write_them(codes: CodeTable, value: Any, stored: float) -> None:
    lab = added(codes, result("WBC", value)).lab
    assert lab is not None and same(lab.value, stored)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_result_without_a_value_is_skipped(codes: CodeTable, value: Any) -> None:
    row = one(codes, result("WBC", value))
    assert row.action is Action.SKIP and row.why is not None and row.why.template is NO_VALUE


# --- impossible values, at the limits -------------------------------------------------------
_SPELLING = {LabTest.WBC: "WBC", LabTest.ANC: "ANC", LabTest.ALC: "ALC", LabTest.PLT: "PLT",
             LabTest.HB: "HGB", LabTest.CRP: "CRP", LabTest.FERRITIN: "ferritin",
             LabTest.IL6: "IL6", LabTest.BILIRUBIN: "TBIL", LabTest.CREATININE: "CREA",
             LabTest.CAR_T_PCT: "car_t_pct", LabTest.TCR_PCT: "tcr_pct"}


def test_every_test_has_an_impossible_limit() -> None:
    assert set(IMPOSSIBLE_ABOVE) == set(LabTest)


@pytest.mark.parametrize("test", list(LabTest))
def test_the_impossible_limit_itself_is_accepted_and_just_above_it_refused(
        codes: CodeTable, test: LabTest) -> None:
    from clinical.units import stored_unit
    limit = IMPOSSIBLE_ABOVE[test]
    unit = stored_unit(test)
    lab = added(codes, result(_SPELLING[test], str(limit), unit)).lab
    assert lab is not None and same(lab.value, limit)
    above = limit + Decimal("0.001")
    text = refused(codes, result(_SPELLING[test], str(above), unit), IMPOSSIBLE)
    assert text == (f"the value {above} {unit} is impossible for {test.value} "
                    f"(more than {limit} {unit})")


@pytest.mark.parametrize(("code", "at_limit", "above", "unit", "shown"), [
    ("WBC", "2000000", "2000001", "/uL", "2000.001 10^9/L"),
    ("PLT", "10000000", "10000400", "cells/uL", "10000.4 10^9/L"),
    ("HGB", "30", "30.01", "g/dL", "300.1 g/L"),
    ("HGB", "30", "30.00001", "g/dL", "300.0001 g/L"),
    ("CRP", "200", "200.001", "mg/dL", "2000.01 mg/L"),
    ("TBIL", "116.959", "116.96", "mg/dL", "2000.016 umol/L"),
])
def test_the_limit_applies_to_a_converted_value_before_it_is_rounded(
        codes: CodeTable, code: str, at_limit: str, above: str, unit: str, shown: str) -> None:
    assert added(codes, result(code, at_limit, unit)).lab is not None
    # 2000001 /uL is 2000.001 10^9/L: beyond the limit even though it rounds to 2000
    text = refused(codes, result(code, above, unit), IMPOSSIBLE)
    assert text.startswith(f"the value {shown} is impossible for ")


@pytest.mark.parametrize(("value", "unit"), [
    ("1e1000000", "10^9/L"), ("1e999999", "/uL"), ("1e999999", "10^3/uL"), ("9e999999", "/uL"),
    ("1e308", "10^9/L"), ("1e400", "10^9/L"),
])
def test_an_absurdly_large_value_is_refused_not_a_crash(codes: CodeTable, value: str,
                                                       unit: str) -> None:
    # was decimal.Overflow (an internal error) from the conversion or the message
    refused(codes, result("WBC", value, unit), IMPOSSIBLE)
    refused(codes, result("HGB", value, "g/dL"), IMPOSSIBLE)


def test_an_absurdly_small_value_is_not_a_crash(codes: CodeTable) -> None:
    for value in ("1e-999999", "1e-40"):
        lab = added(codes, result("HGB", value, "g/dL")).lab
        assert lab is not None and lab.value >= 0


# --- HL7 result status ------------------------------------------------------------------------
@pytest.mark.parametrize("status", ["P", "I", "R", "X", "D", "W", "S", "prelim"])
def test_a_result_that_is_not_final_is_refused(codes: CodeTable, status: str) -> None:
    text = refused(codes, result(status=status), NOT_FINAL)
    assert text == (f"result status {status.upper()}: only final (F) or corrected (C) results "
                    "are imported")


@pytest.mark.parametrize("status", ["F", "C", "f", " c ", ""])
def test_final_and_corrected_results_are_imported(codes: CodeTable, status: str) -> None:
    assert added(codes, result(status=status)).lab is not None


# --- the plan as a whole ----------------------------------------------------------------------
def test_one_refused_result_makes_the_plan_not_ok_and_the_rows_keep_file_order(
        codes: CodeTable) -> None:
    rs = [result("WBC", "3.5", where="row 2"), result("HGB", "84", "g/L", where="row 3"),
          result("XYZ", "1", where="row 4"), result("PLT", "", where="row 5")]
    p = plan(codes, *rs)
    assert [r.source.where for r in p.rows] == ["row 2", "row 3", "row 4", "row 5"]
    assert p.counts() == {"add": 2, "skip": 1, "refuse": 1} and not p.ok
    assert [lab.test for lab in p.labs] == [LabTest.WBC, LabTest.HB]
    assert plan(codes, *rs[:2]).ok and plan(codes).ok


# --- the code table file ----------------------------------------------------------------------
def test_a_wards_code_table_is_read_and_its_entries_win() -> None:
    table, problems = parse_code_table(
        "code,system,test,unit,description\n"
        "LEU,local,wbc,/uL,analyser\n"
        "HGB,local,hb,g/dL,\n"
        "TCR-PCT,local,tcr_pct,,\n", "lab-codes.csv")
    assert problems == []
    found = table.lookup("leu")
    assert found == LabCode("LEU", LabTest.WBC, "/uL", "local")
    merged = CodeTable([LabCode("HGB", LabTest.HB, None, "local")]).merged(table)
    assert merged.lookup("HGB") == LabCode("HGB", LabTest.HB, "g/dL", "local")
    assert table.lookup("hb") is not None    # hemalog's own names always work
    table, problems = parse_code_table("code,test\nX1,anc\n", "mine.csv")   # no description
    assert problems == [] and table.lookup("x1") is not None


@pytest.mark.parametrize(("text", "problem"), [
    ("code,system,unit\nX,local,\n", "ward.csv: no column test (columns: code, system, test, "
                                     "unit, description)"),
    ("name,test\nX,wbc\n", "ward.csv: no column code (columns: code, system, test, unit, "
                           "description)"),
    ("", "ward.csv: no column code, test (columns: code, system, test, unit, description)"),
    ("code,system,test,unit\n,local,wbc,\n", "ward.csv row 2: code is empty"),
    ("code,system,test,unit\nOK,local,wbc,\nX,local,leukocytes,\n",
     "ward.csv row 3: test 'leukocytes' is not one of wbc, anc, alc, plt, hb, crp, ferritin, "
     "il6, bilirubin, creatinine, car_t_pct, tcr_pct"),
    ("code,system,test,unit\nX,local,hb,mmol/L\n", "ward.csv row 2: unit 'mmol/L' is not a unit "
                                                   "for hb"),
    ("code,system,test,unit\nX,local,,\n", "ward.csv row 2: test '' is not one of wbc, anc, "
                                           "alc, plt, hb, crp, ferritin, il6, bilirubin, "
                                           "creatinine, car_t_pct, tcr_pct"),
])
def test_code_table_problems_name_the_file_and_row(text: str, problem: str) -> None:
    _table, problems = parse_code_table(text, "ward.csv")
    assert problems == [problem]


def test_a_code_with_control_characters_in_the_table_is_a_problem() -> None:
    _table, problems = parse_code_table("code,test\nW\x07BC,wbc\nOK,anc\n", "ward.csv")
    assert len(problems) == 1 and problems[0].startswith("ward.csv row 2: code ")


def test_every_problem_of_a_table_is_listed_and_its_good_rows_kept() -> None:
    table, problems = parse_code_table("code,test,unit\nA,wbc,\n,wbc,\nB,xx,\nC,hb,kg\nD,anc,\n",
                                       "ward.csv")
    assert [p.split(":")[0] for p in problems] == ["ward.csv row 3", "ward.csv row 4",
                                                   "ward.csv row 5"]
    assert table.lookup("A") is not None and table.lookup("D") is not None


# --- columns: mappings and tables -------------------------------------------------------------
def test_guess_mapping_long_and_wide(codes: CodeTable) -> None:
    long = guess_mapping(["Collected", "MRN", "Test code", "Result", "Units", "Reference range"],
                         codes, name="lis")
    assert (long.form, long.date, long.mrn, long.test, long.value, long.unit, long.reference) \
        == ("long", "Collected", "MRN", "Test code", "Result", "Units", "Reference range")
    chinese = guess_mapping(["采样时间", "住院号", "项目名称", "结果", "单位", "参考范围"], codes)
    assert (chinese.form, chinese.date, chinese.test, chinese.value) == \
        ("long", "采样时间", "项目名称", "结果")
    wide = guess_mapping(["Date", "WBC (/uL)", "Hb (g/dL)", "Notes"], codes)
    assert (wide.form, wide.date, wide.mrn) == ("wide", "Date", None)
    assert check_mapping(wide, ["Date", "WBC (/uL)", "Hb (g/dL)", "Notes"], codes) is None
    assert unread_columns(wide, ["Date", "WBC (/uL)", "Hb (g/dL)", "Notes"], codes) == ["Notes"]


def test_check_mapping_says_what_is_missing(codes: CodeTable) -> None:
    header = ["Datum", "Parameter", "Wert"]
    problem = check_mapping(guess_mapping(header, codes), header, codes)
    assert problem is not None and problem.template is MAPPING_INCOMPLETE
    assert str(problem).startswith("columns not recognised: no date column")
    bad = ColumnMapping(name="lis", date="Datum", test="Parameter", value="Result")
    problem = check_mapping(bad, header, codes)
    assert problem is not None and problem.template is MAPPING_NOT_A_COLUMN
    assert str(problem) == ("mapping 'lis': value column 'Result' is not in the file (its "
                            "columns: 'Datum', 'Parameter', 'Wert')")
    wide = ColumnMapping(form="wide", date="Datum")
    problem = check_mapping(wide, ["Datum", "Notes"], codes)
    assert problem is not None and problem.template is NO_TEST_COLUMNS


def test_a_wide_table_gives_one_result_per_filled_cell(codes: CodeTable) -> None:
    header = ["Date", "MRN", "WBC (/uL)", "Hb [g/dL]", "PLT", "Notes"]
    rows = [(2, ["2025-03-28 08:00", "M1", "3660", "8.4", "60", "x"]),
            (3, ["", "", "", "", "", ""]),
            (4, ["2025-03-30", "M1", "", "9", None]),          # a short row
            (5, [None, None, None, None, None, None])]
    mapping = guess_mapping(header, codes)
    got = results_from_table(header, rows, mapping, codes)
    assert [(r.where, r.when, r.code, r.value, r.unit, r.mrn) for r in got] == [
        ("row 2, WBC (/uL)", "2025-03-28 08:00", "WBC", "3660", "/uL", "M1"),
        ("row 2, Hb [g/dL]", "2025-03-28 08:00", "Hb", "8.4", "g/dL", "M1"),
        ("row 2, PLT", "2025-03-28 08:00", "PLT", "60", "", "M1"),
        ("row 4, Hb [g/dL]", "2025-03-30", "Hb", "9", "g/dL", "M1"),
    ]


def test_a_wide_mappings_tests_and_units_name_the_columns(codes: CodeTable) -> None:
    header = ["Tag", "Leukos", "Thrombos", "Hb (g/dL)"]
    mapping = ColumnMapping(form="wide", date="Tag", date_format="DD.MM.YYYY",
                            tests={"Leukos": "WBC", "Thrombos": "PLT"}, units={"Leukos": "/uL"})
    assert check_mapping(mapping, header, codes) is None
    got = results_from_table(header, [(2, ["28.03.2025", "3660", "60", "8.4"])], mapping, codes)
    assert [(r.code, r.unit, r.date_format) for r in got] == [("WBC", "/uL", "DD.MM.YYYY"),
                                                               ("PLT", "", "DD.MM.YYYY")]
    assert unread_columns(mapping, header, codes) == ["Hb (g/dL)"]   # only the mapped tests
    p = plan_lab_import(got, mrn=MRN, existing=[], codes=codes, today=TODAY)
    assert [(lab.date, lab.test, lab.value) for lab in p.labs] == [
        (DAY, LabTest.WBC, 3.66), (DAY, LabTest.PLT, 60)]


def test_a_long_table_reads_low_and_high_into_a_range(codes: CodeTable) -> None:
    header = ["Date", "Test", "Result", "Unit", "Low", "High"]
    mapping = guess_mapping(header, codes)
    rows = [(2, [date(2025, 3, 28), "WBC", 3.66, "10^9/L", 3.5, 9.5]),
            (3, [date(2025, 3, 28), "HGB", 84, "g/L", 130, None]),
            (4, [date(2025, 3, 28), "CRP", 12, "mg/L", None, 5]),
            (5, [date(2025, 3, 28), "PLT", 60, "10^9/L", None, None])]
    got = results_from_table(header, rows, mapping, codes)
    assert [r.reference for r in got] == ["3.5-9.5", ">130", "<5", ""]
    p = plan_lab_import(got, mrn=MRN, existing=[], codes=codes, today=TODAY)
    assert [(lab.lln, lab.uln) for lab in p.labs] == [(3.5, 9.5), (130, None), (None, 5),
                                                       (None, None)]


def test_mapping_documents_round_trip_and_bad_ones_are_named() -> None:
    mapping = ColumnMapping(name="lis", form="wide", date="Tag", date_format="DD.MM.YYYY",
                            mrn="PID", tests={"Leukos": "WBC"}, units={"Leukos": "/uL"},
                            sheet="Befunde")
    assert ColumnMapping.from_doc(mapping.doc(), "other") == mapping
    assert ColumnMapping.from_doc({"date": "D", "test": "T", "value": "V"}, "file").name == "file"
    for doc, problem in [
        ({"colour": "red"}, "mapping m: unknown key colour"),
        ({"form": "diagonal"}, "mapping m: form must be long or wide"),
        ({"date_format": "DD-MM-YY"}, "mapping m: date_format must be one of YYYY-MM-DD, "
                                      "YYYY/MM/DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY, YYYYMMDD"),
        ({"date": 3}, "mapping m: date must be text"),
        ({"tests": ["WBC"]}, "mapping m: tests must map column names to text"),
        ({"units": {"WBC": 1}}, "mapping m: units must map column names to text"),
    ]:
        with pytest.raises(ValueError) as caught:
            ColumnMapping.from_doc(doc, "m")
        assert str(caught.value) == problem
