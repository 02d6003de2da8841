"""A consultant works through "my day" in a real Chromium: opens a due lead and records a follow-up."""

import pytest
from django.utils import timezone

from core.roles import Role
from core.testing import make_staff
from members.models import FollowUp

from .factories import LeadFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_consultant_records_a_follow_up_from_my_day(chromium_page, live_server, project):
    consultant = make_staff(Role.CONSULTANT, projects=[project], username="browser-consultant")
    lead = LeadFactory(
        customer__project=project,
        customer__name="浏览器客户",
        consultant=consultant,
        grade="B",
        next_follow_up_on=timezone.localdate(),
    )
    page = chromium_page
    page.goto(f"{live_server.url}/accounts/login/?next=/members/my-day/")
    page.fill("input[name=username]", "browser-consultant")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button.btn-primary")
    page.wait_for_url(f"{live_server.url}/members/my-day/")

    page.click("text=浏览器客户")
    page.wait_for_url(f"{live_server.url}/members/leads/{lead.pk}/")
    page.select_option("select[name=method]", "call")
    page.fill("textarea[name=content]", "电话沟通首付方案")
    page.click("form[action$='/follow-up/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/members/leads/{lead.pk}/")

    assert page.is_visible("text=电话沟通首付方案")
    assert FollowUp.objects.get().content == "电话沟通首付方案"
