"""An owner on a 390-px phone in Chromium: signs in with the code from the outbox, reports a repair with a
photo, customer service sees it in the repair queue and takes it to completion, and the owner rates it."""

import pytest

from complaints.models import OwnerRating, RepairOrder
from core.browser import sign_in
from core.roles import Role

from .conftest import image_file, last_code


@pytest.fixture
def phone_page(live_server, monkeypatch):
    from core.browser import chromium_page, chromium_path

    if chromium_path() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests need it.")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as page:
        page.set_default_timeout(20_000)
        yield page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_owner_reports_a_repair_with_a_photo_on_a_phone(
    phone_page, live_server, owner_customer, owner_unit, component, staff, tmp_path
):
    page = phone_page
    photo = tmp_path / "leak.jpg"
    photo.write_bytes(image_file().read())

    page.goto(f"{live_server.url}/owner/")
    page.wait_for_url(f"{live_server.url}/owner/sign-in/")
    page.fill("input[name=mobile]", "13912345678")
    page.click("#send-code")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", last_code(owner_customer.mobile))
    page.click("#sign-in")
    page.wait_for_url(f"{live_server.url}/owner/")
    assert str(owner_unit) in page.text_content(".unit h2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    page.click(f"a[href='/owner/repairs/new/?unit={owner_unit.pk}']")
    page.select_option("select[name=component_type]", str(component.pk))
    page.fill("textarea[name=description]", "卫生间地漏返水，有异味")
    page.check("input[value=weekend_morning]")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("#repair-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/owner/repairs/*/")
    order = RepairOrder.objects.get()
    assert page.is_visible(".photos img")
    assert page.text_content("#public-status").strip() == "已受理"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    sign_in(page, live_server.url, staff[Role.CUSTOMER_SERVICE].username)
    page.goto(f"{live_server.url}/complaints/repairs/")
    assert page.is_visible(f"a[href='/complaints/repairs/{order.pk}/']")
    page.goto(f"{live_server.url}/complaints/all/?channel=owner_portal")
    assert order.complaint.title in page.text_content("main")
    page.goto(f"{live_server.url}/complaints/repairs/{order.pk}/")
    assert page.is_visible(f"img[src='/complaints/repairs/{order.pk}/photos/{order.photos.get().pk}/']")

    service = staff[Role.CUSTOMER_SERVICE]

    def pick_the_assignee():
        page.fill("#id_assign-assignee-search", service.username)
        page.wait_for_selector(f"#action-assign select option[value='{service.pk}']", state="attached")
        page.select_option("#action-assign select[name=assign-assignee]", str(service.pk))

    steps = [
        ("assign", pick_the_assignee),
        ("start", None),
        ("complete", lambda: page.fill("#action-complete textarea[name=complete-work_done]", "更换地漏并做闭水试验")),
    ]
    for slug, fill_in in steps:
        page.click(f"#action-{slug} summary")
        if fill_in:
            fill_in()
        with page.expect_navigation():
            page.click(f"#action-{slug} button[type=submit]")
    order.refresh_from_db()
    assert order.state == "completed"

    page.goto(f"{live_server.url}/owner/repairs/{order.pk}/")
    page.select_option("#rate select[name=score]", "5")
    page.fill("#rate textarea[name=comment]", "师傅很专业")
    with page.expect_navigation():
        page.click("#rate button[type=submit]")
    rating = OwnerRating.objects.get()
    assert (rating.score, rating.comment) == (5, "师傅很专业")
    assert not page.is_visible("#rate")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
