"""SQLite storage through sqlite-utils: schema, migrations, audit, import/export.

The only package that writes SQL. Everything above it uses the repositories.
"""
