"""What the touchpoints app contributes to the customer timeline (core.timeline)."""
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent

from .models import OutboundMessage


def message_events(customer_id: int, viewer=None):
    for message in OutboundMessage.objects.filter(customer_id=customer_id).select_related("created_by"):
        yield TimelineEvent(
            at=message.sent_at or message.created_at, kind="message",
            title=_("%(channel)s: %(status)s") % {"channel": message.get_channel_display(),
                                                  "status": message.get_status_display()},
            detail=message.body, actor=str(message.created_by or ""),
        )


def care_events(customer_id: int, viewer=None):
    """Visits and calls done for the customer (J22); message duties appear once, as their message."""
    from .choices import MESSAGE_DUTIES, TaskStatus
    from .models import CareTask

    tasks = (CareTask.objects.filter(customer_id=customer_id, status=TaskStatus.DONE)
             .exclude(duty__in=MESSAGE_DUTIES).select_related("completed_by"))
    for task in tasks:
        yield TimelineEvent(at=task.completed_at or task.created_at, kind="care_task", title=task.get_duty_display(),
                            detail=task.outcome, actor=str(task.completed_by or ""))


def letter_events(customer_id: int, viewer=None):
    from .models import ProgressLetter

    for letter in ProgressLetter.objects.filter(recipients=customer_id).select_related("task__completed_by"):
        yield TimelineEvent(at=letter.task.completed_at or letter.task.created_at, kind="letter",
                            title=_("Progress letter"), detail=letter.construction_progress,
                            actor=str(letter.task.completed_by or ""))


def meeting_events(customer_id: int, viewer=None):
    """Feedback an owner gave at a forum or a management meeting (J21)."""
    import datetime

    from django.utils import timezone

    from .models import MeetingFeedback

    for item in MeetingFeedback.objects.filter(customer_id=customer_id).select_related("meeting"):
        at = timezone.make_aware(datetime.datetime.combine(item.meeting.held_on, datetime.time(12)))
        yield TimelineEvent(at=at, kind="meeting", title=item.meeting.get_kind_display(), detail=item.content)
