"""Visits and the club invitation (J5), club membership and consent (M1, M3), purchases (J23, J4)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from core.errors import DomainError, TransitionNotAllowed
from estates.choices import UnitStatus
from estates.services import rules_for
from estates.tests.factories import BuildingFactory, UnitFactory
from members import selectors, services
from members.choices import PurchaseStatus, VisitKind
from members.models import Customer, Membership, Visit

from .factories import CustomerFactory, PurchaseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def unit(project):
    return UnitFactory(building=BuildingFactory(project=project))


@pytest.mark.rule("J5")
def test_a_first_visit_records_the_club_invitation_and_joining_makes_a_member(project, consultant):
    visit = services.register_visit(
        project=project,
        mobile="+8613900000001",
        name="王女士",
        actor=consultant,
        invited_to_club=True,
        invitation_outcome="joined",
    )

    assert visit.kind == VisitKind.FIRST and visit.consultant == consultant
    assert Membership.objects.get(customer=visit.customer).source_project == project


@pytest.mark.rule("J5")
def test_an_invitation_without_its_outcome_is_refused(project, consultant):
    with pytest.raises(DomainError) as refused:
        services.register_visit(
            project=project, mobile="+8613900000001", name="王女士", actor=consultant, invited_to_club=True
        )
    assert refused.value.field == "invitation_outcome"
    assert not Customer.objects.exists()


@pytest.mark.rule("J5")
def test_the_invitation_rate_per_consultant(project, consultant):
    services.register_visit(
        project=project,
        mobile="+8613900000001",
        name="甲",
        actor=consultant,
        invited_to_club=True,
        invitation_outcome="declined",
    )
    services.register_visit(project=project, mobile="+8613900000002", name="乙", actor=consultant)
    services.register_visit(project=project, mobile="+8613900000001", actor=consultant)  # return: not counted

    [row] = selectors.invitation_rates(visits=Visit.objects.all())
    assert (row["first_visits"], row["invited"], row["rate"]) == (2, 1, 50)


def test_a_known_phone_links_the_visit_to_the_existing_customer(project, other_project, consultant):
    known = CustomerFactory(project=other_project, mobile="+8613900000009")

    visit = services.register_visit(project=project, mobile="+8613900000009", name="另一个名字", actor=consultant)
    again = services.register_visit(project=project, mobile="+8613900000009", actor=consultant)

    assert visit.customer == known and again.customer == known and Customer.objects.count() == 1
    assert (visit.kind, again.kind) == (VisitKind.FIRST, VisitKind.RETURN)


@pytest.mark.rule("M1")
def test_joining_the_club_gives_a_member_number_level_source_project_and_consent(customer, consultant):
    membership = services.join_club(
        customer=customer, source_project=customer.project, actor=consultant, level="silver", consents_to_messages=True
    )

    customer.refresh_from_db()
    assert membership.member_number.startswith("WK") and membership.joined_on == TODAY.date()
    assert membership.level == "silver" and customer.consents_to_messages is True
    with pytest.raises(DomainError):
        services.join_club(customer=customer, source_project=customer.project, actor=consultant)


@pytest.mark.rule("M3")
def test_opting_out_is_honoured_at_once(customer, consultant):
    membership = services.join_club(
        customer=customer, source_project=customer.project, actor=consultant, consents_to_messages=True
    )
    assert list(selectors.consenting(Customer.objects.all())) == [customer]

    services.update_membership(membership=membership, consents_to_messages=False, actor=consultant)

    assert list(selectors.consenting(Customer.objects.all())) == []


@pytest.mark.rule("J23")
def test_a_purchase_goes_from_subscription_to_move_in_and_the_unit_follows(customer, consultant, unit):
    purchase = services.subscribe(
        customer=customer,
        unit=unit,
        price=Decimal("3500000"),
        actor=consultant,
        deposit=Decimal("50000"),
        agreement_number="RG-001",
        subscribed_on=datetime.date(2026, 11, 1),
    )
    unit.refresh_from_db()
    assert unit.status == UnitStatus.SUBSCRIBED and purchase.consultant == consultant

    steps = [
        ("sign", "signed_on", UnitStatus.SIGNED),
        ("disburse_loan", "loan_disbursed_on", UnitStatus.SIGNED),
        ("deliver", "delivered_on", UnitStatus.DELIVERED),
        ("move_in", "moved_in_on", UnitStatus.DELIVERED),
    ]
    for day, (step, field, unit_status) in enumerate(steps, start=2):
        purchase = services.advance_purchase(
            purchase=purchase, step=step, actor=consultant, on=datetime.date(2026, 11, day * 2)
        )
        unit.refresh_from_db()
        assert getattr(purchase, field) == datetime.date(2026, 11, day * 2) and unit.status == unit_status
    assert purchase.status == PurchaseStatus.MOVED_IN


@pytest.mark.rule("J23")
def test_a_step_out_of_order_or_an_unavailable_unit_is_refused(customer, consultant, unit):
    purchase = services.subscribe(customer=customer, unit=unit, price=Decimal("1"), actor=consultant)
    with pytest.raises(TransitionNotAllowed):
        services.advance_purchase(purchase=purchase, step="deliver", actor=consultant)
    with pytest.raises(TransitionNotAllowed):
        services.subscribe(
            customer=CustomerFactory(project=customer.project), unit=unit, price=Decimal("1"), actor=consultant
        )


@pytest.mark.rule("J4")
@pytest.mark.parametrize(
    ("subscribed", "fields", "allowed"),
    [
        (datetime.date(2026, 11, 21), {}, True),  # the third day
        (datetime.date(2026, 11, 20), {}, False),  # the fourth day
        (datetime.date(2026, 11, 23), {"on_opening_day": True}, False),  # (a) opening day
        (datetime.date(2026, 11, 23), {"discount_points": Decimal("1.00")}, False),  # (b) special discount
        (datetime.date(2026, 11, 23), {"discount_points": Decimal("0.50")}, True),
    ],
)
def test_three_day_no_reason_cancellation(customer, consultant, unit, subscribed, fields, allowed):
    purchase = services.subscribe(
        customer=customer, unit=unit, price=Decimal("1"), actor=consultant, subscribed_on=subscribed, **fields
    )

    if allowed:
        services.cancel_purchase(purchase=purchase, actor=consultant)
        purchase.refresh_from_db()
        unit.refresh_from_db()
        assert purchase.status == PurchaseStatus.CANCELLED and unit.status == UnitStatus.AVAILABLE
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            services.cancel_purchase(purchase=purchase, actor=consultant)
        assert refused.value.code == "cancellation_refused" and refused.value.message
        purchase.refresh_from_db()
        assert purchase.status == PurchaseStatus.SUBSCRIBED


@pytest.mark.rule("J4")
def test_the_cancellation_follows_the_projects_settings(customer, consultant, unit):
    rules = rules_for(customer.project)
    rules.cancellation_excludes_opening_day, rules.cancellation_days = False, 5
    rules.save()
    purchase = services.subscribe(
        customer=customer,
        unit=unit,
        price=Decimal("1"),
        actor=consultant,
        on_opening_day=True,
        subscribed_on=datetime.date(2026, 11, 19),
    )

    services.cancel_purchase(purchase=purchase, actor=consultant)
    rules.three_day_cancellation = False
    rules.save()
    other = services.subscribe(customer=customer, unit=unit, price=Decimal("1"), actor=consultant)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.cancel_purchase(purchase=other, actor=consultant)
    assert "does not offer" in str(refused.value.message) or "不提供" in str(refused.value.message)


@pytest.mark.rule("R2")
def test_a_purchase_keeps_an_audit_trail(customer, consultant, unit):
    purchase = PurchaseFactory(customer=customer, unit=unit)
    services.advance_purchase(purchase=purchase, step="sign", actor=consultant)

    assert [h.status for h in purchase.history.order_by("history_date")] == ["subscribed", "signed"]


def test_a_cancellation_dated_before_the_subscription_or_in_the_future_is_a_field_error(customer, consultant, unit):
    purchase = services.subscribe(
        customer=customer, unit=unit, price=Decimal("1"), actor=consultant, subscribed_on=datetime.date(2026, 11, 23)
    )
    for day in (datetime.date(2026, 11, 22), datetime.date(2026, 11, 25)):
        with pytest.raises(DomainError) as refused:
            services.cancel_purchase(purchase=purchase, actor=consultant, on=day)
        assert refused.value.field == "on"
