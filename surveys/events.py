"""What the surveys app contributes to the customer timeline (core.timeline)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent

from .models import FollowUp, Response


def survey_events(customer_id: int, viewer=None):
    responses = Response.objects.filter(customer_id=customer_id).select_related("questionnaire", "entered_by")
    for response in responses:
        yield TimelineEvent(
            at=response.answered_at,
            kind="survey",
            title=_("Answered: %(title)s") % {"title": response.questionnaire.title},
            detail=_("Overall score: %(score)s") % {"score": response.overall_score or "—"},
            actor=str(response.entered_by or ""),
            url=reverse("surveys:response-detail", args=[response.pk]),
        )
    for follow_up in FollowUp.objects.filter(customer_id=customer_id).select_related("assignee"):
        yield TimelineEvent(
            at=follow_up.created_at,
            kind="survey_follow_up",
            title=_("Low survey score: call back"),
            detail=follow_up.problem,
            actor=str(follow_up.assignee or ""),
            url=reverse("surveys:follow-up-detail", args=[follow_up.pk]),
        )
