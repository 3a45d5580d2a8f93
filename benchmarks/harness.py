"""Timing harness: median of repeated runs, compared with a target and a floor."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A benchmark body gets the prepared state and returns nothing; setup builds
# the state once per run outside the timed region.
Setup = Callable[[bool], Any]
Body = Callable[[Any], None]


@dataclass
class Result:
    name: str
    median: float | None
    floor: float | None
    target: float | None
    runs: int
    max_ratio: float | None = None
    value: float | None = None      # a measured fact that is not a time (e.g. bytes)
    unit: str = "s"

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor and self.median is not None else None

    @property
    def passed(self) -> bool | None:
        if self.target is None and self.max_ratio is None:
            return None
        ok = self.target is None or (self.median is not None and self.median <= self.target)
        if self.max_ratio is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.max_ratio
        return ok

    def row(self) -> str:
        if self.value is not None:
            return f"{self.name:52} {self.value:10.0f} {self.unit}"
        floor = f"{self.floor:9.4f}" if self.floor is not None else f"{'-':>9}"
        ratio = f"{self.ratio:7.1f}" if self.ratio is not None else f"{'-':>7}"
        target = f"<= {self.target:g}" if self.target is not None else "-"
        if self.max_ratio is not None:
            target += f", {self.max_ratio:g}x"
        ok = {True: "yes", False: "NO", None: "-"}[self.passed]
        return f"{self.name:52} {self.median:10.4f} {floor} {ratio} {target:>14}  {ok}"

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "median_s": self.median, "floor_s": self.floor,
                "ratio": self.ratio, "target_s": self.target, "max_ratio": self.max_ratio,
                "pass": self.passed, "runs": self.runs,
                **({"value": self.value, "unit": self.unit} if self.value is not None else {})}


@dataclass
class Benchmark:
    name: str
    setup: Setup
    body: Body
    target: float | None = None
    runs: int = 5
    floor: Callable[[bool], float] | None = None
    max_ratio: float | None = None

    def run(self, *, quick: bool) -> Result:
        runs = 2 if quick else self.runs
        times = []
        for _ in range(runs):
            state = self.setup(quick)
            start = time.perf_counter()
            self.body(state)
            times.append(time.perf_counter() - start)
        floor = self.floor(quick) if self.floor else None
        return Result(self.name, statistics.median(times), floor, self.target, runs,
                      self.max_ratio)


@dataclass
class Fact:
    """A measured quantity reported beside the timings (no target)."""

    name: str
    measure: Callable[[bool], float]
    unit: str

    def run(self, *, quick: bool) -> Result:
        return Result(self.name, None, None, None, 1, value=self.measure(quick), unit=self.unit)


BENCHMARKS: list[Benchmark | Fact] = []


def benchmark(name: str, *, setup: Setup, target: float | None = None, runs: int = 5,
              floor: Callable[[bool], float] | None = None,
              max_ratio: float | None = None) -> Callable[[Body], Body]:
    """Register a benchmark body under ``name``."""
    def register(body: Body) -> Body:
        BENCHMARKS.append(Benchmark(name, setup, body, target, runs, floor, max_ratio))
        return body
    return register


def fact(name: str, *, unit: str) -> Callable[[Callable[[bool], float]], Callable[[bool], float]]:
    def register(measure: Callable[[bool], float]) -> Callable[[bool], float]:
        BENCHMARKS.append(Fact(name, measure, unit))
        return measure
    return register


# --- the end of a run -------------------------------------------------------------------------
_AT_END: list[Callable[[], None]] = []


def at_end(close: Callable[[], None]) -> None:
    """Run ``close`` when the benchmarks are done (once, however often it is given),
    before Qt is taken down: not at the interpreter's exit, where PySide's objects are
    freed in no order and a run that wrote all its results could still crash."""
    if close not in _AT_END:
        _AT_END.append(close)


def finish() -> None:
    """Close what the benchmarks opened (last opened first), then take Qt down."""
    while _AT_END:
        _AT_END.pop()()
    import sys
    if "PySide6.QtWidgets" in sys.modules:
        from gui.teardown import tear_down
        tear_down()

