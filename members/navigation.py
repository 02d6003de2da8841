"""This app's entries in the dashboard navigation (see vanke_crm.navigation)."""
from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

from . import policies

ITEMS = [
    NavItem(_("Customers"), "members:customer-list", policies.CUSTOMERS, _("Sales")),
]
