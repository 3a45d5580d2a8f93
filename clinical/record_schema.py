"""Parse and validate a record document (or one item of it) into objects.

``parse_record`` returns every problem at once, each with its JSON path. The
item parsers (``parse_item``) serve the forms: one item, the same rules.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clinical.messages import Msg, Seq, msg, translate
from clinical.record import (
    FORMAT_NAME, FORMAT_VERSION, Assessment, AssessmentKind, Course, CourseCategory,
    DayReference, DoseUnit, DrugLine, Event, EventType, Lab, LabTest, Marker,
    MarrowResult, Measurement, MrdMethod, Patient, Record, Sex,
)
from clinical.schema import (
    INVALID, ONE_OF, REQUIRED, UNKNOWN_KEY, Field, Parser, Problem, Problems, boolean,
    enum_of, integer, iso_date, join, list_of, number, parse_object, string_map, text,
)
from clinical.units import LAB_UNITS, PERCENT_TESTS, to_stored_unit

__all__ = ["parse_record", "parse_item", "DERIVED_KEYS", "MAX_ITEMS", "MAX_DRUG_LINES"]

# Problems that involve the record's own rules (the general ones are in clinical.schema).
# Each follows the path of the field it is about; field keys in the text stay English.
BEFORE_BIRTH = translate("validation", "is before the birth date",
                         "validation.patient.before_birth")
NEEDS_SIZE = translate("validation", "needs height_cm or weight_kg",
                       "validation.measurement.needs_size")
SAME_DAY_TWICE = translate("validation", "lists the same day twice", "validation.drug.same_day")
TOO_MANY_DRUGS = translate("validation", "{count} items; at most {limit} per course",
                           "validation.course.too_many_drugs")
START_DATE_NEEDED = translate("validation", "is required when days count from the course start",
                              "validation.course.start_date_needed")
NOT_A_UNIT = translate("validation", "{unit} is not a unit for {test}; use {units}",
                       "validation.lab.unit")
NOT_A_PERCENTAGE = translate("validation", "must be <= {limit} (a percentage)",
                             "validation.lab.percentage")
LLN_ABOVE_ULN = translate("validation", "is above uln", "validation.lab.lln_above_uln")
BELOW_DETECTION = translate("validation", "{mrd} % is below the assay's limit of detection ({lod} %, mrd_lod_pct): an assay cannot report a value it cannot detect; enter 0 for not detected, or check the limit on the report", "validation.marrow.below_detection")
FLOW_NEEDED = translate("validation", "is required with a nasal cannula",
                        "validation.crs.flow_needed")
ICE_SUM = translate("validation", "is {score} but the ICE items add up to {total}",
                    "validation.icans.ice_sum")
BULLAE = translate("validation", "bullae are stage 4 only with a rash over 50% of the body surface", "validation.agvhd.bullae")
BILIRUBIN_UNITS = translate("validation", "give bilirubin in one unit only (mg/dL or µmol/L)",
                            "validation.agvhd.bilirubin_units")
TOO_MANY_ITEMS = translate("validation", "{count} items; at most {limit} per record",
                           "validation.record.too_many_items")
NOT_A_RECORD = translate("validation", "the file must hold one JSON object (a hemalog record)",
                         "validation.record.not_object")
WRONG_FORMAT = translate("validation", "must be {expected}; got {value}",
                         "validation.record.format")
WRONG_VERSION = translate("validation", "must be {version} (this hemalog reads version {version}); got {value}", "validation.record.version")
NOT_A_LIST = translate("validation", "must be a list", "validation.record.not_list")


def one_of(*values: str) -> Parser:
    """A string from a fixed list, kept as a plain string (for details/findings)."""
    def parse(value: Any, path: str, problems: Problems) -> Any:
        if value not in values or not isinstance(value, str):
            problems.add(path, msg(ONE_OF, allowed=Seq(values, "comma"), value=repr(value)))
            return INVALID
        return value
    return parse


def percent() -> Parser:
    return number(ge=0, le=100)


# Keys written by export and ignored by import.
DERIVED_KEYS = {
    "record": frozenset({"summary"}),
    "drug": frozenset({"computed", "warnings"}),
    "marrow": frozenset({"mrd_negative", "chimerism", "flags"}),
    "lab": frozenset({"ctcae"}),
    "assessment": frozenset({"grade", "stages", "severity", "scale", "reason", "flags",
                             "rules_version"}),
}

PATIENT_FIELDS = {
    "mrn": Field(text(max_length=64), required=True),
    "name": Field(text(max_length=200), required=True),
    "sex": Field(enum_of(Sex), default=Sex.UNKNOWN),
    "birth_date": Field(iso_date()),
    "age_at_diagnosis": Field(integer(ge=0, le=130)),
    "diagnosis": Field(text(max_length=200), required=True),
    "diagnosis_date": Field(iso_date()),
    "immunophenotype": Field(string_map(enum_of(Marker)), default={}),
    "notes": Field(text(allow_empty=True, multiline=True)),
}

MEASUREMENT_FIELDS = {
    "date": Field(iso_date(), required=True),
    "height_cm": Field(number(ge=20, le=260)),
    "weight_kg": Field(number(gt=0, le=400)),
}

DRUG_FIELDS = {
    "drug": Field(text(max_length=120), required=True),
    "dose": Field(number(gt=0), required=True),
    "unit": Field(enum_of(DoseUnit), required=True),
    "days": Field(list_of(integer(ge=-100, le=400), min_length=1), required=True),
    "doses_per_day": Field(integer(ge=1, le=24), default=1),
    "route": Field(text(max_length=20)),
}

# Drug lines in one course: the largest protocols (conditioning with supportive drugs)
# list about 15; the cap only stops a runaway file.
MAX_DRUG_LINES = 50

COURSE_FIELDS = {
    "name": Field(text(max_length=200), required=True),
    "category": Field(enum_of(CourseCategory), default=CourseCategory.OTHER),
    "start_date": Field(iso_date()),
    "day_reference": Field(enum_of(DayReference), default=DayReference.COURSE_START),
    "drugs": Field(list_of(lambda v, p, pr: _parse_drug(v, p, pr), min_length=1), required=True),
    "notes": Field(text(allow_empty=True, multiline=True)),
}

EVENT_DETAILS: dict[EventType, dict[str, Field]] = {
    EventType.DIAGNOSIS: {},
    EventType.CART_INFUSION: {
        "product": Field(text()),
        "cells_per_kg": Field(number(gt=0)),
        "donor": Field(text()),
    },
    EventType.HSCT: {
        "donor_relation": Field(text()),
        "hla_match": Field(text(max_length=10)),
        "graft": Field(one_of("haploidentical", "matched_sibling", "matched_unrelated", "cord")),
        "conditioning_intensity": Field(one_of("MAC", "RIC", "NMA")),
    },
    EventType.PET_CT: {
        "deauville": Field(integer(ge=1, le=5)),
        "response": Field(text()),
    },
    EventType.TRANSFUSION: {
        "product": Field(one_of("platelets", "red_cells", "plasma", "granulocytes"), required=True),
    },
    EventType.INFECTION: {"organism": Field(text()), "site": Field(text())},
    EventType.ENGRAFTMENT_CONFIRMED: {
        "lineage": Field(one_of("neutrophil", "platelet"), required=True),
    },
    EventType.RELAPSE: {},
    EventType.DEATH: {},
    EventType.LAST_FOLLOW_UP: {},
    EventType.OTHER: {},
}

EVENT_FIELDS = {
    "type": Field(enum_of(EventType), required=True),
    "date": Field(iso_date(), required=True),
    "details": Field(lambda v, p, pr: v, default={}),  # checked against the type below
    "notes": Field(text(allow_empty=True, multiline=True)),
}

LAB_FIELDS = {
    "date": Field(iso_date(), required=True),
    "test": Field(enum_of(LabTest), required=True),
    "value": Field(number(ge=0), required=True),
    "unit": Field(text(), required=True),
    "lln": Field(number(ge=0)),
    "uln": Field(number(ge=0)),
}

MARROW_FIELDS = {
    "date": Field(iso_date(), required=True),
    "blasts_pct": Field(percent()),
    "mrd_pct": Field(percent()),
    "mrd_method": Field(enum_of(MrdMethod)),
    "mrd_lod_pct": Field(number(gt=0, le=100)),
    "cellularity_pct": Field(percent()),
    "donor_chimerism_pct": Field(percent()),
    "fibrosis_grade": Field(text(max_length=20)),
    "karyotype": Field(text(max_length=500)),
    "notes": Field(text(allow_empty=True, multiline=True)),
}

OXYGEN_DEVICES = ("none", "blow_by", "nasal_cannula", "facemask", "non_rebreather",
                  "venturi", "cpap", "bipap", "mechanical_ventilation")

ICE_ITEMS = {
    "orientation": Field(integer(ge=0, le=4), required=True),
    "naming": Field(integer(ge=0, le=3), required=True),
    "commands": Field(integer(ge=0, le=1), required=True),
    "writing": Field(integer(ge=0, le=1), required=True),
    "attention": Field(integer(ge=0, le=1), required=True),
}

CGVHD_ORGANS = ("skin", "mouth", "eyes", "gi", "liver", "lungs", "joints_fascia", "genital")

FINDINGS: dict[AssessmentKind, dict[str, Field]] = {
    AssessmentKind.CRS: {
        "temperature_c": Field(number(ge=30, le=45)),
        "fever_other_cause": Field(boolean()),
        "fever_masked": Field(boolean()),
        "hypotension": Field(boolean()),
        "vasopressors": Field(list_of(text(max_length=60))),
        "oxygen_device": Field(one_of(*OXYGEN_DEVICES)),
        "oxygen_l_min": Field(number(ge=0, le=100)),
        "fatal": Field(boolean()),
    },
    AssessmentKind.ICANS: {
        "ice_score": Field(integer(ge=0, le=10)),
        "ice_items": Field(lambda v, p, pr: _object(v, p, pr, ICE_ITEMS)),
        "consciousness": Field(one_of("alert", "awakens_spontaneously", "awakens_to_voice",
                                      "awakens_to_touch", "unarousable")),
        "seizure": Field(one_of("none", "rapidly_resolving", "life_threatening")),
        "motor": Field(one_of("none", "deep_focal_weakness")),
        "cerebral_edema": Field(one_of("none", "focal", "diffuse")),
        "fatal": Field(boolean()),
    },
    AssessmentKind.AGVHD: {
        "skin_rash_bsa_pct": Field(percent()),
        "skin_bullae": Field(boolean()),
        "bilirubin_mg_dl": Field(number(ge=0, le=100)),
        "bilirubin_umol_l": Field(number(ge=0, le=1700)),
        "upper_gi_persistent": Field(boolean()),
        "stool_ml_day": Field(number(ge=0, le=20000)),
        "stool_episodes_day": Field(integer(ge=0, le=100)),
        "stool_ml_kg_day": Field(number(ge=0, le=500)),
        "severe_abdominal_pain": Field(boolean()),
        "bloody_stool": Field(boolean()),
    },
    AssessmentKind.CGVHD: {organ: Field(integer(ge=0, le=3)) for organ in CGVHD_ORGANS},
}

ASSESSMENT_FIELDS = {
    "kind": Field(enum_of(AssessmentKind), required=True),
    "date": Field(iso_date(), required=True),
    "findings": Field(lambda v, p, pr: v, default={}),  # checked against the kind below
    "notes": Field(text(allow_empty=True, multiline=True)),
}


def _object(value: Any, path: str, problems: Problems, fields: dict[str, Field]) -> Any:
    parsed = parse_object(value, path, problems, fields)
    if parsed is None:
        return INVALID
    return {k: v for k, v in parsed.items() if v is not None}


# --- item parsers ----------------------------------------------------------

def _parse_patient(value: Any, path: str, problems: Problems) -> Patient | None:
    p = parse_object(value, path, problems, PATIENT_FIELDS)
    if p is None:
        return None
    if p["birth_date"] and p["diagnosis_date"] and p["birth_date"] > p["diagnosis_date"]:
        problems.add(join(path, "diagnosis_date"), msg(BEFORE_BIRTH))
        return None
    return Patient(**p)


def _parse_measurement(value: Any, path: str, problems: Problems) -> Measurement | None:
    m = parse_object(value, path, problems, MEASUREMENT_FIELDS)
    if m is None:
        return None
    if m["height_cm"] is None and m["weight_kg"] is None:
        problems.add(path, msg(NEEDS_SIZE))
        return None
    return Measurement(**m)


def _parse_drug(value: Any, path: str, problems: Problems) -> Any:
    d = parse_object(value, path, problems, DRUG_FIELDS, derived=DERIVED_KEYS["drug"])
    if d is None:
        return INVALID
    if len(set(d["days"])) != len(d["days"]):
        problems.add(join(path, "days"), msg(SAME_DAY_TWICE))
        return INVALID
    return DrugLine(**d)


def _parse_course(value: Any, path: str, problems: Problems) -> Course | None:
    drugs = value.get("drugs") if isinstance(value, dict) else None
    if isinstance(drugs, list) and len(drugs) > MAX_DRUG_LINES:
        problems.add(join(path, "drugs"), msg(TOO_MANY_DRUGS, count=f"{len(drugs):,}",
                                              limit=f"{MAX_DRUG_LINES:,}"))
        return None
    c = parse_object(value, path, problems, COURSE_FIELDS)
    if c is None:
        return None
    if c["day_reference"] is DayReference.COURSE_START and c["start_date"] is None:
        problems.add(join(path, "start_date"), msg(START_DATE_NEEDED))
        return None
    return Course(**c)


def _parse_event(value: Any, path: str, problems: Problems) -> Event | None:
    e = parse_object(value, path, problems, EVENT_FIELDS)
    if e is None:
        return None
    details = parse_object(e["details"], join(path, "details"), problems, EVENT_DETAILS[e["type"]])
    if details is None:
        return None
    e["details"] = {k: v for k, v in details.items() if v is not None}
    return Event(**e)


def _parse_lab(value: Any, path: str, problems: Problems) -> Lab | None:
    lab = parse_object(value, path, problems, LAB_FIELDS, derived=DERIVED_KEYS["lab"])
    if lab is None:
        return None
    test, unit = lab["test"], lab["unit"]
    units = LAB_UNITS[test]
    if unit not in units:
        problems.add(join(path, "unit"), msg(NOT_A_UNIT, unit=repr(unit), test=test.value,
                                             units=Seq(units, "or")))
        return None
    if test in PERCENT_TESTS and lab["value"] > 100:
        problems.add(join(path, "value"), msg(NOT_A_PERCENTAGE, limit=100))
        return None
    for key in ("value", "lln", "uln"):
        if lab[key] is not None:
            lab[key] = to_stored_unit(test, unit, lab[key])
    if lab["lln"] is not None and lab["uln"] is not None and lab["lln"] > lab["uln"]:
        problems.add(join(path, "lln"), msg(LLN_ABOVE_ULN))
        return None
    lab["unit"] = next(iter(units))
    return Lab(**lab)


def _parse_marrow(value: Any, path: str, problems: Problems) -> MarrowResult | None:
    m = parse_object(value, path, problems, MARROW_FIELDS, derived=DERIVED_KEYS["marrow"])
    if m is None:
        return None
    mrd, lod = m["mrd_pct"], m["mrd_lod_pct"]
    # Part A 1.1: a value detected below what the assay can detect contradicts the
    # assay. Only a stated limit refuses (the 0.01 default never does).
    if mrd is not None and lod is not None and 0 < Decimal(repr(mrd)) < Decimal(repr(lod)):
        problems.add(join(path, "mrd_pct"), msg(BELOW_DETECTION, mrd=str(mrd), lod=str(lod)))
        return None
    return MarrowResult(**m)


def _check_findings(kind: AssessmentKind, f: dict[str, Any], path: str,
                    problems: Problems) -> bool:
    """Rules that involve two findings at once."""
    fpath = join(path, "findings")
    if kind is AssessmentKind.CRS:
        if f.get("oxygen_device") == "nasal_cannula" and f.get("oxygen_l_min") is None:
            problems.add(join(fpath, "oxygen_l_min"), msg(FLOW_NEEDED))
            return False
    elif kind is AssessmentKind.ICANS:
        items = f.get("ice_items")
        if items is not None and f.get("ice_score") is not None:
            if sum(items.values()) != f["ice_score"]:
                problems.add(join(fpath, "ice_score"),
                             msg(ICE_SUM, score=f["ice_score"], total=sum(items.values())))
                return False
    elif kind is AssessmentKind.AGVHD:
        rash = f.get("skin_rash_bsa_pct")
        if f.get("skin_bullae") and (rash is None or rash <= 50):
            problems.add(join(fpath, "skin_bullae"), msg(BULLAE))
            return False
        if f.get("bilirubin_mg_dl") is not None and f.get("bilirubin_umol_l") is not None:
            problems.add(join(fpath, "bilirubin_umol_l"), msg(BILIRUBIN_UNITS))
            return False
    return True


def _parse_assessment(value: Any, path: str, problems: Problems) -> Assessment | None:
    a = parse_object(value, path, problems, ASSESSMENT_FIELDS,
                     derived=DERIVED_KEYS["assessment"])
    if a is None:
        return None
    findings = parse_object(a["findings"], join(path, "findings"), problems, FINDINGS[a["kind"]])
    if findings is None:
        return None
    a["findings"] = {k: v for k, v in findings.items() if v is not None}
    if a["findings"].get("vasopressors") is not None:
        a["findings"]["vasopressors"] = list(a["findings"]["vasopressors"])
    if not _check_findings(a["kind"], a["findings"], path, problems):
        return None
    return Assessment(**a)


ITEM_PARSERS = {
    "patient": _parse_patient,
    "measurements": _parse_measurement,
    "courses": _parse_course,
    "events": _parse_event,
    "labs": _parse_lab,
    "marrow": _parse_marrow,
    "assessments": _parse_assessment,
}


def parse_item(kind: str, value: Any, path: str = "") -> tuple[Any, list[Problem]]:
    """Parse one item ("labs", "courses", ...) for a form: (object or None, problems)."""
    problems = Problems()
    obj = ITEM_PARSERS[kind](value, path, problems)
    return (obj if not problems else None), problems.items


LIST_KEYS = ("measurements", "courses", "events", "labs", "marrow", "assessments")

# Items one record may hold per list. No real patient comes near them (labs: 60
# results a day for 10 years is 219,000; the others: about 5 a day for 10 years,
# a course or a marrow result every week for 15 years); they bound what an import
# holds in memory, so a runaway or hostile file is refused rather than let grow.
MAX_ITEMS = {
    "measurements": 20_000,
    "courses": 1_000,
    "events": 20_000,
    "labs": 250_000,
    "marrow": 1_000,
    "assessments": 20_000,
}


def too_many_items(key: str, count: int) -> Msg | None:
    """The problem with a list of ``count`` items under ``key``, or None if it fits."""
    cap = MAX_ITEMS[key]
    return msg(TOO_MANY_ITEMS, count=f"{count:,}", limit=f"{cap:,}") if count > cap else None


def parse_record(doc: Any) -> tuple[Record | None, list[Problem]]:
    """Parse a whole record document; returns (record or None, every problem)."""
    problems = Problems()
    if not isinstance(doc, dict):
        problems.add("", msg(NOT_A_RECORD))
        return None, problems.items
    allowed = {"format", "version", "patient", *LIST_KEYS} | DERIVED_KEYS["record"]
    for key in doc:
        if key not in allowed:
            problems.add(key, msg(UNKNOWN_KEY,
                                  known=Seq(("format", "version", "patient", *LIST_KEYS), "comma")))
    if doc.get("format") != FORMAT_NAME:
        problems.add("format", msg(WRONG_FORMAT, expected=repr(FORMAT_NAME),
                                   value=repr(doc.get("format"))))
    version = doc.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        problems.add("version", msg(WRONG_VERSION, version=FORMAT_VERSION, value=repr(version)))
    if any(p.path in ("format", "version") for p in problems.items):
        return None, problems.items  # not a version-1 record: the rest would only add noise
    patient = None
    if "patient" not in doc:
        problems.add("patient", msg(REQUIRED))
    else:
        patient = _parse_patient(doc["patient"], "patient", problems)
    lists: dict[str, tuple[Any, ...]] = {}
    for key in LIST_KEYS:
        raw = doc.get(key)
        if raw is None:
            lists[key] = ()
            continue
        if not isinstance(raw, list):
            problems.add(key, msg(NOT_A_LIST))
            continue
        too_many = too_many_items(key, len(raw))
        if too_many:
            problems.add(key, too_many)  # its items are not parsed: that is the cost bounded
            continue
        parser = ITEM_PARSERS[key]
        lists[key] = tuple(parser(item, f"{key}[{i}]", problems) for i, item in enumerate(raw))
    if problems or patient is None:
        return None, problems.items
    return Record(patient=patient, **lists), []
