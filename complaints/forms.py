"""Dashboard forms of the pages that create records: intake with the duplicate warning, repairs, defects,
objections, cases. The workflow actions' own forms are in complaints.inputs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Department
from core.widgets import DateInput, Picker
from estates.forms import ProjectField
from estates.models import ComponentType, Unit
from estates.selectors import projects_for
from members.models import Customer

from .choices import Channel, DefectCategory, DefectSource, ObjectionStatus, Severity
from .inputs import TEXT
from .models import ComplaintCategory, Defect


class IntakeForm(forms.Form):
    """Rule C1: any channel; customer and unit optional; the people involved for the crisis rule."""

    project = ProjectField()
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ComplaintCategory.objects.filter(is_active=True), to_field_name="code"
    )
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, widget=Picker("customer", narrowed_by=["project"])
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, widget=Picker("unit", narrowed_by=["project", "customer"])
    )
    title = forms.CharField(label=_("Subject"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=TEXT)
    demand = forms.CharField(label=_("Customer's demand"), widget=TEXT, required=False)
    people_count = forms.IntegerField(label=_("People involved"), min_value=1, initial=1)
    media_exposure = forms.BooleanField(label=_("Media exposure or protest"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MINOR)
    severity_reason = forms.CharField(label=_("Severity reason"), required=False, max_length=200)
    confirm_duplicates = forms.BooleanField(
        label=_("Save although similar open complaints exist"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = projects_for(user)
        self.fields["project"].queryset = projects
        self.fields["category"].initial = "other"
        self.fields["customer"].queryset = Customer.objects.filter(project__in=projects).order_by("name")
        self.fields["unit"].queryset = Unit.objects.filter(project__in=projects).select_related("building")


class RepairForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, widget=Picker("unit"))
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, widget=Picker("customer", narrowed_by=["unit"])
    )
    component_type = forms.ModelChoiceField(label=_("Component"), queryset=ComponentType.objects.all(), required=False)
    description = forms.CharField(label=_("Description"), widget=TEXT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = projects_for(user)
        self.fields["unit"].queryset = Unit.objects.filter(project__in=projects).select_related("building")
        self.fields["customer"].queryset = Customer.objects.filter(project__in=projects).order_by("name")


class DefectForm(forms.Form):
    project = ProjectField()
    category = forms.ChoiceField(label=_("Category"), choices=DefectCategory.choices)
    source = forms.ChoiceField(label=_("Source"), choices=DefectSource.choices)
    title = forms.CharField(label=_("Defect"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)
    component_type = forms.ModelChoiceField(label=_("Component"), queryset=ComponentType.objects.all(), required=False)
    responsible_department = forms.ModelChoiceField(
        label=_("Responsible department"), queryset=Department.objects.all(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for(user)


class SettleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ObjectionStatus.RESOLVED, ObjectionStatus.RESOLVED.label),
            (ObjectionStatus.REJECTED, ObjectionStatus.REJECTED.label),
        ],
    )


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    situation = forms.CharField(label=_("Situation"), widget=TEXT)
    handling = forms.CharField(label=_("How it was handled"), widget=TEXT)
    lesson = forms.CharField(label=_("Lesson"), widget=TEXT)


class ObjectionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, widget=Picker("unit"))
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, widget=Picker("customer", narrowed_by=["unit"])
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXT)
    defects = forms.ModelMultipleChoiceField(label=_("Defects"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = projects_for(user)
        self.fields["unit"].queryset = Unit.objects.filter(project__in=projects).select_related("building")
        self.fields["customer"].queryset = Customer.objects.filter(project__in=projects).order_by("name")
        self.fields["defects"].queryset = Defect.objects.filter(project__in=projects).select_related("project")


class ReminderForm(forms.Form):
    take_over_by = forms.DateField(label=_("Take over by"), widget=DateInput())
    text = forms.CharField(label=_("Notice text"), widget=TEXT)
