"""Pure clinical domain: the record, validation, grading, dosing, derived facts.

No Qt, no SQL, no reportlab here: everything in this package runs and is
tested without a window or a database.
"""
