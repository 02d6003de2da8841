"""Work for the workers that survives a broker outage: a transactional outbox of tasks.

`dispatch_on_commit` writes the task in the caller's transaction and hands it to Celery when that
transaction commits. If the broker cannot be reached, the request still succeeds and the row stays;
`hand_over_waiting_tasks` (a duty every minute) sends it once the broker is back. Every task sent
this way is idempotent, so a task handed over twice (sent, then the row's removal lost) does no harm.
"""

from __future__ import annotations

import datetime
import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from .models import QueuedTask

log = logging.getLogger(__name__)

# A row younger than this is still being handed over by its own commit.
SWEEP_AFTER = datetime.timedelta(seconds=30)
SWEEP_BATCH = 500


def dispatch_on_commit(task, *args) -> None:
    """Run `task(*args)` on a worker once the current transaction has committed, broker or not."""
    queued = QueuedTask.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: _hand_over(queued), robust=True)


def hand_over_waiting_tasks(*, older_than: datetime.timedelta = SWEEP_AFTER) -> dict:
    """Send the tasks whose hand-over at commit failed; stop at the first broker failure."""
    sent = 0
    with transaction.atomic():
        waiting = list(
            QueuedTask.objects.select_for_update(skip_locked=True)
            .filter(created_at__lte=timezone.now() - older_than)
            .order_by("created_at")[:SWEEP_BATCH]
        )
        for queued in waiting:
            if not _send(queued):
                break
            sent += 1
    return {"sent": sent, "waiting": QueuedTask.objects.count()}


def _hand_over(queued: QueuedTask) -> None:
    if not _send(queued):
        log.warning("broker unavailable: task %s kept for the sweeper", queued.task)


def _send(queued: QueuedTask) -> bool:
    try:
        _task(queued.task).apply_async(args=queued.args, retry=False)
    except (BrokerUnavailable, OSError):
        QueuedTask.objects.filter(pk=queued.pk).update(attempts=queued.attempts + 1)
        return False
    QueuedTask.objects.filter(pk=queued.pk).delete()
    return True


def _task(name: str):
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # outside a worker, the apps' tasks load on demand
    return current_app.tasks[name]
