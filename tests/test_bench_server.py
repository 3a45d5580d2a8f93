"""The server benchmark's code paths on the 20-patient cohort (issue 16), so they cannot
rot: every figure is produced, in the table's order, and the concurrent saves lose and
double nothing on either backend. No timing is asserted (a test machine's load decides
those); the full run is `python -m benchmarks --only pg/file`."""

from __future__ import annotations

import pytest

from benchmarks import bench_server
from benchmarks.harness import Result


@pytest.fixture(scope="module")
def figures() -> dict[str, Result]:
    from tests.pgserver import PgServerUnavailable, unavailable

    try:
        results = bench_server.measure(True, seconds=1.0, log=False)
    except PgServerUnavailable as exc:
        unavailable(exc)
    return {r.name: r for r in results}


def test_every_figure_in_the_table_order(figures: dict[str, Result]) -> None:
    assert list(figures) == bench_server.names()
    registered = [b.name for b in bench_server.BENCHMARKS
                  if isinstance(b, bench_server.ServerFigure)]
    assert registered == bench_server.names()


def test_timings_are_measured_on_both_backends(figures: dict[str, Result]) -> None:
    timed = [r for r in figures.values() if r.value is None]
    assert len(timed) == 12
    assert all(r.median is not None and r.median > 0 for r in timed)
    for backend in (bench_server.SQLITE, bench_server.SERVER):
        save = figures[f"{bench_server.PREFIX}save a lab (the store's call), {backend}"]
        assert save.floor is not None and save.floor > 0


@pytest.mark.parametrize("backend", [bench_server.SQLITE, bench_server.SERVER])
def test_concurrent_saves_lose_and_double_nothing(figures: dict[str, Result],
                                                  backend: str) -> None:
    prefix = f"{bench_server.PREFIX}4 processes, {backend}:"
    assert figures[f"{prefix} saves/s"].value > 0
    for what in ("saves lost", "rows doubled", "verify problems"):
        result = figures[f"{prefix} {what}"]
        assert result.value == 0 and result.passed, (what, result.as_json())


def test_results_json_rows(figures: dict[str, Result]) -> None:
    import json

    rows = json.loads(json.dumps([r.as_json() for r in figures.values()]))
    counts = [r for r in rows if r.get("unit") not in (None, "s")]
    assert {r["unit"] for r in counts} == {"saves/s", "saves", "rows", "problems"}
    assert all("target_count" in r for r in counts)
