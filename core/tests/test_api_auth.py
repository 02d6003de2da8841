"""Token sign-in for tablets: hashed, expiring, one per device, revocable."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.roles import Role
from core.testing import make_staff

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def consultant(project):
    return make_staff(Role.CONSULTANT, projects=[project], username="tablet-user")


def sign_in(username="tablet-user", password="pw-for-tests-1"):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_sign_in_returns_a_token_that_authenticates(consultant):
    response = sign_in()

    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/projects/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(consultant):
    response = sign_in(password="wrong")

    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_tokens_are_stored_hashed_and_each_device_gets_its_own(consultant):
    first, second = sign_in().json()["token"], sign_in().json()["token"]

    assert first != second
    stored = set(AuthToken.objects.filter(user=consultant).values_list("digest", flat=True))
    assert len(stored) == 2 and first not in stored and second not in stored


def test_signing_out_revokes_only_that_device(consultant):
    phone, tablet = sign_in().json()["token"], sign_in().json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {phone}")

    assert client.post("/api/v1/auth/logout/").status_code == 204

    assert client.get("/api/v1/projects/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {tablet}")
    assert client.get("/api/v1/projects/").status_code == 200


def test_an_expired_token_no_longer_works(consultant, settings):
    token = sign_in().json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=31), tick=False):
        assert client.get("/api/v1/projects/").status_code == 401


def test_a_token_in_use_is_renewed_and_works_past_its_first_expiry(consultant):
    token = sign_in().json()["token"]
    first_expiry = AuthToken.objects.get(user=consultant).expiry
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=20), tick=False):
        assert client.get("/api/v1/projects/").status_code == 200
    renewed = AuthToken.objects.get(user=consultant).expiry
    assert renewed > first_expiry + datetime.timedelta(days=19)
    with time_machine.travel(first_expiry + datetime.timedelta(days=1), tick=False):
        assert client.get("/api/v1/projects/").status_code == 200


def test_a_request_reads_its_own_token_only(consultant):
    """Another device's expired token is the daily purge's to delete, not every request's to read."""
    other_device, _ = AuthToken.objects.create(consultant, expiry=datetime.timedelta(hours=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {sign_in().json()['token']}")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/projects/").status_code == 200
        assert AuthToken.objects.filter(pk=other_device.pk).exists()
    token_reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "knox" in q["sql"]]
    assert len(token_reads) == 1


def test_anonymous_calls_are_refused(db):
    assert APIClient().get("/api/v1/customers/").status_code == 401


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("prepared", [True, False])
def test_the_token_check_is_planned_once_per_connection_unless_turned_off(consultant, prepared):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (core.db.postgresql)")
    connection.close()  # a connection opened with the setting under test
    connection.settings_dict["PREPARED_STATEMENTS"] = prepared
    try:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {sign_in().json()['token']}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/projects/").status_code == 200
            assert client.get("/api/v1/projects/").status_code == 200
        token_checks = [statement for statement in prepared_statements() if "knox_authtoken" in statement]
    finally:
        connection.settings_dict["PREPARED_STATEMENTS"] = True
    assert len(token_checks) == (1 if prepared else 0)
    # Prepared or not, the check is one of the request's statements, as Django counts them.
    assert sum("knox_authtoken" in query["sql"] for query in queries.captured_queries) == 2
