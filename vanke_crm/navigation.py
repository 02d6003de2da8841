"""The dashboard's navigation: each entry is shown to the roles its policy lets read."""
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import Policy
from estates import policies as estates_policies
from members import policies as members_policies


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    policy: Policy | None = None
    section: str = ""


ITEMS = [
    NavItem(_("Home"), "home", "home"),
    NavItem(_("Customers"), "members:customer-list", "users", members_policies.CUSTOMERS, _("Sales")),
    NavItem(_("Projects"), "estates:project-list", "building", estates_policies.PROJECTS, _("Estates")),
    NavItem(_("Units"), "estates:unit-list", "grid", estates_policies.UNITS, _("Estates")),
]


def items_for(user, current_path: str) -> list[dict]:
    entries = []
    for item in ITEMS:
        if item.policy is not None and not item.policy.can_read(user):
            continue
        url = reverse(item.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        entries.append({"label": item.label, "url": url, "icon": item.icon, "section": item.section,
                        "active": active})
    return entries
