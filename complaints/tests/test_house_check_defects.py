"""J17 with D1: the issues a one-year house check finds become product defects, once each."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.roles import Role
from core.testing import api_client
from estates.tests.factories import UnitFactory
from members.tests.factories import CustomerFactory, PurchaseFactory
from touchpoints.choices import Duty
from touchpoints.models import CareIssue, CareTask
from touchpoints.schedule import run_daily_scan
from touchpoints.signals import house_check_issues_found

from ..choices import DefectCategory, DefectSource
from ..models import Defect
from ..services import raise_house_check_defects

CHECK_DAY = timezone.make_aware(datetime.datetime(2026, 3, 15, 12))
CHECKLIST = {"hardware": "ok", "electrical": "issue", "security": "issue", "appliances": "ok", "railings": "ok"}
ISSUES = [
    {"check_item": "security", "description": "门禁对讲失灵"},
    {"check_item": "electrical", "description": "厨房插座漏电保护跳闸"},
]


@pytest.fixture
def house_check(project):
    """The one-year house check of a household that moved in a year before CHECK_DAY."""
    PurchaseFactory(
        customer=CustomerFactory(project=project),
        unit=UnitFactory(building__project=project),
        status="moved_in",
        subscribed_on=datetime.date(2024, 6, 1),
        delivered_on=datetime.date(2025, 3, 1),
        moved_in_on=datetime.date(2025, 3, 15),
    )
    with time_machine.travel(CHECK_DAY, tick=False):
        run_daily_scan()
    return CareTask.objects.get(duty=Duty.ONE_YEAR_CHECK)


@pytest.mark.rule("J17", "D1")
def test_each_issue_of_a_house_check_recorded_through_the_api_becomes_a_defect(
    project, staff, house_check, on_commit, celery_eager
):
    engineer = staff[Role.ENGINEERING]
    with time_machine.travel(CHECK_DAY, tick=False), on_commit():
        response = api_client(engineer).post(
            f"/api/v1/care-tasks/{house_check.pk}/complete/", {"checklist": CHECKLIST, "issues": ISSUES}, format="json"
        )
    assert response.status_code == 200, response.json()

    listed = api_client(staff[Role.CUSTOMER_SERVICE]).get("/api/v1/defects/", {"project": project.pk})

    rows = sorted(listed.json()["results"], key=lambda row: row["id"])
    assert [(row["source"], row["unit"], row["raised_by"]) for row in rows] == [
        (DefectSource.HOUSE_CHECK, house_check.unit_id, engineer.pk)
    ] * 2
    assert "门禁对讲失灵" in rows[0]["title"] and rows[0]["category"] == DefectCategory.MATERIALS
    assert "厨房插座漏电保护跳闸" in rows[1]["title"] and rows[1]["category"] == DefectCategory.CONSTRUCTION
    issues = CareIssue.objects.filter(task=house_check)
    assert set(Defect.objects.values_list("house_check_issue", flat=True)) == set(issues.values_list("pk", flat=True))


@pytest.mark.rule("J17")
def test_the_event_firing_twice_raises_each_defect_once(project, staff, house_check, on_commit, celery_eager):
    with time_machine.travel(CHECK_DAY, tick=False), on_commit():
        api_client(staff[Role.ENGINEERING]).post(
            f"/api/v1/care-tasks/{house_check.pk}/complete/", {"checklist": CHECKLIST, "issues": ISSUES}, format="json"
        )
    issue_ids = list(CareIssue.objects.values_list("pk", flat=True))

    house_check_issues_found.send(sender=CareIssue, issue_ids=issue_ids)
    caught_up = raise_house_check_defects()

    assert caught_up == 0
    assert Defect.objects.filter(source=DefectSource.HOUSE_CHECK).count() == 2


@pytest.mark.rule("J17")
def test_the_daily_catch_up_raises_a_defect_the_event_missed(project, staff, house_check):
    CareIssue.objects.create(task=house_check, check_item="railings", description="阳台栏杆松动")

    assert raise_house_check_defects() == 1
    assert raise_house_check_defects() == 0
    defect = Defect.objects.get()
    assert defect.category == DefectCategory.CONSTRUCTION and defect.project == project


def test_issues_of_other_visits_raise_no_defect(project, staff, house_check):
    other = CareTask.objects.create(
        duty=Duty.MOVE_IN_VISIT,
        subject_kind="purchase",
        subject_id=999,
        company=project.company,
        project=project,
        due_start=CHECK_DAY.date(),
        due_end=CHECK_DAY.date(),
    )
    issue = CareIssue.objects.create(task=other, description="墙面开裂")

    assert raise_house_check_defects(issue_ids=[issue.pk]) == 0
    assert not Defect.objects.exists()
