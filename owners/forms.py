"""The owner portal's forms: phone-first, one question at a time."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.formfields import PhoneNumberField

from complaints.inputs import OwnerRatingForm
from complaints.models import ComplaintCategory
from estates.models import ComponentType
from members.validators import MOBILE_ERRORS, validate_mobile

TEXT = forms.Textarea(attrs={"rows": 4})


class MobileForm(forms.Form):
    mobile = PhoneNumberField(
        label=_("Mobile phone"),
        region="CN",
        validators=[validate_mobile],
        error_messages=MOBILE_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(MobileForm):
    code = forms.RegexField(
        label=_("Verification code"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the 6 digits of the text message.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile"].widget = forms.HiddenInput()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/heic,.heic"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


PREFERRED_TIMES = [
    ("weekday_morning", _("Weekday morning")),
    ("weekday_afternoon", _("Weekday afternoon")),
    ("weekday_evening", _("Weekday evening")),
    ("weekend_morning", _("Weekend morning")),
    ("weekend_afternoon", _("Weekend afternoon")),
]


class UnitChoiceMixin:
    def set_units(self, units):
        self.fields["unit"].choices = [(u["unit"].pk, f"{u['project'].name} {u['unit']}") for u in units]


class RepairForm(UnitChoiceMixin, forms.Form):
    unit = forms.TypedChoiceField(label=pgettext_lazy("owner portal", "Home"), coerce=int)
    component_type = forms.ModelChoiceField(
        label=_("What needs repairing"),
        required=False,
        queryset=ComponentType.objects.order_by("category", "name"),
        empty_label=_("Something else"),
    )
    description = forms.CharField(label=_("Describe the problem"), widget=TEXT, max_length=2000)
    photos = MultipleFileField(label=_("Photos (up to 6)"), required=False)
    preferred_times = forms.MultipleChoiceField(
        label=_("When may we come?"), choices=PREFERRED_TIMES, required=False, widget=forms.CheckboxSelectMultiple
    )
    confirm_duplicates = forms.BooleanField(label=_("Send it anyway"), required=False, widget=forms.HiddenInput)

    def preferred_labels(self):
        labels = dict(PREFERRED_TIMES)
        return [labels[value] for value in self.cleaned_data.get("preferred_times", [])]


class ComplaintForm(UnitChoiceMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("complaint", _("Complaint")), ("suggestion", _("Suggestion"))],
        widget=forms.RadioSelect,
        initial="complaint",
    )
    unit = forms.TypedChoiceField(label=pgettext_lazy("owner portal", "Home"), coerce=int)
    category = forms.ModelChoiceField(
        label=pgettext_lazy("owner portal", "About"),
        queryset=ComplaintCategory.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        empty_label=_("Other"),
    )
    title = forms.CharField(label=_("Subject"), max_length=150)
    content = forms.CharField(label=_("What happened"), widget=TEXT, max_length=4000)
    demand = forms.CharField(label=_("What would you like us to do?"), widget=TEXT, required=False, max_length=2000)
    confirm_duplicates = forms.BooleanField(label=_("Send it anyway"), required=False, widget=forms.HiddenInput)


class ConsentForm(forms.Form):
    consents = forms.BooleanField(label=_("Send me messages (notices, greetings, progress letters)"), required=False)


class ErasureForm(forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), widget=TEXT, required=False, max_length=2000)


RatingForm = OwnerRatingForm
