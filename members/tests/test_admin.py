"""The admin reads leads with the grade's checklist (L1) and decides requests through the service (L8)."""

import pytest

from core.models import User
from core.roles import Role
from members import services
from members.choices import ApprovalStatus, LeadStatus

from .factories import CRITERIA, FollowUpFactory, LeadFactory


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw-for-tests-1")


@pytest.mark.rule("L1")
def test_the_lead_page_in_the_admin_shows_the_grades_checklist(project, staff, superuser, client):
    lead = LeadFactory(
        customer__project=project, consultant=staff[Role.CONSULTANT], grade="C2", criteria=["has_need", "can_afford"]
    )
    client.force_login(superuser)

    page = client.get(f"/admin/members/lead/{lead.pk}/change/").text

    assert page.count("☑") == 2 and page.count("☐") == 1
    assert "later_phase_fits" not in page  # labels, not slugs


@pytest.mark.rule("L8")
def test_approving_in_the_admin_goes_through_the_service_and_its_rules(project, staff, client):
    lead = LeadFactory(customer__project=project, consultant=staff[Role.CONSULTANT], grade="C")
    FollowUpFactory(lead=lead)
    approval = services.regrade_lead(
        lead=lead, grade="invalid", criteria=CRITERIA["invalid"], reason="无效来访", actor=staff[Role.CONSULTANT]
    ).approval
    supervisor = staff[Role.SALES_SUPERVISOR]
    url = "/admin/members/leadapproval/"

    for user in (supervisor, staff[Role.SALES_MANAGER]):
        user.is_staff = True
        user.save()
        client.force_login(user)
        client.post(url, {"action": "approve", "_selected_action": [approval.pk]})
        approval.refresh_from_db()
        lead.refresh_from_db()
        if user == supervisor:
            assert approval.status == ApprovalStatus.PENDING and lead.status == LeadStatus.ACTIVE
    assert approval.status == ApprovalStatus.APPROVED and approval.decided_by == staff[Role.SALES_MANAGER]
    assert lead.grade == "invalid" and lead.grade_changes.get(to_grade="invalid").approval == approval
