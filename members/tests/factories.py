import factory

from estates.tests.factories import ProjectFactory
from members.models import Customer


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"客户{n}")
    mobile = factory.Sequence(lambda n: f"+86138{n:08d}")
