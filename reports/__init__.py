"""The printable patient summary (reportlab; no Qt).

Entry points:

- ``reports.summary.build_summary_pdf(record, out=..., printed_by=..., database=...,
  printed_at=None, deidentified=False, language=None) -> int`` writes the PDF to a path
  or a binary file object (``io.BytesIO`` for a preview) and returns the page count.
  ``language`` is "en" or "zh_CN" (default ``lang.current()``, the app's); every word
  goes through ``ReportContext.translate("Report", ...)`` / ``.render(msg)``, and a
  Chinese summary without a CJK font is refused, naming HEMALOG_CJK_FONT.
- ``reports.cli.write_report(store, mrn, out, deidentified=..., printed_by=...)`` loads a
  patient from the database and writes the PDF atomically (`hemalog report`).

Modules: ``summary`` (document, page furniture, "page x of y"), ``facts`` (page 1 header
and key facts), ``timeline_figure`` (the treatment timeline), ``trend_figures`` (the
app's trend panels), ``tables`` (courses, toxicity, marrow, events), ``context``
(dates, names and de-identification), ``drawing`` (colours, axes, labels) and ``fonts``
(embedded Latin and CJK TrueType fonts; HEMALOG_CJK_FONT overrides the CJK font).
"""
