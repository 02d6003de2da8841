"""A real worker, on the configured broker (the filesystem by default, Redis in CI)."""
import pytest
from celery.contrib.testing.worker import start_worker

from core import tasks
from vanke_crm.celery import app


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_makes_the_round_trip_through_a_real_worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        result = tasks.ping.delay("hello")
        assert result.get(timeout=60) == {"echo": "hello", "database": True}
