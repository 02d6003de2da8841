"""A date field for forms a template writes by hand (one per row of a list), like the forms' own."""

from django import template

from core.widgets import DateInput

register = template.Library()


@register.simple_tag
def date_input(name, value=None, id="", of="", required=False):
    """`{% date_input "executed_on" id="executed-on-" of=row.pk required=True %}`: the id is `id` + `of`."""
    attrs = {"id": f"{id}{of}"} if id else {}
    if required:
        attrs["required"] = True
    return DateInput().render(name, value, attrs=attrs)
