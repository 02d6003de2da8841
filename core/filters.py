"""Filters shared by every app's FilterSets."""

import datetime
import functools

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from .calls import to_call_now
from .models import User
from .widgets import DateInput, Picker


class FilterSet(django_filters.FilterSet):
    """The filter set every app's derives from: django-filter's, with the class's filters copied for each filter
    set by attribute rather than deep-copied.

    django-filter deep-copies every filter (its arguments, widget and queryset) for each filter set, on every
    list page and request: a third of building the complaint list's filter form. Here each filter set gets the
    filters' attributes with an `extra` of its own (where a filter scoped to the request writes its queryset),
    its filter method bound to the copy, and never a form field the class's filter kept: once asked for its
    field, a filter keeps it, with the choices of whoever asked, and the deep copy handed those choices to every
    later filter set of the class."""

    def __init__(self, *args, **kwargs):
        self.base_filters = {}  # (django-filter's deep copy then copies nothing; the class's filters follow)
        super().__init__(*args, **kwargs)
        del self.base_filters
        model = self.queryset.model
        self.filters = {name: _copy_of(found, self, model) for name, found in self.base_filters.items()}


def _copy_of(found, parent, model):
    copied = object.__new__(type(found))
    copied.__dict__.update(found.__dict__)
    copied.__dict__.pop("_field", None)
    copied.extra = dict(found.extra)
    if found.method is not None:
        copied.method = found.method  # (a FilterMethod of the copy, not of the class's filter)
    copied.model, copied.parent = model, parent
    return copied


class DateFilter(django_filters.DateFilter):
    """A date filter typed in the reader's language's form, with a calendar.

    On a date-and-time field (`lookup_expr="date__gte"`) the day is compared as a range of moments in the
    current time zone: `received_at >= that day's first moment`, which the field's index serves, where the
    `__date` lookup would convert every row's moment to a date first."""

    # the day's lookup: the moment's lookup, and the day whose first moment bounds it
    MOMENTS = {"date__gte": ("gte", 0), "date__gt": ("gte", 1), "date__lte": ("lt", 1), "date__lt": ("lt", 0)}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES or self.lookup_expr not in self.MOMENTS:
            return super().filter(qs, value)
        lookup, days = self.MOMENTS[self.lookup_expr]
        moment = timezone.make_aware(datetime.datetime.combine(value + datetime.timedelta(days=days), datetime.time()))
        if self.distinct:
            qs = qs.distinct()
        return self.get_method(qs)(**{f"{self.field_name}__{lookup}": moment})


@functools.cache
def narrowed(filterset_class, names: frozenset[str]):
    """`filterset_class` with only the filters in `names`. A list filtered by those alone gives the same rows:
    every filter leaves the rows as they are when it is given no value. Built without a copy of every other
    filter and its form field: what a home's figure card counts (core.figures), a dozen a page."""
    narrow = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    narrow.base_filters = {name: f for name, f in filterset_class.base_filters.items() if name in names}
    return narrow


class _ReadAtOnce(django_filters.fields.ModelChoiceIterator):
    """A drop-down's rows read in one statement. Django reads them through `.iterator()`, which on PostgreSQL is a
    server-side cursor: three round trips (four where the page's template renders, after its transaction) for a
    list of a few dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for row in self.queryset.all():
            yield self.choice(row)


class _CatalogueChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ReadAtOnce


class CatalogueFilter(django_filters.ModelChoiceFilter):
    """One row of a small catalogue (categories, departments, open campaigns), chosen from a drop-down of all."""

    field_class = _CatalogueChoiceField


class StaffFilter(django_filters.ModelChoiceFilter):
    """A colleague, found by typing a name (no list of every member of staff)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", User.objects.filter(is_active=True))
        kwargs.setdefault("widget", Picker("staff"))
        super().__init__(*args, **kwargs)


class YesNoWidget(django_filters.widgets.BooleanWidget):
    """Any / yes / no: an unset yes-no filter means "any", not "unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoWidget)
        super().__init__(*args, **kwargs)


class ToCallNowFilter(YesNoFilter):
    """Yes: not waiting for a call-back time agreed on an earlier call; no: waiting for one (core.calls)."""

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(to_call_now()) if value else qs.exclude(to_call_now())
