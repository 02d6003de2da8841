"""Staff sessions: read from the shared cache where there is one, and ended everywhere by signing out."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from core.testing import make_staff


def test_a_signed_in_page_reads_its_session_from_the_shared_cache_and_signing_out_ends_it(project, settings):
    if not settings.REDIS_URL:
        assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
        pytest.skip("needs REDIS_URL: sessions are kept in the cache only when every process shares it")
    make_staff(Role.CUSTOMER_SERVICE, projects=[project], username="service")
    browser = Client()
    signed_in = browser.post("/accounts/login/", {"username": "service", "password": "pw-for-tests-1"})
    assert signed_in.status_code == 302

    with CaptureQueriesContext(connection) as statements:
        assert browser.get("/complaints/all/").status_code == 200
    assert not [query for query in statements.captured_queries if "django_session" in query["sql"]]

    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    browser.post("/accounts/logout/")
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert thief.get("/complaints/all/").status_code == 302, "the session ended with the sign-out"
