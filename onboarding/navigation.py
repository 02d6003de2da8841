"""This app's entries in the dashboard navigation (see vanke_crm.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

from .policies import ONBOARDING

ITEMS = [
    NavItem(_("Onboarding imports"), "onboarding:index", ONBOARDING, _("Estates")),
]
