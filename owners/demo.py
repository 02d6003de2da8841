"""A demo owner who signs in on the console gateway: a delivered home with components under warranty."""

import datetime

from django.utils import timezone

from estates.choices import UnitStatus
from members import services as members
from members.models import Customer, Purchase

DEMO_OWNER_MOBILE = "+8613800138000"


def seed(context: dict) -> str:
    """Add the demo owner if missing; return a one-line summary for the command's output."""
    projects = context["projects"]
    if not projects or Customer.objects.filter(mobile=DEMO_OWNER_MOBILE).exists():
        return ""
    project = projects[0]
    unit = (
        project.units.filter(status=UnitStatus.AVAILABLE)
        .exclude(purchases__in=Purchase.objects.exclude(status="cancelled"))
        .order_by("pk")
        .first()
    )
    if unit is None:
        return ""
    customer = members.register_customer(
        project=project, name="演示业主", mobile=DEMO_OWNER_MOBILE, actor=None, consents_to_messages=True
    )
    today = timezone.localdate()
    purchase = members.subscribe(
        customer=customer,
        unit=unit,
        price=unit.list_price,
        actor=None,
        subscribed_on=today - datetime.timedelta(days=500),
    )
    for step, days_ago in (("sign", 490), ("disburse_loan", 470), ("deliver", 400), ("move_in", 380)):
        purchase = members.advance_purchase(
            purchase=purchase, step=step, actor=None, on=today - datetime.timedelta(days=days_ago)
        )
    return "Demo owner: sign in at /owner/ with 13800138000 (the code appears in the outbox and the worker's log)."
