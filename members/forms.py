from django import forms
from django.utils.translation import gettext_lazy as _

from core.access import sees_own_team_only, team_member_ids
from core.models import User
from core.roles import SALES
from estates.selectors import projects_for

from .models import Customer


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ["project", "name", "mobile", "id_number", "birthday", "gender", "source_channel",
                  "consents_to_messages", "consultant", "notes"]
        widgets = {"birthday": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"mobile": _("A mainland mobile number, e.g. 13812345678.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for(user)
        consultants = User.objects.filter(groups__name__in=[role.value for role in SALES]).distinct()
        if sees_own_team_only(user):
            consultants = consultants.filter(pk__in=team_member_ids(user))
        self.fields["consultant"].queryset = consultants.order_by("username")

    def validate_unique(self):
        """One phone per company is checked by members.services, which answers with the field error."""
