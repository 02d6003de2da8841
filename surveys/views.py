"""Survey pages of the dashboard, and the public one-time survey page (no sign-in)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from core.calls import CallForm
from core.errors import DomainError
from core.views import FilteredListView, PolicyDetailView, PolicyMixin
from estates.selectors import projects_for

from . import charts, policies, selectors, services
from .filters import CallQueueFilterSet, CampaignFilterSet, FollowUpFilterSet, ResponseFilterSet
from .forms import AnswerForm, CampaignForm, FollowUpForm, ImportForm
from .choices import ImportStatus
from .models import Campaign, FollowUp, ImportBatch, Invitation, Response


class DashboardView(PolicyMixin, TemplateView):
    """Satisfaction and loyalty of the user's projects: figures, trend and splits, with charts."""

    policy = policies.FIGURES
    template_name = "surveys/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ResponseFilterSet(
            self.request.GET or None, queryset=selectors.responses_for(self.request.user), request=self.request
        )
        responses = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        by_segment = selectors.figures(responses, by="segment")
        by_step = selectors.figures(responses, by="step")
        trend = selectors.trend(responses)
        context.update(
            filterset=filterset,
            querystring=self.request.GET.urlencode(),
            overall=selectors.figures(responses)[0],
            by_segment=by_segment,
            by_step=by_step,
            by_project=selectors.figures(responses, by="project"),
            items=selectors.item_figures(responses),
            trend=trend,
            trend_chart=charts.trend_chart(trend),
            segment_chart=charts.split_chart(by_segment),
        )
        return context


class ResponseListView(FilteredListView):
    model = Response
    policy = policies.RESPONSES
    filterset_class = ResponseFilterSet
    ordering_fields = ("answered_at", "overall_score")
    default_ordering = ("-answered_at", "-pk")
    template_name = "surveys/response_list.html"

    def decorate(self, queryset):
        return queryset.select_related("questionnaire", "project", "customer")


class ResponseDetailView(PolicyDetailView):
    model = Response
    policy = policies.RESPONSES
    template_name = "surveys/response_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("questionnaire", "project", "customer", "entered_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["answers"] = self.object.answers.select_related("item").order_by("item__position")
        context["follow_up"] = FollowUp.objects.filter(response=self.object).first()
        return context


# ---------------------------------------------------------------- campaigns


class CampaignListView(FilteredListView):
    model = Campaign
    policy = policies.CAMPAIGNS
    filterset_class = CampaignFilterSet
    default_ordering = ("-created_at", "-pk")
    ordering_fields = ("created_at", "sent_at")
    template_name = "surveys/campaign_list.html"

    def get_queryset(self):
        self.queryset = selectors.campaign_list()
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for campaign in context["object_list"]:
            campaign.rate = selectors.response_rate(campaign)
        return context


class CampaignCreateView(PolicyMixin, FormView):
    policy = policies.CAMPAIGNS
    write_required = True
    form_class = CampaignForm
    template_name = "surveys/campaign_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.policy.check_project(self.request.user, form.cleaned_data["project"])
            campaign = services.create_campaign(actor=self.request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Campaign created. Send it when ready."))
        return redirect("surveys:campaign-detail", pk=campaign.pk)


class CampaignDetailView(PolicyDetailView):
    model = Campaign
    policy = policies.CAMPAIGNS
    template_name = "surveys/campaign_detail.html"

    def get_queryset(self):
        return self.policy.scope(selectors.campaign_list(), self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rate"] = selectors.response_rate(self.object)
        context["invitations"] = self.object.invitations.select_related("customer").order_by("answered_at", "pk")[:200]
        context["figures"] = selectors.figures(Response.objects.filter(invitation__campaign=self.object))[0]
        return context


class CampaignActionView(PolicyMixin, View):
    """Send (or send to newcomers again) or close a campaign."""

    policy = policies.CAMPAIGNS
    write_required = True

    def post(self, request, pk, move):
        campaign = get_object_or_404(self.policy.scope(Campaign.objects.all(), request.user), pk=pk)
        try:
            if move == "send":
                count = services.send_campaign(
                    campaign=campaign, base_url=request.build_absolute_uri("/"), actor=request.user
                )
                messages.success(request, _("%(count)s customers invited.") % {"count": count})
            else:
                services.close_campaign(campaign=campaign, actor=request.user)
                messages.success(request, _("Campaign closed."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("surveys:campaign-detail", pk=pk)


# ---------------------------------------------------------------- call center


class CallQueueView(FilteredListView):
    """The call center's list of customers to call for a survey: paged, filtered by project and campaign."""

    model = Invitation
    policy = policies.CALL_ENTRY
    filterset_class = CallQueueFilterSet
    ordering_fields = ("created_at", "expires_at", "call_back_at")
    default_ordering = ("created_at", "pk")
    template_name = "surveys/call_queue.html"

    def decorate(self, queryset):
        return selectors.call_queue(queryset)


class CallEntryView(PolicyMixin, FormView):
    """The call center types in the customer's answers during the call, or records a call that got none."""

    policy = policies.CALL_ENTRY
    write_required = True
    template_name = "surveys/call_entry.html"

    @cached_property
    def invitation(self):
        invitations = Invitation.objects.select_related("campaign__questionnaire", "customer", "campaign__project")
        return get_object_or_404(self.policy.scope(invitations, self.request.user), pk=self.kwargs["pk"])

    def get_form(self, form_class=None):
        return AnswerForm(self.invitation.campaign.questionnaire, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("call_form", CallForm())
        calls = self.invitation.calls.select_related("called_by")
        return {**super().get_context_data(**kwargs), "invitation": self.invitation, "calls": calls}

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") != "call":
            return super().post(request, *args, **kwargs)
        call_form = CallForm(request.POST)
        if call_form.is_valid():
            try:
                services.record_call(invitation=self.invitation, actor=request.user, **call_form.cleaned_data)
            except DomainError as error:
                call_form.add_error(error.field if error.field in call_form.fields else None, error.message)
            else:
                messages.success(request, _("Call recorded."))
                return redirect("surveys:call-queue")
        return self.render_to_response(self.get_context_data(call_form=call_form), status=400)

    def form_valid(self, form):
        try:
            services.answer_by_call(invitation=self.invitation, answers=form.answers(), actor=self.request.user)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Answers saved."))
        return redirect("surveys:call-queue")


# ---------------------------------------------------------------- follow-ups (S6)


class FollowUpListView(FilteredListView):
    model = FollowUp
    policy = policies.FOLLOW_UPS
    filterset_class = FollowUpFilterSet
    default_ordering = ("due_on", "pk")
    ordering_fields = ("due_on", "created_at")
    template_name = "surveys/follow_up_list.html"

    def decorate(self, queryset):
        return queryset.select_related("project", "customer", "assignee", "response__questionnaire")


class FollowUpDetailView(PolicyDetailView):
    model = FollowUp
    policy = policies.FOLLOW_UPS
    template_name = "surveys/follow_up_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "customer", "assignee", "response__questionnaire")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or FollowUpForm(
            initial={"findings": self.object.findings, "solution": self.object.solution}
        )
        context["history"] = self.object.history.select_related("history_user").order_by("history_date")
        return context


class FollowUpActionView(PolicyMixin, View):
    policy = policies.FOLLOW_UPS
    write_required = True
    MOVES = {
        "start": services.start_follow_up,
        "resolve": services.resolve_follow_up,
        "close": services.close_follow_up,
        "reopen": services.reopen_follow_up,
    }
    FIELDS = {"start": ["findings"], "resolve": ["solution", "findings"], "close": ["note"], "reopen": ["note"]}

    def post(self, request, pk, move):
        follow_up = get_object_or_404(self.policy.scope(FollowUp.objects.all(), request.user), pk=pk)
        form = FollowUpForm(request.POST)
        form.is_valid()
        try:
            self.MOVES[move](
                follow_up=follow_up,
                actor=request.user,
                **{name: form.cleaned_data.get(name, "") for name in self.FIELDS[move]},
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("surveys:follow-up-detail", pk=pk)


# ---------------------------------------------------------------- Excel import (S5)


class ImportView(PolicyMixin, FormView):
    policy = policies.IMPORTS
    write_required = True
    form_class = ImportForm
    template_name = "surveys/import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fixed_columns"] = list(services.IMPORT_COLUMNS)
        context["batches"] = selectors.latest_imports(self.policy.scope(ImportBatch.objects.all(), self.request.user))
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report, batch = services.import_results(
            file=upload,
            questionnaire=form.cleaned_data["questionnaire"],
            firm=form.cleaned_data["firm"],
            file_name=upload.name,
            actor=self.request.user,
            projects=projects_for(self.request.user),
        )
        if batch is None:
            return self.render_to_response(
                self.get_context_data(form=form, errors=report.errors[:500], error_count=len(report.errors))
            )
        if batch.status == ImportStatus.IMPORTING:
            return redirect("surveys:import-batch", pk=batch.pk)
        messages.success(self.request, _("%(count)s responses imported.") % {"count": batch.row_count})
        return redirect(reverse("surveys:response-list") + f"?import_batch={batch.pk}")


class ImportBatchView(PolicyDetailView):
    """One imported file: a worker's progress while it writes, then its responses, or why it wrote nothing."""

    model = ImportBatch
    policy = policies.IMPORTS
    template_name = "surveys/import_batch.html"

    def get_queryset(self):
        return super().get_queryset().select_related("questionnaire", "imported_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = len(self.object.errors)
        error_count = max(self.object.error_count, listed)  # (a batch that failed before errors were counted)
        context.update(
            running=self.object.status == ImportStatus.IMPORTING,
            progress=services.import_progress(self.object),
            error_count=error_count,
            more_errors=error_count - listed,
        )
        return context


# ---------------------------------------------------------------- the public page


@never_cache
def public_survey(request, token):
    """The page a customer opens from the message: no sign-in, works once, until it expires."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return _public_status(request, _("This link is not valid."), status=404)
    try:
        services.check_link_open(invitation)
    except DomainError as error:
        return _public_status(request, error.message, status=_STATUS.get(error.code, 400), invitation=invitation)
    questionnaire = invitation.campaign.questionnaire
    form = AnswerForm(questionnaire, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_by_link(token=token, answers=form.answers())
        except DomainError as error:
            if error.field not in form.fields:
                return _public_status(
                    request, error.message, status=_STATUS.get(error.code, 400), invitation=invitation
                )
            form.add_error(error.field, error.message)
        else:
            return _public_status(
                request, _("Thank you! Your answers have been received."), status=200, invitation=invitation, done=True
            )
    return render(
        request, "surveys/public_survey.html", {"invitation": invitation, "form": form, "questionnaire": questionnaire}
    )


_STATUS = {"expired": 410, "already_answered": 409, "invalid_link": 404}


def _public_status(request, message, *, status, invitation=None, done=False):
    return render(
        request,
        "surveys/public_status.html",
        {"message": message, "invitation": invitation, "done": done},
        status=status,
    )
