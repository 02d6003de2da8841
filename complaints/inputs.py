"""The input of each workflow action: one form, validated alike by the dashboard, the API and the admin.

Forms that need the record or the user to narrow their choices set `takes_context = True` and accept
`record` and `user` (core.workflow.Workflow.form_for).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Department, User
from core.roles import OPERATIONS, SERVICE
from core.widgets import DateTimeInput, Picker

from .choices import Satisfaction, Severity, Validity, VisitMethod

DATETIME = DateTimeInput()
TEXT = forms.Textarea(attrs={"rows": 3})


class EmptyForm(forms.Form):
    """No input: the action needs only to be confirmed."""


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT)


class AnalyseForm(forms.Form):
    validity = forms.ChoiceField(
        label=_("Validity"),
        choices=[(Validity.VALID, Validity.VALID.label), (Validity.INVALID, Validity.INVALID.label)],
    )
    validity_reason = forms.CharField(
        label=_("Validity reason"),
        widget=TEXT,
        required=False,
        help_text=_("For an invalid complaint: the explanation given to the customer."),
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False)
    severity_reason = forms.CharField(label=_("Severity reason"), required=False)
    note = forms.CharField(label=_("Note"), required=False)


class ClassifyForm(forms.Form):
    validity = forms.ChoiceField(label=_("Validity"), choices=[("", "—"), *Validity.choices], required=False)
    validity_reason = forms.CharField(label=_("Validity reason"), widget=TEXT, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False)
    severity_reason = forms.CharField(label=_("Severity reason"), required=False)


class DispatchForm(forms.Form):
    """Rule C4: in writing, to the responsible department, with a deadline; the handler is one of its staff."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("name"))
    handler = forms.ModelChoiceField(
        label=_("Handler"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A member of the chosen department."),
        widget=Picker("staff", narrowed_by=["department"]),
    )
    deadline = forms.DateTimeField(label=_("Deadline"), widget=DATETIME)
    instruction = forms.CharField(label=_("Written instruction"), widget=TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = (
            User.objects.filter(is_active=True, department__isnull=False)
            .select_related("department")
            .order_by("department__name", "username")
        )

    def clean(self):
        data = super().clean()
        department, handler = data.get("department"), data.get("handler")
        if department and handler and handler.department_id != department.pk and handler.pk != department.head_id:
            self.add_error("handler", _("Choose a member of the department the complaint is dispatched to."))
        return data


class PlanForm(forms.Form):
    plan = forms.CharField(label=_("Handling plan"), widget=TEXT)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=TEXT)


class VisitForm(forms.Form):
    """Rules C9 and C13: what the return visit found."""

    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices)
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    service_quality = forms.IntegerField(
        label=_("Service quality (1–5)"),
        min_value=1,
        max_value=5,
        initial=5,
        required=False,
        help_text=_("5 when not given."),
    )
    attitude = forms.IntegerField(
        label=_("Attitude (1–5)"), min_value=1, max_value=5, initial=5, required=False, help_text=_("5 when not given.")
    )
    fee_checked = forms.BooleanField(label=_("Fees checked"), required=False)
    fee_note = forms.CharField(label=_("Fee note"), required=False)
    shortcomings = forms.CharField(label=_("Shortcomings"), widget=TEXT, required=False)
    suggestions = forms.CharField(label=_("Suggestions"), widget=TEXT, required=False)

    def clean_service_quality(self):
        return self.cleaned_data.get("service_quality") or 5

    def clean_attitude(self):
        return self.cleaned_data.get("attitude") or 5


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("Summary of the complaint"), widget=TEXT)


class RespondForm(forms.Form):
    note = forms.CharField(label=_("What the customer was told"), widget=TEXT)
    committed_reply_at = forms.DateTimeField(
        label=_("Committed reply time"),
        widget=DATETIME,
        required=False,
        help_text=_("When the answer is not ready: the time promised."),
    )


class ReportForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Whose head is told; by default the department the complaint is dispatched to."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(head__isnull=False).order_by("name")


class SolutionForm(forms.Form):
    solution = forms.CharField(label=_("Agreed solution"), widget=TEXT)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=User.objects.none(),
        help_text=_("Customer service, property or engineering staff."),
        widget=Picker("staff", fixed={"roles": sorted(role.value for role in SERVICE | OPERATIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            User.objects.filter(is_active=True, groups__name__in=[role.value for role in SERVICE | OPERATIONS])
            .distinct()
            .order_by("username")
        )


class WorkDoneForm(forms.Form):
    work_done = forms.CharField(label=_("Work done"), widget=TEXT)


class OwnerRatingForm(forms.Form):
    """The owner's own rating of a resolved complaint or a completed repair."""

    score = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(score, str(score)) for score in range(5, 0, -1)],
        help_text=_("5 very satisfied … 1 very dissatisfied."),
    )
    comment = forms.CharField(label=_("Comment"), widget=TEXT, required=False, max_length=1000)


class CrisisActionForm(forms.Form):
    description = forms.CharField(label=_("Action taken or decision"), widget=TEXT)


class CrisisCloseForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion"), widget=TEXT)
