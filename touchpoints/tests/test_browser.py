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
