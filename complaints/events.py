"""What the complaints app contributes to the customer timeline (core.timeline)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent

from . import policies
from .models import Complaint, RepairOrder


def customer_events(customer_id: int, viewer=None):
    """The customer's complaints and repair orders; a viewer sees only those their roles and projects allow."""
    complaints = Complaint.objects.filter(customer_id=customer_id).select_related("received_by")
    orders = RepairOrder.objects.filter(customer_id=customer_id).select_related("unit__building")
    if viewer is not None:
        complaints = policies.COMPLAINTS.scope(complaints, viewer)
        orders = policies.REPAIR_ORDERS.scope(orders, viewer)
    for complaint in complaints:
        yield TimelineEvent(
            at=complaint.received_at,
            kind="complaint",
            title=_("Complaint: %(title)s") % {"title": complaint.title},
            detail=complaint.get_state_display(),
            actor=str(complaint.received_by or ""),
            url=reverse("complaints:complaint-detail", args=[complaint.pk]),
        )
    for order in orders:
        yield TimelineEvent(
            at=order.reported_at,
            kind="repair",
            title=_("Repair order: %(unit)s") % {"unit": order.unit},
            detail=order.get_state_display(),
            url=reverse("complaints:repair-detail", args=[order.pk]),
        )
