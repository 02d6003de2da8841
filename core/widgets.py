"""Form widgets the dashboard shares."""

from urllib.parse import urlencode

from functools import cached_property

from django import forms
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _


class WidgetRenderer(BaseRenderer):
    """Forms and widgets rendered from the Jinja2 copies of Django's templates, which Django keeps to the same
    markup: a list page's filter form renders every option of every drop-down, and Django's template engine
    takes a third longer over it. A template with no Jinja2 copy (the admin's own widgets) renders as before."""

    @cached_property
    def jinja2(self):
        return Jinja2()

    @cached_property
    def django(self):
        return DjangoTemplates()

    # Django's templates replaced by ours, which give the same markup: the select with its options written in
    # place, not included one by one (a filter form renders dozens).
    OWN = {"django/forms/widgets/select.html": "core/forms/select.html"}

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(self.OWN.get(template_name, template_name))
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)


# Served by the lookup app, which may read every app's records; a form only names the kind it picks.
PICK_URL = "lookup:pick"
PLACEHOLDERS = {
    "customer": _("Mobile, last four digits, name or unit"),
    "unit": _("Unit number, e.g. 1-0301"),
    "building": _("Building name, e.g. 3栋"),
    "staff": _("Name"),
    "project": _("Project name, code or city"),
}


class Picker(forms.Select):
    """A choice among many, found by typing (static/js/picker.js): the page holds only the chosen option,
    and the matches come from the pick endpoint, narrowed by the form's fields named in `narrowed_by`
    (their current values) and by `fixed` values (e.g. the roles a colleague must have). The field's queryset
    still decides what is valid."""

    def __init__(self, kind: str, narrowed_by=(), fixed=None, attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.narrowed_by = tuple(narrowed_by)
        self.fixed = dict(fixed or {})

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.update(
            {
                "data-picker-url": reverse(PICK_URL, kwargs={"kind": self.kind}),
                "data-picker-placeholder": str(PLACEHOLDERS[self.kind]),
                "data-picker-searching": str(_("Searching…")),
                "data-picker-found": str(_("Choose one of the matches below.")),
            }
        )
        if self.narrowed_by:
            attrs["data-narrowed-by"] = " ".join(self.narrowed_by)
        if self.fixed:
            attrs["data-picker-fixed"] = urlencode(
                {
                    name: ",".join(map(str, value)) if isinstance(value, (list, tuple, set, frozenset)) else value
                    for name, value in self.fixed.items()
                }
            )
        return attrs

    def optgroups(self, name, value, attrs=None):
        """The empty choice and the chosen one only, never the whole queryset."""
        chosen = [str(v) for v in value if str(v).isdigit()]
        options = []
        if not self.is_required or not chosen:
            options.append(self.create_option(name, "", "—", not chosen, 0))
        if not chosen:  # (nothing to read: the queryset would be compiled only to find it empty)
            return [(None, options, 0)]
        field = self.choices.field
        key = field.to_field_name or "pk"
        for instance in self.choices.queryset.filter(**{f"{key}__in": chosen}):
            option_value = getattr(instance, key) if key != "pk" else instance.pk
            options.append(
                self.create_option(name, option_value, field.label_from_instance(instance), True, len(options))
            )
        return [(None, options, 0)]


class FewOrPicker(Picker):
    """A plain drop-down of every choice while there are at most `few` of them; past that, a Picker. A user of
    a handful of projects picks from a list; a head of hundreds types a name, and no page lists them all."""

    few = 30

    def _listed(self) -> list | None:
        """The choices when few (one query, kept for the render), else None."""
        if not hasattr(self, "_listed_choices"):
            choices = list(self.choices.queryset[: self.few + 1])
            self._listed_choices = choices if len(choices) <= self.few else None
        return self._listed_choices

    def build_attrs(self, base_attrs, extra_attrs=None):
        if self._listed() is not None:
            return forms.Select.build_attrs(self, base_attrs, extra_attrs)
        return super().build_attrs(base_attrs, extra_attrs)

    def optgroups(self, name, value, attrs=None):
        listed = self._listed()
        if listed is None:
            return super().optgroups(name, value, attrs)
        chosen = {str(v) for v in value if v not in (None, "")}
        field = self.choices.field
        options = [self.create_option(name, "", field.empty_label or "—", not chosen, 0)]
        for instance in listed:
            options.append(
                self.create_option(
                    name, instance.pk, field.label_from_instance(instance), str(instance.pk) in chosen, len(options)
                )
            )
        return [(None, options, 0)]


class _CalendarInput:
    """A date typed in the form the reader's language writes it (`DATE_INPUT_FORMATS[0]` of the active language,
    2026-12-02 in Chinese), with a button opening a calendar (static/js/calendar.js). The browser's own date
    input would show its locale's form (12/02/2026) whatever the dashboard's language."""

    input_type = "text"
    calendar = "date"

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        written_as = self.format or get_format(self.format_key)[0]
        attrs.setdefault(
            "placeholder",
            written_as.replace("%Y", "YYYY")
            .replace("%m", "MM")
            .replace("%d", "DD")
            .replace("%H", "hh")
            .replace("%M", "mm")
            .replace("%S", "ss"),
        )
        attrs.update(
            {
                "autocomplete": "off",
                "data-calendar": self.calendar,
                "data-format": written_as,
                "data-calendar-label": str(_("Choose from a calendar")),
            }
        )
        return attrs


class DateInput(_CalendarInput, forms.DateInput):
    pass


class DateTimeInput(_CalendarInput, forms.DateTimeInput):
    calendar = "datetime-local"
