"""`hemalog registry [--from DATE] [--to DATE] -o FILE.csv` (and File ▸ Registry export…):
one row per CAR-T infusion episode and per HSCT, across all patients (issue 17).

Only patients with a CAR-T infusion or an HSCT event are read, and of them only what
the roll-ups use (``_registry_record``): a hospital's database is exported in seconds. The file is UTF-8 with a byte-order mark (so that a
spreadsheet shows Chinese text as written), written atomically to a checked path. A
text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or
a carriage return) is written with a leading apostrophe, as OWASP advises for CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from clinical.derive import rollups
from clinical.record import EventType, LabTest, Record
from clinical.registry import HEADER, registry_rows, rows_as_text
from storage.outputs import check_output, write_atomically

if TYPE_CHECKING:
    from storage.contract import Store

__all__ = ["registry_csv", "write_registry", "FORMULA_STARTS"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ENGRAFTMENT_TESTS = (LabTest.ANC, LabTest.PLT)


def _cell(text: str) -> str:
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _registry_record(store: Store, patient_id: int) -> Record:
    """What the roll-ups read of a patient: events, assessments and marrow; courses and
    measurements (the treatment given) with a CAR-T infusion; with an HSCT the
    neutrophil and platelet counts from its day 0 on (engraftment counts from day 0)."""
    with store.reading():
        events = tuple(store.events.list(patient_id))
        hscts = [e.date for e in events if e.type is EventType.HSCT]
        cart = any(e.type is EventType.CART_INFUSION for e in events)
        return Record(
            patient=store.patients.get(patient_id), events=events,
            courses=tuple(store.courses.list(patient_id)) if cart else (),
            measurements=tuple(store.measurements.list(patient_id)) if cart else (),
            labs=tuple(store.labs.of_tests(patient_id, ENGRAFTMENT_TESTS, min(hscts)))
            if hscts else (),
            marrow=tuple(store.marrow.list(patient_id)),
            assessments=tuple(store.assessments.list(patient_id)))


def registry_csv(store: Store, *, start: date | None = None, end: date | None = None,
                 progress: Callable[[int, int], None] | None = None) -> tuple[str, int]:
    """(the CSV text, how many rows) of every patient's registry rows."""
    ids = store.patients.with_events([EventType.CART_INFUSION, EventType.HSCT])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    count = 0
    for n, patient_id in enumerate(ids, start=1):
        record = _registry_record(store, patient_id)
        rows = registry_rows(record, rollups(record), start=start, end=end,
                             last_seen=store.labs.last_date(patient_id))
        for cells in rows_as_text(rows):
            writer.writerow([_cell(c) for c in cells])
        count += len(rows)
        if progress is not None:
            progress(n, len(ids))
    return out.getvalue(), count


def write_registry(store: Store, output: Path, *, database: Path | None,
                   start: date | None = None, end: date | None = None) -> int:
    """Write the registry CSV to ``output`` (checked first); returns how many rows."""
    output = check_output(output, database, example="registry.csv")
    text, count = registry_csv(store, start=start, end=end)
    write_atomically(output, text.encode("utf-8-sig"))
    return count
