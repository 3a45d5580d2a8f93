"""The trend panels as data: series, context markers, course bands, grade markers.

The app's live plots, `hemalog plot` and the printed summary all draw from
``trend_data(record, derived)``, so the three always agree.
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from clinical.days import ANCHOR_LABELS
from clinical.derive import Derived, grade_label, grade_rank
from clinical.messages import Msg, msg, translate
from clinical.record import AssessmentKind, EventType, Lab, LabTest, Record

__all__ = ["Series", "Panel", "Marker", "Band", "GradeMarker", "TrendData", "trend_data",
           "PANEL_SPECS", "MRD_NOT_DETECTED"]

# MRD "not detected" (0 %) cannot sit on a log axis: it is drawn at the 10^-4
# threshold with its own symbol and labelled as not detected.
MRD_NOT_DETECTED = 0.01


@dataclass(frozen=True)
class Series:
    key: str                                  # "anc", "mrd", ...
    label: str                                # "ANC"
    unit: str
    points: tuple[tuple[date, float], ...]    # sorted by date
    not_detected: tuple[date, ...] = ()       # MRD results of 0 (drawn at the threshold)


@dataclass(frozen=True)
class Panel:
    key: str                                  # "A".."E"
    title: str
    y_label: str
    series: tuple[Series, ...]
    log_y: bool = False
    thresholds: tuple[tuple[float, str], ...] = ()

    @property
    def has_data(self) -> bool:
        return any(s.points or s.not_detected for s in self.series)


@dataclass(frozen=True)
class Marker:
    """A labelled vertical line: CAR-T, HSCT, PET-CT, engraftment."""

    date: date
    label: str
    kind: str


@dataclass(frozen=True)
class Band:
    """A course, shaded from its first to its last administration."""

    start: date
    end: date
    label: str
    category: str


@dataclass(frozen=True)
class GradeMarker:
    date: date
    kind: str           # crs, icans, agvhd, cgvhd
    rank: int           # 0-5 (chronic GVHD: none 0 ... severe 3); -1 when not derivable
    label: str          # "CRS 3"


@dataclass(frozen=True)
class TrendData:
    panels: tuple[Panel, ...]
    markers: tuple[Marker, ...]
    bands: tuple[Band, ...]
    grades: tuple[GradeMarker, ...]
    transfusions: tuple[tuple[date, str], ...]
    anchors: dict[EventType, date] = field(default_factory=dict)

    def first_date(self) -> date | None:
        dates = [p[0] for panel in self.panels for s in panel.series for p in s.points]
        dates += [b.start for b in self.bands] + [m.date for m in self.markers]
        return min(dates) if dates else None

    def last_date(self) -> date | None:
        dates = [p[0] for panel in self.panels for s in panel.series for p in s.points]
        dates += [b.end for b in self.bands] + [m.date for m in self.markers]
        return max(dates) if dates else None


# Titles and labels of the panels (clinical.messages: English as always, rendered per
# reader); units and the abbreviations staff use (WBC, ANC, Hb, PLT, MRD...) stay as they are.
TITLE_WHITE_CELLS = msg(translate("clinical", "White cells and neutrophils", "series.panel.white_cells"))
TITLE_HB_PLT = msg(translate("clinical", "Haemoglobin and platelets", "series.panel.hb_platelets"))
TITLE_MRD = msg(translate("clinical", "MRD and TCR rearrangement", "series.panel.mrd"))
TITLE_CAR_T = msg(translate("clinical", "CAR-T cells", "series.panel.car_t"))
TITLE_INFLAMMATION = msg(translate("clinical", "Inflammation", "series.panel.inflammation"))
Y_LOG_PERCENT = msg(translate("clinical", "% (log)", "series.axis.percent_log"))
Y_OF_LYMPHOCYTES = msg(translate("clinical", "% of lymphocytes", "series.axis.percent_of_lymphocytes"))
Y_LOG_SCALE = msg(translate("clinical", "log scale", "series.axis.log_scale"))
FERRITIN = msg(translate("clinical", "Ferritin ng/mL", "series.label.ferritin"))
ENGRAFTED = translate("clinical", "{lineage} engrafted d+{day}", "series.marker.engrafted")
GRADE_MARKER = translate("clinical", "{kind} {grade}", "series.grade_marker")
AGVHD_MARKER = translate("clinical", "{kind} {grade}", "series.grade_marker.agvhd")
CGVHD_MARKER = translate("clinical", "{kind} {severity}", "series.grade_marker.cgvhd")
NO_GRADE_MARKER = translate("clinical", "{kind} None", "series.grade_marker.none")

# Panel key, title, y label, log axis, (lab test, label) series, thresholds.
PANEL_SPECS: tuple[tuple[str, str, str, bool, tuple[tuple[str, str], ...],
                         tuple[tuple[float, str], ...]], ...] = (
    ("A", TITLE_WHITE_CELLS, "10⁹/L", False,
     (("wbc", "WBC"), ("anc", "ANC")), ((0.5, "ANC 0.5"),)),
    ("B", TITLE_HB_PLT, "Hb g/L · PLT 10⁹/L", False,
     (("hb", "Hb"), ("plt", "PLT")), ((20, "PLT 20"),)),
    ("C", TITLE_MRD, Y_LOG_PERCENT, True,
     (("mrd", "MRD"), ("tcr_pct", "TCR")), ((0.01, "MRD 0.01 %"),)),
    ("D", TITLE_CAR_T, Y_OF_LYMPHOCYTES, False, (("car_t_pct", "CAR-T"),), ()),
    ("E", TITLE_INFLAMMATION, Y_LOG_SCALE, True,
     (("crp", "CRP mg/L"), ("ferritin", FERRITIN), ("il6", "IL-6 pg/mL")), ()),
)

_UNITS = {"wbc": "10⁹/L", "anc": "10⁹/L", "hb": "g/L", "plt": "10⁹/L", "mrd": "%",
          "tcr_pct": "%", "car_t_pct": "%", "crp": "mg/L", "ferritin": "ng/mL", "il6": "pg/mL"}


def lab_points(labs: Iterable[Lab], test: LabTest | str) -> tuple[tuple[date, float], ...]:
    """(date, value) of one test, sorted by date (several a day all kept)."""
    wanted = LabTest(test)
    return tuple(sorted(((lab.date, lab.value) for lab in labs if lab.test is wanted),
                        key=lambda p: p[0]))


def trend_data(record: Record, derived: Derived, *,
               previous: tuple[Sequence[Lab], TrendData] | None = None) -> TrendData:
    """The panels, markers, bands and grades of ``record``.

    ``previous``: (labs, the TrendData made from them), what was drawn for this patient
    last. When ``record.labs`` begin with those very lab objects (a lab saved is added
    at the end), each plotted test's points are the previous ones with the new labs'
    points put in their place, instead of grouping and sorting years of daily counts
    again after every value saved. The result is the same either way."""
    labs_by_test = _points_after(record.labs, previous)
    if labs_by_test is None:
        labs_by_test = _points_by_test(record.labs)
    mrd = sorted((m for m in record.marrow if m.mrd_pct is not None), key=lambda m: m.date)
    panels = []
    for key, title, y_label, log_y, series_spec, thresholds in PANEL_SPECS:
        series = []
        for test, label in series_spec:
            if test == "mrd":
                series.append(Series("mrd", label, "%",
                                     tuple((m.date, m.mrd_pct) for m in mrd if m.mrd_pct),
                                     tuple(m.date for m in mrd if m.mrd_pct == 0)))
            else:
                series.append(Series(test, label, _UNITS[test],
                                     labs_by_test.get(LabTest(test), ())))
        panels.append(Panel(key, title, y_label, tuple(series), log_y, thresholds))

    markers: list[Marker] = []
    for event_type, when in derived.anchors.items():
        markers.append(Marker(when, ANCHOR_LABELS[event_type], event_type.value))
    for e in record.events:
        if e.type is EventType.PET_CT:
            score = e.details.get("deauville")
            markers.append(Marker(e.date, f"PET-CT D{score}" if score else "PET-CT", "pet_ct"))
    summary = derived.engraftment_summary() or {}
    for lineage, short in (("neutrophil", "ANC"), ("platelet", "PLT")):
        found = summary.get(lineage)
        if found and found["date"]:
            markers.append(Marker(date.fromisoformat(found["date"]),
                                  msg(ENGRAFTED, lineage=short, day=found["day"]),
                                  f"engraftment_{lineage}"))

    bands = []
    for course, calcs in zip(record.courses, derived.doses):
        dates = [d for calc in calcs if calc.dates for d in calc.dates]
        if dates:
            bands.append(Band(min(dates), max(dates) + timedelta(days=1), course.name,
                              course.category.value))
    grades = []
    short = {"crs": "CRS", "icans": "ICANS", "agvhd": "aGVHD", "cgvhd": "cGVHD"}
    for a, grade in zip(record.assessments, derived.grades):
        rank = grade_rank(a.kind, grade.value)
        grades.append(GradeMarker(a.date, a.kind.value, rank,
                                  _grade_marker(short[a.kind.value], a.kind, grade.value)))
    transfusions = tuple(sorted((e.date, str(e.details.get("product", "")))
                                for e in record.events if e.type is EventType.TRANSFUSION))
    return TrendData(tuple(panels), tuple(sorted(markers, key=lambda m: m.date)),
                     tuple(sorted(bands, key=lambda b: b.start)), tuple(grades), transfusions,
                     dict(derived.anchors))


Points = tuple[tuple[date, float], ...]
_DAY = operator.itemgetter(0)


# The lab tests the panels plot (MRD is drawn from the marrow results).
_PLOTTED = tuple(LabTest(test) for *_spec, series, _t in PANEL_SPECS for test, _l in series
                 if test != "mrd")


def _points_by_test(labs: Iterable[Lab]) -> dict[LabTest, Points]:
    """(date, value) of the plotted tests' labs, per test, sorted by date (labs of one
    date in the record's order: the sort is stable)."""
    by_test: dict[LabTest, list[tuple[date, float]]] = {test: [] for test in _PLOTTED}
    for lab in labs:
        found = by_test.get(lab.test)
        if found is not None:
            found.append((lab.date, lab.value))
    for points in by_test.values():
        points.sort(key=_DAY)
    return {test: tuple(points) for test, points in by_test.items()}


def _points_after(labs: Sequence[Lab], previous: tuple[Sequence[Lab], TrendData] | None
                  ) -> dict[LabTest, Points] | None:
    """The plotted tests' points of ``labs`` worked out from ``previous`` (see
    ``trend_data``), or None when ``labs`` do not begin with the previous labs.

    A new lab's point goes after every point of its date already there: where the
    stable sort of all the labs puts it, since it comes after them in the record."""
    if previous is None:
        return None
    before, trend = previous
    if len(before) > len(labs) or not all(map(operator.is_, labs, before)):
        return None
    points = {test: _series(trend, test).points for test in _PLOTTED}
    for lab in labs[len(before):]:
        found = points.get(lab.test)
        if found is None:
            continue   # a test no panel plots
        at = bisect_right(found, lab.date, key=_DAY)
        points[lab.test] = (*found[:at], (lab.date, lab.value), *found[at:])
    return points


def _series(trend: TrendData, key: str) -> Series:
    return next(s for panel in trend.panels for s in panel.series if s.key == key)


def _grade_marker(kind: str, assessment: AssessmentKind, value: object) -> Msg:
    """'CRS 3', 'aGVHD 2', 'cGVHD moderate'; 'CRS None' when not derivable."""
    if value is None:
        return msg(NO_GRADE_MARKER, kind=kind)
    if assessment is AssessmentKind.CGVHD:
        return msg(CGVHD_MARKER, kind=kind, severity=grade_label(assessment, value) or str(value))
    if assessment is AssessmentKind.AGVHD:
        return msg(AGVHD_MARKER, kind=kind, grade=str(value))
    return msg(GRADE_MARKER, kind=kind, grade=str(value))
