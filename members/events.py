"""What the members app contributes to the customer timeline (core.timeline)."""
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent

from .models import Customer


def customer_events(customer_id: int):
    """Registration and consent changes, read from the customer's own history."""
    history = (Customer.history.filter(id=customer_id)
               .select_related("history_user").order_by("history_date"))
    previous = None
    for record in history:
        actor = str(record.history_user or "")
        if previous is None:
            yield TimelineEvent(at=record.history_date, kind="registered", title=_("Registered as a customer"),
                                actor=actor)
        elif record.consents_to_messages != previous.consents_to_messages:
            title = _("Agreed to receive messages") if record.consents_to_messages else _("Opted out of messages")
            yield TimelineEvent(at=record.history_date, kind="consent", title=title, actor=actor)
        previous = record
