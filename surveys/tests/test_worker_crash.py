"""A worker killed in the middle of a large year-end import: after a restart the file is written once, whole (R3).

A real `celery worker` on Redis and PostgreSQL. Another transaction holds the last row's customer, so the worker's
writing stops there with the responses before it written but not committed. The worker is SIGKILLed, its
transaction dies with it, and Redis hands the unacknowledged import to the restarted worker.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from core.testing import make_staff, wait_until
from members.tests.factories import CustomerFactory
from surveys.choices import ImportStatus
from surveys.models import FollowUp, ImportBatch, Response

from .factories import standard_questionnaire
from .test_import import HEADERS, workbook

ROWS = 6


@pytest.mark.rule("S5")
@pytest.mark.rule("R3")
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_year_end_import_whose_worker_is_killed_is_written_once_whole_by_the_restarted_worker(
    real_workers, project, client, settings
):
    settings.SURVEY_IMPORT_ASYNC_ROWS = 2
    questionnaire = standard_questionnaire(kind="year_end", step="caring")
    customers = CustomerFactory.create_batch(ROWS, project=project)
    scores = [1] + [5] * (ROWS - 1)
    rows = [
        [project.name, customer.mobile.as_e164[-11:], "稳定期", "2026-12-01", score, 4, "是", "是", None, None]
        for customer, score in zip(customers, scores, strict=True)
    ]
    client.force_login(make_staff(Role.CUSTOMER_SERVICE, projects=[project]))

    def upload():
        file = SimpleUploadedFile("year-end.xlsx", workbook(rows, HEADERS).read())
        answer = client.post("/surveys/import/", {"questionnaire": questionnaire.pk, "firm": "零点调查", "file": file})
        assert answer.status_code == 302

    real_workers.crash_at(type(customers[-1]), customers[-1].pk, start=upload, what="the import to reach the customer")
    assert not Response.objects.exists(), "the killed worker's rows died with its transaction"

    real_workers.start(visibility_timeout=2)
    batch = ImportBatch.objects.filter(firm="零点调查")
    wait_until(lambda: batch.get().status != ImportStatus.IMPORTING, what="the restarted worker to import the file")

    assert batch.get().status == ImportStatus.DONE
    assert sorted(Response.objects.values_list("customer_id", flat=True)) == sorted(c.pk for c in customers)
    assert FollowUp.objects.count() == 1, "the low score's follow-up raised once (S6)"
