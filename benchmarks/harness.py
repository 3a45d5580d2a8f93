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
    median: float
    floor: float | None
    target: float | None
    runs: int

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor else None

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.median <= self.target

    def row(self) -> str:
        floor = f"{self.floor:9.4f}" if self.floor is not None else f"{'-':>9}"
        ratio = f"{self.ratio:7.1f}" if self.ratio is not None else f"{'-':>7}"
        target = f"<= {self.target:g}" if self.target is not None else "-"
        ok = {True: "yes", False: "NO", None: "-"}[self.passed]
        return f"{self.name:44} {self.median:10.4f} {floor} {ratio} {target:>12}  {ok}"

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "median_s": self.median, "floor_s": self.floor,
                "ratio": self.ratio, "target_s": self.target, "pass": self.passed,
                "runs": self.runs}


@dataclass
class Benchmark:
    name: str
    setup: Setup
    body: Body
    target: float | None = None
    runs: int = 5
    floor: Callable[[bool], float] | None = None

    def run(self, *, quick: bool) -> Result:
        runs = 2 if quick else self.runs
        times = []
        for _ in range(runs):
            state = self.setup(quick)
            start = time.perf_counter()
            self.body(state)
            times.append(time.perf_counter() - start)
        floor = self.floor(quick) if self.floor else None
        return Result(self.name, statistics.median(times), floor, self.target, runs)


BENCHMARKS: list[Benchmark] = []


def benchmark(name: str, *, setup: Setup, target: float | None = None, runs: int = 5,
              floor: Callable[[bool], float] | None = None) -> Callable[[Body], Body]:
    """Register a benchmark body under ``name``."""
    def register(body: Body) -> Body:
        BENCHMARKS.append(Benchmark(name, setup, body, target, runs, floor))
        return body
    return register
