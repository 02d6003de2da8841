import datetime

import pytest
import time_machine
from django.utils import timezone

from estates.tests.factories import UnitFactory
from members.tests.factories import CustomerFactory, PurchaseFactory


@pytest.fixture
def frozen():
    """Freeze the clock at noon Shanghai time of a given date: `frozen(date)` inside a `with`."""

    def at(day: datetime.date):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        return time_machine.travel(moment, tick=False)

    return at


@pytest.fixture
def buy(project):
    """A purchase in `project` with the given milestone dates."""

    def make(project=project, customer=None, **dates):
        customer = customer or CustomerFactory(project=project, consents_to_messages=True)
        dates.setdefault("subscribed_on", datetime.date(2025, 1, 10))
        status = (
            "moved_in"
            if dates.get("moved_in_on")
            else "delivered"
            if dates.get("delivered_on")
            else "signed"
            if dates.get("signed_on")
            else "subscribed"
        )
        return PurchaseFactory(customer=customer, unit=UnitFactory(building__project=project), status=status, **dates)

    return make
