"""The search page behind the header's box, and the caller page the phone system opens."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from members.policies import CUSTOMERS

from . import selectors


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "lookup/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["results"] = selectors.search(self.request.user, self.request.GET.get("q", ""))
        return context


class CallerView(LoginRequiredMixin, TemplateView):
    """`/lookup/caller/?phone=…`: what the call center's phone system opens when a call comes in."""

    template_name = "lookup/caller.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not CUSTOMERS.can_read(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        phone = self.request.GET.get("phone", "").strip()
        context.update(phone=phone, cards=selectors.caller_cards(self.request.user, phone) if phone else [])
        return context
