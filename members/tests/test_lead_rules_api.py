"""The lead rules through the API, as RULES.md words them: each grade's criteria (L1), invalid leads (L1, L8),
the grade history (L9), one meaning of "overdue" (L3, L5), the three-day cancellation judged on the day of the
request (J4), the actor kept outside a request (R2) and empty relations rendered empty."""

import datetime

import pytest
import time_machine

from core.roles import Role
from core.testing import api_client, count_queries, make_staff
from estates.tests.factories import BuildingFactory, UnitFactory
from members import services
from members.choices import ApprovalKind, ApprovalStatus, LeadStatus, ReportKind
from members.models import Lead, LeadApproval, Purchase, SalesReport

from .factories import CRITERIA, CustomerFactory, FollowUpFactory, LeadFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)  # a Tuesday morning
TODAY = NOW.date()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def consultant(staff):
    return staff[Role.CONSULTANT]


def new_lead(project, consultant, **data):
    customer = CustomerFactory(project=project, consultant=consultant)
    return api_client(consultant).post(
        "/api/v1/leads/", {"customer": customer.pk, "project": project.pk, "reason": "首次到访", **data}, format="json"
    )


# --- L1: each grade's own criteria ------------------------------------------------------------------


@pytest.mark.rule("L1")
@pytest.mark.parametrize(
    ("grade", "criteria", "missing"),
    [
        ("C", ["has_need", "can_afford"], ["can_be_guided"]),  # not yet shown it can be guided
        ("C1", CRITERIA["C"], ["price_resistance"]),  # C without the price resistance
        ("C2", ["has_need", "can_afford"], ["later_phase_fits"]),  # no later phase named
        ("D", [], ["no_fit"]),  # neither no fit, no means nor …
    ],
)
def test_a_grade_without_its_own_criteria_is_400_naming_the_missing_ones(project, consultant, grade, criteria, missing):
    response = new_lead(project, consultant, grade=grade, criteria=criteria)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "criteria_missing" and body["missing"] == missing
    assert body["criteria"] and not Lead.objects.exists()


@pytest.mark.rule("L1")
@pytest.mark.parametrize(
    ("grade", "criteria"),
    [
        ("C1", ["unit_chosen", "money_paid", "funds_ready"]),  # an A checklist does not make a C1
        ("C2", [*CRITERIA["C2"], "price_resistance"]),  # a C1 resistance does not describe C2
        ("D", ["has_need", "no_fit"]),
    ],
)
def test_criteria_of_another_grade_do_not_fit(project, consultant, grade, criteria):
    response = new_lead(project, consultant, grade=grade, criteria=criteria)

    assert response.status_code == 400 and response.json()["code"] == "criteria_not_of_grade"
    assert not Lead.objects.exists()


@pytest.mark.rule("L1")
@pytest.mark.parametrize("grade", ["A", "B", "C", "C1", "C2", "D"])
def test_each_grade_with_its_checklist_is_accepted(project, consultant, grade):
    response = new_lead(project, consultant, grade=grade, criteria=CRITERIA[grade])

    assert response.status_code == 201, response.json()
    assert response.json()["grade"] == grade and response.json()["criteria"] == sorted(CRITERIA[grade])


@pytest.mark.rule("L1")
def test_regrading_needs_the_new_grades_criteria(project, consultant):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="C")
    client = api_client(consultant)
    url = f"/api/v1/leads/{lead.pk}/regrade/"

    refused = client.post(url, {"grade": "C2", "reason": "要等二期"}, format="json")
    assert refused.status_code == 400 and refused.json()["missing"] == ["later_phase_fits"]
    done = client.post(url, {"grade": "C2", "criteria": CRITERIA["C2"], "reason": "要等二期"}, format="json")
    assert done.status_code == 200 and done.json()["grade"] == "C2"


@pytest.mark.rule("L1")
def test_d_by_return_visits_needs_the_visits_and_the_sales_manager(project, consultant, staff):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="C")
    FollowUpFactory.create_batch(2, lead=lead)
    client = api_client(consultant)
    body = {"grade": "D", "criteria": ["no_intention_confirmed"], "reason": "三次回访确认无意向"}

    too_few = client.post(f"/api/v1/leads/{lead.pk}/regrade/", body, format="json")
    assert too_few.status_code == 400 and too_few.json()["code"] == "return_visits_required"

    FollowUpFactory(lead=lead)
    asked = client.post(f"/api/v1/leads/{lead.pk}/regrade/", body, format="json")
    assert asked.status_code == 202
    approval = asked.json()["id"]
    assert (
        api_client(staff[Role.SALES_SUPERVISOR]).post(f"/api/v1/lead-approvals/{approval}/approve/").status_code == 403
    )
    assert api_client(staff[Role.SALES_MANAGER]).post(f"/api/v1/lead-approvals/{approval}/approve/").status_code == 200
    lead.refresh_from_db()
    assert lead.grade == "D" and lead.criteria == ["no_intention_confirmed"]


def test_the_schema_documents_each_grades_criteria(staff):
    schema = api_client(staff[Role.SALES_MANAGER]).get("/api/schema/", {"format": "json"}).json()

    criteria = schema["components"]["schemas"]["Lead"]["properties"]["criteria"]
    assert "price_resistance" in schema["components"]["schemas"]["LeadCriterionEnum"]["enum"]
    assert "C1: has_need + can_afford + can_be_guided + price_resistance" in criteria["description"]
    assert "D: no_fit | no_means | no_intention_confirmed" in criteria["description"]
    assert "/api/v1/leads/{lead_pk}/grade-changes/" in schema["paths"]


# --- L1, L8: invalid leads ----------------------------------------------------------------------------


@pytest.mark.rule("L1", "L8")
def test_an_invalid_lead_needs_a_reason(project, staff):
    response = new_lead(project, staff[Role.SALES_MANAGER], grade="invalid", criteria=["invalid_visit"], reason="")

    assert response.status_code == 400 and response.json()["code"] == "reason_required" and response.json()["reason"]
    assert not Lead.objects.exists()


@pytest.mark.rule("L1", "L8")
def test_a_new_lead_is_invalid_only_on_the_sales_managers_confirmation(project, consultant, staff):
    refused = new_lead(project, consultant, grade="invalid", criteria=["invalid_visit"], reason="中介踩盘")
    assert refused.status_code == 403 and refused.json()["code"] == "manager_confirms_invalid"
    assert not Lead.objects.exists()

    confirmed = new_lead(
        project, staff[Role.SALES_MANAGER], grade="invalid", criteria=["invalid_visit"], reason="中介踩盘"
    )
    assert confirmed.status_code == 201 and confirmed.json()["status"] == LeadStatus.ARCHIVED


@pytest.mark.rule("L1", "L8")
def test_one_consultant_alone_asks_the_manager_who_confirms_or_refuses_from_the_inbox(project, consultant, staff):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="C")
    FollowUpFactory(lead=lead, consultant=consultant)
    client = api_client(consultant)
    body = {"grade": "invalid", "criteria": ["no_deal_after_consultants"], "reason": "跟进后无成交可能"}

    asked = client.post(f"/api/v1/leads/{lead.pk}/regrade/", body, format="json")

    assert asked.status_code == 202 and asked.json()["kind"] == ApprovalKind.MARK_INVALID
    lead.refresh_from_db()
    assert lead.grade == "C" and lead.status == LeadStatus.ACTIVE
    manager = api_client(staff[Role.SALES_MANAGER])
    pending = manager.get("/api/v1/lead-approvals/", {"status": "pending"}).json()["results"]
    assert [row["id"] for row in pending] == [asked.json()["id"]]
    assert asked.json()["id"] in [a.pk for a in browse_inbox(staff[Role.SALES_MANAGER])]
    assert asked.json()["id"] not in [a.pk for a in browse_inbox(staff[Role.SALES_SUPERVISOR])]

    refused = manager.post(f"/api/v1/lead-approvals/{asked.json()['id']}/reject/", {"note": "再跟一次"})
    assert refused.status_code == 200
    lead.refresh_from_db()
    assert lead.grade == "C" and lead.status == LeadStatus.ACTIVE

    again = client.post(f"/api/v1/leads/{lead.pk}/regrade/", body, format="json")
    confirmed = manager.post(f"/api/v1/lead-approvals/{again.json()['id']}/approve/")
    assert confirmed.status_code == 200
    lead.refresh_from_db()
    assert lead.grade == "invalid" and lead.status == LeadStatus.ARCHIVED
    change = lead.grade_changes.get(to_grade="invalid")
    assert change.approval_id == again.json()["id"] and change.actor == staff[Role.SALES_MANAGER]


def browse_inbox(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get("/members/approvals/").context["to_decide"]


@pytest.mark.rule("L1", "L8")
def test_two_consultants_without_a_chance_of_a_deal_make_the_lead_invalid_at_once(project, consultant, staff):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="C")
    FollowUpFactory(lead=lead, consultant=make_staff(Role.CONSULTANT, projects=[project]))
    FollowUpFactory(lead=lead, consultant=consultant)

    response = api_client(consultant).post(
        f"/api/v1/leads/{lead.pk}/regrade/",
        {"grade": "invalid", "criteria": ["no_deal_after_consultants"], "reason": "两位顾问跟进均无成交可能"},
        format="json",
    )

    assert response.status_code == 200 and response.json()["status"] == LeadStatus.ARCHIVED
    assert not LeadApproval.objects.exists()


@pytest.mark.rule("L8")
def test_an_invalid_regrade_without_a_reason_is_400(project, consultant):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="C")

    response = api_client(consultant).post(
        f"/api/v1/leads/{lead.pk}/regrade/",
        {"grade": "invalid", "criteria": ["invalid_visit"], "reason": " "},
        format="json",
    )

    assert response.status_code == 400 and response.json()["reason"]
    assert not LeadApproval.objects.exists()


# --- L9: the grade history as a resource ---------------------------------------------------------------


@pytest.mark.rule("L9")
def test_the_grade_history_says_from_to_who_when_why_and_the_approval_oldest_first(project, consultant, staff):
    opened = new_lead(project, consultant, grade="C", criteria=CRITERIA["C"], reason="首次到访").json()
    lead = Lead.objects.get(pk=opened["id"])
    FollowUpFactory(lead=lead)
    client = api_client(consultant)
    client.post(
        f"/api/v1/leads/{lead.pk}/regrade/",
        {"grade": "C1", "criteria": CRITERIA["C1"], "reason": "价格抗性"},
        format="json",
    )
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        asked = client.post(
            f"/api/v1/leads/{lead.pk}/regrade/",
            {"grade": "D", "criteria": ["no_means"], "reason": "预算不足"},
            format="json",
        ).json()
        api_client(staff[Role.SALES_SUPERVISOR]).post(f"/api/v1/lead-approvals/{asked['id']}/approve/")

    rows = client.get(f"/api/v1/leads/{lead.pk}/grade-changes/").json()["results"]

    assert [(row["from_grade"], row["to_grade"], row["reason"]) for row in rows] == [
        ("", "C", "首次到访"),
        ("C", "C1", "价格抗性"),
        ("C1", "D", "预算不足"),
    ]
    assert [row["actor_name"] for row in rows] == ["consultant", "consultant", "supervisor"]
    assert rows[0]["at"].startswith("2026-11-24T10:00") and rows[2]["at"].startswith("2026-11-24T12:00")
    assert rows[0]["approval"] is None
    assert rows[2]["approval"]["id"] == asked["id"] and rows[2]["approval"]["requested_by_name"] == "consultant"
    assert rows[2]["approval"]["decided_by_name"] == "supervisor" and rows[2]["approval"]["status"] == "approved"


@pytest.mark.rule("L9", "L10")
def test_the_grade_history_is_scoped_like_the_lead(project, consultant, staff):
    theirs = LeadFactory(customer__project=project, consultant=make_staff(Role.CONSULTANT, projects=[project]))
    services.regrade_lead(
        lead=theirs, grade="C2", criteria=CRITERIA["C2"], reason="等二期", actor=staff[Role.SALES_MANAGER]
    )

    assert api_client(consultant).get(f"/api/v1/leads/{theirs.pk}/grade-changes/").status_code == 404
    assert api_client(staff[Role.CUSTOMER_SERVICE]).get(f"/api/v1/leads/{theirs.pk}/grade-changes/").status_code == 403
    seen = api_client(staff[Role.SALES_MANAGER]).get(f"/api/v1/leads/{theirs.pk}/grade-changes/")
    assert [row["to_grade"] for row in seen.json()["results"]] == ["C2"]


@pytest.mark.rule("L9")
def test_the_grade_history_keeps_a_constant_number_of_queries(project, consultant, staff):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="C")
    client = api_client(consultant)
    url = f"/api/v1/leads/{lead.pk}/grade-changes/"
    services.regrade_lead(lead=lead, grade="C1", criteria=CRITERIA["C1"], reason="价格", actor=consultant)
    few = count_queries(lambda: client.get(url))
    for grade in ("C2", "C", "C1", "C2"):
        services.regrade_lead(lead=lead, grade=grade, criteria=CRITERIA[grade], reason="变化", actor=consultant)
    FollowUpFactory(lead=lead)
    approval = services.regrade_lead(
        lead=lead, grade="D", criteria=["no_fit"], reason="无合适产品", actor=consultant
    ).approval
    services.decide_approval(approval=approval, approve=True, actor=staff[Role.SALES_SUPERVISOR])

    assert count_queries(lambda: client.get(url)) == few
    assert len(client.get(url).json()["results"]) == 6


def test_the_lead_page_shows_the_grade_history_with_its_approval(project, consultant, staff, browser):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="C")
    FollowUpFactory(lead=lead)
    approval = services.regrade_lead(
        lead=lead, grade="D", criteria=["no_means"], reason="预算不足", actor=consultant
    ).approval
    services.decide_approval(approval=approval, approve=True, actor=staff[Role.SALES_SUPERVISOR])

    page = browser(consultant).get(f"/members/leads/{lead.pk}/")

    assert [change.to_grade for change in page.context["grade_history"]] == ["D"]
    assert "预算不足" in page.text and "supervisor" in page.text


# --- L3, L5: one meaning of overdue ----------------------------------------------------------------------


@pytest.mark.rule("L3", "L4", "L5")
def test_a_lead_due_later_today_is_overdue_nowhere_and_one_due_yesterday_everywhere(
    project, consultant, staff, browser
):
    today = LeadFactory(customer__project=project, consultant=consultant, grade="A", next_follow_up_on=TODAY)
    late = LeadFactory(customer__project=project, consultant=consultant, grade="B", next_follow_up_on=YESTERDAY)
    client = api_client(consultant)

    # The lead itself and the list filter.
    assert client.get(f"/api/v1/leads/{today.pk}/").json()["overdue"] is False
    assert client.get(f"/api/v1/leads/{late.pk}/").json()["overdue"] is True
    assert [row["id"] for row in client.get("/api/v1/leads/", {"overdue": "true"}).json()["results"]] == [late.pk]
    # My day.
    day = browser(consultant).get("/members/my-day/").context["day"]
    assert day["overdue_count"] == 1 and day["due_count"] == 1
    assert [lead.pk for group in day["groups"] for lead in group["overdue"]] == [late.pk]
    # The supervisor's digest and the flags.
    services.send_daily_ab_digests()
    digest = SalesReport.objects.get(kind=ReportKind.DAILY_AB, recipient=staff[Role.SALES_SUPERVISOR])
    assert digest.payload["overdue_ab"] == 1
    services.flag_overdue_follow_ups()
    assert set(late.overdue_flags.values_list("recipient__username", flat=True)) == {"consultant", "supervisor"}
    assert not today.overdue_flags.exists()
    # The dashboard's lead list and the team panel of the home page.
    listed = browser(consultant).get("/members/leads/").context["object_list"]
    assert {lead.pk: lead.is_overdue for lead in listed} == {today.pk: False, late.pk: True}
    team = browser(staff[Role.SALES_SUPERVISOR]).get("/").context["team"]
    assert [(row["consultant"], row["overdue"]) for row in team["rows"]] == [("consultant", 1)]
    # The weekly summary of this week.
    summary = api_client(staff[Role.SALES_MANAGER]).get("/api/v1/reports/weekly-summary/", {"week": TODAY}).json()
    rows = summary["projects"][0]["rows"]
    assert [(row["consultant"], row["overdue"]) for row in rows] == [("consultant", 1)]


# --- J4: the cancellation is judged on the day of the request -------------------------------------------


def subscription(project, consultant, *, days_ago):
    unit = UnitFactory(building=BuildingFactory(project=project), status="subscribed")
    return Purchase.objects.create(
        customer=CustomerFactory(project=project, consultant=consultant),
        unit=unit,
        consultant=consultant,
        price=3_000_000,
        subscribed_on=TODAY - datetime.timedelta(days=days_ago),
    )


@pytest.mark.rule("J4")
def test_a_ten_day_old_subscription_cannot_be_cancelled_without_reason_by_back_dating(project, consultant):
    purchase = subscription(project, consultant, days_ago=10)
    client = api_client(consultant)

    back_dated = client.post(
        f"/api/v1/purchases/{purchase.pk}/cancel/", {"on": TODAY - datetime.timedelta(days=9)}, format="json"
    )
    today = client.post(f"/api/v1/purchases/{purchase.pk}/cancel/", {}, format="json")

    assert back_dated.status_code == 403 and back_dated.json()["code"] == "late_cancellation_needs_manager"
    assert today.status_code == 409 and today.json()["code"] == "cancellation_refused"
    purchase.refresh_from_db()
    assert purchase.status == "subscribed" and purchase.unit.status == "subscribed"


@pytest.mark.rule("J4")
def test_within_three_days_the_consultant_cancels_today(project, consultant):
    purchase = subscription(project, consultant, days_ago=3)

    response = api_client(consultant).post(f"/api/v1/purchases/{purchase.pk}/cancel/", {}, format="json")

    assert response.status_code == 200 and response.json()["cancelled_on"] == TODAY.isoformat()


@pytest.mark.rule("J4", "R2")
def test_the_manager_records_a_cancellation_made_in_time_late_and_the_history_says_so(project, consultant, staff):
    purchase = subscription(project, consultant, days_ago=10)
    in_time = TODAY - datetime.timedelta(days=8)

    response = api_client(staff[Role.SALES_MANAGER]).post(
        f"/api/v1/purchases/{purchase.pk}/cancel/", {"on": in_time}, format="json"
    )

    assert response.status_code == 200 and response.json()["cancelled_on"] == in_time.isoformat()
    record = purchase.history.order_by("history_id").last()
    assert record.status == "cancelled" and record.history_user == staff[Role.SALES_MANAGER]
    assert in_time.isoformat() in record.history_change_reason and TODAY.isoformat() in record.history_change_reason


# --- R2: the record says who did it, also from Celery or the shell ----------------------------------------


@pytest.mark.rule("R2")
def test_changes_made_outside_a_request_keep_their_actor(project, consultant, staff):
    """As a Celery task or the shell calls the services: no request, the actor passed in is recorded."""
    manager = staff[Role.SALES_MANAGER]
    customer = CustomerFactory(project=project, consultant=consultant, consents_to_messages=True)
    lead = LeadFactory(customer=customer, consultant=consultant, grade="C")
    purchase = subscription(project, consultant, days_ago=1)

    services.set_message_consent(customer=customer, consents=False, actor=staff[Role.CUSTOMER_SERVICE])
    services.regrade_lead(lead=lead, grade="C2", criteria=CRITERIA["C2"], reason="等二期", actor=manager)
    services.advance_purchase(purchase=purchase, step="sign", actor=consultant)

    assert customer.history.order_by("history_id").last().history_user == staff[Role.CUSTOMER_SERVICE]
    assert lead.history.order_by("history_id").last().history_user == manager
    assert purchase.history.order_by("history_id").last().history_user == consultant
    rows = api_client(manager).get(f"/api/v1/leads/{lead.pk}/grade-changes/").json()["results"]
    assert rows[-1]["actor_name"] == "manager"
    with pytest.raises(TypeError):
        services.set_message_consent(customer=customer, consents=True)


# --- Empty relations read as empty ------------------------------------------------------------------------


def test_a_customer_without_a_consultant_reads_an_empty_consultant_name(project, staff):
    customer = CustomerFactory(project=project, consultant=None)
    lead = LeadFactory(customer=customer, consultant=None)
    client = api_client(staff[Role.SALES_MANAGER])

    assert client.get(f"/api/v1/customers/{customer.pk}/").json()["consultant_name"] == ""
    assert client.get(f"/api/v1/leads/{lead.pk}/").json()["consultant_name"] == ""


def test_the_approval_list_reads_empty_names_for_undecided_requests(project, consultant, staff):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="D")
    LeadApproval.objects.create(
        lead=lead, kind=ApprovalKind.STOP_TRACKING, reason="x", requested_by=consultant, status=ApprovalStatus.PENDING
    )

    row = api_client(staff[Role.SALES_MANAGER]).get("/api/v1/lead-approvals/").json()["results"][0]

    assert row["decided_by_name"] == "" and row["requested_by_name"] == "consultant"


# --- L3: a next follow-up date later than the cadence is refused, with the latest allowed day ----------


@pytest.mark.rule("L3")
def test_a_next_follow_up_later_than_the_grades_cadence_is_refused_with_the_latest_day(project, consultant):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="B")
    client = api_client(consultant)
    url = f"/api/v1/leads/{lead.pk}/follow-ups/"

    late = client.post(url, {"method": "call", "content": "电话回访", "next_on": "2027-06-01"}, format="json")
    assert late.status_code == 400
    body = late.json()
    assert body["code"] == "next_after_cadence" and body["latest"] == "2026-11-29"  # B: within five days
    assert "2026-11-29" in body["next_on"][0]
    assert not lead.follow_ups.exists()

    on_time = client.post(url, {"method": "call", "content": "电话回访", "next_on": "2026-11-29"}, format="json")
    assert on_time.status_code == 201 and on_time.json()["next_on"] == "2026-11-29"
    sooner = client.post(url, {"method": "call", "content": "再次回访", "next_on": "2026-11-26"}, format="json")
    assert sooner.status_code == 201
    lead.refresh_from_db()
    assert lead.next_follow_up_on == datetime.date(2026, 11, 26)


@pytest.mark.rule("L3")
def test_the_lead_page_refuses_a_late_next_date_and_keeps_what_was_typed(project, consultant, browser):
    lead = LeadFactory(customer__project=project, consultant=consultant, grade="B")
    page = browser(consultant).post(
        f"/members/leads/{lead.pk}/follow-up/",
        {"method": "wechat", "reaction": "unchanged", "content": "客户出差，下月再联系", "next_on": "2027-06-01"},
    )

    assert page.status_code == 400
    text = page.content.decode()
    assert "2026-11-29" in text and "客户出差，下月再联系" in text and 'value="2027-06-01"' in text
    assert not lead.follow_ups.exists()


@pytest.mark.rule("L5")
def test_a_weeks_follow_ups_are_counted_under_each_leads_project_for_a_consultant_of_two_projects(
    project, other_project, consultant, staff
):
    other_project.staff.add(consultant, staff[Role.SALES_MANAGER])
    here = LeadFactory(customer__project=project, consultant=consultant, grade="B")
    there = LeadFactory(customer__project=other_project, consultant=consultant, grade="C")
    tablet = api_client(consultant)
    with time_machine.travel(NOW, tick=False):
        for lead in (here, there, there):
            posted = tablet.post(
                f"/api/v1/leads/{lead.pk}/follow-ups/", {"method": "call", "content": "电话回访"}, format="json"
            )
            assert posted.status_code == 201, posted.content

    summary = api_client(staff[Role.SALES_MANAGER]).get("/api/v1/reports/weekly-summary/", {"week": TODAY}).json()

    counted = {
        part["project"]: [(row["consultant"], row["follow_ups"]) for row in part["rows"]]
        for part in summary["projects"]
    }
    assert counted == {project.pk: [("consultant", 1)], other_project.pk: [("consultant", 2)]}
