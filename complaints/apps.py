from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and repairs")

    def ready(self):
        from core import schedules, sections, timeline
        from touchpoints import message_templates
        from touchpoints.signals import house_check_issues_found

        from . import events, receivers
        from . import sections as complaint_sections
        from .services.common import CUSTOMER_MESSAGES

        timeline.register(events.customer_events)
        for code, variables in CUSTOMER_MESSAGES.items():
            message_templates.register(code, *variables)
        house_check_issues_found.connect(
            receivers.house_check_issues_found, dispatch_uid="complaints.house_check_issues_found"
        )
        sections.register("project", complaint_sections.earlier_defects)
        schedules.register(
            schedules.Duty(
                name="complaints: SLA clocks, breaches and escalation",
                task="complaints.check_clocks",
                minute="*",
                hour="*",
                description="Rules C5–C7, C9, C13: every minute.",
            )
        )
        schedules.register(
            schedules.Duty(
                name="complaints: defects from house checks",
                task="complaints.raise_house_check_defects",
                minute="45",
                hour="6",
                description="Rule J17: catches up any house-check issue still without its defect.",
            )
        )
        schedules.register(
            schedules.Duty(
                name="complaints: purge or anonymise archived complaints",
                task="complaints.apply_retention",
                minute="30",
                hour="3",
                description="Rule C10.",
            )
        )
        schedules.register(
            schedules.Duty(
                name="complaints: quarterly quality handbook",
                task="complaints.send_quarterly_handbooks",
                minute="0",
                hour="8",
                day_of_month="1",
                description="Rule D3 (runs monthly; once per quarter).",
            )
        )
