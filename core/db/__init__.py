"""What the project adds to Django's database backends (see core.db.postgresql): on another engine, nothing."""

import contextlib

from django.db import connections


def prepared_cursor(connection):
    """A cursor whose statements the database prepares once per connection where the backend offers it
    (core.db.postgresql), else an ordinary cursor."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()


def prepared_statements(alias: str):
    """A block whose statements on database `alias` are prepared once run often enough, where the backend
    offers it (core.db.postgresql)."""
    preparing = getattr(connections[alias], "prepared_statements", None)
    return preparing() if preparing is not None else contextlib.nullcontext()
