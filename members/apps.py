from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Customers and sales")

    def ready(self):
        from core import timeline

        from . import events

        timeline.register(events.customer_events)
