"""Receiving a complaint from any channel (rule C1) and classifying it (C2, C3)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError

from .. import policies, selectors
from ..choices import Channel, ClockStatus, EventKind, Severity, Validity
from ..models import Complaint, ComplaintCategory, SlaClock
from ..workflow import COMPLAINT_FLOW
from . import clocks, crisis
from .common import event, lock, save, settings_for, tell_customer

SEVERITY_RANK = {Severity.MINOR: 0, Severity.MAJOR: 1, Severity.CRISIS: 2}
DUPLICATES_LISTED = 5


def severity_by_rules(*, people_count: int, media_exposure: bool, channel: str, config) -> Severity:
    """Rule C3: a group of N or more people, a protest or media exposure is a crisis."""
    if people_count >= config.crisis_people or media_exposure or channel == Channel.MEDIA:
        return Severity.CRISIS
    return Severity.MINOR


def category_for(value) -> ComplaintCategory:
    """A category given as the record or by its code; "other" when none is given."""
    if isinstance(value, ComplaintCategory):
        return value
    try:
        return ComplaintCategory.objects.get(code=value or "other")
    except ComplaintCategory.DoesNotExist:
        raise DomainError(_("Unknown category."), code="unknown_category", field="category") from None


@transaction.atomic
def receive_complaint(
    *,
    actor,
    project,
    channel: str,
    title: str,
    content: str,
    customer=None,
    unit=None,
    category=None,
    demand: str = "",
    people_count: int = 1,
    media_exposure: bool = False,
    severity: str | None = None,
    severity_reason: str = "",
    received_at: datetime.datetime | None = None,
    confirm_duplicates: bool = False,
) -> Complaint:
    """Record a complaint from any channel (C1), classify it (C3) and start its clocks (C5–C7).

    Open complaints of the same customer about the same unit are shown first: saving another needs
    `confirm_duplicates` (only those the actor may see are named).
    """
    if unit is not None and unit.project_id != project.pk:
        raise DomainError(_("This unit is not in the complaint's project."), field="unit")
    if customer is not None and customer.company_id != project.company_id:
        raise DomainError(_("This customer belongs to another company."), field="customer")
    if people_count < 1:
        raise DomainError(_("At least one person is involved."), field="people_count")
    if not confirm_duplicates:
        refuse_unconfirmed_duplicates(actor=actor, customer=customer, unit=unit)
    config = settings_for(project.company)
    by_rules = severity_by_rules(
        people_count=people_count, media_exposure=media_exposure, channel=channel, config=config
    )
    chosen = severity or Severity.MINOR
    if SEVERITY_RANK[Severity(by_rules)] > SEVERITY_RANK[Severity(chosen)]:
        chosen = by_rules
        severity_reason = _("Raised by rule: %(people)s or more people, a protest or media exposure.") % {
            "people": config.crisis_people
        }
    now = received_at or timezone.now()
    complaint = Complaint(
        project=project,
        unit=unit,
        customer=customer,
        channel=channel,
        category=category_for(category),
        title=title,
        content=content,
        demand=demand,
        people_count=people_count,
        media_exposure=media_exposure,
        severity=chosen,
        severity_reason=severity_reason,
        received_by=actor,
        received_at=now,
    )
    save(complaint, actor)
    event(
        complaint,
        EventKind.RECEIVED,
        actor,
        to_state=complaint.state,
        note=f"{complaint.get_channel_display()} · {complaint.get_severity_display()}",
    )
    clocks.start_cycle(complaint, now, config)
    if chosen == Severity.CRISIS:
        crisis.open_crisis(complaint=complaint, actor=actor)
    tell_customer(complaint, "complaint_received", occasion="received")
    return complaint


def refuse_unconfirmed_duplicates(*, actor, customer, unit) -> None:
    duplicates = selectors.possible_duplicates(customer=customer, unit=unit)
    if actor is not None:
        duplicates = policies.COMPLAINTS.scope(duplicates, actor)
    numbers = list(duplicates.values_list("pk", flat=True)[:DUPLICATES_LISTED])
    if numbers:
        raise DomainError(
            _("Open complaints of this customer and unit exist (%(numbers)s): confirm to save anyway.")
            % {"numbers": ", ".join(f"#{number}" for number in numbers)},
            code="possible_duplicates",
            field="confirm_duplicates",
            extra={"duplicates": numbers},
        )


@transaction.atomic
def classify_complaint(
    *,
    complaint: Complaint,
    actor,
    validity: str | None = None,
    validity_reason: str = "",
    severity: str | None = None,
    severity_reason: str = "",
) -> Complaint:
    """Validity with its reason (C2) and severity by hand (C3), while the complaint is open."""
    complaint = lock(complaint)
    COMPLAINT_FLOW.take(complaint, "classify", actor)
    apply_classification(complaint, actor, validity, validity_reason, severity, severity_reason)
    return save(complaint, actor)


def apply_classification(complaint, actor, validity, validity_reason, severity, severity_reason) -> None:
    """Rule C2: an invalid complaint still gets a reasoned explanation; C3: severity set by hand."""
    changed = []
    if validity:
        if validity == Validity.INVALID and not (validity_reason or "").strip():
            raise DomainError(
                _("An invalid complaint needs the explanation given to the customer."), field="validity_reason"
            )
        complaint.validity, complaint.validity_reason = validity, (validity_reason or "").strip()
        changed.append(str(Validity(validity).label))
    if severity and severity != complaint.severity:
        raise_severity(complaint, severity, severity_reason or _("Set by hand."), actor, allow_lower=True)
        changed.append(str(Severity(severity).label))
    if changed:
        event(
            complaint,
            EventKind.CLASSIFIED,
            actor,
            note=" · ".join(changed),
            data={"validity": complaint.validity, "severity": complaint.severity},
        )


def raise_severity(complaint, severity, reason, actor, *, allow_lower=False) -> bool:
    """Set a new severity; a major one starts the C6 clocks, a crisis opens its record (C8)."""
    old = complaint.severity
    if not allow_lower and SEVERITY_RANK[Severity(severity)] <= SEVERITY_RANK[Severity(old)]:
        return False
    complaint.severity, complaint.severity_reason = severity, reason
    config = settings_for(complaint.project.company)
    if severity != Severity.MINOR and old == Severity.MINOR:
        clocks.start_major_clocks(complaint, timezone.now(), config)
    if severity == Severity.MINOR and old != Severity.MINOR:
        # Lowered by hand: the major-complaint clocks no longer apply; breached ones stay on record.
        SlaClock.objects.filter(
            Q(complaint=complaint), kind__in=clocks.MAJOR_CLOCKS, status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED]
        ).delete()
    if severity == Severity.CRISIS:
        crisis.open_crisis(complaint=complaint, actor=actor)
    return True
