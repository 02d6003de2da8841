"""A person signs in through the real login page in Chromium and lands on the home page."""

import pytest

from core.browser import sign_in
from core.roles import Role
from core.testing import make_staff


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signing_in_through_the_login_page_shows_the_home_page(chromium_page, live_server, project):
    make_staff(Role.CONSULTANT, projects=[project], username="browser-user", display_name="陈顾问")
    page = chromium_page

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "browser-user")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button.btn-primary")

    page.wait_for_url(f"{live_server.url}/")
    assert "陈顾问，您好" in page.text_content("h1")
    assert page.is_visible("text=我的项目")
    assert project.name in page.text_content("body")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_wrong_password_keeps_the_user_on_the_login_page(chromium_page, live_server):
    make_staff(Role.CONSULTANT, username="browser-user-2")
    page = chromium_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "browser-user-2")
    page.fill("input[name=password]", "wrong")
    page.click("button.btn-primary")

    assert "/accounts/login/" in page.url
    assert page.is_visible(".message-error")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("role", "panel"), [(Role.CONSULTANT, "今日回访"), (Role.CR_HEAD, "满意度与忠诚度月度趋势")])
def test_each_role_lands_on_its_own_home(chromium_page, live_server, project, role, panel):
    """A consultant opens on the day's follow-ups; the customer-relations head on the figures and the trend chart."""
    make_staff(role, projects=[project], username=f"home-{role.value}")
    page = chromium_page
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )

    sign_in(page, live_server.url, f"home-{role.value}")

    assert page.is_visible(f"h2:has-text('{panel}')")
    if role == Role.CR_HEAD:
        assert page.locator(".chart img.chart-image").count() == 1
    else:
        assert page.locator(".chart img.chart-image").count() == 0
    assert refused == [], "the page breaks its Content-Security-Policy"
