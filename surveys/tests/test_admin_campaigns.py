"""Campaigns made in the Django admin pass the same channel and period checks as the API and the dashboard."""

import pytest

from core.roles import Role
from core.testing import make_staff

from ..models import Campaign

ADD = "/admin/surveys/campaign/add/"


@pytest.fixture
def organiser(project, client):
    user = make_staff(Role.CR_HEAD, projects=[project], is_staff=True)
    client.force_login(user)
    return user


def form(project, questionnaire, **changes):
    data = {
        "name": "交付回访",
        "questionnaire": questionnaire.pk,
        "project": project.pk,
        "segment": "",
        "step": "",
        "period_start": "2026-06-01",
        "period_end": "2026-06-30",
        "by_message": "on",
        "link_valid_days": 14,
        "reminder_after_days": 3,
        "max_reminders": 1,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_admin_refuses_a_campaign_without_a_channel(project, questionnaire, organiser, client):
    page = client.post(ADD, form(project, questionnaire, by_message=None))

    assert page.status_code == 200
    assert page.context["adminform"].form.errors["by_message"]
    assert not Campaign.objects.exists()


def test_the_admin_refuses_a_period_that_ends_before_it_starts(project, questionnaire, organiser, client):
    page = client.post(ADD, form(project, questionnaire, period_start="2026-06-30", period_end="2026-06-01"))

    assert page.status_code == 200 and page.context["adminform"].form.errors["period_end"]
    assert not Campaign.objects.exists()


def test_the_admin_refuses_an_old_questionnaire_version(project, questionnaire, organiser, client):
    from .. import services
    from ..choices import ResponseSource

    services.record_response(
        questionnaire=questionnaire, answers={"overall": 4}, source=ResponseSource.TABLET, project=project, actor=None
    )
    services.revise_questionnaire(questionnaire=questionnaire, changes={"title": "新版"}, actor=organiser)

    page = client.post(ADD, form(project, questionnaire))

    assert page.status_code == 200 and page.context["adminform"].form.errors["questionnaire"]
    assert not Campaign.objects.exists()


def test_a_valid_campaign_made_in_the_admin_names_who_made_it(project, questionnaire, organiser, client):
    page = client.post(ADD, form(project, questionnaire, by_message=None, by_call="on"))

    assert page.status_code == 302, page.context["adminform"].form.errors
    campaign = Campaign.objects.get()
    assert campaign.by_call and not campaign.by_message
    assert campaign.created_by == organiser and campaign.history.get().history_user == organiser


def test_the_admin_shows_a_campaigns_counts_and_an_edit_keeps_them(project, questionnaire, organiser, client):
    import datetime

    from django.utils import timezone

    from members.tests.factories import CustomerFactory

    from .. import services
    from ..models import Invitation

    campaign = services.create_campaign(
        name="交付回访", questionnaire=questionnaire, project=project, actor=organiser, by_call=True, by_message=False
    )
    expires = timezone.now() + datetime.timedelta(days=14)
    Invitation.objects.bulk_create(
        Invitation(
            campaign=campaign, customer=CustomerFactory(project=project), token_hash=f"{n:064x}", expires_at=expires
        )
        for n in range(3)
    )
    answered = Invitation.objects.filter(campaign=campaign).order_by("pk").first()
    Invitation.objects.filter(pk=answered.pk).update(answered_at=timezone.now())
    change = f"/admin/surveys/campaign/{campaign.pk}/change/"

    opened = client.get(change)
    saved = client.post(change, form(project, questionnaire, name="交付回访（改）", by_message=None, by_call="on"))
    listed = client.get("/admin/surveys/campaign/")

    assert opened.status_code == 200
    assert '<div class="readonly">3</div>' in opened.content.decode()  # invited, shown not edited
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    campaign.refresh_from_db()
    assert (campaign.name, campaign.invited, campaign.answered) == ("交付回访（改）", 3, 1)
    assert listed.context["cl"].result_list.get(pk=campaign.pk).invited == 3
