"""Erasure requests are handled by staff here (audited); sign-in codes and owner sessions can be looked at."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.access import Policy, mask_phone
from core.admin import PolicyAdmin, PolicyHistoryAdmin, ReadOnlyAdminMixin
from core.errors import DomainError
from core.roles import MANAGEMENT, Role

from . import services
from .choices import ErasureStatus
from .models import ErasureRequest, OwnerSession, SignInCode

PRIVACY = Policy(
    read=MANAGEMENT | frozenset({Role.CUSTOMER_SERVICE}),
    write=MANAGEMENT | frozenset({Role.CUSTOMER_SERVICE}),
    project_path="customer__project",
)
SIGN_IN = Policy(read=MANAGEMENT, project_path=None)


class ErasureHandlingForm(forms.ModelForm):
    class Meta:
        model = ErasureRequest
        fields = ["status", "outcome"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(PolicyHistoryAdmin):
    policy = PRIVACY
    form = ErasureHandlingForm
    list_display = ["requested_at", "customer", "status", "handled_by", "handled_at"]
    list_filter = ["status"]
    search_fields = ["customer__name"]
    list_select_related = ["customer", "handled_by"]
    readonly_fields = ["customer", "reason", "requested_at", "handled_by", "handled_at"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Through the service: handled once, with the outcome, the handler and the time in the audit trail."""
        original = ErasureRequest.objects.get(pk=obj.pk)
        if obj.status == ErasureStatus.REQUESTED:
            return
        try:
            services.handle_erasure(request=original, actor=request.user, status=obj.status, outcome=obj.outcome)
        except DomainError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)


@admin.register(SignInCode)
class SignInCodeAdmin(ReadOnlyAdminMixin, PolicyAdmin):
    policy = SIGN_IN
    list_display = ["created_at", "masked_mobile", "sent", "failed_attempts", "used_at", "voided_at"]
    exclude = ["mobile", "code_hash", "client_address"]

    @admin.display(description=_("mobile phone"))
    def masked_mobile(self, obj):
        return mask_phone(obj.mobile)


@admin.register(OwnerSession)
class OwnerSessionAdmin(ReadOnlyAdminMixin, PolicyAdmin):
    policy = SIGN_IN
    list_display = ["created_at", "masked_mobile", "kind", "expires_at", "ended_at"]
    exclude = ["mobile", "token_hash"]

    @admin.display(description=_("mobile phone"))
    def masked_mobile(self, obj):
        return mask_phone(obj.mobile)
