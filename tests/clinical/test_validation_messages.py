"""Validation problems, refusals and password rules are structured messages.

Each is a ``Msg``: a stable code and its parameters (the limit, the expected type,
the allowed values), whose English is the wording hemalog has always shown and
which the presentation layer renders in the reader's language with the field's
path kept as it is.

The tests marked "Chinese" read the catalogue resources/i18n/hemalog_zh_CN.ts: they
pass once the validation translations are merged into it.
"""

from __future__ import annotations

import pickle
from types import SimpleNamespace
from typing import Any

import pytest

import lang
from clinical import accounts, plain_text, record_schema, schema
from clinical.accounts import PermissionDenied, Role, check, name_problems, password_problems
from clinical.errors import HemalogError
from clinical.messages import Msg, placeholders, templates
from clinical.record_schema import parse_item, parse_record
from clinical.schema import Problem
from storage.repository import _check_signature

ZH = lang.ZH


def _record(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "hemalog.record", "version": 1,
        "patient": {"mrn": "V-1", "name": "Test Patient", "diagnosis": "B-ALL"},
        "courses": [{"name": "VDLP", "start_date": "2025-01-01", "drugs": [
            {"drug": "vincristine", "dose": 1.4, "unit": "mg/m2", "days": [1, 8]}]}],
    }
    doc.update(changes)
    return doc


def _malformed() -> dict[str, Any]:
    doc = _record()
    doc["patient"] = {"mrn": "V-1", "name": "Test Patient", "diagnosis": "B-ALL",
                      "sex": "x", "birth_date": "2025-02-30", "colour": "blue"}
    doc["courses"][0]["drugs"][0]["dose"] = 0
    doc["labs"] = [{"date": "2025-01-02", "test": "wbc", "value": "high", "unit": "10^9/L"}]
    return doc


EXPECTED = {
    "patient.colour": ("validation.object.unknown_key",
                       "unknown key (known keys: mrn, name, sex, birth_date, age_at_diagnosis, "
                       "diagnosis, diagnosis_date, immunophenotype, notes)"),
    "patient.sex": ("validation.one_of", "must be one of male, female, other, unknown; got 'x'"),
    "patient.birth_date": ("validation.date.not_real", "is not a real calendar date: 2025-02-30"),
    "courses[0].drugs[0].dose": ("validation.number.gt", "must be > 0"),
    "labs[0].value": ("validation.wrong_type", "must be a number, not text"),
}


def _problems() -> dict[str, Problem]:
    record, problems = parse_record(_malformed())
    assert record is None
    return {p.path: p for p in problems}


def test_problems_are_messages_with_codes_and_paths() -> None:
    found = _problems()
    assert set(found) == set(EXPECTED)
    for path, (code, english) in EXPECTED.items():
        problem = found[path]
        assert isinstance(problem.message, Msg), path
        assert problem.code == code and problem.message.code == code
        assert problem.message == english
        assert str(problem) == f"{path}: {english}"
        assert isinstance(problem.line, Msg) and problem.line.code == "validation.line"
        assert problem.line.params["path"] == path  # the path is data, never translated


def test_parameters_carry_the_numbers_and_words() -> None:
    found = _problems()
    assert found["courses[0].drugs[0].dose"].params == {"limit": "0"}
    wrong = found["labs[0].value"].params
    assert wrong["expected"].code == "validation.type.number"
    assert wrong["actual"].code == "validation.type.text"
    allowed = found["patient.sex"].params["allowed"]
    assert list(allowed.items) == ["male", "female", "other", "unknown"]
    assert found["patient.sex"].params["value"] == "'x'"


@pytest.mark.parametrize(("kind", "item", "path", "code", "english"), [
    ("labs", {"date": "2025-01-02", "test": "wbc", "value": 1, "unit": "g/L"}, "unit",
     "validation.lab.unit", "'g/L' is not a unit for wbc; use 10^9/L"),
    ("measurements", {"date": "2025-01-02"}, "",
     "validation.measurement.needs_size", "needs height_cm or weight_kg"),
    ("measurements", {"date": "2025-01-02", "weight_kg": 500}, "weight_kg",
     "validation.number.le", "must be <= 400"),
    ("assessments", {"kind": "icans", "date": "2025-01-02", "findings": {
        "ice_score": 9, "ice_items": {"orientation": 4, "naming": 3, "commands": 1,
                                      "writing": 1, "attention": 1}}},
     "findings.ice_score", "validation.icans.ice_sum",
     "is 9 but the ICE items add up to 10"),
    ("patient", {"mrn": "V-1", "name": "A\x1bB", "diagnosis": "B-ALL"}, "name",
     "validation.text.refused_character",
     "contains a control character (U+001B) at position 2; remove it"),
    ("patient", {"mrn": "", "name": "A", "diagnosis": "B-ALL"}, "mrn",
     "validation.text.empty", "must not be empty"),
])
def test_item_problems(kind: str, item: dict[str, Any], path: str, code: str,
                       english: str) -> None:
    obj, problems = parse_item(kind, item)
    assert obj is None
    assert [(p.path, p.code, p.message) for p in problems] == [(path, code, english)]


def test_a_problem_without_a_path_is_its_message() -> None:
    _, problems = parse_record([])
    assert [p.path for p in problems] == [""]
    assert problems[0].line is problems[0].message
    assert str(problems[0]) == "the file must hold one JSON object (a hemalog record)"


def test_error_lines_hold_messages_and_keep_the_english_text() -> None:
    problems = _problems().values()
    error = HemalogError([p.line for p in problems])
    assert all(isinstance(line, Msg) for line in error.lines)
    assert str(error) == "\n".join(f"{p.path}: {p.message}" for p in problems)
    assert lang.render_lines(error.lines, lang.EN) == str(error)


def test_messages_survive_pickling() -> None:
    problem = _problems()["courses[0].drugs[0].dose"]
    again = pickle.loads(pickle.dumps(problem))
    assert again == problem and again.code == problem.code and again.params == problem.params


def test_refusals_and_password_rules_are_messages() -> None:
    with pytest.raises(PermissionDenied) as denied:
        check(Role.NURSE, "void", "assessments")
    line = denied.value.lines[0]
    assert line == "only a physician may void assessments"
    assert line.code == "validation.permission.only_role"
    assert [str(accounts.denied(*rule)) for rule in accounts.RULES] == [
        "only a physician may void assessments", "only an admin may manage users",
        "only an admin may restore the database", "only an admin may back up the database"]
    too_short, spaces = password_problems(" short")
    assert (too_short, too_short.code) == ("password: at least 8 characters",
                                           "validation.password.too_short")
    assert too_short.params == {"count": 8}
    assert spaces.code == "validation.password.spaces"
    [named] = name_problems("user name", "nina\u202e")
    assert named == ("user name: contains a bidirectional control character (U+202E) at "
                     "position 5; remove it")
    assert named.params["path"].code == "validation.field.user_name"
    [option] = name_problems("--user", "nina\x07")
    assert option.params["path"] == "--user"  # an option's name is kept as typed


def test_undecodable_argument_names_the_argument() -> None:
    problem = plain_text.undecodable_problem("MRN", "A\udcff")
    assert problem == "MRN: not valid text (byte 0xff); use only characters that are valid UTF-8"
    assert problem.code == "validation.argument.undecodable_byte"
    assert problem.params == {"what": "MRN", "byte": "ff"}


def _store(user: str = "phil") -> Any:
    return SimpleNamespace(role=Role.PHYSICIAN, user=user)


@pytest.mark.parametrize(("signature", "code", "english"), [
    (None, "validation.signature.missing",
     "a signature is needed: voiding an item asks for the signer's password again"),
    ({"by": "phil", "meaning": "", "at": "now"}, "validation.signature.incomplete",
     "a signature is needed: voiding an item needs who signed, the meaning and when"),
    ({"by": "nina", "meaning": "void", "at": "now"}, "validation.signature.other_user",
     "a signature is needed: signed by nina, but phil is signed in"),
])
def test_signature_refusals_are_messages(signature: Any, code: str, english: str) -> None:
    with pytest.raises(HemalogError) as refused:
        _check_signature(_store(), "labs", "void", signature)
    [line] = refused.value.lines
    assert (line, line.code) == (english, code)


def test_every_validation_template_is_declared_once_with_a_validation_code() -> None:
    declared = [t for t in templates().values() if t.context == "validation"]
    mine = {m.__name__ for m in (schema, record_schema, plain_text, accounts)}
    assert mine  # importing the modules declared them
    assert len(declared) >= 70
    for template in declared:
        assert template.code.startswith("validation."), template
    # Every Chinese wording must use the same fields: checked by scripts/i18n.py check.
    assert placeholders(schema.LINE.english) == {"path", "message"}


# --- Chinese (pass once the validation translations are in the catalogue) ----------

def test_record_problems_in_chinese_keep_the_path() -> None:
    problems = list(_problems().values())
    text = lang.render_lines([p.line for p in problems], ZH).splitlines()
    shown = dict(zip((p.path for p in problems), text))
    assert shown["courses[0].drugs[0].dose"] == "courses[0].drugs[0].dose：必须大于 0"
    assert shown["labs[0].value"] == "labs[0].value：必须是数字，而不是文本"
    assert shown["patient.sex"] == ("patient.sex：必须是以下之一：male、female、other、unknown；"
                                    "实际为 'x'")
    assert shown["patient.birth_date"] == "patient.birth_date：不是有效的日历日期：2025-02-30"
    assert shown["patient.colour"].startswith("patient.colour：未知的键（已知的键：mrn、name")


def test_refusals_in_chinese() -> None:
    with pytest.raises(PermissionDenied) as denied:
        check(Role.NURSE, "void", "assessments")
    assert lang.render_lines(denied.value.lines, ZH) == "只有医师可以作废评估"
    assert lang.render(accounts.denied("backup", "database"), ZH) == "只有管理员可以备份数据库"
    assert lang.render_lines(password_problems(" short"), ZH) == (
        "密码：至少 8 个字符\n密码：开头和结尾不能有空格")
    [named] = name_problems("user name", "nina\x1b")
    assert lang.render(named, ZH) == "用户名：第 5 个字符是控制字符（U+001B）；请删除"
    with pytest.raises(HemalogError) as refused:
        _check_signature(_store(), "assessments", "update", None)
    assert lang.render_lines(refused.value.lines, ZH) == (
        "需要签名：更正已分级的评估需要签名人再次输入密码")
