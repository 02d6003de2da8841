"""Rule C10: archived complaints are kept for the company's retention period (2 years), then purged or
anonymised by a scheduled job; a unique record per complaint makes it happen once."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ComplaintState, EventKind, RetentionAction
from ..models import Complaint, ComplaintEvent, Notification, RetentionRecord, ReturnVisit
from .common import event, settings_for


def apply_retention(*, now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Purge or anonymise archived complaints older than their company's retention period."""
    from estates.models import Company

    now = now or timezone.now()
    done = 0
    for company in Company.objects.filter(complaints__state=ComplaintState.ARCHIVED).distinct():
        config = settings_for(company)
        cutoff = now - datetime.timedelta(days=config.retention_days)
        for complaint_id in (
            Complaint.objects.filter(
                company=company, state=ComplaintState.ARCHIVED, anonymised_at__isnull=True, archived_at__lte=cutoff
            )
            .order_by("archived_at")
            .values_list("pk", flat=True)[:batch]
        ):
            done += _retain(complaint_id, config.retention_action, now)
    return done


@transaction.atomic
def _retain(complaint_id, action, now) -> int:
    try:
        with transaction.atomic():
            RetentionRecord.objects.create(complaint_ref=complaint_id, action=action, done_at=now)
    except IntegrityError:
        return 0
    complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
    if action == RetentionAction.PURGE:
        complaint.history.all().delete()
        complaint.delete()
        return 1
    complaint.history.all().delete()  # the trail held the personal details too
    complaint.customer, complaint.unit, complaint.anonymised_at = None, None, now
    complaint.content = complaint.demand = complaint.validity_reason = _("[anonymised]")
    complaint.solution = complaint.resolution = complaint.summary = complaint.plan = ""
    complaint.dispatch_note = ""
    complaint.save()
    ComplaintEvent.objects.filter(complaint=complaint).update(note="", data={})
    ReturnVisit.objects.filter(complaint=complaint).update(shortcomings="", suggestions="", fee_note="")
    Notification.objects.filter(complaint=complaint).update(body="")
    event(complaint, EventKind.ANONYMISED, None)
    return 1
