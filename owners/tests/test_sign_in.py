"""Owner sign-in by mobile number and one-time code: hashed, 5 minutes, single use, throttled, no enumeration,
and an owner session that opens no staff page or endpoint."""

import datetime
import logging

import pytest
import time_machine

from touchpoints.models import OutboundMessage

from .. import services
from ..auth import COOKIE
from ..choices import SessionKind
from ..models import SignInCode
from .conftest import last_code

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def ask(client, mobile, address="10.0.0.1"):
    return client.post("/api/v1/owner/auth/code/", {"mobile": mobile}, format="json", REMOTE_ADDR=address)


def sign_in(client, mobile, code):
    return client.post("/api/v1/owner/auth/token/", {"mobile": mobile, "sms_code": code}, format="json")


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@time_machine.travel(NOW, tick=False)
def test_the_code_arrives_through_the_outbox_and_signs_the_owner_in(api, owner_customer, owner_unit):
    assert ask(api, "13912345678").status_code == 202
    message = OutboundMessage.objects.get(customer=owner_customer)
    code = last_code(owner_customer.mobile)
    row = SignInCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64  # stored hashed only
    assert message.purpose.startswith("requested:")

    answer = sign_in(api, "13912345678", code)

    assert answer.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['token']}")
    units = api.get("/api/v1/owner/units/").json()["results"]
    assert [unit["id"] for unit in units] == [owner_unit.pk]


@time_machine.travel(NOW, tick=False)
def test_the_code_is_sent_even_without_consent_to_messages(owner_customer):
    from touchpoints.messaging import deliver

    owner_customer.consents_to_messages = False
    owner_customer.save()
    services.request_code(mobile=str(owner_customer.mobile), client_address=None)
    message = OutboundMessage.objects.get()

    assert deliver(message.pk) == "sent"


def test_an_unknown_number_gets_the_same_answer_and_no_message(api, owner_customer):
    known = ask(api, "13912345678", "10.0.0.1")
    unknown = ask(api, "13800009999", "10.0.0.2")

    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert OutboundMessage.objects.count() == 1
    assert sign_in(api, "13800009999", "123456").status_code == 400


def test_a_code_is_single_use_and_then_hidden_in_the_outbox(api, owner_customer):
    ask(api, "13912345678")
    code = last_code(owner_customer.mobile)

    assert sign_in(api, "13912345678", code).status_code == 200
    assert sign_in(api, "13912345678", code).status_code == 400
    assert code not in OutboundMessage.objects.get().body


def test_a_code_expires_after_5_minutes(api, owner_customer):
    with time_machine.travel(NOW, tick=False):
        ask(api, "13912345678")
    code = last_code(owner_customer.mobile)

    with time_machine.travel(NOW + datetime.timedelta(minutes=5, seconds=1), tick=False):
        assert sign_in(api, "13912345678", code).status_code == 400
    with time_machine.travel(NOW + datetime.timedelta(minutes=4, seconds=59), tick=False):
        assert sign_in(api, "13912345678", code).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_five_wrong_tries_void_the_code(api, owner_customer):
    ask(api, "13912345678")
    code = last_code(owner_customer.mobile)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    for _ in range(5):
        refused = sign_in(api, "13912345678", wrong)
        assert refused.status_code == 400 and refused.json()["code"] == "invalid_sms_code"

    assert SignInCode.objects.get().voided_at is not None
    assert sign_in(api, "13912345678", code).status_code == 400


def test_one_code_a_minute_and_five_an_hour_per_number(api, owner_customer):
    with time_machine.travel(NOW, tick=False):
        assert ask(api, "13912345678", "10.0.0.1").status_code == 202
        assert ask(api, "13912345678", "10.0.0.2").status_code == 429
    for minute in range(1, 5):
        with time_machine.travel(NOW + datetime.timedelta(minutes=2 * minute), tick=False):
            assert ask(api, "13912345678", f"10.0.1.{minute}").status_code == 202
    with time_machine.travel(NOW + datetime.timedelta(minutes=20), tick=False):
        assert ask(api, "13912345678", "10.0.2.1").status_code == 429
    with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
        assert ask(api, "13912345678", "10.0.2.1").status_code == 202


def test_one_code_a_minute_and_five_an_hour_per_client_address(api, owner_customer):
    numbers = [f"1391234{n:04d}" for n in range(7)]
    with time_machine.travel(NOW, tick=False):
        assert ask(api, numbers[0]).status_code == 202
        assert ask(api, numbers[1]).status_code == 429
    for minute in range(1, 5):
        with time_machine.travel(NOW + datetime.timedelta(minutes=2 * minute), tick=False):
            assert ask(api, numbers[minute + 1]).status_code == 202
    with time_machine.travel(NOW + datetime.timedelta(minutes=20), tick=False):
        assert ask(api, numbers[6]).status_code == 429


def test_behind_a_proxy_the_code_limit_counts_each_clients_own_address(api, owner_customer, settings):
    settings.CLIENT_PROXY_COUNT = 1

    def ask_through_proxy(mobile, client_ip):
        return api.post(
            "/api/v1/owner/auth/code/",
            {"mobile": mobile},
            format="json",
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.1, {client_ip}",
        )

    with time_machine.travel(NOW, tick=False):
        assert ask_through_proxy("13912340001", "203.0.113.7").status_code == 202
        assert ask_through_proxy("13912340002", "203.0.113.7").status_code == 429, "the same client"
        assert ask_through_proxy("13912340003", "203.0.113.8").status_code == 202, "another, behind the same proxy"


def test_the_code_never_reaches_the_log(caplog, owner_customer, settings):
    from core.logging import MaskPersonalData
    from touchpoints.messaging import deliver

    settings.SMS_GATEWAY = "touchpoints.gateways.ConsoleGateway"
    services.request_code(mobile=str(owner_customer.mobile), client_address=None)
    code = last_code(owner_customer.mobile)
    handler_filter = MaskPersonalData()
    with caplog.at_level(logging.INFO):
        deliver(OutboundMessage.objects.get().pk)

    lines = []
    for record in caplog.records:
        handler_filter.filter(record)
        lines.append(record.getMessage())
    assert any("owner-sign-in" in line for line in lines)
    assert not any(code in line for line in lines)


def test_an_owner_session_opens_no_staff_page_or_endpoint(client, owner_customer, owner_api):
    token, _session = services.start_session(mobile=str(owner_customer.mobile), kind=SessionKind.WEB)
    client.cookies[COOKIE] = token
    assert client.get("/owner/").status_code == 200
    for page in ["/", "/complaints/all/", "/complaints/repairs/", "/members/customers/", "/admin/"]:
        answer = client.get(page)
        assert answer.status_code == 302 and "/login/" in answer["Location"], page
    assert client.get("/api/v1/complaints/").status_code in (401, 403)

    api = owner_api(owner_customer)
    for endpoint in [
        "/api/v1/complaints/",
        "/api/v1/repair-orders/",
        "/api/v1/customers/",
        "/api/v1/units/",
        "/api/v1/messages/",
    ]:
        assert api.get(endpoint).status_code in (401, 403), endpoint
    assert api.get("/api/v1/owner/units/").status_code == 200


def test_a_staff_session_or_token_opens_no_owner_page_or_endpoint(browser, staff, owner_customer):
    from core.roles import Role
    from core.testing import api_client

    page = browser(staff[Role.ADMINISTRATOR]).get("/owner/")
    assert page.status_code == 302 and page["Location"].endswith("/owner/sign-in/")
    assert api_client(staff[Role.ADMINISTRATOR]).get("/api/v1/owner/units/").status_code in (401, 403)


def test_signing_out_ends_the_session(owner_customer, owner_api):
    api = owner_api(owner_customer)
    assert api.post("/api/v1/owner/auth/logout/").status_code == 204
    assert api.get("/api/v1/owner/units/").status_code == 401


def test_the_portal_signs_in_with_the_code(client, owner_customer):
    answer = client.post("/owner/sign-in/", {"mobile": "13912345678"})
    assert answer.status_code == 200 and 'name="code"' in answer.content.decode()

    answer = client.post(
        "/owner/sign-in/verify/", {"mobile": "+8613912345678", "code": last_code(owner_customer.mobile)}
    )

    assert answer.status_code == 302 and answer["Location"] == "/owner/"
    assert client.cookies[COOKIE]["httponly"]
    assert "sessionid" not in client.cookies  # no staff session
    assert client.get("/owner/").status_code == 200


def test_the_demo_owner_signs_in_with_the_code_from_the_outbox(db, settings, client):
    from django.core.management import call_command

    from ..demo import DEMO_OWNER_MOBILE

    settings.SEED_DEMO_ALLOWED = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))

    client.post("/owner/sign-in/", {"mobile": "13800138000"})
    answer = client.post("/owner/sign-in/verify/", {"mobile": DEMO_OWNER_MOBILE, "code": last_code(DEMO_OWNER_MOBILE)})

    assert answer.status_code == 302
    home = client.get("/owner/").content.decode()
    assert 'class="card unit"' in home


def test_old_sign_in_records_are_purged_and_a_second_run_changes_nothing(owner_customer):
    from core import schedules

    from ..models import OwnerSession
    from ..tasks import purge_sign_in_records

    with time_machine.travel(NOW, tick=False):
        services.request_code(mobile=str(owner_customer.mobile), client_address="10.0.0.1")
        services.start_session(mobile=str(owner_customer.mobile), kind=SessionKind.WEB)
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        services.request_code(mobile=str(owner_customer.mobile), client_address="10.0.0.1")
        assert purge_sign_in_records() == 2
        assert purge_sign_in_records() == 0
    assert SignInCode.objects.count() == 1 and not OwnerSession.objects.exists()
    assert "owners.purge_sign_in_records" in {duty.task for duty in schedules.registered()}
