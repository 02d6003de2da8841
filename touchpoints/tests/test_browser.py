"""The 6+2 plan page as customer service uses it at a desk (1366 px) and on a tablet (1024 px), in Chromium."""

import pytest

from core.browser import sign_in
from core.roles import Role
from core.testing import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.rule("J3")
@pytest.mark.parametrize("width", [1366, 1024])
def test_the_plan_reads_as_steps_of_actions_and_records_an_execution_in_the_row(
    chromium_page, live_server, project, width
):
    from touchpoints.models import Execution, ProjectAction

    make_staff(Role.CUSTOMER_SERVICE, projects=[project], username=f"planner-{width}")
    page = chromium_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, f"planner-{width}")
    page.goto(f"{live_server.url}/touchpoints/plan/?project={project.pk}")

    assert page.locator("section.plan-step h2").count() == 8, "one group per step: six steps and +1, +2"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing spills out sideways"
    names = page.locator(".plan-action-name")
    for index in range(names.count()):
        box = names.nth(index).bounding_box()
        assert box["width"] >= 150, "an action's name reads across, not one character a line"
    for card in page.locator("section.plan-step").all():
        card_box = card.bounding_box()
        for row in card.locator(".plan-row").all():
            row_box = row.bounding_box()
            assert row_box["x"] + row_box["width"] <= card_box["x"] + card_box["width"] + 1, "rows stay in their card"

    planned = ProjectAction.objects.get(project=project, action__code="sunshine_declaration")
    row = page.locator(f"#plan-{planned.pk}")
    row.locator("summary").click()
    row.locator("input[name=executed_on]").fill("2026-03-01")
    row.locator("input[name=notes]").fill("已执行")
    with page.expect_navigation():
        row.locator("form.form-grid button[type=submit]").click()
    assert page.is_visible(".message-success")
    assert Execution.objects.get(planned_action=planned).notes == "已执行"


@pytest.mark.rule("J15")
def test_a_round_closes_from_a_phone_its_form_inside_its_card(chromium_page, live_server, project, buy, frozen):
    import datetime

    from touchpoints.models import VisitRound
    from touchpoints.schedule import run_daily_scan

    buy(delivered_on=datetime.date(2026, 1, 5), moved_in_on=datetime.date(2026, 1, 10))
    with frozen(datetime.date(2026, 4, 10)):
        run_daily_scan()
    visit_round = VisitRound.objects.get(project=project)
    make_staff(Role.CUSTOMER_SERVICE, projects=[project], username="round-closer")
    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "round-closer")
    page.goto(f"{live_server.url}/touchpoints/visit-rounds/{visit_round.pk}/")

    form = page.locator("form.form-grid", has=page.locator("textarea[name=summary]"))
    card = form.locator("xpath=ancestor::section[contains(@class, 'card')]").bounding_box()
    for field in form.locator("textarea, input:not([type=hidden]), select, button").all():
        box = field.bounding_box()
        assert box["x"] + box["width"] <= card["x"] + card["width"] + 1, "the form's fields stay in their card"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing spills out sideways"
