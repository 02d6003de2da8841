"""Repair orders (报修): reported, assigned, handled, completed, visited within 24 hours (rule C13), closed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError

from ..models import RepairOrder, ReturnVisit
from ..workflow import REPAIR_FLOW
from . import clocks
from .common import save, settings_for
from .inbox import notify


@transaction.atomic
def report_repair(*, actor, unit, description: str, customer=None, component_type=None, complaint=None) -> RepairOrder:
    if not description.strip():
        raise DomainError(_("Describe what needs repairing."), field="description")
    if customer is not None and customer.company_id != unit.project.company_id:
        raise DomainError(_("This customer belongs to another company."), field="customer")
    if complaint is not None and complaint.project_id != unit.project_id:
        raise DomainError(_("This complaint is about another project."), field="complaint")
    order = RepairOrder(
        unit=unit,
        customer=customer,
        component_type=component_type,
        complaint=complaint,
        description=description.strip(),
        reported_by=actor,
    )
    status = warranty_status(order)
    order.in_warranty = status["in_warranty"] if status else None
    return save(order, actor)


def warranty_status(order) -> dict | None:
    """The component's warranty (estates J16) counted from the unit's delivery (members.Purchase)."""
    from dateutil.relativedelta import relativedelta

    from estates.services import warranty_months
    from members.models import Purchase

    if order.component_type is None:
        return None
    months = warranty_months(project=order.unit.project, component_type=order.component_type)
    delivered = (
        Purchase.objects.filter(unit=order.unit, delivered_on__isnull=False)
        .order_by("-delivered_on")
        .values_list("delivered_on", flat=True)
        .first()
    )
    if delivered is None:
        return {"months": months, "delivered_on": None, "ends_on": None, "in_warranty": True}
    ends_on = delivered + relativedelta(months=months)
    on = timezone.localdate(order.reported_at) if order.reported_at else timezone.localdate()
    return {"months": months, "delivered_on": delivered, "ends_on": ends_on, "in_warranty": on <= ends_on}


@transaction.atomic
def assign_repair(*, order, actor, assignee) -> RepairOrder:
    order = _lock(order)
    REPAIR_FLOW.take(order, "assign", actor)
    order.assignee = assignee
    notify(
        [assignee],
        _("Repair order assigned to you: %(order)s") % {"order": order},
        repair_order=order,
        body=order.description,
    )
    return save(order, actor)


@transaction.atomic
def start_repair(*, order, actor) -> RepairOrder:
    order = _lock(order)
    REPAIR_FLOW.take(order, "start", actor)
    return save(order, actor)


@transaction.atomic
def complete_repair(*, order, actor, work_done: str) -> RepairOrder:
    """Rule C13: a completed repair gets a return visit within 24 hours."""
    order = _lock(order)
    REPAIR_FLOW.take(order, "complete", actor)
    if not work_done.strip():
        raise DomainError(_("Describe the work done."), field="work_done")
    now = timezone.now()
    order.completed_at, order.work_done = now, work_done.strip()
    clocks.start_repair_visit_clock(order, now, settings_for(order.project.company))
    return save(order, actor)


@transaction.atomic
def record_repair_visit(
    *,
    order,
    actor,
    method: str,
    satisfaction: str,
    service_quality: int = 5,
    attitude: int = 5,
    fee_checked: bool = False,
    fee_note: str = "",
    shortcomings: str = "",
    suggestions: str = "",
) -> ReturnVisit:
    order = _lock(order)
    REPAIR_FLOW.take(order, "return-visit", actor)
    visit = ReturnVisit.objects.create(
        repair_order=order,
        project=order.project,
        visitor=actor,
        method=method,
        satisfaction=satisfaction,
        service_quality=service_quality,
        attitude=attitude,
        fee_checked=fee_checked,
        fee_note=fee_note,
        shortcomings=shortcomings,
        suggestions=suggestions,
    )
    clocks.stop_clocks(repair_order=order)
    save(order, actor)
    return visit


@transaction.atomic
def close_repair(*, order, actor) -> RepairOrder:
    order = _lock(order)
    REPAIR_FLOW.take(order, "close", actor)
    order.closed_at = timezone.now()
    return save(order, actor)


@transaction.atomic
def reopen_repair(*, order, actor, reason: str) -> RepairOrder:
    return reopen(_lock(order), actor, reason, check_actor=True)


def reopen(order, actor, reason: str, *, check_actor: bool) -> RepairOrder:
    """A new cycle: back to the assignee, who is alerted; its return visit is due again after completion."""
    REPAIR_FLOW.take(order, "reopen", actor, check_actor=check_actor)
    if not reason.strip():
        raise DomainError(_("Say why the repair is reopened."), field="reason")
    clocks.stop_clocks(repair_order=order)
    order.reopen_count += 1
    order.completed_at = order.closed_at = None
    notify([order.assignee], _("Repair order reopened: %(order)s") % {"order": order}, repair_order=order, body=reason)
    return save(order, actor)


def _lock(order) -> RepairOrder:
    return (
        RepairOrder.objects.select_for_update(of=("self",)).select_related("project__company", "unit").get(pk=order.pk)
    )
