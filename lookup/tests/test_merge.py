"""Merging two records of one person (issue 13): everything moves, in one transaction, audited."""

import pytest
from django.apps import apps

from complaints import services as complaint_services
from core.roles import Role
from estates.tests.factories import BuildingFactory, ProjectFactory, UnitFactory
from lookup.models import CustomerMerge
from members import services as member_services
from members.models import Customer
from members.tests.factories import CustomerFactory, LeadFactory, PurchaseFactory
from touchpoints import messaging

pytestmark = pytest.mark.django_db

# Every model that points at a customer. A new one fails this list on purpose: decide whether merging moves
# it (the default, and its unique constraints are checked) or rebuilds it (lookup.merging.DERIVED).
CUSTOMER_RELATIONS = {
    "members.Purchase",
    "members.Visit",
    "members.Lead",
    "members.Membership",
    "touchpoints.CareTask",
    "touchpoints.ProgressLetter",
    "touchpoints.MeetingFeedback",
    "touchpoints.OutboundMessage",
    "complaints.Complaint",
    "complaints.DeliveryObjection",
    "complaints.DeliveryReminder",
    "complaints.RepairOrder",
    "surveys.Invitation",
    "surveys.Response",
    "surveys.FollowUp",
    "lookup.CustomerSearchKey",
    "lookup.CustomerMerge",
    "complaints.OwnerRating",
    "owners.ErasureRequest",
}


@pytest.fixture
def pair(project, staff):
    survivor = CustomerFactory(project=project, name="张伟", id_number="", consultant=staff[Role.CONSULTANT])
    duplicate = CustomerFactory(
        project=project,
        name="张伟",
        mobile="+8613700009999",
        id_number="11010519491231002X",
        consultant=staff[Role.CONSULTANT],
    )
    return survivor, duplicate


def counts_of(customer_id):
    counts = {}
    for relation in Customer._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many:
            field = next(f.name for f in relation.through._meta.fields if f.is_relation and f.related_model is Customer)
            counts[model._meta.label] = relation.through.objects.filter(**{f"{field}_id": customer_id}).count()
        else:
            counts[model._meta.label] = model._base_manager.filter(**{f"{relation.field.name}_id": customer_id}).count()
    return counts


def test_every_model_pointing_at_a_customer_is_known_to_the_merge():
    assert {relation.related_model._meta.label for relation in Customer._meta.related_objects} == CUSTOMER_RELATIONS


@pytest.mark.rule("R2")
def test_a_merge_moves_every_record_of_the_duplicate_and_keeps_the_chosen_values(
    client_for, staff, project, pair, other_project
):
    survivor, duplicate = pair
    other_project.staff.add(staff[Role.CONSULTANT])
    LeadFactory(customer=duplicate, project=other_project)
    PurchaseFactory(customer=duplicate, unit=UnitFactory(building=BuildingFactory(project=project)))
    member_services.join_club(customer=duplicate, source_project=project, actor=staff[Role.CONSULTANT])
    complaint_services.receive_complaint(
        actor=staff[Role.CUSTOMER_SERVICE],
        project=project,
        channel="hotline",
        title="渗水",
        content="厨房渗水",
        customer=duplicate,
        category="quality",
    )
    messaging.queue_message(customer=duplicate, purpose="test", dedupe_key="merge-test", body="您好")
    before_survivor, before_duplicate = counts_of(survivor.pk), counts_of(duplicate.pk)

    response = client_for(staff[Role.CUSTOMER_SERVICE]).post(
        "/api/v1/customer-merges/",
        {"survivor": survivor.pk, "duplicate": duplicate.pk, "keep_from_duplicate": ["id_number", "mobile"]},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    after = counts_of(survivor.pk)
    for label in CUSTOMER_RELATIONS - {"lookup.CustomerSearchKey", "lookup.CustomerMerge"}:
        assert after[label] == before_survivor[label] + before_duplicate[label], label
    assert sum(before_duplicate.values()) >= 5, "the duplicate had records of several kinds"
    survivor.refresh_from_db()
    assert (survivor.id_number, str(survivor.mobile)) == ("11010519491231002X", "+8613700009999")
    merge = CustomerMerge.objects.get()
    assert merge.merged_by == staff[Role.CUSTOMER_SERVICE]
    assert merge.duplicate["id_number"] == "11010519491231002X"
    assert merge.moved["members.Lead"] == 1
    assert survivor.history.first().history_user == staff[Role.CUSTOMER_SERVICE]
    for label in ("members.Lead", "members.Purchase", "complaints.Complaint"):  # rule R2's audited records
        moved = apps.get_model(label).objects.get(customer=survivor)
        (last, before) = moved.history.all()[:2]
        assert (before.customer_id, last.customer_id) == (duplicate.pk, survivor.pk), label
        assert last.history_user == staff[Role.CUSTOMER_SERVICE] and str(duplicate.pk) in last.history_change_reason
    found = client_for(staff[Role.CALL_CENTER]).get("/api/v1/lookup/", {"phone": "13700009999"}).json()
    assert [card["customer"]["id"] for card in found] == [survivor.pk]


def test_records_only_one_of_them_may_hold_stop_the_merge_and_nothing_moves(client_for, staff, project, pair):
    survivor, duplicate = pair
    LeadFactory(customer=survivor, project=project)
    LeadFactory(customer=duplicate, project=project)

    preview = (
        client_for(staff[Role.CUSTOMER_SERVICE])
        .get("/api/v1/customer-merges/preview/", {"survivor": survivor.pk, "duplicate": duplicate.pk})
        .json()
    )
    response = client_for(staff[Role.CUSTOMER_SERVICE]).post(
        "/api/v1/customer-merges/", {"survivor": survivor.pk, "duplicate": duplicate.pk}, format="json"
    )

    assert len(preview["conflicts"]) == 1
    assert {d["field"] for d in preview["differences"]} >= {"mobile", "id_number"}
    assert response.status_code == 409
    assert response.json()["code"] == "merge_conflicts"
    assert response.json()["conflicts"] == preview["conflicts"]
    assert Customer.objects.filter(pk=duplicate.pk).exists()
    assert duplicate.leads.count() == 1 and CustomerMerge.objects.count() == 0


def test_only_the_service_desk_managers_and_head_merge_and_only_customers_they_see(client_for, staff, company, pair):
    survivor, duplicate = pair
    body = {"survivor": survivor.pk, "duplicate": duplicate.pk}
    refused = client_for(staff[Role.CONSULTANT]).post("/api/v1/customer-merges/", body, format="json")
    assert refused.status_code == 403
    elsewhere = CustomerFactory(project=ProjectFactory(company=company))
    hidden = client_for(staff[Role.SALES_MANAGER]).post(
        "/api/v1/customer-merges/", {"survivor": survivor.pk, "duplicate": elsewhere.pk}, format="json"
    )
    assert hidden.status_code == 404
    assert Customer.objects.filter(pk__in=[survivor.pk, duplicate.pk, elsewhere.pk]).count() == 3


def test_likely_duplicates_pair_the_same_id_number_and_the_same_name_on_a_unit(client_for, staff, project, pair):
    survivor, duplicate = pair
    twin = CustomerFactory(project=project, name="李娜", id_number="11010519491231002X")
    unit = UnitFactory(building=BuildingFactory(project=project))
    PurchaseFactory(customer=survivor, unit=unit, status="cancelled")  # bought again under a new record
    PurchaseFactory(customer=duplicate, unit=unit)

    pairs = client_for(staff[Role.CUSTOMER_SERVICE]).get("/api/v1/customer-duplicates/").json()

    found = {(p["survivor"]["id"], p["duplicate"]["id"]): p["reason"] for p in pairs}
    assert (survivor.pk, duplicate.pk) in found
    assert (duplicate.pk, twin.pk) in found


def test_the_dashboard_compares_and_merges(browser, staff, pair):
    survivor, duplicate = pair
    client = browser(staff[Role.CUSTOMER_SERVICE])
    page = client.get("/lookup/merge/", {"survivor": survivor.pk, "duplicate": duplicate.pk})
    assert page.status_code == 200 and "11010519491231002X" in page.content.decode()
    response = client.post(
        "/lookup/merge/", {"survivor": survivor.pk, "duplicate": duplicate.pk, "keep_id_number": "duplicate"}
    )
    assert response.status_code == 302
    survivor.refresh_from_db()
    assert survivor.id_number == "11010519491231002X"
    assert browser(staff[Role.CONSULTANT]).get("/lookup/duplicates/").status_code == 403


def test_the_duplicates_list_costs_the_same_queries_for_few_or_many_pairs(client_for, staff, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff[Role.CUSTOMER_SERVICE])
    id_numbers = iter(["11010519491231002X", "110105194912310029", "110105194912310037", "110105194912310045"])

    def twins(n):
        for _ in range(n):
            id_number = next(id_numbers)
            CustomerFactory(project=project, id_number=id_number)
            CustomerFactory(project=project, id_number=id_number)

    twins(1)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/customer-duplicates/").json()) == 1
    few_count = len(few.captured_queries)  # read before the next request empties the query log
    twins(3)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/customer-duplicates/").json()) == 4
    assert few_count > 0 and len(many.captured_queries) == few_count
