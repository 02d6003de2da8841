from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from core.access import project_ids, sees_all_projects

from .choices import UnitStatus
from .models import Project, Unit

# A unit is sold once its contract is signed; a delivered unit stays sold.
SOLD = (UnitStatus.SIGNED, UnitStatus.DELIVERED)


def projects_for(user):
    """The projects a staff member works on (all of them for company-wide roles)."""
    if sees_all_projects(user):
        return Project.objects.all()
    return Project.objects.filter(pk__in=project_ids(user))


def with_unit_counts(projects):
    """Each project with `unit_count` and `sold_count`, counted per project kept (a subquery each), not by
    grouping every unit before a page of projects is cut. COUNT(*), not of a column: the count is then read
    from the (project, status) index alone."""
    units = Unit.objects.filter(project=OuterRef("pk")).order_by().values("project")
    sold = units.filter(status__in=SOLD)
    return projects.annotate(
        unit_count=Coalesce(Subquery(units.annotate(n=Count("*")).values("n")), 0),
        sold_count=Coalesce(Subquery(sold.annotate(n=Count("*")).values("n")), 0),
    )
