"""A tablet may resend a POST: the Idempotency-Key makes the second one harmless."""

from core.roles import Role
from core.testing import api_client
from members.models import Customer


def customer_payload(project, mobile="13800138000"):
    return {"project": project.pk, "name": "张三", "mobile": mobile}


def test_a_repeated_key_returns_the_first_answer_and_creates_nothing(project, staff):
    client = api_client(staff[Role.CONSULTANT])

    first = client.post("/api/v1/customers/", customer_payload(project), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/customers/", customer_payload(project), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Customer.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(project, staff):
    client = api_client(staff[Role.CONSULTANT])
    client.post("/api/v1/customers/", customer_payload(project), format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    response = client.post(
        "/api/v1/customers/", customer_payload(project, mobile="13900139000"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Customer.objects.count() == 1


def test_a_refused_request_keeps_nothing_so_a_corrected_retry_can_use_a_new_key(project, staff):
    client = api_client(staff[Role.CONSULTANT])

    bad = client.post(
        "/api/v1/customers/", customer_payload(project, mobile="123"), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    retry = client.post(
        "/api/v1/customers/", customer_payload(project, mobile="123"), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )

    assert bad.status_code == retry.status_code == 400
    assert Customer.objects.count() == 0
