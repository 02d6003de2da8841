"""Serializer fields every app's API shares."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


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
