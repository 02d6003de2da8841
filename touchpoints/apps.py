from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouchpointsConfig(AppConfig):
    name = "touchpoints"
    verbose_name = _("6+2 touchpoints")
