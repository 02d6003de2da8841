from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PROJECTS = "projects", _("Projects")
    UNITS = "units", _("Units")
    CUSTOMERS = "customers", _("Customers")
    PURCHASES = "purchases", _("Purchases with milestones")


class BatchStatus(models.TextChoices):
    """An upload is checked (dry run) on arrival, a large one by a worker; it is applied only when confirmed and
    clean."""

    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed, nothing saved")


class RowAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    UNCHANGED = "unchanged", _("Unchanged")
    REFUSE = "refuse", _("Refuse")
