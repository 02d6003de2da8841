from rest_framework.filters import OrderingFilter

from core.ordering import ordering_terms


class EmptyLastOrderingFilter(OrderingFilter):
    """DRF's `?ordering=`, with empty values last on every database (core.ordering) and the primary key as the
    last term, so that rows of equal values keep their place from one page to the next."""

    def filter_queryset(self, request, queryset, view):
        ordering = list(self.get_ordering(request, queryset, view) or ())
        if not ordering:
            return queryset
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            ordering.append("-pk" if ordering[-1].startswith("-") else "pk")
        return queryset.order_by(*ordering_terms(queryset.model, ordering))
