"""Every app's filter sets derive from core.filters.FilterSet: each gets its own copies of the class's filters,
scoped to its own request, whatever another filter set or another user did with them before."""

import pytest
from django.test import RequestFactory

from core.roles import Role
from members.filters import CustomerFilterSet
from members.models import Customer
from members.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _filters_for(user, **query):
    request = RequestFactory().get("/", query)
    request.user = user
    return CustomerFilterSet(request.GET or None, queryset=Customer.objects.all(), request=request)


def test_a_user_is_offered_their_own_projects_even_after_the_class_filter_was_asked_for_its_field(
    project, other_project, staff
):
    kept = CustomerFilterSet.base_filters["project"]
    try:
        assert set(kept.field.queryset) == {project, other_project}  # asked with no request: every project
        offered = _filters_for(staff[Role.CONSULTANT]).form.fields["project"].queryset
        assert list(offered) == [project]
    finally:
        kept.__dict__.pop("_field", None)


def test_filter_sets_narrow_and_filter_with_their_own_copies(project, other_project, staff):
    from core.testing import make_staff

    elsewhere = make_staff(Role.SALES_MANAGER, projects=[other_project], username="elsewhere")
    mine = CustomerFactory(project=project, name="张三")
    CustomerFactory(project=other_project, name="李四")

    first = _filters_for(staff[Role.SALES_MANAGER], q="张")
    second = _filters_for(elsewhere, q="李")

    assert list(first.form.fields["project"].queryset) == [project]
    assert list(second.form.fields["project"].queryset) == [other_project]
    assert list(first.qs) == [mine]  # the search method of the filter set that was asked, with its own value
    assert [customer.name for customer in second.qs] == ["李四"]
    assert first.filters["q"] is not second.filters["q"] is not CustomerFilterSet.base_filters["q"]
    assert first.filters["q"].parent is first and second.filters["q"].parent is second
