"""The dashboard where the staff are: a phone on the sales floor, a tablet, a desk (Chromium)."""

import re

import pytest

from core.browser import sign_in
from core.roles import Role
from core.testing import make_staff
from members.tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_on_a_phone_the_menu_folds_and_the_search_box_finds_a_customer(chromium_page, live_server, project):
    make_staff(Role.CONSULTANT, projects=[project], username="floor")
    agent = make_staff(Role.CALL_CENTER, projects=[project], username="agent")
    CustomerFactory(project=project, name="张三丰", mobile="+8613912345678", consultant=agent)
    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "agent")

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
    sign_in(page, live_server.url, f"desk-{width}")

    assert page.is_visible("nav[aria-label] a.nav-link")
    assert not page.is_visible("label.nav-toggle-label")
    assert page.is_visible(".topbar-search input[name=q]")


@pytest.fixture
def intake(chromium_page, live_server, project):
    """Customer service on the complaint intake form; 张三丰 (…5678) bought 3栋 1502, and 1501 is unsold."""
    from estates.tests.factories import BuildingFactory, UnitFactory
    from members.tests.factories import PurchaseFactory

    make_staff(Role.CUSTOMER_SERVICE, projects=[project], username="desk")
    zhang = CustomerFactory(project=project, name="张三丰", mobile="+8613912345678")
    CustomerFactory(project=project, name="张三", mobile="+8613900001111")
    unit = UnitFactory(building=BuildingFactory(project=project, name="3栋"), number="1502")
    UnitFactory(building=unit.building, number="1501")
    PurchaseFactory(customer=zhang, unit=unit)
    sign_in(chromium_page, live_server.url, "desk")
    chromium_page.goto(f"{live_server.url}/complaints/all/new/")
    return chromium_page, zhang, unit


def test_complaint_intake_finds_the_caller_by_the_last_four_digits_and_offers_their_units(intake, project):
    from complaints.models import Complaint

    page, zhang, unit = intake
    page.select_option("select[name=project]", str(project.pk))
    page.fill("#id_customer-search", "5678")
    page.wait_for_selector(f"select[name=customer] option[value='{zhang.pk}']", state="attached")
    assert page.locator("select[name=customer] option").all_inner_texts() == [
        "—",
        "张三丰 · 13912345678 · " + project.name,
    ]
    page.select_option("select[name=customer]", str(zhang.pk))
    page.wait_for_selector(f"select[name=unit] option[value='{unit.pk}']", state="attached")
    assert page.locator("select[name=unit] option").count() == 2, "only the customer's own unit is offered"
    page.select_option("select[name=unit]", str(unit.pk))
    page.fill("input[name=title]", "外墙渗水")
    page.fill("textarea[name=content]", "雨后外墙渗水")
    page.click("main button.btn-primary[type=submit]")
    page.wait_for_url(re.compile(r".*/complaints/all/\d+/$"))

    complaint = Complaint.objects.get()
    assert (complaint.customer_id, complaint.unit_id) == (zhang.pk, unit.pk)


def test_a_head_of_many_projects_finds_one_by_typing_in_the_complaint_boards_filter(
    chromium_page, live_server, project
):
    from core.widgets import FewOrPicker
    from estates.tests.factories import ProjectFactory

    make_staff(Role.CR_HEAD, username="head")
    ProjectFactory.create_batch(FewOrPicker.few, company=project.company)
    wanted = ProjectFactory(company=project.company, name="翡翠滨江", city="杭州")
    page = chromium_page
    sign_in(page, live_server.url, "head")
    page.goto(f"{live_server.url}/complaints/all/")

    page.fill("#id_project-search", "翡翠")
    page.wait_for_selector(f"select[name=project] option[value='{wanted.pk}']", state="attached")
    assert page.locator("select[name=project] option").all_inner_texts() == ["—", "翡翠滨江 · 杭州"]
    page.evaluate("window.refreshed = 0; addEventListener('picker:offered', () => window.refreshed++)")
    page.select_option("select[name=project]", str(wanted.pk))
    submit = page.locator("form.filters button[type=submit]")
    chosen_at = submit.bounding_box()
    page.wait_for_function("() => window.refreshed >= 2")  # the customer and unit pickers, narrowed by the project
    assert submit.bounding_box() == chosen_at, "the filter button stays where it was when the project was chosen"
    submit.click()
    page.wait_for_url(re.compile(rf".*project={wanted.pk}.*"))
    assert page.locator(f"select[name=project] option[value='{wanted.pk}']").get_attribute("selected") is not None


def test_a_search_still_on_its_way_when_the_user_chooses_does_not_open_the_list_again(intake, project):
    page, zhang, unit = intake
    page.select_option("select[name=project]", str(project.pk))
    page.fill("#id_customer-search", "5678")
    page.wait_for_selector(f"select[name=customer] option[value='{zhang.pk}']", state="attached")
    page.select_option("select[name=customer]", str(zhang.pk))
    page.wait_for_selector(f"select[name=unit] option[value='{unit.pk}']", state="attached")  # the buyer's unit

    typed = re.compile(r".*/pick/unit/\?q=15&.*")
    held = []
    page.route(typed, lambda route: held.append(route))
    with page.expect_request(typed):
        page.fill("#id_unit-search", "15")  # 1501 and 1502: a search the server has not answered yet
    page.select_option("select[name=unit]", str(unit.pk))  # chosen from what was already offered
    page.evaluate(
        "() => { window.offered = []; document.querySelector('select[name=unit]')"
        ".addEventListener('picker:offered', (event) => window.offered.push(event.target.options.length)) }"
    )
    held[0].continue_()  # the late answer arrives
    page.unroute(typed)
    page.fill("#id_unit-search", "1502")  # a new search, asked after the late answer (the pickers ask in turn)
    page.wait_for_function("() => window.offered.at(-1) === 2")  # —, 1502: the new search answered

    assert page.evaluate("() => window.offered") == [2], "the late answer (—, 1502, 1501) was dropped"
