"""Sales office pages: my day, leads, approvals, reports, visits and purchases, as people meet them."""

import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from core.roles import Role
from core.testing import count_queries, make_staff
from estates.tests.factories import BuildingFactory, UnitFactory
from members import services
from members.choices import LeadGrade, PurchaseStatus
from members.models import FollowUp, Lead, LeadApproval, Purchase, Visit

from .factories import CRITERIA, CustomerFactory, FollowUpFactory, LeadFactory, PurchaseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def xlsx_rows(response):
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))


@pytest.mark.rule("L3")
def test_my_day_shows_due_and_overdue_follow_ups_by_grade(project, staff, browser):
    consultant = staff[Role.CONSULTANT]
    LeadFactory(
        customer__project=project,
        customer__name="今天到期",
        consultant=consultant,
        grade="A",
        next_follow_up_on=TODAY.date(),
    )
    LeadFactory(
        customer__project=project,
        customer__name="已经逾期",
        consultant=consultant,
        grade="B",
        next_follow_up_on=TODAY.date() - datetime.timedelta(days=2),
    )
    LeadFactory(
        customer__project=project,
        customer__name="下周",
        consultant=consultant,
        grade="C",
        next_follow_up_on=TODAY.date() + datetime.timedelta(days=7),
    )

    page = browser(consultant).get("/members/my-day/")

    assert page.status_code == 200
    assert "今天到期" in page.text and "已经逾期" in page.text and "下周" not in page.text
    assert page.context["day"]["due_count"] == 1 and page.context["day"]["overdue_count"] == 1


@pytest.mark.rule("L10")
def test_pages_show_a_consultant_only_their_own_leads(project, staff, browser):
    theirs = LeadFactory(
        customer__project=project, customer__name="别人的", consultant=make_staff(Role.CONSULTANT, projects=[project])
    )
    LeadFactory(customer__project=project, customer__name="我的", consultant=staff[Role.CONSULTANT])
    client = browser(staff[Role.CONSULTANT])

    listing = client.get("/members/leads/")
    assert "我的" in listing.text and "别人的" not in listing.text
    assert client.get(f"/members/leads/{theirs.pk}/").status_code == 404
    assert client.post(f"/members/leads/{theirs.pk}/follow-up/", {"method": "call", "content": "x"}).status_code == 404
    manager = browser(staff[Role.SALES_MANAGER]).get("/members/leads/")
    assert "别人的" in manager.text and "我的" in manager.text


def test_sales_pages_are_refused_to_roles_without_access(project, staff, browser):
    client = browser(staff[Role.ENGINEERING])
    for url in (
        "/members/my-day/",
        "/members/leads/",
        "/members/approvals/",
        "/members/reports/daily/",
        "/members/reports/weekly/",
        "/members/visits/",
        "/members/purchases/",
    ):
        assert client.get(url).status_code == 403, url


def test_the_lead_list_filters_and_exports_to_excel(project, staff, browser):
    LeadFactory(
        customer__project=project,
        customer__name="甲",
        grade="A",
        next_follow_up_on=TODAY.date() - datetime.timedelta(days=1),
    )
    LeadFactory(customer__project=project, customer__name="乙", grade="C")
    client = browser(staff[Role.SALES_MANAGER])

    page = client.get("/members/leads/", {"overdue": "true"})
    assert "甲" in page.text and "乙" not in page.text
    rows = xlsx_rows(client.get("/members/leads/", {"grade": "C", "format": "xlsx"}))
    assert len(rows) == 2 and rows[1][0] == "乙" and rows[1][3] == "C"


def test_the_lead_list_query_count_does_not_grow_with_rows(project, staff, browser):
    client = browser(staff[Role.SALES_MANAGER])
    LeadFactory(customer__project=project)
    few = count_queries(lambda: client.get("/members/leads/"))
    for _ in range(8):
        LeadFactory(customer__project=project, consultant=staff[Role.CONSULTANT])
    assert count_queries(lambda: client.get("/members/leads/")) == few


@pytest.mark.rule("L9", "R2")
def test_the_lead_page_shows_the_grade_history_timeline_and_audit_trail(project, staff, browser):
    consultant = staff[Role.CONSULTANT]
    customer = CustomerFactory(project=project, consultant=consultant)
    lead = services.open_lead(
        customer=customer, project=project, grade="C", criteria=CRITERIA["C"], actor=consultant, reason="首次到访"
    )
    client = browser(consultant)

    client.post(
        f"/members/leads/{lead.pk}/follow-up/",
        {"method": "call", "reaction": "stronger", "content": "客户对样板间满意"},
    )
    client.post(
        f"/members/leads/{lead.pk}/regrade/", {"grade": "C1", "criteria_C1": CRITERIA["C1"], "reason": "价格抗性明显"}
    )
    page = client.get(f"/members/leads/{lead.pk}/")

    assert FollowUp.objects.get().content == "客户对样板间满意"
    assert "客户对样板间满意" in page.text and "价格抗性明显" in page.text and "首次到访" in page.text
    assert len(page.context["follow_up_history"]) == 1
    grade_changes = [
        change
        for row in page.context["history"]
        for change in row["changes"]
        if change["field"] == str(Lead._meta.get_field("grade").verbose_name)
    ]
    assert grade_changes[0]["new"] == LeadGrade.C1.label and grade_changes[0]["old"] == LeadGrade.C.label


@pytest.mark.rule("L1")
def test_the_lead_page_says_which_criteria_are_missing(project, staff, browser):
    lead = LeadFactory(customer__project=project, consultant=staff[Role.CONSULTANT])
    client = browser(staff[Role.CONSULTANT])

    page = client.post(
        f"/members/leads/{lead.pk}/regrade/", {"grade": "A", "criteria_A": ["unit_chosen"], "reason": "选定房源"}
    )

    lead.refresh_from_db()
    assert lead.grade == "C" and page.status_code == 400
    errors = page.context["regrade_form"].errors["criteria_A"][0]
    assert "Funds or loan eligibility ready" in errors or "首付或贷款资格已具备" in errors
    # What the user entered is still there.
    assert page.context["regrade_form"]["reason"].value() == "选定房源"
    assert page.context["regrade_form"]["criteria_A"].value() == ["unit_chosen"]


@pytest.mark.rule("L6")
def test_a_demotion_request_appears_in_the_supervisors_inbox_and_is_approved_there(project, staff, browser):
    lead = LeadFactory(customer__project=project, customer__name="降级客户", consultant=staff[Role.CONSULTANT])
    FollowUpFactory(lead=lead)
    browser(staff[Role.CONSULTANT]).post(
        f"/members/leads/{lead.pk}/regrade/", {"grade": "D", "criteria_D": ["no_fit"], "reason": "无意向"}
    )
    approval = LeadApproval.objects.get()

    inbox = browser(staff[Role.SALES_SUPERVISOR]).get("/members/approvals/")
    assert "降级客户" in inbox.text
    browser(staff[Role.SALES_SUPERVISOR]).post(f"/members/approvals/{approval.pk}/approve/", {"note": "同意"})

    lead.refresh_from_db()
    assert lead.grade == "D"
    assert browser(staff[Role.CONSULTANT]).get("/members/approvals/").context["to_decide"] == []


@pytest.mark.rule("L4")
def test_the_supervisors_daily_report_lists_the_teams_a_and_b_follow_ups(project, staff, browser):
    lead = LeadFactory(customer__project=project, customer__name="A客户", consultant=staff[Role.CONSULTANT], grade="A")
    FollowUpFactory(lead=lead, happened_at=TODAY, content="讨论付款方式")

    page = browser(staff[Role.SALES_SUPERVISOR]).get("/members/reports/daily/")

    assert page.status_code == 200 and "讨论付款方式" in page.text
    assert browser(staff[Role.CONSULTANT]).get("/members/reports/daily/").status_code == 403


@pytest.mark.rule("L5", "J5")
def test_the_weekly_summary_shows_grades_per_consultant_and_exports(project, staff, browser):
    consultant = staff[Role.CONSULTANT]
    LeadFactory(customer__project=project, consultant=consultant, grade="A")
    Visit.objects.create(
        customer=CustomerFactory(project=project),
        project=project,
        consultant=consultant,
        kind="first",
        visited_at=TODAY - datetime.timedelta(days=7),
        invited_to_club=True,
        invitation_outcome="joined",
    )
    client = browser(staff[Role.SALES_MANAGER])

    page = client.get("/members/reports/weekly/")
    rows = xlsx_rows(client.get("/members/reports/weekly/", {"format": "xlsx"}))

    [summary] = page.context["summaries"]
    assert summary["rows"][0]["grades"]["A"] == 1 and summary["rows"][0]["invitation_rate"] == 100
    assert rows[1][1] == str(consultant) and rows[1][2] == 1


def test_the_weekly_summary_of_many_projects_keeps_each_projects_figures_in_a_fixed_number_of_queries(
    project, other_project, staff, browser
):
    head = staff[Role.CR_HEAD]
    LeadFactory(customer__project=project, consultant=staff[Role.CONSULTANT], grade="A")
    client = browser(head)
    client.get("/members/reports/weekly/")
    few = count_queries(lambda: client.get("/members/reports/weekly/"))
    colleague = make_staff(Role.CONSULTANT, projects=[other_project])
    LeadFactory.create_batch(2, customer__project=other_project, consultant=colleague, grade="B")

    page = client.get("/members/reports/weekly/")

    grades = {
        s["project"].pk: [(r["grades"]["A"], r["grades"]["B"]) for r in s["rows"]] for s in page.context["summaries"]
    }
    assert grades == {project.pk: [(1, 0)], other_project.pk: [(0, 2)]}
    assert count_queries(lambda: client.get("/members/reports/weekly/")) == few


@pytest.mark.rule("L5", "J5", "R3")
def test_the_weekly_summary_report_api_answers_json_and_excel_for_the_team(project, staff):
    from core.testing import api_client

    consultant = staff[Role.CONSULTANT]
    LeadFactory(customer__project=project, consultant=consultant, grade="B")
    LeadFactory(customer__project=project, consultant=make_staff(Role.CONSULTANT, projects=[project]), grade="A")
    Visit.objects.create(
        customer=CustomerFactory(project=project),
        project=project,
        consultant=consultant,
        kind="first",
        visited_at=TODAY - datetime.timedelta(days=7),
        invited_to_club=False,
        invitation_outcome="",
    )
    url = "/api/v1/reports/weekly-summary/"

    leader = api_client(staff[Role.TEAM_LEADER]).get(url).json()
    manager = api_client(staff[Role.SALES_MANAGER]).get(url, {"week": "2026-11-17"})
    excel = xlsx_rows(api_client(staff[Role.SALES_MANAGER]).get(url, {"format": "xlsx"}))

    [summary] = leader["projects"]
    assert [(row["consultant"], row["grades"]["B"], row["invitation_rate"]) for row in summary["rows"]] == [
        (str(consultant), 1, 0)
    ]  # the leader's team only; no invitation made on the first visit
    assert len(manager.json()["projects"][0]["rows"]) == 2
    assert len(excel) == 3
    assert api_client(staff[Role.CONSULTANT]).get(url).status_code == 403
    assert api_client(staff[Role.SALES_MANAGER]).get(url, {"week": "soon"}).status_code == 400


@pytest.mark.rule("J5")
def test_registering_a_visit_on_the_dashboard(project, staff, browser):
    response = browser(staff[Role.CONSULTANT]).post(
        "/members/visits/new/",
        {
            "project": project.pk,
            "mobile": "13700000001",
            "name": "来访客户",
            "channel": "walk_in",
            "invited_to_club": "on",
            "invitation_outcome": "declined",
        },
    )

    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.customer.name == "来访客户" and visit.invitation_outcome == "declined"
    listing = browser(staff[Role.CONSULTANT]).get("/members/visits/")
    assert "来访客户" in listing.text and listing.context["rates"][0]["rate"] == 100


@pytest.mark.rule("J23", "J4", "R2")
def test_the_purchase_page_moves_the_milestones_and_refuses_a_late_cancellation(project, staff, browser):
    unit = UnitFactory(building=BuildingFactory(project=project), status="subscribed")
    purchase = PurchaseFactory(
        customer=CustomerFactory(project=project),
        unit=unit,
        consultant=staff[Role.CONSULTANT],
        subscribed_on=datetime.date(2026, 11, 10),
    )
    client = browser(staff[Role.CONSULTANT])

    page = client.get(f"/members/purchases/{purchase.pk}/")
    assert "2026-11-13" in page.text  # the window ended: the page says why no cancellation
    client.post(f"/members/purchases/{purchase.pk}/cancel/", {})
    purchase.refresh_from_db()
    assert purchase.status == "subscribed"

    client.post(f"/members/purchases/{purchase.pk}/sign/", {"on": "2026-11-20"})
    purchase.refresh_from_db()
    unit.refresh_from_db()
    assert purchase.status == "signed" and purchase.signed_on == datetime.date(2026, 11, 20) and unit.status == "signed"
    history = client.get(f"/members/purchases/{purchase.pk}/").context["history"]
    assert len(history) == 2 and history[0]["who"] == staff[Role.CONSULTANT]
    assert {
        "field": str(Purchase._meta.get_field("status").verbose_name),
        "old": PurchaseStatus.SUBSCRIBED.label,
        "new": PurchaseStatus.SIGNED.label,
    } in history[0]["changes"]


def test_the_customer_page_shows_sales_events_on_the_timeline(project, staff, browser):
    consultant = staff[Role.CONSULTANT]
    visit = services.register_visit(project=project, mobile="+8613700000002", name="时间线", actor=consultant)
    lead = services.open_lead(
        customer=visit.customer, project=project, grade="C", criteria=CRITERIA["C"], actor=consultant
    )
    services.record_follow_up(lead=lead, method="call", content="第一次回访", actor=consultant)
    PurchaseFactory(customer=visit.customer, consultant=consultant, subscribed_on=datetime.date(2026, 11, 20))

    page = browser(consultant).get(f"/members/customers/{visit.customer.pk}/")

    kinds = {event.kind for event in page.context["timeline"]}
    assert {"visit", "grade", "follow_up", "purchase"} <= kinds and "第一次回访" in page.text
    assert f"/members/leads/{lead.pk}/" in page.text


@pytest.mark.rule("J5", "L1", "L6", "L7", "J23")
def test_a_consultant_takes_a_visitor_from_the_door_to_move_in_on_the_dashboard(project, staff, client):
    consultant, supervisor, manager = (staff[Role.CONSULTANT], staff[Role.SALES_SUPERVISOR], staff[Role.SALES_MANAGER])
    colleague = make_staff(Role.CONSULTANT, projects=[project], reports_to=supervisor)
    unit = UnitFactory(building=BuildingFactory(project=project))
    client.force_login(consultant)

    # Given a visitor at the door, when the consultant registers the visit and grades the customer …
    client.post(
        "/members/visits/new/",
        {
            "project": project.pk,
            "mobile": "13600000001",
            "name": "全流程",
            "channel": "walk_in",
            "invited_to_club": "on",
            "invitation_outcome": "joined",
        },
    )
    customer = Visit.objects.get().customer
    assert client.get(f"/members/customers/{customer.pk}/").context["membership"] is not None
    graded = client.post(
        f"/members/customers/{customer.pk}/open-lead/",
        {"project": project.pk, "grade": "C", "criteria_C": CRITERIA["C"], "reason": "首次到访"},
    )
    lead = Lead.objects.get()
    assert graded.url == f"/members/leads/{lead.pk}/"

    # … follows up, and asks to demote to D: the supervisor approves and hands the lead on.
    client.post(
        f"/members/leads/{lead.pk}/follow-up/", {"method": "visit", "reaction": "weakened", "content": "客户预算不足"}
    )
    client.post(
        f"/members/leads/{lead.pk}/regrade/",
        {"grade": "D", "criteria_D": ["no_means"], "reason": "预算不足，暂无能力购买"},
    )
    client.force_login(supervisor)
    approval = LeadApproval.objects.get()
    client.post(f"/members/approvals/{approval.pk}/approve/", {"reassign_to": colleague.pk})
    lead.refresh_from_db()
    assert (lead.grade, lead.consultant) == ("D", colleague)

    # The manager swaps the pooled D lead back for another try.
    client.force_login(manager)
    client.post(f"/members/leads/{lead.pk}/reassign/", {"consultant": consultant.pk, "reason": "再试一次"})
    lead.refresh_from_db()
    assert lead.consultant == consultant

    # The customer comes round: subscription, signing, loan, delivery, move-in.
    client.force_login(consultant)
    subscribed = client.post(
        f"/members/customers/{customer.pk}/subscribe/",
        {"unit": unit.pk, "price": "3200000", "discount_points": "0", "deposit": "50000", "agreement_number": "RG-9"},
    )
    purchase = Purchase.objects.get()
    assert subscribed.url == f"/members/purchases/{purchase.pk}/"
    for step in ("sign", "disburse_loan", "deliver", "move_in"):
        client.post(f"/members/purchases/{purchase.pk}/{step}/", {})
    purchase.refresh_from_db()
    unit.refresh_from_db()
    assert purchase.status == PurchaseStatus.MOVED_IN and unit.status == "delivered"


@pytest.mark.rule("L10")
def test_customer_actions_are_refused_outside_the_users_scope(project, staff, browser):
    theirs = CustomerFactory(project=project, consultant=make_staff(Role.CONSULTANT, projects=[project]))
    mine = CustomerFactory(project=project, consultant=staff[Role.CONSULTANT])

    assert (
        browser(staff[Role.CONSULTANT])
        .post(f"/members/customers/{theirs.pk}/open-lead/", {"project": project.pk, "grade": "C"})
        .status_code
        == 404
    )
    assert (
        browser(staff[Role.CUSTOMER_SERVICE])
        .post(
            f"/members/customers/{mine.pk}/subscribe/",
            {"unit": UnitFactory(building=BuildingFactory(project=project)).pk, "price": "1"},
        )
        .status_code
        == 403
    )
    assert not Lead.objects.exists() and not Purchase.objects.exists()


@pytest.mark.parametrize("url", ["/members/my-day/", "/members/purchases/", "/members/visits/", "/members/approvals/"])
def test_sales_pages_keep_a_constant_number_of_queries(project, staff, browser, url):
    consultant = staff[Role.CONSULTANT]
    client = browser(staff[Role.SALES_MANAGER])

    def add():
        lead = LeadFactory(customer__project=project, consultant=consultant, next_follow_up_on=TODAY.date())
        PurchaseFactory(customer=lead.customer, consultant=consultant)
        Visit.objects.create(
            customer=lead.customer, project=project, consultant=consultant, kind="first", visited_at=TODAY
        )
        LeadApproval.objects.create(lead=lead, kind="stop_tracking", reason="x", requested_by=consultant)

    add()
    few = count_queries(lambda: client.get(url))
    for _ in range(5):
        add()
    assert count_queries(lambda: client.get(url)) == few


@pytest.mark.rule("L1")
def test_grading_a_customer_on_the_dashboard_keeps_what_was_entered_when_refused(project, staff, browser):
    consultant = staff[Role.CONSULTANT]
    customer = CustomerFactory(project=project, consultant=consultant)

    page = browser(consultant).post(
        f"/members/customers/{customer.pk}/open-lead/",
        {"project": project.pk, "grade": "C2", "criteria_C2": ["has_need"], "reason": "等二期开盘"},
    )

    assert page.status_code == 400 and not Lead.objects.exists()
    form = page.context["lead_form"]
    assert form["reason"].value() == "等二期开盘" and form["criteria_C2"].value() == ["has_need"]
    assert form.errors["criteria_C2"] and "field-error" in page.text


@pytest.mark.rule("L1")
def test_the_dashboard_draws_one_group_of_checkboxes_per_grade(project, staff, browser):
    lead = LeadFactory(customer__project=project, consultant=staff[Role.CONSULTANT], grade="C1")

    form = browser(staff[Role.CONSULTANT]).get(f"/members/leads/{lead.pk}/").context["regrade_form"]

    assert [name for name in form.fields if name.startswith("criteria_")] == [
        f"criteria_{grade}" for grade in ("A", "B", "C", "C1", "C2", "D", "invalid")
    ]
    assert [value for value, _label in form.fields["criteria_D"].choices] == [
        "no_fit",
        "no_means",
        "no_intention_confirmed",
    ]
    assert sorted(form["criteria_C1"].value()) == sorted(CRITERIA["C1"])
