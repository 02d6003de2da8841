"""The tablet API of the sales office: contracts, workflow actions, refusals, L10 both ways."""

import datetime

import pytest
import time_machine

from core.roles import Role
from core.testing import ResourceContract, api_client, count_queries, make_staff
from estates.tests.factories import BuildingFactory, UnitFactory
from members.choices import LeadStatus
from members.models import FollowUp, Lead, LeadApproval, Membership, Purchase, Visit

from .factories import B_CRITERIA, CRITERIA, CustomerFactory, FollowUpFactory, LeadFactory, PurchaseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)


def _consultant(staff):
    return staff[Role.CONSULTANT]


class TestVisits(ResourceContract):
    url = "/api/v1/visits/"
    reader, writer, refused = Role.AREA_MANAGER, Role.CONSULTANT, Role.ENGINEERING

    def make(self, project):
        return Visit.objects.create(
            customer=CustomerFactory(project=project), project=project, kind="first", visited_at=TODAY
        )

    def create_data(self, project):
        return {
            "project": project.pk,
            "mobile": "13900000001",
            "name": "王女士",
            "invited_to_club": True,
            "invitation_outcome": "considering",
        }


class TestLeads(ResourceContract):
    url = "/api/v1/leads/"
    reader, writer, refused = Role.AREA_MANAGER, Role.CONSULTANT, Role.CUSTOMER_SERVICE

    def make(self, project):
        return LeadFactory(customer__project=project)

    def create_data(self, project):
        consultant = (
            project.staff.get(username="consultant") if project.staff.filter(username="consultant").exists() else None
        )
        customer = CustomerFactory(project=project, consultant=consultant)
        return {
            "customer": customer.pk,
            "project": project.pk,
            "grade": "B",
            "criteria": B_CRITERIA,
            "reason": "首次到访",
        }


class TestMemberships(ResourceContract):
    url = "/api/v1/memberships/"
    reader, writer, refused = Role.AREA_MANAGER, Role.CONSULTANT, Role.ENGINEERING

    def make(self, project):
        customer = CustomerFactory(project=project)
        return Membership.objects.create(
            customer=customer, source_project=project, joined_on=TODAY.date(), member_number=f"T{customer.pk}"
        )

    def create_data(self, project):
        consultant = project.staff.filter(username="consultant").first()
        return {
            "customer": CustomerFactory(project=project, consultant=consultant).pk,
            "source_project": project.pk,
            "level": "regular",
            "consents_to_messages": True,
        }


class TestPurchases(ResourceContract):
    url = "/api/v1/purchases/"
    reader, writer, refused = Role.CUSTOMER_SERVICE, Role.CONSULTANT, Role.PROPERTY

    def make(self, project):
        return PurchaseFactory(customer=CustomerFactory(project=project))

    def create_data(self, project):
        consultant = project.staff.filter(username="consultant").first()
        return {
            "customer": CustomerFactory(project=project, consultant=consultant).pk,
            "unit": UnitFactory(building=BuildingFactory(project=project)).pk,
            "price": "3500000.00",
            "deposit": "50000.00",
            "agreement_number": "RG-1",
        }


@pytest.mark.rule("J5")
def test_a_visit_through_the_api_refuses_an_invitation_without_outcome(project, staff):
    response = api_client(_consultant(staff)).post(
        "/api/v1/visits/",
        {"project": project.pk, "mobile": "13900000001", "name": "王女士", "invited_to_club": True},
        format="json",
    )

    assert response.status_code == 400 and response.json()["invitation_outcome"]
    assert not Visit.objects.exists()


def test_a_repeated_idempotency_key_registers_one_visit(project, staff):
    client = api_client(_consultant(staff))
    body = TestVisits().create_data(project)

    first = client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="tablet-1-42")
    again = client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="tablet-1-42")

    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Visit.objects.count() == 1


@pytest.mark.rule("L1")
def test_grading_b_without_its_criteria_answers_400_naming_what_is_missing(project, staff):
    customer = CustomerFactory(project=project, consultant=_consultant(staff))

    response = api_client(_consultant(staff)).post(
        "/api/v1/leads/",
        {"customer": customer.pk, "project": project.pk, "grade": "B", "criteria": ["clear_intention"]},
        format="json",
    )

    assert response.status_code == 400
    assert "Accepts the price" in response.json()["criteria"][0] or "价格" in response.json()["criteria"][0]
    assert not Lead.objects.exists()


@pytest.mark.rule("L6", "L9")
def test_regrade_to_d_is_a_request_that_the_supervisor_approves(project, staff):
    lead = LeadFactory(customer__project=project, consultant=_consultant(staff), grade="C")
    FollowUpFactory(lead=lead)

    asked = api_client(_consultant(staff)).post(
        f"/api/v1/leads/{lead.pk}/regrade/",
        {"grade": "D", "criteria": ["no_fit"], "reason": "多次回访无意向"},
        format="json",
    )
    assert asked.status_code == 202
    approval = asked.json()["id"]
    assert api_client(staff[Role.TEAM_LEADER]).post(f"/api/v1/lead-approvals/{approval}/approve/").status_code == 403

    approved = api_client(staff[Role.SALES_SUPERVISOR]).post(
        f"/api/v1/lead-approvals/{approval}/approve/", {"note": "同意"}, format="json"
    )

    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    lead.refresh_from_db()
    assert lead.grade == "D" and lead.grade_changes.get().to_grade == "D"
    again = api_client(staff[Role.SALES_SUPERVISOR]).post(f"/api/v1/lead-approvals/{approval}/approve/")
    assert again.status_code == 409


@pytest.mark.rule("L7")
def test_reassign_is_for_the_manager_and_needs_a_consultant_of_the_project(project, other_project, staff):
    lead = LeadFactory(customer__project=project, consultant=_consultant(staff), grade="D")
    elsewhere = make_staff(Role.CONSULTANT, projects=[other_project])
    colleague = make_staff(Role.CONSULTANT, projects=[project])
    url = f"/api/v1/leads/{lead.pk}/reassign/"

    assert api_client(_consultant(staff)).post(url, {"consultant": colleague.pk}).status_code == 403
    refused = api_client(staff[Role.SALES_MANAGER]).post(url, {"consultant": elsewhere.pk})
    assert refused.status_code == 400 and refused.json()["consultant"]
    done = api_client(staff[Role.SALES_MANAGER]).post(url, {"consultant": colleague.pk, "reason": "换人"})
    assert done.status_code == 200 and done.json()["consultant"] == colleague.pk


@pytest.mark.rule("L7")
def test_stop_tracking_before_three_return_visits_is_409(project, staff):
    lead = LeadFactory(customer__project=project, consultant=_consultant(staff), grade="D")

    response = api_client(_consultant(staff)).post(f"/api/v1/leads/{lead.pk}/stop-tracking/", {"reason": "无意向"})

    assert response.status_code == 409 and response.json()["code"] == "return_visits_required"
    assert not LeadApproval.objects.exists()


@pytest.mark.rule("L3")
def test_a_follow_up_through_the_api_sets_the_next_due_date(project, staff):
    lead = LeadFactory(customer__project=project, consultant=_consultant(staff), grade="B")
    client = api_client(_consultant(staff))

    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            f"/api/v1/leads/{lead.pk}/follow-ups/",
            {"method": "call", "content": "电话回访，客户认可价格", "reaction": "stronger"},
            format="json",
        )

    assert response.status_code == 201 and response.json()["next_on"] == "2026-11-29"
    lead.refresh_from_db()
    assert lead.next_follow_up_on == datetime.date(2026, 11, 29)
    assert [row["id"] for row in client.get(f"/api/v1/leads/{lead.pk}/follow-ups/").json()["results"]] == [
        response.json()["id"]
    ]


@pytest.mark.rule("L10")
def test_a_consultant_sees_and_follows_only_their_own_leads(project, staff):
    own = LeadFactory(customer__project=project, consultant=_consultant(staff))
    theirs = LeadFactory(customer__project=project, consultant=make_staff(Role.CONSULTANT, projects=[project]))
    FollowUpFactory(lead=theirs)
    client = api_client(_consultant(staff))

    assert [row["id"] for row in client.get("/api/v1/leads/").json()["results"]] == [own.pk]
    assert client.get(f"/api/v1/leads/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/leads/{theirs.pk}/follow-ups/").status_code == 404
    assert client.post(f"/api/v1/leads/{theirs.pk}/follow-ups/", {"method": "call", "content": "x"}).status_code == 404
    assert client.post(f"/api/v1/leads/{theirs.pk}/regrade/", {"grade": "C1", "reason": "x"}).status_code == 404
    assert (
        client.post(
            f"/api/v1/leads/{own.pk}/regrade/",
            {"grade": "C1", "criteria": CRITERIA["C1"], "reason": "价格抗性"},
            format="json",
        ).status_code
        == 200
    )
    assert FollowUp.objects.filter(lead=theirs).count() == 1


@pytest.mark.rule("L10")
def test_a_supervisor_sees_the_team_and_a_manager_the_project(project, staff):
    in_team = LeadFactory(customer__project=project, consultant=_consultant(staff))
    outside = LeadFactory(customer__project=project, consultant=make_staff(Role.CONSULTANT, projects=[project]))

    def seen(role):
        return {row["id"] for row in api_client(staff[role]).get("/api/v1/leads/").json()["results"]}

    assert seen(Role.TEAM_LEADER) == seen(Role.SALES_SUPERVISOR) == {in_team.pk}
    assert seen(Role.SALES_MANAGER) == {in_team.pk, outside.pk}


@pytest.mark.rule("L10")
def test_purchases_and_visits_are_owner_scoped_too(project, staff):
    colleague = make_staff(Role.CONSULTANT, projects=[project])
    mine = PurchaseFactory(customer=CustomerFactory(project=project), consultant=_consultant(staff))
    theirs = PurchaseFactory(customer=CustomerFactory(project=project), consultant=colleague)
    client = api_client(_consultant(staff))

    assert [row["id"] for row in client.get("/api/v1/purchases/").json()["results"]] == [mine.pk]
    assert client.post(f"/api/v1/purchases/{theirs.pk}/sign/").status_code == 404


def test_leads_filter_by_grade_and_overdue(project, staff):
    with time_machine.travel(TODAY, tick=False):
        late = LeadFactory(customer__project=project, grade="A", next_follow_up_on=datetime.date(2026, 11, 20))
        due = LeadFactory(customer__project=project, grade="C", next_follow_up_on=datetime.date(2026, 11, 24))
        LeadFactory(customer__project=project, grade="C", status=LeadStatus.ARCHIVED, next_follow_up_on=None)
        client = api_client(staff[Role.SALES_MANAGER])

        assert [r["id"] for r in client.get("/api/v1/leads/", {"overdue": "true"}).json()["results"]] == [late.pk]
        on_time = client.get("/api/v1/leads/", {"overdue": "false"}).json()["results"]
        assert [r["id"] for r in on_time] == [due.pk], "followed and not yet overdue; an archived lead is neither"
        assert [r["id"] for r in client.get("/api/v1/leads/", {"grade": "A"}).json()["results"]] == [late.pk]


@pytest.mark.rule("J4")
def test_a_cancellation_outside_the_rule_is_409_with_the_reason_and_changes_nothing(project, staff):
    unit = UnitFactory(building=BuildingFactory(project=project), status="subscribed")
    purchase = PurchaseFactory(
        customer=CustomerFactory(project=project),
        unit=unit,
        consultant=_consultant(staff),
        subscribed_on=datetime.date(2026, 11, 1),
    )

    with time_machine.travel(TODAY, tick=False):
        response = api_client(_consultant(staff)).post(f"/api/v1/purchases/{purchase.pk}/cancel/")

    assert response.status_code == 409 and "2026-11-04" in response.json()["detail"]
    purchase.refresh_from_db()
    unit.refresh_from_db()
    assert purchase.status == "subscribed" and unit.status == "subscribed"


@pytest.mark.rule("J23")
def test_a_purchase_through_the_api_from_subscription_to_move_in(project, staff):
    client = api_client(_consultant(staff))
    created = client.post("/api/v1/purchases/", TestPurchases().create_data(project), format="json").json()
    url = f"/api/v1/purchases/{created['id']}/"

    for step in ("sign", "disburse-loan", "deliver", "move-in"):
        assert client.post(f"{url}{step}/").status_code == 200, step
    assert client.post(f"{url}sign/").status_code == 409
    purchase = Purchase.objects.get()
    assert purchase.status == "moved_in" and purchase.unit.status == "delivered"


@pytest.mark.rule("M3")
def test_opt_out_through_the_api_takes_effect_at_once(project, staff):
    customer = CustomerFactory(project=project, consultant=_consultant(staff), consents_to_messages=True)
    membership = Membership.objects.create(
        customer=customer, source_project=project, joined_on=TODAY.date(), member_number="WK1"
    )

    response = api_client(_consultant(staff)).post(f"/api/v1/memberships/{membership.pk}/opt-out/")

    customer.refresh_from_db()
    assert response.status_code == 200 and response.json()["consents_to_messages"] is False
    assert customer.consents_to_messages is False and customer.consent_changed_at is not None


def test_the_follow_up_list_keeps_a_constant_number_of_queries(project, staff):
    lead = LeadFactory(customer__project=project, consultant=_consultant(staff))
    client = api_client(_consultant(staff))
    FollowUpFactory(lead=lead)
    few = count_queries(lambda: client.get(f"/api/v1/leads/{lead.pk}/follow-ups/"))
    FollowUpFactory.create_batch(5, lead=lead)
    assert count_queries(lambda: client.get(f"/api/v1/leads/{lead.pk}/follow-ups/")) == few


def test_archived_leads_are_listed_with_their_status(project, staff):
    lead = LeadFactory(customer__project=project, status=LeadStatus.ARCHIVED, grade="invalid")
    rows = api_client(staff[Role.SALES_MANAGER]).get("/api/v1/leads/", {"status": "archived"}).json()["results"]
    assert [row["id"] for row in rows] == [lead.pk]


@pytest.mark.rule("L10")
def test_a_consultant_cannot_open_a_lead_on_a_colleagues_customer(project, staff):
    theirs = CustomerFactory(project=project, consultant=make_staff(Role.CONSULTANT, projects=[project]))

    response = api_client(_consultant(staff)).post(
        "/api/v1/leads/", {"customer": theirs.pk, "project": project.pk, "grade": "C"}, format="json"
    )

    assert response.status_code == 400 and response.json()["customer"]
    assert not Lead.objects.exists()


def test_the_approvals_list_keeps_a_constant_number_of_queries(project, staff):
    client = api_client(staff[Role.SALES_MANAGER])

    def ask():
        lead = LeadFactory(customer__project=project, consultant=_consultant(staff), grade="D")
        LeadApproval.objects.create(lead=lead, kind="stop_tracking", reason="x", requested_by=_consultant(staff))

    ask()
    few = count_queries(lambda: client.get("/api/v1/lead-approvals/"))
    for _ in range(5):
        ask()
    assert count_queries(lambda: client.get("/api/v1/lead-approvals/")) == few


@pytest.mark.rule("L8")
def test_a_consultant_asks_to_reclaim_an_archived_lead_and_the_manager_agrees(project, staff):
    lead = LeadFactory(customer__project=project, consultant=_consultant(staff), grade="C")
    client = api_client(_consultant(staff))
    marked = client.post(
        f"/api/v1/leads/{lead.pk}/regrade/",
        {"grade": "invalid", "criteria": ["invalid_visit"], "reason": "无效来访"},
        format="json",
    )
    assert marked.status_code == 202
    api_client(staff[Role.SALES_MANAGER]).post(f"/api/v1/lead-approvals/{marked.json()['id']}/approve/")
    assert client.post(f"/api/v1/leads/{lead.pk}/follow-ups/", {"method": "call", "content": "x"}).status_code == 409

    asked = client.post(f"/api/v1/leads/{lead.pk}/reclaim/", {"reason": "客户主动来电"})
    assert asked.status_code == 202
    assert (
        api_client(staff[Role.SALES_SUPERVISOR])
        .post(f"/api/v1/lead-approvals/{asked.json()['id']}/approve/")
        .status_code
        == 403
    )
    assert (
        api_client(staff[Role.SALES_MANAGER]).post(f"/api/v1/lead-approvals/{asked.json()['id']}/approve/").status_code
        == 200
    )

    lead.refresh_from_db()
    assert lead.status == LeadStatus.ACTIVE
    assert (
        client.post(f"/api/v1/leads/{lead.pk}/follow-ups/", {"method": "call", "content": "再次跟进"}).status_code
        == 201
    )


def test_leads_are_searched_by_their_customers_name_or_mobile_number(project, staff):
    LeadFactory(project=project, customer=CustomerFactory(project=project, name="王芳", mobile="+8613811112222"))
    LeadFactory(project=project, customer=CustomerFactory(project=project, name="芳菲", mobile="+8613833334444"))
    client = api_client(staff[Role.SALES_MANAGER])

    def found(text):
        return sorted(row["customer_name"] for row in client.get("/api/v1/leads/", {"q": text}).json()["results"])

    assert found("王") == ["王芳"] and found("芳") == ["芳菲"]
    assert found("2222") == ["王芳"] and found("13833334444") == ["芳菲"]


def test_a_name_many_customers_share_finds_their_leads_as_a_rare_one_does(project, staff, monkeypatch):
    """Issue 15: a search by name reads the customers it names first only when they are few (FEW_NAMED); a name
    shared by more is searched through the join, and both find the same leads."""
    from members import selectors

    for name in ("王芳", "王芳菲", "王刚"):
        LeadFactory(project=project, customer=CustomerFactory(project=project, name=name))
    client = api_client(staff[Role.SALES_MANAGER])

    def found(text):
        return sorted(row["customer_name"] for row in client.get("/api/v1/leads/", {"q": text}).json()["results"])

    few = found("王芳")
    monkeypatch.setattr(selectors, "FEW_NAMED", 1)
    assert few == found("王芳") == ["王芳", "王芳菲"]
    assert found("王") == ["王刚", "王芳", "王芳菲"]


# Names around 王 (U+738B) in code-point order: 汪 (U+6C6A) before it, 玌 (U+738C) right after every name it starts.
NAMES_AROUND_WANG = ["汪洋", "王", "王五", "王芳", "王芳菲", "玌", "Wang"]


@pytest.mark.parametrize("ordering", ["name", "-name"])
def test_a_surname_search_in_the_order_of_names_finds_exactly_the_names_it_starts(project, staff, ordering):
    """Issue 15: the customers a surname starts, in the order of their names either way, are those and no other
    (on PostgreSQL read as the range of names from the surname on, core.db.starts_with)."""
    for name in NAMES_AROUND_WANG:
        CustomerFactory(project=project, name=name)
    client = api_client(staff[Role.SALES_MANAGER])

    found = client.get("/api/v1/customers/", {"q": "王", "ordering": ordering}).json()["results"]

    names = [row["name"] for row in found]
    expected = ["王", "王五", "王芳", "王芳菲"]
    assert names == (expected if ordering == "name" else expected[::-1])


@pytest.mark.parametrize("few_named", [4_000, 1])
def test_a_leads_search_by_a_surname_finds_the_leads_of_the_names_it_starts(project, staff, few_named, monkeypatch):
    """Issue 15: the leads of the customers a name starts, whether those are few (looked up first) or many."""
    from members import selectors

    monkeypatch.setattr(selectors, "FEW_NAMED", few_named)
    for name in NAMES_AROUND_WANG:
        LeadFactory(project=project, customer=CustomerFactory(project=project, name=name))
    client = api_client(staff[Role.SALES_MANAGER])

    found = client.get("/api/v1/leads/", {"q": "王"}).json()["results"]

    assert sorted(row["customer_name"] for row in found) == ["王", "王五", "王芳", "王芳菲"]


@pytest.mark.parametrize(("ordering", "scan"), [("name", "Index Scan using"), ("-name", "Index Scan Backward using")])
def test_customers_in_the_order_of_names_read_a_searched_start_through_the_names_index(project, ordering, scan):
    """Issue 15: among a million customers, those of a common surname in the order of their names are read from
    where the surname starts, not by walking every name before it (or after it, backwards): 470 ms → 7."""
    from django.db import connection

    from members.models import Customer
    from members.selectors import customers_named

    if connection.vendor != "postgresql" or not connection.orders_text_by_code_point:
        pytest.skip("only PostgreSQL under a code-point collation reads a name's start as a range of the names' index")
    for name in NAMES_AROUND_WANG:
        CustomerFactory(project=project, name=name)
    with connection.cursor() as cursor:  # the table is small here: a plan that can use an index in order must
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")
    ordered = Customer.objects.filter(customers_named("王")).order_by(ordering, ordering.replace("name", "id"))

    plan = ordered[:20].explain()

    assert f"{scan} customer_name_idx" in plan
    assert "Index Cond: (((name)::text >= '王'::text) AND ((name)::text < '玌'::text))" in plan


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("王芳", None),  # the names' own index under a code-point collation, else the pattern index
        ("138 1111 2222", "customer_mobile_prefix_idx"),
        ("13811", "customer_mobile_prefix_idx"),
        ("2222", "customer_mobile_tail_idx"),
    ],
)
def test_each_search_of_a_customer_is_found_through_an_index(project, text, index):
    """Issue 15: among a million customers, a search reads the rows it finds, not every row."""
    from django.db import connection

    from members.models import Customer
    from members.selectors import customers_named

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL tells which index a plan reads")
    CustomerFactory(project=project, name="王芳", mobile="+8613811112222")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the table is small here: a plan that can use an index must

    if index is None:
        index = "customer_name_idx" if connection.orders_text_by_code_point else "customer_name_prefix_idx"
    assert index in Customer.objects.filter(customers_named(text)).explain()


@pytest.mark.parametrize(
    ("model_name", "query", "planned"),
    [
        ("Lead", {"overdue": "false"}, "next_follow_up_on >="),
        ("Purchase", {"consultant": "consultant"}, "purchase_consultant_order_idx"),
        ("Lead", {"status": "archived"}, "lead_status_order_idx"),
        ("Customer", {"gender": "female"}, "customer_gender_order_idx"),
    ],
)
def test_a_filtered_list_reads_its_first_page_through_an_index(project, staff, model_name, query, planned):
    """Issue 15: "not overdue" is a range of the list's order, not everything but the overdue leads (240 ms on the
    million's leads, 9 ms as a range); one consultant's purchases are read in the list's order by their own index
    (80 ms → 10 ms); the archived leads, which have no next follow-up and so sort last, by their status (410 → 9 ms);
    the customers of a rarely recorded gender by it (147 → 6 ms)."""
    from django.db import connection
    from rest_framework.test import APIRequestFactory

    from members import filters, models

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL tells which index a plan reads")
    consultant = staff[Role.CONSULTANT]
    values = {name: consultant.pk if value == "consultant" else value for name, value in query.items()}
    model = getattr(models, model_name)
    filter_set = getattr(filters, f"{model_name}FilterSet")
    request = APIRequestFactory().get("/", values)
    request.user = staff[Role.CR_HEAD]
    rows = filter_set(values, queryset=model.objects.order_by(*model._meta.ordering), request=request).qs[:20]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    plan = rows.explain().splitlines()
    assert any(planned in line for line in plan if "Index Cond" in line or "Index Scan" in line), plan


@pytest.mark.parametrize(
    ("model_name", "term", "planned"),
    [
        ("Lead", "-created_at", "lead_project_created_idx"),
        ("Lead", "-next_follow_up_on", "lead_project_due_desc_idx"),
        ("Customer", "name", "customer_project_name_idx"),
        ("Purchase", "-signed_on", "purchase_proj_signed_desc_idx"),
    ],
)
def test_a_project_managers_list_is_read_in_its_order_within_the_project(project, staff, model_name, term, planned):
    """Issue 15: a project's manager sorting its leads newest first found them after every later project's rows on
    the million (162 ms); through an index within the project, under 12 ms."""
    from django.db import connection

    from core.ordering import ordering_terms
    from members import models, policies

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL tells which index a plan reads")
    model = getattr(models, model_name)
    policy = {"Lead": policies.LEADS, "Customer": policies.CUSTOMERS, "Purchase": policies.PURCHASES}[model_name]
    manager = staff[Role.SALES_MANAGER]
    then = "-id" if term.startswith("-") else "id"
    rows = policy.scope(model.objects.order_by(*ordering_terms(model, [term, then])), manager)
    with connection.cursor() as cursor:
        # the tables are small here: a plan that reads the rows in order from an index must
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")

    plan = rows[:20].explain()
    assert planned in plan, plan


def test_the_memberships_of_customers_without_consent_are_counted_through_an_index(project):
    """Issue 15: counting 10,001 of them read every customer in id order (56 ms on the generated million); the
    customers without consent have an index in id order to join (13 ms)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL tells which index a plan reads")
    Membership.objects.create(
        customer=CustomerFactory(project=project, consents_to_messages=False),
        source_project=project,
        joined_on=datetime.date(2026, 12, 1),
    )
    counted = Membership.objects.filter(customer__consents_to_messages=False).values("pk")[:10_001]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    assert "customer_consent_idx" in counted.explain()
