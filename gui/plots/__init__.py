"""Live trend plots (pyqtgraph)."""
