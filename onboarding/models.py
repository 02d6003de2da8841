"""An uploaded Excel file, its dry-run report and the outcome of applying it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import BatchStatus, ImportKind


class ImportBatch(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.CHECKED)
    file = models.FileField(_("file"), upload_to="onboarding/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=200)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    result = models.FileField(
        _("result report"), upload_to="onboarding/results/%Y/%m/", blank=True, help_text=_("Every row and its outcome.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("The uploader's: a worker writes the report in it.")
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.file_name}"

    @property
    def refused(self) -> int:
        return self.report.get("counts", {}).get("refuse", 0)
