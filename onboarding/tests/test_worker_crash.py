"""A worker killed in the middle of a large import: after a restart the file is written once, whole (R3).

A real `celery worker` on Redis and PostgreSQL. The file creates customers and updates one that exists;
another transaction holds that customer, so the import stops there with its new customers written but
not committed. The worker is SIGKILLed, its transaction dies with it, and Redis hands the
unacknowledged import to the restarted worker, which writes the file from the start.
"""

import pytest

from core.testing import wait_until
from lookup.models import CustomerSearchKey
from members.models import Customer
from onboarding.choices import BatchStatus
from onboarding.models import ImportBatch

from .conftest import customers_upload

NEW = 5


@pytest.mark.rule("R3")
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_whose_worker_is_killed_is_written_once_whole_by_the_restarted_worker(
    real_workers, project, settings
):
    admin, known, batch = customers_upload(project, NEW)
    assert batch["report"]["counts"] == {"create": NEW, "update": 1, "unchanged": 0, "refuse": 0}
    settings.ONBOARDING_ASYNC_ROWS = 2  # checked in the request above; written by a worker

    def confirm():
        assert admin.post(f"/api/v1/imports/{batch['id']}/confirm/").status_code == 202

    real_workers.crash_at(Customer, known.pk, start=confirm, what="the import to reach the customer")
    assert Customer.objects.count() == 1, "the killed worker's rows died with its transaction"

    real_workers.start(visibility_timeout=2)
    stored = ImportBatch.objects.filter(pk=batch["id"])
    wait_until(lambda: stored.get().status != BatchStatus.IMPORTING, what="the restarted worker to import the file")

    assert stored.get().status == BatchStatus.DONE
    assert Customer.objects.count() == NEW + 1
    assert sorted(str(c.mobile)[-4:] for c in Customer.objects.exclude(pk=known.pk)) == [f"{n:04d}" for n in range(NEW)]
    known.refresh_from_db()
    assert known.name == "张三丰"
    assert CustomerSearchKey.objects.count() == NEW + 1
    assert Customer.history.filter(history_type="+").count() == NEW + 1, "one creation in the history per customer"
