"""The outbox: once per occasion, consent at the moment of sending, retries, a real HTTP gateway."""

import datetime
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.utils import timezone

from core.roles import Role
from members.services import set_message_consent
from members.tests.factories import CustomerFactory
from touchpoints import messaging
from touchpoints.choices import MessageStatus
from touchpoints.gateways import GatewayError, HttpSmsGateway
from touchpoints.models import OutboundMessage

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


class RecordingGateway:
    """Stands in for the SMS provider outside our system; it records what it was asked to send."""

    sent: list = []
    fail_times = 0

    def send(self, *, to, body, reference):
        if RecordingGateway.fail_times:
            RecordingGateway.fail_times -= 1
            raise GatewayError("provider busy")
        RecordingGateway.sent.append((to, body, reference))
        return type("Receipt", (), {"message_id": f"gw-{len(RecordingGateway.sent)}"})()


@pytest.fixture
def gateway(settings):
    settings.SMS_GATEWAY = "touchpoints.tests.test_messaging.RecordingGateway"
    RecordingGateway.sent, RecordingGateway.fail_times = [], 0
    return RecordingGateway


@pytest.fixture
def customer(project):
    return CustomerFactory(project=project, consents_to_messages=True, mobile="+8613812345678", name="王女士")


def queue(customer, key="birthday:1:2026", **kwargs):
    return messaging.queue_message(
        customer=customer, purpose="birthday", dedupe_key=key, template_code="birthday_greeting", **kwargs
    )


@pytest.mark.rule("J22")
def test_the_same_occasion_is_queued_and_sent_only_once(customer, gateway):
    with time_machine.travel(NOW, tick=False):
        first = queue(customer)
        again = queue(customer)
        messaging.deliver(first.pk)
        messaging.deliver(first.pk)
        messaging.deliver_due()

    assert first.pk == again.pk
    assert OutboundMessage.objects.count() == 1
    assert len(gateway.sent) == 1
    assert gateway.sent[0][1].startswith("尊敬的王女士")


@pytest.mark.rule("J22")
def test_the_database_refuses_a_second_message_for_the_same_occasion(customer):
    from django.db import IntegrityError, transaction

    queue(customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundMessage.objects.create(
            customer=customer,
            project=customer.project,
            purpose="birthday",
            dedupe_key="birthday:1:2026",
            body="x",
            send_after=timezone.now(),
        )


@pytest.mark.rule("M3")
def test_a_customer_without_consent_gets_nothing(project, gateway):
    silent = CustomerFactory(project=project, consents_to_messages=False)
    with time_machine.travel(NOW, tick=False):
        message = queue(silent)
        status = messaging.deliver(message.pk)

    assert status == MessageStatus.SUPPRESSED and gateway.sent == []


@pytest.mark.rule("M3")
def test_an_opt_out_after_queuing_is_honoured_at_once(customer, gateway, staff):
    with time_machine.travel(NOW, tick=False):
        message = queue(customer, send_after=NOW + datetime.timedelta(hours=1))
    set_message_consent(customer=customer, consents=False, actor=staff[Role.CUSTOMER_SERVICE])

    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        messaging.deliver_due()

    message.refresh_from_db()
    assert message.status == MessageStatus.SUPPRESSED and gateway.sent == []


def test_a_message_is_not_sent_before_its_time(customer, gateway):
    with time_machine.travel(NOW, tick=False):
        message = queue(customer, send_after=NOW + datetime.timedelta(days=1))
        assert messaging.deliver_due() == 0
        assert messaging.deliver(message.pk) == MessageStatus.QUEUED
    assert gateway.sent == []


def test_gateway_failures_are_retried_with_backoff_then_given_up(customer, gateway, settings):
    settings.MESSAGE_MAX_ATTEMPTS = 3
    gateway.fail_times = 5
    with time_machine.travel(NOW, tick=False):
        message = queue(customer)
        assert messaging.deliver(message.pk) == MessageStatus.QUEUED
    message.refresh_from_db()
    assert message.send_after == NOW + datetime.timedelta(minutes=2) and message.last_error == "provider busy"

    with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
        assert messaging.deliver_due() == 0  # still backing off
    with time_machine.travel(NOW + datetime.timedelta(minutes=3), tick=False):
        messaging.deliver_due()
    message.refresh_from_db()
    assert message.attempts == 2 and message.send_after == NOW + datetime.timedelta(minutes=7)
    with time_machine.travel(NOW + datetime.timedelta(minutes=8), tick=False):
        messaging.deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and gateway.sent == []


def test_a_failure_then_success_sends_once(customer, gateway):
    gateway.fail_times = 1
    with time_machine.travel(NOW, tick=False):
        message = queue(customer)
        messaging.deliver(message.pk)
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        messaging.deliver_due()
        messaging.deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(gateway.sent) == 1


def test_a_template_variable_left_out_is_an_error(customer):
    with pytest.raises(messaging.MissingVariable):
        messaging.queue_message(
            customer=customer,
            purpose="warranty",
            dedupe_key="w:1",
            template_code="warranty_expiry",
            context={"component": "门窗"},
        )


def test_the_warranty_template_is_the_seeds_text(customer):
    message = messaging.queue_message(
        customer=customer,
        purpose="warranty",
        dedupe_key="w:2",
        template_code="warranty_expiry",
        context={"component": "门窗", "date": "2027年1月1日", "hotline": "400-800-1234"},
    )

    assert message.body == (
        "尊敬的万科业主,您房屋中门窗的质保期即将在2027年1月1日到期,"
        "特提醒您在保修期届满前检查相关物品,"
        "如有问题可与万科客服中心(保修中心)联系:400-800-1234"
    )


class FakeProvider(BaseHTTPRequestHandler):
    """A local stand-in for an SMS provider's HTTP API."""

    requests: list = []
    answer_status = 200

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeProvider.requests.append(
            {"body": body, "auth": self.headers["Authorization"], "idempotency_key": self.headers["Idempotency-Key"]}
        )
        self.send_response(FakeProvider.answer_status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if FakeProvider.answer_status == 200:
            self.wfile.write(json.dumps({"message_id": "prov-42"}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    FakeProvider.requests, FakeProvider.answer_status = [], 200
    server = HTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms"
    server.shutdown()


def test_the_http_gateway_posts_to_the_provider_and_reads_the_id(provider):
    receipt = HttpSmsGateway(url=provider, api_key="secret", timeout=5).send(
        to="+8613812345678", body="你好", reference="r-1"
    )

    assert receipt.message_id == "prov-42"
    assert FakeProvider.requests == [
        {
            "body": {"to": "+8613812345678", "text": "你好", "reference": "r-1"},
            "auth": "Bearer secret",
            "idempotency_key": "r-1",
        }
    ]


def test_the_http_gateway_reports_a_refusal_as_a_gateway_error(provider):
    FakeProvider.answer_status = 503
    with pytest.raises(GatewayError):
        HttpSmsGateway(url=provider, api_key="secret", timeout=5).send(to="+8613812345678", body="x", reference="r")


def test_the_outbox_sends_through_the_http_gateway_and_records_delivery(customer, provider, settings, client):
    settings.SMS_GATEWAY = "touchpoints.gateways.HttpSmsGateway"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_API_KEY = provider, "secret"
    settings.SMS_DELIVERY_REPORT_TOKEN = "report-token"
    with time_machine.travel(NOW, tick=False):
        message = queue(customer)
        messaging.deliver(message.pk)

    response = client.post(
        "/api/v1/messages/delivery-report/",
        {"message_id": "prov-42", "delivered": True, "token": "report-token"},
        content_type="application/json",
    )

    message.refresh_from_db()
    assert response.status_code == 204
    assert message.status == MessageStatus.DELIVERED and message.gateway_message_id == "prov-42"


def test_a_delivery_report_with_a_wrong_token_is_refused(customer, client, settings):
    settings.SMS_DELIVERY_REPORT_TOKEN = "report-token"
    response = client.post(
        "/api/v1/messages/delivery-report/",
        {"message_id": "x", "delivered": True, "token": "guess"},
        content_type="application/json",
    )
    assert response.status_code == 400


def _left_sending_by_a_dead_worker(message, *, claimed_at):
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempts=1, claimed_at=claimed_at
    )


def test_a_message_left_sending_past_its_lease_is_sent_once(customer, gateway, settings):
    settings.MESSAGE_SEND_LEASE_SECONDS = 300
    with time_machine.travel(NOW, tick=False):
        message = queue(customer)
        _left_sending_by_a_dead_worker(message, claimed_at=NOW - datetime.timedelta(seconds=301))
        picked = messaging.deliver_due()
        messaging.deliver_due()

    message.refresh_from_db()
    assert picked == 1
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert [reference for _, _, reference in gateway.sent] == [message.dedupe_key]


def test_a_message_being_sent_within_its_lease_is_left_to_its_worker(customer, gateway, settings):
    settings.MESSAGE_SEND_LEASE_SECONDS = 300
    with time_machine.travel(NOW, tick=False):
        message = queue(customer)
        _left_sending_by_a_dead_worker(message, claimed_at=NOW - datetime.timedelta(seconds=299))
        picked = messaging.deliver_due()
        status = messaging.deliver(message.pk)

    message.refresh_from_db()
    assert picked == 0 and status == MessageStatus.SENDING
    assert message.status == MessageStatus.SENDING and message.attempts == 1
    assert gateway.sent == []


def test_a_message_the_provider_took_before_its_worker_died_is_not_sent_twice(customer, settings, caplog):
    """The worker handed the message to the gateway, then died before recording it: the resend after
    the lease carries the same reference, and the console gateway writes it only once."""
    settings.SMS_GATEWAY = "touchpoints.gateways.ConsoleGateway"
    settings.MESSAGE_SEND_LEASE_SECONDS = 300
    caplog.set_level("INFO", logger="touchpoints.gateways")
    occasion = f"birthday:twice:{uuid.uuid4().hex}"  # the gateway remembers references in the (maybe shared) cache
    with time_machine.travel(NOW, tick=False):
        message = queue(customer, key=occasion)
        first = messaging.get_gateway().send(to=str(customer.mobile), body=message.body, reference=message.reference)
        _left_sending_by_a_dead_worker(message, claimed_at=NOW - datetime.timedelta(hours=1))
        messaging.deliver(message.pk)
        messaging.deliver(message.pk)

    message.refresh_from_db()
    written = [record for record in caplog.records if occasion in record.getMessage()]
    assert len(written) == 1
    assert message.status == MessageStatus.SENT and message.gateway_message_id == first.message_id


def test_the_http_gateway_sends_every_try_of_a_message_with_the_same_idempotency_key(customer, provider, settings):
    settings.SMS_GATEWAY = "touchpoints.gateways.HttpSmsGateway"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_API_KEY = provider, "secret"
    FakeProvider.answer_status = 503
    with time_machine.travel(NOW, tick=False):
        message = queue(customer)
        messaging.deliver(message.pk)
    FakeProvider.answer_status = 200
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        messaging.deliver_due()

    assert [request["idempotency_key"] for request in FakeProvider.requests] == [message.dedupe_key] * 2


def test_a_backlog_is_sent_in_batches_with_a_few_queries_each_not_some_per_message(project, gateway):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def backlog(size, tag):
        customers = [CustomerFactory(project=project, consents_to_messages=n % 5 != 0) for n in range(size)]
        for n, someone in enumerate(customers):
            queue(someone, key=f"backlog:{tag}:{n}")

    with time_machine.travel(NOW, tick=False):
        backlog(10, "small")
        with CaptureQueriesContext(connection) as small:
            assert messaging.deliver_due() == 10
        backlog(40, "large")
        with CaptureQueriesContext(connection) as large:
            assert messaging.deliver_due() == 40

    assert len(large.captured_queries) == len(small.captured_queries)
    statuses = OutboundMessage.objects.filter(dedupe_key__startswith="backlog:large")
    assert statuses.filter(status=MessageStatus.SENT).count() == 32
    assert statuses.filter(status=MessageStatus.SUPPRESSED).count() == 8, "no consent, nothing sent (M3)"
    assert len(gateway.sent) == 8 + 32
    assert len({reference for _, _, reference in gateway.sent}) == 40


def test_a_run_claims_batch_after_batch_within_its_time_budget(project, gateway):
    with time_machine.travel(NOW, tick=False):
        for n in range(7):
            queue(CustomerFactory(project=project, consents_to_messages=True), key=f"paced:{n}")
        assert messaging.deliver_due(batch=3, budget=datetime.timedelta(0)) == 0, "no time budget, nothing claimed"
        assert messaging.deliver_due(batch=3) == 7
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == 7
