"""An API list asked without any of its filters is not narrowed: the backend then skips building the filter set
(core.api.filters.FilterSetBackend), which is right only while every filter passes an absent value."""

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver
from rest_framework.test import APIRequestFactory

from core.api.filters import names_a_filter
from core.roles import Role
from core.testing import api_client
from members.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _filtered_viewsets(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _filtered_viewsets(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-list"):
            viewset = getattr(pattern.callback, "cls", None)
            if getattr(viewset, "filterset_class", None) is not None:
                yield viewset


FILTERED = sorted(set(_filtered_viewsets(get_resolver().url_patterns)), key=str)


def test_the_api_has_filtered_lists():
    assert len(FILTERED) >= 15


@pytest.mark.parametrize("viewset", FILTERED, ids=lambda viewset: viewset.__name__)
def test_a_filter_set_given_no_filter_leaves_the_rows_whole(viewset, staff):
    request = APIRequestFactory().get("/")
    request.user = staff[Role.CR_HEAD]
    rows = viewset.queryset.all()

    filterset = viewset.filterset_class(data={}, queryset=rows, request=request)

    assert filterset.is_valid(), filterset.errors
    assert str(filterset.qs.query) == str(rows.query)


def test_only_the_names_a_filter_reads_build_its_filter_set():
    from members.filters import CustomerFilterSet

    assert names_a_filter(CustomerFilterSet, {"registered_after": "2026-01-01"})
    assert names_a_filter(CustomerFilterSet, {"q": "张"})
    assert not names_a_filter(CustomerFilterSet, {"page_size": "20", "ordering": "-id", "cursor": ""})


def test_a_list_is_filtered_when_asked_and_whole_when_not(project, staff):
    CustomerFactory(project=project, name="张三", gender="male")
    CustomerFactory(project=project, name="李四", gender="female")
    client = api_client(staff[Role.SALES_MANAGER])

    whole = client.get("/api/v1/customers/", {"page_size": 20}).json()
    women = client.get("/api/v1/customers/", {"page_size": 20, "gender": "female"}).json()
    bad = client.get("/api/v1/customers/", {"gender": "unknown-value"})

    assert sorted(row["name"] for row in whole["results"]) == ["张三", "李四"]
    assert [row["name"] for row in women["results"]] == ["李四"]
    assert bad.status_code == 400 and "gender" in bad.json()


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"registered_after": "2026-03-02"}, ["次日零点", "次日晚"]),
        ({"registered_before": "2026-03-01"}, ["当日零点", "当日深夜"]),
        ({"registered_after": "2026-03-01", "registered_before": "2026-03-01"}, ["当日零点", "当日深夜"]),
    ],
)
def test_a_day_filter_takes_the_whole_day_in_the_companys_time_zone(project, staff, query, names):
    """A customer registered at 23:59 on 1 March (Beijing time, 15:59 UTC) is of 1 March, and one at 00:00 on
    2 March (16:00 UTC the day before) of 2 March, whatever the database stores."""
    import datetime

    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    beijing = datetime.timezone(datetime.timedelta(hours=8))
    for name, moment in [
        ("当日零点", datetime.datetime(2026, 3, 1, 0, 0, tzinfo=beijing)),
        ("当日深夜", datetime.datetime(2026, 3, 1, 23, 59, 59, tzinfo=beijing)),
        ("次日零点", datetime.datetime(2026, 3, 2, 0, 0, tzinfo=beijing)),
        ("次日晚", datetime.datetime(2026, 3, 2, 21, 0, tzinfo=beijing)),
    ]:
        with time_machine.travel(moment, tick=False):
            CustomerFactory(project=project, name=name)
    client = api_client(staff[Role.SALES_MANAGER])

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/customers/", {**query, "page_size": 50}).json()

    assert sorted(row["name"] for row in body["results"]) == sorted(names)
    listing = next(q["sql"] for q in queries.captured_queries if 'FROM "members_customer"' in q["sql"])
    assert "AT TIME ZONE" not in listing and "django_datetime_cast_date" not in listing, "the moment itself"
