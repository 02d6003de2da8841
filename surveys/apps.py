from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from core import schedules, timeline

        from . import events

        timeline.register(events.survey_events)
        schedules.register(
            schedules.Duty(
                name="surveys: remind those who have not answered",
                task="surveys.send_reminders",
                minute="30",
                hour="10",
                description="Sends one reminder per due number to invited customers who have not answered yet.",
            )
        )
