"""Dashboard base views: the same Policy and FilterSet as the API, rendered as pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView
from django_filters.constants import EMPTY_VALUES

from .errors import ActionForbidden, DomainError, TransitionNotAllowed
from . import exports
from .excel import XLSX_CONTENT_TYPE, export_conditions
from .filters import narrowed
from .exports import export_list
from .models import ExportStatus
from .ordering import ordering_terms, tie_broken
from .db import prepared_statements
from .paging import CappedPaginator


class PolicyMixin(LoginRequiredMixin):
    """Refuses a user whose roles may not read (403) and hides rows outside their scope (404)."""

    policy = None
    write_required = False

    @classmethod
    def may_open(cls, user) -> bool:
        """Whether this page lets the user in: what links to it ask before they are shown."""
        return cls.policy.can_write(user) if cls.write_required else cls.policy.can_read(user)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_open(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.policy.scope(super().get_queryset(), self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = self.policy.can_write(self.request.user)
        return context


class FilteredListView(PolicyMixin, ListView):
    """A list page of the rows the policy lets the user see, filtered by the resource's FilterSet (its query string is
    also a valid API query), 25 a page, counted up to the cap (core.paging); its statements are the same at every
    request but for their values: prepared once per connection (core.db.postgresql)."""

    paginate_by = 25
    paginator_class = CappedPaginator
    filterset_class = None
    # A page with an Excel export names its file (`export_title`) and writes it in `export()`.
    export_title = None
    ordering_fields: tuple[str, ...] = ()
    default_ordering: tuple[str, ...] = ("-pk",)

    # Only counted (a figure of the home, core.figures): the filter set is built of the filters its query names.
    counted_only = False

    def get_queryset(self):
        queryset = self.decorate(self.rows())
        filterset_class = self.filterset_class
        if self.counted_only:
            filterset_class = narrowed(filterset_class, frozenset(self.request.GET))
        self.filterset = filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        if self.filterset.is_bound:
            # A filter the page cannot read shows its error over no rows, never the unfiltered list.
            queryset = self.filterset.qs if self.filterset.is_valid() else queryset.none()
        ordering = self.request.GET.get("ordering", "")
        if ordering.lstrip("-") in self.ordering_fields:
            return queryset.order_by(*ordering_terms(queryset.model, tie_broken([ordering])))
        return queryset.order_by(*self.default_ordering)

    def get(self, request, *args, **kwargs):
        if self.export_title is not None and request.GET.get("format") == "xlsx" and self.filters_are_valid():
            return export_list(self, self.export_title)
        return super().get(request, *args, **kwargs)

    def filters_are_valid(self) -> bool:
        """An export asked with a filter the page cannot read gets the page with the filter's error, not a file."""
        self.get_queryset()
        return not self.filterset.is_bound or self.filterset.is_valid()

    def is_filtered(self) -> bool:
        """Whether a filter narrows the list (a page number or an ordering does not)."""
        if not self.filterset.is_bound:
            return False
        if not self.filterset.is_valid():
            return True
        return any(value not in EMPTY_VALUES for value in self.filterset.form.cleaned_data.values())

    def rows(self):
        """The rows the page lists before its filters: those of `queryset` the policy lets the user see."""
        return super().get_queryset()

    def decorate(self, queryset):
        """Joins and annotations the page shows (select_related, counts)."""
        return queryset

    def page_rows(self, queryset):
        """What the page's own rows read beyond `decorate`, and its export does not (core.labels.with_names_of)."""
        return queryset

    def paginate_queryset(self, queryset, page_size):
        with prepared_statements(queryset.db):
            return super().paginate_queryset(self.page_rows(queryset), page_size)

    def export_conditions(self) -> list[tuple[str, str]]:
        """For the page's Excel export: when, by whom and with which of the page's filters."""
        return export_conditions(user=self.request.user, filterset=self.filterset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filterset=self.filterset, querystring=query.urlencode())
        return context


class PolicyDetailView(PolicyMixin, DetailView):
    pass


class WorkflowDetailView(PolicyDetailView):
    """A record's page with the workflow actions the user can take on it now (core.workflow).

    POSTing to `action_url_name` (`…/<pk>/act/<action>/`, routed to this same view) takes one: the
    action's form is validated, its service called; a refusal is shown as a message, an input error
    beside its field with what was entered kept.
    """

    workflow = None
    action_url_name = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            actions=self.action_forms(self.object, getattr(self, "bound_form", None)),
            action_url_name=self.action_url_name,
        )
        return context

    def action_forms(self, record, bound=None) -> list[dict]:
        user = self.request.user
        rows = []
        for action in self.workflow.available(record, user):
            form = (
                bound
                if bound is not None and bound.prefix == action.name
                else self.workflow.form_for(action.name, record=record, user=user, prefix=action.name)
            )
            rows.append(
                {
                    "slug": action.name,
                    "label": action.label,
                    "help": action.help,
                    "rule": action.rule,
                    "form": form,
                    "open": form is bound,
                }
            )
        return rows

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        name = kwargs.get("action", "")
        if name not in self.workflow:
            raise Http404
        form = self.workflow.form_for(name, record=self.object, user=request.user, data=request.POST, prefix=name)
        if form.is_valid():
            try:
                with transaction.atomic():
                    self.workflow.perform(self.object, name, request.user, form.cleaned_data)
            except (ActionForbidden, TransitionNotAllowed) as refusal:
                messages.error(request, refusal.message)
                self.object = self.get_object()
                return self.render_to_response(self.get_context_data(object=self.object), status=refusal.status_code)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Done: %(action)s") % {"action": self.workflow[name].label})
                return redirect(request.path.rsplit("act/", 1)[0])
        self.object = self.get_object()
        self.bound_form = form
        return self.render_to_response(self.get_context_data(object=self.object))


# --- a user's large exports (core.exports) ---------------------------------------------------------------


class ExportListView(LoginRequiredMixin, ListView):
    """The exports the user asked for, newest first, with their progress and download links."""

    template_name = "core/export_list.html"
    paginate_by = 25

    def get_queryset(self):
        return exports.visible_exports(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "keep_days": settings.EXPORT_KEEP_DAYS}


class ExportDetailView(LoginRequiredMixin, DetailView):
    """An export's progress (the page refreshes itself while a worker writes it), then its download link."""

    template_name = "core/export_detail.html"
    context_object_name = "export"

    def get_queryset(self):
        return exports.visible_exports(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            progress=exports.progress_of(self.object),
            running=self.object.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
        )
        return context


class ExportFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        export = get_object_or_404(exports.visible_exports(request.user), pk=pk, status=ExportStatus.DONE)
        name = f"{export.title}-{timezone.localtime(export.created_at):%Y%m%d-%H%M}.xlsx"
        return FileResponse(export.file.open("rb"), as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
