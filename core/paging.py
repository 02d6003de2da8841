"""Counting a list without counting every row: the dashboard's pages and figures count up to a cap.

A list of a million rows needs its first page, not its exact size: past COUNT_CAP a page says "more than
10,000" (and pages up to there), and the count costs a LIMIT, not a scan of the table. The API's page-number
lists keep their exact count; its cursor pages have none (core.api.pagination).
"""

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 10_000


def capped_count(queryset) -> int:
    """The number of rows up to COUNT_CAP + 1: more than COUNT_CAP is all a page needs to say."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


class CappedPaginator(Paginator):
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
        """Full pages past the cap: only the count stops there, not the rows."""
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)
