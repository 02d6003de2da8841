from rest_framework.filters import OrderingFilter

from core.ordering import ordering_terms


class EmptyLastOrderingFilter(OrderingFilter):
    """DRF's `?ordering=`, with empty values last on every database (core.ordering)."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering_terms(queryset.model, ordering))
        return queryset
