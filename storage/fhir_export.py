"""`hemalog export MRN --format fhir [--deidentified]`: a patient as a FHIR R4 Bundle
(clinical/fhir_bundle.py), checked against the FHIR models before it is written."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from clinical.derive import derive
from clinical.errors import HemalogError
from clinical.fhir_bundle import fhir_bundle, fhir_json, validate_bundle

if TYPE_CHECKING:
    from storage.contract import Store

__all__ = ["fhir_text"]


def fhir_text(store: Store, mrn: str, *, deidentified: bool = False,
              generated: str | None = None) -> str:
    """The Bundle of the patient ``mrn`` as JSON text; HemalogError when it would not
    be valid FHIR (a bug: nothing is written)."""
    patient = store.patients.get_by_mrn(mrn)
    assert patient.id is not None
    record = store.load_record(patient.id)
    stamp = generated or datetime.now(timezone.utc).isoformat(timespec="seconds")
    bundle = fhir_bundle(record, derive(record), deidentified=deidentified, generated=stamp)
    try:
        validate_bundle(bundle, every_entry=False)
    except ValueError as exc:   # pydantic's ValidationError is one, as is a dangling reference
        raise HemalogError(f"the FHIR bundle of {mrn} is not valid FHIR, so nothing was "
                           f"written: {str(exc).splitlines()[0]}") from None
    return fhir_json(bundle)
