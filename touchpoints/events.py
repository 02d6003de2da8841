"""What the touchpoints app contributes to the customer timeline (core.timeline)."""
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent

from .models import OutboundMessage


def message_events(customer_id: int):
    for message in OutboundMessage.objects.filter(customer_id=customer_id).select_related("created_by"):
        yield TimelineEvent(
            at=message.sent_at or message.created_at, kind="message",
            title=_("%(channel)s: %(status)s") % {"channel": message.get_channel_display(),
                                                  "status": message.get_status_display()},
            detail=message.body, actor=str(message.created_by or ""),
        )
