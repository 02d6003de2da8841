"""An import's task delivered twice at once (the broker redelivering while the first worker still writes): the file
is written once, and the batch says it was, on PostgreSQL where two workers really run side by side."""

import threading

import pytest
from django.db import connection, connections

from core.testing import HeldRowLock, wait_until
from members.models import Customer
from onboarding import services
from onboarding.choices import BatchStatus
from onboarding.models import ImportBatch

from .conftest import customers_upload

NEW = 3


def waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_run_twice_at_once_is_written_once_and_done(project, settings):
    if connection.vendor != "postgresql":
        pytest.skip("two workers writing side by side need a database that locks rows (PostgreSQL)")
    admin, known, batch = customers_upload(project, NEW)
    settings.ONBOARDING_ASYNC_ROWS = 2  # confirmed in the request, written by "workers": the two threads below
    assert admin.post(f"/api/v1/imports/{batch['id']}/confirm/").status_code == 202
    outcomes = []

    def worker():
        try:
            outcomes.append(services.run_import_batch(batch_id=batch["id"]).status)
        finally:
            connections.close_all()

    held = HeldRowLock(Customer, known.pk)  # the first worker stops at this customer
    try:
        workers = [threading.Thread(target=worker) for _ in range(2)]
        for thread in workers:
            thread.start()
        wait_until(lambda: held.someone_waits() and waiting_on_locks() >= 2, what="both deliveries to be under way")
    finally:
        held.release()
    for thread in workers:
        thread.join()

    assert outcomes == [BatchStatus.DONE, BatchStatus.DONE]
    assert ImportBatch.objects.get(pk=batch["id"]).status == BatchStatus.DONE
    assert Customer.objects.count() == NEW + 1
    assert Customer.history.filter(history_type="+").count() == NEW + 1, "each customer created once"
