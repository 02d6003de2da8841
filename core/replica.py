"""Reports and exports read from a replica when one is configured (DATABASE_REPLICA_URL).

A read made inside `on_replica()` goes to the database alias named by settings.READ_REPLICA; every write,
and every read outside it, goes to the primary. A report may then lag the primary by the replication delay,
which a report or an export tolerates and a form does not: only whole reads are marked, never a request
that writes.
"""

import contextlib
import contextvars
import functools

from django.conf import settings

_reading_replica = contextvars.ContextVar("reading_replica", default=False)


@contextlib.contextmanager
def on_replica():
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def reads_from_replica(view_function):
    """A view (or a view's `get`) whose reads may come from the replica."""

    @functools.wraps(view_function)
    def wrapped(*args, **kwargs):
        with on_replica():
            return view_function(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if settings.READ_REPLICA and _reading_replica.get():
            return settings.READ_REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
