"""Fenced blocks of a Markdown document, for the tests that run the docs' examples."""

from __future__ import annotations

import re
from pathlib import Path

FENCE = re.compile(r"^(`{3,})(.*)$")


def fenced_blocks(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line number of the first body line, info string, body lines) of every fenced
    block of ``path``; a block never closed fails the calling test."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[tuple[int, str, list[str]]] = []
    i = 0
    while i < len(lines):
        opened = FENCE.match(lines[i])
        if not opened:
            i += 1
            continue
        fence, info, start = opened.group(1), opened.group(2).strip(), i + 1
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith(fence):
            body.append(lines[i])
            i += 1
        assert i < len(lines), f"{path.name}:{start}: a fenced block is never closed"
        out.append((start, info, body))
        i += 1
    return out
