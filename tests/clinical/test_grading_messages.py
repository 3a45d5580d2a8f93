"""Grading reasons and flags are structured messages (issue 15), not English sentences.

Every reason and flag the graders give is a ``Msg``: a declared template with a
stable code and named parameters; its ``str`` is the English the rules always
gave (the other grading tests pin that wording). A sweep over the findings
reaches every template the grading modules declare.

Two tests read the Chinese catalogue (resources/i18n/hemalog_zh_CN.ts) and pass
once the grading translations are merged into it:
``test_seed_case_crs_reads_in_chinese`` and ``test_every_grading_template_is_translated``.
"""

from __future__ import annotations

import ast
import copy
import json
import pickle
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import lang
from clinical.derive import derive
from clinical.grading import agvhd, cgvhd, crs, ctcae, icans, result
from clinical.grading.result import Grade, ambiguous, provisional
from clinical.messages import Msg, Seq, Template, placeholders, render
from clinical.record import AssessmentKind, Lab, LabTest
from clinical.record_schema import parse_record
from resources import DEMO_RECORD

MODULES = (result, crs, icans, agvhd, cgvhd, ctcae)


def declared(module: ModuleType) -> list[tuple[str, str, str]]:
    """(context, english, code) of every translate() call in a module's source.

    Each argument must be one string literal: that is what lupdate collects.
    """
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "translate":
            args = node.args
            assert len(args) == 3 and not node.keywords, ast.unparse(node)
            assert all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args), \
                ast.unparse(node)
            found.append(tuple(a.value for a in args))  # type: ignore[union-attr]
    return found  # type: ignore[return-value]


DECLARED = {t for m in MODULES for t in declared(m)}


def codes(value: Any) -> set[str]:
    """The codes of a message and of every message inside it."""
    if isinstance(value, Msg):
        return {value.code}.union(*(codes(v) for v in value.params.values()))
    if isinstance(value, Seq):
        return set().union(*(codes(v) for v in value.items))
    return set()


def pick(rng: random.Random, options: list[Any]) -> Any:
    return options[rng.randrange(len(options))]


def findings(rng: random.Random, choices: dict[str, list[Any]]) -> dict[str, Any]:
    """One value per key (None: the key is left out, i.e. not assessed)."""
    out = {k: pick(rng, v) for k, v in choices.items()}
    return {k: v for k, v in out.items() if v is not None}


PRESSORS = ["norepinephrine", "epinephrine", "phenylephrine", "dopamine", "vasopressin",
            "angiotensin ii", "Dopamine ", "metaraminol"]
CRS = {"temperature_c": [None, 37.9, 37.94, 37.95, 38.0, 38.5], "fever_other_cause": [None, True, False],
       "fever_masked": [None, True, False], "hypotension": [None, True, False],
       "vasopressors": [None, [], ["dopamine"], ["vasopressin"], ["norepinephrine", "vasopressin"],
                        ["phenylephrine", "metaraminol", "angiotensin ii"], "epinephrine"],
       "oxygen_device": [None, "none", "blow_by", "nasal_cannula", "facemask", "non_rebreather",
                         "venturi", "cpap", "bipap", "mechanical_ventilation"],
       "oxygen_l_min": [None, 2, 6, 6.04, 6.05, 7], "fatal": [None, False, False, False, True]}
ICANS = {"ice_score": [None, *range(11)],
         "consciousness": [None, "alert", "awakens_spontaneously", "awakens_to_voice",
                           "awakens_to_touch", "unarousable"],
         "seizure": [None, "none", "rapidly_resolving", "life_threatening"],
         "motor": [None, "none", "deep_focal_weakness"],
         "cerebral_edema": [None, "none", "focal", "diffuse"], "fatal": [None, False, False, True]}
AGVHD = {"skin_rash_bsa_pct": [None, 0, 10, 24.6, 25, 50, 50.4, 60], "skin_bullae": [None, False, True],
         "bilirubin_mg_dl": [None, 1, 2.0, 3.04, 3.05, 5, 10, 20],
         "bilirubin_umol_l": [None, None, None, 52, 120], "upper_gi_persistent": [None, True, False],
         "severe_abdominal_pain": [None, False, False, True], "bloody_stool": [None, False, False, True],
         "stool_ml_kg_day": [None, None, 5, 15, 19.95, 25, 35],
         "stool_ml_day": [None, 300, 600, 999.5, 1200, 1500.4, 2000],
         "stool_episodes_day": [None, 2, 4, 6, 9]}


def sweep() -> Iterator[Grade]:
    """Grades over a fixed, seeded sweep of findings (bad combinations are skipped)."""
    rng = random.Random(15)
    for _ in range(600):
        yield crs.grade_crs(findings(rng, CRS))
        yield icans.grade_icans(findings(rng, ICANS), age_years=pick(rng, [None, 5, 12.5, 30]),
                                capd_score=pick(rng, [None, 0, 4, 9]))
        try:
            yield agvhd.grade_agvhd(findings(rng, AGVHD))
        except Exception:  # noqa: BLE001 - bullae without a rash over 50%: refused, not graded
            pass
        scores = findings(rng, {o: [None, 0, 0, 1, 1, 2, 3] for o in cgvhd.ORGANS})
        yield cgvhd.grade_cgvhd(
            scores, lung_fev1_pct=pick(rng, [None, None, 85, 79.5, 79.4, 45, 30]),
            lung_symptom_score=pick(rng, [None, 0, 1, 2, 3]),
            excluded_organs=pick(rng, [(), (), ("liver",), ("eyes", "lungs")]),
            version=pick(rng, list(cgvhd.VERSIONS)))
    # Rarer paths, named.
    yield crs.grade_crs({"fever_masked": True, "temperature_c": 37.0, "hypotension": False,
                         "vasopressors": [], "oxygen_device": "none"})
    yield icans.grade_icans({"consciousness": "alert"})
    yield icans.grade_icans({"ice_score": 0, "consciousness": "unarousable"}, age_years=12.5)
    yield agvhd.grade_agvhd({})
    yield agvhd.grade_agvhd({"skin_rash_bsa_pct": 0, "bilirubin_mg_dl": 1,
                             "upper_gi_persistent": False, "stool_ml_day": 100})
    # Every number word: three to seven non-lung organs scoring 1.
    others = [o for o in cgvhd.ORGANS if o != "lungs"]
    for n in range(3, len(others) + 1):
        yield cgvhd.grade_cgvhd({o: int(i < n) for i, o in enumerate(others)} | {"lungs": 0})
    for test in ("anc", "plt", "wbc", "alc", "hb"):
        for value in (0.05, 0.3, 0.5, 1.0, 1.2, 1.7, 2.5, 20, 60, 79, 95, 130):
            for lln in (None, 1.8, 150):
                for version in ctcae.VERSIONS:
                    yield ctcae.grade_count(test, value, lln, version=version)
    yield ctcae.grade_count("hb", 4.5, None, unit="mmol/L")
    yield ctcae.grade_count("hb", 9.0, None, unit="mmol/L")
    yield ctcae.grade_count("hb", 95, 120, transfusion_indicated=True)
    for anc in (0.3, 2):
        for temp in (None, 37.5, 38.1, 38.4):
            for minutes in (None, 30, 61):
                yield ctcae.febrile_neutropenia(anc, temp, minutes)
    labs = [Lab(date=date(2025, 4, d), test=LabTest.ANC, value=v, unit="10^9/L", lln=lln)
            for d, v, lln in ((1, 1.7, None), (2, 1.9, 1.8), (3, 0.4, None), (4, 1.7, None))]
    for chosen in (labs, labs[:1], labs[1:2], labs[:2]):
        for start, end in ((None, None), (date(2025, 4, 1), date(2025, 4, 30))):
            yield ctcae.worst_grade(chosen, "anc", start, end)
    for test in ("plt", "wbc", "alc", "hb"):
        yield ctcae.worst_grade(labs, test, None, None)


GRADES = list(sweep())


def lab_reasons() -> list[Msg]:
    out = []
    for test in (LabTest.ANC, LabTest.PLT, LabTest.HB):
        for value in (0.3, 1.2, 1.7, 20, 90, 130):
            for lln in (None, 1.0, 1.8, 150):
                found = ctcae.lab_ctcae(test, value, lln)
                assert found is not None
                out.append(found.reason())
    return out


LAB_REASONS = lab_reasons()


@pytest.fixture(scope="module")
def seed_crs() -> Msg:
    record, problems = parse_record(json.loads(DEMO_RECORD.read_text(encoding="utf-8")))
    assert problems == [] and record is not None
    reason = derive(record).max_grades[AssessmentKind.CRS].reason
    assert isinstance(reason, Msg)
    return reason


def test_every_reason_and_flag_is_a_message_with_a_code() -> None:
    for g in GRADES:
        for text in (g.reason, *g.flags):
            assert isinstance(text, Msg), (type(text), text)
            assert text.code and "." in text.code
            # The English is the message's own English rendering, nested parts included.
            assert str(text) == render(text)
    for reason in LAB_REASONS:
        assert isinstance(reason, Msg) and str(reason) == render(reason)


def test_flags_keep_their_ambiguous_and_provisional_prefixes() -> None:
    flags = [f for g in GRADES for f in g.flags]
    assert {f.code for f in flags} == {"grading.ambiguous", "grading.provisional"}
    for f in flags:
        prefix = "ambiguous: " if f.code == "grading.ambiguous" else "provisional: "
        assert f.startswith(prefix)
    assert ambiguous("a choice") == "ambiguous: a choice"
    assert provisional("oxygen not assessed") == "provisional: oxygen not assessed"


def test_the_sweep_reaches_every_declared_template() -> None:
    reached = set().union(*(codes(t) for g in GRADES for t in (g.reason, *g.flags)),
                          *(codes(r) for r in LAB_REASONS))
    # Vasopressin is on the known list but never named as "the" vasopressor.
    vocabulary_only = {"term.vasopressor.vasopressin"}
    assert {code for _, _, code in DECLARED} - reached == vocabulary_only


def test_templates_are_literal_with_unique_codes_and_contexts() -> None:
    by_code: dict[str, tuple[str, str]] = {}
    for context, english, code in DECLARED:
        assert context in ("clinical", "term"), code
        assert by_code.setdefault(code, (context, english)) == (context, english), code
        assert code.startswith("term.") == (context == "term"), code


def test_because_is_the_reason_without_its_prefix() -> None:
    for g in GRADES:
        if ": " in g.reason:
            assert g.because == g.reason.split(": ", 1)[1]
            assert isinstance(g.because, Msg), g.reason
        else:
            assert g.because == g.reason
    plain = Grade(1, "test", "grade 1: typed text")
    assert plain.because == "typed text"


def test_grade_reason_names_the_deciding_clause() -> None:
    g = crs.grade_crs({"temperature_c": 39.0, "hypotension": True, "vasopressors": ["dopamine"],
                       "oxygen_device": "none"})
    assert g.reason == "grade 3: one vasopressor (dopamine)"
    assert g.reason.code == "grading.grade" and g.reason.params["grade"] == 3
    because = g.because
    assert isinstance(because, Msg) and because.code == "crs.one_vasopressor"
    drug = because.params["drug"]
    assert isinstance(drug, Msg) and drug.template.context == "term"
    assert drug.code == "term.vasopressor.dopamine"


def test_known_vasopressors_are_terms_and_typed_names_stay_as_typed() -> None:
    g = crs.grade_crs({"temperature_c": 39.0, "hypotension": True, "oxygen_device": "none",
                       "vasopressors": ["Norepinephrine", "metaraminol"]})
    assert g.reason == "grade 4: 2 vasopressors excluding vasopressin (norepinephrine, metaraminol)"
    drugs = g.because.params["drugs"]  # type: ignore[attr-defined]
    known, typed = drugs.items
    assert isinstance(known, Msg) and known.code == "term.vasopressor.norepinephrine"
    assert type(typed) is str and typed == "metaraminol"


def test_vocabulary_parameters_are_terms() -> None:
    g = agvhd.grade_agvhd({"skin_rash_bsa_pct": 60, "bilirubin_mg_dl": 1, "upper_gi_persistent": False})
    organ = g.because.params["text"].params["organ"]  # type: ignore[attr-defined]
    assert organ.template.context == "term" and organ == "skin"
    assert g.reason == "grade II: skin stage 3 (rash 60% BSA, >50%); lower GI not assessed"
    count = ctcae.grade_count("anc", 0.3, None)
    term = count.because.params["term"]  # type: ignore[attr-defined]
    assert term.template.context == "term" and term == "Neutrophil count decreased"
    assert count.details["term"] == "Neutrophil count decreased"


@pytest.mark.parametrize("index", [0, 1, 2, 3, len(GRADES) // 2, len(GRADES) - 1])
def test_grade_pickles_and_copies(index: int) -> None:
    g = GRADES[index]
    for other in (pickle.loads(pickle.dumps(g)), copy.copy(g), copy.deepcopy(g)):
        assert other == g
        for mine, theirs in zip((g.reason, *g.flags), (other.reason, *other.flags), strict=True):
            assert isinstance(theirs, Msg) and theirs.code == mine.code  # type: ignore[attr-defined]
            assert theirs.params == mine.params  # type: ignore[attr-defined]
            assert lang.render(theirs, lang.ZH) == lang.render(mine, lang.ZH)


def test_seed_case_reason_pickles(seed_crs: Msg) -> None:
    again = pickle.loads(pickle.dumps(seed_crs))
    assert again == seed_crs == "grade 3: one vasopressor (dopamine)"
    assert codes(again) == codes(seed_crs)


# -- these two read the merged Chinese catalogue ---------------------------------------------

def test_seed_case_crs_reads_in_chinese(seed_crs: Msg) -> None:
    zh = lang.render(seed_crs, lang.ZH)
    assert "多巴胺" in zh and "3级" in zh, zh
    assert zh == "3级：使用一种血管活性药物（多巴胺）"
    assert lang.render(seed_crs, lang.EN) == "grade 3: one vasopressor (dopamine)"


def test_every_grading_template_is_translated() -> None:
    catalogue = lang.catalogue(lang.ZH)
    assert catalogue is not None
    untranslated = []
    for context, english, code in sorted(DECLARED):
        wording = catalogue.wording(Template(code, context, english))
        if not wording or placeholders(wording) != placeholders(english):
            untranslated.append(code)
    assert untranslated == []
