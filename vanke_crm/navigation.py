"""The dashboard's navigation, gathered from every app in the order of the journey."""

from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from complaints import navigation as complaints_navigation
from core.navigation import NavItem
from estates import navigation as estates_navigation
from lookup import navigation as lookup_navigation
from members import navigation as members_navigation
from onboarding import navigation as onboarding_navigation
from surveys import navigation as surveys_navigation
from touchpoints import navigation as touchpoints_navigation

ITEMS = [
    NavItem(_("Home"), "home"),
    *members_navigation.ITEMS,
    *touchpoints_navigation.ITEMS,
    *complaints_navigation.ITEMS,
    *lookup_navigation.ITEMS,
    *surveys_navigation.ITEMS,
    *estates_navigation.ITEMS,
    *onboarding_navigation.ITEMS,
]


@cache
def _url(url_name: str, script_prefix: str) -> str:
    """An entry's address, the same on every page under the same prefix: reversed once, not on every page."""
    return reverse(url_name)


def items_for(user, current_path: str) -> list[dict]:
    entries = []
    prefix = get_script_prefix()
    for item in ITEMS:
        if item.policy is not None and not item.policy.can_read(user):
            continue
        url = _url(item.url_name, prefix)
        active = current_path == url if url == "/" else current_path.startswith(url)
        entries.append({"label": str(item.label), "url": url, "section": str(item.section), "active": active})
    return entries
