from django.contrib import admin

from core.admin import AuditTrailAdminMixin, PolicyAdmin

from . import merging
from .models import CustomerMerge


@admin.register(CustomerMerge)
class CustomerMergeAdmin(AuditTrailAdminMixin, PolicyAdmin):
    """The record of every merge; merges are made on the dashboard or through the API, never edited here."""

    policy = merging.MERGES
    list_display = ["merged_at", "survivor", "duplicate_id", "merged_by"]
    list_select_related = ["survivor", "merged_by"]
    readonly_fields = [
        "survivor",
        "duplicate_id",
        "duplicate",
        "kept_from_duplicate",
        "moved",
        "merged_by",
        "merged_at",
    ]
    date_hierarchy = "merged_at"
