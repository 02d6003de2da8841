"""What the complaints app adds to other apps' pages (core.sections)."""

from django.utils.translation import gettext_lazy as _

from core.sections import Section

from . import policies, selectors

EARLIER_DEFECTS_SHOWN = 8


def earlier_defects(*, user, project):
    """Rule D4: a project's page lists what went wrong in earlier projects of the same kind."""
    if not policies.DEFECTS.can_read(user):
        return None
    defects = selectors.earlier_defects_for(project)
    return Section(
        title=_("Lessons from earlier projects of the same kind"),
        template="complaints/sections/earlier_defects.html",
        context={"defects": list(defects[:EARLIER_DEFECTS_SHOWN]), "total": defects.count(), "project": project},
    )
