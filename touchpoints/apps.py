from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouchpointsConfig(AppConfig):
    name = "touchpoints"
    verbose_name = _("6+2 touchpoints")

    def ready(self):
        from core import schedules, timeline

        from . import events

        timeline.register(events.message_events)
        schedules.register(schedules.Duty(
            name="touchpoints: send due messages", task="touchpoints.send_due_messages", minute="*",
            description="Sends queued messages whose time has come, and retries failed sends.",
        ))
