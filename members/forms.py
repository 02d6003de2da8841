from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from core.access import sees_own_team_only, team_member_ids
from core.models import User
from core.roles import SALES, Role
from core.widgets import DateInput, Picker
from estates.forms import ProjectField
from estates.selectors import projects_for

from . import grading
from .choices import FollowUpMethod, InvitationOutcome, LeadGrade, MemberLevel, Reaction, SourceChannel
from .models import Customer
from .validators import MOBILE_ERRORS, validate_mobile


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "project",
            "name",
            "mobile",
            "id_number",
            "birthday",
            "gender",
            "source_channel",
            "consents_to_messages",
            "consultant",
            "notes",
        ]
        widgets = {
            "birthday": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "consultant": Picker("staff", narrowed_by=["project"], fixed={"roles": sorted(SALES)}),
        }
        field_classes = {"project": ProjectField}
        help_texts = {"mobile": _("A mainland mobile number, e.g. 13812345678.")}
        error_messages = {"mobile": MOBILE_ERRORS}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for(user)
        consultants = User.objects.filter(groups__name__in=[role.value for role in SALES]).distinct()
        if sees_own_team_only(user):
            consultants = consultants.filter(pk__in=team_member_ids(user))
        self.fields["consultant"].queryset = consultants.order_by("username")

    def validate_unique(self):
        """One phone per company is checked by members.services, which answers with the field error."""


def _sales_consultants(user, project=None):
    consultants = User.objects.filter(groups__name=Role.CONSULTANT.value, is_active=True).distinct()
    if project is not None:
        consultants = consultants.filter(projects=project)
    if sees_own_team_only(user):
        consultants = consultants.filter(pk__in=team_member_ids(user))
    return consultants.order_by("username")


class VisitForm(forms.Form):
    project = ProjectField()
    mobile = PhoneNumberField(
        region="CN",
        label=_("Mobile phone"),
        validators=[validate_mobile],
        error_messages=MOBILE_ERRORS,
        help_text=_("A known number links the visit to the existing customer."),
    )
    name = forms.CharField(
        label=_("Name"), max_length=50, required=False, help_text=_("Needed only for a new customer.")
    )
    channel = forms.ChoiceField(choices=SourceChannel.choices, label=_("Channel"))
    invited_to_club = forms.BooleanField(label=_("Invited to the club"), required=False)
    invitation_outcome = forms.ChoiceField(
        choices=[("", "—"), *InvitationOutcome.choices], label=_("Invitation outcome"), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for(user)


class FollowUpForm(forms.Form):
    method = forms.ChoiceField(choices=FollowUpMethod.choices, label=_("Method"))
    reaction = forms.ChoiceField(choices=Reaction.choices, label=_("Customer's reaction"), initial=Reaction.UNCHANGED)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    next_on = forms.DateField(
        label=_("Next follow-up"),
        required=False,
        widget=DateInput(),
        help_text=_("Never later than the grade's cadence allows."),
    )


class GradeCriteriaForm(forms.Form):
    """A grade with one group of checkboxes per grade, drawn from members.grading (L1).

    Only the chosen grade's group counts: cleaned_data["criteria"] holds what was ticked there. A service's
    error about the criteria is shown beside that group (`criteria_field`).
    """

    grade = forms.ChoiceField(choices=LeadGrade.choices, label=_("Grade"))

    def __init__(self, *args, grade: str | None = None, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        position = list(self.fields).index("grade") + 1
        fields = list(self.fields.items())
        groups = []
        for value, choices in grading.grouped_choices():
            groups.append(
                (
                    self.criteria_field(value),
                    forms.MultipleChoiceField(
                        choices=choices,
                        required=False,
                        widget=forms.CheckboxSelectMultiple,
                        label=format_lazy("{} · {}", _("Criteria met"), LeadGrade(value).label),
                        initial=list(criteria) if value == grade else [],
                    ),
                )
            )
        self.fields = dict(fields[:position] + groups + fields[position:])
        if grade:
            self.fields["grade"].initial = grade

    @staticmethod
    def criteria_field(grade: str) -> str:
        return f"criteria_{grade}"

    def clean(self):
        data = super().clean()
        grade = data.get("grade")
        groups = {value: data.pop(self.criteria_field(value), []) for value in LeadGrade.values}
        data["criteria"] = groups.get(grade, [])
        return data


class RegradeForm(GradeCriteriaForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(forms.Form):
    consultant = forms.ModelChoiceField(queryset=None, label=_("New consultant"), widget=Picker("staff"))
    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, *args, user, lead, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = _sales_consultants(user, lead.project).exclude(pk=lead.consultant_id)
        self.fields["consultant"].widget.fixed = {"roles": Role.CONSULTANT.value, "project": lead.project_id}


class ApprovalRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False)
    reassign_to = forms.ModelChoiceField(
        queryset=None,
        label=_("Hand to consultant"),
        required=False,
        widget=Picker("staff", fixed={"roles": Role.CONSULTANT.value}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reassign_to"].queryset = _sales_consultants(user)


class MilestoneForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Reason"), required=False)


class OpenLeadForm(GradeCriteriaForm):
    project = ProjectField()
    reason = forms.CharField(label=_("Reason"), required=False, help_text=_("Required for an invalid lead."))
    field_order = ["project", "grade", "reason"]

    def __init__(self, *args, user, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for(user).filter(company_id=customer.company_id)
        self.fields["project"].initial = customer.project_id


class SubscribeForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"), widget=Picker("unit"))
    price = forms.DecimalField(label=_("Price"), max_digits=12, decimal_places=2, min_value=0)
    discount_points = forms.DecimalField(
        label=_("Discount (points)"), max_digits=5, decimal_places=2, min_value=0, initial=0
    )
    deposit = forms.DecimalField(label=_("Deposit"), max_digits=12, decimal_places=2, min_value=0, initial=0)
    agreement_number = forms.CharField(label=_("Subscription agreement"), max_length=50, required=False)
    on_opening_day = forms.BooleanField(label=_("centralized opening day"), required=False)
    subscribed_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def __init__(self, *args, user, customer, **kwargs):
        super().__init__(*args, **kwargs)
        from estates.choices import UnitStatus
        from estates.models import Unit

        self.fields["unit"].queryset = (
            Unit.objects.filter(
                project__in=projects_for(user), project__company_id=customer.company_id, status=UnitStatus.AVAILABLE
            )
            .select_related("building", "project")
            .order_by("project", "building", "number")
        )


class JoinClubForm(forms.Form):
    source_project = ProjectField(label=_("Source project"))
    level = forms.ChoiceField(choices=MemberLevel.choices, label=_("Level"))
    consents_to_messages = forms.BooleanField(label=_("Consents to messages"), required=False)

    def __init__(self, *args, user, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_project"].queryset = projects_for(user).filter(company_id=customer.company_id)
        self.fields["source_project"].initial = customer.project_id
        self.fields["consents_to_messages"].initial = customer.consents_to_messages
