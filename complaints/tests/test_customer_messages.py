"""The complaining customer hears from us through the outbox: receipt, and a committed reply time (C1, C5)."""

import datetime

import pytest
from django.utils import timezone

from complaints import services
from core.roles import Role
from touchpoints.models import OutboundMessage


@pytest.mark.rule("C5")
def test_the_customer_is_told_the_complaint_was_received_and_when_the_reply_comes(receive, staff, customer):
    complaint = receive()
    received = OutboundMessage.objects.get(dedupe_key=f"complaint:{complaint.pk}:received")
    assert received.customer == customer and f"编号{complaint.pk}" in received.body

    reply_at = timezone.now() + datetime.timedelta(hours=30)
    services.respond_to_customer(
        complaint=complaint, actor=staff[Role.CUSTOMER_SERVICE], note="已联系工程部", committed_reply_at=reply_at
    )

    committed = OutboundMessage.objects.get(dedupe_key=f"complaint:{complaint.pk}:reply-committed:0")
    assert timezone.localtime(reply_at).strftime("%m月%d日%H:%M") in committed.body


def test_a_complaint_without_a_known_customer_sends_nothing(receive):
    receive(customer=None, unit=None)
    assert OutboundMessage.objects.count() == 0


def test_the_customer_timeline_shows_complaints_only_to_those_who_may_open_them(receive, staff, client, project):
    from members.tests.factories import CustomerFactory

    own = CustomerFactory(project=project, consultant=staff[Role.CONSULTANT])
    receive(customer=own, unit=None, title="物业费争议")

    client.force_login(staff[Role.CONSULTANT])
    consultant_view = client.get(f"/members/customers/{own.pk}/")
    client.force_login(staff[Role.CUSTOMER_SERVICE])
    service_view = client.get(f"/members/customers/{own.pk}/")

    assert "物业费争议" not in consultant_view.text  # received by customer service, not by the sales team
    assert "物业费争议" in service_view.text
