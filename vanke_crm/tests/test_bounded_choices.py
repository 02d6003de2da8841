"""No filter form offers an unbounded list: customers, units and staff are found by typing (issue 15's first
target; a drop-down of every customer also showed each role names it may not see)."""

import django_filters
from django.test import RequestFactory

from core.models import User
from core.testing import classes_defined_in, form_modules
from core.widgets import Picker
from estates.models import Unit
from members.models import Customer

UNBOUNDED = (Customer, Unit, User)


def test_every_filter_of_a_customer_a_unit_or_a_colleague_is_a_picker(db, staff):
    from core.roles import Role

    request = RequestFactory().get("/")
    request.user = staff[Role.CUSTOMER_SERVICE]
    listed = []
    for module in form_modules():
        for filterset in classes_defined_in(module, django_filters.FilterSet):
            if filterset._meta.model is None:  # the shared base (core.filters.FilterSet): no filters of its own
                continue
            # The filters of an instance, as a page reads them (a class's own filter, once asked for its field,
            # keeps it with this user's queryset; core.filters.FilterSet copies it to no later filter set).
            for name, found in filterset(request=request).filters.items():
                if not isinstance(found, (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)):
                    continue
                queryset = found.get_queryset(request)
                if issubclass(queryset.model, UNBOUNDED) and not isinstance(found.field.widget, Picker):
                    listed.append(f"{filterset.__qualname__}.{name}")

    assert listed == []
