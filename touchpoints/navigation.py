"""This app's entries in the dashboard navigation (see vanke_crm.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

from . import policies

ITEMS = [
    NavItem(_("Care tasks"), "touchpoints:task-list", policies.CARE_TASKS, _("Customer care")),
    NavItem(_("6+2 scorecard"), "touchpoints:scorecard", policies.PLANS, _("Customer care")),
    NavItem(_("6+2 plan"), "touchpoints:plan", policies.PLANS, _("Customer care")),
    NavItem(_("Site open days"), "touchpoints:open-day-list", policies.OPEN_DAYS, _("Customer care")),
    NavItem(_("Three-month visit rounds"), "touchpoints:visit-round-list", policies.VISIT_ROUNDS, _("Customer care")),
    NavItem(_("Owners' meetings"), "touchpoints:meeting-list", policies.MEETINGS, _("Customer care")),
    NavItem(_("Message outbox"), "touchpoints:message-list", policies.MESSAGES, _("Customer care")),
    NavItem(_("6+2 steps"), "touchpoints:catalogue", policies.CATALOGUE, _("Customer care")),
]
