from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OwnersConfig(AppConfig):
    name = "owners"
    verbose_name = _("Owner self-service")

    def ready(self):
        from . import schema  # noqa: F401  (registers the owner token with drf-spectacular)
