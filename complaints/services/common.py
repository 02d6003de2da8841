"""The small writers every complaint step uses: the company's settings, the row lock, the event row,
the save with its actor, and the message to the customer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from touchpoints import message_templates, messaging

from ..models import Complaint, ComplaintEvent, ComplaintSettings


def settings_for(company) -> ComplaintSettings:
    """The complaint settings of `company` (a company or its id), made with the defaults at first use."""
    config, _created = ComplaintSettings.objects.get_or_create(company_id=getattr(company, "pk", company))
    return config


def lock(complaint) -> Complaint:
    """The complaint under a row lock, with what the steps read of it."""
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("project__company", "department__head", "received_by")
        .get(pk=complaint.pk)
    )


def save(instance, actor):
    """Save with the actor recorded in the audit trail (rule R2)."""
    instance._history_user = actor
    instance.save()
    return instance


def event(complaint, kind, actor, *, from_state="", to_state="", note="", data=None) -> ComplaintEvent:
    """One row of the complaint's timeline, in the same transaction as the change."""
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=str(note)[:2000],
        data=data or {},
    )


# The messages to the complaining customer and the variables each fills in (registered in apps.py).
COMPLAINT_NUMBER = message_templates.Variable("number", gettext_lazy("the complaint number"), "1024")
CUSTOMER_MESSAGES = {
    "complaint_received": (message_templates.NAME, COMPLAINT_NUMBER, message_templates.HOTLINE),
    "complaint_reply_committed": (
        message_templates.NAME,
        COMPLAINT_NUMBER,
        message_templates.HOTLINE,
        message_templates.Variable("reply_at", gettext_lazy("the promised reply time"), "12月05日18:00"),
    ),
}


def tell_customer(complaint, template_code: str, *, occasion: str, **context) -> None:
    """A text message to the complaining customer through the outbox (once per occasion; consent at send time)."""
    if complaint.customer is None:
        return
    messaging.queue_message(
        customer=complaint.customer,
        project=complaint.project,
        purpose=f"complaint:{template_code}",
        dedupe_key=f"complaint:{complaint.pk}:{occasion}",
        template_code=template_code,
        context={"number": complaint.pk, "hotline": complaint.project.company.service_hotline, **context},
    )
