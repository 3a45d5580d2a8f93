"""One row of the audit trail, as the History view and the tests see it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from clinical.messages import translate

# What a signature means (21 CFR 11.50): stored in English in the audit row, shown in
# the signer's language in the signature dialog. The reason is the signer's own words.
VOIDED_BECAUSE = translate("clinical", "voided because {reason}", "signature.voided_because")
CORRECTED_BECAUSE = translate("clinical", "corrected because {reason}", "signature.corrected_because")


class AuditAction(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    VOID = "void"
    # Sign-in rows (table "sign_in", row 0, no patient): a refused sign-in, and an
    # administrator clearing a name's wait. They change no data: integrity replays none.
    SIGN_IN_FAILED = "sign in failed"
    UNLOCK = "unlock"


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    id: int
    at: str                    # UTC, ISO 8601
    user: str
    patient_id: int | None
    table: str
    row_id: int
    action: AuditAction
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    reason: str | None
    workstation: str | None = None          # the computer's name (rows before schema 3: None)
    signature: dict[str, Any] | None = None  # {"by", "meaning", "at"} when the change was signed
    software: str | None = None   # "hemalog 0.2.0; rules 1.1" (rows before schema 5: None)
