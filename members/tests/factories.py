import datetime
from decimal import Decimal

import factory

from estates.tests.factories import ProjectFactory
from members.models import Customer, Purchase


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
    unit = factory.SubFactory("estates.tests.factories.UnitFactory",
                              building__project=factory.SelfAttribute("...customer.project"))
    price = Decimal("3500000")
    subscribed_on = datetime.date(2026, 1, 10)
