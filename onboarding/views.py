"""The onboarding pages: per kind, the template, the upload, the dry run, the confirmation and the result."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from core.errors import DomainError
from core.excel import xlsx_response

from . import generator, services
from .api.views import result_response
from .choices import BatchStatus, ImportKind
from .forms import UnitGeneratorForm, UploadForm
from .policies import ONBOARDING


class OnboardingMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not ONBOARDING.can_write(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class IndexView(OnboardingMixin, TemplateView):
    template_name = "onboarding/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(kinds=ImportKind.choices, batches=services.visible_batches(self.request.user)[:20])
        return context


class KindView(OnboardingMixin, TemplateView):
    """One kind of import: download the template, upload a file, see the earlier uploads."""

    template_name = "onboarding/kind.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in ImportKind.values:
            raise Http404
        self.kind = ImportKind(kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context.update(
            kind=self.kind,
            columns=services.importing.COLUMNS[self.kind],
            batches=services.visible_batches(self.request.user).filter(kind=self.kind)[:20],
        )
        return context

    def post(self, request, kind):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = services.upload_import(kind=self.kind, file=form.cleaned_data["file"], actor=request.user)
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                return redirect("onboarding:batch", pk=batch.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TemplateDownloadView(OnboardingMixin, View):
    def get(self, request, kind):
        if kind not in ImportKind.values:
            raise Http404
        return xlsx_response(f"{kind}-template.xlsx", [services.template_sheet(kind)])


class BatchView(OnboardingMixin, TemplateView):
    """The dry run's preview (refusals with row, column and reason), the confirm button, the progress."""

    template_name = "onboarding/batch.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = get_object_or_404(services.visible_batches(self.request.user), pk=kwargs["pk"])
        refusals = batch.report.get("refusals", [])[:500]
        context.update(
            batch=batch,
            counts=batch.report.get("counts", {}),
            refusals=refusals,
            more_refused=batch.refused - len(refusals),
            progress=services.progress_of(batch),
            running=batch.status in (BatchStatus.CHECKING, BatchStatus.IMPORTING),
            can_confirm=batch.status == BatchStatus.CHECKED and not batch.refused,
        )
        return context

    def post(self, request, pk):
        batch = get_object_or_404(services.visible_batches(request.user), pk=pk)
        try:
            batch = services.confirm_import(batch=batch, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if batch.status == BatchStatus.DONE:
                messages.success(request, _("Imported."))
            elif batch.status == BatchStatus.FAILED:
                messages.error(request, batch.report.get("error", ""))
        return redirect("onboarding:batch", pk=pk)


class BatchResultView(OnboardingMixin, View):
    def get(self, request, pk):
        return result_response(get_object_or_404(services.visible_batches(request.user), pk=pk))


class UnitGeneratorView(OnboardingMixin, TemplateView):
    """Preview the units of a building, then create those it lacks."""

    template_name = "onboarding/generator.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UnitGeneratorForm(user=self.request.user))
        return context

    def post(self, request):
        form = UnitGeneratorForm(request.POST, user=request.user)
        context = {"form": form}
        if form.is_valid():
            building = form.cleaned_data["building"]
            try:
                if "create" in request.POST:
                    created, units = generator.generate_units(building=building, actor=request.user, **form.plan())
                    messages.success(request, _("%(count)d units created.") % {"count": created})
                else:
                    units = generator.plan_units(building=building, **form.plan())
                context.update(units=units, new=sum(1 for unit in units if not unit.exists))
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        return self.render_to_response(self.get_context_data(**context), status=200 if form.is_valid() else 400)
