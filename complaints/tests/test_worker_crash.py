"""A worker killed in the middle of the complaint clock sweep: after a restart every overdue clock is
breached once, escalated once per level and recorded once in the complaint's history (C5, C10).

A real `celery worker` on Redis and PostgreSQL. Another transaction holds one overdue clock, so the
sweep stops there, part-way, with the clocks before it already breached; the worker is SIGKILLed, and
Redis hands the unacknowledged sweep to the restarted worker.
"""

import datetime

import pytest
from django.utils import timezone

from core.testing import wait_until

from .. import services
from ..choices import ClockKind, ClockStatus, EscalationLevel, EventKind
from ..models import ComplaintEvent, Escalation, SlaClock

COMPLAINTS = 3


@pytest.mark.rule("C5", "C10")
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clock_sweep_whose_worker_is_killed_breaches_and_escalates_each_clock_once(real_workers, receive):
    from complaints import tasks

    complaints = [receive(title=f"投诉{n}") for n in range(COMPLAINTS)]
    responses = SlaClock.objects.filter(complaint__in=complaints, kind=ClockKind.RESPONSE)
    responses.update(due_at=timezone.now() - datetime.timedelta(hours=1))
    real_workers.crash_at(
        SlaClock, responses.order_by("pk")[1].pk, start=tasks.check_clocks.delay, what="the sweep to reach the clock"
    )

    real_workers.start(visibility_timeout=2)
    handled = Escalation.objects.filter(clock__in=responses, level=EscalationLevel.HANDLER)
    wait_until(lambda: handled.count() == COMPLAINTS, what="the restarted worker to sweep the clocks again")

    assert set(responses.values_list("status", flat=True)) == {ClockStatus.BREACHED}
    for complaint in complaints:
        assert ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.BREACH).count() == 1
    assert services.check_clocks() == {"breached": 0, "escalated": 0}, "the sweep after the crash left nothing undone"
