from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from core.access import sees_all_projects
from estates.models import Building

from .generator import DEFAULT_PATTERN, Stack


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class UnitGeneratorForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())
    first_floor = forms.IntegerField(label=_("First floor"), initial=1, min_value=-5, max_value=200)
    last_floor = forms.IntegerField(label=_("Last floor"), min_value=-5, max_value=200)
    skip_floors = forms.CharField(
        label=_("Floors not numbered"),
        required=False,
        initial="4, 13, 14",
        help_text=_("Separated by commas, e.g. 4, 13, 14."),
    )
    stacks = forms.CharField(
        label=_("Stacks"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per stack: number, area, layout, list price; e.g. “1, 89.5, 三室两厅, 2350000”."),
    )
    pattern = forms.CharField(
        label=_("Numbering pattern"),
        initial=DEFAULT_PATTERN,
        max_length=60,
        help_text=_("{floor:02d}{stack:02d} gives 0301; {building}-{entrance}-{floor}{stack:02d} gives 1-2-301."),
    )
    entrance = forms.CharField(label=_("Entrance"), required=False, max_length=10)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        buildings = Building.objects.select_related("project")
        if not sees_all_projects(user):
            buildings = buildings.filter(project__in=user.projects.all())
        self.fields["building"].queryset = buildings

    def clean_skip_floors(self):
        try:
            return sorted(
                {int(part) for part in self.cleaned_data["skip_floors"].replace("，", ",").split(",") if part.strip()}
            )
        except ValueError:
            raise forms.ValidationError(_("Whole numbers separated by commas.")) from None

    def clean_stacks(self):
        stacks = []
        for line in self.cleaned_data["stacks"].splitlines():
            parts = [part.strip() for part in line.replace("，", ",").split(",")]
            if not any(parts):
                continue
            try:
                number, area = int(parts[0]), Decimal(parts[1])
                price = Decimal(parts[3]) if len(parts) > 3 and parts[3] else Decimal("0")
            except (ValueError, IndexError, InvalidOperation):
                raise forms.ValidationError(_("Each line: stack number, area, layout, list price.")) from None
            if number < 1 or area < 1 or price < 0:
                raise forms.ValidationError(_("Each line: stack number, area, layout, list price."))
            stacks.append(
                Stack(number=number, area=area, layout=parts[2][:30] if len(parts) > 2 else "", list_price=price)
            )
        if not stacks:
            raise forms.ValidationError(_("Give at least one stack."))
        return stacks

    def plan(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("building")
        return data
