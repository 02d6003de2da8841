"""The care schedule: per-project settings, care tasks and the records the tasks produce (J6–J21)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, validate_comma_separated_integer_list
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.db import empties_last_descending
from core.calls import Callable, CallAttempt
from core.roles import Role

from ..choices import (
    CheckItem,
    CheckResult,
    Duty,
    IssueStatus,
    MeetingKind,
    OpenDaySequence,
    OpenDayStatus,
    ShopperInterval,
    SubjectKind,
    TaskStatus,
)


class CareSettings(models.Model):
    """The numbers of the care rules for one project; a project without a row uses these defaults."""

    project = models.OneToOneField(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="care_settings"
    )
    mystery_shopper_interval = models.PositiveSmallIntegerField(
        _("mystery-shopper check interval"), choices=ShopperInterval.choices, default=ShopperInterval.EVERY_TWO_MONTHS
    )
    progress_letter_interval_months = models.PositiveSmallIntegerField(
        _("progress letter interval (months)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    return_call_days = models.PositiveSmallIntegerField(
        _("satisfaction return call window (days)"), default=7, validators=[MinValueValidator(1)]
    )
    signing_follow_up_days = models.PositiveSmallIntegerField(
        _("call after signing within (days)"), default=7, validators=[MinValueValidator(1)]
    )
    home_pack_days_before_delivery = models.PositiveSmallIntegerField(
        _("home pack sent before delivery (days)"), default=30, validators=[MinValueValidator(1)]
    )
    move_in_visit_days = models.PositiveSmallIntegerField(
        _("congratulation visit within (days of move-in)"), default=14, validators=[MinValueValidator(1)]
    )
    three_month_visit_months = models.PositiveSmallIntegerField(_("home visit after move-in (months)"), default=3)
    three_month_deferral_months = models.PositiveSmallIntegerField(
        _("home visit deferrable up to (months after move-in)"), default=6
    )
    three_month_sample_percent = models.PositiveSmallIntegerField(
        _("home visit sample (minimum percent of delivered units)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    three_month_sample_max = models.PositiveSmallIntegerField(_("home visit sample (maximum households)"), default=60)
    warranty_notice_months = models.PositiveSmallIntegerField(
        _("warranty notice before expiry (months)"), default=1, validators=[MinValueValidator(1)]
    )
    one_year_check_months = models.PositiveSmallIntegerField(_("house check after move-in (months)"), default=12)
    one_year_check_window_days = models.PositiveSmallIntegerField(_("house check window (days)"), default=30)
    quality_check_months = models.CharField(
        _("quality checks after delivery (months)"),
        max_length=50,
        default="3,11,23,35",
        validators=[validate_comma_separated_integer_list],
    )
    quality_check_window_days = models.PositiveSmallIntegerField(_("quality check window (days)"), default=30)
    four_year_plan_months = models.PositiveSmallIntegerField(_("improvement plan after delivery (months)"), default=48)
    four_year_plan_window_days = models.PositiveSmallIntegerField(_("improvement plan window (days)"), default=90)
    open_day_evaluation_days = models.PositiveSmallIntegerField(
        _("open day evaluated before opening (days)"), default=14
    )
    second_open_day_max_average_defects = models.DecimalField(
        _("second opening: average detail defects per unit below"), max_digits=5, decimal_places=1, default=10
    )
    birthday_catch_up_days = models.PositiveSmallIntegerField(
        _("late birthday greeting up to (days)"),
        default=1,
        help_text=_("After downtime a missed greeting is still sent this many days late, never later."),
    )
    catch_up_days = models.PositiveSmallIntegerField(
        _("catch-up after a missed window (days)"),
        default=30,
        help_text=_("A staff task whose window passed while the scan was not running is still created this long."),
    )

    class Meta:
        verbose_name = _("care settings")
        verbose_name_plural = _("care settings")

    def __str__(self):
        return str(self.project)

    def quality_months(self) -> list[int]:
        return sorted({int(part) for part in self.quality_check_months.split(",") if part.strip()})


class CareTask(Callable, models.Model):
    """One duty towards one subject for one period; the unique key makes every scan idempotent."""

    duty = models.CharField(_("duty"), max_length=30, choices=Duty.choices)
    subject_kind = models.CharField(_("subject kind"), max_length=12, choices=SubjectKind.choices)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    period = models.CharField(
        _("period"), max_length=40, blank=True, help_text=_("Which occurrence: a month, a year, a component and date …")
    )
    company = models.ForeignKey(
        "estates.Company", verbose_name=_("company"), on_delete=models.CASCADE, related_name="care_tasks"
    )
    project = models.ForeignKey(
        "estates.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="care_tasks",
    )
    customer = models.ForeignKey(
        "members.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="care_tasks",
    )
    purchase = models.ForeignKey(
        "members.Purchase",
        verbose_name=_("purchase"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="care_tasks",
    )
    unit = models.ForeignKey(
        "estates.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="care_tasks",
    )
    component_type = models.ForeignKey(
        "estates.ComponentType",
        verbose_name=_("component type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="care_tasks",
    )
    visit_round = models.ForeignKey(
        "VisitRound",
        verbose_name=_("visit round"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    open_day = models.ForeignKey(
        "SiteOpenDay",
        verbose_name=_("site open day"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    due_start = models.DateField(_("due from"))
    due_end = models.DateField(_("due by"))
    owner_role = models.CharField(_("owner role"), max_length=20, choices=Role.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="care_tasks",
    )
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.DUE)
    deferred_until = models.DateField(_("deferred until"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("overdue alert raised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("care task")
        verbose_name_plural = _("care tasks")
        ordering = ["due_end", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty", "subject_kind", "subject_id", "period"], name="one_care_task_per_duty_subject_period"
            ),
        ]
        indexes = [
            # (the window's start with it: the due queue, open on today, is counted from the index alone)
            models.Index(fields=["status", "due_end"], include=["due_start"], name="care_task_queue_idx"),
            models.Index(fields=["project", "status"], name="care_task_project_idx"),
            models.Index(fields=["owner_role", "status"], name="care_task_role_idx"),
            models.Index(fields=["customer", "completed_at"], name="care_task_customer_idx"),
            models.Index(fields=["duty", "status"], name="care_task_duty_idx"),
            models.Index(fields=["due_end", "id"], name="care_task_list_order_idx"),
            # (the duty, status and completion with it: the 6+2 scorecard counts a project's tasks from the index)
            models.Index(
                fields=["project", "due_end", "id"],
                include=["duty", "status", "completed_at"],
                name="care_task_project_order_idx",
            ),
            # the other orderings the list offers, both ways (a nullable field's empties last: core.ordering); the
            # indexes that say NULLS LAST are PostgreSQL's only (core.db.descending_empties_last_index)
            models.Index(fields=["call_back_at", "id"], name="care_task_call_back_idx"),
            empties_last_descending("call_back_at", "care_task_call_back_desc_idx"),
            models.Index(fields=["due_start", "id"], name="care_task_start_order_idx"),
            models.Index(fields=["completed_at", "id"], name="care_task_done_order_idx"),
            empties_last_descending("completed_at", "care_task_done_desc_idx"),
            # within a project, as its staff read them, both ways (core/tests/test_list_indexes.py)
            models.Index(fields=["project", "due_start", "id"], name="care_task_project_start_idx"),
            models.Index(fields=["project", "call_back_at", "id"], name="care_task_project_call_idx"),
            empties_last_descending("call_back_at", "care_task_proj_call_desc_idx", within="project"),
            models.Index(fields=["project", "completed_at", "id"], name="care_task_project_done_idx"),
            empties_last_descending("completed_at", "care_task_proj_done_desc_idx", within="project"),
            # the units told of a component's warranty end, read by the daily scan
            models.Index(
                fields=["component_type", "due_end", "subject_id"],
                condition=models.Q(duty=Duty.WARRANTY_NOTICE, subject_kind=SubjectKind.UNIT),
                name="care_task_notice_told_idx",
            ),
            # the daily scan's catch-up: deferred tasks falling due again, and overdue tasks not yet alerted
            models.Index(
                fields=["deferred_until"],
                condition=models.Q(status=TaskStatus.DEFERRED),
                name="care_task_deferred_idx",
            ),
            models.Index(
                fields=["due_end"],
                condition=models.Q(status=TaskStatus.DUE, alerted_at=None),
                name="care_task_unalerted_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_duty_display()} · {self.period or self.due_start}"

    @property
    def checklist_results(self) -> list[tuple[str, str]]:
        """The house check's items and results in words, in the order of the checklist."""
        return [
            (
                CheckItem(item).label if item in CheckItem.values else item,
                CheckResult(result).label if result in CheckResult.values else result,
            )
            for item, result in self.checklist.items()
        ]


class CareTaskCall(CallAttempt):
    """A call about a care task that did not complete it (no answer, call back later …)."""

    task = models.ForeignKey(CareTask, verbose_name=_("care task"), on_delete=models.CASCADE, related_name="calls")

    class Meta(CallAttempt.Meta):
        verbose_name = _("care task call")
        verbose_name_plural = _("care task calls")


class CareIssue(models.Model):
    """A problem found on a visit or a house check, followed to closure (J15, J17)."""

    task = models.ForeignKey(CareTask, verbose_name=_("care task"), on_delete=models.CASCADE, related_name="issues")
    check_item = models.CharField(_("check item"), max_length=20, choices=CheckItem.choices, blank=True)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("care issue")
        verbose_name_plural = _("care issues")
        ordering = ["status", "-created_at"]
        indexes = [
            models.Index(fields=["status"], name="care_issue_status_idx"),
            models.Index(fields=["-created_at"], name="care_issue_list_order_idx"),
        ]

    def __str__(self):
        return self.description[:40]


class VisitRound(models.Model):
    """A project's round of three-month home visits for one delivery year, ended by a summary (J15)."""

    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="visit_rounds"
    )
    year = models.PositiveSmallIntegerField(_("delivery year"))
    delivered_units = models.PositiveIntegerField(_("units delivered"), default=0)
    target = models.PositiveIntegerField(_("households to visit"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit round")
        verbose_name_plural = _("visit rounds")
        ordering = ["-year", "project"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="one_visit_round_per_project_year")]
        indexes = [models.Index(fields=["-year", "id"], name="visit_round_list_order_idx")]

    def __str__(self):
        return f"{self.project} · {self.year}"


class ScanMark(models.Model):
    """The day's last complete care scan: when it began and the care settings it ran with.

    A later scan of the same day, under the same settings, reads only the purchases, customers and memberships
    written since (touchpoints.schedule): the rest it would find as the last one did, already done."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started at"))
    settings_fingerprint = models.CharField(_("settings fingerprint"), max_length=64)
    last_membership_id = models.BigIntegerField(_("last membership read"), default=0)

    class Meta:
        verbose_name = _("care scan")
        verbose_name_plural = _("care scans")

    def __str__(self):
        return f"{self.day} {self.started_at:%H:%M:%S}"


class CommunityNotice(models.Model):
    """The notice posted in the community when a component's warranty is about to end (J16)."""

    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="community_notices"
    )
    component_type = models.ForeignKey(
        "estates.ComponentType", verbose_name=_("component type"), on_delete=models.CASCADE, related_name="+"
    )
    expires_in = models.CharField(_("expiry month"), max_length=7, help_text=_("YYYY-MM"))
    body = models.TextField(_("text"))
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("community notice")
        verbose_name_plural = _("community notices")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "component_type", "expires_in"], name="one_notice_per_component_month"
            )
        ]

    def __str__(self):
        return f"{self.project} · {self.component_type} · {self.expires_in}"


class ProgressLetter(models.Model):
    """A progress letter (万科家书) sent to every buyer not yet delivered (J11)."""

    task = models.OneToOneField(
        CareTask, verbose_name=_("care task"), on_delete=models.CASCADE, related_name="progress_letter"
    )
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="progress_letters"
    )
    sent_on = models.DateField(_("sent on"))
    construction_progress = models.TextField(_("construction progress"))
    community_events = models.TextField(_("community events"), blank=True)
    amenities = models.TextField(_("amenities"), blank=True)
    recipients = models.ManyToManyField(
        "members.Customer", verbose_name=_("recipients"), blank=True, related_name="progress_letters"
    )

    class Meta:
        verbose_name = _("progress letter")
        verbose_name_plural = _("progress letters")
        ordering = ["-sent_on"]

    def __str__(self):
        return f"{self.project} · {self.sent_on}"


class MysteryShopperCheck(models.Model):
    """The scored result of a mystery-shopper check of a sales office (J6)."""

    task = models.OneToOneField(
        CareTask, verbose_name=_("care task"), on_delete=models.CASCADE, related_name="shopper_check"
    )
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="shopper_checks"
    )
    checked_on = models.DateField(_("checked on"))
    shopper = models.CharField(_("mystery shopper"), max_length=50)
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        verbose_name = _("mystery-shopper check")
        verbose_name_plural = _("mystery-shopper checks")
        ordering = ["-checked_on"]

    def __str__(self):
        return f"{self.project} · {self.checked_on} · {self.score}"


class SiteOpenDay(models.Model):
    """A site open day, evaluated by customer relations against its gates before it opens (J10)."""

    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="open_days"
    )
    sequence = models.PositiveSmallIntegerField(_("opening"), choices=OpenDaySequence.choices)
    planned_on = models.DateField(_("planned on"))
    status = models.CharField(_("status"), max_length=10, choices=OpenDayStatus.choices, default=OpenDayStatus.PLANNED)
    on_schedule = models.BooleanField(_("construction on schedule"), null=True)
    site_tidy = models.BooleanField(_("site tidy"), null=True)
    no_structural_defects = models.BooleanField(_("no obvious structural defects"), null=True)
    simulated_inspection_done = models.BooleanField(_("internal simulated inspection done"), null=True)
    no_major_defects = models.BooleanField(_("no major defects"), null=True)
    average_detail_defects = models.DecimalField(
        _("average detail defects per unit"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    evaluation_notes = models.TextField(_("evaluation notes"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for postponing or cancelling"), blank=True)
    reported_to_headquarters_at = models.DateTimeField(_("reported to headquarters at"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site open day")
        verbose_name_plural = _("site open days")
        ordering = ["-planned_on"]
        indexes = [
            models.Index(fields=["project", "status"], name="open_day_project_status_idx"),
            models.Index(fields=["planned_on"], name="open_day_planned_idx"),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_sequence_display()} · {self.planned_on}"


class ImprovementPlan(models.Model):
    """The four-year improvement plan of public areas, funded by the loyalty fund (J20)."""

    task = models.OneToOneField(
        CareTask, verbose_name=_("care task"), on_delete=models.CASCADE, related_name="improvement_plan"
    )
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="improvement_plans"
    )
    plan = models.TextField(_("improvements planned"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2)
    result = models.TextField(_("result"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.project} · {self.budget}"


class Meeting(models.Model):
    """An owners' forum or a management face-to-face meeting (J21)."""

    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="owner_meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=100)
    attendees = models.PositiveIntegerField(_("owners attending"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("owners' meeting")
        verbose_name_plural = _("owners' meetings")
        ordering = ["-held_on"]
        indexes = [
            models.Index(fields=["project", "held_on"], name="meeting_project_idx"),
            models.Index(fields=["-held_on"], name="meeting_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.held_on}"


class MeetingFeedback(models.Model):
    """What an owner said at a meeting; it lands on the owner's timeline (J21)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="feedback")
    customer = models.ForeignKey(
        "members.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_feedback",
    )
    content = models.TextField(_("feedback"))
    response = models.TextField(_("response"), blank=True)

    class Meta:
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")
        ordering = ["pk"]

    def __str__(self):
        return self.content[:40]
