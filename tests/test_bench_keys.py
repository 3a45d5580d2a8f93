"""The keyboard benchmark (benchmarks/bench_keys.py, issue 12): it counts every key it
sends, its figures pass or fail on keys, and keys that do the wrong thing fail it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from benchmarks import bench_keys as bk
from benchmarks.harness import BENCHMARKS

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_the_session_counts_every_key_it_sends(qapp: Any) -> None:
    outcome = bk.run_session()
    assert list(outcome.per_task) == list(bk.TASKS)
    assert all(count > 0 for count in outcome.per_task.values())
    assert outcome.total == sum(outcome.per_task.values()) == len(outcome.presses)
    assert all(p.kind in (bk.DATA, bk.MOVE, bk.DO) for p in outcome.presses)
    # a typed character is one key; Ctrl+S is one key
    # "nor" and the vasopressor name completes inline (checked in the store by the task)
    assert sum(p.kind == bk.DATA for p in outcome.presses if p.why == "vasopressor") \
        == len("nor")
    assert [p.key for p in outcome.presses if p.task == bk.TASKS[-1]] \
        == ["Ctrl+Shift+S", "Enter"]
    crs = outcome.per_task[bk.TASKS[4]]
    assert outcome.crs_from_toxicity == crs - 1          # all but the Ctrl+3 that opens it


def test_the_figures_are_keys_with_their_targets() -> None:
    figures = {b.name: b.run(quick=True) for b in BENCHMARKS if b.name.startswith("keyboard")}
    outcome = bk.measured()                               # the child process's session
    assert outcome.screen == "1366x768"
    session = figures["keyboard session, 10 tasks, keys"]
    crs = figures["keyboard CRS assessment from Toxicity, keys"]
    assert (session.value, session.unit, session.limit) == (outcome.total, "keys", 200)
    assert (crs.value, crs.limit) == (outcome.crs_from_toxicity, 25)
    assert session.passed is (outcome.total < 200)
    assert crs.passed is (outcome.crs_from_toxicity < 25)
    assert len(figures) == 3 + len(bk.TASKS)
    own = figures["keyboard session, the app's own keys (moving, commands)"]
    assert own.value == outcome.total - outcome.kinds()[bk.DATA] and own.limit is None
    assert all(r.passed is None for name, r in figures.items() if name.startswith("keyboard task "))
    row = session.row()
    assert "keys" in row and "< 200" in row and ("yes" in row or "NO" in row)
    assert session.as_json()["pass"] is session.passed
    assert sum(session.as_json()["detail"].values()) == outcome.total


def test_a_wrong_key_fails_the_benchmark_instead_of_counting(
        qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    press = bk.Keyboard.press

    def alt_j_for_alt_h(self: bk.Keyboard, key: Qt.Key, modifiers: Any = bk.NO,
                        **kwargs: Any) -> None:
        if key == Qt.Key.Key_H and modifiers & bk.ALT:
            key = Qt.Key.Key_J                            # Hypotension stays unticked
        press(self, key, modifiers, **kwargs)

    monkeypatch.setattr(bk.Keyboard, "press", alt_j_for_alt_h)
    with pytest.raises(bk.KeyboardBenchError, match="task 5: CRS assessment"):
        bk.run_session()
