import pytest

from core.roles import Role
from core.testing import make_staff
from members.policies import CUSTOMERS
from members.tests.factories import CustomerFactory


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_a_home_page_with_the_navigation_it_may_use(project, staff, client, role):
    client.force_login(staff[role])

    page = client.get("/")

    assert page.status_code == 200
    links = {item["url"] for item in page.context["nav_items"]}
    assert "/estates/projects/" in links
    assert ("/members/customers/" in links) is CUSTOMERS.can_read(staff[role])


def test_the_menu_follows_a_change_of_roles_and_of_language(project, client):
    """The menu is gathered once per set of roles and language: a user given a new role sees its entries on the
    next page, and the menu speaks the language chosen."""
    from core.services import set_roles
    from onboarding.policies import ONBOARDING

    user = make_staff(Role.CONSULTANT, projects=[project])
    client.force_login(user)

    as_consultant = client.get("/").context["nav_items"]
    set_roles(user=user, roles={Role.SALES_MANAGER})
    as_manager = client.get("/").context["nav_items"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    in_english = client.get("/").context["nav_items"]

    assert not ONBOARDING.can_read(make_staff(Role.CONSULTANT)) and ONBOARDING.can_read(make_staff(Role.SALES_MANAGER))
    assert "/onboarding/" not in {item["url"] for item in as_consultant}
    assert "/onboarding/" in {item["url"] for item in as_manager}
    assert as_manager[0]["label"] == "首页" and in_english[0]["label"] == "Home"
    assert [item["url"] for item in in_english] == [item["url"] for item in as_manager]
    assert [item["active"] for item in in_english].count(True) == 1


def test_home_counts_only_the_users_customers(project, other_project, staff, client):
    CustomerFactory.create_batch(3, project=project)
    CustomerFactory.create_batch(2, project=other_project)
    client.force_login(staff[Role.CUSTOMER_SERVICE])

    figures = {figure.label: figure.value for figure in client.get("/").context["customer_figures"]}
    assert figures["客户"] == 3


def test_a_user_without_roles_sees_no_customer_figures(project, client):
    client.force_login(make_staff(projects=[project]))

    page = client.get("/")

    assert page.context["customer_figures"] == []
    assert [item["url"] for item in page.context["nav_items"]] == ["/"]


def test_the_dashboard_is_chinese_unless_english_is_chosen(project, staff, client):
    client.force_login(staff[Role.CONSULTANT])

    assert 'lang="zh-hans"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").text


def test_the_health_check_reports_database_and_cache(db, client):
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.json() == {"database": True, "cache": True}


# The home page by role: each role finds its own work first.

import datetime  # noqa: E402

import time_machine  # noqa: E402
from django.utils import timezone  # noqa: E402

from complaints import services as complaint_services  # noqa: E402
from complaints.choices import Channel  # noqa: E402
from core.testing import count_queries  # noqa: E402
from members.tests.factories import LeadFactory, PurchaseFactory  # noqa: E402
from touchpoints.schedule import run_daily_scan  # noqa: E402

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def busy_project(project, staff):
    """Leads due and overdue, a complaint, and the care tasks of a fresh move-in."""
    consultant = staff[Role.CONSULTANT]
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 0), tick=False):
        LeadFactory(
            customer=CustomerFactory(project=project, consultant=consultant, name="到期客户"), next_follow_up_on=TODAY
        )
        LeadFactory(
            customer=CustomerFactory(project=project, consultant=consultant, name="逾期客户"),
            next_follow_up_on=TODAY - datetime.timedelta(days=3),
        )
        colleague = make_staff(Role.CONSULTANT, projects=[project])
        LeadFactory(
            customer=CustomerFactory(project=project, consultant=colleague, name="同事客户"), next_follow_up_on=TODAY
        )
        complaint_services.receive_complaint(
            actor=staff[Role.CUSTOMER_SERVICE],
            project=project,
            channel=Channel.HOTLINE,
            title="厨房漏水",
            content="天花板渗水",
        )
        PurchaseFactory(
            customer=CustomerFactory(project=project),
            signed_on=TODAY - datetime.timedelta(days=20),
            delivered_on=TODAY - datetime.timedelta(days=2),
            moved_in_on=TODAY - datetime.timedelta(days=1),
        )
        run_daily_scan(today=TODAY)
    return project


def home_of(client, user):
    client.force_login(user)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0), tick=False):
        return client.get("/")


def test_a_consultant_starts_with_their_own_follow_ups(busy_project, staff, client):
    page = home_of(client, staff[Role.CONSULTANT])

    day = page.context["sales_day"]
    assert (day["due_count"], day["overdue_count"]) == (1, 1)
    assert "逾期客户" in page.text and "同事客户" not in page.text
    assert page.context["head_figures"] is None and page.context["team"] is None


def test_a_supervisor_sees_the_team_by_consultant_and_grade(busy_project, staff, client):
    page = home_of(client, staff[Role.SALES_SUPERVISOR])

    rows = page.context["team"]["rows"]
    assert [(row["total"], row["overdue"]) for row in rows] == [(2, 1)]  # the colleague is not in the team


def test_customer_service_sees_care_tasks_and_complaints_not_leads(busy_project, staff, client):
    page = home_of(client, staff[Role.CUSTOMER_SERVICE])

    assert page.context["sales_day"] is None
    complaints = {figure.label: figure.value for figure in page.context["complaint_queue"]["figures"]}
    care = {figure.label: figure.value for figure in page.context["care_queue"]["figures"]}
    assert complaints["未结案"] == 1
    assert care["当前到期"] + care["已逾期"] >= 1


def test_the_customer_relations_head_sees_the_figures(busy_project, staff, client):
    page = home_of(client, staff[Role.CR_HEAD])

    figures = page.context["head_figures"]
    assert figures["complaints"]["count"] == 1
    assert [row["project"] for row in figures["scorecards"]] == [busy_project]
    assert figures["surveys"]["overall"]["satisfaction"] is None  # no answers yet: shown as —, not 0 %
    assert "data:image/svg+xml;base64," in page.text and "style=" not in page.text  # the chart as an image (CSP)


def test_the_heads_figures_are_kept_a_while_with_the_time_they_were_counted(busy_project, staff, client, settings):
    """The company-wide figures are the home's dearest: kept for HOME_FIGURES_SECONDS, shown with when they were
    counted, and counted again on asking."""
    settings.HOME_FIGURES_SECONDS = 300
    head = staff[Role.CR_HEAD]
    client.force_login(head)

    def complaints_this_month(query=""):
        with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 3), tick=False):  # within the 5 minutes
            page = client.get(f"/{query}")
        return page, page.context["head_figures"]["complaints_this_month"].value

    first = home_of(client, head)
    counted, counted_at = (first.context["head_figures"][key] for key in ("complaints_this_month", "counted_at"))
    assert f"{timezone.localtime(counted_at):%H:%M}" in first.text  # when they were counted, shown
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 1), tick=False):
        complaint_services.receive_complaint(
            actor=staff[Role.CUSTOMER_SERVICE],
            project=busy_project,
            channel=Channel.HOTLINE,
            title="噪音",
            content="夜间施工",
        )

    kept, value = complaints_this_month()
    assert value == counted.value and kept.context["head_figures"]["counted_at"] == counted_at
    fresh, value = complaints_this_month("?fresh=1")
    assert value == counted.value + 1 and fresh.context["head_figures"]["counted_at"] > counted_at


def test_the_home_page_query_count_does_not_grow_with_the_data(busy_project, staff, client):
    head = staff[Role.CR_HEAD]
    home_of(client, head)  # the first request warms per-process caches
    few = count_queries(lambda: home_of(client, head))
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 0), tick=False):
        for index in range(5):
            complaint_services.receive_complaint(
                actor=staff[Role.CUSTOMER_SERVICE],
                project=busy_project,
                channel=Channel.HOTLINE,
                title=f"投诉{index}",
                content="x",
            )
            LeadFactory(customer=CustomerFactory(project=busy_project, consultant=staff[Role.CONSULTANT]))
    assert count_queries(lambda: home_of(client, head)) == few


def test_a_company_of_many_projects_shows_the_first_ten_and_links_to_the_rest(busy_project, staff, client):
    from estates.tests.factories import ProjectFactory
    from vanke_crm.home import HOME_PROJECTS

    head = staff[Role.CR_HEAD]
    home_of(client, head)
    few = count_queries(lambda: home_of(client, head))
    for index in range(HOME_PROJECTS + 2):
        ProjectFactory(company=busy_project.company, name=f"项目{index:02d}").staff.add(head)

    page = home_of(client, head)

    shown = [row["project"].name for row in page.context["head_figures"]["scorecards"]]
    assert len(shown) == HOME_PROJECTS and shown == sorted(shown)
    assert len(page.context["projects"]) == HOME_PROJECTS
    assert page.context["project_total"] == page.context["head_figures"]["scorecard_projects"] >= HOME_PROJECTS + 2
    assert f"前 {HOME_PROJECTS} 个" in page.text
    assert count_queries(lambda: home_of(client, head)) <= few + 2  # the two counts; not a query per project


def test_my_projects_show_their_units_and_the_share_sold(project, other_project, staff, client):
    from estates.tests.factories import BuildingFactory, UnitFactory

    building = BuildingFactory(project=project)
    for status in ("available", "signed", "delivered"):
        UnitFactory(building=building, project=project, status=status)
    UnitFactory(building=BuildingFactory(project=other_project), project=other_project, status="signed")

    rows = {row["project"].pk: row for row in home_of(client, staff[Role.CR_HEAD]).context["projects"]}

    assert (rows[project.pk]["project"].unit_count, rows[project.pk]["project"].sold_count) == (3, 2)
    assert rows[project.pk]["sold_share"] == 67
    assert (rows[other_project.pk]["project"].unit_count, rows[other_project.pk]["sold_share"]) == (1, 100)
