from estates.models import WarrantyOverride
from estates.services import warranty_months

from .factories import ComponentTypeFactory, ProjectFactory


def test_a_projects_warranty_override_wins_over_the_default(db):
    windows = ComponentTypeFactory(default_warranty_months=24)
    ordinary, special = ProjectFactory(), ProjectFactory()
    WarrantyOverride.objects.create(project=special, component_type=windows, warranty_months=36)

    assert warranty_months(project=ordinary, component_type=windows) == 24
    assert warranty_months(project=special, component_type=windows) == 36
