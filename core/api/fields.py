"""Serializer fields every app's API shares."""

import datetime
import functools

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from django.utils.translation import gettext_lazy as _
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from core.labels import label_of


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.Field):
    """How a related record reads to people (its `str`), or "" when the relation is empty.

    `LabelField(source="consultant")`; never `source="consultant.__str__"`, which renders Python's
    description of None's method when the relation is empty.
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        return "" if value is None else value

    def to_representation(self, value):
        return str(value)


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choice field's value in the reader's language: `ChoiceLabelField(source="status")`.

    What the model's `get_status_display` gives, read from core.labels' map, without the cost of a method
    called as a source (DRF inspects its signature on every row). Each value is translated once per serializer
    (one request, one language), not once per row.
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self._said = {}  # each bound copy its own: the copies of a class's fields share what they were built with

    def get_attribute(self, instance):
        field = instance._meta.get_field(self.source)
        value = getattr(instance, field.attname)
        try:
            return self._said[value]
        except KeyError:
            label = label_of(field, value)
            said = self._said[value] = None if label is None else str(label)
            return said
        except TypeError:  # an unhashable value is no choice
            return value

    def to_representation(self, label):
        return str(label)


class DateTimeField(serializers.DateTimeField):
    """A moment between 1900 and 2100: earlier or later ones are typing mistakes, and before 1901 the
    time zone database gives China's local mean time (+08:05:43), which no client can read back.

    A moment is written in the reader's time zone, as DRF writes it, with the zone looked up once per
    serializer (one request, one zone) instead of once per moment: a page of 100 complaints has 500 of them."""

    default_error_messages = {"out_of_range": _("Enter a date between 1900 and 2100.")}

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not 1900 <= moment.year <= 2100:
            self.fail("out_of_range")
        return moment

    def to_representation(self, value):
        zone = self._reader_zone
        if zone is None or not isinstance(value, datetime.datetime) or value.tzinfo is None:
            return super().to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return super().to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    @functools.cached_property
    def _reader_zone(self):
        """The zone moments are written in, when they are written as ISO 8601 (DRF's default); else None."""
        if str(getattr(self, "format", api_settings.DATETIME_FORMAT)).lower() != ISO_8601:
            return None
        return self.timezone if hasattr(self, "timezone") else self.default_timezone()
