import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import sees_own_team_only, team_member_ids
from core.models import User
from core.roles import SALES
from estates.models import Project
from estates.selectors import projects_for

from .choices import Gender, SourceChannel
from .models import Customer


def _projects(request):
    return projects_for(request.user) if request else Project.objects.all()


def _consultants(request):
    """Sales staff; a consultant or team leader picks among their own team only."""
    consultants = User.objects.filter(groups__name__in=[role.value for role in SALES]).distinct()
    if request and sees_own_team_only(request.user):
        consultants = consultants.filter(pk__in=team_member_ids(request.user))
    return consultants.order_by("username")


class CustomerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or mobile"))
    project = django_filters.ModelChoiceFilter(queryset=_projects, label=_("Project"))
    consultant = django_filters.ModelChoiceFilter(queryset=_consultants, label=_("Consultant"))
    source_channel = django_filters.ChoiceFilter(choices=SourceChannel.choices, label=_("Source channel"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"))
    consents_to_messages = django_filters.BooleanFilter(label=_("Consents to messages"))
    registered_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte",
                                                 label=_("Registered from"))
    registered_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte",
                                                  label=_("Registered until"))

    class Meta:
        model = Customer
        fields = ["q", "project", "consultant", "source_channel", "gender", "consents_to_messages",
                  "registered_after", "registered_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        digits = value.replace(" ", "")
        query = Q(name__icontains=value)
        if digits.isdigit() and len(digits) >= 4:
            query |= Q(mobile__contains=digits)
        return queryset.filter(query)
