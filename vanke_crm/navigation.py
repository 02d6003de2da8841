"""The dashboard's navigation, gathered from every app in the order of the journey."""

from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
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


# What a user's menu holds follows from their roles alone (each entry's policy asks no more of them), in their
# language: gathered once per set of roles and language, not translated and checked again on every page.
_MENUS: dict[tuple, list[tuple[str, str, str]]] = {}


def items_for(user, current_path: str) -> list[dict]:
    prefix = get_script_prefix()
    key = (user.roles, user.is_superuser, user.is_active, get_language(), prefix)
    try:
        menu = _MENUS[key]
    except KeyError:
        menu = _MENUS[key] = [
            (str(item.label), _url(item.url_name, prefix), str(item.section))
            for item in ITEMS
            if item.policy is None or item.policy.can_read(user)
        ]
    return [
        {"label": label, "url": url, "section": section, "active": _leads_to(url, current_path)}
        for label, url, section in menu
    ]


def _leads_to(url: str, current_path: str) -> bool:
    """Whether the entry at `url` is the page at `current_path`'s own (its section's, below the home)."""
    return current_path == url if url == "/" else current_path.startswith(url)
