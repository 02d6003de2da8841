"""The search page behind the header's box, and the caller page the phone system opens."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from core.errors import DomainError
from core.views import PolicyMixin
from members.policies import CUSTOMERS

from . import merging, picking, selectors


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "lookup/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["results"] = selectors.search(self.request.user, self.request.GET.get("q", ""))
        return context


class CallerView(PolicyMixin, TemplateView):
    """`/lookup/caller/?phone=…`: what the call center's phone system opens when a call comes in."""

    policy = CUSTOMERS
    template_name = "lookup/caller.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        phone = self.request.GET.get("phone", "").strip()
        context.update(phone=phone, cards=selectors.caller_cards(self.request.user, phone) if phone else [])
        return context


class DuplicatesView(PolicyMixin, TemplateView):
    """Likely duplicates to review, each pair a link to compare and merge them."""

    policy = merging.MERGES
    template_name = "lookup/duplicates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pairs"] = merging.likely_duplicates(self.request.user)
        return context


class MergeView(PolicyMixin, TemplateView):
    """Compare two records, choose the surviving values, merge."""

    policy = merging.MERGES
    template_name = "lookup/merge.html"

    def pair(self, params):
        try:
            pair = merging.visible_pair(
                self.request.user, int(params.get("survivor", "")), int(params.get("duplicate", ""))
            )
        except ValueError:
            pair = None
        if pair is None:
            raise Http404
        return pair

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survivor, duplicate = self.pair(self.request.GET)
        context["preview"] = merging.preview(survivor=survivor, duplicate=duplicate)
        return context

    def post(self, request, *args, **kwargs):
        survivor, duplicate = self.pair(request.POST)
        keep = [name for name in merging.CHOOSABLE if request.POST.get(f"keep_{name}") == "duplicate"]
        try:
            merging.merge_customers(
                survivor=survivor, duplicate=duplicate, actor=request.user, keep_from_duplicate=keep
            )
        except DomainError as error:
            messages.error(request, error.message)
            context = self.get_context_data()
            return self.render_to_response(context, status=error.status_code)
        messages.success(request, _("The two records are now one."))
        return redirect("members:customer-detail", pk=survivor.pk)


class PickView(LoginRequiredMixin, View):
    """`/lookup/pick/<kind>/?q=…&project=…`: the matches a form's picker offers, as JSON."""

    narrowing = ("project", "customer", "unit", "department", "roles")

    def get(self, request, kind):
        if kind not in picking.KINDS:
            raise Http404
        narrowed_by = {name: request.GET[name] for name in self.narrowing if request.GET.get(name)}
        choices = picking.pick(request.user, kind, request.GET.get("q", ""), narrowed_by)
        return JsonResponse(
            {
                "results": [{"id": c.id, "label": c.label, "detail": c.detail} for c in choices],
                "empty": str(picking.NO_MATCH),
            }
        )
