"""The owner's home page: their units with delivery state, each component's warranty end, progress letters,
notices and open days of their projects, and survey invitations still waiting."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from estates.models import WarrantyOverride
from members.tests.factories import PurchaseFactory
from surveys.models import Campaign, Invitation
from surveys.tests.factories import QuestionnaireFactory
from touchpoints.choices import Duty, SubjectKind
from touchpoints.models import CareTask, CommunityNotice, ProgressLetter, SiteOpenDay

TODAY = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.rule("J16")
@time_machine.travel(TODAY, tick=False)
def test_home_shows_units_with_delivery_state_and_component_warranty_ends(
    owner_web, owner_customer, owner_unit, component, project
):
    from estates.tests.factories import ComponentTypeFactory

    short = ComponentTypeFactory(name="门锁", default_warranty_months=6)
    WarrantyOverride.objects.create(project=project, component_type=component, warranty_months=120)
    waiting = PurchaseFactory(customer=owner_customer, status="signed", signed_on=datetime.date(2026, 1, 20))

    page = owner_web(owner_customer).get("/owner/").content.decode()

    assert str(owner_unit) in page and str(waiting.unit) in page
    assert "2025年6月1日已交付" in page
    assert "尚未交付" in page  # the signed one
    assert "至2035年6月1日" in page  # the project's 10-year override, counted from delivery
    assert "已过保修期" in page  # the 6-month lock ended on 2025-12-01
    assert short.name in page


@time_machine.travel(TODAY, tick=False)
def test_home_shows_letters_notices_open_days_and_pending_surveys(
    owner_web, owner_customer, other_owner, project, component
):
    task = CareTask.objects.create(
        duty=Duty.PROGRESS_LETTER,
        subject_kind=SubjectKind.PROJECT,
        subject_id=project.pk,
        company=project.company,
        project=project,
        due_start=datetime.date(2026, 2, 1),
        due_end=datetime.date(2026, 3, 1),
    )
    letter = ProgressLetter.objects.create(
        task=task, project=project, sent_on=datetime.date(2026, 2, 20), construction_progress="主体结构封顶"
    )
    letter.recipients.add(owner_customer)
    SiteOpenDay.objects.create(project=project, sequence=1, planned_on=datetime.date(2026, 4, 18))
    CommunityNotice.objects.create(
        project=project,
        component_type=component,
        expires_in="2026-04",
        body="卫生间防水保修即将到期",
        posted_at=timezone.now(),
    )
    campaign = Campaign.objects.create(name="交付满意度调查", questionnaire=QuestionnaireFactory(), project=project)
    Invitation.objects.create(
        campaign=campaign,
        customer=owner_customer,
        token_hash="a" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    answered = Campaign.objects.create(name="已答问卷", questionnaire=QuestionnaireFactory(), project=project)
    Invitation.objects.create(
        campaign=answered,
        customer=owner_customer,
        token_hash="b" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        answered_at=timezone.now(),
    )

    page = owner_web(owner_customer).get("/owner/").content.decode()

    assert "主体结构封顶" in page and "卫生间防水保修即将到期" in page and "交付满意度调查" in page
    assert "2026年4月18日" in page
    assert "已答问卷" not in page
    other_page = owner_web(other_owner).get("/owner/").content.decode()
    assert "主体结构封顶" not in other_page  # letters only to their recipients
