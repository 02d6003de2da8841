"""The dashboard where the staff are: a phone on the sales floor, a tablet, a desk (Chromium)."""

import pytest

from core.roles import Role
from core.testing import make_staff
from members.tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button.btn-primary")
    page.wait_for_url(f"{live_server.url}/")


def test_on_a_phone_the_menu_folds_and_the_search_box_finds_a_customer(chromium_page, live_server, project):
    make_staff(Role.CONSULTANT, projects=[project], username="floor")
    agent = make_staff(Role.CALL_CENTER, projects=[project], username="agent")
    CustomerFactory(project=project, name="张三丰", mobile="+8613912345678", consultant=agent)
    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "agent")

    assert not page.is_visible("nav[aria-label] a.nav-link")
    assert page.locator("main.content").bounding_box()["y"] < 300, "the content starts on the first screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing spills sideways"
    page.click("label.nav-toggle-label")
    assert page.is_visible("nav[aria-label] a.nav-link")

    page.fill(".topbar-search input[name=q]", "5678")
    page.press(".topbar-search input[name=q]", "Enter")
    page.wait_for_url("**/lookup/?q=5678")
    assert page.is_visible("text=张三丰")


@pytest.mark.parametrize("width", [1024, 1366])
def test_on_a_tablet_or_desk_the_navigation_stays_open(chromium_page, live_server, project, width):
    make_staff(Role.CUSTOMER_SERVICE, projects=[project], username=f"desk-{width}")
    page = chromium_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, f"desk-{width}")

    assert page.is_visible("nav[aria-label] a.nav-link")
    assert not page.is_visible("label.nav-toggle-label")
    assert page.is_visible(".topbar-search input[name=q]")
