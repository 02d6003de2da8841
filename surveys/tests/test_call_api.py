"""The call center's survey calls through the API: the queue of customers to call and the answers
given on the phone (J8, S4, S6), scoped to the agent's projects and refused to other roles."""

import datetime
import itertools

import pytest
import time_machine

from core.roles import Role
from core.testing import api_client, count_queries, make_staff
from members.tests.factories import CustomerFactory, PurchaseFactory

from .. import services
from ..choices import FollowUpStatus, ResponseSource
from ..models import Campaign, FollowUp, Invitation, Response

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 6, 1, 10, tzinfo=TZ)
URL = "/api/v1/survey-calls/"


_phones = itertools.count(13812345670)


def call_campaign(project, questionnaire, *, by_call=True, customers=1):
    for number in range(customers):
        PurchaseFactory(customer=CustomerFactory(project=project, name=f"王女士{number}", mobile=f"+86{next(_phones)}"))
    campaign = services.create_campaign(
        name="签约回访",
        questionnaire=questionnaire,
        project=project,
        by_call=by_call,
        by_message=not by_call,
        actor=None,
    )
    with time_machine.travel(NOW, tick=False):
        services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=None)
    return campaign


@pytest.mark.rule("J8", "S4")
def test_the_agent_lists_the_calls_due_with_the_questions(project, other_project, staff, questionnaire):
    mine = call_campaign(project, questionnaire)
    theirs = call_campaign(other_project, questionnaire)
    call_campaign(project, questionnaire, by_call=False)  # by message only: nobody to call

    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        group = api_client(staff[Role.CALL_CENTER]).get(URL)
        local = api_client(staff[Role.CUSTOMER_SERVICE]).get(URL)

    assert group.status_code == local.status_code == 200
    # the group call center calls for every project; customer service only for its own
    assert sorted(row["campaign"] for row in group.json()["results"]) == [mine.pk, theirs.pk]
    rows = local.json()["results"]
    assert [(row["campaign"], row["customer_name"]) for row in rows] == [(mine.pk, "王女士0")]
    assert rows[0]["mobile"] == mine.invitations.get().customer.mobile.as_e164[3:]  # unmasked: the agent dials it
    assert [item["code"] for item in rows[0]["questionnaire"]["items"]][:2] == ["overall", "service"]


@pytest.mark.rule("J8", "S4", "S6")
def test_the_agent_records_the_answers_given_on_the_phone(project, staff, questionnaire):
    call_campaign(project, questionnaire)
    invitation = Invitation.objects.get()
    agent = staff[Role.CALL_CENTER]
    client = api_client(agent)

    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        saved = client.post(
            f"{URL}{invitation.pk}/answer/",
            {"answers": {"overall": 2, "service": 4, "buy_again": True, "recommend": False, "channel": "网络"}},
            format="json",
        )
        again = client.post(f"{URL}{invitation.pk}/answer/", {"answers": {"overall": 5}}, format="json")
        queue = client.get(URL).json()

    assert saved.status_code == 201, saved.json()
    recorded = Response.objects.get()
    assert (recorded.source, recorded.entered_by, recorded.overall_score) == (ResponseSource.CALL_CENTER, agent, 2)
    assert saved.json()["overall_score"] == 2 and saved.json()["source"] == ResponseSource.CALL_CENTER
    assert FollowUp.objects.get(response=recorded).status == FollowUpStatus.OPEN  # a 2 is called back (S6)
    assert again.status_code == 409 and Response.objects.count() == 1
    assert queue["count"] == 0  # answered: off the queue


def test_bad_answers_are_refused_with_the_question_at_fault(project, staff, questionnaire):
    call_campaign(project, questionnaire)
    invitation = Invitation.objects.get()

    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        response = api_client(staff[Role.CALL_CENTER]).post(
            f"{URL}{invitation.pk}/answer/", {"answers": {"overall": 9}}, format="json"
        )

    assert response.status_code == 400 and "overall" in response.json()
    assert not Response.objects.exists()
    assert Invitation.objects.get().answered_at is None


@pytest.mark.rule("R1")
def test_roles_and_projects_that_may_not_take_survey_calls_are_refused(project, other_project, staff, questionnaire):
    call_campaign(other_project, questionnaire)
    theirs = Invitation.objects.get()
    outsider = make_staff(Role.CUSTOMER_SERVICE, projects=[project])

    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        consultant = api_client(staff[Role.CONSULTANT])
        assert consultant.get(URL).status_code == 403
        assert (
            consultant.post(f"{URL}{theirs.pk}/answer/", {"answers": {"overall": 5}}, format="json").status_code == 403
        )
        assert api_client(staff[Role.SALES_MANAGER]).get(URL).status_code == 403
        other = api_client(outsider)
        assert other.get(URL).json()["count"] == 0
        assert other.post(f"{URL}{theirs.pk}/answer/", {"answers": {"overall": 5}}, format="json").status_code == 404
        assert api_client(staff[Role.CUSTOMER_SERVICE]).get(URL).status_code == 200

    assert not Response.objects.exists()


def test_an_expired_or_closed_call_is_no_longer_due(project, staff, questionnaire):
    campaign = call_campaign(project, questionnaire)
    client = api_client(staff[Role.CALL_CENTER])

    with time_machine.travel(NOW + datetime.timedelta(days=campaign.link_valid_days + 1), tick=False):
        assert client.get(URL).json()["count"] == 0
    services.close_campaign(campaign=Campaign.objects.get(), actor=staff[Role.CUSTOMER_SERVICE])
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert client.get(URL).json()["count"] == 0


def test_the_call_list_keeps_a_constant_number_of_queries(project, staff, questionnaire):
    call_campaign(project, questionnaire)
    client = api_client(staff[Role.CALL_CENTER])
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        few = count_queries(lambda: client.get(URL))
    call_campaign(project, questionnaire, customers=4)
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert client.get(URL).json()["count"] == 6  # the second campaign calls all five buyers, the first one
        assert count_queries(lambda: client.get(URL)) == few


def test_a_call_without_answers_is_recorded_and_a_refusal_takes_the_customer_off_the_queue(
    project, staff, questionnaire
):
    campaign = call_campaign(project, questionnaire, customers=3)
    first, second, third = campaign.invitations.order_by("pk")
    client = api_client(staff[Role.CALL_CENTER])
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        busy = client.post(f"{URL}{first.pk}/calls/", {"outcome": "busy"}, format="json")
        later = client.post(
            f"{URL}{second.pk}/calls/",
            {"outcome": "call_back", "call_back_at": "2026-06-03T19:00:00+08:00", "note": "晚上再打"},
            format="json",
        )
        declined = client.post(f"{URL}{third.pk}/calls/", {"outcome": "declined"}, format="json")
        unknown = client.post(f"{URL}{first.pk}/calls/", {"outcome": "hung_up"}, format="json")
        queue = client.get(URL, {"ordering": "call_back_at"}).json()["results"]
        now = client.get(URL, {"to_call_now": "true"}).json()["results"]

    assert (busy.status_code, later.status_code, declined.status_code) == (201, 201, 201)
    assert unknown.status_code == 400 and "outcome" in unknown.json()
    assert later.json()["call_attempts"] == 1 and later.json()["last_call_outcome"] == "call_back"
    assert [row["id"] for row in queue] == [second.pk, first.pk], "declined: not called again"
    assert [row["id"] for row in now] == [first.pk], "a call-back agreed for tomorrow waits"
    assert second.calls.get().note == "晚上再打"


def test_an_answered_survey_takes_no_more_call_attempts(project, staff, questionnaire):
    invitation = call_campaign(project, questionnaire).invitations.get()
    client = api_client(staff[Role.CALL_CENTER])
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        client.post(f"{URL}{invitation.pk}/answer/", {"answers": {"overall": 5, "service": 5}}, format="json")
        late = client.post(f"{URL}{invitation.pk}/calls/", {"outcome": "no_answer"}, format="json")
    assert late.status_code == 409
    assert not invitation.calls.exists()


def test_the_call_page_records_a_call_and_the_queue_shows_it(project, staff, questionnaire, browser):
    invitation = call_campaign(project, questionnaire).invitations.get()
    agent = browser(staff[Role.CALL_CENTER])
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        page = agent.get(f"/surveys/calls/{invitation.pk}/").content.decode()
        saved = agent.post(f"/surveys/calls/{invitation.pk}/", {"action": "call", "call-outcome": "no_answer"})
        queue = agent.get("/surveys/calls/").content.decode()

    assert f'href="tel:{invitation.customer.mobile.as_e164}"' in page, "the agent calls with one tap"
    assert saved.status_code == 302
    assert invitation.calls.get().outcome == "no_answer"
    assert "1 · 无人接听" in queue
