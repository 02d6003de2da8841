"""Counting a list without counting every row: the dashboard's pages and figures count up to a cap.

A list of a million rows needs its first page, not its exact size: past COUNT_CAP a page says "more than
10,000" (and pages up to there), and the count costs a LIMIT, not a scan of the table. A page that is not
full tells the count itself (its offset and its rows), so a short list is not counted at all. A list of a
whole table (a company-wide role's, unfiltered) that the database's statistics put at ten times the cap or
more is not counted either: it has more than COUNT_CAP rows. Ten times, so that statistics a day old (the rows
deleted since, before autovacuum counts again) cannot make a list of fewer rows say "more than 10,000". The API's
page-number lists count the same way unless asked `?count=exact`; its cursor pages have none
(core.api.pagination).
"""

from functools import cached_property

from django.core.paginator import Paginator

from core.db import count_unless_estimated_past

COUNT_CAP = 10_000
# How many times COUNT_CAP rows the statistics must give a whole table for it to go uncounted.
SURELY_PAST_CAP = 10


def capped_count(queryset) -> int:
    """The number of rows up to COUNT_CAP + 1: more than COUNT_CAP is all a page needs to say."""
    capped = _unannotated(queryset).order_by()[: COUNT_CAP + 1]
    if _is_whole_table(queryset):
        return count_unless_estimated_past(capped, SURELY_PAST_CAP * COUNT_CAP, answer=COUNT_CAP + 1)
    return capped.count()


def _unannotated(queryset):
    """`queryset` without the values it computes for each row (a count of its children, say), which counting the rows
    never reads: the database would compute them for every row counted. Not when they group its rows (aggregates),
    nor for a queryset of values, whose rows they may be. A filter on one keeps it where the filter needs it."""
    query = queryset.query
    if queryset._fields is not None or not query.annotations or query.group_by is not None or query.distinct:
        return queryset
    return queryset.values("pk")


def _is_whole_table(queryset) -> bool:
    """Whether `queryset` has every row of its table, once each: no condition, no grouping, no set operation."""
    query = queryset.query
    return not (
        query.where
        or query.distinct
        or query.group_by is not None
        or query.combinator
        or query.is_sliced
        or any(getattr(annotation, "contains_aggregate", False) for annotation in query.annotations.values())
    )


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        """`count`: the list's size when the page already knows it (a board's figures), so it is not counted."""
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = min(count, self.cap + 1)  # (the cached property's value)

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @cached_property
    def count(self):
        return capped_count(self.object_list)

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    def page(self, number):
        """The page's rows are read first: a page that is not full ends the list, and gives the count. Past the
        cap the pages stay full: only the count stops there, not the rows."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = None
        if number is None or number < 1 or self.orphans or "count" in self.__dict__:
            return self._counted_page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if len(rows) < self.per_page and (rows or bottom == 0) and bottom + len(rows) <= self.cap:
            self.__dict__["count"] = bottom + len(rows)  # (the cached property's value)
        else:
            self.validate_number(number)  # a full page, or none: counted up to the cap
        return self._get_page(rows, number, self)

    def _counted_page(self, number):
        number = self.validate_number(number)
        if not self.capped:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)
