import pytest

from core.roles import Role
from core.testing import ResourceContract, api_client
from members.tests.factories import CustomerFactory
from touchpoints import messaging
from touchpoints.models import OutboundMessage


class TestMessages(ResourceContract):
    url = "/api/v1/messages/"
    reader, writer = Role.CONSULTANT, Role.CUSTOMER_SERVICE

    def make(self, project):
        customer = CustomerFactory(project=project)
        return messaging.queue_message(customer=customer, purpose="manual", dedupe_key=f"t:{customer.pk}", body="您好")

    def create_data(self, project):
        return {"customer": CustomerFactory(project=project).pk, "body": "您好，您的交付资料已备齐。"}

    def test_writer_cannot_create_in_a_project_they_do_not_work_on(self, project, other_project, staff):
        response = api_client(staff[self.writer]).post(self.url, self.create_data(other_project), format="json")
        assert response.status_code == 400 and "customer" in response.json()


def test_a_manual_message_is_queued_for_the_customer(project, staff):
    customer = CustomerFactory(project=project, consents_to_messages=True)

    response = api_client(staff[Role.CUSTOMER_SERVICE]).post(
        "/api/v1/messages/", {"customer": customer.pk, "body": "您好"}, format="json"
    )

    assert response.status_code == 201
    message = OutboundMessage.objects.get(pk=response.json()["id"])
    assert message.purpose == "manual" and message.created_by == staff[Role.CUSTOMER_SERVICE]


@pytest.mark.parametrize("first_status, expected", [("queued", 200), ("sent", 409)])
def test_only_a_queued_message_can_be_cancelled(project, staff, first_status, expected):
    message = TestMessages().make(project)
    OutboundMessage.objects.filter(pk=message.pk).update(status=first_status)

    response = api_client(staff[Role.CUSTOMER_SERVICE]).post(f"/api/v1/messages/{message.pk}/cancel/")

    assert response.status_code == expected
