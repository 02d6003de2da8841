"""What the fuzzer found once stays fixed: answers a generated client can read."""

import pytest
from django.test import Client

from core.roles import Role
from core.testing import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def head():
    return make_staff(Role.CR_HEAD)


def test_an_address_that_names_no_resource_answers_json_404(client_for, head):
    for path in ("/api/v1/projects/1.5e-260/", "/api/v1/leads/null,null/follow-ups/", "/api/v1/no-such-thing/"):
        response = client_for(head).get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"
    session = Client(enforce_csrf_checks=True)  # a signed-in browser session: no CSRF page either
    session.force_login(head)
    response = session.delete("/api/v1/warranty-overrides/.x/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


def test_a_refused_excel_report_answers_its_error_in_json(client_for, head):
    response = client_for(head).get("/api/v1/reports/complaints-monthly/", {"format": "xlsx", "month": "13"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "month" in response.json()


def test_an_action_body_that_is_not_an_object_is_a_400_not_a_crash(client_for, head, project, staff):
    from complaints.services import receive_complaint

    complaint = receive_complaint(
        actor=staff[Role.CUSTOMER_SERVICE],
        project=project,
        channel="hotline",
        title="渗水",
        content="厨房渗水",
        category="quality",
    )
    response = client_for(head).post(
        f"/api/v1/complaints/{complaint.pk}/analyse/", '"P"', content_type="application/json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    response = client_for(head).get("/api/v1/reports/quality-handbook/", {"year": "0"})
    assert response.status_code == 400


def test_a_moment_outside_1900_to_2100_is_refused_with_the_field(client_for, head):
    from estates.tests.factories import ProjectFactory
    from members.tests.factories import CustomerFactory

    customer = CustomerFactory(project=ProjectFactory(), consents_to_messages=True)
    response = client_for(head).post(
        "/api/v1/messages/",
        {"customer": customer.pk, "channel": "sms", "body": "您好", "send_after": "0914-09-01T22:36:27Z"},
        format="json",
    )
    assert response.status_code == 400
    assert "send_after" in response.json()


def test_no_serializer_reads_a_label_through_str_of_a_relation():
    """`source="consultant.__str__"` renders "<method-wrapper '__str__' of NoneType …>" when the relation
    is empty; core.api.fields.LabelField renders "" instead."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.glob("*/api/serializers.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"source=\"[\w.]*__str__\"", line)
    ]
    assert offenders == []


def test_a_complaint_without_unit_and_customer_reads_empty_labels(client_for, head, project, staff):
    from complaints.services import receive_complaint

    complaint = receive_complaint(
        actor=staff[Role.CUSTOMER_SERVICE],
        project=project,
        channel="hotline",
        title="噪音",
        content="夜间施工噪音",
        category="quality",
    )
    body = client_for(head).get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert (body["unit_label"], body["customer_name"], body["department_name"]) == ("", "", "")
    assert body["received_by_name"] == str(staff[Role.CUSTOMER_SERVICE])


def test_a_customer_without_consultant_reads_an_empty_consultant_name(client_for, head, project):
    from members.tests.factories import CustomerFactory

    customer = CustomerFactory(project=project, consultant=None)
    assert client_for(head).get(f"/api/v1/customers/{customer.pk}/").json()["consultant_name"] == ""


def test_a_list_sent_for_a_single_value_is_a_400_with_the_field(client_for, head, project, staff):
    from complaints.services import receive_complaint

    complaint = receive_complaint(
        actor=staff[Role.CUSTOMER_SERVICE],
        project=project,
        channel="hotline",
        title="渗水",
        content="厨房渗水",
        category="quality",
    )
    response = client_for(staff[Role.CUSTOMER_SERVICE]).post(
        f"/api/v1/complaints/{complaint.pk}/respond/",
        {"note": "已联系", "committed_reply_at": [None, None]},
        format="json",
    )
    assert response.status_code == 400
    assert "committed_reply_at" in response.json()


def test_a_boolean_sent_for_a_moment_is_a_400_with_the_field(client_for, head, project, staff):
    from complaints.services import receive_complaint

    complaint = receive_complaint(
        actor=staff[Role.CUSTOMER_SERVICE],
        project=project,
        channel="hotline",
        title="渗水",
        content="厨房渗水",
        category="quality",
    )
    response = client_for(staff[Role.CUSTOMER_SERVICE]).post(
        f"/api/v1/complaints/{complaint.pk}/respond/", {"note": "已联系", "committed_reply_at": False}, format="json"
    )
    assert response.status_code == 400
    assert "committed_reply_at" in response.json()


def test_an_address_with_a_line_break_answers_json_404(client_for, head):
    response = client_for(head).post("/api/v1/imports/a%0Ab/confirm/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
