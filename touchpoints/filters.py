import django_filters
from django.utils.translation import gettext_lazy as _

from members.filters import CustomerFilter
from core.filters import DateFilter, FilterSet, StaffFilter, ToCallNowFilter, YesNoFilter
from core.roles import Role
from estates.filters import ProjectFilter

from . import selectors
from .choices import (
    ActionKind,
    Channel,
    Duty,
    IssueStatus,
    MeetingKind,
    MessageStatus,
    OpenDaySequence,
    OpenDayStatus,
    TaskStatus,
)
from .models import (
    Action,
    CareIssue,
    CareTask,
    Execution,
    Meeting,
    OutboundMessage,
    ProjectAction,
    SiteOpenDay,
    VisitRound,
)

QUEUES = [
    ("due", _("Due")),
    ("overdue", _("Overdue")),
    ("deferred", _("Deferred")),
    ("done", _("Done")),
    ("all", _("All")),
]


class OutboundMessageFilterSet(FilterSet):
    customer = CustomerFilter(label=_("Customer"))
    project = ProjectFilter()
    status = django_filters.ChoiceFilter(choices=MessageStatus.choices, label=_("Status"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    purpose = django_filters.CharFilter(label=_("Purpose"))
    sent_after = DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("From"))
    sent_before = DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = OutboundMessage
        fields = ["customer", "project", "status", "channel", "purpose", "sent_after", "sent_before"]


class CareTaskFilterSet(FilterSet):
    """One filter for the task queues: the API, the dashboard page and the Excel export share it."""

    queue = django_filters.ChoiceFilter(choices=QUEUES, method="filter_queue", label=_("Queue"))
    duty = django_filters.ChoiceFilter(choices=Duty.choices, label=_("Duty"))
    status = django_filters.MultipleChoiceFilter(choices=TaskStatus.choices, distinct=False, label=_("Status"))
    owner_role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Owner role"))
    mine = YesNoFilter(method="filter_mine", label=_("My roles only"))
    due_after = DateFilter(field_name="due_end", lookup_expr="gte", label=_("Window ends from"))
    due_before = DateFilter(field_name="due_end", lookup_expr="lte", label=_("Due by"))
    completed_after = DateFilter(field_name="completed_at", lookup_expr="date__gte", label=_("Completed from"))
    customer = CustomerFilter(label=_("Customer"))
    owner = StaffFilter(label=_("Owner"))
    project = ProjectFilter()
    to_call_now = ToCallNowFilter(label=_("To call now"))

    class Meta:
        model = CareTask
        fields = [
            "queue",
            "duty",
            "status",
            "project",
            "customer",
            "owner_role",
            "owner",
            "mine",
            "due_after",
            "due_before",
            "completed_after",
            "to_call_now",
        ]

    def filter_queue(self, queryset, name, value):
        return selectors.task_queue(queryset, queue=value)

    def filter_mine(self, queryset, name, value):
        return selectors.tasks_for_role(queryset, self.request.user) if value and self.request else queryset


class ExecutionFilterSet(FilterSet):
    project = django_filters.NumberFilter(field_name="planned_action__project", label=_("Project"))
    action = django_filters.NumberFilter(field_name="planned_action__action", label=_("Action"))
    executed_after = DateFilter(field_name="executed_on", lookup_expr="gte", label=_("From"))
    executed_before = DateFilter(field_name="executed_on", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = Execution
        fields = ["project", "action", "executed_after", "executed_before"]


class ProjectActionFilterSet(FilterSet):
    step = django_filters.NumberFilter(field_name="action__step", label=_("Step"))
    kind = django_filters.ChoiceFilter(field_name="action__kind", choices=ActionKind.choices, label=_("Kind"))

    class Meta:
        model = ProjectAction
        fields = ["project", "step", "kind", "is_active"]


class ActionFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(choices=ActionKind.choices, label=_("Kind"))

    class Meta:
        model = Action
        fields = ["step", "kind", "duty"]


class SiteOpenDayFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=OpenDayStatus.choices, label=_("Status"))
    sequence = django_filters.ChoiceFilter(choices=OpenDaySequence.choices, label=_("Opening"))

    class Meta:
        model = SiteOpenDay
        fields = ["project", "status", "sequence"]


class MeetingFilterSet(FilterSet):
    """Owners' forums and management meetings (J21): the API and the dashboard list share it."""

    project = ProjectFilter()
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    held_after = DateFilter(field_name="held_on", lookup_expr="gte", label=_("Held from"))
    held_before = DateFilter(field_name="held_on", lookup_expr="lte", label=_("Held until"))

    class Meta:
        model = Meeting
        fields = ["project", "kind", "held_after", "held_before"]


ROUND_STATES = [("open", _("Open")), ("closed", _("Closed"))]


class VisitRoundFilterSet(FilterSet):
    """Three-month visit rounds (J15): the API and the dashboard list share it."""

    project = ProjectFilter()
    year = django_filters.NumberFilter(label=_("Delivery year"))
    state = django_filters.ChoiceFilter(choices=ROUND_STATES, method="filter_state", label=_("Status"))

    class Meta:
        model = VisitRound
        fields = ["project", "year", "state"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(closed_at__isnull=value == "open")


class CareIssueFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices, label=_("Status"))
    project = django_filters.NumberFilter(field_name="task__project", label=_("Project"))

    class Meta:
        model = CareIssue
        fields = ["status", "project", "task"]
