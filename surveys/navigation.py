"""This app's entries in the dashboard navigation (see vanke_crm.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

from . import policies

SECTION = _("Surveys")

ITEMS = [
    NavItem(_("Satisfaction"), "surveys:dashboard", policies.FIGURES, SECTION),
    NavItem(_("Survey responses"), "surveys:response-list", policies.RESPONSES, SECTION),
    NavItem(_("Survey campaigns"), "surveys:campaign-list", policies.CAMPAIGNS, SECTION),
    NavItem(_("Survey calls"), "surveys:call-queue", policies.CALL_ENTRY, SECTION),
    NavItem(_("Low-score follow-ups"), "surveys:follow-up-list", policies.FOLLOW_UPS, SECTION),
    NavItem(_("Import year-end results"), "surveys:import", policies.IMPORTS, SECTION),
]
