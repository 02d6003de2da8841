"""How an API list is narrowed by its query: the resource's filter set, and `?updated_since=`.

- The filter set (each app's `filters.py`, shared with the dashboard) is built only when the query names one
  of its filters: an unfiltered page, the tablets' most common, skips building and validating a form.
- `?updated_since=`: the rows of a list changed at or after a moment, for tablets that keep a copy in sync.
  Offered by every list whose rows carry `updated_at`; the database keeps it (auto_now, and every bulk write
  of such rows sets it).
"""

import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

PARAMETER = "updated_since"
INVALID = _("Give a date and time with its offset, e.g. 2026-12-01T08:00:00+08:00.")


def names_a_filter(filterset_class, query_params) -> bool:
    """Whether the query gives a value to one of the filter set's filters: its name, or a name its widget
    reads (`registered_after`, `amount_min`, `visited_0`)."""
    names = filterset_class.base_filters.keys()
    return any(key == name or key.startswith(f"{name}_") for key in query_params for name in names)


class FilterSetBackend(DjangoFilterBackend):
    """django-filter's backend, which leaves a query that names none of the filters unfiltered without
    building the filter set (every filter of ours passes an absent value; core.tests.test_api_filters)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not names_a_filter(filterset_class, request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


def syncable(model) -> bool:
    return any(field.name == "updated_at" for field in model._meta.fields)


class UpdatedSinceFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get(PARAMETER)
        if value is None or not syncable(queryset.model):
            return queryset
        try:
            since = parse_datetime(value)
            # in UTC: the database takes any moment, not any offset (PostgreSQL refuses one beyond ±15:59)
            since = since.astimezone(datetime.UTC) if since is not None and since.tzinfo is not None else None
        except (ValueError, OverflowError):
            since = None
        if since is None:
            raise ValidationError({PARAMETER: [INVALID]})
        return queryset.filter(updated_at__gte=since)

    def get_schema_operation_parameters(self, view):
        queryset = getattr(view, "queryset", None)
        if queryset is None or not syncable(queryset.model):
            return []
        return [
            {
                "name": PARAMETER,
                "required": False,
                "in": "query",
                "description": "Only rows changed at or after this moment (ISO 8601 with offset); page with `cursor`.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]
