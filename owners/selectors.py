"""What an owner may see: only their own units, repairs, complaints and photos. Every owner page and
endpoint reads through these functions, so one place decides."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.choices import ClockKind, ComplaintState, EventKind, RepairState
from complaints.models import Complaint, ComplaintEvent, RepairOrder, RepairPhoto
from complaints.workflow import COMPLAINT_FLOW, REPAIR_FLOW
from estates.models import ComponentType, WarrantyOverride
from members.choices import PurchaseStatus
from members.models import Customer, Purchase

from .choices import PublicStatus
from .identity import Owner

LIVE = ~Q(status=PurchaseStatus.CANCELLED)


def owner_customers(mobile: str):
    """The customer records of a number that have a purchase not cancelled: the owner behind the number."""
    return Customer.objects.filter(mobile=mobile, pk__in=Purchase.objects.filter(LIVE).values("customer_id"))


def customers_of(owner: Owner):
    return Customer.objects.filter(pk__in=owner.customer_ids).select_related("project__company")


def purchases_of(owner: Owner):
    return (
        Purchase.objects.filter(LIVE, customer_id__in=owner.customer_ids)
        .select_related("unit__building", "project__company", "customer")
        .order_by("project__name", "unit_id")
    )


def purchase_of_unit(owner: Owner, unit_id) -> Purchase | None:
    """The owner's purchase of this unit; None for any unit that is not theirs (or no unit id at all)."""
    return purchases_of(owner).filter(unit_id=unit_id).first() if str(unit_id).isdigit() else None


def owner_purchase(owner: Owner, unit_id) -> Purchase:
    """The owner's purchase of this unit; 404 for any unit that is not theirs."""
    purchase = purchase_of_unit(owner, unit_id)
    if purchase is None:
        raise Http404
    return purchase


def repairs_of(owner: Owner):
    return (
        RepairOrder.objects.filter(customer_id__in=owner.customer_ids)
        .select_related("unit__building", "project", "component_type", "complaint")
        .prefetch_related("photos", "owner_ratings", "complaint__clocks")
        .order_by("-reported_at", "-pk")
    )


def complaints_of(owner: Owner):
    """The owner's complaints and suggestions (those raised for a repair are shown with the repair)."""
    return (
        Complaint.objects.filter(customer_id__in=owner.customer_ids, repair_orders__isnull=True)
        .select_related("project", "unit__building", "category")
        .prefetch_related("owner_ratings", "clocks")
        .order_by("-received_at", "-pk")
    )


def photo_of(owner: Owner, repair_id, photo_id) -> RepairPhoto:
    photo = RepairPhoto.objects.filter(
        pk=photo_id, repair_order_id=repair_id, repair_order__customer_id__in=owner.customer_ids
    ).first()
    if photo is None:
        raise Http404
    return photo


# ---------------------------------------------------------------- the home page


def units_with_components(owner: Owner, purchases=None) -> list[dict]:
    """Each unit, its delivery state and each component's warranty end (counted from delivery, rule J16).

    `purchases`: a page of the owner's purchases (`purchases_of`); all of them when not given."""
    purchases = list(purchases_of(owner) if purchases is None else purchases)
    types = list(ComponentType.objects.order_by("category", "name"))
    overrides = {
        (row.project_id, row.component_type_id): row.warranty_months
        for row in WarrantyOverride.objects.filter(project_id__in={p.project_id for p in purchases})
    }
    today = timezone.localdate()
    units = []
    for purchase in purchases:
        components = []
        for component in types:
            months = overrides.get((purchase.project_id, component.pk), component.default_warranty_months)
            ends_on = purchase.delivered_on + relativedelta(months=months) if purchase.delivered_on else None
            components.append(
                {
                    "component": component,
                    "months": months,
                    "ends_on": ends_on,
                    "in_warranty": ends_on is None or today <= ends_on,
                }
            )
        units.append(
            {
                "purchase": purchase,
                "unit": purchase.unit,
                "project": purchase.project,
                "delivered": purchase.delivered_on is not None,
                "components": components,
            }
        )
    return units


def warranty_for(owner: Owner, unit_id, component_type) -> dict | None:
    purchase = purchase_of_unit(owner, unit_id)
    if purchase is None:
        return None
    (unit,) = units_with_components(owner, purchases=[purchase])
    return next((c for c in unit["components"] if c["component"].pk == component_type.pk), None)


def news_for(owner: Owner) -> dict:
    """Progress letters sent to the owner, open days and notices of their projects, pending survey invitations."""
    from touchpoints.choices import OpenDayStatus
    from touchpoints.models import CommunityNotice, ProgressLetter, SiteOpenDay

    project_ids = set(purchases_of(owner).values_list("project_id", flat=True))
    today = timezone.localdate()
    return {
        "letters": ProgressLetter.objects.filter(recipients__in=owner.customer_ids)
        .distinct()
        .select_related("project")
        .order_by("-sent_on")[:5],
        "open_days": SiteOpenDay.objects.filter(project_id__in=project_ids, planned_on__gte=today)
        .exclude(status=OpenDayStatus.CANCELLED)
        .select_related("project")
        .order_by("planned_on")[:5],
        "notices": CommunityNotice.objects.filter(project_id__in=project_ids, posted_at__isnull=False)
        .select_related("project", "component_type")
        .order_by("-posted_at")[:5],
        "surveys": pending_surveys(owner)[:5],
    }


def invitations_of(owner: Owner):
    """Every survey invitation sent to the owner, answered or not."""
    from surveys.models import Invitation

    return Invitation.objects.filter(customer_id__in=owner.customer_ids)


def pending_surveys(owner: Owner):
    """The owner's survey invitations still open: not answered, not expired, their campaign not closed (S1)."""
    from surveys.choices import CampaignStatus
    from surveys.models import Item

    return (
        invitations_of(owner)
        .filter(answered_at__isnull=True, expires_at__gt=timezone.now())
        .exclude(campaign__status=CampaignStatus.CLOSED)
        .select_related("campaign__questionnaire", "campaign__project")
        .prefetch_related(Prefetch("campaign__questionnaire__items", queryset=Item.objects.order_by("position")))
        .order_by("expires_at", "pk")
    )


# ---------------------------------------------------------------- the owner-facing status

COMPLAINT_PUBLIC = {
    ComplaintState.RECEIVED: PublicStatus.RECEIVED,
    ComplaintState.ANALYSED: PublicStatus.HANDLING,
    ComplaintState.DISPATCHED: PublicStatus.HANDLING,
    ComplaintState.PLANNED: PublicStatus.HANDLING,
    ComplaintState.IN_PROGRESS: PublicStatus.HANDLING,
    ComplaintState.RESOLVED: PublicStatus.RESOLVED,
    ComplaintState.VERIFIED: PublicStatus.RESOLVED,
    ComplaintState.VISITED: PublicStatus.RESOLVED,
    ComplaintState.CLOSED: PublicStatus.CLOSED,
    ComplaintState.ARCHIVED: PublicStatus.CLOSED,
    ComplaintState.REOPENED: PublicStatus.REOPENED,
}
REPAIR_PUBLIC = {
    RepairState.REPORTED: PublicStatus.RECEIVED,
    RepairState.ASSIGNED: PublicStatus.SCHEDULED,
    RepairState.IN_PROGRESS: PublicStatus.HANDLING,
    RepairState.COMPLETED: PublicStatus.DONE,
    RepairState.VISITED: PublicStatus.DONE,
    RepairState.CLOSED: PublicStatus.CLOSED,
}


def public_status(record) -> PublicStatus:
    table = COMPLAINT_PUBLIC if isinstance(record, Complaint) else REPAIR_PUBLIC
    return table[record.state]


def complaint_timeline(complaint: Complaint) -> list[dict]:
    """The complaint's own event rows told in public words: no internal state, note or staff name."""
    steps, current = [], None
    for row in ComplaintEvent.objects.filter(complaint=complaint).order_by("at", "pk"):
        if row.kind in (EventKind.RECEIVED, EventKind.TRANSITION) and row.to_state:
            status = COMPLAINT_PUBLIC[row.to_state]
            if status != current:
                current = status
                steps.append({"at": row.at, "status": status, "label": status.label})
        elif row.kind == EventKind.RESPONDED:
            reply_at = row.data.get("committed_reply_at")
            label = (
                _("We replied and will answer fully by %(time)s")
                % {"time": timezone.localtime(datetime.datetime.fromisoformat(reply_at)).strftime("%Y-%m-%d %H:%M")}
                if reply_at
                else _("We replied to you")
            )
            steps.append({"at": row.at, "status": None, "label": label})
        elif row.kind == EventKind.OWNER_RATING:
            steps.append(
                {
                    "at": row.at,
                    "status": None,
                    "label": _("You rated it %(score)s/5") % {"score": row.data.get("score")},
                }
            )
    return steps


def repair_timeline(order: RepairOrder) -> list[dict]:
    """The repair's states from its history, in public words."""
    steps = []
    for row in order.history.order_by("history_date", "history_id").only("state", "history_date"):
        status = REPAIR_PUBLIC[row.state]
        if not steps or steps[-1]["status"] != status:
            steps.append({"at": row.history_date, "status": status, "label": status.label})
    for rating in order.owner_ratings.all():
        steps.append(
            {"at": rating.rated_at, "status": None, "label": _("You rated it %(score)s/5") % {"score": rating.score}}
        )
    return sorted(steps, key=lambda step: step["at"])


def committed_times(complaint: Complaint | None) -> dict:
    """Rule C5: the reply due within 24 hours of receipt, or the reply time we committed to."""
    if complaint is None:
        return {"reply_due": None, "committed_reply_at": None}
    clock = next(
        (
            clock.due_at
            for clock in complaint.clocks.all()
            if clock.kind == ClockKind.RESPONSE and clock.cycle == complaint.reopen_count
        ),
        None,
    )
    return {
        "reply_due": clock,
        "committed_reply_at": complaint.committed_reply_at,
        "responded_at": complaint.responded_at,
    }


def can_rate(record) -> bool:
    flow = COMPLAINT_FLOW if isinstance(record, Complaint) else REPAIR_FLOW
    return flow.state_refusal(record, flow["owner-rating"]) is None
