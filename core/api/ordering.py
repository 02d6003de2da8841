from rest_framework.filters import OrderingFilter

from core.ordering import ordering_terms, tie_broken


class EmptyLastOrderingFilter(OrderingFilter):
    """DRF's `?ordering=`, with empty values last on every database (core.ordering) and the primary key as the
    last term, so that rows of equal values keep their place from one page to the next."""

    def filter_queryset(self, request, queryset, view):
        ordering = tie_broken(self.get_ordering(request, queryset, view) or ())
        if not ordering:
            return queryset
        return queryset.order_by(*ordering_terms(queryset.model, ordering))
