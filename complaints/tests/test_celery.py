"""The minute task through a real worker on the configured broker: twice, and only one alert."""

import datetime

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker

from vanke_crm.celery import app

from .. import tasks
from ..models import Escalation, Notification
from .conftest import START


@pytest.mark.rule("C5")
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_minute_task_runs_twice_on_a_real_worker_without_a_second_alert(receive):
    with time_machine.travel(START, tick=False):
        complaint = receive()

    with (
        time_machine.travel(START + datetime.timedelta(hours=25), tick=False),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        first = tasks.check_clocks.delay().get(timeout=60)
        second = tasks.check_clocks.delay().get(timeout=60)

    assert first == {"breached": 1, "escalated": 1}
    assert second == {"breached": 0, "escalated": 0}
    assert Escalation.objects.filter(clock__complaint=complaint).count() == 1
    assert Notification.objects.filter(complaint=complaint, recipient=complaint.received_by).count() == 1
