"""A worker killed in the middle of a message batch, or of the daily care scan: after a restart
every message is sent once and every care task exists once.

A real `celery worker` process on Redis and PostgreSQL (the worker must reach the test database,
which an in-memory SQLite database is not). The batch task is acknowledged late, so Redis hands it
to the restarted worker; the batch the dead worker had claimed is claimed again after its lease,
and the provider, given the same references, does not send twice what it already took.
"""

import datetime

import pytest
from django.utils import timezone

from core.testing import wait_until
from estates.tests.factories import UnitFactory
from members.tests.factories import CustomerFactory, PurchaseFactory
from touchpoints.choices import Duty, MessageStatus
from touchpoints.models import CareTask, OutboundMessage
from touchpoints.schedule import run_daily_scan

MESSAGES = 5


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_batch_survives_its_worker_being_killed_and_sends_each_message_once(real_workers, project, tmp_path):
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

    gateway = {"SMS_GATEWAY": "touchpoints.tests.crash_gateway.FolderGateway", "CRASH_GATEWAY_FOLDER": str(tmp_path)}
    first = real_workers.start(visibility_timeout=3600, CRASH_GATEWAY_HOLD_AFTER="2", **gateway)
    tasks.send_due_messages.delay()
    wait_until(lambda: len(sent_files()) == 2, what="the first worker to hand two messages to the provider")
    real_workers.kill(first)

    statuses = dict(OutboundMessage.objects.values_list("dedupe_key", "status"))
    assert set(statuses.values()) == {MessageStatus.SENDING}, (
        "the batch was claimed whole; its outcomes not yet written"
    )

    real_workers.start(visibility_timeout=2, MESSAGE_SEND_LEASE_SECONDS="1", **gateway)
    wait_until(
        lambda: OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == MESSAGES,
        what="the restarted worker to finish the batch",
    )

    calls = tmp_path.joinpath("calls.log").read_text().split()
    assert len(sent_files()) == MESSAGES, "each message reached the customer once"
    assert sorted(path.read_text() for path in sent_files()) == sorted(m.dedupe_key for m in messages)
    handed_over = ["crash:0", "crash:1"]
    assert [calls.count(key) for key in handed_over] == [2, 2], "offered again after the death, same reference"
    assert all(calls.count(m.dedupe_key) == 1 for m in messages if m.dedupe_key not in handed_over)
    resent = OutboundMessage.objects.get(dedupe_key="crash:1")
    assert resent.attempts == 2 and resent.gateway_message_id.startswith("folder-")


@pytest.mark.rule("J7")
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_care_scan_whose_worker_is_killed_is_run_again_and_creates_each_task_and_message_once(real_workers, project):
    from touchpoints import tasks

    today = timezone.localdate()
    purchases = [
        PurchaseFactory(
            customer=CustomerFactory(project=project, consents_to_messages=True),
            unit=UnitFactory(building__project=project),
            subscribed_on=today,
        )
        for _ in range(4)
    ]
    # Another transaction holds the third purchase: the scan, writing that purchase's task, waits there.
    real_workers.crash_at(
        type(purchases[2]), purchases[2].pk, start=tasks.run_care_schedule.delay, what="the scan to reach the purchase"
    )

    real_workers.start(visibility_timeout=2)
    welcomes = CareTask.objects.filter(duty=Duty.SUBSCRIPTION_MESSAGE)
    wait_until(lambda: welcomes.count() == len(purchases), what="the restarted worker to run the scan again")

    assert sorted(welcomes.values_list("purchase_id", flat=True)) == sorted(p.pk for p in purchases)
    for purchase in purchases:
        assert OutboundMessage.objects.filter(customer=purchase.customer).count() == 1
    again = run_daily_scan()
    assert (again.created, again.messages) == (0, 0), "the scan after the crash left nothing undone"
