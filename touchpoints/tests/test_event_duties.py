"""Duties caused by an event happen at the event, through the API; the daily scan only catches up."""

import datetime

import pytest

from core.roles import Role
from core.testing import api_client
from estates.tests.factories import UnitFactory
from members.models import Purchase
from members.tests.factories import CustomerFactory
from touchpoints.choices import Duty, MessageStatus, TaskStatus
from touchpoints.models import CareTask, OutboundMessage
from touchpoints.schedule import run_daily_scan

D = datetime.date
DAY = D(2026, 11, 24)


@pytest.fixture
def subscribe(project, staff, frozen, on_commit, celery_eager):
    """POST a subscription as the consultant on DAY, committed as a real request is."""
    consultant = staff[Role.CONSULTANT]

    def post():
        customer = CustomerFactory(project=project, consultant=consultant, consents_to_messages=True)
        unit = UnitFactory(building__project=project)
        with frozen(DAY), on_commit():
            response = api_client(consultant).post(
                "/api/v1/purchases/",
                {
                    "customer": customer.pk,
                    "unit": unit.pk,
                    "price": "3500000.00",
                    "deposit": "50000.00",
                    "agreement_number": "RG-7",
                },
                format="json",
            )
        assert response.status_code == 201, response.json()
        return Purchase.objects.get(pk=response.json()["id"])

    return post


@pytest.mark.rule("J7", "J22")
def test_a_subscription_sends_its_service_message_with_the_hotline_at_once(subscribe, project, frozen):
    purchase = subscribe()

    message = OutboundMessage.objects.get(customer=purchase.customer)
    assert message.purpose == Duty.SUBSCRIPTION_MESSAGE
    assert project.company.service_hotline in message.body and project.name in message.body
    assert message.status == MessageStatus.SENT
    task = CareTask.objects.get(purchase=purchase, duty=Duty.SUBSCRIPTION_MESSAGE)
    assert task.status == TaskStatus.DONE and task.due_start == DAY

    with frozen(DAY):
        same_day = run_daily_scan()
    with frozen(DAY + datetime.timedelta(days=1)):
        next_day = run_daily_scan()

    assert same_day.messages == next_day.messages == 0
    assert OutboundMessage.objects.filter(customer=purchase.customer).count() == 1
    assert CareTask.objects.filter(purchase=purchase).count() == 1


@pytest.mark.rule("J8", "J9", "J14")
def test_each_step_of_a_purchase_makes_its_care_tasks_due_when_it_is_taken(subscribe, staff, frozen, on_commit):
    purchase = subscribe()
    client = api_client(staff[Role.CONSULTANT])
    url = f"/api/v1/purchases/{purchase.pk}/"

    with frozen(DAY), on_commit():
        assert client.post(f"{url}sign/").status_code == 200
    signed = {task.duty: task for task in CareTask.objects.filter(purchase=purchase)}
    assert set(signed) == {Duty.SUBSCRIPTION_MESSAGE, Duty.SIGNING_FOLLOW_UP_CALL, Duty.SIGNING_SURVEY_CALL}
    call = signed[Duty.SIGNING_FOLLOW_UP_CALL]
    assert call.owner == staff[Role.CONSULTANT] and call.due_end == DAY + datetime.timedelta(days=7)
    assert signed[Duty.SIGNING_SURVEY_CALL].owner_role == Role.CALL_CENTER

    with frozen(DAY), on_commit():
        for step in ("deliver", "move-in"):
            assert client.post(f"{url}{step}/").status_code == 200, step
    duties = set(CareTask.objects.filter(purchase=purchase).values_list("duty", flat=True))
    assert {Duty.DELIVERY_SURVEY_CALL, Duty.MOVE_IN_VISIT} <= duties

    before = CareTask.objects.filter(purchase=purchase).count(), OutboundMessage.objects.count()
    with frozen(DAY):
        run_daily_scan()
    assert (CareTask.objects.filter(purchase=purchase).count(), OutboundMessage.objects.count()) == before


@pytest.mark.rule("J13")
def test_a_subscription_close_to_the_planned_delivery_gets_its_home_pack_task_at_once(
    project, staff, frozen, on_commit, celery_eager
):
    consultant = staff[Role.CONSULTANT]
    customer = CustomerFactory(project=project, consultant=consultant)
    unit = UnitFactory(building__project=project, building__delivery_date=DAY + datetime.timedelta(days=20))

    with frozen(DAY), on_commit():
        response = api_client(consultant).post(
            "/api/v1/purchases/", {"customer": customer.pk, "unit": unit.pk, "price": "3500000.00"}, format="json"
        )

    assert response.status_code == 201
    pack = CareTask.objects.get(purchase_id=response.json()["id"], duty=Duty.HOME_PACK)
    assert pack.owner_role == Role.CUSTOMER_SERVICE and pack.due_end == DAY + datetime.timedelta(days=19)


def test_the_event_running_twice_creates_nothing_more(subscribe, frozen):
    from touchpoints.tasks import run_purchase_duties

    purchase = subscribe()
    with frozen(DAY):
        again = run_purchase_duties(purchase.pk)

    assert again == {"created": 0, "messages": 0}
    assert CareTask.objects.filter(purchase=purchase).count() == 1
    assert OutboundMessage.objects.filter(customer=purchase.customer).count() == 1


def test_a_refused_subscription_causes_no_duty(project, staff, frozen, on_commit, celery_eager):
    unit = UnitFactory(building__project=project, status="subscribed")
    customer = CustomerFactory(project=project, consultant=staff[Role.CONSULTANT])
    with frozen(DAY), on_commit():
        response = api_client(staff[Role.CONSULTANT]).post(
            "/api/v1/purchases/", {"customer": customer.pk, "unit": unit.pk, "price": "1.00"}, format="json"
        )

    assert response.status_code == 409
    assert not CareTask.objects.exists() and not OutboundMessage.objects.exists()


@pytest.mark.rule("J7", "J22")
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_a_real_worker_the_subscription_message_is_queued_once(project, staff):
    from celery.contrib.testing.worker import start_worker

    from touchpoints.tasks import run_purchase_duties
    from vanke_crm.celery import app

    consultant = staff[Role.CONSULTANT]
    customer = CustomerFactory(project=project, consultant=consultant, consents_to_messages=True)
    unit = UnitFactory(building__project=project)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        response = api_client(consultant).post(
            "/api/v1/purchases/", {"customer": customer.pk, "unit": unit.pk, "price": "3500000.00"}, format="json"
        )
        assert response.status_code == 201, response.json()
        purchase_id = response.json()["id"]
        # The worker takes tasks in order: once this second run is done, the one the commit queued is done too.
        again = run_purchase_duties.delay(purchase_id).get(timeout=60)

    assert again == {"created": 0, "messages": 0}
    task = CareTask.objects.get(purchase_id=purchase_id)
    assert task.duty == Duty.SUBSCRIPTION_MESSAGE and task.status == TaskStatus.DONE
    message = OutboundMessage.objects.get(customer=customer)
    assert project.company.service_hotline in message.body


@pytest.mark.rule("J4")
def test_a_cancelled_subscription_is_owed_no_more_care(subscribe, project, staff, frozen, on_commit):
    project.delivery_date = DAY + datetime.timedelta(days=10)  # the home pack falls due at once (J13)
    project.save()
    purchase = subscribe()
    home_pack = CareTask.objects.get(purchase=purchase, duty=Duty.HOME_PACK)
    assert home_pack.status == TaskStatus.DUE
    welcome = OutboundMessage.objects.get(customer=purchase.customer)
    OutboundMessage.objects.filter(pk=welcome.pk).update(status=MessageStatus.QUEUED)  # the sender has not run yet

    with frozen(DAY + datetime.timedelta(days=1)), on_commit():
        answer = api_client(staff[Role.CONSULTANT]).post(f"/api/v1/purchases/{purchase.pk}/cancel/")

    assert answer.status_code == 200
    home_pack.refresh_from_db()
    welcome.refresh_from_db()
    assert home_pack.status == TaskStatus.CANCELLED and welcome.status == MessageStatus.CANCELLED
    ended = home_pack.history.latest()  # what the task's history page in the admin shows last
    assert (ended.status, ended.history_type, ended.history_user) == (
        TaskStatus.CANCELLED,
        "~",
        staff[Role.CONSULTANT],
    )
    assert ended.history_change_reason == "purchase cancelled (J4)"
    with frozen(DAY + datetime.timedelta(days=2)):
        run_daily_scan()
    assert not CareTask.objects.filter(purchase=purchase, status=TaskStatus.DUE).exists()
