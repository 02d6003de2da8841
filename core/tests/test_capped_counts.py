"""A list of a million rows is not counted to its end on every page (issue 15): the dashboard's pages and home
figures count up to a cap and say "more than" past it."""

import pytest

from core import paging
from core.roles import Role
from members.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_list_longer_than_the_cap_says_more_than_and_still_pages(project, staff, browser, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    CustomerFactory.create_batch(8, project=project)
    client = browser(staff[Role.SALES_MANAGER])

    page = client.get("/members/customers/")
    assert page.context["paginator"].capped
    assert "超过 5 条" in page.content.decode()
    assert len(page.context["object_list"]) == 8, "the first page shows its rows, whatever the count"

    home = client.get("/").content.decode()
    assert 'data-figure="6"' in home and "&gt;5" in home, "the home card says more than the cap too"


def test_a_short_list_is_counted_exactly(project, staff, browser):
    CustomerFactory.create_batch(3, project=project)
    page = browser(staff[Role.SALES_MANAGER]).get("/members/customers/")
    assert not page.context["paginator"].capped
    assert page.context["paginator"].count == 3
