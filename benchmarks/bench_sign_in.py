"""Signing in with the issue 14 password hashes (scrypt N=2^17, r=8, p=1): target 0.5 s.

The figure is a whole AccountRepository.sign_in (the account read, the hash, the
compare) on a database with accounts; its floor is one bare hashlib.scrypt at the
same parameters, so the ratio shows what hemalog adds to the hash it must pay.
"""

from __future__ import annotations

import secrets
import statistics
import tempfile
import time
from functools import cache
from pathlib import Path

from benchmarks.harness import benchmark
from clinical.accounts import Role
from storage import open_store
from storage.accounts import CURRENT
from storage.contract import Store

NAME, PASSWORD = "bench.admin", "bench-pass-1"


@cache
def _database() -> Path:
    """One database with an account, made once (making it costs a hash too)."""
    path = Path(tempfile.mkdtemp(prefix="hemalog-bench-sign-in-")) / "ward.db"
    with open_store(path, user="bench") as store:
        store.accounts.create(NAME, PASSWORD, Role.ADMIN)
    return path


def _setup(quick: bool) -> Store:
    return open_store(_database(), user="bench")


@cache
def _bare_scrypt(quick: bool) -> float:
    salt = secrets.token_bytes(16)
    times = []
    for _ in range(2 if quick else 5):
        start = time.perf_counter()
        CURRENT.hash(PASSWORD, salt)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@benchmark(f"sign-in (scrypt N=2^{CURRENT.log2_n}), seconds", setup=_setup, target=0.5,
           floor=_bare_scrypt)
def _sign_in(store: Store) -> None:
    store.accounts.sign_in(NAME, PASSWORD)
    store.close()
