from django.contrib import admin

from core.admin import PolicyHistoryAdmin

from . import policies
from .models import Customer


@admin.register(Customer)
class CustomerAdmin(PolicyHistoryAdmin):
    policy = policies.CUSTOMERS
    list_display = ["name", "mobile", "project", "consultant", "source_channel", "consents_to_messages", "created_at"]
    list_filter = ["project", "source_channel", "gender", "consents_to_messages"]
    search_fields = ["name", "mobile"]
    list_select_related = ["project", "consultant"]
    autocomplete_fields = ["project", "consultant"]
    date_hierarchy = "created_at"
