"""Dashboard forms: intake with the duplicate warning, and one small form per workflow action."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Department, User
from estates.models import ComponentType, Unit
from estates.selectors import projects_for
from members.models import Customer

from .choices import (
    Category, Channel, DefectCategory, DefectSource, ObjectionStatus, Satisfaction, Severity, Validity, VisitMethod,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class IntakeForm(forms.Form):
    """Rule C1: any channel; customer and unit optional; the people involved for the crisis rule."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    title = forms.CharField(label=_("Subject"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=TEXT)
    demand = forms.CharField(label=_("Customer's demand"), widget=TEXT, required=False)
    people_count = forms.IntegerField(label=_("People involved"), min_value=1, initial=1)
    media_exposure = forms.BooleanField(label=_("Media exposure or protest"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MINOR)
    severity_reason = forms.CharField(label=_("Severity reason"), required=False, max_length=200)
    confirm_duplicates = forms.BooleanField(label=_("Save although similar open complaints exist"),
                                            required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = projects_for(user)
        self.fields["project"].queryset = projects
        self.fields["customer"].queryset = Customer.objects.filter(project__in=projects).order_by("name")
        self.fields["unit"].queryset = Unit.objects.filter(project__in=projects).select_related("building")


class AnalyseForm(forms.Form):
    validity = forms.ChoiceField(label=_("Validity"), choices=[(Validity.VALID, Validity.VALID.label),
                                                               (Validity.INVALID, Validity.INVALID.label)])
    validity_reason = forms.CharField(label=_("Validity reason"), widget=TEXT, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, required=False)
    severity_reason = forms.CharField(label=_("Severity reason"), required=False)
    note = forms.CharField(label=_("Note"), required=False)


class ClassifyForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    severity_reason = forms.CharField(label=_("Severity reason"), required=False)


class DispatchForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all())
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=User.objects.filter(is_active=True),
                                     required=False)
    deadline = forms.DateTimeField(label=_("Deadline"), widget=DATETIME)
    instruction = forms.CharField(label=_("Written instruction"), widget=TEXT)


class PlanForm(forms.Form):
    plan = forms.CharField(label=_("Handling plan"), widget=TEXT)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=TEXT)


class VisitForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices)
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    service_quality = forms.IntegerField(label=_("Service quality (1–5)"), min_value=1, max_value=5, initial=5)
    attitude = forms.IntegerField(label=_("Attitude (1–5)"), min_value=1, max_value=5, initial=5)
    fee_checked = forms.BooleanField(label=_("Fees checked"), required=False)
    fee_note = forms.CharField(label=_("Fee note"), required=False)
    shortcomings = forms.CharField(label=_("Shortcomings"), widget=TEXT, required=False)
    suggestions = forms.CharField(label=_("Suggestions"), widget=TEXT, required=False)


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), widget=TEXT, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT)


class RespondForm(forms.Form):
    note = forms.CharField(label=_("What the customer was told"), widget=TEXT)
    committed_reply_at = forms.DateTimeField(label=_("Committed reply time"), widget=DATETIME, required=False)


class ReportForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.filter(
        head__isnull=False), required=False)


class SolutionForm(forms.Form):
    solution = forms.CharField(label=_("Agreed solution"), widget=TEXT)


class EmptyForm(forms.Form):
    pass


class RepairForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None, required=False)
    component_type = forms.ModelChoiceField(label=_("Component"), queryset=ComponentType.objects.all(),
                                            required=False)
    description = forms.CharField(label=_("Description"), widget=TEXT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = projects_for(user)
        self.fields["unit"].queryset = Unit.objects.filter(project__in=projects).select_related("building")
        self.fields["customer"].queryset = Customer.objects.filter(project__in=projects).order_by("name")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.filter(is_active=True))


class WorkDoneForm(forms.Form):
    work_done = forms.CharField(label=_("Work done"), widget=TEXT)


class DefectForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    category = forms.ChoiceField(label=_("Category"), choices=DefectCategory.choices)
    source = forms.ChoiceField(label=_("Source"), choices=DefectSource.choices)
    title = forms.CharField(label=_("Defect"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)
    component_type = forms.ModelChoiceField(label=_("Component"), queryset=ComponentType.objects.all(),
                                            required=False)
    responsible_department = forms.ModelChoiceField(label=_("Responsible department"),
                                                    queryset=Department.objects.all(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for(user)


class CrisisActionForm(forms.Form):
    description = forms.CharField(label=_("Action taken"), widget=TEXT)


class CrisisCloseForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion"), widget=TEXT)


class SettleForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[(ObjectionStatus.RESOLVED, ObjectionStatus.RESOLVED.label),
                                                           (ObjectionStatus.REJECTED, ObjectionStatus.REJECTED.label)])


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    situation = forms.CharField(label=_("Situation"), widget=TEXT)
    handling = forms.CharField(label=_("How it was handled"), widget=TEXT)
    lesson = forms.CharField(label=_("Lesson"), widget=TEXT)


class ObjectionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    reason = forms.CharField(label=_("Reason"), widget=TEXT)
    defects = forms.ModelMultipleChoiceField(label=_("Defects"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        from .models import Defect

        super().__init__(*args, **kwargs)
        projects = projects_for(user)
        self.fields["unit"].queryset = Unit.objects.filter(project__in=projects).select_related("building")
        self.fields["customer"].queryset = Customer.objects.filter(project__in=projects).order_by("name")
        self.fields["defects"].queryset = Defect.objects.filter(project__in=projects).select_related("project")


class ReminderForm(forms.Form):
    take_over_by = forms.DateField(label=_("Take over by"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Notice text"), widget=TEXT)
