import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import sees_own_team_only, team_member_ids
from core.filters import DateFilter, FilterSet, YesNoFilter
from core.models import User
from core.widgets import Picker
from core.roles import SALES
from estates.filters import ProjectFilter

from . import selectors
from .choices import (
    ApprovalKind,
    ApprovalStatus,
    FollowUpMethod,
    Gender,
    LeadGrade,
    LeadStatus,
    MemberLevel,
    PurchaseStatus,
    Reaction,
    SourceChannel,
    VisitKind,
)
from .policies import CUSTOMERS
from .models import Customer, FollowUp, Lead, LeadApproval, Membership, Purchase, Visit


def visible_customers(request):
    return CUSTOMERS.scope(Customer.objects.all(), request.user) if request else Customer.objects.all()


class CustomerFilter(django_filters.ModelChoiceFilter):
    """A customer the user may see, found by typing a mobile, its last digits, a name or a unit: a list of
    every customer would show each role names it may not see, and a hundred thousand of them on every page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", visible_customers)
        kwargs.setdefault("widget", Picker("customer", narrowed_by=("project",)))
        super().__init__(*args, **kwargs)


def _consultants(request):
    """Sales staff; a consultant or team leader picks among their own team only."""
    consultants = User.objects.filter(groups__name__in=[role.value for role in SALES]).distinct()
    if request and sees_own_team_only(request.user):
        consultants = consultants.filter(pk__in=team_member_ids(request.user))
    return consultants.order_by("username")


class CustomerFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or mobile"))
    project = ProjectFilter()
    consultant = django_filters.ModelChoiceFilter(
        queryset=_consultants, label=_("Consultant"), widget=Picker("staff", fixed={"roles": sorted(SALES)})
    )
    source_channel = django_filters.ChoiceFilter(choices=SourceChannel.choices, label=_("Source channel"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"))
    consents_to_messages = YesNoFilter(label=_("Consents to messages"))
    birthday_today = YesNoFilter(method="filter_birthday_today", label=_("Birthday today"))
    registered_after = DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("Registered from"))
    registered_before = DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("Registered until"))

    class Meta:
        model = Customer
        fields = [
            "q",
            "project",
            "consultant",
            "source_channel",
            "gender",
            "consents_to_messages",
            "registered_after",
            "registered_before",
            "birthday_today",
        ]

    def filter_birthday_today(self, queryset, name, value):
        today = timezone.localdate()
        born_today = Q(birthday__month=today.month, birthday__day=today.day)
        return queryset.filter(born_today) if value else queryset.exclude(born_today)

    def search(self, queryset, name, value):
        return queryset.filter(selectors.customers_named(value))


class VisitFilterSet(FilterSet):
    project = ProjectFilter()
    consultant = django_filters.ModelChoiceFilter(
        queryset=_consultants, label=_("Consultant"), widget=Picker("staff", fixed={"roles": sorted(SALES)})
    )
    kind = django_filters.ChoiceFilter(choices=VisitKind.choices, label=_("Kind"))
    channel = django_filters.ChoiceFilter(choices=SourceChannel.choices, label=_("Channel"))
    visited_after = DateFilter(field_name="visited_at", lookup_expr="date__gte", label=_("Visited from"))
    visited_before = DateFilter(field_name="visited_at", lookup_expr="date__lte", label=_("Visited until"))

    class Meta:
        model = Visit
        fields = ["project", "consultant", "kind", "channel", "visited_after", "visited_before"]


class LeadFilterSet(FilterSet):
    """Shared by the API, the lead list page and its Excel export."""

    q = django_filters.CharFilter(method="search", label=_("Name or mobile"))
    project = ProjectFilter()
    grade = django_filters.MultipleChoiceFilter(choices=LeadGrade.choices, distinct=False, label=_("Grade"))
    consultant = django_filters.ModelChoiceFilter(
        queryset=_consultants, label=_("Consultant"), widget=Picker("staff", fixed={"roles": sorted(SALES)})
    )
    status = django_filters.ChoiceFilter(choices=LeadStatus.choices, label=_("Status"))
    due = DateFilter(method="due_by", label=_("Due by"))
    overdue = YesNoFilter(method="overdue_only", label=_("Overdue"))

    class Meta:
        model = Lead
        fields = ["q", "project", "grade", "consultant", "status", "due", "overdue"]

    def search(self, queryset, name, value):
        return queryset.filter(selectors.customers_named(value, through="customer__"))

    def due_by(self, queryset, name, value):
        return queryset.filter(status=LeadStatus.ACTIVE, next_follow_up_on__lte=value)

    def overdue_only(self, queryset, name, value):
        """Yes: followed and overdue (L3); no: followed and not yet overdue. Leads no longer followed are neither,
        and a range reads through the list's index where "not overdue" would walk past every overdue lead first."""
        return queryset.filter(selectors.overdue_q() if value else selectors.not_yet_overdue_q())


class FollowUpFilterSet(FilterSet):
    method = django_filters.ChoiceFilter(choices=FollowUpMethod.choices, label=_("Method"))
    reaction = django_filters.ChoiceFilter(choices=Reaction.choices, label=_("Reaction"))
    after = DateFilter(field_name="happened_at", lookup_expr="date__gte", label=_("From"))
    before = DateFilter(field_name="happened_at", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = FollowUp
        fields = ["method", "reaction", "after", "before"]


class ApprovalFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=ApprovalStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=ApprovalKind.choices, label=_("Kind"))
    project = ProjectFilter(field_name="lead__project")

    class Meta:
        model = LeadApproval
        fields = ["status", "kind", "project"]


class MembershipFilterSet(FilterSet):
    source_project = ProjectFilter(label=_("Source project"))
    level = django_filters.ChoiceFilter(choices=MemberLevel.choices, label=_("Level"))
    consents_to_messages = YesNoFilter(field_name="customer__consents_to_messages", label=_("Consents to messages"))

    class Meta:
        model = Membership
        fields = ["source_project", "level", "consents_to_messages"]


class PurchaseFilterSet(FilterSet):
    project = ProjectFilter()
    status = django_filters.ChoiceFilter(choices=PurchaseStatus.choices, label=_("Status"))
    consultant = django_filters.ModelChoiceFilter(
        queryset=_consultants, label=_("Consultant"), widget=Picker("staff", fixed={"roles": sorted(SALES)})
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))

    class Meta:
        model = Purchase
        fields = ["project", "status", "consultant", "customer"]
