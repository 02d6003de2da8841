"""Product defects (D1), delivery objections and reminders (C14), the quality handbook (D3)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import DefectCategory, DefectSource, ObjectionStatus

USER = settings.AUTH_USER_MODEL


class Defect(models.Model):
    """A product defect (项目缺陷, rule D1), raised from a complaint, a repair or a house check."""

    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="defects"
    )
    category = models.CharField(_("category"), max_length=20, choices=DefectCategory.choices)
    source = models.CharField(_("source"), max_length=20, choices=DefectSource.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defects",
    )
    repair_order = models.ForeignKey(
        "complaints.RepairOrder",
        verbose_name=_("repair order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defects",
    )
    house_check_issue = models.OneToOneField(
        "touchpoints.CareIssue",
        verbose_name=_("house-check issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defect",
        help_text=_("The issue of a one-year house check that raised this defect; one defect per issue."),
    )
    unit = models.ForeignKey(
        "estates.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="defects"
    )
    component_type = models.ForeignKey(
        "estates.ComponentType",
        verbose_name=_("component"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defects",
    )
    title = models.CharField(_("defect"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_department = models.ForeignKey(
        "core.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defects",
    )
    raised_by = models.ForeignKey(
        USER, verbose_name=_("raised by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("defect")
        verbose_name_plural = _("defects")
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["project", "category"], name="defect_project_category_idx"),
            models.Index(fields=["raised_at", "id"], name="defect_raised_idx"),
            models.Index(fields=["project", "raised_at", "id"], name="defect_project_raised_idx"),
        ]

    def __str__(self):
        return self.title


class DeliveryObjection(models.Model):
    """A buyer refusing to sign the delivery acceptance over quality (交付异议, rule C14)."""

    project = models.ForeignKey(
        "estates.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="delivery_objections",
        editable=False,
    )
    unit = models.ForeignKey(
        "estates.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="delivery_objections"
    )
    customer = models.ForeignKey(
        "members.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="delivery_objections"
    )
    reason = models.TextField(_("reason"))
    raised_on = models.DateField(_("raised on"), default=datetime.date.today)
    status = models.CharField(_("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    defects = models.ManyToManyField(Defect, verbose_name=_("defects"), blank=True, related_name="objections")
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delivery objection")
        verbose_name_plural = _("delivery objections")
        ordering = ["-raised_on", "-pk"]
        indexes = [
            models.Index(fields=["project", "status"], name="objection_project_status_idx"),
            models.Index(fields=["-raised_on", "-id"], name="objection_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.customer}"

    def save(self, *args, **kwargs):
        self.project_id = self.unit.project_id
        super().save(*args, **kwargs)


class DeliveryReminder(models.Model):
    """A delivery reminder notice (交付催告) to a buyer refusing delivery without a valid reason (C14)."""

    project = models.ForeignKey(
        "estates.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="delivery_reminders",
        editable=False,
    )
    unit = models.ForeignKey(
        "estates.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="delivery_reminders"
    )
    customer = models.ForeignKey(
        "members.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="delivery_reminders"
    )
    objection = models.ForeignKey(
        DeliveryObjection,
        verbose_name=_("objection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminders",
    )
    issued_on = models.DateField(_("issued on"), default=datetime.date.today)
    take_over_by = models.DateField(_("take over by"))
    text = models.TextField(_("notice text"))
    issued_by = models.ForeignKey(
        USER, verbose_name=_("issued by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("delivery reminder notice")
        verbose_name_plural = _("delivery reminder notices")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.unit} · {self.issued_on}"

    def save(self, *args, **kwargs):
        self.project_id = self.unit.project_id
        super().save(*args, **kwargs)


class HandbookIssue(models.Model):
    """The quarterly quality handbook sent to a company's departments (rule D3), once per quarter."""

    company = models.ForeignKey(
        "estates.Company", verbose_name=_("company"), on_delete=models.CASCADE, related_name="quality_handbooks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("quality handbook issue")
        verbose_name_plural = _("quality handbook issues")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["company", "year", "quarter"], name="unique_handbook_per_quarter")
        ]

    def __str__(self):
        return f"{self.company} {self.year} Q{self.quarter}"
