"""Every figure on the home page counts the list it links to (issue 14 item 9): for every demo user, each
card's number equals the number of rows its link shows to the same user, and the card says what it counts."""

import re

import pytest
from django.core.management import call_command

from core.models import User

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r'<a class="[^"]*" href="(?P<url>[^"]+)" data-figure="(?P<value>\d+)">')


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def figures_on_home(client, user):
    client.force_login(user)
    home = client.get("/").content.decode()
    return [(match["url"].replace("&amp;", "&"), int(match["value"])) for match in FIGURE.finditer(home)]


def test_each_home_figure_is_the_count_of_the_list_it_links_to(demo, client):
    counted = 0
    for user in User.objects.filter(is_active=True).exclude(username__startswith="demo-owner").order_by("username"):
        for url, value in figures_on_home(client, user):
            listing = client.get(url)
            assert listing.status_code == 200, (user.username, url)
            assert listing.context["paginator"].count == value, (user.username, url)
            counted += value
    assert counted, "the demo gives the figures something to count"


def test_each_figure_says_its_period_and_population(demo, client):
    client.force_login(User.objects.get(username="demo-head"))
    home = client.get("/").content.decode()
    assert "本月投诉" in home and "至今受理 · 您的项目" in home
    assert "时限截止于" in home and "未取消" in home
    assert 'href="/complaints/all/?open=true&amp;breached=true"' in home, "the deadline card can be clicked"
