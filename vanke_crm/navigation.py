"""The dashboard's navigation, gathered from every app in the order of the journey."""

from django.urls import reverse
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


def items_for(user, current_path: str) -> list[dict]:
    entries = []
    for item in ITEMS:
        if item.policy is not None and not item.policy.can_read(user):
            continue
        url = reverse(item.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        entries.append({"label": item.label, "url": url, "section": item.section, "active": active})
    return entries
