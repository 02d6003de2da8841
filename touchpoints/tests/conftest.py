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
        status = ("moved_in" if dates.get("moved_in_on") else "delivered" if dates.get("delivered_on")
                  else "signed" if dates.get("signed_on") else "subscribed")
        return PurchaseFactory(customer=customer, unit=UnitFactory(building__project=project), status=status, **dates)
    return make


@pytest.fixture
def celery_eager():
    """Tasks queued with .delay() run at once in this process, their errors raised in the test."""
    from vanke_crm.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the code under test leaves for after the commit, as the end of a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
