"""Marrow-derived categories: MRD status, donor chimerism, ALL response, Deauville.

Rules from clinical-rules.md Part A ("Chimerism", "MRD") and Part B §6.4 and
§7. Boundaries are compared in Decimal so that 0.01 % and 95.0 % are exact.
"""

from __future__ import annotations

from decimal import Decimal

from clinical.grading.ctcae import dec, fmt
from clinical.grading.result import Grade, ambiguous, provisional
from clinical.messages import Seq, msg, translate

MRD_SCALE = "MRD 10^-4"
CHIMERISM_SCALE = "ASTCT 2021"

MRD_CUT_PCT = Decimal("0.01")  # 10^-4 = 0.01 % = 1 cell in 10,000
FULL_DONOR_PCT = Decimal("95")  # full donor is > 95 % in every lineage
MIXED_LOW_PCT = Decimal("5")  # below 5 %: autologous reconstitution / graft loss

BLASTS_CUT_PCT = Decimal("5")
ANC_CR = Decimal("1.0")  # x10^9/L
PLT_CR = Decimal("100")  # x10^9/L
CR_WEEKS = Decimal("4")

# --- what the rules say (clinical.messages): English as always, rendered per reader ---

NO_MRD = translate("clinical", "no MRD value", "mrd.none")
MRD_INSUFFICIENT = translate("clinical", "not detected, insufficient sensitivity: assay LOD {lod} % is worse than 0.01 % (10^-4)", "mrd.insufficient_sensitivity")
MRD_NEGATIVE_LOD = translate("clinical", "negative: not detected, assay LOD {lod} % (sensitivity 10^-4 or better)", "mrd.negative.lod")
MRD_NEGATIVE_NO_LOD = translate("clinical", "negative: not detected, assay LOD not recorded, taken as 0.01 % (sensitivity 10^-4 or better)", "mrd.negative.no_lod")
MRD_BELOW = translate("clinical", "negative at 10^-4: detected, below 10^-4 ({mrd} % < 0.01 %)", "mrd.negative.below_threshold")
MRD_AT_CUT = translate("clinical", "positive: 0.01 % is not below 10^-4 (MRD failure at >= 0.01 %)", "mrd.positive.at_threshold")
MRD_AT_CUT_CHOICE = translate("clinical", "MRD exactly 0.01 %: failure by PMC8824253 (>= 0.01 %); the ASH table says failure only above 0.01 %", "mrd.positive.at_threshold_choice")
MRD_POSITIVE = translate("clinical", "positive: {mrd} % >= 0.01 % (MRD failure)", "mrd.positive")

LINEAGES = {t.english: t for t in (
    translate("term", "donor", "term.chimerism.donor"),
    translate("term", "myeloid", "term.chimerism.myeloid"),
    translate("term", "lymphoid", "term.chimerism.lymphoid"),
)}
LINEAGE_VALUE = translate("clinical", "{lineage} {pct} %", "chimerism.lineage_value")
FULL_DONOR = translate("clinical", "full donor: {values} (> 95 % in every lineage)", "chimerism.full_donor")
AUTOLOGOUS = translate("clinical", "autologous reconstitution / graft loss: {values} (< 5 %)", "chimerism.autologous")
EXACTLY_95 = translate("clinical", "donor chimerism exactly 95 %: mixed by ASTCT (> 95 % for full); full donor by the CIBMTR ALL criteria (>= 95 %)", "chimerism.exactly_95")
MIXED = translate("clinical", "mixed chimerism: {values} (5-95 %)", "chimerism.mixed")
MIXED_SPLIT = translate("clinical", "mixed chimerism (lineage-split): {values} (5-95 %)", "chimerism.mixed_split")

BLASTS_NOT_ASSESSED = translate("clinical", "marrow blasts not assessed", "response.blasts_not_assessed")
NOT_CR_BLASTS = translate("clinical", "not CR: marrow blasts {blasts} % (needs < 5 %)", "response.not_cr.blasts")
NOT_CR_EXTRAMEDULLARY = translate("clinical", "not CR: extramedullary disease", "response.not_cr.extramedullary")
OTHER_NOT_CR = translate("clinical", "not CR (> 1.0 and > 100)", "response.other_criteria.not_cr")
OTHER_CR = translate("clinical", "CR (>= 1.0 and >= 100)", "response.other_criteria.cr")
COUNTS_AT_CUT = translate("clinical", "ANC exactly 1.0 or platelets exactly 100: {criteria} reads {op}; the other criteria sets would say {other}", "response.counts_at_cut_point")
ANC_WORD = msg(translate("term", "ANC", "term.lab.anc_short"))
PLATELETS_WORD = msg(translate("term", "platelets", "term.lab.platelets"))
ANC_AND_PLATELETS = msg(translate("term", "ANC and platelets", "term.lab.anc_and_platelets"))
NOT_ASSESSED = translate("clinical", "{what} not assessed", "response.not_assessed")
NOT_AVAILABLE = msg(translate("clinical", "n/a", "response.not_available"))
COUNTS = translate("clinical", "ANC {anc}, platelets {plt}", "response.counts")
NOT_CR_COUNTS = translate("clinical", "not CR: blasts {blasts} % but {counts} are neither recovered ({op} 1.0 and {op} 100) nor below the CRi cut-points", "response.not_cr.counts")
DURATION_NOT_ASSESSED = translate("clinical", "duration (4 weeks) not assessed", "response.duration_not_assessed")
UNCONFIRMED = translate("clinical", "not yet {category} (unconfirmed): blasts {blasts} %, {counts}, sustained {weeks} of 4 weeks", "response.unconfirmed")
COUNTS_RECOVERED = msg(translate("clinical", "counts recovered", "response.counts_recovered"))
COUNTS_NOT_RECOVERED = msg(translate("clinical", "counts not recovered", "response.counts_not_recovered"))
RESPONSE = translate("clinical", "{category}: blasts {blasts} % (< 5 %), no extramedullary disease, {counts} ({why}, {op} 1.0 and {op} 100)", "response.category")


def _pct(name: str, x: float) -> Decimal:
    d = dec(x)
    if not Decimal(0) <= d <= Decimal(100):
        raise ValueError(f"{name} must be 0-100 %, got {x!r}")
    return d


def mrd_negative(mrd_pct: float | None, lod_pct: float | None = None) -> Grade:
    """MRD negative at 10^-4: True, False, or None when it cannot be said.

    Negative iff ``mrd_pct`` < 0.01 (0 = not detected). Nothing detected by an
    assay less sensitive than 0.01 % (``lod_pct`` > 0.01) is None
    ("insufficient sensitivity"); an absent LOD is taken as 0.01 (record format).
    ``details["category"]`` gives the MRD CR / intermediate / failure term.
    """
    details: dict[str, object] = {"mrd_pct": mrd_pct, "lod_pct": lod_pct, "category": None}
    if mrd_pct is None:
        return Grade(None, MRD_SCALE, msg(NO_MRD), (), details)
    m = _pct("mrd_pct", mrd_pct)
    lod = MRD_CUT_PCT if lod_pct is None else _pct("lod_pct", lod_pct)
    if m == 0:
        if lod > MRD_CUT_PCT:
            details["category"] = "MRD intermediate"
            return Grade(None, MRD_SCALE, msg(MRD_INSUFFICIENT, lod=fmt(lod)), (), details)
        details["category"] = "MRD CR"
        reason = (msg(MRD_NEGATIVE_LOD, lod=fmt(lod)) if lod_pct is not None
                  else msg(MRD_NEGATIVE_NO_LOD))
        return Grade(True, MRD_SCALE, reason, (), details)
    if m < MRD_CUT_PCT:
        # Part A and the record format count this as below threshold; Part B §7.2
        # calls it "MRD intermediate" because something was detected.
        details["category"] = "MRD intermediate"
        return Grade(True, MRD_SCALE, msg(MRD_BELOW, mrd=fmt(m)), (), details)
    details["category"] = "MRD failure"
    if m == MRD_CUT_PCT:
        return Grade(False, MRD_SCALE, msg(MRD_AT_CUT), (ambiguous(msg(MRD_AT_CUT_CHOICE)),),
                     details)
    return Grade(False, MRD_SCALE, msg(MRD_POSITIVE, mrd=fmt(m)), (), details)


def chimerism_category(donor_pct: float, *, lymphoid_pct: float | None = None) -> Grade:
    """Donor chimerism category: "full_donor", "mixed" or "autologous_reconstitution".

    ``donor_pct`` is the whole-blood or myeloid donor percentage; give
    ``lymphoid_pct`` (T cells) when measured. Full donor needs > 95 % in every
    lineage given; below 5 % in every lineage is autologous reconstitution /
    graft loss; anything else is mixed.
    """
    lineages: dict[str, Decimal] = {"donor": _pct("donor_pct", donor_pct)}
    if lymphoid_pct is not None:
        lineages = {"myeloid": lineages["donor"], "lymphoid": _pct("lymphoid_pct", lymphoid_pct)}
    shown = Seq((msg(LINEAGE_VALUE, lineage=msg(LINEAGES[name]), pct=fmt(v))
                 for name, v in lineages.items()), "comma")
    details: dict[str, object] = {"donor_pct": donor_pct, "lymphoid_pct": lymphoid_pct}
    values = list(lineages.values())
    if all(v > FULL_DONOR_PCT for v in values):
        return Grade("full_donor", CHIMERISM_SCALE, msg(FULL_DONOR, values=shown), (), details)
    if all(v < MIXED_LOW_PCT for v in values):
        return Grade("autologous_reconstitution", CHIMERISM_SCALE, msg(AUTOLOGOUS, values=shown),
                     (), details)
    flags: tuple[str, ...] = ()
    if all(v >= FULL_DONOR_PCT for v in values):
        # Only the exact 95.0 keeps this from "full": CIBMTR's ALL criteria use >= 95 %.
        flags = (ambiguous(msg(EXACTLY_95)),)
    split = len(values) > 1 and len({v > FULL_DONOR_PCT for v in values}) > 1
    return Grade("mixed", CHIMERISM_SCALE, msg(MIXED_SPLIT if split else MIXED, values=shown),
                 flags, details)


# criteria -> (counts compared with >= (True) or > (False), 4-week duration required)
_ALL_CRITERIA: dict[str, tuple[bool, bool]] = {
    "CIBMTR": (True, True),
    "BBMT 2010": (True, True),
    "ASH": (False, False),
    "NCCN": (False, True),
}


def all_response(
    blasts_pct: float | None,
    anc: float | None,
    plt: float | None,
    *,
    extramedullary: bool = False,
    weeks_sustained: float | None = None,
    criteria: str = "CIBMTR",
) -> Grade:
    """ALL response: "CR", "CRi" or "not CR" under the named criteria (§7.1).

    CR: marrow blasts < 5 %, no extramedullary disease, ANC and platelets
    recovered (CIBMTR/BBMT 2010: >= 1.0 and >= 100 x10^9/L; ASH/NCCN: > 1.0 and
    > 100). CRi: the same without the counts. CIBMTR, BBMT 2010 and NCCN need
    4 weeks' duration; before that the value is "not CR" and the reason says
    "not yet CR (unconfirmed)".
    """
    if criteria not in _ALL_CRITERIA:
        raise ValueError(f"unknown criteria {criteria!r}; expected one of {list(_ALL_CRITERIA)}")
    inclusive, needs_duration = _ALL_CRITERIA[criteria]
    scale = f"ALL response ({criteria})"
    details: dict[str, object] = {"criteria": criteria, "confirmed": None, "counts_recovered": None}
    if blasts_pct is None:
        return Grade(None, scale, msg(BLASTS_NOT_ASSESSED),
                     (provisional(msg(BLASTS_NOT_ASSESSED)),), details)
    blasts = _pct("blasts_pct", blasts_pct)
    if blasts >= BLASTS_CUT_PCT:
        return Grade("not CR", scale, msg(NOT_CR_BLASTS, blasts=fmt(blasts)), (), details)
    if extramedullary:
        return Grade("not CR", scale, msg(NOT_CR_EXTRAMEDULLARY), (), details)

    flags: list[str] = []
    missing = [name for name, v in (("ANC", anc), ("platelets", plt)) if v is None]
    a = None if anc is None else dec(anc)
    p = None if plt is None else dec(plt)

    def recovered(x: Decimal | None, cut: Decimal) -> bool:
        return x is not None and (x >= cut if inclusive else x > cut)

    counts_ok = recovered(a, ANC_CR) and recovered(p, PLT_CR)
    details["counts_recovered"] = None if missing else counts_ok
    op = ">=" if inclusive else ">"
    if a == ANC_CR or p == PLT_CR:
        other = msg(OTHER_NOT_CR) if inclusive else msg(OTHER_CR)
        flags.append(ambiguous(msg(COUNTS_AT_CUT, criteria=criteria, op=op, other=other)))
    if missing:
        what = (ANC_AND_PLATELETS if len(missing) == 2
                else ANC_WORD if missing[0] == "ANC" else PLATELETS_WORD)
        flags.append(provisional(msg(NOT_ASSESSED, what=what)))

    if counts_ok:
        category = "CR"
    elif inclusive or missing:
        category = "CRi"
    else:
        # ASH's CRi covers only ANC < 1.0 or platelets < 100, not the exact cut-points.
        low = (a is not None and a < ANC_CR) or (p is not None and p < PLT_CR)
        category = "CRi" if low else "not CR"
    counts = msg(COUNTS, anc=fmt(a) if a is not None else NOT_AVAILABLE,
                 plt=fmt(p) if p is not None else NOT_AVAILABLE)
    if category == "not CR":
        return Grade("not CR", scale, msg(NOT_CR_COUNTS, blasts=fmt(blasts), counts=counts, op=op),
                     tuple(flags), details)

    if needs_duration:
        if weeks_sustained is None:
            flags.append(provisional(msg(DURATION_NOT_ASSESSED)))
        elif dec(weeks_sustained) < CR_WEEKS:
            details["confirmed"] = False
            return Grade("not CR", scale, msg(UNCONFIRMED, category=category, blasts=fmt(blasts),
                                              counts=counts, weeks=fmt(dec(weeks_sustained))),
                         tuple(flags), details)
        else:
            details["confirmed"] = True
    why = COUNTS_RECOVERED if category == "CR" else COUNTS_NOT_RECOVERED
    return Grade(category, scale, msg(RESPONSE, category=category, blasts=fmt(blasts),
                                      counts=counts, why=why, op=op), tuple(flags), details)


DEAUVILLE: dict[str, int | str] = {
    "none": 1,  # no uptake above background
    "le_mediastinum": 2,
    "gt_mediastinum_le_liver": 3,
    "moderately_above_liver": 4,
    "markedly_above_liver_or_new": 5,
    "new_not_lymphoma": "X",  # new uptake judged unlikely to be lymphoma
}


def deauville_from_uptake(category: str) -> int | str:
    """The Deauville score (1-5 or "X") for the reader's uptake comparison.

    "Moderately" and "markedly" above liver are the reader's visual judgement;
    hemalog stores the score and never derives it from SUV values.
    """
    key = category.strip().lower()
    if key not in DEAUVILLE:
        raise ValueError(f"unknown uptake category {category!r}; expected one of {list(DEAUVILLE)}")
    return DEAUVILLE[key]
