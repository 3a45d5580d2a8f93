"""`hemalog labs import MRN FILE` and `hemalog labs import-folder DIR` (issue 17).

``import``: read the file, show what each result becomes (added, already there,
converted, refused and why), then save all of it or nothing. ``--dry-run`` stops
after the preview. A table is read with ``--mapping NAME`` (saved earlier by the app
or by ``--save-mapping NAME``) or with the columns its header names.

``import-folder``: every file directly in DIR (not hidden, not partial: .tmp, .part,
~$ names) is claimed by moving it into DIR/processing/, imported for the patients
its results name (PID-3, or the mapping's MRN column), then moved to DIR/done/; a
file that cannot be imported goes to DIR/refused/ with ``NAME.reason.txt`` beside
it. A file left in processing/ by a run that was stopped is taken up again by the
next (its results already saved are skipped as already there).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lang
from clinical.accounts import PermissionDenied
from clinical.errors import HemalogError
from clinical.lab_import import Action, LabImportPlan, shown_value
from clinical.plain_text import printable
from storage.database import DatabaseError
from storage.lab_files import (
    MappingStore, import_plans, load_codes, plan_file, read_lab_file, settings_files,
    ward_codes,
)

if TYPE_CHECKING:
    from storage.contract import Store

__all__ = ["run_import", "run_import_folder", "plan_lines"]

SKIPPED_NAMES = (".tmp", ".part", ".partial", ".crdownload", ".swp")
MIN_AGE_SECONDS = 5.0   # a file changed more recently may still be being written


def plan_lines(plans: list[tuple[int | None, LabImportPlan]], language: str | None = None
               ) -> list[str]:
    """The preview, one line per result: where, what, and what happens to it."""
    out = []
    for _pid, plan in plans:
        for row in plan.rows:
            source = row.source
            what = ""
            if row.lab is not None:
                lab = row.lab
                what = f"{lab.date.isoformat()} {lab.test.value} {lab.value} {lab.unit}"
            else:
                shown = shown_value(source.value)   # 0 is shown, 120.0 as 120
                what = f"{printable(str(source.code))} {printable(shown)}"
            notes = "; ".join(lang.render(n, language) for n in row.notes)
            verdict = {Action.ADD: "add", Action.SKIP: "skip", Action.REFUSE: "REFUSED"}[row.action]
            why = f": {lang.render(row.why, language)}" if row.why is not None else ""
            line = f"  {printable(source.where)}: {what} — {verdict}{why}"
            out.append(printable(line + (f" ({notes})" if notes else "")))
    return out


def _counts(plans: list[tuple[int | None, LabImportPlan]]) -> dict[str, int]:
    total = {a.value: 0 for a in Action}
    for _pid, plan in plans:
        for key, n in plan.counts().items():
            total[key] += n
    return total


def _codes(extra: Path | None) -> Any:
    """The shipped table, the ward's (lab-codes.csv in the settings) and ``--codes``."""
    if extra is None:
        return ward_codes()
    ward = settings_files()[1]
    return load_codes(*([ward] if ward.is_file() else []), extra)


def _mapping(name: str | None) -> Any:
    if name is None:
        return None
    return MappingStore(settings_files()[0]).load(name)


def run_import(store: Store, mrn: str, path: Path, *, mapping: str | None,
               codes: Path | None, dry_run: bool, save_mapping: str | None,
               out: Callable[[str], None]) -> int:
    """Preview and import one file for one patient; returns how many labs were saved.
    Refused results: HemalogError after the preview, nothing saved."""
    table = _codes(codes)
    lab_file = read_lab_file(path, codes=table, mapping=_mapping(mapping))
    if save_mapping is not None:
        if lab_file.mapping is None:
            raise HemalogError(f"--save-mapping: {printable(str(path))} is an HL7 file; "
                               "only tables (CSV, XLSX) have columns to map")
        from dataclasses import replace
        saved_at = MappingStore(settings_files()[0]).save(
            replace(lab_file.mapping, name=MappingStore.check_name(save_mapping)))
        out(f"mapping {printable(save_mapping)} saved ({printable(str(saved_at))})")
    plans = plan_file(store, lab_file, table, mrn=mrn)
    language = lang.choose()
    counts = _counts(plans)
    out(f"{printable(path.name)}: {len(lab_file.results)} results for {printable(mrn)}: "
        f"{counts['add']} to add, {counts['skip']} skipped, {counts['refuse']} refused")
    if lab_file.unread:
        out("  columns not read (not a test in the lab code table, nor mapped): " +
            ", ".join(repr(printable(c)) for c in lab_file.unread))
    for line in plan_lines(plans, language):
        out(line)
    if counts["refuse"]:
        raise HemalogError(f"nothing saved: {counts['refuse']} result(s) refused (above); fix "
                           "the file or extend the lab code table, then import it again")
    if dry_run:
        out("--dry-run: nothing saved")
        return 0
    saved = import_plans(store, plans, lab_file.source)
    out(f"saved {saved} lab result(s) for {printable(mrn)}")
    return saved


def _claimable(path: Path) -> bool:
    name = path.name
    return path.is_file() and not name.startswith((".", "~$")) and \
        not name.lower().endswith(SKIPPED_NAMES)


def _move(path: Path, folder: Path) -> Path:
    """``path`` into ``folder`` under its name (a time added when the name is taken)."""
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    if target.exists():
        stamp = time.strftime("%Y%m%d-%H%M%S")
        n = 0
        while target.exists():
            n += 1
            target = folder / f"{path.stem}.{stamp}{'-' + str(n) if n > 1 else ''}{path.suffix}"
    os.replace(path, target)
    return target


def run_import_folder(store: Store, folder: Path, *, mapping: str | None,
                      codes: Path | None, out: Callable[[str], None],
                      min_age: float = MIN_AGE_SECONDS) -> tuple[int, int]:
    """Import every new file in ``folder`` once; returns (files imported, files not:
    refused, or waiting for the database).

    A file changed less than ``min_age`` seconds ago may still be being written by the
    lab system: it waits for the next run. A file the database could not take (busy,
    unreachable, not permitted) stays in processing/ for the next run, never refused
    for a fault that is not its own. Without ``mapping`` a table's columns must all be
    read: a column that is not a test hemalog knows refuses the file (a saved mapping
    that names its test columns says which are left out on purpose)."""
    if not folder.is_dir():
        raise HemalogError(f"{printable(str(folder))}: no such folder")
    table = _codes(codes)
    chosen = _mapping(mapping)
    processing = folder / "processing"
    leftovers = sorted(p for p in processing.iterdir() if _claimable(p)) \
        if processing.is_dir() else []
    claimed: list[Path] = list(leftovers)
    now = time.time()
    for path in sorted(p for p in folder.iterdir() if _claimable(p)):
        try:
            if now - path.stat().st_mtime < min_age:
                out(f"{printable(path.name)}: changed {min_age:g} s ago or less (still being "
                    "written?): left for the next run")
                continue
        except FileNotFoundError:
            continue
        processing.mkdir(exist_ok=True)
        target = processing / path.name
        if target.exists():
            continue   # a file of that name is being imported: this one waits for the next run
        try:
            os.rename(path, target)   # another run may have taken it first
        except FileNotFoundError:
            continue
        claimed.append(target)
    done = not_done = 0
    language = lang.choose()
    for path in claimed:
        plans: list[tuple[int | None, LabImportPlan]] | None = None
        try:
            lab_file = read_lab_file(path, codes=table, mapping=chosen)
            if chosen is None and lab_file.unread:
                raise HemalogError(
                    "columns not read (not a test in the lab code table): " +
                    ", ".join(repr(printable(c)) for c in lab_file.unread) +
                    "; save a mapping that names the test columns and give --mapping NAME")
            plans = plan_file(store, lab_file, table)
            saved = import_plans(store, plans, lab_file.source)
        except (DatabaseError, PermissionDenied) as exc:
            not_done += 1
            out(f"{printable(path.name)}: not imported now, kept in processing/ for the next "
                f"run ({printable(lang.render(exc.lines[0], language))})")
        except HemalogError as exc:
            not_done += 1
            where = _move(path, folder / "refused")
            lines = [lang.render(line, language) for line in exc.lines]
            if plans is not None:
                lines += ["", "row by row:", *plan_lines(plans, language)]
            reason = where.with_name(where.name + ".reason.txt")
            try:
                reason.write_text("\n".join(printable(x) for x in lines) + "\n",
                                  encoding="utf-8")
            except OSError as error:
                out(f"{printable(reason.name)}: could not be written ({error.strerror})")
            out(f"{printable(path.name)}: refused -> {printable(str(where))} "
                f"({printable(lang.render(exc.lines[0], language))})")
        else:
            done += 1
            where = _move(path, folder / "done")
            out(f"{printable(path.name)}: {saved} lab result(s) saved -> {printable(str(where))}")
    return done, not_done
