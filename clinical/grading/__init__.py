"""Grading scales: each takes raw findings and returns a Grade whose reason and flags are Msgs."""
