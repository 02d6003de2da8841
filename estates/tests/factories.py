from decimal import Decimal

import factory

from estates.choices import ProjectStatus
from estates.models import Building, Company, ComponentType, Project, ProjectRules, Unit


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"城市公司{n}")
    city = "深圳"
    service_hotline = "400-800-1234"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"项目{n}")
    code = factory.Sequence(lambda n: f"P{n:04d}")
    city = "深圳"
    status = ProjectStatus.SELLING
    rules = factory.RelatedFactory("estates.tests.factories.ProjectRulesFactory", factory_related_name="project")


class ProjectRulesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectRules


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"{n}栋")
    floors = 18


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: f"{n + 101}")
    floor = 1
    area = Decimal("89.50")
    layout = "三室两厅"
    list_price = Decimal("3580000.00")


class ComponentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComponentType

    name = factory.Sequence(lambda n: f"部品{n}")
    default_warranty_months = 24
