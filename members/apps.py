from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Customers and sales")

    def ready(self):
        from core import schedules, timeline

        from . import events

        for provider in (
            events.customer_events,
            events.visit_events,
            events.follow_up_events,
            events.grade_events,
            events.purchase_events,
        ):
            timeline.register(provider)
        for duty in (
            schedules.Duty(
                name="members: flag overdue follow-ups",
                task="members.flag_overdue_follow_ups",
                minute="30",
                hour="7",
                description="Rule L3: to the consultant and the supervisor.",
            ),
            schedules.Duty(
                name="members: daily A/B digest to supervisors",
                task="members.send_daily_ab_digests",
                minute="0",
                hour="21",
                description="Rule L4.",
            ),
            schedules.Duty(
                name="members: weekly lead summary",
                task="members.build_weekly_summaries",
                minute="0",
                hour="6",
                description="Rule L5: the week before; daily, so a missed Monday catches up once.",
            ),
            schedules.Duty(
                name="members: monthly lead cycle",
                task="members.run_monthly_cycle",
                minute="0",
                hour="5",
                description="Rule L6: checked daily, each lead on its own cycle.",
            ),
        ):
            schedules.register(duty)
