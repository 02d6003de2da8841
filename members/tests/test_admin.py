"""The admin reads leads with the grade's checklist (L1) and decides requests through the service (L8)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import User
from core.roles import Role
from members import services
from members.choices import ApprovalStatus, LeadStatus

from .factories import CRITERIA, CustomerFactory, FollowUpFactory, LeadFactory


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


def test_a_leads_customer_and_project_are_kept_in_the_admin_once_it_exists(project, other_project, superuser, client):
    lead = LeadFactory(customer__project=project, grade="C")
    client.force_login(superuser)
    url = f"/admin/members/lead/{lead.pk}/change/"

    form = client.get(url).context["adminform"].form
    client.post(url, {"project": other_project.pk, "customer": CustomerFactory(project=other_project).pk})

    assert "project" not in form.fields and "customer" not in form.fields and "consultant" in form.fields
    lead.refresh_from_db()
    assert (lead.project, lead.customer.project) == (project, project)


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


def test_the_customer_list_in_the_admin_filters_by_date_and_counts_its_rows_once(project, superuser, client):
    """A table that grows with the company: filtered by date in the sidebar (no year links reading every row's
    date), and the list counted once, not again unfiltered."""
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=60), tick=False):
        CustomerFactory(project=project, name="老客户")
    CustomerFactory(project=project, name="新客户")
    client.force_login(superuser)
    since = (now - datetime.timedelta(days=7)).isoformat()

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/members/customer/", {"created_at__gte": since}).text

    assert "新客户" in page and "老客户" not in page
    assert "created_at__gte=" in page  # the sidebar's date choices
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "created_at" in counts[0]
    assert not any("DATE_TRUNC" in q["sql"] or "django_datetime_trunc" in q["sql"] for q in queries.captured_queries)


def test_the_admins_lists_find_rows_by_their_customer_or_their_identifier(project, superuser, client):
    """Issue 15: the admin searches a customer as the dashboard does, through the customer's indexes."""
    from .factories import PurchaseFactory

    wang = CustomerFactory(project=project, name="王芳", mobile="+8613811112222")
    fang = CustomerFactory(project=project, name="芳菲", mobile="+8613833334444")
    LeadFactory(customer=wang)
    LeadFactory(customer=fang)
    PurchaseFactory(customer=wang, agreement_number="RG-0001")
    PurchaseFactory(customer=fang, agreement_number="RG-0002")
    client.force_login(superuser)

    def found(path, text):
        return sorted(str(row) for row in client.get(path, {"q": text}).context["cl"].result_list)

    assert found("/admin/members/customer/", "王") == ["王芳"] and found("/admin/members/customer/", "4444") == ["芳菲"]
    assert [
        lead.customer.name for lead in client.get("/admin/members/lead/", {"q": "芳"}).context["cl"].result_list
    ] == ["芳菲"]
    purchases = client.get("/admin/members/purchase/", {"q": "RG-0002"}).context["cl"].result_list
    assert [purchase.customer.name for purchase in purchases] == ["芳菲"], "by its agreement number, whole"
    purchases = client.get("/admin/members/purchase/", {"q": "138 1111 2222"}).context["cl"].result_list
    assert [purchase.customer.name for purchase in purchases] == ["王芳"], "by its customer's mobile number"
    picked = client.get(
        "/admin/autocomplete/", {"term": "芳", "app_label": "members", "model_name": "lead", "field_name": "customer"}
    ).json()
    assert [row["text"] for row in picked["results"]] == ["芳菲"], "the customer picker searches the same way"
