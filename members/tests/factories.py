import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from estates.tests.factories import ProjectFactory
from members.choices import FollowUpMethod, LeadGrade
from members.models import Customer, FollowUp, Lead, Purchase


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"客户{n}")
    mobile = factory.Sequence(lambda n: f"+86138{n:08d}")


class PurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purchase

    customer = factory.SubFactory(CustomerFactory)
    unit = factory.SubFactory(
        "estates.tests.factories.UnitFactory", building__project=factory.SelfAttribute("...customer.project")
    )
    price = Decimal("3500000")
    subscribed_on = datetime.date(2026, 1, 10)


class LeadFactory(factory.django.DjangoModelFactory):
    """A C lead with C's checklist; use services.open_lead when the grading itself matters."""

    class Meta:
        model = Lead

    customer = factory.SubFactory(CustomerFactory)
    project = factory.SelfAttribute("customer.project")
    consultant = factory.SelfAttribute("customer.consultant")
    grade = LeadGrade.C
    criteria = factory.LazyAttribute(lambda lead: list(CRITERIA.get(lead.grade, [])))
    graded_at = factory.LazyFunction(timezone.now)
    next_follow_up_on = factory.LazyFunction(timezone.localdate)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    lead = factory.SubFactory(LeadFactory)
    consultant = factory.SelfAttribute("lead.consultant")
    method = FollowUpMethod.CALL
    content = "电话回访"
    grade = factory.SelfAttribute("lead.grade")


A_CRITERIA = ["unit_chosen", "money_paid", "funds_ready"]
B_CRITERIA = [
    "clear_intention",
    "units_shortlisted",
    "can_afford",
    "accepts_location",
    "accepts_product",
    "accepts_price",
]
C_CRITERIA = ["can_afford", "can_be_guided", "has_need"]
# A checklist that fits each grade (rule L1, members.grading).
CRITERIA = {
    "A": A_CRITERIA,
    "B": B_CRITERIA,
    "C": C_CRITERIA,
    "C1": [*C_CRITERIA, "price_resistance"],
    "C2": ["can_afford", "has_need", "later_phase_fits"],
    "D": ["no_fit"],
    "invalid": ["invalid_visit"],
}
