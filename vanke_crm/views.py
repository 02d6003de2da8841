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
from estates.models import Project
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
    projects = list(
        visible.annotate(
            unit_total=Count("units"),
            unit_subscribed=Count("units", filter=Q(units__status=UnitStatus.SUBSCRIBED)),
            unit_sold=Count("units", filter=Q(units__status__in=SOLD)),
        )[: home_panels.HOME_PROJECTS]
    )
    context["project_total"] = len(projects) if len(projects) < home_panels.HOME_PROJECTS else visible.count()
    context["projects"] = [
        {
            "project": project,
            "sold_share": round(100 * project.unit_sold / project.unit_total) if project.unit_total else 0,
        }
        for project in projects
    ]
    context.update(home_panels.panels(request, today=today))
    return render(request, "home.html", context)


@never_cache
def healthz(request):
    checks = health()
    return JsonResponse(checks, status=200 if all(checks.values()) else 503)
