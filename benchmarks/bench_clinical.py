"""Grading 100,000 random findings per kind (< 1 s each) and deriving a 20,000-lab summary (< 50 ms)."""

from __future__ import annotations

import json
import random
from typing import Any

from benchmarks.harness import benchmark
from benchmarks.synthetic import record_with_labs
from clinical.derive import derive
from clinical.grading.agvhd import grade_agvhd
from clinical.grading.cgvhd import grade_cgvhd
from clinical.grading.crs import grade_crs
from clinical.grading.icans import grade_icans
from clinical.record_schema import CGVHD_ORGANS, OXYGEN_DEVICES, parse_record


def _crs(rng: random.Random) -> dict[str, Any]:
    device = rng.choice(OXYGEN_DEVICES)
    f: dict[str, Any] = {"temperature_c": round(rng.uniform(36, 41), 1),
                         "fever_other_cause": rng.random() < 0.1,
                         "fever_masked": rng.random() < 0.2, "hypotension": rng.random() < 0.3,
                         "vasopressors": rng.sample(["norepinephrine", "vasopressin", "dopamine",
                                                     "phenylephrine"], rng.randint(0, 2)),
                         "oxygen_device": device}
    if device == "nasal_cannula":
        f["oxygen_l_min"] = rng.randint(1, 10)
    return f


def _icans(rng: random.Random) -> dict[str, Any]:
    return {"ice_score": rng.randint(0, 10),
            "consciousness": rng.choice(["alert", "awakens_spontaneously", "awakens_to_voice",
                                         "awakens_to_touch", "unarousable"]),
            "seizure": rng.choice(["none", "none", "rapidly_resolving", "life_threatening"]),
            "motor": rng.choice(["none", "none", "deep_focal_weakness"]),
            "cerebral_edema": rng.choice(["none", "none", "focal", "diffuse"])}


def _agvhd(rng: random.Random) -> dict[str, Any]:
    rash = rng.choice([0, 10, 30, 60, 90])
    return {"skin_rash_bsa_pct": rash, "skin_bullae": rash > 50 and rng.random() < 0.2,
            "bilirubin_mg_dl": round(rng.uniform(0.2, 20), 2),
            "upper_gi_persistent": rng.random() < 0.3, "stool_ml_day": rng.randint(0, 2500),
            "severe_abdominal_pain": rng.random() < 0.05, "bloody_stool": rng.random() < 0.05}


def _cgvhd(rng: random.Random) -> dict[str, Any]:
    return {organ: rng.choice([0, 0, 0, 1, 2, 3]) for organ in CGVHD_ORGANS}


def _findings(make: Any) -> Any:
    def setup(quick: bool) -> list[dict[str, Any]]:
        rng = random.Random(42)
        return [make(rng) for _ in range(10_000 if quick else 100_000)]
    return setup


for _name, _make, _grade in (("CRS", _crs, grade_crs), ("ICANS", _icans, grade_icans),
                             ("acute GVHD", _agvhd, grade_agvhd),
                             ("chronic GVHD", _cgvhd, grade_cgvhd)):
    def _body(findings: list[dict[str, Any]], grade: Any = _grade) -> None:
        for f in findings:
            grade(f)
    benchmark(f"grade 100,000 {_name} findings", setup=_findings(_make), target=1.0)(_body)


def _derive_setup(quick: bool) -> Any:
    record, problems = parse_record(json.loads(json.dumps(record_with_labs(20_000))))
    assert not problems
    return record


@benchmark("derive summary, 20,000-lab patient (CTCAE per lab, roll-ups)", setup=_derive_setup,
           target=0.05)
def _derive(record: Any) -> None:
    derive(record).summary()
