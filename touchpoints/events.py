"""What the touchpoints app contributes to the customer timeline (core.timeline)."""

import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent

from .models import OutboundMessage


def message_events(customer_id: int, viewer=None):
    for message in OutboundMessage.objects.filter(customer_id=customer_id).select_related("created_by"):
        yield TimelineEvent(
            at=message.sent_at or message.created_at,
            kind="message",
            title=_("%(channel)s: %(status)s")
            % {"channel": message.get_channel_display(), "status": message.get_status_display()},
            detail=message.body,
            actor=str(message.created_by or ""),
        )


def care_events(customer_id: int, viewer=None):
    """Visits and calls done for the customer (J22); message duties appear once, as their message."""
    from .choices import MESSAGE_DUTIES, Duty, TaskStatus
    from .models import CareTask

    tasks = (
        CareTask.objects.filter(customer_id=customer_id, status=TaskStatus.DONE)
        .exclude(duty__in=MESSAGE_DUTIES)
        .exclude(duty=Duty.THREE_MONTH_VISIT)
        .select_related("completed_by")
    )
    for task in tasks:
        yield TimelineEvent(
            at=task.completed_at or task.created_at,
            kind="care_task",
            title=task.get_duty_display(),
            detail=task.outcome,
            actor=str(task.completed_by or ""),
        )


def letter_events(customer_id: int, viewer=None):
    from .models import ProgressLetter

    for letter in ProgressLetter.objects.filter(recipients=customer_id).select_related("task__completed_by"):
        yield TimelineEvent(
            at=letter.task.completed_at or letter.task.created_at,
            kind="letter",
            title=_("Progress letter"),
            detail=letter.construction_progress,
            actor=str(letter.task.completed_by or ""),
        )


def meeting_events(customer_id: int, viewer=None):
    """What an owner said at a forum or a management meeting, and the answer given (J21)."""
    from . import policies
    from .models import MeetingFeedback

    linked = viewer is None or policies.MEETINGS.can_read(viewer)
    for item in MeetingFeedback.objects.filter(customer_id=customer_id).select_related("meeting__recorded_by"):
        meeting = item.meeting
        detail = f"{item.content} → {item.response}" if item.response else item.content
        yield TimelineEvent(
            at=_noon(meeting.held_on),
            kind="meeting",
            title=f"{meeting.get_kind_display()} · {meeting.title}",
            detail=detail,
            actor=str(meeting.recorded_by or ""),
            url=reverse("touchpoints:meeting-detail", args=[meeting.pk]) if linked else "",
        )


def visit_round_events(customer_id: int, viewer=None):
    """The household's three-month visit, its round and the issues found, each with its state (J15)."""
    from . import policies
    from .choices import Duty, TaskStatus
    from .models import CareIssue, CareTask

    linked = viewer is None or policies.VISIT_ROUNDS.can_read(viewer)
    visits = (
        CareTask.objects.filter(customer_id=customer_id, duty=Duty.THREE_MONTH_VISIT, status=TaskStatus.DONE)
        .select_related("visit_round", "completed_by")
        .prefetch_related(Prefetch("issues", queryset=CareIssue.objects.order_by("pk")))
    )
    for visit in visits:
        issues = "; ".join(f"{issue.description} ({issue.get_status_display()})" for issue in visit.issues.all())
        detail = " · ".join(
            filter(None, [visit.outcome, _("Issues: %(issues)s") % {"issues": issues} if issues else ""])
        )
        title = visit.get_duty_display()
        if visit.visit_round:
            title = _("%(visit)s · round %(year)s") % {"visit": title, "year": visit.visit_round.year}
        yield TimelineEvent(
            at=visit.completed_at or visit.created_at,
            kind="visit_round",
            title=title,
            detail=detail,
            actor=str(visit.completed_by or ""),
            url=reverse("touchpoints:visit-round-detail", args=[visit.visit_round_id])
            if linked and visit.visit_round_id
            else "",
        )


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
