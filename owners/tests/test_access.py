"""Object-level access: an owner never sees another owner's unit, repair, complaint or photo, by id or in a
list, on a page or through the API."""

import pytest

from complaints import services as complaints
from complaints.choices import Channel
from complaints.models import RepairOrder

from .. import services
from ..identity import Owner
from .conftest import image_file


@pytest.fixture
def theirs(other_owner):
    """The other owner's unit, repair with a photo, and complaint."""
    owner = Owner(mobile=str(other_owner.mobile), customer_ids=(other_owner.pk,))
    unit = other_owner.purchases.get().unit
    order = services.report_repair(owner=owner, unit_id=unit.pk, description="窗户漏风", photos=[image_file()])
    complaint = services.raise_complaint(
        owner=owner, unit_id=unit.pk, title="噪音", content="楼下施工噪音", confirm_duplicates=True
    )
    return {"unit": unit, "repair": order, "photo": order.photos.get(), "complaint": complaint}


@pytest.fixture
def mine(owner_customer, owner_unit):
    owner = Owner(mobile=str(owner_customer.mobile), customer_ids=(owner_customer.pk,))
    order = services.report_repair(owner=owner, unit_id=owner_unit.pk, description="门锁损坏", photos=[image_file()])
    complaint = services.raise_complaint(
        owner=owner, unit_id=owner_unit.pk, title="物业服务", content="保安态度差", confirm_duplicates=True
    )
    return {"unit": owner_unit, "repair": order, "photo": order.photos.get(), "complaint": complaint}


def test_api_lists_show_only_the_owners_own_records(owner_api, owner_customer, mine, theirs):
    api = owner_api(owner_customer)

    assert [u["id"] for u in api.get("/api/v1/owner/units/").json()["results"]] == [mine["unit"].pk]
    assert [r["id"] for r in api.get("/api/v1/owner/repairs/").json()["results"]] == [mine["repair"].pk]
    assert [c["id"] for c in api.get("/api/v1/owner/complaints/").json()["results"]] == [mine["complaint"].pk]


def test_api_refuses_another_owners_records_by_id(owner_api, owner_customer, mine, theirs):
    api = owner_api(owner_customer)
    for url in [
        f"/api/v1/owner/units/{theirs['unit'].pk}/",
        f"/api/v1/owner/repairs/{theirs['repair'].pk}/",
        f"/api/v1/owner/complaints/{theirs['complaint'].pk}/",
        f"/api/v1/owner/repairs/{theirs['repair'].pk}/photos/{theirs['photo'].pk}/",
        # my repair, their photo: the pair must match
        f"/api/v1/owner/repairs/{mine['repair'].pk}/photos/{theirs['photo'].pk}/",
    ]:
        assert api.get(url).status_code == 404, url
    for url in [
        f"/api/v1/owner/repairs/{theirs['repair'].pk}/rating/",
        f"/api/v1/owner/complaints/{theirs['complaint'].pk}/rating/",
    ]:
        assert api.post(url, {"score": 1}, format="json").status_code == 404, url
    assert api.get(f"/api/v1/owner/units/{mine['unit'].pk}/").status_code == 200
    assert api.get(f"/api/v1/owner/repairs/{mine['repair'].pk}/photos/{mine['photo'].pk}/").status_code == 200


def test_api_refuses_reporting_on_another_owners_unit(owner_api, owner_customer, theirs):
    api = owner_api(owner_customer)
    repair = api.post("/api/v1/owner/repairs/", {"unit": theirs["unit"].pk, "description": "x"}, format="multipart")
    complaint = api.post(
        "/api/v1/owner/complaints/", {"unit": theirs["unit"].pk, "title": "x", "content": "y"}, format="json"
    )
    assert (repair.status_code, complaint.status_code) == (404, 404)
    assert RepairOrder.objects.count() == 1


def test_pages_show_only_the_owners_own_records(owner_web, owner_customer, mine, theirs):
    client = owner_web(owner_customer)
    home = client.get("/owner/").content.decode()
    assert str(mine["unit"]) in home and str(theirs["unit"]) not in home
    repairs = client.get("/owner/repairs/").content.decode()
    assert f"#{mine['repair'].pk} " in repairs and f"#{theirs['repair'].pk} " not in repairs
    listed = client.get("/owner/complaints/").content.decode()
    assert mine["complaint"].title in listed and theirs["complaint"].title not in listed


def test_pages_refuse_another_owners_records_by_id(owner_web, owner_customer, mine, theirs):
    client = owner_web(owner_customer)
    for url in [
        f"/owner/repairs/{theirs['repair'].pk}/",
        f"/owner/complaints/{theirs['complaint'].pk}/",
        f"/owner/repairs/{theirs['repair'].pk}/photos/{theirs['photo'].pk}/",
        f"/owner/repairs/{mine['repair'].pk}/photos/{theirs['photo'].pk}/",
        f"/owner/repairs/new/?unit={theirs['unit'].pk}",
    ]:
        status = client.get(url).status_code
        assert status in (404, 200), url
        if "new" not in url:
            assert status == 404, url
    for url in [f"/owner/repairs/{theirs['repair'].pk}/rate/", f"/owner/complaints/{theirs['complaint'].pk}/rate/"]:
        assert client.post(url, {"score": 1}).status_code == 404, url
    before = theirs["complaint"].customer.complaints.count()
    answer = client.post(
        "/owner/complaints/new/", {"unit": theirs["unit"].pk, "kind": "complaint", "title": "x", "content": "y"}
    )
    assert answer.status_code == 200  # the unit is not among the choices
    assert theirs["complaint"].customer.complaints.count() == before


def test_every_owner_page_and_endpoint_needs_an_owner_session(client, mine):
    from rest_framework.test import APIClient

    for url in [
        "/owner/",
        "/owner/repairs/",
        "/owner/repairs/new/",
        f"/owner/repairs/{mine['repair'].pk}/",
        f"/owner/repairs/{mine['repair'].pk}/photos/{mine['photo'].pk}/",
        "/owner/complaints/",
        "/owner/complaints/new/",
        f"/owner/complaints/{mine['complaint'].pk}/",
        "/owner/privacy/",
        "/owner/privacy/my-data.xlsx",
    ]:
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"] == "/owner/sign-in/", url
    api = APIClient()
    for url in [
        "/api/v1/owner/units/",
        "/api/v1/owner/repairs/",
        f"/api/v1/owner/repairs/{mine['repair'].pk}/",
        "/api/v1/owner/complaints/",
        "/api/v1/owner/consent/",
        "/api/v1/owner/my-data/",
    ]:
        assert api.get(url).status_code == 401, url


def test_staff_see_the_owner_portal_channel_in_their_queues(browser, staff, mine, project):
    from core.roles import Role
    from core.testing import api_client

    service = staff[Role.CUSTOMER_SERVICE]
    listed = api_client(service).get("/api/v1/complaints/", {"channel": Channel.OWNER_PORTAL}).json()["results"]
    assert {row["id"] for row in listed} >= {mine["complaint"].pk, mine["repair"].complaint_id}
    repairs = api_client(service).get("/api/v1/repair-orders/", {"channel": Channel.OWNER_PORTAL}).json()["results"]
    assert [row["id"] for row in repairs] == [mine["repair"].pk]
    queue = browser(service).get("/complaints/repairs/?channel=owner_portal").content.decode()
    assert f'href="/complaints/repairs/{mine["repair"].pk}/"' in queue and "业主端" in queue
    page = browser(service).get("/complaints/all/?channel=owner_portal").content.decode()
    assert mine["complaint"].title in page
    assert complaints.receive_complaint  # the staff intake is untouched


@pytest.mark.rule("C12")
def test_the_monthly_report_counts_intake_by_channel(staff, mine, project):
    from django.utils import timezone

    from core.roles import Role
    from core.testing import api_client

    complaints.receive_complaint(
        actor=staff[Role.CUSTOMER_SERVICE],
        project=project,
        channel=Channel.HOTLINE,
        title="停车位",
        content="车位被占",
        confirm_duplicates=True,
    )
    today = timezone.localdate()

    report = (
        api_client(staff[Role.CR_HEAD])
        .get("/api/v1/reports/complaints-monthly/", {"year": today.year, "month": today.month})
        .json()
    )

    by_channel = {row["label"]: row["count"] for row in report["by_channel"]}
    assert by_channel == {str(Channel.OWNER_PORTAL.label): 2, str(Channel.HOTLINE.label): 1}


def test_the_owner_lists_take_the_same_number_of_queries_however_long(
    owner_api, owner_customer, owner_unit, django_assert_max_num_queries
):
    from core.testing import count_queries

    owner = Owner(mobile=str(owner_customer.mobile), customer_ids=(owner_customer.pk,))
    api = owner_api(owner_customer)

    def add_one():
        services.report_repair(
            owner=owner, unit_id=owner_unit.pk, description="漏水", photos=[image_file()], confirm_duplicates=True
        )
        services.raise_complaint(
            owner=owner, unit_id=owner_unit.pk, title="噪音", content="夜间施工", confirm_duplicates=True
        )

    add_one()
    few = {
        url: count_queries(lambda url=url: api.get(url))
        for url in ["/api/v1/owner/repairs/", "/api/v1/owner/complaints/"]
    }
    for _ in range(5):
        add_one()
    for url, count in few.items():
        with django_assert_max_num_queries(count):
            assert len(api.get(url).json()["results"]) == 6
