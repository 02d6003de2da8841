"""Complaints, their event rows, their return visits and the case library (rules C1–C11)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin
from simple_history.models import HistoricalRecords

from core.db import empties_last_descending

from ..choices import (
    OPEN_STATES,
    Channel,
    ComplaintState,
    DefectCategory,
    EventKind,
    Satisfaction,
    Severity,
    Validity,
    VisitMethod,
)
from ..workflow import COMPLAINT_FLOW

S = ComplaintState
USER = settings.AUTH_USER_MODEL


class ComplaintCategory(models.Model):
    """What a complaint is about (rule C12's "category"); editable in the admin.

    `defect_category` is the kind of product defect (rule D1) a complaint of this category raises by default.
    """

    code = models.SlugField(
        _("code"), max_length=30, unique=True, help_text=_("A short English slug; the API and exports use it.")
    )
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    defect_category = models.CharField(
        _("defect category"),
        max_length=20,
        choices=DefectCategory.choices,
        blank=True,
        help_text=_("Rule D1: the category of a defect it raises."),
    )
    is_active = models.BooleanField(_("offered at intake"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["position", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Complaint(COMPLAINT_FLOW.transitions(), FSMModelMixin, models.Model):
    """Any dissatisfaction a customer expresses through any channel (rule C1)."""

    company = models.ForeignKey(
        "estates.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="complaints",
        editable=False,
    )
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="complaints"
    )
    unit = models.ForeignKey(
        "estates.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    customer = models.ForeignKey(
        "members.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(
        ComplaintCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="complaints"
    )
    title = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    demand = models.TextField(_("customer's demand"), blank=True)
    people_count = models.PositiveIntegerField(_("people involved"), default=1)
    media_exposure = models.BooleanField(_("media exposure or protest"), default=False)
    validity = models.CharField(_("validity"), max_length=20, choices=Validity.choices, default=Validity.PENDING)
    validity_reason = models.TextField(
        _("validity reason"),
        blank=True,
        help_text=_("For an invalid complaint: the explanation given to the customer."),
    )
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity.choices, default=Severity.MINOR, db_index=True
    )
    severity_reason = models.CharField(_("severity reason"), max_length=200, blank=True)
    state = FSMField(
        _("status"), max_length=20, choices=ComplaintState.choices, default=S.RECEIVED, protected=True, db_index=True
    )
    received_by = models.ForeignKey(
        USER, verbose_name=_("received by"), null=True, on_delete=models.SET_NULL, related_name="complaints_received"
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    handler = models.ForeignKey(
        USER,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_handled",
    )
    dispatch_note = models.TextField(_("written dispatch instruction"), blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    plan = models.TextField(_("handling plan"), blank=True)
    plan_recorded_at = models.DateTimeField(_("plan recorded at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    committed_reply_at = models.DateTimeField(_("committed reply time"), null=True, blank=True)
    reported_to_head_at = models.DateTimeField(_("reported to head at"), null=True, blank=True)
    solution = models.TextField(_("agreed solution"), blank=True)
    solution_agreed_at = models.DateTimeField(_("solution agreed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, db_index=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="complaint_list_order_idx"),
            # the other orderings the lists offer, both ways; the deadline descending with empties last on PostgreSQL
            # only (core.db.descending_empties_last_index)
            models.Index(fields=["severity", "id"], name="complaint_severity_order_idx"),
            models.Index(fields=["deadline", "id"], name="complaint_deadline_order_idx"),
            empties_last_descending("deadline", "complaint_deadline_desc_idx"),
            models.Index(fields=["project", "-received_at", "-id"], name="complaint_project_order_idx"),
            models.Index(fields=["project", "state"], name="complaint_project_state_idx"),
            # within a project, as its staff read them, both ways (core/tests/test_list_indexes.py)
            models.Index(fields=["project", "severity", "id"], name="complaint_project_severity_idx"),
            models.Index(fields=["project", "deadline", "id"], name="complaint_project_deadline_idx"),
            empties_last_descending("deadline", "complaint_project_due_desc_idx", within="project"),
            models.Index(fields=["customer", "unit", "state"], name="complaint_duplicate_idx"),
            models.Index(fields=["department", "state"], name="complaint_department_idx"),
            models.Index(fields=["category", "received_at"], name="complaint_category_idx"),
            # The open complaints in id order, to match with the breached clocks' ids ("past a deadline"), with whom
            # each waits on: a queue's board counts its own from this index alone (selectors.waiting_on).
            models.Index(
                fields=["id"],
                include=["state", "department", "handler", "received_by"],
                condition=models.Q(state__in=OPEN_STATES),
                name="complaint_open_idx",
            ),
            # The home's figures of open complaints of a severity, counted from this index alone.
            models.Index(
                fields=["severity", "id"], condition=models.Q(state__in=OPEN_STATES), name="complaint_open_severity_idx"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def save(self, *args, **kwargs):
        self.company_id = self.project.company_id
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.state in OPEN_STATES


class ComplaintTally(models.Model):
    """How many of a project's complaints are in a state, kept by the database itself: triggers on the complaints
    table (migration 0019, core.db.tallies) count every complaint received, moved on, moved to another project or
    deleted, whichever way it comes. The board's figures are then a few rows here, not a count of every complaint
    the company ever received."""

    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="complaint_tallies"
    )
    state = models.CharField(_("status"), max_length=20, choices=ComplaintState.choices)
    complaints = models.IntegerField(_("complaints"))

    class Meta:
        verbose_name = _("complaint tally")
        verbose_name_plural = _("complaint tallies")
        constraints = [models.UniqueConstraint(fields=["project", "state"], name="unique_complaint_tally_per_state")]

    def __str__(self):
        return f"{self.project_id} {self.state}: {self.complaints}"


class ComplaintEvent(models.Model):
    """One row per change of a complaint: its timeline, written in the same transaction as the change."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        USER, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(_("from"), max_length=20, choices=ComplaintState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ComplaintState.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_event_at_idx")]

    def __str__(self):
        return f"{self.complaint_id} {self.get_kind_display()}"


class ReturnVisit(models.Model):
    """A return visit after a resolved complaint (C9) or a completed repair order (C13)."""

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="return_visits",
    )
    repair_order = models.ForeignKey(
        "complaints.RepairOrder",
        verbose_name=_("repair order"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="return_visits",
    )
    project = models.ForeignKey(
        "estates.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="return_visits",
        editable=False,
    )
    visitor = models.ForeignKey(
        USER, verbose_name=_("visitor"), null=True, on_delete=models.SET_NULL, related_name="return_visits"
    )
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices)
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now, db_index=True)
    service_quality = models.PositiveSmallIntegerField(_("service quality (1–5)"), default=5)
    attitude = models.PositiveSmallIntegerField(_("attitude (1–5)"), default=5)
    fee_checked = models.BooleanField(
        _("fees checked"), default=False, help_text=_("Whether any fee was charged and whether it was proper.")
    )
    fee_note = models.CharField(_("fee note"), max_length=200, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["-visited_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complaint__isnull=False) | models.Q(repair_order__isnull=False),
                name="return_visit_has_subject",
            )
        ]
        indexes = [
            models.Index(fields=["-visited_at", "-id"], name="return_visit_list_order_idx"),
            models.Index(fields=["project", "-visited_at", "-id"], name="return_visit_project_idx"),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.visited_at:%Y-%m-%d}"


class CaseEntry(models.Model):
    """A typical case in the case library (rule C11)."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), null=True, blank=True, on_delete=models.SET_NULL, related_name="case"
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        ComplaintCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases"
    )
    situation = models.TextField(_("situation"))
    handling = models.TextField(_("how it was handled"))
    lesson = models.TextField(_("lesson"))
    added_by = models.ForeignKey(
        USER, verbose_name=_("added by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("case library")
        ordering = ["-added_at"]
        indexes = [models.Index(fields=["-added_at", "-id"], name="case_latest_first_idx")]

    def __str__(self):
        return self.title
