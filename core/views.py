"""Dashboard base views: the same Policy and FilterSet as the API, rendered as pages."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import DetailView, ListView


class PolicyMixin(LoginRequiredMixin):
    """Refuses a user whose roles may not read (403) and hides rows outside their scope (404)."""

    policy = None
    write_required = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            allowed = self.policy.can_write(request.user) if self.write_required else self.policy.can_read(request.user)
            if not allowed:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.policy.scope(super().get_queryset(), self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = self.policy.can_write(self.request.user)
        return context


class FilteredListView(PolicyMixin, ListView):
    """A list page filtered by the resource's FilterSet; its query string is also a valid API query."""

    filterset_class = None
    paginate_by = 25
    ordering_fields: tuple[str, ...] = ()
    default_ordering: tuple[str, ...] = ("-pk",)

    def get_queryset(self):
        queryset = self.decorate(super().get_queryset())
        self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        queryset = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        ordering = self.request.GET.get("ordering", "")
        if ordering.lstrip("-") in self.ordering_fields:
            return queryset.order_by(ordering, "pk")
        return queryset.order_by(*self.default_ordering)

    def decorate(self, queryset):
        """Joins and annotations the page shows (select_related, counts)."""
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filterset=self.filterset, querystring=query.urlencode())
        return context


class PolicyDetailView(PolicyMixin, DetailView):
    pass
