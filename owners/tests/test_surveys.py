"""Surveys in the portal and the owner API (S1): the owner answers an open invitation of theirs once,
signed in, as the message's link would take it; nobody else's, nothing answered or expired."""

import datetime
import re

import pytest
from django.utils import timezone

from surveys.choices import ResponseSource
from surveys.models import Campaign, Invitation, Response
from surveys.tests.factories import standard_questionnaire

ANSWERS = {"overall": 5, "service": 4, "buy_again": True, "recommend": True}


@pytest.fixture
def invite(project):
    campaign = Campaign.objects.create(
        name="交付满意度调查", questionnaire=standard_questionnaire(title="交付满意度问卷"), project=project
    )

    def make(customer, **fields):
        return Invitation.objects.create(
            campaign=campaign,
            customer=customer,
            token_hash=f"{customer.pk:064d}",
            expires_at=timezone.now() + datetime.timedelta(days=7),
            **fields,
        )

    return make


def test_the_owner_lists_answers_and_cannot_answer_twice_through_the_api(owner_api, owner_customer, invite):
    invitation = invite(owner_customer)
    client = owner_api(owner_customer)

    listed = client.get("/api/v1/owner/surveys/").json()["results"]
    assert [(s["id"], s["title"]) for s in listed] == [(invitation.pk, "交付满意度问卷")]
    assert [q["code"] for q in listed[0]["questions"]][:2] == ["overall", "service"]

    answered = client.post(f"/api/v1/owner/surveys/{invitation.pk}/answers/", {"answers": ANSWERS}, format="json")
    assert answered.status_code == 201
    response = Response.objects.get(invitation=invitation)
    assert response.source == ResponseSource.OWNER_PORTAL and response.customer == owner_customer
    assert client.get("/api/v1/owner/surveys/").json()["results"] == []

    again = client.post(f"/api/v1/owner/surveys/{invitation.pk}/answers/", {"answers": ANSWERS}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    assert Response.objects.count() == 1


def test_a_wrong_answer_is_refused_by_field_and_nothing_is_recorded(owner_api, owner_customer, invite):
    invitation = invite(owner_customer)

    refused = owner_api(owner_customer).post(
        f"/api/v1/owner/surveys/{invitation.pk}/answers/", {"answers": {**ANSWERS, "overall": 9}}, format="json"
    )

    assert refused.status_code == 400
    assert not Response.objects.exists() and Invitation.objects.get(pk=invitation.pk).answered_at is None


def test_an_owner_never_sees_or_answers_another_owners_survey(
    owner_api, owner_web, owner_customer, other_owner, invite
):
    theirs = invite(other_owner)
    client = owner_api(owner_customer)

    assert client.get("/api/v1/owner/surveys/").json()["results"] == []
    assert client.get(f"/api/v1/owner/surveys/{theirs.pk}/").status_code == 404
    answer = client.post(f"/api/v1/owner/surveys/{theirs.pk}/answers/", {"answers": ANSWERS}, format="json")
    assert answer.status_code == 404
    assert owner_web(owner_customer).get(f"/owner/surveys/{theirs.pk}/").status_code == 404
    assert not Response.objects.exists()


def test_an_expired_invitation_is_not_offered(owner_api, owner_customer, invite):
    expired = invite(owner_customer)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client = owner_api(owner_customer)

    assert client.get("/api/v1/owner/surveys/").json()["results"] == []
    late = client.post(f"/api/v1/owner/surveys/{expired.pk}/answers/", {"answers": ANSWERS}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "expired"


def test_the_portal_links_the_survey_from_home_and_takes_the_answers(owner_web, owner_customer, invite):
    invitation = invite(owner_customer)
    web = owner_web(owner_customer)

    assert f'href="/owner/surveys/{invitation.pk}/"' in web.get("/owner/").content.decode()
    page = web.get(f"/owner/surveys/{invitation.pk}/")
    assert page.status_code == 200 and "交付满意度问卷" in page.content.decode()

    wrong = web.post(
        f"/owner/surveys/{invitation.pk}/", {"overall": "9", "service": "4", "buy_again": "yes", "recommend": "yes"}
    )
    assert wrong.status_code == 400
    service_inputs = re.findall(r'<input[^>]*name="service"[^>]*>', wrong.content.decode())
    chosen = [tag for tag in service_inputs if 'value="4"' in tag]
    assert len(chosen) == 1 and [tag for tag in service_inputs if "checked" in tag] == chosen, "the answers are kept"
    assert not Response.objects.exists()

    done = web.post(
        f"/owner/surveys/{invitation.pk}/", {"overall": "5", "service": "4", "buy_again": "yes", "recommend": "yes"}
    )
    assert done.status_code == 302
    assert Response.objects.get(invitation=invitation).source == ResponseSource.OWNER_PORTAL
    assert web.get(f"/owner/surveys/{invitation.pk}/").status_code == 404, "answered: no longer offered"
