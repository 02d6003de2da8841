from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LookupConfig(AppConfig):
    name = "lookup"
    verbose_name = _("Search and caller lookup")

    def ready(self):
        from django.db.models.signals import post_save

        from core import sections
        from members.models import Customer
        from members.signals import customers_written

        from . import sections as lookup_sections
        from .indexing import index_saved_customer, index_written_customers

        sections.register("customer", lookup_sections.caller_card)
        post_save.connect(index_saved_customer, sender=Customer, dispatch_uid="lookup.index_customer")
        customers_written.connect(index_written_customers, dispatch_uid="lookup.index_written_customers")
