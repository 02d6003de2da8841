"""Sign-in throttling (django-axes) and the sign-in trail: both ways."""

import logging

import pytest
from rest_framework.test import APIClient

from core.models import SignInRecord
from core.roles import Role
from core.testing import make_staff

LOGIN_URL = "/accounts/login/"
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def consultant(project):
    return make_staff(Role.CONSULTANT, projects=[project], username="counter-1")


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def sign_in(client, username="counter-1", password=PASSWORD, address="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_sign_in_is_recorded_with_user_and_address(consultant, client):
    response = sign_in(client)

    assert response.status_code == 302
    record = SignInRecord.objects.get()
    assert (record.outcome, record.user, record.username, record.ip_address, record.path) == (
        SignInRecord.Outcome.SIGNED_IN,
        consultant,
        "counter-1",
        "10.0.0.1",
        LOGIN_URL,
    )


def test_a_failed_sign_in_is_recorded_and_signs_nobody_in(consultant, client):
    response = sign_in(client, password="wrong")

    assert response.status_code == 200 and "_auth_user_id" not in client.session
    record = SignInRecord.objects.get()
    assert (record.outcome, record.user, record.username) == (SignInRecord.Outcome.FAILED, None, "counter-1")


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(consultant, client, limit):
    for _ in range(limit - 1):
        sign_in(client, password="wrong")

    assert sign_in(client).status_code == 302
    assert int(client.session["_auth_user_id"]) == consultant.pk


def test_repeated_failures_lock_the_user_name_out_even_with_the_right_password(consultant, client, limit, caplog):
    caplog.set_level(logging.WARNING, logger="core.security")
    answers = [sign_in(client, password="wrong").status_code for _ in range(limit)]
    locked = sign_in(client)

    assert answers[-1] == 429 and locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-ins" in locked.text or "登录失败次数过多" in locked.text
    assert SignInRecord.objects.filter(outcome=SignInRecord.Outcome.LOCKED_OUT, username="counter-1").exists()
    assert not SignInRecord.objects.filter(outcome=SignInRecord.Outcome.SIGNED_IN).exists()
    assert any("locked out" in record.getMessage() for record in caplog.records)


def test_a_lock_out_holds_one_user_name_from_one_address_only(consultant, project, client, limit):
    colleague = make_staff(Role.CONSULTANT, projects=[project], username="counter-2")
    for _ in range(limit):
        sign_in(client, password="wrong")

    assert sign_in(client, username="counter-1", address="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, username=colleague.username).status_code == 302


def test_behind_a_proxy_the_clients_own_address_counts_and_a_forged_one_does_not(
    consultant, project, client, limit, settings
):
    """Behind one proxy every request comes from the proxy's address: a lock-out of one office's client
    must not lock out another's, and a client cannot dodge its own by writing X-Forwarded-For itself."""
    settings.CLIENT_PROXY_COUNT = 1

    def through_proxy(client_ip, password, forged=""):
        forwarded = f"{forged}, {client_ip}" if forged else client_ip
        return client.post(
            LOGIN_URL,
            {"username": "counter-1", "password": password},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for attempt in range(limit):
        through_proxy("203.0.113.7", "wrong", forged=f"198.51.100.{attempt}")

    assert through_proxy("203.0.113.7", PASSWORD, forged="198.51.100.99").status_code in (403, 429)
    assert through_proxy("203.0.113.8", PASSWORD).status_code == 302, "another client behind the same proxy"
    addresses = set(SignInRecord.objects.values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.7", "203.0.113.8"}


# transactional: a refused answer would otherwise roll back the test's own transaction
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_token_sign_in_is_recorded_and_locked_out_too(consultant, limit):
    api = APIClient(REMOTE_ADDR="10.0.0.9")
    url = "/api/v1/auth/token/"
    for _ in range(limit):
        api.post(url, {"username": "counter-1", "password": "wrong"}, format="json")
    refused = api.post(url, {"username": "counter-1", "password": PASSWORD}, format="json")
    elsewhere = APIClient(REMOTE_ADDR="10.0.0.10").post(
        url, {"username": "counter-1", "password": PASSWORD}, format="json"
    )

    assert refused.status_code in (400, 429) and "token" not in refused.json()
    assert elsewhere.status_code == 200
    outcomes = list(SignInRecord.objects.order_by("at", "pk").values_list("outcome", flat=True))
    assert outcomes.count(SignInRecord.Outcome.FAILED) >= limit
    assert outcomes[-1] == SignInRecord.Outcome.SIGNED_IN


def lift_in_the_admin(client, user):
    return client.post(
        "/admin/core/user/", {"action": "lift_sign_in_lock_outs", "_selected_action": [user.pk]}, follow=True
    )


def test_the_administrator_lifts_a_lock_out_in_the_admin_and_the_user_signs_in_at_once(consultant, client, limit):
    from django.test import Client

    for _ in range(limit):
        sign_in(client, password="wrong")
    assert sign_in(client).status_code == 429
    administrator = Client()
    administrator.force_login(make_staff(Role.ADMINISTRATOR, username="it-admin"))

    answer = lift_in_the_admin(administrator, consultant)

    assert "1 of the selected staff may sign in again now" in answer.text or "有 1 人现在可以重新登录" in answer.text
    assert sign_in(client).status_code == 302
    lifted = SignInRecord.objects.get(outcome=SignInRecord.Outcome.LOCK_OUT_LIFTED)
    assert (lifted.user, lifted.username) == (consultant, "counter-1")
    history = administrator.get(f"/admin/core/user/{consultant.pk}/history/").text
    assert "it-admin" in history and ("Sign-in lock-out lifted" in history or "已解除登录锁定" in history)


def test_only_the_administrator_lifts_a_lock_out(consultant, client, limit):
    from django.test import Client

    for _ in range(limit):
        sign_in(client, password="wrong")
    head = Client()
    head.force_login(make_staff(Role.CR_HEAD, username="cr-head"))

    assert lift_in_the_admin(head, consultant).status_code == 403
    assert sign_in(client).status_code == 429
    assert not SignInRecord.objects.filter(outcome=SignInRecord.Outcome.LOCK_OUT_LIFTED).exists()


def test_the_administrator_signs_a_lost_tablets_user_out_of_every_tablet_and_nobody_else(consultant, project):
    from django.test import Client

    from core.testing import api_client

    lost, spare = api_client(consultant), api_client(consultant)
    colleague = api_client(make_staff(Role.CONSULTANT, projects=[project], username="counter-2"))
    assert lost.get("/api/v1/leads/").status_code == 200
    administrator = Client()
    administrator.force_login(make_staff(Role.ADMINISTRATOR, username="it-admin"))

    answer = administrator.post(
        "/admin/core/user/", {"action": "revoke_tablet_tokens", "_selected_action": [consultant.pk]}, follow=True
    )

    assert "2 tablet sign-ins ended" in answer.text or "已结束 2 个平板登录" in answer.text
    assert lost.get("/api/v1/leads/").status_code == 401 and spare.get("/api/v1/leads/").status_code == 401
    assert colleague.get("/api/v1/leads/").status_code == 200
    head = Client()
    head.force_login(make_staff(Role.CR_HEAD, username="cr-head"))
    assert (
        head.post(
            "/admin/core/user/", {"action": "revoke_tablet_tokens", "_selected_action": [consultant.pk]}
        ).status_code
        == 403
    )
