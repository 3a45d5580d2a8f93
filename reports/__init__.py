"""The printable patient summary (reportlab; no Qt)."""
