from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "status", "row_count", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
    readonly_fields = [
        "kind",
        "status",
        "file",
        "file_name",
        "row_count",
        "processed_rows",
        "report",
        "created_by",
        "created_at",
        "finished_at",
    ]

    def has_add_permission(self, request):
        return False
