"""This app's entries in the dashboard navigation (see vanke_crm.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

from . import policies

ITEMS = [
    NavItem(_("Projects"), "estates:project-list", policies.PROJECTS, _("Estates")),
    NavItem(_("Units"), "estates:unit-list", policies.UNITS, _("Estates")),
]
