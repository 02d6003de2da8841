"""Customer service takes a phone complaint in Chromium, is warned of a duplicate, and analyses it."""

import pytest

from core.browser import sign_in
from core.roles import Role

from ..models import Complaint


@pytest.mark.browser
@pytest.mark.rule("C1")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_phone_complaint_is_taken_in_and_moved_on_in_the_browser(
    chromium_page, live_server, staff, project, unit, customer, receive
):
    existing = receive()
    page = chromium_page
    sign_in(page, live_server.url, staff[Role.CUSTOMER_SERVICE].username)

    page.goto(f"{live_server.url}/complaints/all/new/")
    page.select_option("select[name=project]", str(project.pk))
    page.select_option("select[name=channel]", "hotline")
    page.fill("#id_customer-search", str(customer.mobile)[-4:])
    page.wait_for_selector(f"select[name=customer] option[value='{customer.pk}']", state="attached")
    page.select_option("select[name=customer]", str(customer.pk))
    page.fill("#id_unit-search", unit.number)
    page.wait_for_selector(f"select[name=unit] option[value='{unit.pk}']", state="attached")
    page.select_option("select[name=unit]", str(unit.pk))
    page.fill("input[name=title]", "卫生间漏水")
    page.fill("textarea[name=content]", "楼上渗水到卫生间")
    page.click("form.form-grid button.btn-primary")

    assert page.is_visible("#duplicates")
    assert f"#{existing.pk}" in page.text_content("#duplicates")
    page.click("form.form-grid button.btn-primary")  # save anyway
    page.wait_for_url(f"{live_server.url}/complaints/all/*/")
    created = Complaint.objects.latest("pk")
    assert created.title == "卫生间漏水"

    page.click("summary:has-text('分析并判定有效性')")
    page.select_option("select[name=analyse-validity]", "valid")
    page.click("button[value=analyse]")
    page.wait_for_selector(".message-success")
    created.refresh_from_db()
    assert created.state == "analysed"
    assert "已分析" in page.text_content("h1")
