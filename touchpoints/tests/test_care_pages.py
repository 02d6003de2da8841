"""Dashboard pages for owners' meetings (J21) and three-month visit rounds (J15), as users meet them."""

import datetime

import pytest
from django.utils.html import escape
from django.utils.translation import gettext

from core.roles import Role
from core.testing import count_queries, make_staff
from members.tests.factories import CustomerFactory
from touchpoints import services
from touchpoints.choices import Duty, IssueStatus, MeetingKind
from touchpoints.models import CareIssue, CareSettings, CareTask, Meeting, VisitRound
from touchpoints.schedule import run_daily_scan

D = datetime.date


FORUM_DAY = D(2026, 3, 1)


def meeting(project, *, kind=MeetingKind.OWNERS_FORUM, held_on=FORUM_DAY, title="业主恳谈会", feedback=()):
    return services.record_meeting(
        project=project, kind=kind, held_on=held_on, title=title, actor=None, attendees=12, feedback=list(feedback)
    )


def meeting_data(project, **lines):
    data = {
        "project": project.pk,
        "kind": MeetingKind.OWNERS_FORUM,
        "held_on": "2026-03-01",
        "title": "一季度业主恳谈会",
        "attendees": "25",
        "summary": "",
        "feedback-TOTAL_FORMS": "3",
        "feedback-INITIAL_FORMS": "0",
        "feedback-MIN_NUM_FORMS": "0",
        "feedback-MAX_NUM_FORMS": "50",
    }
    data.update(lines)
    return data


# Owners' meetings (J21)


@pytest.mark.rule("J21")
def test_a_forum_is_recorded_with_its_feedback_and_the_owner_sees_it_on_the_timeline(project, staff, browser):
    owner = CustomerFactory(project=project, name="王小明")
    client = browser(staff[Role.CUSTOMER_SERVICE])
    assert client.get("/touchpoints/meetings/new/").status_code == 200

    response = client.post(
        "/touchpoints/meetings/new/",
        meeting_data(
            project,
            **{
                "feedback-0-customer": str(owner.pk),
                "feedback-0-content": "希望增加停车位",
                "feedback-0-response": "物业将于下月公示方案",
                "feedback-1-content": "小区绿化需修剪",
            },
        ),
    )

    assert response.status_code == 302
    recorded = Meeting.objects.get()
    assert response["Location"] == f"/touchpoints/meetings/{recorded.pk}/"
    assert recorded.recorded_by == staff[Role.CUSTOMER_SERVICE] and recorded.attendees == 25
    assert [(line.customer, line.content) for line in recorded.feedback.all()] == [
        (owner, "希望增加停车位"),
        (None, "小区绿化需修剪"),
    ]
    page = client.get(response["Location"])
    assert "希望增加停车位" in page.text and "物业将于下月公示方案" in page.text and "小区绿化需修剪" in page.text
    assert f"/members/customers/{owner.pk}/" in page.text
    assert "希望增加停车位" in client.get(f"/members/customers/{owner.pk}/").text


@pytest.mark.rule("J21")
def test_a_feedback_line_without_content_is_refused_by_the_service_and_nothing_is_recorded(project, staff, browser):
    owner = CustomerFactory(project=project)
    client = browser(staff[Role.PROPERTY])

    response = client.post(
        "/touchpoints/meetings/new/",
        meeting_data(project, **{"feedback-0-customer": str(owner.pk), "feedback-0-response": "已记录"}),
    )

    assert response.status_code == 400
    assert escape(gettext("Write what the owner said.")) in response.text
    assert not Meeting.objects.exists()


def test_a_meeting_cannot_be_recorded_for_another_project_or_a_customer_out_of_sight(
    project, other_project, staff, browser
):
    client = browser(staff[Role.CUSTOMER_SERVICE])
    stranger = CustomerFactory(project=other_project)

    assert client.post("/touchpoints/meetings/new/", meeting_data(other_project)).status_code == 400
    answer = client.post(
        "/touchpoints/meetings/new/",
        meeting_data(project, **{"feedback-0-customer": str(stranger.pk), "feedback-0-content": "x"}),
    )
    assert answer.status_code == 400
    assert not Meeting.objects.exists()


def test_who_may_record_and_read_meetings(project, staff, browser):
    assert browser(staff[Role.ENGINEERING]).get("/touchpoints/meetings/").status_code == 200
    assert browser(staff[Role.ENGINEERING]).get("/touchpoints/meetings/new/").status_code == 403
    assert browser(staff[Role.ENGINEERING]).post("/touchpoints/meetings/new/", meeting_data(project)).status_code == 403
    assert not Meeting.objects.exists()
    assert browser(staff[Role.CONSULTANT]).get("/touchpoints/meetings/").status_code == 403
    assert browser(staff[Role.PROPERTY]).get("/touchpoints/meetings/new/").status_code == 200


def test_the_meeting_list_filters_by_project_kind_and_date_and_hides_other_projects(
    project, other_project, staff, browser
):
    forum = meeting(project, title="春季业主恳谈会", held_on=D(2026, 3, 1))
    management = meeting(project, kind=MeetingKind.MANAGEMENT_MEETING, title="总经理面对面", held_on=D(2026, 5, 1))
    elsewhere = meeting(other_project, title="别的项目的恳谈会")
    client = browser(staff[Role.CUSTOMER_SERVICE])

    everything = client.get("/touchpoints/meetings/")
    assert forum.title in everything.text and management.title in everything.text
    assert elsewhere.title not in everything.text
    by_kind = client.get("/touchpoints/meetings/", {"kind": MeetingKind.MANAGEMENT_MEETING, "project": project.pk})
    assert management.title in by_kind.text and forum.title not in by_kind.text
    by_date = client.get("/touchpoints/meetings/", {"held_after": "2026-02-01", "held_before": "2026-03-31"})
    assert forum.title in by_date.text and management.title not in by_date.text
    assert client.get(f"/touchpoints/meetings/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/touchpoints/meetings/{forum.pk}/").status_code == 200


def test_the_meeting_list_costs_the_same_queries_for_one_or_many(project, staff, browser):
    client = browser(staff[Role.CR_HEAD])
    meeting(project, feedback=[{"content": "a"}])
    one = count_queries(lambda: client.get("/touchpoints/meetings/"))
    for n in range(5):
        meeting(project, title=f"会议{n}", feedback=[{"content": "b"}, {"content": "c"}])
    assert count_queries(lambda: client.get("/touchpoints/meetings/")) == one


@pytest.mark.rule("J21")
def test_the_meeting_list_and_the_project_page_count_each_meetings_feedback(project, staff, browser):
    from touchpoints.sections import owners_meetings

    one = meeting(project, title="春季业主恳谈会", held_on=D(2026, 3, 1), feedback=[{"content": "停车位"}])
    two = meeting(
        project, title="秋季业主恳谈会", held_on=D(2026, 9, 1), feedback=[{"content": "绿化"}, {"content": "电梯"}]
    )
    silent = meeting(project, title="总经理面对面", held_on=D(2026, 10, 1))
    head = staff[Role.CR_HEAD]

    listed = browser(head).get("/touchpoints/meetings/").context["object_list"]
    section = owners_meetings(user=head, project=project).context["meetings"]

    for shown in (listed, section):
        assert {row.pk: row.feedback_count for row in shown} == {one.pk: 1, two.pk: 2, silent.pk: 0}


def test_the_navigation_offers_meetings_and_visit_rounds_to_customer_service(project, staff, browser):
    home = browser(staff[Role.CUSTOMER_SERVICE]).get("/")
    assert "/touchpoints/meetings/" in home.text and "/touchpoints/visit-rounds/" in home.text
    theirs = browser(staff[Role.CONSULTANT]).get("/")
    assert theirs.status_code == 200 and "/touchpoints/tasks/" in theirs.text  # the consultant's menu is there …
    # … without these
    assert "/touchpoints/meetings/" not in theirs.text and "/touchpoints/visit-rounds/" not in theirs.text


# Three-month visit rounds (J15)


@pytest.fixture
def visit_round(project, other_project, buy, frozen):
    """A round of `project` whose one sampled household is due a visit; another in the other project."""
    buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    buy(project=other_project, delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    with frozen(D(2026, 4, 10)):
        run_daily_scan()
    with frozen(D(2026, 4, 12)):
        yield VisitRound.objects.get(project=project)


@pytest.mark.rule("J15")
def test_a_round_shows_its_sample_visits_and_issues_and_closes_only_when_the_service_allows(
    project, staff, browser, visit_round
):
    visit = CareTask.objects.get(duty=Duty.THREE_MONTH_VISIT, visit_round=visit_round)
    client = browser(staff[Role.CUSTOMER_SERVICE])
    url = f"/touchpoints/visit-rounds/{visit_round.pk}/"

    page = client.get(url)
    assert page.status_code == 200
    assert visit.customer.name in page.text and f"/touchpoints/tasks/{visit.pk}/" in page.text

    refused = client.post(url, {"action": "close", "summary": "本轮回访完成"})
    assert refused.status_code == 409
    assert escape(gettext("Some visits of this round are still open.")) in refused.text
    visit_round.refresh_from_db()
    assert visit_round.closed_at is None

    services.complete_task(
        task=visit, actor=staff[Role.CUSTOMER_SERVICE], outcome="入户拜访", issues=[{"description": "卫生间渗水"}]
    )
    listed = client.get("/touchpoints/visit-rounds/")
    row = listed.context["object_list"][0]
    assert (row.target, row.sampled, row.visited, row.open_issues) == (1, 1, 1, 1)
    assert "卫生间渗水" in client.get(url).text

    # An issue still open keeps the round open; the page says why.
    blocked = client.post(url, {"action": "close", "summary": "回访1户,发现1项渗水问题"})
    assert blocked.status_code == 409
    assert (
        escape(
            gettext("%(count)s issue(s) found on this round's visits are still open: close them before the round.")
            % {"count": 1}
        )
        in blocked.text
    )
    services.close_issue(issue=CareIssue.objects.get(), actor=staff[Role.ENGINEERING], resolution="已修复")

    no_summary = client.post(url, {"action": "close", "summary": " "})
    assert no_summary.status_code == 400
    assert escape(gettext("Write the round's summary.")) in no_summary.text

    closed = client.post(url, {"action": "close", "summary": "回访1户,发现1项渗水问题,已修复"})
    assert closed.status_code == 302
    visit_round.refresh_from_db()
    assert visit_round.closed_by == staff[Role.CUSTOMER_SERVICE] and visit_round.summary.startswith("回访1户")
    assert "回访1户" in client.get(url).text


@pytest.mark.rule("J15")
def test_a_round_page_reads_its_households_and_issues_in_the_same_statements_however_many(
    project, staff, buy, frozen, browser
):
    CareSettings.objects.create(project=project, three_month_sample_percent=100)
    buy(delivered_on=D(2026, 1, 5), moved_in_on=D(2026, 1, 10))
    with frozen(D(2026, 4, 10)):
        run_daily_scan()
    visit_round = VisitRound.objects.get(project=project)
    client = browser(staff[Role.CUSTOMER_SERVICE])
    url = f"/touchpoints/visit-rounds/{visit_round.pk}/"
    one = count_queries(lambda: client.get(url))

    for _ in range(3):  # each in a building of its own
        buy(delivered_on=D(2026, 1, 6), moved_in_on=D(2026, 1, 12))
    with frozen(D(2026, 4, 13)):
        run_daily_scan()
    for visit in CareTask.objects.filter(visit_round=visit_round):
        issues = [{"description": "卫生间渗水"}, {"description": "墙面开裂"}]
        services.complete_task(task=visit, actor=staff[Role.CUSTOMER_SERVICE], outcome="入户拜访", issues=issues)

    page = client.get(url)
    assert page.status_code == 200 and len(page.context["tasks"]) == 4 and len(page.context["issues"]) == 8
    assert all(str(task.unit) in page.text for task in page.context["tasks"])
    assert count_queries(lambda: client.get(url)) == one


@pytest.mark.rule("J15")
def test_an_issue_found_on_a_visit_is_followed_to_closure_from_the_round_page(project, staff, browser, visit_round):
    visit = CareTask.objects.get(duty=Duty.THREE_MONTH_VISIT, visit_round=visit_round)
    services.complete_task(
        task=visit, actor=staff[Role.CUSTOMER_SERVICE], outcome="入户拜访", issues=[{"description": "窗户密封条脱落"}]
    )
    issue = CareIssue.objects.get()
    client = browser(staff[Role.ENGINEERING])
    url = f"/touchpoints/visit-rounds/{visit_round.pk}/"

    assert client.post(url, {"action": "close-issue", "issue": issue.pk, "resolution": ""}).status_code == 400
    closed = client.post(url, {"action": "close-issue", "issue": issue.pk, "resolution": "已更换密封条"})
    assert closed.status_code == 302

    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED and issue.closed_by == staff[Role.ENGINEERING]
    row = client.get("/touchpoints/visit-rounds/").context["object_list"][0]
    assert row.open_issues == 0


def test_who_may_read_and_close_visit_rounds(project, other_project, staff, browser, visit_round):
    url = f"/touchpoints/visit-rounds/{visit_round.pk}/"
    services.complete_task(
        task=CareTask.objects.get(visit_round=visit_round), actor=staff[Role.CUSTOMER_SERVICE], outcome="入户拜访"
    )
    engineering = browser(staff[Role.ENGINEERING])
    assert engineering.get(url).status_code == 200
    assert engineering.post(url, {"action": "close", "summary": "x"}).status_code == 403
    visit_round.refresh_from_db()
    assert visit_round.closed_at is None
    assert browser(staff[Role.CONSULTANT]).get("/touchpoints/visit-rounds/").status_code == 403
    assert browser(staff[Role.CONSULTANT]).get(url).status_code == 403
    outsider = make_staff(Role.CUSTOMER_SERVICE, projects=[other_project])
    assert browser(outsider).get(url).status_code == 404
    assert browser(outsider).post(url, {"action": "close", "summary": "x"}).status_code == 404
    theirs = browser(outsider).get("/touchpoints/visit-rounds/")
    assert [row.project for row in theirs.context["object_list"]] == [other_project]


def test_the_round_list_filters_by_project_year_and_status(project, other_project, staff, browser, visit_round):
    client = browser(make_staff(Role.CR_HEAD, projects=[project, other_project]))
    assert len(client.get("/touchpoints/visit-rounds/").context["object_list"]) == 2
    mine = client.get("/touchpoints/visit-rounds/", {"project": project.pk, "year": 2026, "state": "open"})
    assert list(mine.context["object_list"]) == [visit_round]
    assert not client.get("/touchpoints/visit-rounds/", {"state": "closed"}).context["object_list"]
    assert not client.get("/touchpoints/visit-rounds/", {"year": 2025}).context["object_list"]


def households_moved_in(buy, frozen, years) -> None:
    """A household delivered and moved in each January of `years`, and the scan of the April after: a
    three-month visit and its round each year."""
    for year in years:
        buy(delivered_on=D(year, 1, 5), moved_in_on=D(year, 1, 10))
        with frozen(D(year, 4, 10)):
            run_daily_scan()


def test_the_round_list_costs_the_same_queries_for_one_or_many(project, staff, browser, buy, frozen):
    client = browser(staff[Role.CR_HEAD])
    households_moved_in(buy, frozen, [2025])
    one = count_queries(lambda: client.get("/touchpoints/visit-rounds/"))
    households_moved_in(buy, frozen, [2022, 2023, 2024])
    assert VisitRound.objects.count() >= 4
    assert count_queries(lambda: client.get("/touchpoints/visit-rounds/")) == one


def test_the_phone_of_a_task_is_one_tap_away_for_service_and_masked_for_engineering(
    project, staff, browser, visit_round
):
    visit = CareTask.objects.get(duty=Duty.THREE_MONTH_VISIT, visit_round=visit_round)
    number = str(visit.customer.mobile)[3:]
    masked = f"{number[:3]}****{number[-4:]}"
    engineering = make_staff(Role.ENGINEERING, projects=[project])

    for url in ("/touchpoints/tasks/?queue=due", f"/touchpoints/tasks/{visit.pk}/"):
        service = browser(staff[Role.CUSTOMER_SERVICE]).get(url).text
        assert f'href="tel:{visit.customer.mobile}">{number}</a>' in service
        other = browser(engineering).get(url)
        assert other.status_code == 200
        assert number not in other.text and "tel:" not in other.text and masked in other.text


def test_the_care_queue_names_each_tasks_customer_and_project_in_the_same_queries_for_one_or_many(
    project, staff, browser, buy, frozen
):
    client = browser(staff[Role.CUSTOMER_SERVICE])
    households_moved_in(buy, frozen, [2025])
    one = count_queries(lambda: client.get("/touchpoints/tasks/?queue=all"))
    households_moved_in(buy, frozen, [2022, 2023, 2024])

    many = count_queries(lambda: client.get("/touchpoints/tasks/?queue=all"))
    page = client.get("/touchpoints/tasks/?queue=all")
    tasks = list(page.context["object_list"])

    assert many == one
    assert sum(1 for task in tasks if task.customer_id) >= 4, "a three-month visit a year, each of a household"
    for task in tasks:
        assert task.project.name in page.text
        if task.customer_id:
            assert task.customer.name in page.text
