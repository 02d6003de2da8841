from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from core.access import project_ids, sees_all_projects

from .choices import UnitStatus
from .models import Project, UnitTally

# A unit is sold once its contract is signed; a delivered unit stays sold.
SOLD = (UnitStatus.SIGNED, UnitStatus.DELIVERED)


def projects_for(user):
    """The projects a staff member works on (all of them for company-wide roles)."""
    if sees_all_projects(user):
        return Project.objects.all()
    return Project.objects.filter(pk__in=project_ids(user))


def with_unit_counts(projects):
    """Each project with `unit_count` and `sold_count`, read from its units' tally (a few rows per project)."""
    tallies = UnitTally.objects.filter(project=OuterRef("pk")).order_by().values("project")
    return projects.annotate(
        unit_count=Coalesce(Subquery(tallies.annotate(n=Sum("units")).values("n")), 0),
        sold_count=Coalesce(Subquery(tallies.filter(status__in=SOLD).annotate(n=Sum("units")).values("n")), 0),
    )


def units_by_status(project):
    """A project's units counted by status, the statuses it has none in left out."""
    return project.unit_tallies.filter(units__gt=0).order_by("status").values_list("status", "units")
