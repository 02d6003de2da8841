"""What the members app contributes to the customer timeline (core.timeline)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent

from .models import Customer, FollowUp, GradeChange, Purchase, Visit


def customer_events(customer_id: int, viewer=None):
    """Registration and consent changes, read from the customer's own history."""
    history = Customer.history.filter(id=customer_id).select_related("history_user").order_by("history_date")
    previous = None
    for record in history:
        actor = str(record.history_user or "")
        if previous is None:
            yield TimelineEvent(
                at=record.history_date, kind="registered", title=_("Registered as a customer"), actor=actor
            )
        elif record.consents_to_messages != previous.consents_to_messages:
            title = _("Agreed to receive messages") if record.consents_to_messages else _("Opted out of messages")
            yield TimelineEvent(at=record.history_date, kind="consent", title=title, actor=actor)
        previous = record


def visit_events(customer_id: int, viewer=None):
    for visit in Visit.objects.filter(customer_id=customer_id).select_related("project", "consultant"):
        detail = visit.project.name
        if visit.invited_to_club:
            detail += " · " + _("Club invitation: %(outcome)s") % {"outcome": visit.get_invitation_outcome_display()}
        yield TimelineEvent(
            at=visit.visited_at,
            kind="visit",
            title=visit.get_kind_display(),
            detail=detail,
            actor=str(visit.consultant or ""),
        )


def follow_up_events(customer_id: int, viewer=None):
    for follow_up in FollowUp.objects.filter(lead__customer_id=customer_id).select_related("consultant", "lead"):
        yield TimelineEvent(
            at=follow_up.happened_at,
            kind="follow_up",
            title=_("Follow-up (%(method)s): %(reaction)s")
            % {"method": follow_up.get_method_display(), "reaction": follow_up.get_reaction_display()},
            detail=follow_up.content,
            actor=str(follow_up.consultant or ""),
            url=reverse("members:lead-detail", args=[follow_up.lead_id]),
        )


def grade_events(customer_id: int, viewer=None):
    for change in GradeChange.objects.filter(lead__customer_id=customer_id).select_related("actor"):
        yield TimelineEvent(
            at=change.at,
            kind="grade",
            title=_("Lead graded %(to)s (was %(from)s)") % {"to": change.to_grade, "from": change.from_grade or "—"},
            detail=change.reason,
            actor=str(change.actor or change.get_kind_display()),
            url=reverse("members:lead-detail", args=[change.lead_id]),
        )


def purchase_events(customer_id: int, viewer=None):
    """Each purchase milestone that has happened, read from the purchase's dates."""
    labels = [
        ("subscribed_on", _("Subscribed to %(unit)s")),
        ("signed_on", _("Signed the contract for %(unit)s")),
        ("loan_disbursed_on", _("Loan disbursed for %(unit)s")),
        ("delivered_on", _("%(unit)s delivered")),
        ("moved_in_on", _("Moved in to %(unit)s")),
        ("cancelled_on", _("Subscription of %(unit)s cancelled")),
    ]
    for purchase in Purchase.objects.filter(customer_id=customer_id).select_related("unit__building"):
        unit = f"{purchase.unit.building.name} {purchase.unit.number}"
        for field, title in labels:
            day = getattr(purchase, field)
            if day:
                at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
                yield TimelineEvent(
                    at=at,
                    kind="purchase",
                    title=title % {"unit": unit},
                    url=reverse("members:purchase-detail", args=[purchase.pk]),
                )
