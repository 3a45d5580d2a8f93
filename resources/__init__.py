"""Data files shipped with hemalog: the demo record, regimen templates, dose caps."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEMO_RECORD = ROOT / "demo" / "seed-case.json"
DEMO_MRN = "DEMO-CD7-001"
LAB_CODES = ROOT / "labs" / "codes.csv"
