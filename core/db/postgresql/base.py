"""Django's PostgreSQL backend, with a health check that costs no round trip while the server is silent, and
prepared statements for the few statements every request runs.

A kept connection (CONN_MAX_AGE) is checked before each request's first statement (CONN_HEALTH_CHECKS), so that
a connection the server has closed since (a restart, `pg_terminate_backend`, an idle timeout) is replaced
without failing the request. Django checks by sending `SELECT 1`: a round trip on every request, page and API
call alike. But a server that closes a connection says so on it (an error message, then the end of the
stream), and an idle connection is otherwise sent nothing: while its socket has nothing to read, the connection
is as the last answer left it. Only when something has arrived is the server asked, as Django asks.

Django turns psycopg's prepared statements off, for poolers that hand a session's statements to another
session. Planning the API's token check took the server twice as long as running it, on every request; a
statement read through `prepared_cursor()` is planned once per connection. Every other statement is sent as
Django sends it. Behind a pooler that does not keep prepared statements (PgBouncer in transaction mode before
1.21), `PREPARED_STATEMENTS: False` in the database's settings turns them off again.
"""

import select

from django.db.backends.postgresql import base, operations
from psycopg import pq

# psycopg prepares a statement executed this many times; a statement is prepared here only when asked.
_ONLY_WHEN_ASKED = 2**31 - 1


class PreparingCursor(base.ServerBindingCursor):
    """A cursor that binds its parameters on the server and prepares every statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        if isinstance(cursor, PreparingCursor):  # bound on the server: the statement as sent, as Django logs those
            return sql
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self.settings_dict.get("PREPARED_STATEMENTS", True):
            connection.prepare_threshold = _ONLY_WHEN_ASKED
        return connection

    def prepared_cursor(self):
        """A cursor whose statements are planned once per connection (with `%s` parameters, as Django's)."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        if self.connection.prepare_threshold is None:
            return self.cursor()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparingCursor(self.connection))

    def is_usable(self):
        if self.connection is None:
            return False
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if not _has_something_to_read(pgconn.socket):
            return True
        return super().is_usable()


def _has_something_to_read(socket: int) -> bool:
    readable, _, _ = select.select([socket], [], [], 0)
    return bool(readable)
