"""Marrow-derived categories: MRD status, donor chimerism, ALL response, Deauville.

Rules from clinical-rules.md Part A ("Chimerism", "MRD") and Part B §6.4 and
§7. Boundaries are compared in Decimal so that 0.01 % and 95.0 % are exact.
"""

from __future__ import annotations

from decimal import Decimal

from clinical.grading.ctcae import dec, fmt
from clinical.grading.result import Grade, ambiguous, provisional

MRD_SCALE = "MRD 10^-4"
CHIMERISM_SCALE = "ASTCT 2021"

MRD_CUT_PCT = Decimal("0.01")  # 10^-4 = 0.01 % = 1 cell in 10,000
FULL_DONOR_PCT = Decimal("95")  # full donor is > 95 % in every lineage
MIXED_LOW_PCT = Decimal("5")  # below 5 %: autologous reconstitution / graft loss

BLASTS_CUT_PCT = Decimal("5")
ANC_CR = Decimal("1.0")  # x10^9/L
PLT_CR = Decimal("100")  # x10^9/L
CR_WEEKS = Decimal("4")


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
        return Grade(None, MRD_SCALE, "no MRD value", (), details)
    m = _pct("mrd_pct", mrd_pct)
    lod = MRD_CUT_PCT if lod_pct is None else _pct("lod_pct", lod_pct)
    if m == 0:
        if lod > MRD_CUT_PCT:
            details["category"] = "MRD intermediate"
            return Grade(None, MRD_SCALE, f"not detected, insufficient sensitivity: assay LOD "
                         f"{fmt(lod)} % is worse than 0.01 % (10^-4)", (), details)
        details["category"] = "MRD CR"
        lod_text = (f"assay LOD {fmt(lod)} %" if lod_pct is not None
                    else "assay LOD not recorded, taken as 0.01 %")
        return Grade(True, MRD_SCALE, f"negative: not detected, {lod_text} "
                     f"(sensitivity 10^-4 or better)", (), details)
    if m < MRD_CUT_PCT:
        # Part A and the record format count this as below threshold; Part B §7.2
        # calls it "MRD intermediate" because something was detected.
        details["category"] = "MRD intermediate"
        return Grade(True, MRD_SCALE, f"negative at 10^-4: detected, below 10^-4 ({fmt(m)} % < 0.01 %)",
                     (), details)
    details["category"] = "MRD failure"
    if m == MRD_CUT_PCT:
        return Grade(False, MRD_SCALE, "positive: 0.01 % is not below 10^-4 (MRD failure at >= 0.01 %)",
                     (ambiguous("MRD exactly 0.01 %: failure by PMC8824253 (>= 0.01 %); "
                                "the ASH table says failure only above 0.01 %"),), details)
    return Grade(False, MRD_SCALE, f"positive: {fmt(m)} % >= 0.01 % (MRD failure)", (), details)


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
    shown = ", ".join(f"{name} {fmt(v)} %" for name, v in lineages.items())
    details: dict[str, object] = {"donor_pct": donor_pct, "lymphoid_pct": lymphoid_pct}
    values = list(lineages.values())
    if all(v > FULL_DONOR_PCT for v in values):
        return Grade("full_donor", CHIMERISM_SCALE, f"full donor: {shown} (> 95 % in every lineage)",
                     (), details)
    if all(v < MIXED_LOW_PCT for v in values):
        return Grade("autologous_reconstitution", CHIMERISM_SCALE,
                     f"autologous reconstitution / graft loss: {shown} (< 5 %)", (), details)
    flags: tuple[str, ...] = ()
    if all(v >= FULL_DONOR_PCT for v in values):
        # Only the exact 95.0 keeps this from "full": CIBMTR's ALL criteria use >= 95 %.
        flags = (ambiguous("donor chimerism exactly 95 %: mixed by ASTCT (> 95 % for full); "
                           "full donor by the CIBMTR ALL criteria (>= 95 %)"),)
    split = " (lineage-split)" if len(values) > 1 and len({v > FULL_DONOR_PCT for v in values}) > 1 else ""
    return Grade("mixed", CHIMERISM_SCALE, f"mixed chimerism{split}: {shown} (5-95 %)", flags, details)


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
        return Grade(None, scale, "marrow blasts not assessed", (provisional("marrow blasts not assessed"),),
                     details)
    blasts = _pct("blasts_pct", blasts_pct)
    if blasts >= BLASTS_CUT_PCT:
        return Grade("not CR", scale, f"not CR: marrow blasts {fmt(blasts)} % (needs < 5 %)", (), details)
    if extramedullary:
        return Grade("not CR", scale, "not CR: extramedullary disease", (), details)

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
        other = "not CR (> 1.0 and > 100)" if inclusive else "CR (>= 1.0 and >= 100)"
        flags.append(ambiguous(f"ANC exactly 1.0 or platelets exactly 100: {criteria} reads {op}; "
                               f"the other criteria sets would say {other}"))
    if missing:
        flags.append(provisional(" and ".join(missing) + " not assessed"))

    if counts_ok:
        category = "CR"
    elif inclusive or missing:
        category = "CRi"
    else:
        # ASH's CRi covers only ANC < 1.0 or platelets < 100, not the exact cut-points.
        low = (a is not None and a < ANC_CR) or (p is not None and p < PLT_CR)
        category = "CRi" if low else "not CR"
    counts = f"ANC {fmt(a) if a is not None else 'n/a'}, platelets {fmt(p) if p is not None else 'n/a'}"
    if category == "not CR":
        return Grade("not CR", scale, f"not CR: blasts {fmt(blasts)} % but {counts} are neither "
                     f"recovered ({op} 1.0 and {op} 100) nor below the CRi cut-points", tuple(flags), details)

    if needs_duration:
        if weeks_sustained is None:
            flags.append(provisional("duration (4 weeks) not assessed"))
        elif dec(weeks_sustained) < CR_WEEKS:
            details["confirmed"] = False
            return Grade("not CR", scale, f"not yet {category} (unconfirmed): blasts {fmt(blasts)} %, "
                         f"{counts}, sustained {fmt(dec(weeks_sustained))} of 4 weeks", tuple(flags), details)
        else:
            details["confirmed"] = True
    why = "counts recovered" if category == "CR" else "counts not recovered"
    return Grade(category, scale, f"{category}: blasts {fmt(blasts)} % (< 5 %), no extramedullary disease, "
                 f"{counts} ({why}, {op} 1.0 and {op} 100)", tuple(flags), details)


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
