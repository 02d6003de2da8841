"""The dashboard home: what the signed-in user's roles need to see first."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.services import health

from estates import policies as estates_policies
from estates.models import Project
from estates.selectors import with_unit_counts
from members import policies as members_policies
from members.models import Customer

from . import home as home_panels


@login_required
def home(request):
    user, today = request.user, timezone.localdate()
    context = {"today": today}
    if members_policies.CUSTOMERS.can_read(user):
        customers = members_policies.CUSTOMERS.scope(Customer.objects.all(), user)
        context["recent_customers"] = customers.select_related("project", "consultant").order_by("-created_at")[:8]
    visible = estates_policies.PROJECTS.scope(Project.objects.all(), user).order_by("name")
    projects = list(with_unit_counts(visible)[: home_panels.HOME_PROJECTS])
    context["project_total"] = len(projects) if len(projects) < home_panels.HOME_PROJECTS else visible.count()
    context["projects"] = [
        {"project": p, "sold_share": round(100 * p.sold_count / p.unit_count) if p.unit_count else 0} for p in projects
    ]
    context.update(home_panels.panels(request, today=today))
    return render(request, "home.html", context)


@never_cache
def healthz(request):
    checks = health()
    return JsonResponse(checks, status=200 if all(checks.values()) else 503)
