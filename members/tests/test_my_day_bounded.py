"""My day stays one page whatever the backlog: counts from the database, the first rows of each group."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from members.choices import LeadGrade
from members.selectors import MY_DAY_ROWS
from members.tests.factories import CustomerFactory, LeadFactory

pytestmark = pytest.mark.django_db


def backlog(project, consultant, n, grade=LeadGrade.B):
    yesterday = datetime.date.today() - datetime.timedelta(days=3)
    for _ in range(n):
        LeadFactory(
            customer=CustomerFactory(project=project, consultant=consultant), grade=grade, next_follow_up_on=yesterday
        )


def test_a_large_backlog_shows_its_count_and_the_first_rows_with_a_way_to_the_rest(browser, staff, project):
    consultant = staff[Role.CONSULTANT]
    backlog(project, consultant, MY_DAY_ROWS + 7)

    page = browser(consultant).get("/members/my-day/")

    day = page.context["day"]
    assert day["overdue_count"] == MY_DAY_ROWS + 7
    (group,) = day["groups"]
    assert len(group["overdue"]) == MY_DAY_ROWS and group["more"] == 7
    assert "grade=B" in page.content.decode()


def test_my_day_costs_the_same_queries_for_a_small_and_a_large_backlog(browser, staff, project):
    consultant = staff[Role.CONSULTANT]
    client = browser(consultant)
    backlog(project, consultant, 3)
    client.get("/members/my-day/")
    with CaptureQueriesContext(connection) as small:
        client.get("/members/my-day/")
    small_count = len(small.captured_queries)  # read before the next request empties the query log
    backlog(project, consultant, 40)
    with CaptureQueriesContext(connection) as large:
        client.get("/members/my-day/")
    assert small_count > 0 and len(large.captured_queries) == small_count


def test_a_backlog_past_the_count_cap_says_more_than_and_still_lists_the_first_rows(
    browser, staff, project, monkeypatch
):
    from core import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    consultant = staff[Role.CONSULTANT]
    backlog(project, consultant, 8)
    backlog(project, consultant, 2, grade=LeadGrade.A)

    page = browser(consultant).get("/members/my-day/")

    day = page.context["day"]
    groups = {group["grade"]: group for group in day["groups"]}
    assert day["capped"] and groups[LeadGrade.B]["capped"] and not groups[LeadGrade.A]["capped"]
    assert (groups[LeadGrade.B]["overdue_count"], groups[LeadGrade.A]["overdue_count"]) == (5, 2)
    assert len(groups[LeadGrade.B]["overdue"]) == min(MY_DAY_ROWS, 8)
    text = page.content.decode()
    assert "&gt;7" in text, "the overdue card says more than the capped counts' sum"


def test_each_group_lists_its_own_leads_earliest_follow_up_first(browser, staff, project):
    consultant = staff[Role.CONSULTANT]
    today = datetime.date.today()
    expected = {}
    for grade, days_ago in [(LeadGrade.A, [5, 1, 3]), (LeadGrade.B, [2, 0, 4]), (LeadGrade.C, [0, 0])]:
        for ago in days_ago:
            lead = LeadFactory(
                customer=CustomerFactory(project=project, consultant=consultant),
                grade=grade,
                next_follow_up_on=today - datetime.timedelta(days=ago),
            )
            expected.setdefault((grade, ago > 0), []).append((lead.next_follow_up_on, lead.pk))

    day = browser(consultant).get("/members/my-day/").context["day"]

    listed = {}
    for group in day["groups"]:
        for late, leads in ((True, group["overdue"]), (False, group["due"])):
            if leads:
                listed[group["grade"], late] = [(lead.next_follow_up_on, lead.pk) for lead in leads]
    assert listed == {key: sorted(rows) for key, rows in expected.items()}
