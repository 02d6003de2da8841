"""List pagination: page numbers by default, or keyset cursors (`?cursor=`) for tablets walking a whole list.

A page number costs an OFFSET and a count. The count stops at core.paging.COUNT_CAP, as the dashboard's does:
past it the answer says `count_capped` and pages up to the cap, and `?count=exact` asks for the exact number
(a scan of every matching row). A cursor page costs the same at the millionth row as at the first. Cursor pages
go by id, ascending, so rows added while a tablet pages arrive at the end (another `?ordering` is refused: a
position in a list sorted by a date or a state is not a key); with `?updated_since=`
(core.api.filters) a tablet fetches only what changed since its last sync.
"""

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core import paging
from core.db import prepared_statements

MAX_PAGE_SIZE = 200


class KeysetPagination(pagination.CursorPagination):
    ordering = "pk"
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_ordering(self, request, queryset, view):
        return (self.ordering,)


class PageNumberPagination(pagination.PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `page_size` may be asked for, up to 200. With `cursor` in the
    query (empty for the first page), keyset pages instead: `next`, `previous`, `results`, no count."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    count_query_param = "count"

    def paginate_queryset(self, queryset, request, view=None):
        # A list's statements (its count, its page, what the page prefetches) are the same at every request but
        # for their values: read once per connection, not at each request (core.db.postgresql).
        with prepared_statements(queryset.db):
            return self._paginate_queryset(queryset, request, view)

    def _paginate_queryset(self, queryset, request, view):
        self.keyset = KeysetPagination() if self.cursor_query_param in request.query_params else None
        if self.keyset is not None:
            if request.query_params.get(api_settings.ORDERING_PARAM, "id") not in ("id", "pk"):
                raise ValidationError(
                    {api_settings.ORDERING_PARAM: [_("Cursor pages go by id: page by number to sort otherwise.")]}
                )
            self.keyset.page_size = self.page_size
            return self.keyset.paginate_queryset(queryset, request, view)
        exact = request.query_params.get(self.count_query_param) == "exact"
        self.django_paginator_class = Paginator if exact else paging.CappedPaginator
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.keyset is not None:
            return self.keyset.get_paginated_response(data)
        capped = getattr(self.page.paginator, "capped", False)
        return Response(
            {
                "count": paging.COUNT_CAP if capped else self.page.paginator.count,
                "count_capped": capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["results"]
        page["properties"]["count"]["description"] = (
            f"The number of rows, counted up to {paging.COUNT_CAP:,}: `count_capped` says there are more "
            "(ask `?count=exact` for the exact number). Absent from cursor pages."
        )
        page["properties"] = {
            "count": page["properties"]["count"],
            "count_capped": {"type": "boolean", "description": f"More than {paging.COUNT_CAP:,} rows."},
            **{name: value for name, value in page["properties"].items() if name != "count"},
        }
        return page

    def get_schema_operation_parameters(self, view):
        cursor = {
            "name": self.cursor_query_param,
            "required": False,
            "in": "query",
            "description": "Keyset paging, by id: empty for the first page, then the cursor of the `next` link. "
            "Not with another `ordering`.",
            "schema": {"type": "string"},
        }
        count = {
            "name": self.count_query_param,
            "required": False,
            "in": "query",
            "description": f"`exact` for the exact number of rows past {paging.COUNT_CAP:,} (a slower answer).",
            "schema": {"type": "string", "enum": ["exact"]},
        }
        return [*super().get_schema_operation_parameters(view), cursor, count]
