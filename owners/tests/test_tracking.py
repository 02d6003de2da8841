"""Complaints and suggestions from the owner portal, tracked in public words with their committed times,
and rated by the owner beside the staff's return visit: a dissatisfied rating reopens and alerts the handler."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from complaints import services as complaints
from complaints.choices import Channel, ComplaintState, RepairState
from complaints.models import Complaint, Notification, OwnerRating, RepairOrder
from core.models import Department
from core.roles import Role
from core.testing import make_staff
from touchpoints.models import OutboundMessage

SHANGHAI = timezone.get_fixed_timezone(480)
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def raise_one(api, unit, **extra):
    return api.post(
        "/api/v1/owner/complaints/",
        {
            "unit": unit.pk,
            "title": "电梯经常停运",
            "content": "一周停了三次",
            "demand": "尽快修好",
            "category": "property",
            **extra,
        },
        format="json",
    )


@pytest.mark.rule("C5")
@time_machine.travel(START, tick=False)
def test_a_complaint_shows_its_receipt_and_reply_time_and_is_told_by_message(owner_api, owner_customer, owner_unit):
    api = owner_api(owner_customer)

    answer = raise_one(api, owner_unit)

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    complaint = Complaint.objects.get(pk=body["id"])
    assert complaint.channel == Channel.OWNER_PORTAL and complaint.category.code == "property"
    assert body["reply_due"] == "2026-03-03T09:00:00+08:00"  # within 24 hours of receipt
    assert [step["status"] for step in body["timeline"]] == ["received"]
    receipt = OutboundMessage.objects.get(customer=owner_customer, purpose="complaint:complaint_received")
    assert str(complaint.pk) in receipt.body


@pytest.mark.rule("C1")
def test_a_suggestion_is_received_as_such_and_duplicates_are_shown_first(owner_api, owner_customer, owner_unit):
    api = owner_api(owner_customer)
    raise_one(api, owner_unit)

    again = raise_one(api, owner_unit, kind="suggestion")
    assert again.status_code == 400 and again.json()["code"] == "possible_duplicates"

    confirmed = raise_one(api, owner_unit, kind="suggestion", confirm_duplicates=True)
    assert confirmed.status_code == 201
    assert confirmed.json()["title"].endswith("电梯经常停运") and confirmed.json()["title"] != "电梯经常停运"


@pytest.fixture
def handler(staff, project):
    head = make_staff(Role.ENGINEERING, projects=[project], username="engineering-head")
    department = Department.objects.create(name="工程部", code="engineering", head=head)
    staff[Role.ENGINEERING].department = department
    staff[Role.ENGINEERING].save()
    return staff[Role.ENGINEERING], department


def resolve(complaint, staff, handler):
    engineer, department = handler
    service = staff[Role.CUSTOMER_SERVICE]
    complaint = complaints.analyse_complaint(complaint=complaint, actor=service, validity="valid")
    complaint = complaints.respond_to_customer(
        complaint=complaint,
        actor=service,
        note="已安排工程部",
        committed_reply_at=timezone.now() + datetime.timedelta(days=2),
    )
    complaint = complaints.dispatch_complaint(
        complaint=complaint,
        actor=service,
        department=department,
        instruction="请检修电梯",
        handler=engineer,
        deadline=timezone.now() + datetime.timedelta(days=3),
    )
    complaint = complaints.record_plan(complaint=complaint, actor=engineer, plan="更换控制板")
    complaint = complaints.start_handling(complaint=complaint, actor=engineer)
    return complaints.resolve_complaint(complaint=complaint, actor=engineer, resolution="已更换控制板")


def test_the_timeline_uses_public_words_only(owner_api, owner_customer, owner_unit, staff, handler):
    api = owner_api(owner_customer)
    complaint = Complaint.objects.get(pk=raise_one(api, owner_unit).json()["id"])
    resolve(complaint, staff, handler)

    body = api.get(f"/api/v1/owner/complaints/{complaint.pk}/").json()

    assert [step["status"] for step in body["timeline"] if step["status"]] == ["received", "handling", "resolved"]
    assert body["committed_reply_at"] and body["status"] == "resolved" and body["can_rate"] is True
    text = str(body)
    for internal in [
        "dispatched",
        "planned",
        "更换控制板",
        "请检修电梯",
        "已安排工程部",
        "engineering-head",
        str(handler[0]),
        handler[1].name,
    ]:
        assert internal not in text


@pytest.mark.rule("C9")
def test_a_dissatisfied_rating_reopens_the_complaint_and_alerts_the_handler(
    owner_api, owner_customer, owner_unit, staff, handler, browser
):
    api = owner_api(owner_customer)
    complaint = resolve(Complaint.objects.get(pk=raise_one(api, owner_unit).json()["id"]), staff, handler)

    answer = api.post(
        f"/api/v1/owner/complaints/{complaint.pk}/rating/", {"score": 2, "comment": "还是经常停"}, format="json"
    )

    assert answer.status_code == 201 and answer.json()["status"] == "reopened"
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.REOPENED and complaint.reopen_count == 1
    rating = OwnerRating.objects.get()
    assert (rating.score, rating.comment, rating.cycle, rating.customer) == (2, "还是经常停", 0, owner_customer)
    staff_page = browser(staff[Role.CUSTOMER_SERVICE]).get(f"/complaints/all/{complaint.pk}/").content.decode()
    assert 'id="owner-ratings"' in staff_page and "2/5 — 还是经常停" in staff_page  # beside the return visits
    assert Notification.objects.filter(recipient=handler[0], complaint=complaint).exists()
    # rated once per cycle: not again until it is resolved again
    again = api.post(f"/api/v1/owner/complaints/{complaint.pk}/rating/", {"score": 5}, format="json")
    assert again.status_code == 409


@pytest.mark.rule("C9")
def test_a_satisfied_rating_is_recorded_and_the_complaint_stays_resolved(
    owner_api, owner_customer, owner_unit, staff, handler
):
    api = owner_api(owner_customer)
    complaint = resolve(Complaint.objects.get(pk=raise_one(api, owner_unit).json()["id"]), staff, handler)

    answer = api.post(f"/api/v1/owner/complaints/{complaint.pk}/rating/", {"score": 5}, format="json")

    assert answer.status_code == 201
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RESOLVED
    assert api.post(f"/api/v1/owner/complaints/{complaint.pk}/rating/", {"score": 4}, format="json").status_code == 409


def test_an_open_complaint_cannot_be_rated_yet(owner_api, owner_customer, owner_unit):
    api = owner_api(owner_customer)
    complaint_id = raise_one(api, owner_unit).json()["id"]
    answer = api.post(f"/api/v1/owner/complaints/{complaint_id}/rating/", {"score": 5}, format="json")
    assert answer.status_code == 409
    assert not OwnerRating.objects.exists()


def test_a_rating_must_be_1_to_5(owner_api, owner_customer, owner_unit, staff, handler):
    api = owner_api(owner_customer)
    complaint = resolve(Complaint.objects.get(pk=raise_one(api, owner_unit).json()["id"]), staff, handler)
    assert api.post(f"/api/v1/owner/complaints/{complaint.pk}/rating/", {"score": 6}, format="json").status_code == 400


def test_staff_cannot_rate_in_the_owners_place(staff, owner_customer, owner_unit, handler, owner_api):
    from complaints.services.ratings import rate_complaint
    from complaints.workflow import COMPLAINT_FLOW
    from core.errors import ActionForbidden
    from core.testing import api_client

    api = owner_api(owner_customer)
    complaint = resolve(Complaint.objects.get(pk=raise_one(api, owner_unit).json()["id"]), staff, handler)
    admin = staff[Role.ADMINISTRATOR]
    admin.is_superuser = True
    admin.save()

    with pytest.raises(ActionForbidden):
        rate_complaint(complaint=complaint, actor=admin, score=1)
    assert "owner-rating" not in [action.name for action in COMPLAINT_FLOW.available(complaint, admin)]
    assert (
        api_client(admin)
        .post(f"/api/v1/complaints/{complaint.pk}/owner-rating/", {"score": 1}, format="json")
        .status_code
        == 404
    )


@pytest.mark.rule("C13")
def test_a_dissatisfied_repair_rating_reopens_the_repair_and_alerts_the_assignee(
    owner_api, owner_customer, owner_unit, staff
):
    api = owner_api(owner_customer)
    order_id = api.post(
        "/api/v1/owner/repairs/", {"unit": owner_unit.pk, "description": "水龙头漏水"}, format="multipart"
    ).json()["id"]
    service, engineer = staff[Role.CUSTOMER_SERVICE], staff[Role.ENGINEERING]
    order = RepairOrder.objects.get(pk=order_id)
    order = complaints.assign_repair(order=order, actor=service, assignee=engineer)
    order = complaints.start_repair(order=order, actor=engineer)
    order = complaints.complete_repair(order=order, actor=engineer, work_done="更换阀芯")
    assert api.get(f"/api/v1/owner/repairs/{order_id}/").json()["can_rate"] is True

    answer = api.post(f"/api/v1/owner/repairs/{order_id}/rating/", {"score": 1, "comment": "还在漏"}, format="json")

    assert answer.status_code == 201, answer.json()
    order.refresh_from_db()
    assert order.state == RepairState.ASSIGNED and order.reopen_count == 1 and order.completed_at is None
    assert Notification.objects.filter(recipient=engineer, repair_order=order, title__contains="#").exists()
    detail = api.get(f"/api/v1/owner/repairs/{order_id}/").json()
    assert [s["status"] for s in detail["timeline"] if s["status"]] == [
        "received",
        "scheduled",
        "handling",
        "done",
        "scheduled",
    ]
    # the second completion gets its own 24-hour return-visit clock (C13)
    order = complaints.start_repair(order=order, actor=engineer)
    order = complaints.complete_repair(order=order, actor=engineer, work_done="更换整个龙头")
    assert order.clocks.filter(cycle=1, kind="return_visit").exists()


def test_the_portal_shows_the_timeline_and_takes_a_rating(
    owner_web, owner_customer, owner_unit, staff, handler, owner_api
):
    api = owner_api(owner_customer)
    complaint = resolve(Complaint.objects.get(pk=raise_one(api, owner_unit).json()["id"]), staff, handler)
    client = owner_web(owner_customer)

    page = client.get(f"/owner/complaints/{complaint.pk}/").content.decode()
    assert 'id="rate"' in page and 'id="public-status"' in page

    answer = client.post(f"/owner/complaints/{complaint.pk}/rate/", {"score": "4", "comment": "满意"})
    assert answer.status_code == 302
    assert OwnerRating.objects.get().score == 4
    assert 'id="rate"' not in client.get(f"/owner/complaints/{complaint.pk}/").content.decode()


def test_the_portal_asks_before_sending_a_second_request_about_the_same_home(owner_web, owner_customer, owner_unit):
    client = owner_web(owner_customer)
    data = {"unit": owner_unit.pk, "kind": "complaint", "title": "门禁故障", "content": "门禁卡失灵"}
    assert client.post("/owner/complaints/new/", data).status_code == 302

    warned = client.post("/owner/complaints/new/", data)

    page = warned.content.decode()
    assert warned.status_code == 200 and 'name="confirm_duplicates" value="on"' in page
    assert client.post("/owner/complaints/new/", {**data, "confirm_duplicates": "on"}).status_code == 302
    assert Complaint.objects.filter(customer=owner_customer).count() == 2
