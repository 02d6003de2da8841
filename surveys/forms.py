from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from estates.selectors import projects_for

from .choices import ItemKind
from .models import Campaign, Questionnaire

SCORES = [(str(n), str(n)) for n in range(5, 0, -1)]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class AnswerForm(forms.Form):
    """One field per question of a questionnaire: the public page and the call-center screen share it."""

    def __init__(self, questionnaire: Questionnaire, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(questionnaire.items.all())
        for item in self.items:
            self.fields[item.code] = self._field(item)

    @staticmethod
    def _field(item):
        common = {"label": item.text, "required": item.required}
        if item.kind == ItemKind.SCALE:
            return forms.ChoiceField(
                choices=SCORES,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                help_text=_("5 very satisfied … 1 very dissatisfied"),
                **common,
            )
        if item.kind == ItemKind.YES_NO:
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        if item.kind == ItemKind.CHOICE:
            return forms.ChoiceField(
                choices=[(option, option) for option in item.option_list], widget=forms.RadioSelect, **common
            )
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)

    def answers(self) -> dict:
        """The answers as the services take them ({code: value}); unanswered questions left out."""
        result = {}
        for item in self.items:
            value = self.cleaned_data.get(item.code)
            if value in (None, ""):
                continue
            result[item.code] = (value == "yes") if item.kind == ItemKind.YES_NO else value
        return result


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "questionnaire",
            "project",
            "segment",
            "step",
            "period_start",
            "period_end",
            "by_message",
            "by_call",
            "link_valid_days",
            "reminder_after_days",
            "max_reminders",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(is_current=True)
        self.fields["project"].queryset = projects_for(user)


class ImportForm(forms.Form):
    questionnaire = forms.ModelChoiceField(Questionnaire.objects.filter(is_current=True), label=_("Questionnaire"))
    firm = forms.CharField(label=_("Survey firm"), max_length=100)
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class FollowUpForm(forms.Form):
    findings = forms.CharField(
        label=_("What the customer said"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    solution = forms.CharField(label=_("Solution"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
