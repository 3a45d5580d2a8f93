"""Acute GVHD: MAGIC 2016 organ stages and overall grade; IBMTR and Keystone for comparison.

The rules are clinical-rules.md Part A "Acute GVHD (MAGIC)" and Part B §3.
Values are rounded half-up to the table's printed precision before staging
(Part A 1.1 "Rounding (scope)": bilirubin 0.1 mg/dL, stool whole mL, stool
0.1 mL/kg, rash whole %); when that rounding moved the value across a
cut-point, in either direction, the grade carries an ``ambiguous`` flag naming
both values. Comparisons are in Decimal, never in binary floats.

Reasons and flags are ``Msg``s (clinical/messages.py) whose English is the
wording below; organ names are vocabulary (context "term").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Final

from clinical.errors import HemalogError
from clinical.grading.result import Grade, ambiguous, graded, not_assessed, noted, provisional
from clinical.messages import Msg, as_written, msg, translate
from clinical.units import as_typed, per_typed_number

__all__ = ["SCALE", "IBMTR_SCALE", "KEYSTONE_SCALE", "ORGANS",
           "grade_agvhd", "ibmtr_index", "keystone_grade"]

SCALE = "MAGIC 2016"
IBMTR_SCALE = "IBMTR 1997"
KEYSTONE_SCALE = "Keystone 1994"

ORGANS = ("skin", "liver", "upper_gi", "lower_gi")
_ORGAN_NAMES: dict[str, Msg] = {
    "skin": msg(translate("term", "skin", "term.gvhd.organ.skin")),
    "liver": msg(translate("term", "liver", "term.gvhd.organ.liver")),
    "upper_gi": msg(translate("term", "upper GI", "term.gvhd.organ.upper_gi")),
    "lower_gi": msg(translate("term", "lower GI", "term.gvhd.organ.lower_gi")),
}
_ROMAN = ("0", "I", "II", "III", "IV")

_UMOL_PER_MG = Decimal("17.1")

# -- the words of the reasons and flags (English as it has always been) -----------------
_T_RASH_ROUNDED = translate("clinical", "rash {rash}% BSA rounded to {rounded}% (skin stage {stage})", "agvhd.ambiguous.rash_rounded")
_T_RASH_ROUNDED_BULLAE = translate("clinical", "rash {rash}% BSA rounded to {rounded}% (skin stage {stage}; bullae need a rash over 50%)", "agvhd.ambiguous.rash_rounded_bullae")
_T_BILI_ROUNDED = translate("clinical", "bilirubin {mg} mg/dL rounded to {rounded} (liver stage {stage})", "agvhd.ambiguous.bilirubin_rounded")
_T_BILI_UMOL_ROUNDED = translate("clinical", "bilirubin {umol} µmol/L = {mg} mg/dL rounded to {rounded} (liver stage {stage})", "agvhd.ambiguous.bilirubin_umol_rounded")
_T_STOOL_ROUNDED = translate("clinical", "stool {value} {unit} rounded to {rounded} (lower GI stage {stage})", "agvhd.ambiguous.stool_rounded")
_T_PER_KG_USED = translate("clinical", "stool mL/kg/day used (lower GI stage {stage}); {per_day} mL/day would give stage {other}", "agvhd.ambiguous.per_kg_used")
_T_VOLUME_USED = translate("clinical", "stool volume used (lower GI stage {stage}); {episodes} episodes/day would give stage {other}", "agvhd.ambiguous.volume_used")
_T_WHY_RASH = translate("clinical", "rash {rash}% BSA, {row}", "agvhd.rash")
_T_WHY_BILI = translate("clinical", "bilirubin {mg} mg/dL, {row}", "agvhd.bilirubin")
_T_WHY_BILI_UMOL = translate("clinical", "bilirubin {umol} µmol/L = {mg} mg/dL, {row}", "agvhd.bilirubin_umol")
_T_WHY_UPPER = translate("clinical", "persistent nausea, vomiting or anorexia", "agvhd.upper_gi")
_T_WHY_PAIN = translate("clinical", "severe abdominal pain", "agvhd.severe_abdominal_pain")
_T_WHY_BLOODY = translate("clinical", "grossly bloody stool", "agvhd.bloody_stool")
_T_WHY_EPISODES = translate("clinical", "{episodes} episodes/day, {row}", "agvhd.episodes")
_T_WHY_STOOL = translate("clinical", "stool {value} {unit}, {row}", "agvhd.stool")
_T_ORGAN_STAGE = translate("clinical", "{organ} stage {stage} ({why})", "agvhd.organ_stage")
_T_NO_ORGAN = translate("clinical", "no organ involved", "agvhd.no_organ_involved")
_T_NONE_ASSESSED = translate("clinical", "no organ assessed", "agvhd.no_organ_assessed")
_NO_ORGAN: Final = msg(_T_NO_ORGAN)
_NOTHING_INVOLVED: Final = graded(_ROMAN[0], _NO_ORGAN)


# A printed bound: (value, inclusive); None is unbounded.
_Bound = tuple[Decimal, bool] | None


def _printed_row(label: str) -> tuple[_Bound, _Bound]:
    """The bounds of a row exactly as printed: "<2.0", "2.0-3.0", ">15.0" or "0"."""
    if label[0] in "<>":
        bound = (Decimal(label[1:]), False)
        return (None, bound) if label[0] == "<" else (bound, None)
    low, _, high = label.partition("-")
    return (Decimal(low), True), (Decimal(high or low), True)


def _within(value: Decimal, row: tuple[_Bound, _Bound]) -> bool:
    low, high = row
    return ((low is None or value > low[0] or (low[1] and value == low[0]))
            and (high is None or value < high[0] or (high[1] and value == high[0])))


@dataclass(frozen=True, slots=True, eq=False)
class _Table:
    """One organ table as printed: a row per stage (``labels``) at a fixed precision.

    Every value at the table's precision lies in exactly one row, so the rounded
    value's stage is the row that holds it (the first one, for rash 0: "0"
    before "<25").

    What "rounding moved the value across a cut-point" means (Part A 1.1, "in
    either direction"): the raw value, read against the rows as printed, is
    not in the row its rounded value falls in. Either it is in another row
    (rash 24.6% is "<25", rounded 25% is "25-50": up across; rash 50.4% is
    ">50", rounded 50% is "25-50": down across; stool 1500.4 mL is ">1500",
    rounded 1500 is "1000-1500") or it sits in the gap between two printed rows,
    which neither row claims (bilirubin 3.04 and 3.05 lie between "2.0-3.0" and
    "3.1-6.0": rounding takes 3.04 down to stage 1 and 3.05 up to stage 2, and
    both are flagged, as Part B §0 calls values between table rows ambiguous).
    A raw value already inside its rounded value's row is not flagged (3.14 ->
    3.1; 15.05 -> 15.1, since ">15.0" holds 15.05 as printed).
    """

    labels: tuple[str, ...]
    step: Decimal
    unit: str
    rows: tuple[tuple[_Bound, _Bound], ...]

    def stage(self, raw: Decimal) -> tuple[int, Decimal, bool]:
        """(stage, rounded value, whether rounding moved it across a cut-point)."""
        rounded = raw.quantize(self.step, rounding=ROUND_HALF_UP)
        # The rows ascend and every value at the table's precision lies in exactly one,
        # so the rounded value's row is the first whose upper bound admits it.
        stage = 0
        for stage, (_low, high) in enumerate(self.rows):
            if high is None or rounded < high[0] or (high[1] and rounded == high[0]):
                break
        return stage, rounded, not _within(raw, self.rows[stage])


def _table(labels: tuple[str, ...], step: str, unit: str) -> _Table:
    return _Table(labels, Decimal(step), unit, tuple(_printed_row(label) for label in labels))


_BILIRUBIN = _table(("<2.0", "2.0-3.0", "3.1-6.0", "6.1-15.0", ">15.0"), "0.1", "mg/dL")
_STOOL_ADULT = _table(("<500", "500-999", "1000-1500", ">1500"), "1", "mL/day")
_STOOL_CHILD = _table(("<10.0", "10.0-19.9", "20.0-30.0", ">30.0"), "0.1", "mL/kg/day")
# Skin stages 0-3 by the rash alone; bullae turn stage 3 into 4 (_skin).
_RASH = _table(("0", "<25", "25-50", ">50"), "1", "% BSA")


def _reader(table: _Table, key: str) -> Callable[[Any], tuple[Decimal, int, Decimal, bool]]:
    """How ``key`` is read against ``table``: the finding as typed (checked: a finite
    number >= 0) and its stage, rounded value and crossing (remembered for ints and
    floats: the tables are constants)."""
    @per_typed_number(4096)
    def read(value: Any) -> tuple[Decimal, int, Decimal, bool]:
        raw = _decimal(value, key)
        return (raw, *table.stage(raw))
    return read


_READ: Final = {"skin_rash_bsa_pct": _reader(_RASH, "skin_rash_bsa_pct"),
                "bilirubin_mg_dl": _reader(_BILIRUBIN, "bilirubin_mg_dl"),
                "stool_ml_day": _reader(_STOOL_ADULT, "stool_ml_day"),
                "stool_ml_kg_day": _reader(_STOOL_CHILD, "stool_ml_kg_day")}
_EPISODE_LABELS = ("<3", "3-4", "5-7", ">7")
_SKIN_LABELS = ("0%", "<25%", "25-50%", ">50%",
                msg(translate("term", ">50% with bullae", "term.gvhd.skin_over_50_bullae")))


def _decimal(value: Any, key: str) -> Decimal:
    """A finding as an exact decimal of what was typed (str() avoids binary noise)."""
    d = as_typed(value)
    if not d.is_finite() or d < 0:
        raise HemalogError(f"findings.{key}: must be a finite number >= 0, not {value!r}")
    return d


def _episode_stage(episodes: int) -> int:
    # Adult cut-offs always (Part A): 3-4 -> 1, 5-7 -> 2, > 7 -> 3.
    if episodes < 3:
        return 0
    if episodes < 5:
        return 1
    return 2 if episodes <= 7 else 3


def _skin(f: Mapping[str, Any], flags: list[str], compared: dict[str, Any]) -> int | None:
    rash = f.get("skin_rash_bsa_pct")
    bullae = bool(f.get("skin_bullae"))
    if rash is None:
        if bullae:
            raise HemalogError("findings.skin_bullae: needs skin_rash_bsa_pct over 50%")
        return None
    raw, stage, rounded, crossed = _READ["skin_rash_bsa_pct"](rash)
    if raw > 100:
        raise HemalogError(f"findings.skin_rash_bsa_pct: must be 0-100, not {rash!r}")
    if bullae and raw <= 50:
        # Stage 4 is a conjunction with generalized erythroderma (Part A: validation
        # error). Checked on the value as typed, as the record validator does.
        raise HemalogError("findings.skin_bullae: bullae are stage 4 only with a rash over "
                          "50% of the body surface")
    compared["skin_rash_bsa_pct"] = int(rounded)
    if stage == 3 and bullae:
        stage = 4
    if crossed:
        # With bullae, 50.4% rounds to 50%: not over 50%, so stage 2, not 4.
        flags.append(ambiguous(msg(_T_RASH_ROUNDED_BULLAE if bullae else _T_RASH_ROUNDED,
                                   rash=as_written(rash), rounded=str(rounded), stage=stage)))
    return stage


def _liver(f: Mapping[str, Any], flags: list[str], compared: dict[str, Any]) -> int | None:
    mg = f.get("bilirubin_mg_dl")
    umol = f.get("bilirubin_umol_l")
    if mg is not None and umol is not None:
        raise HemalogError("findings.bilirubin_umol_l: give bilirubin in one unit only "
                          "(mg/dL or µmol/L)")
    if mg is not None:
        raw, stage, rounded, crossed = _READ["bilirubin_mg_dl"](mg)
    elif umol is not None:
        raw = _decimal(umol, "bilirubin_umol_l") / _UMOL_PER_MG
        stage, rounded, crossed = _BILIRUBIN.stage(raw)
    else:
        return None
    compared["bilirubin_mg_dl"] = float(rounded)
    if crossed:
        if mg is not None:
            text = msg(_T_BILI_ROUNDED, mg=as_written(mg), rounded=str(rounded), stage=stage)
        else:
            text = msg(_T_BILI_UMOL_ROUNDED, umol=as_written(umol), mg=f"{raw:.4f}", rounded=str(rounded),
                       stage=stage)
        flags.append(ambiguous(text))
    return stage


def _upper_gi(f: Mapping[str, Any]) -> int | None:
    persistent = f.get("upper_gi_persistent")
    return None if persistent is None else (1 if persistent else 0)


def _volume_stage(table: _Table, value: Any, key: str, flags: list[str],
                  compared: dict[str, Any]) -> int:
    _raw, stage, rounded, crossed = _READ[key](value)
    compared[key] = int(rounded) if table.step == 1 else float(rounded)
    if crossed:
        flags.append(ambiguous(msg(_T_STOOL_ROUNDED, value=as_written(value), unit=table.unit,
                                   rounded=str(rounded), stage=stage)))
    return stage


def _lower_gi(f: Mapping[str, Any], flags: list[str],
              compared: dict[str, Any]) -> tuple[int | None, str]:
    """Lower GI stage and the finding it rests on (a findings key)."""
    # Stage 4 applies whatever the volume, so nothing else can change it.
    if f.get("severe_abdominal_pain"):
        return 4, "severe_abdominal_pain"
    if f.get("bloody_stool"):
        return 4, "bloody_stool"
    per_kg = f.get("stool_ml_kg_day")
    per_day = f.get("stool_ml_day")
    episodes = f.get("stool_episodes_day")
    if per_kg is not None:
        # An entered mL/kg value says the patient is a child (<= 50 kg).
        basis = "stool_ml_kg_day"
        stage = _volume_stage(_STOOL_CHILD, per_kg, basis, flags, compared)
        if per_day is not None:
            adult = _READ["stool_ml_day"](per_day)[1]
            if adult != stage:
                flags.append(ambiguous(msg(_T_PER_KG_USED, stage=stage, per_day=as_written(per_day),
                                           other=adult)))
    elif per_day is not None:
        basis = "stool_ml_day"
        stage = _volume_stage(_STOOL_ADULT, per_day, basis, flags, compared)
    elif episodes is not None:
        return _episode_stage(episodes), "stool_episodes_day"
    else:
        return None, ""
    if episodes is not None:
        # No published tie-break: measured volume wins (Part A), the other reading is flagged.
        by_episodes = _episode_stage(episodes)
        if by_episodes != stage:
            flags.append(ambiguous(msg(_T_VOLUME_USED, stage=stage, episodes=as_written(episodes),
                                       other=by_episodes)))
    return stage, basis


def _overall(skin: int, liver: int, upper: int, lower: int) -> tuple[int, str]:
    """MAGIC grade, top-down, and the organ that decided it (not the highest stage)."""
    if skin == 4:
        return 4, "skin"
    if liver == 4:
        return 4, "liver"
    if lower == 4:
        return 4, "lower_gi"
    if liver in (2, 3):
        return 3, "liver"
    if lower in (2, 3):
        return 3, "lower_gi"
    if skin == 3:
        return 2, "skin"
    if liver == 1:
        return 2, "liver"
    if upper == 1:
        return 2, "upper_gi"
    if lower == 1:
        return 2, "lower_gi"
    if skin in (1, 2):
        return 1, "skin"
    return 0, ""


def _shown(organ: str, f: Mapping[str, Any], compared: Mapping[str, Any],
           basis: str) -> tuple[Any, Any]:
    """The values the deciding organ's clause quotes: the one compared (as shown), and the
    bilirubin in µmol/L as written when that was what was entered."""
    if organ == "skin":
        return compared["skin_rash_bsa_pct"], None
    if organ == "liver":
        umol = f.get("bilirubin_umol_l")
        return f"{compared['bilirubin_mg_dl']:.1f}", None if umol is None else as_written(umol)
    if organ == "upper_gi" or basis in ("severe_abdominal_pain", "bloody_stool"):
        return None, None
    if basis == "stool_episodes_day":
        return as_written(f[basis]), None
    return compared[basis], None


def _why(organ: str, stage: int, basis: str, shown: Any, umol: Any) -> Msg:
    """The finding and table row behind an organ's stage."""
    if organ == "skin":
        return msg(_T_WHY_RASH, rash=shown, row=_SKIN_LABELS[stage])
    if organ == "liver":
        row = _BILIRUBIN.labels[stage]
        if umol is None:
            return msg(_T_WHY_BILI, mg=shown, row=row)
        return msg(_T_WHY_BILI_UMOL, umol=umol, mg=shown, row=row)
    if organ == "upper_gi":
        return msg(_T_WHY_UPPER)
    if basis == "severe_abdominal_pain":
        return msg(_T_WHY_PAIN)
    if basis == "bloody_stool":
        return msg(_T_WHY_BLOODY)
    if basis == "stool_episodes_day":
        return msg(_T_WHY_EPISODES, episodes=shown, row=_EPISODE_LABELS[stage])
    table = _STOOL_CHILD if basis == "stool_ml_kg_day" else _STOOL_ADULT
    return msg(_T_WHY_STOOL, value=shown, unit=table.unit, row=table.labels[stage])


@lru_cache(maxsize=4096, typed=True)
def _decided(grade: int, organ: str, stage: int, basis: str, shown: Any, umol: Any
             ) -> tuple[Msg, Msg]:
    """The deciding organ's clause ("liver stage 2 (bilirubin 3.5 mg/dL, 3.1-6.0)") and the
    reason with it ("grade III: ..."). Made once per set of plain values quoted (typed:
    a stool of 1 and 1.0 mL/kg read differently); a Msg cannot change."""
    because = msg(_T_ORGAN_STAGE, organ=_ORGAN_NAMES[organ], stage=stage,
                  why=_why(organ, stage, basis, shown, umol))
    return because, graded(_ROMAN[grade], because)


def grade_agvhd(findings: Mapping[str, Any]) -> Grade:
    """Stage each organ and give the overall MAGIC 2016 grade (0-4 for 0, I-IV).

    An organ with no finding is not assessed: it is reported as None in
    ``details["stages"]``, counts as stage 0 for the grade, and adds a
    provisional flag. Absent ``severe_abdominal_pain``/``bloody_stool`` read as
    not present. ``details["compared"]`` holds the rounded values staged.
    Bullae without a rash over 50%, or bilirubin in both units, raise
    HemalogError (the record validator refuses them first).
    """
    flags: list[str] = []
    compared: dict[str, Any] = {}
    skin = _skin(findings, flags, compared)
    liver = _liver(findings, flags, compared)
    upper = _upper_gi(findings)
    lower, basis = _lower_gi(findings, flags, compared)
    stages = {"skin": skin, "liver": liver, "upper_gi": upper, "lower_gi": lower}
    grade, organ = _overall(skin or 0, liver or 0, upper or 0, lower or 0)
    because: str
    if organ:
        because, reason = _decided(grade, organ, stages[organ] or 0, basis,
                                   *_shown(organ, findings, compared, basis))
    else:
        because, reason = _NO_ORGAN, _NOTHING_INVOLVED
    if skin is None or liver is None or upper is None or lower is None:
        missing = [_ORGAN_NAMES[o] for o in ORGANS if stages[o] is None]
        if len(missing) == len(ORGANS):
            because = msg(_T_NONE_ASSESSED)
        else:
            because = noted(because, not_assessed(missing))
        flags.extend(provisional(not_assessed(name)) for name in missing)
        reason = graded(_ROMAN[grade], because)
    return Grade(grade, SCALE, reason, tuple(flags), {"stages": stages, "compared": compared})


def _stage(stages: Mapping[str, int | None], organ: str) -> int:
    return stages.get(organ) or 0


def ibmtr_index(stages: Mapping[str, int | None]) -> str:
    """IBMTR Severity Index (Rowlings 1997, Part B §3.3) from MAGIC organ stages.

    Gut is the worse of upper and lower GI; a None stage counts as 0. Returns
    "A"-"D", or "none" when no organ is involved (the index has no letter for it).
    """
    skin, liver = _stage(stages, "skin"), _stage(stages, "liver")
    gut = max(_stage(stages, "upper_gi"), _stage(stages, "lower_gi"))
    worst = max(skin, liver, gut)
    if worst == 4:
        return "D"
    if worst == 3:
        return "C"
    # B is any stage 2, or any liver or gut involvement; A is skin 1 alone.
    if worst == 2 or liver or gut:
        return "B"
    return "A" if skin == 1 else "none"


def keystone_grade(stages: Mapping[str, int | None]) -> int:
    """Modified Glucksberg / Keystone 1994 overall grade 0-4 (Part B §3.4).

    Gut is lower GI only: Keystone counts nausea only with histology, which the
    findings do not record. Unlike MAGIC, gut stage 4 is grade III; there is no
    performance-status arm. A None stage counts as 0.
    """
    skin, liver, gut = _stage(stages, "skin"), _stage(stages, "liver"), _stage(stages, "lower_gi")
    if skin == 4 or liver == 4:
        return 4
    if liver in (2, 3) or gut >= 2:
        return 3
    if skin == 3 or liver == 1 or gut == 1:
        return 2
    return 1 if skin in (1, 2) else 0
