"""The dashboard home: what the signed-in user's roles need to see first."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.services import health

from estates import policies as estates_policies
from estates.choices import UnitStatus
from estates.models import Project, Unit
from members import policies as members_policies
from members.models import Customer

from . import home as home_panels

SOLD = [UnitStatus.SIGNED, UnitStatus.DELIVERED]


@login_required
def home(request):
    user, today = request.user, timezone.localdate()
    context = {"today": today}
    if members_policies.CUSTOMERS.can_read(user):
        customers = members_policies.CUSTOMERS.scope(Customer.objects.all(), user)
        context["recent_customers"] = customers.select_related("project", "consultant").order_by("-created_at")[:8]
    visible = estates_policies.PROJECTS.scope(Project.objects.all(), user).order_by("name")
    projects = list(visible[: home_panels.HOME_PROJECTS])
    context["project_total"] = len(projects) if len(projects) < home_panels.HOME_PROJECTS else visible.count()
    # The shown projects' units only: counted before the first ten are chosen, every unit would be.
    units = {
        row["project"]: row
        for row in Unit.objects.filter(project__in=projects)
        .order_by()
        .values("project")
        .annotate(total=Count("pk"), sold=Count("pk", filter=Q(status__in=SOLD)))
    }
    context["projects"] = []
    for project in projects:
        counts = units.get(project.pk, {"total": 0, "sold": 0})
        project.unit_total, project.unit_sold = counts["total"], counts["sold"]
        share = round(100 * counts["sold"] / counts["total"]) if counts["total"] else 0
        context["projects"].append({"project": project, "sold_share": share})
    context.update(home_panels.panels(request, today=today))
    return render(request, "home.html", context)


@never_cache
def healthz(request):
    checks = health()
    return JsonResponse(checks, status=200 if all(checks.values()) else 503)
