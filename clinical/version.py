"""hemalog's version: one number, written in pyproject.toml and nowhere else.

``hemalog --version``, Help ▸ About, the printed summary's footer and every audit row
and exported grade (with the rules version, clinical.rules) read it from here.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

__all__ = ["app_version", "software_stamp"]

_PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@cache
def app_version() -> str:
    """The version in pyproject.toml beside this checkout (what a clone runs), else the
    installed package's (a wheel install carries no pyproject.toml)."""
    try:
        with _PYPROJECT.open("rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return metadata.version("hemalog")


def software_stamp() -> str:
    """What produced a value, as stored beside it: "hemalog 0.2.0; rules 1.1"."""
    from clinical.rules import RULES_VERSION
    return f"hemalog {app_version()}; rules {RULES_VERSION}"
