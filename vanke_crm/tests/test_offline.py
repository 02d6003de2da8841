"""The dashboard and the API documentation work in a sales office without internet: nothing is fetched
from outside the application, and every request it makes succeeds (issue 14)."""

from urllib.parse import urlparse

import pytest

from core.browser import sign_in
from core.roles import Role
from core.testing import make_staff


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_load_nothing_from_outside_and_nothing_fails(chromium_page, live_server, project):
    make_staff(Role.CR_HEAD, projects=[project], username="offline-head", is_staff=True)
    page = chromium_page
    ours = urlparse(live_server.url).netloc
    outside, failed = [], []

    def only_ours(route):
        if urlparse(route.request.url).netloc in (ours, ""):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    # a request the browser cancels itself because the page moved on (the icon, say) is not a failure
    page.on(
        "requestfailed",
        lambda request: failed.append(request.url) if request.failure != "net::ERR_ABORTED" else None,
    )
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)

    sign_in(page, live_server.url, "offline-head")
    for path in ("/", "/complaints/report/", "/surveys/", "/api/docs/", "/api/redoc/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")

    assert outside == []
    assert failed == []
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.ok and "svg" in icon.headers["content-type"]
