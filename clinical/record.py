"""The patient record as typed, immutable Python objects.

Names follow docs/record-format.md: the GUI, the database and the JSON
file describe the same things with the same words. Stored items carry the
database ``id`` and a ``version`` (for optimistic locking); both are None/0 for
an item that has not been saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

FORMAT_NAME = "hemalog.record"
FORMAT_VERSION = 1


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"
    UNKNOWN = "unknown"


class Marker(StrEnum):
    POS = "pos"
    NEG = "neg"
    PARTIAL = "partial"
    WEAK = "weak"


class CourseCategory(StrEnum):
    CHEMOTHERAPY = "chemotherapy"
    LYMPHODEPLETION = "lymphodepletion"
    CONDITIONING = "conditioning"
    GVHD_PROPHYLAXIS = "gvhd_prophylaxis"
    CELLULAR_THERAPY = "cellular_therapy"
    TARGETED = "targeted"
    SUPPORTIVE = "supportive"
    OTHER = "other"


class DayReference(StrEnum):
    COURSE_START = "course_start"
    HSCT = "hsct"
    CART_INFUSION = "cart_infusion"


class DoseUnit(StrEnum):
    MG_M2 = "mg/m2"
    G_M2 = "g/m2"
    MG_KG = "mg/kg"
    MG = "mg"
    G = "g"
    CELLS_KG = "cells/kg"
    CELLS = "cells"
    UNITS_M2 = "units/m2"
    UNITS = "units"


class EventType(StrEnum):
    DIAGNOSIS = "diagnosis"
    CART_INFUSION = "cart_infusion"
    HSCT = "hsct"
    PET_CT = "pet_ct"
    TRANSFUSION = "transfusion"
    INFECTION = "infection"
    ENGRAFTMENT_CONFIRMED = "engraftment_confirmed"
    RELAPSE = "relapse"
    DEATH = "death"
    LAST_FOLLOW_UP = "last_follow_up"
    OTHER = "other"


class LabTest(StrEnum):
    WBC = "wbc"
    ANC = "anc"
    ALC = "alc"
    PLT = "plt"
    HB = "hb"
    CRP = "crp"
    FERRITIN = "ferritin"
    IL6 = "il6"
    BILIRUBIN = "bilirubin"
    CREATININE = "creatinine"
    CAR_T_PCT = "car_t_pct"
    TCR_PCT = "tcr_pct"


class MrdMethod(StrEnum):
    FLOW = "flow"
    PCR = "pcr"
    NGS = "ngs"


class AssessmentKind(StrEnum):
    CRS = "crs"
    ICANS = "icans"
    AGVHD = "agvhd"
    CGVHD = "cgvhd"


@dataclass(frozen=True, kw_only=True)
class Patient:
    mrn: str
    name: str
    sex: Sex = Sex.UNKNOWN
    birth_date: date | None = None
    age_at_diagnosis: int | None = None
    diagnosis: str
    diagnosis_date: date | None = None
    immunophenotype: dict[str, Marker] = field(default_factory=dict)
    notes: str | None = None
    id: int | None = None
    version: int = 0


class PatientSummary(NamedTuple):
    """What a list of patients shows: enough to find one and open its record."""
    id: int
    mrn: str
    name: str
    diagnosis: str


@dataclass(frozen=True, kw_only=True)
class Measurement:
    date: date
    height_cm: float | None = None
    weight_kg: float | None = None
    id: int | None = None
    version: int = 0


@dataclass(frozen=True, kw_only=True)
class DrugLine:
    drug: str
    dose: float
    unit: DoseUnit
    days: tuple[int, ...]
    doses_per_day: int = 1
    route: str | None = None
    id: int | None = None
    version: int = 0


@dataclass(frozen=True, kw_only=True)
class Course:
    name: str
    category: CourseCategory = CourseCategory.OTHER
    start_date: date | None = None
    day_reference: DayReference = DayReference.COURSE_START
    drugs: tuple[DrugLine, ...] = ()
    notes: str | None = None
    id: int | None = None
    version: int = 0


@dataclass(frozen=True, kw_only=True)
class Event:
    type: EventType
    date: date
    details: dict[str, Any] = field(default_factory=dict)
    notes: str | None = None
    id: int | None = None
    version: int = 0


@dataclass(frozen=True, kw_only=True)
class Lab:
    """One lab value, always in the test's stored unit (the first in the spec)."""

    date: date
    test: LabTest
    value: float
    unit: str
    lln: float | None = None
    uln: float | None = None
    id: int | None = None
    version: int = 0


@dataclass(frozen=True, kw_only=True)
class MarrowResult:
    date: date
    blasts_pct: float | None = None
    mrd_pct: float | None = None
    mrd_method: MrdMethod | None = None
    mrd_lod_pct: float | None = None
    cellularity_pct: float | None = None
    donor_chimerism_pct: float | None = None
    fibrosis_grade: str | None = None
    karyotype: str | None = None
    notes: str | None = None
    id: int | None = None
    version: int = 0


@dataclass(frozen=True, kw_only=True)
class Assessment:
    kind: AssessmentKind
    date: date
    findings: dict[str, Any] = field(default_factory=dict)
    notes: str | None = None
    id: int | None = None
    version: int = 0


@dataclass(frozen=True, kw_only=True)
class Record:
    """One patient's whole record, lists in their recorded order."""

    patient: Patient
    measurements: tuple[Measurement, ...] = ()
    courses: tuple[Course, ...] = ()
    events: tuple[Event, ...] = ()
    labs: tuple[Lab, ...] = ()
    marrow: tuple[MarrowResult, ...] = ()
    assessments: tuple[Assessment, ...] = ()


# Item kinds stored in per-patient lists, in the order the record lists them.
ITEM_KINDS: dict[str, type] = {
    "measurements": Measurement,
    "courses": Course,
    "events": Event,
    "labs": Lab,
    "marrow": MarrowResult,
    "assessments": Assessment,
}
