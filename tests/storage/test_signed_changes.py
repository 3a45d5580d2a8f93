"""Signatures where the record changes meaning (issue 14, 21 CFR 11.200): with someone
signed in, the store voids nothing and corrects no graded assessment without the signer's
signature, and keeps the signature (who, meaning, when) in the change's audit row."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest

from clinical.accounts import PermissionDenied, Role
from clinical.audit import AuditAction
from clinical.errors import HemalogError
from clinical.record import Assessment, AssessmentKind, Lab, LabTest, Patient
from storage.audit import now_utc, verify_chain
from storage.repository import SqliteStore

CRS = {"temperature_c": 39.2, "hypotension": False, "oxygen_device": "facemask"}


@pytest.fixture
def phil(store: SqliteStore) -> Iterator[SqliteStore]:
    """A physician signed in (on a server: connected as the login phil), with a patient
    holding a CRS assessment and a lab."""
    store.accounts.create("phil", "doctor-pass-1", Role.PHYSICIAN, "Dr Phil")
    store.sign_in(store.accounts.sign_in("phil", "doctor-pass-1"))
    patient = store.patients.add(Patient(mrn="S1", name="Sign Test", diagnosis="B-ALL"))
    store.assessments.add(patient.id, Assessment(kind=AssessmentKind.CRS,
                                                 date=date(2025, 4, 10), findings=CRS))
    store.labs.add(patient.id, Lab(date=date(2025, 4, 10), test=LabTest.PLT, value=12,
                                   unit="10^9/L"))
    yield store


def signed(meaning: str, by: str = "phil") -> dict[str, str]:
    return {"by": by, "meaning": meaning, "at": now_utc()}


def test_a_void_without_a_signature_is_refused_and_changes_nothing(phil: SqliteStore) -> None:
    (lab,) = phil.labs.list(1)
    audit_rows = phil.audit.count()
    with pytest.raises(HemalogError, match="^a signature is needed: voiding an item"):
        phil.labs.void(lab.id, "wrong tube")
    assert phil.labs.list(1) == [lab] and phil.audit.count() == audit_rows


def test_a_signed_void_keeps_who_meaning_and_when_in_its_audit_row(phil: SqliteStore) -> None:
    (crs,) = phil.assessments.list(1)
    signature = signed("voided because entered twice")
    phil.assessments.void(crs.id, "entered twice", signature)
    assert phil.assessments.list(1) == []
    (void,) = [e for e in phil.audit.entries(1) if e.action is AuditAction.VOID]
    assert (void.row_id, void.user, void.reason) == (crs.id, "phil", "entered twice")
    assert void.signature == signature
    assert verify_chain(phil.sql)[1] is None           # the signature is in the hash chain


def test_correcting_a_graded_assessment_needs_a_signature(phil: SqliteStore) -> None:
    (crs,) = phil.assessments.list(1)
    hotter = dataclasses.replace(crs, findings={**CRS, "temperature_c": 39.9})
    with pytest.raises(HemalogError, match="^a signature is needed: correcting a graded"):
        phil.assessments.update(hotter, "typo")
    assert phil.assessments.get(crs.id) == crs
    signature = signed("corrected because typo")
    phil.assessments.update(hotter, "typo", signature)
    assert phil.assessments.get(crs.id).findings["temperature_c"] == 39.9
    update = [e for e in phil.audit.entries(1) if e.action is AuditAction.UPDATE][-1]
    assert (update.row_id, update.reason, update.signature) == (crs.id, "typo", signature)


def test_correcting_a_lab_value_needs_no_signature(phil: SqliteStore) -> None:
    (lab,) = phil.labs.list(1)
    phil.labs.update(dataclasses.replace(lab, value=21), "digits swapped")
    update = [e for e in phil.audit.entries(1) if e.action is AuditAction.UPDATE][-1]
    assert (update.new["value"], update.signature) == (21, None)


@pytest.mark.parametrize("signature", [
    signed("voided because entered twice", by="nina"),     # someone else's name
    {"by": "phil", "meaning": " ", "at": "2025-04-10T08:00:00.000Z"},   # no meaning
    {"by": "phil", "meaning": "voided because entered twice"},          # no time
])
def test_a_signature_not_by_the_signed_in_user_or_incomplete_is_refused(
        phil: SqliteStore, signature: dict[str, str]) -> None:
    (lab,) = phil.labs.list(1)
    with pytest.raises(HemalogError, match="^a signature is needed"):
        phil.labs.void(lab.id, "entered twice", signature)
    assert phil.labs.list(1) == [lab]


def test_the_role_rule_is_said_before_the_signature(phil: SqliteStore) -> None:
    """A nurse may not void an assessment, signed or not: that refusal comes first."""
    (crs,) = phil.assessments.list(1)
    phil.role = Role.NURSE
    with pytest.raises(PermissionDenied, match="physician"):
        phil.assessments.void(crs.id, "entered twice")


def test_without_accounts_nothing_asks_for_a_signature(store: SqliteStore) -> None:
    """No one can sign in before the first account exists: the store works as before."""
    patient = store.patients.add(Patient(mrn="S2", name="No Accounts", diagnosis="AML"))
    lab = store.labs.add(patient.id, Lab(date=date(2025, 4, 10), test=LabTest.HB, value=90,
                                         unit="g/L"))
    store.labs.void(lab.id, "wrong tube")
    (void,) = [e for e in store.audit.entries(patient.id) if e.action is AuditAction.VOID]
    assert void.signature is None
