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


def test_every_duty_is_queued_by_its_kind_so_workers_can_be_scaled_per_kind(settings):
    app.loader.import_default_modules()
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    routed = {name for names in settings.TASK_QUEUES.values() for name in names}

    assert ours - routed == {"core.ping"}, "a new task needs its queue in settings.TASK_QUEUES"
    assert routed <= ours, "settings.TASK_QUEUES names a task that does not exist"
    queue = app.amqp.router.route({}, "touchpoints.send_message")["queue"].name
    assert queue.startswith("messages")
    assert {q.name for q in app.conf.task_queues} >= {queue, app.conf.task_default_queue}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_started_without_queues_serves_every_kind():
    scan = tasks.purge_expired_credentials.delay()  # the scans queue
    ping = tasks.ping.delay("default")  # the default queue
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert isinstance(scan.get(timeout=60), dict)
        assert ping.get(timeout=60)["echo"] == "default"
