from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Organisation and access")

    def ready(self):
        from django.apps import apps
        from . import labels, schedules, security  # noqa: F401 - security connects the sign-in trail

        labels.install(apps.get_models(include_auto_created=True))

        schedules.register(
            schedules.Duty(
                name="core: purge expired tokens and idempotency keys",
                task="core.purge_expired_credentials",
                minute="30",
                hour="3",
                description="Daily housekeeping of API credentials.",
            )
        )
        schedules.register(
            schedules.Duty(
                name="core: hand over tasks kept during a broker outage",
                task="core.hand_over_waiting_tasks",
                minute="*",
                description="Sends the tasks written while the broker could not be reached.",
            )
        )
        schedules.register(
            schedules.Duty(
                name="core: remove old exports",
                task="core.purge_old_exports",
                minute="45",
                hour="3",
                description="Removes the Excel files of list exports older than EXPORT_KEEP_DAYS.",
            )
        )
        post_migrate.connect(_after_migrate, sender=self)


def _after_migrate(sender, **kwargs):
    from . import schedules, services

    services.ensure_role_groups()
    schedules.sync()
