"""The record says who did it: changes to plans, tasks, open days, notices and messages keep their actor,
through the API and when a worker or the shell makes them."""

import datetime

import pytest

from core.roles import Role
from core.testing import api_client
from members.tests.factories import CustomerFactory
from touchpoints import messaging, services
from touchpoints.choices import Duty, MessageStatus, OpenDayStatus, TaskStatus
from touchpoints.models import CareTask, OutboundMessage, ProjectAction, SiteOpenDay
from touchpoints.schedule import run_daily_scan

D = datetime.date


def queued_message(project):
    customer = CustomerFactory(project=project)
    return messaging.queue_message(customer=customer, purpose="manual", dedupe_key=f"t:{customer.pk}", body="您好")


@pytest.mark.rule("J3")
def test_a_plan_change_through_the_api_names_who_made_it(project, staff):
    services.ensure_plan(project=project, actor=None)
    optional = ProjectAction.objects.get(project=project, action__code="viewing_service_card")

    response = api_client(staff[Role.CUSTOMER_SERVICE]).patch(
        f"/api/v1/planned-actions/{optional.pk}/", {"is_active": True, "due_on": "2026-04-01"}, format="json"
    )

    assert response.status_code == 200
    latest = optional.history.first()
    assert (latest.is_active, latest.history_user) == (True, staff[Role.CUSTOMER_SERVICE])


@pytest.mark.rule("J22")
def test_a_message_cancelled_through_the_api_names_who_cancelled_it(project, staff):
    message = queued_message(project)

    response = api_client(staff[Role.CUSTOMER_SERVICE]).post(f"/api/v1/messages/{message.pk}/cancel/")

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED and message.cancelled_by == staff[Role.CUSTOMER_SERVICE]
    assert message.cancelled_at is not None


@pytest.mark.rule("J10")
def test_an_open_day_moved_outside_a_request_keeps_its_actor(project, staff, frozen):
    cr = staff[Role.CUSTOMER_SERVICE]
    open_day = SiteOpenDay.objects.create(project=project, sequence=1, planned_on=D(2026, 5, 20))

    with frozen(D(2026, 5, 10)):
        services.evaluate_open_day(
            open_day=open_day, actor=cr, on_schedule=True, site_tidy=True, no_structural_defects=True
        )
        services.hold_open_day(open_day=open_day, held_on=D(2026, 5, 20), visitors=80, actor=staff[Role.CR_HEAD])

    moves = [(entry.status, entry.history_user) for entry in open_day.history.order_by("history_id")][1:]
    assert moves == [(OpenDayStatus.APPROVED, cr), (OpenDayStatus.HELD, staff[Role.CR_HEAD])]


def test_a_deferred_task_keeps_who_deferred_it(project, staff, buy, frozen):
    buy(delivered_on=D(2026, 3, 1), moved_in_on=D(2026, 3, 5))
    with frozen(D(2026, 3, 10)):
        run_daily_scan()
        task = CareTask.objects.get(duty=Duty.MOVE_IN_VISIT)
        services.defer_task(task=task, until=D(2026, 3, 15), actor=staff[Role.CUSTOMER_SERVICE], reason="业主出差")

    latest = task.history.first()
    assert (latest.status, latest.history_user) == (TaskStatus.DEFERRED, staff[Role.CUSTOMER_SERVICE])


def test_a_message_cancelled_from_the_shell_names_who_cancelled_it(project, staff):
    message = queued_message(project)

    assert messaging.cancel(message=message, actor=staff[Role.CR_HEAD])
    assert not messaging.cancel(message=message, actor=staff[Role.CUSTOMER_SERVICE])
    assert OutboundMessage.objects.get(pk=message.pk).cancelled_by == staff[Role.CR_HEAD]


def test_the_admin_shows_who_moved_an_open_day(project, staff, client, frozen):
    from core.testing import make_staff

    open_day = SiteOpenDay.objects.create(project=project, sequence=1, planned_on=D(2026, 5, 20))
    with frozen(D(2026, 5, 10)):
        services.cancel_open_day(open_day=open_day, actor=staff[Role.CR_HEAD], reason="主体存在质量缺陷")
    client.force_login(make_staff(Role.ADMINISTRATOR, is_staff=True))

    page = client.get(f"/admin/touchpoints/siteopenday/{open_day.pk}/history/")

    assert page.status_code == 200 and str(staff[Role.CR_HEAD]) in page.text
