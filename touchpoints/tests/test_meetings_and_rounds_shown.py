"""Owners' meetings (J21) and three-month visit rounds (J15) on the customer's timeline and the project page."""

import datetime

import pytest

from core.roles import Role
from core.testing import api_client
from touchpoints.choices import Duty
from touchpoints.models import CareTask, Meeting, VisitRound
from touchpoints.schedule import run_daily_scan

D = datetime.date


@pytest.fixture
def visited_owner(project, staff, buy, frozen):
    """An owner three months after move-in, visited through the API; a water leak found and still open."""
    purchase = buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    with frozen(D(2026, 4, 10)):
        run_daily_scan()
        visit = CareTask.objects.get(duty=Duty.THREE_MONTH_VISIT)
        response = api_client(staff[Role.CUSTOMER_SERVICE]).post(
            f"/api/v1/care-tasks/{visit.pk}/complete/",
            {"outcome": "入户拜访", "issues": [{"description": "卫生间渗水"}]},
            format="json",
        )
    assert response.status_code == 200, response.json()
    return purchase.customer


@pytest.fixture
def forum(project, staff, visited_owner):
    response = api_client(staff[Role.PROPERTY]).post(
        "/api/v1/meetings/",
        {
            "project": project.pk,
            "kind": "owners_forum",
            "held_on": "2026-04-20",
            "title": "春季业主恳谈会",
            "attendees": 30,
            "feedback": [
                {"customer": visited_owner.pk, "content": "卫生间渗水请尽快处理", "response": "工程部本周维修"}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Meeting.objects.get()


@pytest.mark.rule("J21", "J15", "J22")
def test_the_owners_timeline_shows_the_forum_and_the_home_visit_with_its_issue(
    project, staff, browser, visited_owner, forum
):
    page = browser(staff[Role.CUSTOMER_SERVICE]).get(f"/members/customers/{visited_owner.pk}/")

    assert page.status_code == 200
    events = {event.kind: event for event in page.context["timeline"]}
    assert events["meeting"].title.endswith("春季业主恳谈会")
    assert events["meeting"].detail == "卫生间渗水请尽快处理 → 工程部本周维修"
    visit_round = VisitRound.objects.get(project=project)
    assert str(visit_round.year) in events["visit_round"].title and "卫生间渗水" in events["visit_round"].detail
    assert f"/touchpoints/meetings/{forum.pk}/" in page.text
    assert f"/touchpoints/visit-rounds/{visit_round.pk}/" in page.text
    assert [event.kind for event in page.context["timeline"]].count("visit_round") == 1
    assert "care_task" not in events  # the visit shows once, as the round's visit


@pytest.mark.rule("J21", "J15")
def test_the_project_page_shows_its_meetings_and_visit_rounds(project, other_project, staff, browser, forum):
    visit_round = VisitRound.objects.get(project=project)

    page = browser(staff[Role.CUSTOMER_SERVICE]).get(f"/estates/projects/{project.pk}/")

    assert page.status_code == 200
    assert "春季业主恳谈会" in page.text and f"/touchpoints/meetings/{forum.pk}/" in page.text
    assert f"/touchpoints/visit-rounds/{visit_round.pk}/" in page.text
    other = browser(staff[Role.CR_HEAD]).get(f"/estates/projects/{other_project.pk}/")
    assert "春季业主恳谈会" not in other.text and f"/touchpoints/visit-rounds/{visit_round.pk}/" not in other.text


def test_roles_that_may_not_read_meetings_or_rounds_see_no_such_section(project, staff, browser, forum):
    page = browser(staff[Role.CONSULTANT]).get(f"/estates/projects/{project.pk}/")

    assert page.status_code == 200
    assert "春季业主恳谈会" not in page.text and "/touchpoints/visit-rounds/" not in page.text
