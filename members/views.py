from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from core import timeline
from core.access import display_phone, mask_phone, may_see_contact
from core.errors import DomainError
from core.excel import Sheet, xlsx_response
from core.views import FilteredListView, PolicyDetailView, PolicyMixin

from . import policies, selectors, services
from .filters import CustomerFilterSet
from .forms import CustomerForm
from .models import Customer

EXPORT_HEADERS = [_("name"), _("mobile phone"), _("project"), _("consultant"), _("source channel"), _("gender"),
                  _("birthday"), _("consents to messages"), _("registered at")]


class CustomerListView(FilteredListView):
    model = Customer
    policy = policies.CUSTOMERS
    filterset_class = CustomerFilterSet
    ordering_fields = ("name", "created_at", "birthday")
    default_ordering = ("-created_at", "-pk")
    template_name = "members/customer_list.html"

    def decorate(self, queryset):
        return queryset.select_related("project", "consultant")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        show_mobile = may_see_contact(self.request.user)
        rows = (
            [c.name, display_phone(c.mobile) if show_mobile else mask_phone(c.mobile), c.project.name, str(c.consultant or ""),
             c.get_source_channel_display(), c.get_gender_display(), c.birthday,
             _("yes") if c.consents_to_messages else _("no"), c.created_at]
            for c in self.get_queryset().iterator(chunk_size=2000)
        )
        filename = f"customers-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(filename, [Sheet(title=_("Customers"), headers=EXPORT_HEADERS, rows=rows)])


class CustomerDetailView(PolicyDetailView):
    model = Customer
    policy = policies.CUSTOMERS
    template_name = "members/customer_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "consultant", "company")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeline"] = timeline.events_for(self.object.pk)
        return context


class CustomerFormView(PolicyMixin, FormView):
    """Register a customer, or edit one the user can see."""

    policy = policies.CUSTOMERS
    write_required = True
    form_class = CustomerForm
    template_name = "members/customer_form.html"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.policy.scope(selectors.customer_list(), self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        self.object = self.get_object()
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.policy.check_project(self.request.user, data["project"])
            if self.object is None:
                customer = services.register_customer(actor=self.request.user, **data)
                messages.success(self.request, _("Customer registered."))
            else:
                customer = services.update_customer(customer=self.object, actor=self.request.user, **data)
                messages.success(self.request, _("Customer updated."))
        except DomainError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        return redirect("members:customer-detail", pk=customer.pk)
