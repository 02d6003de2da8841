"""The dashboard's form renderer writes the same markup as Django's own templates, whichever template it takes."""

import pytest
from django import forms
from django.forms.renderers import Jinja2

from core.widgets import WidgetRenderer

CHOICES = [("", "—"), ("a", "甲 & <乙>"), ("b", 'B "quoted"')]
GROUPED = [("组一", [("1", "一"), ("2", "二")]), ("组二", [("3", "三")]), ("4", "四")]


class Form(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    chosen = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={"class": "x", "data-on": True}))
    grouped = forms.ChoiceField(choices=GROUPED)
    several = forms.MultipleChoiceField(choices=GROUPED, required=False)
    yes_no = forms.NullBooleanField()
    disabled = forms.ChoiceField(choices=CHOICES, disabled=True)
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data", [{}, {"plain": "a", "chosen": "b", "grouped": "3", "several": ["1", "4"], "yes_no": "true", "radio": "a"}]
)
def test_every_select_renders_as_djangos_own_template_renders_it(data):
    ours, djangos = Form(data or None, renderer=WidgetRenderer()), Form(data or None, renderer=Jinja2())
    own_select = WidgetRenderer().get_template("django/forms/widgets/select.html")
    assert own_select.template.filename.endswith("core/jinja2/core/forms/select.html")

    for name in Form.base_fields:
        assert str(ours[name]) == str(djangos[name]), name
    assert "<optgroup" in str(ours["grouped"]) and "&lt;乙&gt;" in str(ours["plain"])
