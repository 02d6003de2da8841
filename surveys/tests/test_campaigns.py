"""Campaigns: target group, one-time links through the outbox, reminders, response rate."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import DomainError, TransitionNotAllowed
from core.paging import COUNT_CAP
from core.roles import Role
from core.testing import api_client
from members.tests.factories import CustomerFactory, PurchaseFactory
from surveys import selectors, services
from surveys.models import Campaign, Invitation, Reminder, Response
from touchpoints.models import OutboundMessage

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 6, 1, 10, tzinfo=TZ)


def campaign_for(project, questionnaire, **fields):
    return services.create_campaign(
        **{"name": "交付回访", "questionnaire": questionnaire, "project": project, "actor": None, **fields}
    )


@pytest.fixture
def owners(project):
    """Two owners delivered in May (one without consent), one delivered last year, one only subscribed."""
    may = [
        PurchaseFactory(
            customer=CustomerFactory(project=project, consents_to_messages=consent, name=name),
            delivered_on=datetime.date(2026, 5, day),
            moved_in_on=datetime.date(2026, 5, day),
        )
        for name, consent, day in (("王女士", True, 5), ("李先生", False, 20))
    ]
    PurchaseFactory(
        customer=CustomerFactory(project=project),
        delivered_on=datetime.date(2025, 5, 1),
        moved_in_on=datetime.date(2025, 5, 1),
    )
    PurchaseFactory(customer=CustomerFactory(project=project))
    return may


def test_the_target_is_the_projects_owners_whose_step_falls_in_the_period(project, questionnaire, owners):
    campaign = campaign_for(
        project,
        questionnaire,
        step="moving_in",
        period_start=datetime.date(2026, 5, 1),
        period_end=datetime.date(2026, 5, 31),
    )

    targets = selectors.campaign_targets(campaign, on=datetime.date(2026, 6, 1))

    assert sorted(customer.name for customer, _ in targets) == ["李先生", "王女士"]
    assert {purchase.pk for _, purchase in targets} == {purchase.pk for purchase in owners}


@pytest.mark.rule("S3")
def test_the_target_can_be_one_owner_segment(project, questionnaire, owners):
    stable = campaign_for(project, questionnaire, segment="stable")
    pre = campaign_for(project, questionnaire, segment="pre_owner")

    # On 1 June the May owners are pre-owners (under 3 months); last year's owner is stable (13 months).
    assert len(selectors.campaign_targets(stable, on=datetime.date(2026, 6, 1))) == 1
    assert len(selectors.campaign_targets(pre, on=datetime.date(2026, 6, 1))) == 3


def test_sending_invites_each_target_once_through_the_outbox_with_a_hashed_token(project, questionnaire, owners):
    campaign = campaign_for(project, questionnaire, step="moving_in", period_start=datetime.date(2026, 5, 1))

    with time_machine.travel(NOW, tick=False):
        first = services.send_campaign(campaign=campaign, base_url="https://crm.example.com/", actor=None)
        second = services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)

    assert (first, second) == (2, 0)
    invitation = Invitation.objects.get(customer__name="王女士")
    message = OutboundMessage.objects.get(dedupe_key=f"survey:{invitation.pk}")
    assert message.purpose == "survey" and "https://crm.example.com/surveys/s/" in message.body
    token = message.body.split("/surveys/s/")[1].split("/")[0]
    assert len(token) >= 40 and token not in invitation.token_hash
    assert selectors.invitation_for_token(token) == invitation
    assert invitation.expires_at == NOW + datetime.timedelta(days=14)
    assert OutboundMessage.objects.filter(purpose="survey").count() == 2  # consent is checked when sending (M3)
    campaign.refresh_from_db()
    assert campaign.status == "sent" and campaign.sent_at == NOW


def test_a_campaign_to_visitors_invites_the_projects_customers_who_have_not_bought_by_name(
    project, questionnaire, owners
):
    with time_machine.travel(datetime.datetime(2026, 5, 10, 10, tzinfo=TZ), tick=False):
        visitor = CustomerFactory(project=project, name="赵先生")
    CustomerFactory(name="别的项目")
    campaign = campaign_for(project, questionnaire, segment="visitor", period_start=datetime.date(2026, 5, 1))

    with time_machine.travel(NOW, tick=False):
        assert services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None) == 1

    invitation = Invitation.objects.get()
    assert invitation.customer == visitor and invitation.purchase is None
    message = OutboundMessage.objects.get(dedupe_key=f"survey:{invitation.pk}")
    assert message.body.startswith("尊敬的赵先生") and message.project == project


def test_a_campaign_is_sent_in_the_same_statements_to_any_number_of_owners_and_drained_by_one_worker_task(
    project, questionnaire, staff, celery_eager, on_commit
):
    """A year-end survey goes to every owner of a large project, thousands of them: its invitations and their
    messages are written together, not one by one, and the messages are sent by one drain of the outbox."""
    client = api_client(staff[Role.CUSTOMER_SERVICE])

    def send_to_every_owner():
        campaign = campaign_for(project, questionnaire)
        with on_commit(), CaptureQueriesContext(connection) as statements:
            sent = client.post(f"/api/v1/survey-campaigns/{campaign.pk}/send/")
        assert sent.status_code == 200, sent.content
        written = [q["sql"] for q in statements.captured_queries if q["sql"].startswith("INSERT")]
        inserts = {table: sum(table in sql for sql in written) for table in INSERTED_BY_A_SEND}
        return sent.json(), len(statements.captured_queries), inserts, campaign

    owners = [
        # the first owner refused messages (M3): invited, but not messaged
        PurchaseFactory(customer=CustomerFactory(project=project, consents_to_messages=number != 0))
        for number in range(3)
    ]
    few, few_statements, few_inserts, _ = send_to_every_owner()
    owners += [PurchaseFactory(customer=CustomerFactory(project=project, consents_to_messages=True)) for _ in range(9)]
    many, many_statements, many_inserts, campaign = send_to_every_owner()

    assert (few["status"], few["invited"], many["status"], many["invited"]) == ("sent", 3, "sent", 12)
    assert many_statements == few_statements
    # one statement each for the invitations and their messages; one drain of the outbox, not a task a message
    assert many_inserts == few_inserts == dict.fromkeys(INSERTED_BY_A_SEND, 1)
    messages = OutboundMessage.objects.filter(
        dedupe_key__in=[f"survey:{pk}" for pk in campaign.invitations.values_list("pk", flat=True)]
    )
    assert dict(messages.values_list("status").annotate(n=Count("*"))) == {"sent": 11, "suppressed": 1}
    assert all("/surveys/s/" in body for body in messages.values_list("body", flat=True))


INSERTED_BY_A_SEND = ("surveys_invitation", "touchpoints_outboundmessage", "core_queuedtask")


def test_a_campaign_needs_a_channel_and_a_sane_period(project, questionnaire):
    with pytest.raises(DomainError):
        campaign_for(project, questionnaire, by_message=False, by_call=False)
    with pytest.raises(DomainError):
        campaign_for(
            project, questionnaire, period_start=datetime.date(2026, 5, 2), period_end=datetime.date(2026, 5, 1)
        )


def test_a_closed_campaign_cannot_be_sent(project, questionnaire):
    campaign = services.close_campaign(campaign=campaign_for(project, questionnaire), actor=None)
    with pytest.raises(TransitionNotAllowed):
        services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)


def test_reminders_go_to_those_who_have_not_answered_once_each_even_when_run_twice(project, questionnaire, owners):
    campaign = campaign_for(
        project,
        questionnaire,
        step="moving_in",
        period_start=datetime.date(2026, 5, 1),
        reminder_after_days=3,
        max_reminders=2,
    )
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)
    answered = Invitation.objects.get(customer__name="李先生")
    services.answer_by_call(invitation=answered, answers={"overall": 5}, actor=None)

    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        too_early = services.send_due_reminders()
    with time_machine.travel(NOW + datetime.timedelta(days=3, hours=1), tick=False):
        first = services.send_due_reminders()
        again = services.send_due_reminders()
    with time_machine.travel(NOW + datetime.timedelta(days=6, hours=1), tick=False):
        second = services.send_due_reminders()
    with time_machine.travel(NOW + datetime.timedelta(days=13), tick=False):
        beyond_the_maximum = services.send_due_reminders()

    assert (too_early, first, again, second, beyond_the_maximum) == (0, 1, 0, 1, 0)
    pending = Invitation.objects.get(customer__name="王女士")
    assert list(Reminder.objects.values_list("invitation", "number")) == [(pending.pk, 1), (pending.pk, 2)]
    assert OutboundMessage.objects.filter(dedupe_key=f"survey-reminder:{pending.pk}:1").exists()
    assert not OutboundMessage.objects.filter(dedupe_key__startswith=f"survey-reminder:{answered.pk}:").exists()


def test_the_days_run_reminds_everyone_due_even_behind_a_batch_of_invitations_whose_next_reminder_is_not_due(
    project, questionnaire, monkeypatch
):
    """A large campaign's owners were reminded once; a newer campaign's are due their first reminder. The run reads
    the pending invitations a batch at a time: the older ones, waiting for their second, must not use it up."""
    monkeypatch.setattr(selectors, "REMINDER_BATCH", 2)
    for _ in range(7):
        PurchaseFactory(customer=CustomerFactory(project=project, consents_to_messages=True))
    older = campaign_for(project, questionnaire, reminder_after_days=3, max_reminders=2, link_valid_days=30)
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=older, base_url="https://crm.example.com", actor=None)
    with time_machine.travel(NOW + datetime.timedelta(days=3, hours=1), tick=False):
        reminded_once = services.send_due_reminders()
    newer = campaign_for(project, questionnaire, name="新活动", reminder_after_days=1)
    with time_machine.travel(NOW + datetime.timedelta(days=4), tick=False):
        services.send_campaign(campaign=newer, base_url="https://crm.example.com", actor=None)

    with time_machine.travel(NOW + datetime.timedelta(days=5, hours=1), tick=False):
        newer_due = services.send_due_reminders()

    assert (reminded_once, newer_due) == (7, 7)
    reminded = Reminder.objects.filter(invitation__campaign=newer, number=1, message__isnull=False)
    assert reminded.count() == 7
    assert not Reminder.objects.filter(invitation__campaign=older, number=2).exists()  # due on day 6


def test_the_reminder_duty_is_guarded_by_a_database_constraint(project, questionnaire, owners):
    from django.db import IntegrityError, transaction

    campaign = campaign_for(project, questionnaire)
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)
    invitation = Invitation.objects.first()
    Reminder.objects.create(invitation=invitation, number=1, token_hash="a" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(invitation=invitation, number=1, token_hash="b" * 64)


def test_the_reminder_duty_is_registered_with_beat(db):
    from core import schedules

    assert "surveys.send_reminders" in {duty.task for duty in schedules.registered()}


def test_the_reminders_link_works_too(project, questionnaire, owners):
    campaign = campaign_for(project, questionnaire, step="moving_in", reminder_after_days=1)
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)
    with time_machine.travel(NOW + datetime.timedelta(days=1, hours=1), tick=False):
        services.send_due_reminders()
        reminder = Reminder.objects.select_related("message").first()
        token = reminder.message.body.split("/surveys/s/")[1].split("/")[0]
        response = services.submit_by_link(token=token, answers={"overall": 4})

    assert response.invitation == reminder.invitation and response.source == "web"


def test_the_response_rate_counts_answered_invitations(project, questionnaire, owners):
    campaign = campaign_for(project, questionnaire)
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)
    first = Invitation.objects.order_by("pk").first()
    services.answer_by_call(invitation=first, answers={"overall": 4}, actor=None)

    listed = selectors.campaign_list().get(pk=campaign.pk)

    assert (listed.invited, listed.answered, selectors.response_rate(listed)) == (4, 1, 25.0)


def test_the_campaign_list_counts_each_campaigns_invitations_and_counts_the_campaigns_without_reading_them(
    project, questionnaire, owners, staff
):
    sent = campaign_for(project, questionnaire)
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=sent, base_url="https://crm.example.com", actor=None)
    services.answer_by_call(invitation=Invitation.objects.order_by("pk").first(), answers={"overall": 4}, actor=None)
    draft = campaign_for(project, questionnaire, name="尚未发出")
    client = api_client(staff[Role.CUSTOMER_SERVICE])

    listed = client.get("/api/v1/survey-campaigns/").json()["results"]
    with CaptureQueriesContext(connection) as statements:
        first_page = client.get("/api/v1/survey-campaigns/", {"page_size": 1}).json()

    figures = {row["id"]: (row["invited"], row["answered"], row["response_rate"]) for row in listed}
    assert figures == {sent.pk: (4, 1, 25.0), draft.pk: (0, 0, None)}
    assert first_page["count"] == 2  # a full first page: the list was counted
    counted = [query["sql"] for query in statements.captured_queries if f"LIMIT {COUNT_CAP + 1}" in query["sql"]]
    assert counted and not any("surveys_invitation" in sql for sql in counted)


def test_each_campaign_keeps_its_counts_whoever_writes_its_invitations(project, questionnaire, owners, staff):
    campaign = campaign_for(project, questionnaire)
    other = campaign_for(project, questionnaire, name="另一次")
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)
    edited_in_the_admin = Campaign.objects.get(pk=campaign.pk)
    first, second, third, _fourth = Invitation.objects.filter(campaign=campaign).order_by("pk")

    services.answer_by_call(invitation=first, answers={"overall": 4}, actor=None)
    edited_in_the_admin.name = "年终满意度（改名）"
    edited_in_the_admin.save()  # loaded before the answer: its whole save keeps the database's counts
    second.delete()
    Invitation.objects.filter(pk=third.pk).update(campaign=other, answered_at=NOW)

    listed = api_client(staff[Role.CUSTOMER_SERVICE]).get("/api/v1/survey-campaigns/").json()["results"]
    figures = {row["id"]: (row["name"], row["invited"], row["answered"]) for row in listed}
    assert figures == {campaign.pk: ("年终满意度（改名）", 2, 1), other.pk: ("另一次", 1, 1)}


# ---------------------------------------------------------------- the one-time link


@pytest.fixture
def link(project, questionnaire, owners):
    campaign = campaign_for(project, questionnaire, step="moving_in", link_valid_days=7)
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)
    invitation = Invitation.objects.get(customer__name="王女士")
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        yield invitation, services.issue_link(invitation=invitation)


def test_the_link_works_once(link):
    invitation, token = link
    response = services.submit_by_link(token=token, answers={"overall": 5, "service": 4})

    with pytest.raises(TransitionNotAllowed) as second:
        services.submit_by_link(token=token, answers={"overall": 1})

    assert second.value.code == "already_answered"
    assert Response.objects.get() == response and response.invitation == invitation and response.source == "web"
    assert response.segment == "pre_owner"
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


def test_the_link_expires(link):
    _invitation, token = link
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, seconds=1), tick=False):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.submit_by_link(token=token, answers={"overall": 5})
    assert refused.value.code == "expired" and not Response.objects.exists()


def test_a_guessed_or_altered_token_opens_nothing(link):
    _invitation, token = link
    with pytest.raises(DomainError):
        services.submit_by_link(token=token[:-1] + ("A" if token[-1] != "A" else "B"), answers={"overall": 5})
    assert selectors.invitation_for_token("") is None


def test_the_call_center_answers_an_invitation_once(link, staff):
    invitation, _token = link
    services.answer_by_call(invitation=invitation, answers={"overall": 4}, actor=staff[Role.CALL_CENTER])
    with pytest.raises(TransitionNotAllowed):
        services.answer_by_call(invitation=invitation, answers={"overall": 4}, actor=staff[Role.CALL_CENTER])
    assert Response.objects.get().entered_by == staff[Role.CALL_CENTER]


# ---------------------------------------------------------------- the campaign API


def test_customer_service_creates_and_sends_a_campaign_through_the_api(project, questionnaire, owners, staff):
    client = api_client(staff[Role.CUSTOMER_SERVICE])

    created = client.post(
        "/api/v1/survey-campaigns/",
        {
            "name": "五月交付回访",
            "questionnaire": questionnaire.pk,
            "project": project.pk,
            "step": "moving_in",
            "period_start": "2026-05-01",
            "period_end": "2026-05-31",
        },
        format="json",
    )
    sent = client.post(f"/api/v1/survey-campaigns/{created.json()['id']}/send/")

    assert created.status_code == 201, created.json()
    assert sent.status_code == 200 and sent.json()["invited"] == 2 and sent.json()["response_rate"] == 0.0
    assert api_client(staff[Role.CONSULTANT]).get("/api/v1/survey-campaigns/").status_code == 403
    assert (
        api_client(staff[Role.SALES_MANAGER]).post(f"/api/v1/survey-campaigns/{created.json()['id']}/send/").status_code
        == 403
    )


def test_a_campaign_in_another_project_is_refused(other_project, questionnaire, staff):
    response = api_client(staff[Role.CUSTOMER_SERVICE]).post(
        "/api/v1/survey-campaigns/",
        {"name": "x", "questionnaire": questionnaire.pk, "project": other_project.pk},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert not Campaign.objects.exists()


def test_the_reminder_task_calls_the_duty(project, questionnaire, owners):
    from surveys.tasks import send_reminders

    campaign = campaign_for(project, questionnaire, reminder_after_days=1)
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        assert send_reminders.apply().get() == 4
        assert send_reminders.apply().get() == 0
