"""The demo data shows every grade and every purchase stage, and a second run adds nothing."""

from core import demo as core_demo
from estates import demo as estates_demo
from members import demo
from members.models import FollowUp, Lead, LeadApproval, Membership, Purchase, Visit


def test_the_sales_demo_covers_every_grade_and_stage_once(db):
    staff = core_demo.seed()
    projects = estates_demo.seed(staff)

    demo.seed(projects=projects, staff=staff)
    counts = [model.objects.count() for model in (Lead, FollowUp, Visit, Membership, Purchase, LeadApproval)]
    demo.seed(projects=projects, staff=staff)

    assert [model.objects.count() for model in (Lead, FollowUp, Visit, Membership, Purchase, LeadApproval)] == counts
    assert set(Lead.objects.values_list("grade", flat=True)) == {"A", "B", "C", "C1", "C2", "D", "invalid"}
    assert set(Purchase.objects.values_list("status", flat=True)) >= {
        "subscribed",
        "signed",
        "loan_disbursed",
        "delivered",
        "moved_in",
    }
    assert LeadApproval.objects.filter(status="pending").exists()
