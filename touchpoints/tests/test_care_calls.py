"""Calls about a care task that did not complete it: recorded, shown in the queue, sorted and filtered by the
time agreed to call back (issue 14 item 8)."""

import datetime

import pytest

from core.roles import Role
from core.testing import api_client
from touchpoints.choices import Duty, TaskStatus
from touchpoints.models import CareTask
from touchpoints.schedule import run_daily_scan

D = datetime.date
NOON = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def visits(project, buy, frozen):
    for _ in range(2):
        buy(project=project, delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 5))
    with frozen(D(2026, 3, 10)):
        run_daily_scan()
    return list(CareTask.objects.filter(duty=Duty.MOVE_IN_VISIT).order_by("pk"))


def call(user, task, **data):
    return api_client(user).post(f"/api/v1/care-tasks/{task.pk}/calls/", data, format="json")


def test_a_call_without_answer_is_recorded_and_the_task_stays_due(visits, staff, frozen):
    task = visits[0]
    with frozen(D(2026, 3, 10)):
        response = call(staff[Role.CUSTOMER_SERVICE], task, outcome="no_answer", note="响铃无人接")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["call_attempts"], body["last_call_outcome"]) == ("due", 1, "no_answer")
    (attempt,) = task.calls.all()
    assert (attempt.outcome, attempt.note, attempt.called_by) == (
        "no_answer",
        "响铃无人接",
        staff[Role.CUSTOMER_SERVICE],
    )


def test_call_back_needs_a_future_time_and_the_queue_sorts_and_filters_by_it(visits, staff, frozen):
    later, other = visits
    service = staff[Role.CUSTOMER_SERVICE]
    with frozen(D(2026, 3, 10)):
        missing = call(service, later, outcome="call_back")
        past = call(service, later, outcome="call_back", call_back_at="2026-03-09T10:00:00+08:00")
        agreed = call(service, later, outcome="call_back", call_back_at="2026-03-11T19:30:00+08:00")
        to_call = (
            api_client(service)
            .get("/api/v1/care-tasks/", {"to_call_now": "true", "duty": Duty.MOVE_IN_VISIT})
            .json()["results"]
        )
        waiting = (
            api_client(service)
            .get("/api/v1/care-tasks/", {"to_call_now": "false", "duty": Duty.MOVE_IN_VISIT})
            .json()["results"]
        )

    assert missing.status_code == 400 and "call_back_at" in missing.json()
    assert past.status_code == 400 and "call_back_at" in past.json()
    assert agreed.status_code == 201
    assert agreed.json()["call_back_at"].startswith("2026-03-11T19:30")
    assert [row["id"] for row in to_call] == [other.pk]
    assert [row["id"] for row in waiting] == [later.pk]
    assert later.calls.count() == 1, "refused attempts leave nothing behind"


def test_a_done_task_takes_no_more_calls_and_other_roles_may_not_record_them(visits, staff, frozen):
    task = visits[0]
    CareTask.objects.filter(pk=task.pk).update(status=TaskStatus.DONE)
    with frozen(D(2026, 3, 10)):
        closed = call(staff[Role.CUSTOMER_SERVICE], task, outcome="busy")
        refused = call(staff[Role.CONSULTANT], visits[1], outcome="busy")
    assert closed.status_code == 409
    assert refused.status_code in (403, 404)
    assert not visits[1].calls.exists()


def test_the_task_page_records_a_call_and_shows_it_in_the_queue(visits, staff, frozen, browser):
    task = visits[0]
    service = staff[Role.CUSTOMER_SERVICE]
    with frozen(D(2026, 3, 10)):
        refused = browser(service).post(
            f"/touchpoints/tasks/{task.pk}/", {"action": "call", "call-outcome": "call_back", "call-note": "开会中"}
        )
        saved = browser(service).post(
            f"/touchpoints/tasks/{task.pk}/",
            {"action": "call", "call-outcome": "call_back", "call-call_back_at": "2026-03-12T09:00"},
        )
        queue = browser(service).get("/touchpoints/tasks/", {"queue": "due", "ordering": "call_back_at"})

    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'value="开会中"' in page, "the form keeps what was typed"
    assert "field-error" in page
    assert saved.status_code == 302
    assert task.calls.get().call_back_at == datetime.datetime(2026, 3, 12, 1, tzinfo=datetime.UTC)
    assert "03-12 09:00" in queue.content.decode()
