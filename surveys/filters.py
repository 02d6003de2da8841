"""FilterSets shared by the API, the dashboard pages and the Excel reports."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import CatalogueFilter, DateFilter, FilterSet, ToCallNowFilter, YesNoFilter
from estates.filters import ProjectFilter, visible_projects

from .choices import CampaignStatus, FollowUpStatus, RespondentSegment, ResponseSource, Step, SurveyKind
from .models import Campaign, FollowUp, Invitation, Questionnaire, Response


class ResponseFilterSet(FilterSet):
    project = ProjectFilter()
    segment = django_filters.ChoiceFilter(choices=RespondentSegment.choices, label=_("Owner segment"))
    step = django_filters.ChoiceFilter(choices=Step.choices, label=_("6+2 step"))
    kind = django_filters.ChoiceFilter(choices=SurveyKind.choices, label=_("Survey kind"))
    source = django_filters.ChoiceFilter(choices=ResponseSource.choices, label=_("Source"))
    questionnaire = django_filters.CharFilter(field_name="questionnaire__code", label=_("Questionnaire code"))
    answered_after = DateFilter(field_name="answered_at", lookup_expr="date__gte", label=_("Answered from"))
    answered_before = DateFilter(field_name="answered_at", lookup_expr="date__lte", label=_("Answered until"))
    import_batch = django_filters.NumberFilter(label=_("Import"), widget=forms.HiddenInput)

    class Meta:
        model = Response
        fields = [
            "project",
            "segment",
            "step",
            "kind",
            "source",
            "questionnaire",
            "answered_after",
            "answered_before",
            "import_batch",
        ]


class QuestionnaireFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(choices=SurveyKind.choices, label=_("Survey kind"))
    step = django_filters.ChoiceFilter(choices=Step.choices, label=_("6+2 step"))
    code = django_filters.CharFilter(label=_("Code"))
    is_current = YesNoFilter(label=_("Current version"))

    class Meta:
        model = Questionnaire
        fields = ["kind", "step", "code", "is_current"]


class CampaignFilterSet(FilterSet):
    project = ProjectFilter()
    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices, label=_("Status"))

    class Meta:
        model = Campaign
        fields = ["project", "status"]


def _open_call_campaigns(request):
    """The by-call campaigns being called now, in the projects the user works on."""
    campaigns = Campaign.objects.filter(by_call=True, status=CampaignStatus.SENT)
    return campaigns.filter(project__in=visible_projects(request)).order_by("-pk")


class CallQueueFilterSet(FilterSet):
    project = ProjectFilter(field_name="campaign__project")
    campaign = CatalogueFilter(queryset=_open_call_campaigns, label=_("Campaign"))
    expires_before = DateFilter(field_name="expires_at", lookup_expr="date__lte", label=_("Link expires by"))
    to_call_now = ToCallNowFilter(label=_("To call now"))

    class Meta:
        model = Invitation
        fields = ["project", "campaign", "expires_before", "to_call_now"]


class FollowUpFilterSet(FilterSet):
    project = ProjectFilter()
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label=_("Status"))
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = FollowUp
        fields = ["project", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        if value is None:
            return queryset
        late = queryset.filter(due_on__lt=timezone.localdate()).exclude(
            status__in=[FollowUpStatus.RESOLVED, FollowUpStatus.CLOSED]
        )
        return late if value else queryset.exclude(pk__in=late.values("pk"))
