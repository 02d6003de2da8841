"""Walking the dashboard as its users: every link leads somewhere its reader may go, every word is Chinese."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from core.models import User
from core.roles import Role
from core.testing import make_staff
from estates.models import Project

LINK = re.compile(r'href="(/[^"#]*)"')
# Not dashboard pages: files, the admin (its own permissions), the API and its documentation, the owner portal.
OUTSIDE = ("/static/", "/media/", "/admin/", "/api/", "/owner/", "/i18n/", "/accounts/", "/favicon")
DEMO_STAFF = [
    "demo-consultant",
    "demo-supervisor",
    "demo-manager",
    "demo-service",
    "demo-area-manager",
    "demo-callcenter",
    "demo-head",
]


def route_of(path: str) -> str:
    """Pages of one route share their permission: one of each is enough to follow."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name


def walk(client: Client, pages: dict | None = None) -> dict[str, tuple[int, str]]:
    """Follows links from the home page, one page per route, and answers each page's status and referrer.

    `pages`, when given, receives each HTML page's text by its address.
    """
    seen: dict[str, tuple[int, str]] = {}
    queue = [("/", "")]
    followed_routes = set()
    while queue:
        path, referrer = queue.pop(0)
        route = route_of(urlsplit(path).path)
        if route in followed_routes:
            continue
        followed_routes.add(route)
        answer = client.get(path)
        seen[path] = (answer.status_code, referrer)
        if answer.status_code != 200 or "text/html" not in answer.get("Content-Type", ""):
            continue
        html = answer.content.decode()
        if pages is not None:
            pages[path] = html
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            if not link.startswith(OUTSIDE) and "format=xlsx" not in link:
                queue.append((link, path))
    return seen


@pytest.mark.django_db
def test_no_page_links_a_user_of_any_role_to_a_page_that_refuses_them(settings):
    settings.SEED_DEMO_ALLOWED = True
    call_command("seed_demo")
    users = list(User.objects.filter(username__in=DEMO_STAFF))
    demo_roles = set().union(*(user.roles for user in users))
    projects = list(Project.objects.all())
    users += [make_staff(role, projects=projects) for role in Role if role not in demo_roles]
    refused = []
    for user in users:
        username = user.username
        client = Client()
        client.force_login(user)
        for path, (status, referrer) in walk(client).items():
            if status == 403:
                refused.append(f"{username}: {referrer} → {path}")
            assert status < 500, f"{username}: {path} answered {status}"

    assert not refused, "\n".join(refused)


# Text that is not a word of the interface: scripts, styles, code and placeholders, text marked English on purpose.
NOT_WORDS = re.compile(
    r'<script.*?</script>|<style.*?</style>|<code>.*?</code>|<[^>]* lang="en"[^>]*>[^<]*<|\{[^}]*\}', re.S
)
TEXT = re.compile(r">([^<>]+)<")
LATIN_WORD = re.compile(r"[A-Za-z_]{3,}")
# Names the Chinese interface keeps as they are, and the demo's agreement numbers (data).
KEPT = {"API", "Excel", "xlsx", "WeChat", "CRM", "DEMO", "CARE"}


@pytest.mark.django_db
def test_every_page_speaks_chinese_with_no_raw_code_or_english_word(settings):
    settings.SEED_DEMO_ALLOWED = True
    call_command("seed_demo")
    found = []
    for username in ("demo-head", "demo-manager", "demo-service", "demo-consultant", "demo-callcenter"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages: dict[str, str] = {}
        walk(client, pages)
        for path, html in pages.items():
            for text in TEXT.findall(NOT_WORDS.sub("<", html)):
                found += [f"{path}: {word}" for word in LATIN_WORD.findall(text) if word not in KEPT]

    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.CUSTOMER_SERVICE, False), (Role.CALL_CENTER, False), (Role.AREA_MANAGER, True), (Role.CR_HEAD, True)],
)
def test_the_quality_handbook_link_is_shown_to_those_who_may_open_it(staff, client, role, shown):
    client.force_login(staff[role])

    page = client.get("/complaints/defects/").content.decode()

    assert ('href="/complaints/handbook/"' in page) is shown
    assert (client.get("/complaints/handbook/").status_code == 200) is shown


@pytest.mark.parametrize(("role", "shown"), [(Role.SALES_MANAGER, False), (Role.CR_HEAD, True)])
def test_the_monthly_report_link_on_the_home_page_is_shown_to_those_who_may_open_it(staff, client, role, shown):
    client.force_login(staff[role])

    page = client.get("/").content.decode()

    assert ('href="/complaints/report/"' in page) is shown
