"""Repair orders (报修) with their own workflow and return visit (rule C13)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin
from simple_history.models import HistoricalRecords

from ..choices import RepairState
from ..workflow import REPAIR_FLOW

USER = settings.AUTH_USER_MODEL


class RepairOrder(REPAIR_FLOW.transitions(), FSMModelMixin, models.Model):
    """A repair request (报修) for a unit, with its own workflow and a return visit (rule C13)."""

    company = models.ForeignKey(
        "estates.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="repair_orders",
        editable=False,
    )
    project = models.ForeignKey(
        "estates.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="repair_orders",
        editable=False,
    )
    unit = models.ForeignKey(
        "estates.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="repair_orders"
    )
    customer = models.ForeignKey(
        "members.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repair_orders",
    )
    component_type = models.ForeignKey(
        "estates.ComponentType",
        verbose_name=_("component"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repair_orders",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repair_orders",
    )
    description = models.TextField(_("description"))
    state = FSMField(
        _("status"),
        max_length=20,
        choices=RepairState.choices,
        default=RepairState.REPORTED,
        protected=True,
        db_index=True,
    )
    reported_by = models.ForeignKey(
        USER, verbose_name=_("reported by"), null=True, on_delete=models.SET_NULL, related_name="repairs_reported"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    assignee = models.ForeignKey(
        USER,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repairs_assigned",
    )
    in_warranty = models.BooleanField(_("in warranty"), null=True, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("repair order")
        verbose_name_plural = _("repair orders")
        ordering = ["-reported_at"]
        indexes = [
            models.Index(fields=["project", "state"], name="repair_project_state_idx"),
            models.Index(fields=["-reported_at", "-id"], name="repair_list_order_idx"),
            models.Index(fields=["project", "-reported_at", "-id"], name="repair_project_order_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.unit}"

    def save(self, *args, **kwargs):
        self.project_id = self.unit.project_id
        self.company_id = self.unit.project.company_id
        super().save(*args, **kwargs)
