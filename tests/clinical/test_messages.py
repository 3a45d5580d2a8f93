"""Structured messages: English as the rules always said it, other languages by code."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

import lang
from clinical.messages import Msg, Seq, msg, placeholders, render, translate

GRADE = translate("clinical", "grade {grade}: {because}", "test.grade_because")
PRESSOR = translate("clinical", "one vasopressor ({drug})", "test.one_pressor")
DOPAMINE = translate("term", "dopamine", "test.term.dopamine")
ZH = {"test.grade_because": "{grade}级：{because}", "test.one_pressor": "使用一种血管活性药物（{drug}）",
      "test.term.dopamine": "多巴胺"}


def zh_lookup(template):  # the catalogue's role, in miniature
    return ZH.get(template.code)


def seed_reason() -> Msg:
    return msg(GRADE, grade=3, because=msg(PRESSOR, drug=msg(DOPAMINE)))


def test_the_english_is_the_string_value() -> None:
    reason = seed_reason()
    assert reason == "grade 3: one vasopressor (dopamine)"
    assert isinstance(reason, str) and reason.startswith("grade 3")
    assert reason.code == "test.grade_because" and reason.params["grade"] == 3


def test_rendered_by_code_in_another_language() -> None:
    zh_seps = lang.separators(lang.ZH)
    assert render(seed_reason(), zh_lookup, zh_seps) == "3级：使用一种血管活性药物（多巴胺）"


def test_typed_data_is_never_translated() -> None:
    typed = msg(PRESSOR, drug="my own pressor")
    assert render(typed, zh_lookup) == "使用一种血管活性药物（my own pressor）"


def test_sequences_use_the_readers_joining_words() -> None:
    both = Seq([msg(DOPAMINE), "vasopressin"], "and")
    assert str(both) == "dopamine and vasopressin"
    assert render(both, zh_lookup, lang.separators(lang.ZH)) == "多巴胺且vasopressin"
    with pytest.raises(ValueError):
        Seq([], "plus")


def test_a_translation_missing_a_field_falls_back_to_english() -> None:
    broken = {"test.one_pressor": "使用一种血管活性药物"}  # {drug} lost: the reason would hide it
    assert render(msg(PRESSOR, drug="x"), lambda t: broken.get(t.code)) == "one vasopressor (x)"


def test_a_missing_parameter_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="drug"):
        msg(PRESSOR)


def test_a_code_declared_twice_with_other_text_is_refused() -> None:
    assert translate("clinical", "one vasopressor ({drug})", "test.one_pressor") == PRESSOR
    with pytest.raises(ValueError, match="declared twice"):
        translate("clinical", "two vasopressors ({drug})", "test.one_pressor")


def test_survives_json_pickle_and_copy() -> None:
    reason = seed_reason()
    assert json.loads(json.dumps({"reason": reason}))["reason"] == str(reason)
    for clone in (pickle.loads(pickle.dumps(reason)), copy.deepcopy(reason), copy.copy(reason)):
        assert clone == reason and clone.code == reason.code
        assert render(clone, zh_lookup, lang.separators(lang.ZH)) == "3级：使用一种血管活性药物（多巴胺）"


def test_placeholders() -> None:
    assert placeholders("grade {grade}: {because}") == {"grade", "because"}
    assert placeholders("no fields") == set()


@pytest.mark.parametrize(("value", "expected"), [
    ("zh_CN", "zh_CN"), ("zh-CN.UTF-8", "zh_CN"), ("zh", "zh_CN"), ("Chinese", "zh_CN"),
    ("en_GB.UTF-8", "en"), ("C", "en"), ("en", "en"), ("fr_FR", None), ("", None), (None, None),
])
def test_language_names_are_normalised(value: str | None, expected: str | None) -> None:
    assert lang.normalise(value) == expected


def test_the_language_is_chosen_explicit_then_environment_then_system(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "HEMALOG_LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert lang.choose() == "zh_CN"
    monkeypatch.setenv("HEMALOG_LANG", "en")
    assert lang.choose() == "en"
    assert lang.choose("zh_CN") == "zh_CN"
    monkeypatch.setenv("HEMALOG_LANG", "klingon")  # not a language we have: ignored
    assert lang.choose() == "zh_CN"


def test_the_catalogue_reader_skips_unfinished_translations(tmp_path) -> None:
    ts = tmp_path / "x.ts"
    ts.write_text("""<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1">
<context><name>Report</name>
<message><source>Key facts</source><translation>关键信息</translation></message>
<message><source>Timeline</source><translation type="unfinished">时间线</translation></message>
<message><source>Grade</source><comment>g.x</comment><translation>分级</translation></message>
</context></TS>""", encoding="utf-8")
    found = lang.Catalogue.load(ts)
    assert found.get("Report", "Key facts") == "关键信息"
    assert found.get("Report", "Timeline") is None
    assert found.get("Report", "Grade", "g.x") == "分级" and found.get("Report", "Grade") is None
