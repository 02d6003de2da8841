"""Service-level clocks, their escalations and the staff inbox (rules C5–C7, C9, C13)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ClockKind, ClockStatus, EscalationLevel

USER = settings.AUTH_USER_MODEL


class SlaClock(models.Model):
    """One service-level clock of a complaint or repair order: running, met, breached or paused."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="clocks",
    )
    repair_order = models.ForeignKey(
        "complaints.RepairOrder",
        verbose_name=_("repair order"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="clocks",
    )
    kind = models.CharField(_("clock"), max_length=20, choices=ClockKind.choices)
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=0, help_text=_("Bumped when a complaint reopens."))
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=ClockStatus.choices, default=ClockStatus.RUNNING)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "kind", "cycle"], name="unique_complaint_clock"),
            models.UniqueConstraint(fields=["repair_order", "kind", "cycle"], name="unique_repair_clock"),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="clock_status_due_idx"),
            # The complaints past a deadline (the board's filter, the home's figure): their breached clocks alone.
            models.Index(fields=["complaint"], condition=Q(status=ClockStatus.BREACHED), name="clock_breached_idx"),
            # The return visits waiting to be made, soonest due first (complaints.selectors.due_return_visits): a
            # few thousand of the clocks, which the queue's page walked among all of them (85 ms on the million),
            # each with what the user's scope is checked on (PostgreSQL only: the others leave `include` out).
            models.Index(
                fields=["due_at", "id"],
                include=["complaint", "repair_order"],
                condition=Q(kind=ClockKind.RETURN_VISIT, stopped_at__isnull=True),
                name="clock_return_visit_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    def time_left(self, now=None) -> datetime.timedelta | None:
        """Time until due for a running clock (negative once overdue); None when stopped or paused."""
        if self.status != ClockStatus.RUNNING:
            return None
        return self.due_at - (now or timezone.now())


class Escalation(models.Model):
    """A breached clock raised to one level; the unique constraint makes each level happen once."""

    clock = models.ForeignKey(SlaClock, verbose_name=_("clock"), on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("level"), choices=EscalationLevel.choices)
    recipients = models.ManyToManyField(USER, verbose_name=_("notified"), blank=True, related_name="+")
    created_at = models.DateTimeField(_("escalated at"), default=timezone.now)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["clock", "level"]
        constraints = [models.UniqueConstraint(fields=["clock", "level"], name="unique_escalation_per_level")]

    def __str__(self):
        return f"{self.clock} → {self.get_level_display()}"


class Notification(models.Model):
    """A message in a member of staff's in-app inbox (alerts, escalations, crises)."""

    recipient = models.ForeignKey(
        USER, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="complaint_notifications"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    repair_order = models.ForeignKey(
        "complaints.RepairOrder",
        verbose_name=_("repair order"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]

    def __str__(self):
        return self.title
