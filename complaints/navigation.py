"""This app's entries in the dashboard navigation (see vanke_crm.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

from . import policies

SECTION = _("Complaints and repairs")

ITEMS = [
    NavItem(_("Complaints"), "complaints:complaint-list", policies.COMPLAINTS, SECTION),
    NavItem(_("My queue"), "complaints:my-queue", policies.COMPLAINTS, SECTION),
    NavItem(_("Return visits due"), "complaints:return-visit-queue", policies.RETURN_VISITS, SECTION),
    NavItem(_("Crises"), "complaints:crisis-list", policies.CRISES, SECTION),
    NavItem(_("Repair orders"), "complaints:repair-list", policies.REPAIR_ORDERS, SECTION),
    NavItem(_("Defects"), "complaints:defect-list", policies.DEFECTS, SECTION),
    NavItem(_("Delivery objections"), "complaints:objection-list", policies.OBJECTIONS, SECTION),
    NavItem(_("Case library"), "complaints:case-list", policies.CASES, SECTION),
    NavItem(_("Monthly complaint report"), "complaints:monthly-report", policies.REPORTS, SECTION),
    NavItem(_("Quality handbook"), "complaints:handbook", policies.HANDBOOK, SECTION),
    NavItem(_("Inbox"), "complaints:inbox", policies.INBOX, SECTION),
]
