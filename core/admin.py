import base64
import datetime
import hashlib

from csp.decorators import csp_update
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from . import dispatch, policies, services
from .errors import DomainError
from .models import Department, Export, IdempotencyKey, QueuedTask, SignInRecord, User

admin.site.site_header = _("Vanke customer relations · configuration")
admin.site.site_title = _("Customer relations admin")
admin.site.index_title = _("Configuration")


class PolicyAdmin(admin.ModelAdmin):
    """An admin page governed by the same core.access.Policy as the API and the dashboard.

    A filtered list is counted once, not again unfiltered beside it (a million customers: 35 ms each). Tables
    that grow with the company are filtered by date in the sidebar rather than drilled into by year: the year
    links read every row's date (400 ms for a million customers)."""

    policy = None
    show_full_result_count = False

    def get_queryset(self, request):
        return self.policy.scope(super().get_queryset(request), request.user)

    def get_autocomplete_fields(self, request):
        """Staff, wherever a form names them, are searched by name as one types (by whoever keeps the form:
        core.admin_app), never listed whole nor given by number."""
        listed = super().get_autocomplete_fields(request)
        return [*listed, *(name for name in staff_fields(self.model) if name not in listed)]

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


def staff_fields(model) -> list[str]:
    """The fields of `model` that name members of staff."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.many_to_many) and field.related_model is User
    ]


class PolicyInline:
    """An inline on a policy-governed page, shown to whoever may read the page's record (or the inline's own
    `policy`). Configuration rows (`editable`: a questionnaire's items) are written by whoever may write the record;
    rows that services write with their rules and effects (a complaint's events, a task's issues) are shown only.
    Put it before the inline's base."""

    policy = None
    editable = False

    def _policy(self):
        return self.policy or self.admin_site._registry[self.parent_model].policy

    def has_view_permission(self, request, obj=None):
        return self._policy().can_read(request.user)

    def has_add_permission(self, request, obj=None):
        return self.editable and self._policy().can_write(request.user)

    def has_change_permission(self, request, obj=None):
        return self.editable and self._policy().can_write(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.editable and self._policy().can_write(request.user)


class ReadOnlyAdminMixin:
    """Records kept as the system wrote them: shown in the admin, never added or changed there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AuditTrailAdminMixin(ReadOnlyAdminMixin):
    """An audit trail: not even deleted from the admin."""

    def has_delete_permission(self, request, obj=None):
        return False


class CallAttemptInline(PolicyInline, admin.TabularInline):
    """The calls recorded on a queued item (core.calls), as the agents recorded them."""

    fields = ["called_at", "outcome", "call_back_at", "note", "called_by"]
    readonly_fields = fields
    extra = 0


# What only a superuser may grant: the rest of the account is the administrator's.
SUPERUSER_FIELDS = frozenset({"is_superuser", "user_permissions"})


def _style_hash(style: str) -> str:
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# simple_history's history page sets one inline style (its paginator's "border-top: 0"), which the policy's
# style-src 'self' blocks: that style alone is allowed there, by its hash. Its "Changes" column has no Chinese
# in simple_history's catalogue: ours has it.
HISTORY_PAGE_INLINE_STYLES = ["border-top: 0"]
HISTORY_PAGE_POLICY = csp_update(
    {"style-src-attr": ["'unsafe-hashes'", *(_style_hash(style) for style in HISTORY_PAGE_INLINE_STYLES)]}
)
gettext_noop("Changes")


class PolicyHistoryAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """A policy-governed admin page that also shows the record's audit trail (R2)."""

    @method_decorator(HISTORY_PAGE_POLICY)
    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, object_id, extra_context)


@admin.register(Department)
class DepartmentAdmin(PolicyAdmin):
    policy = policies.DEPARTMENTS
    list_display = ["name", "code", "head"]
    list_select_related = ["head"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(PolicyAdmin, DjangoUserAdmin):
    """The staff list, kept by the administrator: accounts, roles (groups), department and line manager.

    Only a superuser sees superusers' accounts or grants superuser status and single permissions; whether an
    account enters the admin follows from its roles (services.sync_admin_access)."""

    policy = policies.STAFF
    list_display = ["username", "display_name", "department", "reports_to", "role_list", "is_active"]
    list_filter = ["groups", "department", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "first_name", "last_name"]
    autocomplete_fields = ["department"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Organisation"), {"fields": ("display_name", "mobile", "department", "reports_to")}),
    )

    actions = ["lift_sign_in_lock_outs", "revoke_tablet_tokens"]

    def get_queryset(self, request):
        staff = super().get_queryset(request).select_related("department", "reports_to").prefetch_related("groups")
        return staff if request.user.is_superuser else staff.filter(is_superuser=False)

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # a colleague chosen on a form: one who can still act, not a closed account nor the technical one
            found = found.filter(is_active=True, is_superuser=False)
        return found, duplicates

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = [field for field in options.get("fields", ()) if field not in SUPERUSER_FIELDS]
            kept.append((name, {**options, "fields": fields}))
        return kept

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "is_staff", "last_login", "date_joined"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_admin_access(user=form.instance)

    @admin.action(description=_("Lift the sign-in lock-out of the selected staff"), permissions=["change"])
    def lift_sign_in_lock_outs(self, request, queryset):
        lifted = services.lift_sign_in_lock_outs(users=queryset)
        for user in lifted:
            self.log_change(request, user, str(_("Sign-in lock-out lifted")))
        self.message_user(
            request,
            _("%(count)d of the selected staff may sign in again now; the others had no failed sign-ins to forget.")
            % {"count": len(lifted)},
            messages.SUCCESS if lifted else messages.WARNING,
        )

    @admin.action(description=_("Sign the selected staff out of every tablet"), permissions=["change"])
    def revoke_tablet_tokens(self, request, queryset):
        revoked, signed_out = services.revoke_tablet_tokens(users=list(queryset))
        for user in signed_out:
            self.log_change(request, user, str(_("Signed out of every tablet")))
        self.message_user(
            request,
            _("%(count)d tablet sign-ins ended: each tablet asks for the password again.") % {"count": revoked},
            messages.SUCCESS,
        )

    @admin.display(description=_("roles"))
    def role_list(self, obj):
        return ", ".join(str(role.label) for role in sorted(obj.roles))


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(PolicyAdmin):
    policy = policies.SYSTEM_TRAILS
    list_select_related = ["user"]
    list_display = ["key", "user", "response_status", "created_at"]
    search_fields = ["key", "user__username"]
    readonly_fields = ["user", "key", "fingerprint", "response_status", "response_body", "created_at"]

    def has_add_permission(self, request):
        return False


def workflow_actions(workflow) -> list:
    """Admin actions for every action of a workflow (core.workflow), on the rows selected in a list.

    An action with input first shows its form (the one the dashboard and the API use); then each row is
    moved through the action's service, and the rows the workflow refuses are reported with the reason.
    """
    return [_admin_action(workflow, action) for action in workflow.staff_actions()]


def _admin_action(workflow, action):
    def run(modeladmin, request, queryset):
        form = workflow.form_for(action.name, data=request.POST if "apply" in request.POST else None, prefix="workflow")
        if (form.fields and not form.is_bound) or (form.is_bound and not form.is_valid()):
            return TemplateResponse(
                request,
                "admin/workflow_action.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "title": action.label,
                    "action": action,
                    "action_name": run.__name__,
                    "form": form,
                    "records": queryset,
                    "opts": modeladmin.model._meta,
                },
            )
        data = form.cleaned_data if form.fields else {}
        done, refused = 0, []
        for record in queryset:
            try:
                with transaction.atomic():
                    workflow.perform(record, action.name, request.user, dict(data))
            except DomainError as refusal:
                refused.append(f"{record}: {refusal.message}")
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request, _("%(action)s: %(count)s done.") % {"action": action.label, "count": done}, messages.SUCCESS
            )
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)
        return None

    run.__name__ = f"workflow_{action.method}"
    return admin.action(description=action.label)(run)


@admin.register(SignInRecord)
class SignInRecordAdmin(AuditTrailAdminMixin, PolicyAdmin):
    """The sign-in trail: read only."""

    policy = policies.SYSTEM_TRAILS
    list_select_related = ["user"]
    list_display = ["at", "outcome", "username", "user", "ip_address", "path"]
    list_filter = ["outcome", "at"]
    search_fields = ["username"]


@admin.register(QueuedTask)
class QueuedTaskAdmin(ReadOnlyAdminMixin, PolicyAdmin):
    """Tasks written while the broker could not be reached; the sweeper sends them every minute."""

    policy = policies.SYSTEM_TRAILS
    list_display = ["task", "args", "created_at", "attempts"]
    list_filter = ["task"]
    actions = ["hand_over_now"]

    @admin.action(description=_("Hand the waiting tasks to the workers now"))
    def hand_over_now(self, request, queryset):
        result = dispatch.hand_over_waiting_tasks(older_than=datetime.timedelta(0))
        level = messages.SUCCESS if not result["waiting"] else messages.WARNING
        self.message_user(
            request,
            _("%(sent)d tasks handed over; %(waiting)d still waiting for the broker.") % result,
            level,
        )


@admin.register(Export)
class ExportAdmin(ReadOnlyAdminMixin, PolicyAdmin):
    """Large list exports written on a worker: who asked for which list with which filters, and how it went.
    The files themselves are for the person who asked (the dashboard's “My exports”)."""

    policy = policies.EXPORT_TRAIL
    list_select_related = ["requested_by"]
    list_display = ["title", "requested_by", "status", "total_rows", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["file"]
