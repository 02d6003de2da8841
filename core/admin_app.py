"""The admin under our own site: its search as one types offered to whoever fills in the form that asks it.

Django's admin lets a form's field be searched as one types (`autocomplete_fields`) only by whoever may read the
list of the records it searches. Staff are named on many forms (a crisis team, a repair's assignee, who closed a
visit round), and the staff list is the administrator's alone: the customer-relations head, who keeps those
forms, could pick no one. Here whoever may add or change the form's records may search the field's choices, as
the form itself would accept them, and nothing else: not a field the form does not search, not another record.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class FieldChoicesSearch(AutocompleteJsonView):
    """The choices of one form field, found by what is typed (select2's requests from the admin's forms)."""

    fills_the_form = False

    def has_perm(self, request, obj=None):
        if super().has_perm(request, obj):
            return True
        form_admin = self.admin_site._registry.get(self.source_field.model)
        name = self.source_field.name
        self.fills_the_form = (
            form_admin is not None
            and name in form_admin.get_autocomplete_fields(request)
            and name not in form_admin.get_readonly_fields(request)
            and (form_admin.has_add_permission(request) or form_admin.has_change_permission(request))
        )
        return self.fills_the_form

    def get_queryset(self):
        if not self.fills_the_form:
            return super().get_queryset()
        # The records the form accepts for the field, not the (unreadable) list of them.
        form_admin = self.admin_site._registry[self.source_field.model]
        choices = form_admin.formfield_for_dbfield(self.source_field, self.request).queryset
        choices = choices.complex_filter(self.source_field.get_limit_choices_to())
        found, duplicates = self.model_admin.get_search_results(self.request, choices, self.term)
        found = found.distinct() if duplicates else found
        return found if found.ordered else found.order_by("pk")


class AdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return FieldChoicesSearch.as_view(admin_site=self)(request)


class AdminConfig(DjangoAdminConfig):
    default_site = "core.admin_app.AdminSite"
