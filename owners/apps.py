from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OwnersConfig(AppConfig):
    name = "owners"
    verbose_name = _("Owner self-service")

    def ready(self):
        from core import schedules

        from . import schema  # noqa: F401  (registers the owner token with drf-spectacular)

        schedules.register(
            schedules.Duty(
                name="owners: purge old sign-in codes and sessions",
                task="owners.purge_sign_in_records",
                minute="15",
                hour="4",
                description="Mobile numbers and addresses kept only as long as throttles need.",
            )
        )
