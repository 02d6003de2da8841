"""Complaints and their clocks, return visits, repair orders, crises, defects, delivery objections."""
import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from core.roles import MANAGEMENT, OPERATIONS, SERVICE, Role

from .choices import (
    Category, Channel, ClockCalendar, ClockKind, ClockStatus, ComplaintState, CrisisStatus, DefectCategory,
    DefectSource, EscalationLevel, EventKind, ObjectionStatus, RepairState, RetentionAction, Satisfaction,
    Severity, Validity, VisitMethod,
)

S = ComplaintState
USER = settings.AUTH_USER_MODEL


def _roles(*roles):
    """A django-fsm permission: the actor holds one of these roles (superusers always may)."""
    allowed = frozenset(roles)

    def check(instance, user):
        return bool(user) and user.has_role(*allowed)

    return check


# Who may move a complaint (rule C4). Handling departments plan, handle and resolve.
CLASSIFIERS = SERVICE | MANAGEMENT
HANDLERS = SERVICE | MANAGEMENT | OPERATIONS
SUPERVISORS = frozenset({Role.CUSTOMER_SERVICE, Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR})
REOPENERS = frozenset({Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR})


class ComplaintSettings(models.Model):
    """A company's clock targets and escalation and retention settings; defaults are the seeds'."""

    company = models.OneToOneField("estates.Company", verbose_name=_("company"), on_delete=models.CASCADE,
                                   related_name="complaint_settings")
    calendar = models.CharField(_("clocks count"), max_length=20, choices=ClockCalendar.choices,
                                default=ClockCalendar.CALENDAR)
    workday_starts = models.TimeField(_("working day starts"), default=datetime.time(9))
    workday_ends = models.TimeField(_("working day ends"), default=datetime.time(18))
    response_hours = models.PositiveSmallIntegerField(_("response within (hours)"), default=24,
                                                      help_text=_("Rule C5."))
    report_head_minutes = models.PositiveSmallIntegerField(_("major: report to head within (minutes)"), default=10,
                                                           help_text=_("Rule C6."))
    solution_hours = models.PositiveSmallIntegerField(_("major: solution within (hours)"), default=12,
                                                      help_text=_("Rule C6."))
    plan_hours = models.PositiveSmallIntegerField(_("department plan within (hours)"), default=1,
                                                  help_text=_("Rule C4."))
    auto_major_days = models.PositiveSmallIntegerField(_("unresolved becomes major after (days)"), default=10,
                                                       help_text=_("Rule C7."))
    return_visit_hours = models.PositiveSmallIntegerField(_("return visit within (hours)"), default=24,
                                                          help_text=_("Rules C9 and C13."))
    crisis_people = models.PositiveSmallIntegerField(_("crisis from (people involved)"), default=10,
                                                     help_text=_("Rule C3."))
    escalate_head_after_minutes = models.PositiveIntegerField(
        _("escalate to head of department after breach (minutes)"), default=60)
    escalate_cr_head_after_minutes = models.PositiveIntegerField(
        _("escalate to customer-relations head after breach (minutes)"), default=240)
    retention_days = models.PositiveIntegerField(_("keep archived complaints (days)"), default=730,
                                                 help_text=_("Rule C10: 2 years."))
    retention_action = models.CharField(_("after the retention period"), max_length=20,
                                        choices=RetentionAction.choices, default=RetentionAction.ANONYMISE)
    crisis_team = models.ManyToManyField(USER, verbose_name=_("crisis team"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")

    def __str__(self):
        return str(self.company)


class Complaint(FSMModelMixin, models.Model):
    """Any dissatisfaction a customer expresses through any channel (rule C1)."""

    company = models.ForeignKey("estates.Company", verbose_name=_("company"), on_delete=models.PROTECT,
                                related_name="complaints", editable=False)
    project = models.ForeignKey("estates.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="complaints")
    unit = models.ForeignKey("estates.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="complaints")
    customer = models.ForeignKey("members.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="complaints")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    title = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    demand = models.TextField(_("customer's demand"), blank=True)
    people_count = models.PositiveIntegerField(_("people involved"), default=1)
    media_exposure = models.BooleanField(_("media exposure or protest"), default=False)
    validity = models.CharField(_("validity"), max_length=20, choices=Validity.choices, default=Validity.PENDING)
    validity_reason = models.TextField(_("validity reason"), blank=True,
                                       help_text=_("For an invalid complaint: the explanation given to the customer."))
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, default=Severity.MINOR,
                                db_index=True)
    severity_reason = models.CharField(_("severity reason"), max_length=200, blank=True)
    state = FSMField(_("status"), max_length=20, choices=ComplaintState.choices, default=S.RECEIVED,
                     protected=True, db_index=True)
    received_by = models.ForeignKey(USER, verbose_name=_("received by"), null=True, on_delete=models.SET_NULL,
                                    related_name="complaints_received")
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    department = models.ForeignKey("core.Department", verbose_name=_("responsible department"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="complaints")
    handler = models.ForeignKey(USER, verbose_name=_("handler"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="complaints_handled")
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
            models.Index(fields=["project", "state"], name="complaint_project_state_idx"),
            models.Index(fields=["customer", "unit", "state"], name="complaint_duplicate_idx"),
            models.Index(fields=["department", "state"], name="complaint_department_idx"),
            models.Index(fields=["category", "received_at"], name="complaint_category_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def save(self, *args, **kwargs):
        self.company_id = self.project.company_id
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.state in [s.value for s in (S.RECEIVED, S.ANALYSED, S.DISPATCHED, S.PLANNED, S.IN_PROGRESS,
                                                S.REOPENED)]

    # The state machine (rule C4). Services call these under a row lock and write the event row.
    @transition(field=state, source=S.RECEIVED, target=S.ANALYSED, permission=_roles(*CLASSIFIERS))
    def analyse(self):
        pass

    @transition(field=state, source=[S.ANALYSED, S.REOPENED], target=S.DISPATCHED, permission=_roles(*CLASSIFIERS))
    def dispatch(self):
        pass

    @transition(field=state, source=S.DISPATCHED, target=S.PLANNED, permission=_roles(*HANDLERS))
    def record_plan(self):
        pass

    @transition(field=state, source=S.PLANNED, target=S.IN_PROGRESS, permission=_roles(*HANDLERS))
    def start(self):
        pass

    @transition(field=state, source=S.IN_PROGRESS, target=S.RESOLVED, permission=_roles(*HANDLERS))
    def resolve(self):
        pass

    @transition(field=state, source=S.RESOLVED, target=S.VERIFIED, permission=_roles(*SUPERVISORS))
    def verify(self):
        pass

    # Who may visit is decided by the complaint's severity (rule C9), checked in the service.
    @transition(field=state, source=[S.RESOLVED, S.VERIFIED], target=S.VISITED)
    def return_visit(self):
        pass

    @transition(field=state, source=S.VISITED, target=S.CLOSED, permission=_roles(*SUPERVISORS))
    def close(self):
        pass

    @transition(field=state, source=S.CLOSED, target=S.ARCHIVED, permission=_roles(*SUPERVISORS))
    def archive(self):
        pass

    @transition(field=state, source=[S.RESOLVED, S.VERIFIED, S.VISITED, S.CLOSED], target=S.REOPENED,
                permission=_roles(*REOPENERS))
    def reopen(self):
        pass


class ComplaintEvent(models.Model):
    """One row per change of a complaint: its timeline, written in the same transaction as the change."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE,
                                  related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(USER, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
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


class RepairOrder(FSMModelMixin, models.Model):
    """A repair request (报修) for a unit, with its own workflow and a return visit (rule C13)."""

    company = models.ForeignKey("estates.Company", verbose_name=_("company"), on_delete=models.PROTECT,
                                related_name="repair_orders", editable=False)
    project = models.ForeignKey("estates.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="repair_orders", editable=False)
    unit = models.ForeignKey("estates.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="repair_orders")
    customer = models.ForeignKey("members.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="repair_orders")
    component_type = models.ForeignKey("estates.ComponentType", verbose_name=_("component"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="repair_orders")
    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="repair_orders")
    description = models.TextField(_("description"))
    state = FSMField(_("status"), max_length=20, choices=RepairState.choices, default=RepairState.REPORTED,
                     protected=True, db_index=True)
    reported_by = models.ForeignKey(USER, verbose_name=_("reported by"), null=True, on_delete=models.SET_NULL,
                                    related_name="repairs_reported")
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    assignee = models.ForeignKey(USER, verbose_name=_("assignee"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="repairs_assigned")
    in_warranty = models.BooleanField(_("in warranty"), null=True, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("repair order")
        verbose_name_plural = _("repair orders")
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["project", "state"], name="repair_project_state_idx")]

    def __str__(self):
        return f"#{self.pk} {self.unit}"

    def save(self, *args, **kwargs):
        self.project_id = self.unit.project_id
        self.company_id = self.unit.project.company_id
        super().save(*args, **kwargs)

    @transition(field=state, source=RepairState.REPORTED, target=RepairState.ASSIGNED,
                permission=_roles(*SERVICE, *MANAGEMENT))
    def assign(self):
        pass

    @transition(field=state, source=RepairState.ASSIGNED, target=RepairState.IN_PROGRESS,
                permission=_roles(*HANDLERS))
    def start(self):
        pass

    @transition(field=state, source=RepairState.IN_PROGRESS, target=RepairState.COMPLETED,
                permission=_roles(*HANDLERS))
    def complete(self):
        pass

    @transition(field=state, source=RepairState.COMPLETED, target=RepairState.VISITED,
                permission=_roles(*SERVICE, *MANAGEMENT))
    def return_visit(self):
        pass

    @transition(field=state, source=RepairState.VISITED, target=RepairState.CLOSED,
                permission=_roles(*SUPERVISORS))
    def close(self):
        pass


class SlaClock(models.Model):
    """One service-level clock of a complaint or repair order: running, met, breached or paused."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="clocks")
    repair_order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="clocks")
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
        indexes = [models.Index(fields=["status", "due_at"], name="clock_status_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    def time_left(self, now=None) -> datetime.timedelta | None:
        """Time until due for a running clock (negative once overdue); None when stopped or paused."""
        if self.status != ClockStatus.RUNNING:
            return None
        return self.due_at - (now or timezone.now())


class Escalation(models.Model):
    """A breached clock raised to one level; the unique constraint makes each level happen once."""

    clock = models.ForeignKey(SlaClock, verbose_name=_("clock"), on_delete=models.CASCADE,
                              related_name="escalations")
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

    recipient = models.ForeignKey(USER, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="complaint_notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="notifications")
    repair_order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]

    def __str__(self):
        return self.title


class CrisisRecord(models.Model):
    """A crisis (一级投诉) opened from a complaint and tracked until closed (rule C8)."""

    complaint = models.OneToOneField(Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE,
                                     related_name="crisis")
    status = models.CharField(_("status"), max_length=20, choices=CrisisStatus.choices, default=CrisisStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("crisis record")
        verbose_name_plural = _("crisis records")
        ordering = ["-opened_at"]

    def __str__(self):
        return str(self.complaint)


class CrisisAction(models.Model):
    crisis = models.ForeignKey(CrisisRecord, verbose_name=_("crisis"), on_delete=models.CASCADE,
                               related_name="actions")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(USER, verbose_name=_("actor"), null=True, on_delete=models.SET_NULL, related_name="+")
    description = models.TextField(_("action taken"))

    class Meta:
        verbose_name = _("crisis action")
        verbose_name_plural = _("crisis actions")
        ordering = ["at"]

    def __str__(self):
        return self.description[:50]


class ReturnVisit(models.Model):
    """A return visit after a resolved complaint (C9) or a completed repair order (C13)."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="return_visits")
    repair_order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="return_visits")
    project = models.ForeignKey("estates.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="return_visits", editable=False)
    visitor = models.ForeignKey(USER, verbose_name=_("visitor"), null=True, on_delete=models.SET_NULL,
                                related_name="return_visits")
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices)
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now, db_index=True)
    service_quality = models.PositiveSmallIntegerField(_("service quality (1–5)"), default=5)
    attitude = models.PositiveSmallIntegerField(_("attitude (1–5)"), default=5)
    fee_checked = models.BooleanField(_("fees checked"), default=False,
                                      help_text=_("Whether any fee was charged and whether it was proper."))
    fee_note = models.CharField(_("fee note"), max_length=200, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["-visited_at"]
        constraints = [models.CheckConstraint(
            condition=models.Q(complaint__isnull=False) | models.Q(repair_order__isnull=False),
            name="return_visit_has_subject")]

    def __str__(self):
        return f"{self.get_method_display()} {self.visited_at:%Y-%m-%d}"


class Defect(models.Model):
    """A product defect (项目缺陷, rule D1), raised from a complaint, a repair or a house check."""

    project = models.ForeignKey("estates.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="defects")
    category = models.CharField(_("category"), max_length=20, choices=DefectCategory.choices)
    source = models.CharField(_("source"), max_length=20, choices=DefectSource.choices)
    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="defects")
    repair_order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="defects")
    unit = models.ForeignKey("estates.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="defects")
    component_type = models.ForeignKey("estates.ComponentType", verbose_name=_("component"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="defects")
    title = models.CharField(_("defect"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_department = models.ForeignKey("core.Department", verbose_name=_("responsible department"),
                                               null=True, blank=True, on_delete=models.SET_NULL,
                                               related_name="defects")
    raised_by = models.ForeignKey(USER, verbose_name=_("raised by"), null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("defect")
        verbose_name_plural = _("defects")
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["project", "category"], name="defect_project_category_idx"),
            models.Index(fields=["raised_at"], name="defect_raised_idx"),
        ]

    def __str__(self):
        return self.title


class DeliveryObjection(models.Model):
    """A buyer refusing to sign the delivery acceptance over quality (交付异议, rule C14)."""

    project = models.ForeignKey("estates.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="delivery_objections", editable=False)
    unit = models.ForeignKey("estates.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="delivery_objections")
    customer = models.ForeignKey("members.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="delivery_objections")
    reason = models.TextField(_("reason"))
    raised_on = models.DateField(_("raised on"), default=datetime.date.today)
    status = models.CharField(_("status"), max_length=20, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN)
    defects = models.ManyToManyField(Defect, verbose_name=_("defects"), blank=True, related_name="objections")
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delivery objection")
        verbose_name_plural = _("delivery objections")
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["project", "status"], name="objection_project_status_idx")]

    def __str__(self):
        return f"{self.unit} · {self.customer}"

    def save(self, *args, **kwargs):
        self.project_id = self.unit.project_id
        super().save(*args, **kwargs)


class DeliveryReminder(models.Model):
    """A delivery reminder notice (交付催告) to a buyer refusing delivery without a valid reason (C14)."""

    project = models.ForeignKey("estates.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="delivery_reminders", editable=False)
    unit = models.ForeignKey("estates.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="delivery_reminders")
    customer = models.ForeignKey("members.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="delivery_reminders")
    objection = models.ForeignKey(DeliveryObjection, verbose_name=_("objection"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="reminders")
    issued_on = models.DateField(_("issued on"), default=datetime.date.today)
    take_over_by = models.DateField(_("take over by"))
    text = models.TextField(_("notice text"))
    issued_by = models.ForeignKey(USER, verbose_name=_("issued by"), null=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = _("delivery reminder notice")
        verbose_name_plural = _("delivery reminder notices")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.unit} · {self.issued_on}"

    def save(self, *args, **kwargs):
        self.project_id = self.unit.project_id
        super().save(*args, **kwargs)


class CaseEntry(models.Model):
    """A typical case in the case library (rule C11)."""

    complaint = models.OneToOneField(Complaint, verbose_name=_("complaint"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="case")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    situation = models.TextField(_("situation"))
    handling = models.TextField(_("how it was handled"))
    lesson = models.TextField(_("lesson"))
    added_by = models.ForeignKey(USER, verbose_name=_("added by"), null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("case library")
        ordering = ["-added_at"]

    def __str__(self):
        return self.title


class RetentionRecord(models.Model):
    """What the retention job did to one complaint (rule C10); unique, so it is done once."""

    complaint_ref = models.PositiveIntegerField(_("complaint number"))
    action = models.CharField(_("action"), max_length=20, choices=RetentionAction.choices)
    done_at = models.DateTimeField(_("done at"), default=timezone.now)

    class Meta:
        verbose_name = _("retention record")
        verbose_name_plural = _("retention records")
        ordering = ["-done_at"]
        constraints = [models.UniqueConstraint(fields=["complaint_ref"], name="unique_retention_per_complaint")]

    def __str__(self):
        return f"#{self.complaint_ref} {self.get_action_display()}"


class HandbookIssue(models.Model):
    """The quarterly quality handbook sent to a company's departments (rule D3), once per quarter."""

    company = models.ForeignKey("estates.Company", verbose_name=_("company"), on_delete=models.CASCADE,
                                related_name="quality_handbooks")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("quality handbook issue")
        verbose_name_plural = _("quality handbook issues")
        ordering = ["-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["company", "year", "quarter"],
                                               name="unique_handbook_per_quarter")]

    def __str__(self):
        return f"{self.company} {self.year} Q{self.quarter}"
