"""Django's PostgreSQL backend, with a health check that costs no round trip while the server is silent, and
prepared statements for the few statements every request runs.

A kept connection (CONN_MAX_AGE) is checked before each request's first statement (CONN_HEALTH_CHECKS), so that
a connection the server has closed since (a restart, `pg_terminate_backend`, an idle timeout) is replaced
without failing the request. Django checks by sending `SELECT 1`: a round trip on every request, page and API
call alike. But a server that closes a connection says so on it (an error message, then the end of the
stream), and an idle connection is otherwise sent nothing: while its socket has nothing to read, the connection
is as the last answer left it. Only when something has arrived is the server asked, as Django asks.

Django turns psycopg's prepared statements off, for poolers that hand a session's statements to another
session. But PostgreSQL spent longer reading the statements every API request runs (parsing, resolving every
name and column of a list joined to up to nine tables for the names it shows) than running them. A statement
fetched with `fetch_with_kept_plan()` (the token check, the signed-in user) is prepared at once, and one run inside
`prepared_statements()` is bound on the server and prepared once the connection has run it a few times
(psycopg's threshold): read once per connection. On the generated million, a page of 20 complaints took 7.6 ms
rather than 12, of customers 5.7 rather than 6.7. Every other statement is sent as Django sends it.

A prepared statement is still planned for each run's values (`plan_cache_mode=force_custom_plan`). PostgreSQL
would otherwise switch to one plan for all values after five runs, and our rows are skewed by project: on the
generated million, a sales manager of a project of 200 customers, beside projects of 50,000, was given the plan
that suits the large ones, walking the whole created-at index to find a page of 20 (230 ms rather than 1 ms).
The lookups by key every request runs first are the exception (`fetch_with_kept_plan()`): their best plan is the
same for every key, and planning the token check again at each request took PostgreSQL longer than running it
(0.4 ms of its 0.6). They keep one plan (`SET LOCAL`, in the same round trip as the statement, which ends with
it or with the transaction it runs in, as a rollback would).

Behind a pooler that does not keep prepared statements (PgBouncer in transaction mode before 1.21),
`PREPARED_STATEMENTS: False` in the database's settings turns them off.
"""

import contextlib
import select

from django.db.backends.postgresql import base, operations
from psycopg import pq

# A statement run inside prepared_statements() is prepared at its sixth run on a connection (psycopg's default),
# so that a statement run only once or twice (a deep page, a rare filter) costs no PREPARE.
PREPARE_THRESHOLD = 5


class PreparingCursor(base.ServerBindingCursor):
    """A cursor that binds its parameters on the server and prepares every statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        if isinstance(cursor, base.ServerBindingCursor):  # bound on the server: logged as sent, as Django logs those
            return sql
        return super().last_executed_query(cursor, sql, params)


# The collations that put text in the order of its characters' code points (PostgreSQL's own and the C library's).
CODE_POINT_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"}


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    preparing = 0  # how many prepared_statements() blocks are open
    _orders_text_by_code_point: bool | None = None  # read from the server at the first connection

    def init_connection_state(self):
        super().init_connection_state()
        if self._orders_text_by_code_point is None:
            self._orders_text_by_code_point = self._read_whether_text_is_ordered_by_code_point()

    @property
    def orders_text_by_code_point(self) -> bool:
        """Whether the database's collation, the one every text column here sorts by, is by code point
        (core.db.starts_with)."""
        self.ensure_connection()
        return self._orders_text_by_code_point

    def _read_whether_text_is_ordered_by_code_point(self) -> bool:
        version = self.connection.info.server_version
        provider = "datlocprovider" if version >= 150000 else "'c'"
        locale = "datlocale" if version >= 170000 else "NULL"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {provider}, datcollate, {locale} FROM pg_database WHERE datname = current_database()"  # noqa: S608
            )
            provider, collation, builtin = cursor.fetchone()
        if not self.get_autocommit():
            self.connection.commit()
        if provider == "b":  # PostgreSQL 17's own provider: C and C.UTF-8 (and PG_UNICODE_FAST) by code point
            return builtin in CODE_POINT_COLLATIONS or builtin == "PG_UNICODE_FAST"
        return provider == "c" and collation in CODE_POINT_COLLATIONS

    def get_connection_params(self):
        params = super().get_connection_params()
        if self.settings_dict.get("PREPARED_STATEMENTS", True):
            params["options"] = f"{params.get('options', '')} -c plan_cache_mode=force_custom_plan".strip()
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self.settings_dict.get("PREPARED_STATEMENTS", True):
            connection.prepare_threshold = PREPARE_THRESHOLD
        return connection

    @contextlib.contextmanager
    def prepared_statements(self):
        """Statements run inside are bound on the server and prepared once run often enough (the ORM's
        statements with their `%s` parameters: a list's page, its count and what it prefetches)."""
        self.preparing += 1
        try:
            yield
        finally:
            self.preparing -= 1

    def create_cursor(self, name=None):
        if name is None and self.preparing and self.connection.prepare_threshold is not None:
            factory, self.connection.cursor_factory = self.connection.cursor_factory, base.ServerBindingCursor
            try:
                return super().create_cursor()
            finally:
                self.connection.cursor_factory = factory
        return super().create_cursor(name)

    def fetch_with_kept_plan(self, sql: str, params) -> list[tuple]:
        """The rows of `sql` (with `%s` parameters, as Django's), prepared at once and planned once for every
        value: for a lookup by key whose best plan does not depend on the key."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        if self.connection.prepare_threshold is None:
            with self.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        with self.wrap_database_errors:
            cursor = self._prepare_cursor(PreparingCursor(self.connection))
        with cursor, self.wrap_database_errors:
            # One round trip: the three statements are sent together and answered together.
            with self.connection.pipeline():
                self.connection.execute("SET LOCAL plan_cache_mode = force_generic_plan")
                cursor.execute(sql, params)
                self.connection.execute("SET LOCAL plan_cache_mode = force_custom_plan")
            return cursor.fetchall()

    def count_unless_estimated_past(self, queryset, rows: int, answer: int) -> int:
        """`queryset.count()` of a whole table, unless the planner's statistics (ANALYZE's and autovacuum's count
        of its rows, kept as rows come and go) put the table at `rows` rows or more: then `answer`. One statement
        either way, the count run only where the statistics fall short; and planned once, as a whole table's
        count is the same statement for every user."""
        sql, params = queryset.values("pk").query.get_compiler(using=queryset.db).as_sql()
        statement = (
            "SELECT CASE WHEN (SELECT reltuples FROM pg_class WHERE oid = %s::regclass) >= %s THEN %s"  # noqa: S608
            f" ELSE (SELECT COUNT(*) FROM ({sql}) counted) END"
        )
        [(count,)] = self.fetch_with_kept_plan(statement, [queryset.model._meta.db_table, rows, answer, *params])
        return count

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
