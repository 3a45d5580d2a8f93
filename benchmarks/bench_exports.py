"""Issue 17: exports at hospital scale (the cohort of benchmarks/cohorts.py; --quick:
the 20-patient one).

- FHIR export of the largest patient: `hemalog export MRN --format fhir` as the
  command runs it (storage.fhir_export.fhir_text: the record read, derived, turned into
  a Bundle, checked against the FHIR models one entry of each shape, written as JSON
  text), target <= 2 s; floor: json.dumps of the Bundle alone.
- Registry export of the whole cohort: `hemalog registry` (storage.registry_export.
  registry_csv: every patient with a CAR-T infusion or an HSCT, their roll-ups),
  target <= 10 s; floor: reading the ids of those patients alone.
"""

from __future__ import annotations

import json
import time
from typing import Any

from benchmarks.cohorts import LARGEST_MRN, cohort_database
from benchmarks.harness import benchmark

_OPEN: dict[str, Any] = {}


def _store(quick: bool) -> Any:
    from storage import open_store

    name = "mini" if quick else "hospital"
    if _OPEN.get("name") != name:
        if "store" in _OPEN:
            _OPEN.pop("store").close()
        _OPEN.update(name=name, store=open_store(cohort_database(name, log=not quick),
                                                 user="bench", read_only=True))
    return _OPEN["store"]


def _largest_mrn(store: Any) -> str:
    try:
        return store.patients.get_by_mrn(LARGEST_MRN).mrn
    except Exception:  # noqa: BLE001 - the quick cohort: its largest patient by labs
        counts = store.sql.query("SELECT p.mrn, count(l.id) AS n FROM patients p JOIN labs l "
                                 "ON l.patient_id = p.id GROUP BY p.mrn ORDER BY n DESC LIMIT 1")
        return counts[0]["mrn"]


def _fhir_setup(quick: bool) -> dict[str, Any]:
    store = _store(quick)
    return {"store": store, "mrn": _largest_mrn(store)}


def _fhir_floor(quick: bool) -> float:
    from clinical.derive import derive
    from clinical.fhir_bundle import fhir_bundle
    state = _fhir_setup(quick)
    store = state["store"]
    record = store.load_record(store.patients.get_by_mrn(state["mrn"]).id)
    bundle = fhir_bundle(record, derive(record))
    start = time.perf_counter()
    json.dumps(bundle)
    return time.perf_counter() - start


@benchmark("export: FHIR bundle of the largest patient", setup=_fhir_setup, target=2.0,
           floor=_fhir_floor)
def _fhir(state: dict[str, Any]) -> None:
    from storage.fhir_export import fhir_text

    text = fhir_text(state["store"], state["mrn"])
    assert text.startswith("{")


def _registry_floor(quick: bool) -> float:
    from clinical.record import EventType
    store = _store(quick)
    start = time.perf_counter()
    store.patients.with_events([EventType.CART_INFUSION, EventType.HSCT])
    return time.perf_counter() - start


@benchmark("export: registry CSV of the whole cohort", setup=_store, target=10.0,
           floor=_registry_floor, runs=3)
def _registry(store: Any) -> None:
    from storage.registry_export import registry_csv

    text, count = registry_csv(store)
    assert text.startswith("record_type,") and text.count("\n") == count + 1
