"""django-rest-knox under our own name in the admin: its app and token model speak the dashboard's language."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnoxConfig(AppConfig):
    name = "knox"
    label = "knox"
    verbose_name = _("Tablet sign-ins")
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        # The package declares no verbose names for its one model; the admin would show "Auth tokens".
        from knox.models import AuthToken

        AuthToken._meta.verbose_name = _("API token")
        AuthToken._meta.verbose_name_plural = _("API tokens")
