"""Deterministic synthetic cohorts: a ward (200 patients, ~1 year each) and a hospital
(5,000 patients, ~3 years each: several million lab rows).

Built once from a seed and cached under benchmarks/cache/ (the file name carries
the generator version, so a changed generator rebuilds).
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from clinical.record import (
    Assessment, AssessmentKind, Event, EventType, Lab, LabTest, MarrowResult,
    Measurement, MrdMethod, Patient, Record, Sex,
)
from storage.repository import SqliteStore
from storage.templates import load_templates

GENERATOR_VERSION = 1
CACHE = Path(__file__).resolve().parent / "cache"
COHORTS = {"mini": (20, 180), "ward": (200, 365), "hospital": (5000, 3 * 365)}
LARGEST_MRN = "SYN-LARGEST"

_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Smith", "Garcia", "Müller", "Rossi", "Kim",
             "王", "李", "张", "刘", "陈"]
_GIVEN = ["Wei", "Fang", "Min", "Jing", "Anna", "John", "Maria", "Lukas", "Sara", "Hyun",
          "伟", "芳", "敏", "静"]
_DIAGNOSES = ["T-ALL/LBL", "B-ALL", "AML", "DLBCL", "MDS", "MCL", "CLL"]


def synthetic_record(index: int, days: int, *, seed: int = 7, daily: bool = False,
                     courses: int | None = None) -> Record:
    """One patient's course: treatment cycles, counts (daily in treatment weeks,
    weekly otherwise, or every day when ``daily``), marrows, gradings, transfusions."""
    rng = random.Random(seed * 1_000_003 + index)
    templates, _ = load_templates()
    start = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 365))
    name = f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}"
    patient = Patient(mrn=LARGEST_MRN if index < 0 else f"SYN-{index:05d}",
                      name=name, sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                      age_at_diagnosis=rng.randint(18, 80), diagnosis=rng.choice(_DIAGNOSES),
                      diagnosis_date=start)
    height = rng.randint(150, 190)
    measurements = tuple(Measurement(date=start + timedelta(days=q), height_cm=height,
                                     weight_kg=round(rng.uniform(45, 95), 1))
                         for q in range(0, days, 90))
    n_courses = courses if courses is not None else max(2, days // 60)
    chemo = [t for t in templates if t.course.category.value in ("chemotherapy",)]
    course_list, treatment_days = [], set()
    for c in range(n_courses):
        t = rng.choice(chemo)
        day0 = start + timedelta(days=int(c * days / n_courses) + 5)
        course_list.append(replace(t.course, start_date=day0, notes=None))
        treatment_days.update(day0 + timedelta(days=d) for d in range(21))
    events = [Event(type=EventType.DIAGNOSIS, date=start)]
    if rng.random() < 0.3 and days > 200:
        events.append(Event(type=EventType.HSCT, date=start + timedelta(days=days * 2 // 3),
                            details={"graft": "haploidentical"}))
    labs = []
    for d in range(days):
        when = start + timedelta(days=d)
        if not (daily or when in treatment_days or d % 7 == 0):
            continue
        nadir = when in treatment_days
        anc = max(0.0, rng.gauss(0.4 if nadir else 3.0, 0.3 if nadir else 1.0))
        labs += [Lab(date=when, test=LabTest.WBC, value=round(anc * 1.6 + 0.3, 2), unit="10^9/L"),
                 Lab(date=when, test=LabTest.ANC, value=round(anc, 2), unit="10^9/L"),
                 Lab(date=when, test=LabTest.HB, value=round(rng.gauss(95, 12)), unit="g/L"),
                 Lab(date=when, test=LabTest.PLT, value=round(max(2, rng.gauss(
                     25 if nadir else 160, 15 if nadir else 50))), unit="10^9/L")]
        if daily and d % 3 == 0:
            labs.append(Lab(date=when, test=LabTest.CRP, value=round(rng.uniform(1, 80), 1),
                            unit="mg/L"))
    for d in range(days):
        when = start + timedelta(days=d)
        if when in treatment_days and rng.random() < 0.15:
            events.append(Event(type=EventType.TRANSFUSION, date=when,
                                details={"product": rng.choice(["platelets", "red_cells"])}))
    marrow = tuple(MarrowResult(date=start + timedelta(days=m), blasts_pct=round(rng.uniform(0, 30), 1),
                                mrd_pct=round(rng.choice([0, 0, 0.005, 0.5, 3.2]), 3),
                                mrd_method=MrdMethod.FLOW)
                   for m in range(0, days, 90))
    assessments = tuple(
        Assessment(kind=AssessmentKind.CRS, date=start + timedelta(days=a),
                   findings={"temperature_c": round(rng.uniform(37, 40), 1),
                             "hypotension": rng.random() < 0.3,
                             "oxygen_device": rng.choice(["none", "nasal_cannula", "facemask"]),
                             "oxygen_l_min": 2})
        for a in range(30, days, 120))
    return Record(patient=patient, measurements=measurements, courses=tuple(course_list),
                  events=tuple(events), labs=tuple(labs), marrow=marrow,
                  assessments=assessments)


def largest_record(seed: int = 7, days: int = 3 * 365, courses: int = 40) -> Record:
    """Three years of daily counts and 40 courses: the patient every figure is hardest for."""
    return synthetic_record(-1, days, seed=seed, daily=True, courses=courses)


def cohort_database(name: str, *, seed: int = 7, log: bool = True) -> Path:
    """The cached database of a cohort, built on first use."""
    patients, days = COHORTS[name]
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}-v{GENERATOR_VERSION}-s{seed}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    for side in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        side.unlink(missing_ok=True)
    started = time.perf_counter()
    with SqliteStore(partial, user="cohort") as store:
        store.add_records([largest_record(seed) if name != "mini"
                           else largest_record(seed, days=days, courses=6)])
        batch = []
        for i in range(patients - 1):
            batch.append(synthetic_record(i, days, seed=seed))
            if len(batch) == 50:
                store.add_records(batch)
                batch = []
                if log:
                    print(f"  {name}: {i + 1}/{patients} patients "
                          f"({time.perf_counter() - started:.0f} s)", flush=True)
        if batch:
            store.add_records(batch)
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    return path
