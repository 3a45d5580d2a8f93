"""Grading scales: each takes raw findings and returns a Grade with its reason."""
