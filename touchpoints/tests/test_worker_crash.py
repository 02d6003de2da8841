"""A worker killed in the middle of a message batch: after a restart every message is sent once.

A real `celery worker` process on Redis and PostgreSQL (the worker must reach the test database,
which an in-memory SQLite database is not). The batch task is acknowledged late, so Redis hands it
to the restarted worker; the message the dead worker had claimed is claimed again after its lease,
and the provider, given the same reference, does not send it twice.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.testing import database_url
from members.tests.factories import CustomerFactory
from touchpoints.choices import MessageStatus
from touchpoints.models import OutboundMessage
from vanke_crm.celery import app

BASE_DIR = Path(settings.BASE_DIR)
MESSAGES = 5

WORKER = """
import sys
from vanke_crm.celery import app
app.conf.broker_transport_options.update(visibility_timeout=int(sys.argv[1]), unacked_restore_interval=1,
                                         unacked_restore_throttle=1)
app.worker_main(["worker", "--pool", "solo", "--loglevel", "WARNING", "--without-heartbeat",
                 "--without-gossip", "--without-mingle"])
"""


def wait_until(condition, *, seconds=90, what=""):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def real_worker(tmp_path):
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        pytest.skip(
            "the worker-crash test needs CELERY_BROKER_URL on Redis (the filesystem broker has no visibility timeout)"
        )
    if connection.vendor != "postgresql":
        pytest.skip(
            "the worker-crash test needs DATABASE_URL on PostgreSQL: the worker process must open the test database"
        )
    test_database = database_url(connection.settings_dict["NAME"])
    processes = []

    def start(*, visibility_timeout, **extra):
        env = {
            **os.environ,
            "DATABASE_URL": test_database,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
            "SMS_GATEWAY": "touchpoints.tests.crash_gateway.FolderGateway",
            "CRASH_GATEWAY_FOLDER": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "vanke_crm.settings",
            **extra,
        }
        process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(visibility_timeout)],
            cwd=BASE_DIR,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=tmp_path.joinpath(f"worker-{len(processes)}.log").open("w"),
        )
        processes.append(process)
        return process

    app.control.purge()
    yield start
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_batch_survives_its_worker_being_killed_and_sends_each_message_once(real_worker, project, tmp_path):
    from touchpoints import tasks

    earlier = timezone.now() - datetime.timedelta(minutes=1)
    messages = [
        OutboundMessage.objects.create(
            customer=CustomerFactory(project=project, consents_to_messages=True),
            project=project,
            purpose="crash test",
            dedupe_key=f"crash:{n}",
            body=f"message {n}",
            send_after=earlier + datetime.timedelta(seconds=n),
        )
        for n in range(MESSAGES)
    ]
    sent_files = lambda: list(tmp_path.glob("sent-*"))  # noqa: E731

    first = real_worker(visibility_timeout=3600, CRASH_GATEWAY_HOLD_AFTER="2")
    tasks.send_due_messages.delay()
    wait_until(lambda: len(sent_files()) == 2, what="the first worker to hand two messages to the provider")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()

    statuses = dict(OutboundMessage.objects.values_list("dedupe_key", "status"))
    assert statuses["crash:1"] == MessageStatus.SENDING, "the worker died while the second message was being sent"
    assert list(statuses.values()).count(MessageStatus.QUEUED) == MESSAGES - 2

    real_worker(visibility_timeout=2, MESSAGE_SEND_LEASE_SECONDS="1")
    wait_until(
        lambda: OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == MESSAGES,
        what="the restarted worker to finish the batch",
    )

    calls = tmp_path.joinpath("calls.log").read_text().split()
    assert len(sent_files()) == MESSAGES
    assert sorted(path.read_text() for path in sent_files()) == sorted(m.dedupe_key for m in messages)
    assert calls.count("crash:1") == 2, "the message of the dead worker was offered again, with the same reference"
    assert all(calls.count(m.dedupe_key) == 1 for m in messages if m.dedupe_key != "crash:1")
    resent = OutboundMessage.objects.get(dedupe_key="crash:1")
    assert resent.attempts == 2 and resent.gateway_message_id.startswith("folder-")
