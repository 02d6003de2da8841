from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import PolicyAdmin

from . import messaging, policies
from .models import MessageTemplate, OutboundMessage


@admin.register(MessageTemplate)
class MessageTemplateAdmin(PolicyAdmin):
    policy = policies.MESSAGE_TEMPLATES
    list_display = ["code", "name", "channel", "is_active", "updated_at"]
    list_filter = ["channel", "is_active"]
    search_fields = ["code", "name", "body"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(PolicyAdmin):
    policy = policies.MESSAGES
    list_display = ["customer", "project", "purpose", "channel", "status", "send_after", "attempts", "sent_at"]
    list_filter = ["status", "channel", "purpose", "project"]
    search_fields = ["customer__name", "dedupe_key", "body"]
    list_select_related = ["customer", "project"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundMessage._meta.fields]
    actions = ["cancel_queued"]

    def has_add_permission(self, request):
        return False  # messages are queued by duties or through the API, never typed into the table

    @admin.action(description=_("Cancel the selected queued messages"))
    def cancel_queued(self, request, queryset):
        cancelled = sum(messaging.cancel(message=message) for message in queryset)
        self.message_user(request, _("%(count)d messages cancelled.") % {"count": cancelled}, messages.SUCCESS)
