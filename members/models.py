"""Customers, visits, leads with grades and follow-ups, club memberships and purchases."""

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractDay, ExtractMonth, Right
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from core.db import empties_last_descending
from core.phones import PhoneNumberField
from simple_history.models import HistoricalRecords

from .choices import (
    ApprovalKind,
    ApprovalStatus,
    FollowUpMethod,
    Gender,
    GradeChangeKind,
    InvitationOutcome,
    LeadCriterion,
    LeadGrade,
    LeadStatus,
    MemberLevel,
    PurchaseStatus,
    Reaction,
    ReportKind,
    SourceChannel,
    VisitKind,
)
from .validators import validate_birthday, validate_id_number, validate_mobile


class Customer(models.Model):
    company = models.ForeignKey(
        "estates.Company", verbose_name=_("company"), on_delete=models.PROTECT, related_name="customers", editable=False
    )
    project = models.ForeignKey(
        "estates.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="customers",
        help_text=_("The project where the customer registered."),
    )
    name = models.CharField(_("full name"), max_length=50)
    mobile = PhoneNumberField(_("mobile phone"), validators=[validate_mobile])
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[validate_id_number])
    birthday = models.DateField(_("birthday"), null=True, blank=True, validators=[validate_birthday])
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    source_channel = models.CharField(
        _("source channel"), max_length=20, choices=SourceChannel.choices, default=SourceChannel.WALK_IN
    )
    consents_to_messages = models.BooleanField(_("consents to messages"), default=False)
    consent_changed_at = models.DateTimeField(_("consent changed at"), null=True, blank=True)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["company", "mobile"], name="unique_customer_mobile_per_company")]
        indexes = [
            models.Index(fields=["updated_at"], name="customer_updated_idx"),
            models.Index(fields=["-created_at", "-id"], name="customer_list_order_idx"),
            models.Index(fields=["project", "-created_at", "-id"], name="customer_project_order_idx"),
            models.Index(fields=["project", "consultant"], name="customer_project_owner_idx"),
            models.Index(fields=["gender", "-created_at", "-id"], name="customer_gender_order_idx"),  # a filter
            # the memberships' filter by consent: counted by joining its ids in order, not by reading every customer
            models.Index(fields=["consents_to_messages", "id"], name="customer_consent_idx"),
            # every ordering the list offers, both ways (a nullable field's empties last: core.ordering); the
            # indexes that say NULLS LAST are PostgreSQL's only (core.db.descending_empties_last_index)
            models.Index(fields=["birthday", "id"], name="customer_birthday_idx"),
            empties_last_descending("birthday", "customer_birthday_desc_idx"),
            # "born on this day" (birthday greetings, the home's card) asks by month and day of any year
            models.Index(ExtractMonth("birthday"), ExtractDay("birthday"), name="customer_birth_day_idx"),
            models.Index(fields=["name", "id"], name="customer_name_idx"),
            # the search box (selectors.customers_named): the start of a name or a mobile number, its last four
            models.Index(fields=["name"], name="customer_name_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["mobile"], name="customer_mobile_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(Right("mobile", 4), name="customer_mobile_tail_idx"),
            # within a project, as its staff read them, both ways (core/tests/test_list_indexes.py)
            models.Index(fields=["project", "name", "id"], name="customer_project_name_idx"),
            models.Index(fields=["project", "birthday", "id"], name="customer_project_birthday_idx"),
            empties_last_descending("birthday", "customer_project_bday_desc_idx", within="project"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.company_id = self.project.company_id
        super().save(*args, **kwargs)


class Purchase(models.Model):
    """One customer's purchase of one unit, from subscription to move-in (rule J23).

    The milestone dates are the facts later duties are computed from: the care schedule reads
    signed_on, delivered_on and moved_in_on; owner segments (M2) read moved_in_on.
    """

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="purchases"
    )
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="purchases", editable=False
    )
    unit = models.ForeignKey("estates.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="purchases")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="purchases",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PurchaseStatus.choices, default=PurchaseStatus.SUBSCRIBED
    )
    price = models.DecimalField(_("price (yuan)"), max_digits=12, decimal_places=2)
    discount_points = models.DecimalField(_("discount (percentage points)"), max_digits=5, decimal_places=2, default=0)
    deposit = models.DecimalField(_("deposit (yuan)"), max_digits=12, decimal_places=2, default=0)
    agreement_number = models.CharField(_("subscription agreement number"), max_length=50, blank=True)
    on_opening_day = models.BooleanField(_("subscribed on a centralized opening day"), default=False)
    subscribed_on = models.DateField(_("subscribed on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    loan_disbursed_on = models.DateField(_("loan disbursed on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancellation_reason = models.TextField(_("cancellation reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-subscribed_on", "-pk"]
        indexes = [
            models.Index(fields=["updated_at"], name="purchase_updated_idx"),
            models.Index(fields=["agreement_number"], name="purchase_agreement_idx"),  # the admin's search
            models.Index(fields=["project", "status"], name="purchase_project_status_idx"),
            # the orderings the list offers, both ways (a nullable field's empties last: core.ordering); the
            # indexes that say NULLS LAST are PostgreSQL's only (core.db.descending_empties_last_index)
            models.Index(fields=["signed_on", "id"], name="purchase_signed_on_idx"),
            empties_last_descending("signed_on", "purchase_signed_desc_idx"),
            models.Index(fields=["price", "id"], name="purchase_price_order_idx"),
            models.Index(fields=["delivered_on"], name="purchase_delivered_on_idx"),
            # A project's first delivery (the quality checks' anchor, J19) and its deliveries of a year (J15).
            models.Index(fields=["project", "delivered_on"], name="purchase_project_delivered_idx"),
            models.Index(fields=["moved_in_on"], name="purchase_moved_in_on_idx"),
            models.Index(fields=["-subscribed_on", "-id"], name="purchase_list_order_idx"),
            models.Index(fields=["project", "-subscribed_on", "-id"], name="purchase_project_order_idx"),
            models.Index(fields=["consultant", "-subscribed_on", "-id"], name="purchase_consultant_order_idx"),
            # within a project, as its staff read them, both ways (core/tests/test_list_indexes.py)
            models.Index(fields=["project", "price", "id"], name="purchase_project_price_idx"),
            models.Index(fields=["project", "signed_on", "id"], name="purchase_project_signed_idx"),
            empties_last_descending("signed_on", "purchase_proj_signed_desc_idx", within="project"),
        ]
        constraints = [
            # A unit is sold once: at most one purchase that is not cancelled.
            models.UniqueConstraint(
                fields=["unit"], condition=~models.Q(status="cancelled"), name="one_live_purchase_per_unit"
            ),
        ]

    def __str__(self):
        return f"{self.customer} · {self.unit}"

    def save(self, *args, **kwargs):
        self.project_id = self.unit.project_id
        super().save(*args, **kwargs)


class LeadRules(models.Model):
    """A project's follow-up cadence (rules L2, L3, L6, L7); the defaults are the rules' numbers."""

    project = models.OneToOneField(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="lead_rules"
    )
    a_interval_days = models.PositiveSmallIntegerField(
        _("A: days between follow-ups"), default=7, help_text=_("Rule L3: A leads at least weekly.")
    )
    a_after_opening_days = models.PositiveSmallIntegerField(
        _("A: follow up within days after the opening"),
        default=3,
        help_text=_("Rule L3: once within 3 days after the opening."),
    )
    b_interval_days = models.PositiveSmallIntegerField(
        _("B: longest gap between follow-ups (days)"), default=5, help_text=_("Rule L3: B every 3–5 days.")
    )
    c_interval_days = models.PositiveSmallIntegerField(
        _("C: days between follow-ups"), default=7, help_text=_("Rule L3: C, C1 and C2 at least weekly.")
    )
    d_interval_days = models.PositiveSmallIntegerField(
        _("D: days between return visits"), default=7, help_text=_("D leads are visited again until stopped.")
    )
    cycle_days = models.PositiveSmallIntegerField(
        _("cycle length (days)"), default=30, help_text=_("Rule L6: a month is one cycle.")
    )
    d_return_visits = models.PositiveSmallIntegerField(
        _("return visits before a D lead may stop"), default=3, help_text=_("Rule L7: three return visits.")
    )

    class Meta:
        verbose_name = _("lead rules")
        verbose_name_plural = _("lead rules")

    def __str__(self):
        return str(self.project)


class Visit(models.Model):
    """A customer's visit to the sales office (来访); first visits carry the club invitation (J5)."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="visits")
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="visits"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices)
    channel = models.CharField(
        _("channel"), max_length=20, choices=SourceChannel.choices, default=SourceChannel.WALK_IN
    )
    visited_at = models.DateTimeField(_("visited at"))
    invited_to_club = models.BooleanField(_("invited to the club"), default=False)
    invitation_outcome = models.CharField(
        _("invitation outcome"), max_length=20, choices=InvitationOutcome.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-pk"]
        indexes = [
            models.Index(fields=["project", "visited_at"], name="visit_project_time_idx"),
            models.Index(fields=["consultant", "kind"], name="visit_consultant_kind_idx"),
            models.Index(fields=["-visited_at", "-id"], name="visit_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.customer} · {self.visited_at:%Y-%m-%d}"


class Lead(models.Model):
    """One customer's interest in one project, graded A–D or invalid (rule L1)."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="leads")
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="leads"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    grade = models.CharField(_("grade"), max_length=10, choices=LeadGrade.choices)
    criteria = models.JSONField(_("criteria met"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=LeadStatus.choices, default=LeadStatus.ACTIVE)
    graded_at = models.DateTimeField(_("graded at"))
    next_follow_up_on = models.DateField(_("next follow-up due"), null=True, blank=True)
    last_follow_up_at = models.DateTimeField(_("last followed up at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["next_follow_up_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["customer", "project"], name="one_lead_per_customer_project")]
        indexes = [
            models.Index(fields=["updated_at"], name="lead_updated_idx"),
            models.Index(fields=["consultant", "status", "next_follow_up_on"], name="lead_owner_due_idx"),
            models.Index(fields=["project", "grade", "status"], name="lead_project_grade_idx"),
            # a status's leads in the list's order (the archived ones have no next follow-up: they sort last)
            models.Index(fields=["status", "next_follow_up_on", "id"], name="lead_status_order_idx"),
            models.Index(fields=["next_follow_up_on", "id"], name="lead_list_order_idx"),
            # the other orderings the list offers, both ways (a nullable field's empties last: core.ordering); the
            # indexes that say NULLS LAST are PostgreSQL's only (core.db.descending_empties_last_index)
            empties_last_descending("next_follow_up_on", "lead_due_desc_order_idx"),
            models.Index(fields=["graded_at", "id"], name="lead_graded_order_idx"),
            models.Index(fields=["grade", "id"], name="lead_grade_order_idx"),
            models.Index(fields=["project", "next_follow_up_on", "id"], name="lead_project_order_idx"),
            # A consultant's own list, in its order: its first page without walking the project's leads for theirs.
            models.Index(fields=["consultant", "next_follow_up_on", "id"], name="lead_consultant_order_idx"),
            # "My day": each grade's first due and overdue follow-ups, in date order.
            models.Index(fields=["grade", "status", "next_follow_up_on", "id"], name="lead_grade_due_idx"),
            models.Index(fields=["-created_at", "-id"], name="lead_created_order_idx"),
            # within a project, as its staff read them, both ways (core/tests/test_list_indexes.py)
            models.Index(fields=["project", "-created_at", "-id"], name="lead_project_created_idx"),
            models.Index(fields=["project", "graded_at", "id"], name="lead_project_graded_idx"),
            models.Index(fields=["project", "grade", "id"], name="lead_project_grade_order_idx"),
            empties_last_descending("next_follow_up_on", "lead_project_due_desc_idx", within="project"),
        ]

    def __str__(self):
        return f"{self.customer} · {self.grade_badge}"

    @property
    def grade_badge(self) -> str:
        """The grade as a badge shows it: the letter (A, C1 …), or the word for an invalid lead."""
        return self.get_grade_display() if self.grade == LeadGrade.INVALID else self.grade


class GradeChange(models.Model):
    """Every change of a lead's grade: from, to, who, when, why (rule L9)."""

    lead = models.ForeignKey(Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="grade_changes")
    from_grade = models.CharField(_("from grade"), max_length=10, choices=LeadGrade.choices, blank=True)
    to_grade = models.CharField(_("to grade"), max_length=10, choices=LeadGrade.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=GradeChangeKind.choices, default=GradeChangeKind.MANUAL)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    cycle = models.DateField(
        _("cycle ending"),
        null=True,
        blank=True,
        help_text=_("For changes made by the monthly cycle: the day the cycle ended."),
    )
    at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)
    approval = models.ForeignKey(
        "LeadApproval",
        verbose_name=_("approval"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grade_changes",
        help_text=_("The approved request this change carried out, if any."),
    )

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-at", "-pk"]
        constraints = [
            # The monthly cycle changes a lead at most once per cycle, however often it runs.
            models.UniqueConstraint(
                fields=["lead", "cycle"], condition=models.Q(cycle__isnull=False), name="one_cycle_change_per_lead"
            ),
        ]

    def __str__(self):
        return f"{self.lead}: {self.from_grade or '—'} → {self.to_grade}"


class FollowUp(models.Model):
    """A consultant's contact with a lead's customer and what came of it (rules L2, L3)."""

    lead = models.ForeignKey(Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="follow_ups")
    # Denormalised from the lead (whose project is kept from its creation) so that reports count a week's
    # follow-ups by project, and lists scope them, without joining a million leads.
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+", editable=False
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    method = models.CharField(_("method"), max_length=10, choices=FollowUpMethod.choices)
    content = models.TextField(_("content"))
    reaction = models.CharField(
        _("customer's reaction"), max_length=20, choices=Reaction.choices, default=Reaction.UNCHANGED
    )
    happened_at = models.DateTimeField(_("followed up at"), default=timezone.now)
    grade = models.CharField(_("grade at the time"), max_length=10, choices=LeadGrade.choices, editable=False)
    next_on = models.DateField(_("next follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-happened_at", "-pk"]
        indexes = [
            models.Index(fields=["lead", "happened_at"], name="followup_lead_time_idx"),
            models.Index(fields=["consultant", "happened_at"], name="followup_owner_time_idx"),
            models.Index(fields=["-happened_at", "-id"], name="followup_list_order_idx"),
            # a project's follow-ups newest first, and a week's counted by project and consultant from the index
            models.Index(fields=["project", "happened_at", "consultant"], name="followup_project_time_idx"),
        ]

    def __str__(self):
        return f"{self.lead} · {self.happened_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.project_id = self.lead.project_id
        super().save(*args, **kwargs)


class LeadApproval(models.Model):
    """A request that needs a superior's yes: C→D (supervisor), stop a D lead, mark a lead invalid or reclaim an
    invalid one (manager)."""

    lead = models.ForeignKey(Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("kind"), max_length=20, choices=ApprovalKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    reason = models.TextField(_("reason"))
    criteria = models.JSONField(
        _("criteria met"),
        default=list,
        blank=True,
        help_text=_("For a new grade: the checklist the consultant ticked (rule L1)."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("lead approval")
        verbose_name_plural = _("lead approvals")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "kind"], condition=models.Q(status="pending"), name="one_pending_approval_per_lead_kind"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="approval_status_kind_idx"),
            models.Index(fields=["-requested_at", "-id"], name="approval_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.lead}"

    @property
    def criteria_labels(self) -> list[str]:
        """The checklist the request rests on, in words (L1)."""
        return [LeadCriterion(value).label for value in self.criteria if value in LeadCriterion.values]


class OverdueFlag(models.Model):
    """An overdue follow-up flagged to one person (rule L3); unique per lead, due date and recipient."""

    lead = models.ForeignKey(Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="overdue_flags")
    due_on = models.DateField(_("was due on"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("flagged to"), on_delete=models.CASCADE, related_name="overdue_flags"
    )
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("overdue flag")
        verbose_name_plural = _("overdue flags")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["lead", "due_on", "recipient"], name="one_flag_per_due_date")]

    def __str__(self):
        return f"{self.lead} · {self.due_on}"


class SalesReport(models.Model):
    """A report a scheduled duty built: the supervisor's daily A/B digest (L4) or the weekly summary (L5)."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="sales_reports"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sales_reports",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    payload = models.JSONField(_("content"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sales report")
        verbose_name_plural = _("sales reports")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "project", "recipient", "period_start"],
                condition=models.Q(recipient__isnull=False),
                name="one_report_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["kind", "project", "period_start"],
                condition=models.Q(recipient__isnull=True),
                name="one_report_per_project",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.project} · {self.period_start}"


class Membership(models.Model):
    """Club membership (万客会, rule M1); consent to messages lives on the customer (M3)."""

    customer = models.OneToOneField(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="membership"
    )
    member_number = models.CharField(_("member number"), max_length=20, unique=True, editable=False)
    joined_on = models.DateField(_("joined on"))
    source_project = models.ForeignKey(
        "estates.Project", verbose_name=_("source project"), on_delete=models.PROTECT, related_name="memberships"
    )
    level = models.CharField(_("level"), max_length=10, choices=MemberLevel.choices, default=MemberLevel.REGULAR)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("club membership")
        verbose_name_plural = _("club memberships")
        ordering = ["-joined_on", "-pk"]
        indexes = [
            models.Index(fields=["source_project", "joined_on"], name="membership_project_joined_idx"),
            models.Index(fields=["-joined_on", "-id"], name="membership_list_order_idx"),
            models.Index(fields=["source_project", "member_number"], name="membership_project_number_idx"),
        ]

    def __str__(self):
        return self.member_number
