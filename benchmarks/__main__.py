"""Run the benchmarks: `python -m benchmarks [--quick] [--only NAME]`.

Prints a table and writes benchmarks/results.json with, for each figure, its
name, median seconds, floor seconds, ratio, target and pass.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.harness import BENCHMARKS, Result, finish

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true",
                        help="small data and few runs: checks the code paths, not the targets")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only benchmarks whose name contains NAME")
    args = parser.parse_args(argv)
    import benchmarks.bench_clinical  # noqa: F401  (each module registers its benchmarks)
    import benchmarks.bench_records  # noqa: F401
    import benchmarks.bench_import_cap  # noqa: F401  (issue 13: memory at the size cap)
    import benchmarks.bench_gui  # noqa: F401
    import benchmarks.bench_plots  # noqa: F401
    import benchmarks.bench_reports  # noqa: F401
    import benchmarks.bench_scale  # noqa: F401  (hospital-scale figures)
    import benchmarks.bench_keys  # noqa: F401
    import benchmarks.bench_sign_in  # noqa: F401  (issue 14: scrypt N=2^17)
    import benchmarks.bench_server  # noqa: F401  (issue 16: PostgreSQL beside SQLite)
    import benchmarks.bench_lab_import  # noqa: F401  (issue 17: lab files, 2 s each)
    import benchmarks.bench_exports  # noqa: F401  (issue 17: FHIR and registry exports)

    results: list[Result] = []
    print(f"{'benchmark':52} {'median s':>10} {'floor s':>9} {'ratio':>7} {'target':>14}  pass")
    try:
        for bench in BENCHMARKS:
            if args.only and not any(o in bench.name for o in args.only):
                continue
            result = bench.run(quick=args.quick)
            results.append(result)
            print(result.row(), flush=True)
    finally:
        finish()   # windows and Qt closed in order, before the interpreter exits
    out = HERE / "results.json"
    out.write_text(json.dumps([r.as_json() for r in results], indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    failed = [r.name for r in results if r.passed is False]
    if failed and not args.quick:
        print("targets missed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
