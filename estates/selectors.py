from core.access import sees_all_projects

from .models import Project


def projects_for(user):
    """The projects a staff member works on (all of them for company-wide roles)."""
    if sees_all_projects(user):
        return Project.objects.all()
    return Project.objects.filter(pk__in=user.projects.values("pk"))
