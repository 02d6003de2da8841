"""The staff's in-app inbox: alerts, escalations, crises, dispatches."""

from django.utils import timezone

from ..models import Notification


def notify(recipients, title, *, complaint=None, repair_order=None, body="") -> None:
    """One notification per distinct recipient; None entries (a department without a head) are skipped."""
    seen = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user, title=str(title)[:200], body=str(body), complaint=complaint, repair_order=repair_order
            )
        )
    Notification.objects.bulk_create(rows)


def mark_read(*, user, notification_ids=None) -> int:
    inbox = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        inbox = inbox.filter(pk__in=notification_ids)
    return inbox.update(read_at=timezone.now())
