"""Crisis records (rule C8)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin
from simple_history.models import HistoricalRecords

from ..choices import CrisisStatus
from ..workflow import CRISIS_FLOW

USER = settings.AUTH_USER_MODEL


class CrisisRecord(CRISIS_FLOW.transitions(), FSMModelMixin, models.Model):
    """A crisis (一级投诉) opened from a complaint and tracked until closed (rule C8)."""

    complaint = models.OneToOneField(
        "complaints.Complaint", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="crisis"
    )
    status = FSMField(
        _("status"), max_length=20, choices=CrisisStatus.choices, default=CrisisStatus.OPEN, protected=True
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("crisis record")
        verbose_name_plural = _("crisis records")
        ordering = ["-opened_at"]
        # Open crises first ("open" after "closed"), the latest opened first.
        indexes = [models.Index(fields=["-status", "-opened_at"], name="crisis_open_first_idx")]

    def __str__(self):
        return str(self.complaint)


class CrisisAction(models.Model):
    crisis = models.ForeignKey(CrisisRecord, verbose_name=_("crisis"), on_delete=models.CASCADE, related_name="actions")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(USER, verbose_name=_("actor"), null=True, on_delete=models.SET_NULL, related_name="+")
    description = models.TextField(_("action taken"))

    class Meta:
        verbose_name = _("crisis action")
        verbose_name_plural = _("crisis actions")
        ordering = ["at"]

    def __str__(self):
        return self.description[:50]
