"""This app's entries in the dashboard navigation (see vanke_crm.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.access import Policy
from core.navigation import NavItem
from core.roles import MANAGEMENT, SERVICE

from . import merging

# Answering calls is the service desks' job; everyone else has the search box in the header.
CALLERS = Policy(read=SERVICE | MANAGEMENT, project_path=None)

ITEMS = [
    NavItem(_("Caller lookup"), "lookup:caller", CALLERS, _("Complaints and repairs")),
    NavItem(_("Duplicate customers"), "lookup:duplicates", merging.MERGES, _("Sales")),
]
