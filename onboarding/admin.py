from django.contrib import admin

from core.admin import ReadOnlyAdminMixin, PolicyAdmin

from . import services
from .models import ImportBatch
from .policies import ONBOARDING


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, PolicyAdmin):
    """Uploaded files and how they went: read here, imported on the onboarding pages."""

    policy = ONBOARDING
    list_display = ["file_name", "kind", "status", "row_count", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]

    def get_queryset(self, request):
        return services.visible_batches(request.user)
