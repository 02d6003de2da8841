"""This app's entries in the dashboard navigation (see vanke_crm.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

from . import policies

ITEMS = [
    NavItem(_("My day"), "members:my-day", policies.LEADS, _("Sales")),
    NavItem(_("Customers"), "members:customer-list", policies.CUSTOMERS, _("Sales")),
    NavItem(_("Visits"), "members:visit-list", policies.VISITS, _("Sales")),
    NavItem(_("Leads"), "members:lead-list", policies.LEADS, _("Sales")),
    NavItem(_("Purchases"), "members:purchase-list", policies.PURCHASES, _("Sales")),
    NavItem(_("Approvals"), "members:approvals", policies.APPROVALS, _("Sales")),
    NavItem(_("Daily report"), "members:daily-report", policies.REPORTS, _("Sales")),
    NavItem(_("Weekly summary"), "members:weekly-summary", policies.REPORTS, _("Sales")),
]
