"""Filters shared by every app's FilterSets."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .calls import to_call_now
from .models import User
from .widgets import DateInput, Picker


class DateFilter(django_filters.DateFilter):
    """A date filter typed in the reader's language's form, with a calendar."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateInput)
        super().__init__(*args, **kwargs)


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
