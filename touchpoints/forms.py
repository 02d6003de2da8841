"""Dashboard forms: completing a care task (the fields its duty needs), deferring it, evaluating an open day."""

from django import forms
from django.utils.translation import gettext_lazy as _
from core.widgets import DateInput, Picker
from estates.forms import ProjectField

from .choices import CheckItem, CheckResult, Duty, MeetingKind


class CompleteTaskForm(forms.Form):
    """The outcome, and what the task's duty must record (check list, letter, score, plan)."""

    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    issues = forms.CharField(
        label=_("Issues found"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One issue per line."),
    )

    DUTY_FIELDS = {
        Duty.PROGRESS_LETTER: {
            "construction_progress": forms.CharField(label=_("Construction progress"), widget=forms.Textarea),
            "community_events": forms.CharField(label=_("Community events"), required=False),
            "amenities": forms.CharField(label=_("Amenities"), required=False),
        },
        Duty.MYSTERY_SHOPPER: {
            "shopper": forms.CharField(label=_("Mystery shopper")),
            "score": forms.IntegerField(label=_("Score"), min_value=0, max_value=100),
            "findings": forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})),
        },
        Duty.FOUR_YEAR_PLAN: {
            "plan": forms.CharField(label=_("Improvements planned"), widget=forms.Textarea(attrs={"rows": 3})),
            "budget": forms.DecimalField(label=_("Budget (yuan)"), min_value=0, max_digits=12, decimal_places=2),
            "result": forms.CharField(label=_("Result"), required=False),
        },
    }

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        if task.duty == Duty.ONE_YEAR_CHECK:
            self.fields["issues"].help_text = _(
                "One issue per line; start a line with the check item as named above and a colon to file it "
                "under that item, e.g. “%(item)s: range hood noisy”."
            ) % {"item": CheckItem.APPLIANCES.label}
            for value, label in CheckItem.choices:
                self.fields[f"check_{value}"] = forms.ChoiceField(
                    label=label, choices=CheckResult.choices, widget=forms.RadioSelect
                )
        for name, field in self.DUTY_FIELDS.get(task.duty, {}).items():
            self.fields[name] = field

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        checklist = {name.removeprefix("check_"): data.pop(name) for name in list(data) if name.startswith("check_")}
        issues = []
        items = {
            **{str(label): value for value, label in CheckItem.choices},
            **{value: value for value in CheckItem.values},
        }
        for line in (data.pop("issues") or "").splitlines():
            item, sep, text = line.replace("：", ":").partition(":")
            if sep and item.strip() in items:
                issues.append({"check_item": items[item.strip()], "description": text.strip()})
            elif line.strip():
                issues.append({"description": line.strip()})
        data = {key: value for key, value in data.items() if value not in (None, "") or key == "outcome"}
        return {**data, "checklist": checklist, "issues": issues}


class DeferTaskForm(forms.Form):
    until = forms.DateField(label=_("Defer until"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), required=False)


class EvaluateOpenDayForm(forms.Form):
    on_schedule = forms.BooleanField(label=_("Construction on schedule"), required=False)
    site_tidy = forms.BooleanField(label=_("Site tidy"), required=False)
    no_structural_defects = forms.BooleanField(label=_("No obvious structural defects"), required=False)
    simulated_inspection_done = forms.BooleanField(label=_("Internal simulated inspection done"), required=False)
    no_major_defects = forms.BooleanField(label=_("No major defects"), required=False)
    average_detail_defects = forms.DecimalField(
        label=_("Average detail defects per unit"), required=False, min_value=0, max_digits=5, decimal_places=1
    )
    notes = forms.CharField(label=_("Evaluation notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FIRST = ("on_schedule", "site_tidy", "no_structural_defects")
    SECOND = ("simulated_inspection_done", "no_major_defects", "average_detail_defects")

    def __init__(self, *args, open_day, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.SECOND if open_day.sequence == 1 else self.FIRST:
            del self.fields[name]


class OpenDayDecisionForm(forms.Form):
    new_date = forms.DateField(label=_("New date"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanActionForm(forms.Form):
    is_active = forms.BooleanField(label=_("In the plan"), required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())


class ExecutionForm(forms.Form):
    executed_on = forms.DateField(label=_("Executed on"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False)
    evidence = forms.FileField(label=_("Evidence"), required=False)


class MeetingForm(forms.Form):
    """An owners' forum or management meeting (J21); the project is one of the user's."""

    project = ProjectField()
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=100)
    attendees = forms.IntegerField(label=_("Owners attending"), min_value=0, initial=0)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class FeedbackLineForm(forms.Form):
    """One thing an owner said and the answer given; the owner is optional (one of the user's customers)."""

    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=None,
        required=False,
        widget=Picker("customer"),
        error_messages={"invalid_choice": _("Choose one of your customers.")},
    )
    content = forms.CharField(label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    response = forms.CharField(label=_("Response"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers


FeedbackFormSet = forms.formset_factory(FeedbackLineForm, extra=3, max_num=50, validate_max=True)


class CloseRoundForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class CloseIssueForm(forms.Form):
    issue = forms.IntegerField(widget=forms.HiddenInput)
    resolution = forms.CharField(label=_("Resolution"), required=False)
