"""Enumerations of the owner portal: short English slugs, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SessionKind(models.TextChoices):
    WEB = "web", _("Owner portal (browser)")
    API = "api", _("Owner API token")


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DONE = "done", _("Erased")
    REFUSED = "refused", _("Refused with reason")


class PublicStatus(models.TextChoices):
    """What the owner is told of a complaint or repair: public wording, never the internal states."""

    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being handled")
    SCHEDULED = "scheduled", _("Repairer assigned")
    DONE = "done", _("Done: please rate it")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", pgettext_lazy("owner portal", "Closed")
    REOPENED = "reopened", _("Handled again")
