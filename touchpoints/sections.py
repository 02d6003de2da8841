"""What the touchpoints app adds to other apps' pages (core.sections)."""

from django.utils.translation import gettext_lazy as _

from core.sections import Section

from . import policies, selectors
from .models import Meeting, VisitRound

SHOWN = 5


def owners_meetings(*, user, project):
    """J21: the project's latest owners' forums and management meetings, with the feedback collected."""
    if not policies.MEETINGS.can_read(user):
        return None
    meetings = Meeting.objects.filter(project=project)
    latest = selectors.with_feedback_counts(meetings).order_by("-held_on", "-pk")[:SHOWN]
    return Section(
        title=_("Owners' meetings"),
        template="touchpoints/sections/meetings.html",
        context={"meetings": list(latest), "total": meetings.count(), "project": project},
    )


def visit_rounds(*, user, project):
    """J15: the project's three-month visit rounds: sample, visits, issues still open, summary."""
    if not policies.VISIT_ROUNDS.can_read(user):
        return None
    rounds = selectors.visit_round_progress(VisitRound.objects.filter(project=project)).order_by("-year")
    return Section(
        title=_("Three-month visit rounds"),
        template="touchpoints/sections/visit_rounds.html",
        context={"rounds": list(rounds[:SHOWN]), "project": project},
    )
