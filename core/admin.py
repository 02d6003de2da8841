from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Department, IdempotencyKey, User

admin.site.site_header = _("Vanke customer relations · configuration")
admin.site.site_title = _("Customer relations admin")
admin.site.index_title = _("Configuration")


class PolicyAdmin(admin.ModelAdmin):
    """An admin page governed by the same core.access.Policy as the API and the dashboard."""

    policy = None

    def get_queryset(self, request):
        return self.policy.scope(super().get_queryset(request), request.user)

    def has_module_permission(self, request):
        return self.policy.can_read(request.user)

    def has_view_permission(self, request, obj=None):
        return self.policy.can_read(request.user)

    def has_add_permission(self, request):
        return self.policy.can_write(request.user)

    def has_change_permission(self, request, obj=None):
        return self.policy.can_write(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.policy.can_delete(request.user)


class PolicyHistoryAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """A policy-governed admin page that also shows the record's audit trail (R2)."""


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "head"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["head"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "department", "reports_to", "role_list", "is_active"]
    list_filter = ["groups", "department", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "first_name", "last_name"]
    autocomplete_fields = ["reports_to", "department"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Organisation"), {"fields": ("display_name", "mobile", "department", "reports_to")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "reports_to").prefetch_related("groups")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_admin_access(user=form.instance)

    @admin.display(description=_("roles"))
    def role_list(self, obj):
        return ", ".join(str(role.label) for role in sorted(obj.roles))


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "response_status", "created_at"]
    search_fields = ["key", "user__username"]
    readonly_fields = ["user", "key", "fingerprint", "response_status", "response_body", "created_at"]

    def has_add_permission(self, request):
        return False
