"""Django's PostgreSQL backend, with a health check that costs no round trip while the server is silent.

A kept connection (CONN_MAX_AGE) is checked before each request's first statement (CONN_HEALTH_CHECKS), so that
a connection the server has closed since (a restart, `pg_terminate_backend`, an idle timeout) is replaced
without failing the request. Django checks by sending `SELECT 1`: a round trip on every request, page and API
call alike. But a server that closes a connection says so on it (an error message, then the end of the
stream), and an idle connection is otherwise sent nothing: while its socket has nothing to read, the connection
is as the last answer left it. Only when something has arrived is the server asked, as Django asks.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
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
