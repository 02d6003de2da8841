"""A real worker, on the configured broker (the filesystem by default, Redis in CI)."""

import pytest
from celery.contrib.testing.worker import start_worker

from core import tasks
from vanke_crm.celery import app


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_makes_the_round_trip_through_a_real_worker():
    # Sent before the worker starts: kombu's filesystem transport can hand a worker a message file that is
    # still being written (an empty read stops the worker), a race of the embedded broker, not of ours.
    result = tasks.ping.delay("hello")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert result.get(timeout=60) == {"echo": "hello", "database": True}
