"""The version of the clinical rules hemalog applies (docs/clinical-rules.md).

Every grade, dose check, engraftment date and roll-up hemalog computes follows the
rules written in docs/clinical-rules.md, whose header carries this number. A change
to any of them, however small (a threshold, a rounding, a flag), raises it and is
listed in CHANGELOG.md, so that a value stored or exported under an older version can
be told apart and re-graded knowingly. "1.1": the decision record's version 1.1.
"""

from __future__ import annotations

__all__ = ["RULES_VERSION"]

RULES_VERSION = "1.1"
