from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouchpointsConfig(AppConfig):
    name = "touchpoints"
    verbose_name = _("6+2 touchpoints")

    def ready(self):
        from core import schedules, timeline
        from core import sections as core_sections
        from members.signals import purchase_moved

        from . import events, receivers
        from . import sections as touchpoint_sections

        purchase_moved.connect(receivers.purchase_moved, dispatch_uid="touchpoints.purchase_moved")

        timeline.register(events.message_events)
        timeline.register(events.care_events)
        timeline.register(events.letter_events)
        timeline.register(events.meeting_events)
        timeline.register(events.visit_round_events)
        core_sections.register("project", touchpoint_sections.owners_meetings)
        core_sections.register("project", touchpoint_sections.visit_rounds)
        schedules.register(
            schedules.Duty(
                name="touchpoints: daily care schedule",
                task="touchpoints.run_care_schedule",
                minute="15",
                hour="6",
                description="Creates the care tasks that fall due (J6–J20), queues their messages, flags overdue ones.",
            )
        )
        schedules.register(
            schedules.Duty(
                name="touchpoints: send due messages",
                task="touchpoints.send_due_messages",
                minute="*",
                description="Sends queued messages whose time has come, and retries failed sends.",
            )
        )
