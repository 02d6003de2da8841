"""List pagination: page numbers by default, or keyset cursors (`?cursor=`) for tablets walking a whole list.

A page number costs an OFFSET and a COUNT over the whole result; a cursor page costs the same at the millionth
row as at the first. Cursor pages go by id, ascending, so rows added while a tablet pages arrive at the end;
with `?updated_since=` (core.api.filters) a tablet fetches only what changed since its last sync.
"""

from rest_framework import pagination

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

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = KeysetPagination() if self.cursor_query_param in request.query_params else None
        if self.keyset is not None:
            self.keyset.page_size = self.page_size
            return self.keyset.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.keyset is not None:
            return self.keyset.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["results"]
        page["properties"]["count"]["description"] = "Absent from cursor pages."
        return page

    def get_schema_operation_parameters(self, view):
        cursor = {
            "name": self.cursor_query_param,
            "required": False,
            "in": "query",
            "description": "Keyset paging: empty for the first page, then the cursor of the `next` link.",
            "schema": {"type": "string"},
        }
        return [*super().get_schema_operation_parameters(view), cursor]
