"""The model serializer every app's API derives from: DRF's, built and read the short way where it can.

DRF builds a model serializer's fields from the model on every request: for a care task's 32 fields, some 3 ms
of introspection whose answer never changes. Here a class's fields are built once and each serializer gets its
own copy of them; a serializer that narrows its fields to the user (a queryset scoped in `__init__`) narrows its
own copy. The copy is of each field's attributes (`fresh_copy`), not DRF's deep copy, which builds every field
again from its arguments: a tenth of a care task list's time.

A page of 100 care tasks has some 3,000 fields. DRF reads each through the field's `get_attribute`, which walks
the source, checks for callables and catches missing attributes, and that walk was most of the page's time. A
field whose source is one of the model's own columns needs none of it: the value is an attribute of the row.
Such a field, and a primary-key relation read as its id, is read straight from the row; every other field
(nested serializers, labels, methods, dotted sources, defaults) goes through DRF as before, in the same order.
"""

from operator import attrgetter

from django.db import models
from rest_framework import serializers
from rest_framework.fields import Field, SkipField, empty
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField, RelatedField

from core.prefetching import rows_of

from .fields import DateTimeField


class ModelSerializer(serializers.ModelSerializer):
    # Every moment the API reads is bounded (see fields.DateTimeField).
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }

    def get_fields(self):
        try:
            built = _built_fields[type(self)]
        except KeyError:
            built = _built_fields[type(self)] = super().get_fields()
        return {name: fresh_copy(field) for name, field in built.items()}

    def to_representation(self, instance):
        if not isinstance(instance, self.Meta.model):
            return super().to_representation(instance)
        row = {}
        for name, read, represent in self._readers:
            if read is None:
                try:
                    value = represent.get_attribute(instance)
                except SkipField:
                    continue
                if (value.pk if isinstance(value, PKOnlyObject) else value) is None:
                    row[name] = None
                else:
                    row[name] = represent.to_representation(value)
                continue
            value = read(instance)
            row[name] = None if value is None else represent(value)
        return row

    @property
    def _readers(self) -> list[tuple]:
        """(name, read, represent) for each readable field, worked out once per serializer instance (a list's
        rows share one). `read` is None where DRF reads the field itself; `represent` is then the field."""
        try:
            return self.__readers
        except AttributeError:
            columns = {field.name: field for field in self.Meta.model._meta.concrete_fields}
            self.__readers = [_reader(field, columns) for field in self._readable_fields]
            return self.__readers


_built_fields: dict[type, dict] = {}


def fresh_copy(field: Field) -> Field:
    """An unbound field as it was built, to bind and narrow without touching the original: its attributes
    copied, and the field a list or a many-relation holds (`child`, `child_relation`) copied too, with the copy
    as its parent (its constructor bound it; the rest of that binding holds for the copy). Fields reassign
    their attributes (a queryset narrowed, a field bound), never change them in place, so the copies share
    the rest; a field that keeps something per request starts it when bound (fields.ChoiceLabelField)."""
    copied = object.__new__(type(field))
    copied.__dict__.update(field.__dict__)
    for name in ("child", "child_relation"):
        inner = field.__dict__.get(name)
        if inner is not None:
            inner = fresh_copy(inner)
            setattr(copied, name, inner)
            inner.parent = copied
    return copied


def _reader(field, columns) -> tuple:
    column = columns.get(field.source) if len(field.source_attrs) == 1 else None
    if column is None or field.default is not empty:
        return field.field_name, None, field
    if column.is_relation:
        if (
            isinstance(field, PrimaryKeyRelatedField)
            and type(field).get_attribute is RelatedField.get_attribute
            and type(field).to_representation is PrimaryKeyRelatedField.to_representation
            and field.pk_field is None
            and field.use_pk_only_optimization()
        ):
            # The id the row already holds: what DRF's PKOnlyObject would give.
            return field.field_name, attrgetter(column.attname), _the_id
        return field.field_name, None, field
    if type(field).get_attribute is not Field.get_attribute:
        return field.field_name, None, field
    return field.field_name, attrgetter(column.attname), field.to_representation


def _the_id(value):
    return value


class ListedRows(serializers.ListSerializer):
    """A nested list read from the rows prefetched with core.prefetching.listed (`Meta.list_serializer_class`)."""

    def get_attribute(self, instance):
        return rows_of(instance, self.source)
