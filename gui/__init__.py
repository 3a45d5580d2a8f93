"""The PySide6 ward app."""
