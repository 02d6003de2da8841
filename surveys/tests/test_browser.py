"""The public survey page in a real Chromium, on a phone-sized screen: answer, submit, a second submit refused."""

import pytest

from members.tests.factories import CustomerFactory, PurchaseFactory
from surveys import services
from surveys.models import Invitation, Response

from .factories import standard_questionnaire


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_customer_answers_on_the_phone_once(chromium_page, live_server, project):
    questionnaire = standard_questionnaire(title="交付满意度调查")
    PurchaseFactory(customer=CustomerFactory(project=project, name="王女士"))
    campaign = services.create_campaign(
        name="交付回访", questionnaire=questionnaire, project=project, by_call=True, actor=None
    )
    services.send_campaign(campaign=campaign, base_url=live_server.url, actor=None)
    token = services.issue_link(invitation=Invitation.objects.get())
    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/surveys/s/{token}/")
    # The same link opened in a second tab before the first submit: its form is still on screen.
    second_tab = page.context.new_page()
    second_tab.goto(f"{live_server.url}/surveys/s/{token}/")
    assert "交付满意度调查" in page.text_content("h1")
    assert "王女士" in page.text_content("body")
    page.check("input[name=overall][value='4']")
    page.check("input[name=service][value='5']")
    page.check("input[name=buy_again][value='yes']")
    page.check("input[name=recommend][value='yes']")
    page.check("input[name=channel][value='网络']")
    page.fill("textarea[name=comment]", "物业很贴心")
    page.click("#submit-survey")

    page.wait_for_selector("#survey-status")
    assert "感谢" in page.text_content("#survey-status")
    response = Response.objects.get()
    assert (response.overall_score, response.would_buy_again, response.source) == (4, True, "web")

    second_tab.check("input[name=overall][value='1']")
    second_tab.click("#submit-survey")

    second_tab.wait_for_selector("#survey-status")
    assert "已经提交" in second_tab.text_content("#survey-status")
    page.goto(f"{live_server.url}/surveys/s/{token}/")
    assert "已经提交" in page.text_content("#survey-status") and not page.is_visible("#submit-survey")
    assert Response.objects.count() == 1 and Response.objects.get().overall_score == 4
