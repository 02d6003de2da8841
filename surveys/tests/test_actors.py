"""The record says who did it: a campaign's history names the person who created, sent and closed it,
through the API and from a shell or a worker alike (R2)."""

import pytest

from core.roles import Role
from core.testing import api_client
from members.tests.factories import CustomerFactory, PurchaseFactory

from .. import services
from ..choices import CampaignStatus
from ..models import Campaign


@pytest.mark.rule("R2")
def test_each_move_of_a_campaign_through_the_api_keeps_its_actor(project, staff, questionnaire):
    organiser = staff[Role.CUSTOMER_SERVICE]
    client = api_client(organiser)
    created = client.post(
        "/api/v1/survey-campaigns/",
        {"name": "交付回访", "questionnaire": questionnaire.pk, "project": project.pk, "by_call": True},
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/survey-campaigns/{created.json()['id']}/"

    assert client.post(f"{url}send/").status_code == 200
    assert client.post(f"{url}close/").status_code == 200
    assert client.post(f"{url}close/").status_code == 409

    campaign = Campaign.objects.get()
    moves = [(entry.status, entry.history_user) for entry in campaign.history.order_by("history_date")]
    assert moves == [
        (CampaignStatus.DRAFT, organiser),
        (CampaignStatus.SENT, organiser),
        (CampaignStatus.CLOSED, organiser),
    ]
    assert campaign.created_by == organiser


@pytest.mark.rule("R2")
def test_a_campaign_moved_from_the_shell_keeps_its_actor(project, staff, questionnaire):
    head = staff[Role.CR_HEAD]
    PurchaseFactory(customer=CustomerFactory(project=project))

    campaign = services.create_campaign(name="季度回访", questionnaire=questionnaire, project=project, actor=head)
    services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=head)
    services.close_campaign(campaign=campaign, actor=head)

    assert {entry.history_user for entry in campaign.history.all()} == {head}
    assert campaign.history.count() == 3


@pytest.mark.rule("R2")
def test_a_new_questionnaire_version_names_who_made_it(staff, questionnaire, project):
    from ..choices import ResponseSource

    services.record_response(
        questionnaire=questionnaire, answers={"overall": 4}, source=ResponseSource.TABLET, project=project, actor=None
    )
    revised = services.revise_questionnaire(
        questionnaire=questionnaire, changes={"title": "新版"}, actor=staff[Role.CR_HEAD]
    )

    assert revised.version == questionnaire.version + 1
    assert revised.history.first().history_user == staff[Role.CR_HEAD]
    assert questionnaire.history.first().history_user == staff[Role.CR_HEAD]  # the old version set aside
