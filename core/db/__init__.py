"""What the project adds to Django's database backends (see core.db.postgresql): on another engine, nothing."""

import contextlib
import sys
import weakref
from collections.abc import Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import BooleanField, Count, Expression, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def fetch_with_kept_plan(connection, sql: str, params) -> list[tuple]:
    """The rows of `sql`, prepared and planned once per connection where the backend offers it
    (core.db.postgresql): for a lookup by key whose best plan does not depend on the key."""
    fetch = getattr(connection, "fetch_with_kept_plan", None)
    if fetch is not None:
        return fetch(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def plain_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` queryset as the database driver returns them, without the ORM's conversion of
    each value: for a report's thousands of grouped rows of ids, texts and counts, which the drivers already return
    as Python's own (a count comes back an int, not to be made one again). Not for other values: PostgreSQL sums
    big integers as a numeric, which the ORM would make an int and the driver gives as a Decimal."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a queryset that can have no rows (none the user may see)
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def rows_by_id(queryset, *fields: str, size: int) -> Iterator[list[tuple]]:
    """Every row of `queryset` as (pk, *fields), `size` rows at a time in the order of their ids, each batch read by
    its own statement after the last id of the one before: for a duty that reads every row of a condition over a
    large table, choosing in Python which of them to act on, without counting the ones it passes over."""
    rows = queryset.order_by("pk").values_list("pk", *fields)
    batch = list(rows[:size])
    while batch:
        yield batch
        batch = list(rows.filter(pk__gt=batch[-1][0])[:size])


def count_of(children, parent: str) -> Coalesce:
    """For each row, how many of `children` (a queryset of another model) point at it through their field `parent`:
    a subquery per row shown, read through the children's index on `parent`. Counted as a join and a GROUP BY, the
    children of every row were counted before the page was cut (300 survey campaigns of 2,000 invitations: 800 ms for
    their first 20), and again to count the list (core.paging counts the rows without their annotations)."""
    counted = children.filter(**{parent: OuterRef("pk")}).order_by().values(parent).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def starts_with(field: str, start: str, *, alias: str) -> Q:
    """`field` starts with `start`. Where database `alias` orders text by its characters' code points (PostgreSQL
    under C or C.UTF-8, the collation of the servers here), as the range of texts from `start` to the first text
    after all those starting with it, which finds the same texts; elsewhere as a LIKE.

    PostgreSQL reads a LIKE's start through an index only under the collation C itself, or through a pattern index
    (varchar_pattern_ops) that cannot give the column's order: a list in the order of that field, searched by a start
    thousands share, walked the whole order past every earlier text, or every later one when ordered backwards. The
    range is read through the field's ordinary index in either direction. Not both: the database would take them for
    two conditions each leaving a few, and expect a hundredth of the rows there are."""
    if not start or not getattr(connections[alias], "orders_text_by_code_point", False):
        return Q(**{f"{field}__startswith": start})
    following = ord(start[-1]) + 1
    if following > sys.maxunicode:
        return Q(**{f"{field}__startswith": start})
    if 0xD800 <= following <= 0xDFFF:  # surrogates are no characters of their own
        following = 0xE000
    return Q(**{f"{field}__gte": start, f"{field}__lt": start[:-1] + chr(following)})


def count_unless_estimated_past(queryset, rows: int, answer: int) -> int:
    """`queryset.count()` of a whole table, unless the database's statistics put the table at `rows` rows or
    more: then `answer`, without counting. Only where the backend keeps such statistics (core.db.postgresql);
    elsewhere, counted."""
    count = getattr(connections[queryset.db], "count_unless_estimated_past", None)
    return count(queryset, rows, answer) if count is not None else queryset.count()


class Among(Expression):
    """A filter: `column` is one of the ids the queryset `ids` answers (one column).

    `column IN (SELECT …)`, except on PostgreSQL: there `column = ANY(ARRAY(SELECT …))`, which runs the subquery
    first and looks its ids up by `column`'s index. PostgreSQL plans IN as a join and, for the few thousand
    complaints of a month, hash-joins every clock of every complaint ever received (34 ms against 9 on the
    generated million). For ids that are most of a large table, the join is the better plan: use `__in`."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids):
        super().__init__()
        self.column, self.ids = F(column), Subquery(ids)

    def get_source_expressions(self):
        return [self.column, self.ids]

    def set_source_expressions(self, expressions):
        self.column, self.ids = expressions

    def as_sql(self, compiler, connection, template="%(column)s IN %(ids)s"):
        column, column_params = compiler.compile(self.column)
        ids, ids_params = compiler.compile(self.ids)  # "(SELECT …)"
        return template % {"column": column, "ids": ids}, (*column_params, *ids_params)

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="%(column)s = ANY(ARRAY%(ids)s)")


def prepared_statements(alias: str):
    """A block whose statements on database `alias` are prepared once run often enough, where the backend
    offers it (core.db.postgresql)."""
    preparing = getattr(connections[alias], "prepared_statements", None)
    return preparing() if preparing is not None else contextlib.nullcontext()


class CompiledLookup:
    """A statement compiled once per database connection, then run with one value put in for its marker.

    The statements every request asks first (the token's or the session's user, with their roles and projects)
    took the ORM longer to compile than the database to answer. `build()` returns the queryset, filtering on
    `marker` where the value goes; `rows(value)` answers as the queryset would (its rows through the compiler's
    converters), on the connection the router reads `model` from, prepared and planned once where the database
    offers it."""

    def __init__(self, model, build, marker):
        self.model, self.build, self.marker = model, build, marker
        self._compiled = weakref.WeakKeyDictionary()  # by database connection (one per thread)

    def rows(self, value):
        connection = connections[router.db_for_read(self.model)]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiler = self.build().query.get_compiler(connection=connection)
            compiled = self._compiled[connection] = (compiler, *compiler.as_sql())
        compiler, sql, params = compiled
        rows = fetch_with_kept_plan(connection, sql, [value if param == self.marker else param for param in params])
        return connection.alias, compiler.results_iter(results=[rows])


def empties_last_descending(field: str, name: str, within: str = ""):
    """The index that reads `field` descending with its empty values last, then the id descending (core.ordering's
    order of a nullable field); led by `within` when given, to read one project's rows in that order. A model
    declares it; its migration adds it on PostgreSQL only (`descending_empties_last_index`)."""
    from django.db import models

    return models.Index(
        *([models.F(within)] if within else []),
        models.OrderBy(models.F(field), descending=True, nulls_last=True),
        models.OrderBy(models.F("id"), descending=True),
        name=name,
    )


def descending_empties_last_index(app_label: str, model_name: str, field: str, name: str, within: str = ""):
    """A migration's operation: `empties_last_descending`'s index, in the models' state on every database, built on
    PostgreSQL only: SQLite refuses NULLS LAST in an index, and its tables stay small. A later migration that alters
    or removes it must do the same."""
    from django.db import migrations

    index = empties_last_descending(field, name, within)

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(apps.get_model(app_label, model_name), index)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(apps.get_model(app_label, model_name), index)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddIndex(model_name=model_name, index=index)],
        database_operations=[migrations.RunPython(create, drop)],
    )
