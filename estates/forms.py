"""Form fields other apps' forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import FewOrPicker


class ProjectField(forms.ModelChoiceField):
    """A project of the form's choosing (its queryset, set by the form): from a drop-down while they are few,
    found by typing beyond, as the filters' ProjectFilter offers them."""

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("label", _("Project"))
        kwargs.setdefault("widget", FewOrPicker("project"))
        super().__init__(queryset=queryset, **kwargs)
