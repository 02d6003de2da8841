"""Questionnaires, campaigns, invitations, responses and answers, low-score follow-ups (rules S1–S6)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from core.db import empties_last_descending
from core.calls import Callable, CallAttempt

from .choices import (
    CampaignStatus,
    FollowUpStatus,
    ImportStatus,
    ItemKind,
    ItemRole,
    RespondentSegment,
    ResponseSource,
    Step,
    SurveyKind,
)


class Questionnaire(models.Model):
    """One version of a questionnaire. `code` is shared by all versions; answers keep their version."""

    code = models.SlugField(_("code"), max_length=60, help_text=_("Shared by every version of this questionnaire."))
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("survey kind"), max_length=20, choices=SurveyKind.choices)
    step = models.CharField(_("6+2 step measured"), max_length=20, choices=Step.choices)
    introduction = models.TextField(_("introduction"), blank=True)
    is_current = models.BooleanField(_("current version"), default=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_questionnaire_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="one_current_questionnaire_version"
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_current"], name="questionnaire_kind_idx")]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def clean(self):
        others = Questionnaire.objects.filter(code=self.code, is_current=True).exclude(pk=self.pk)
        if self.is_current and others.exists():
            raise ValidationError(
                {"code": _("Another questionnaire already uses this code; edit that one to make a new version.")}
            )


class Item(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer kind"), max_length=10, choices=ItemKind.choices, default=ItemKind.SCALE)
    role = models.CharField(
        _("role in the figures"), max_length=12, choices=ItemRole.choices, blank=True, default=ItemRole.NONE
    )
    options = models.TextField(_("options"), blank=True, help_text=_("For a single-choice item: one option a line."))
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_item_code_per_questionnaire"),
            models.UniqueConstraint(
                fields=["questionnaire", "role"], condition=~Q(role=""), name="one_item_per_role_per_questionnaire"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Campaign(models.Model):
    """A questionnaire sent to a target group of one project, by message and/or the call center."""

    name = models.CharField(_("name"), max_length=120)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="campaigns"
    )
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="survey_campaigns"
    )
    segment = models.CharField(
        _("owner segment"),
        max_length=12,
        choices=RespondentSegment.choices,
        blank=True,
        help_text=_("Empty: every segment."),
    )
    step = models.CharField(
        _("6+2 step"),
        max_length=20,
        choices=Step.choices,
        blank=True,
        help_text=_("Customers whose milestone of this step falls in the period; empty: all."),
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    by_message = models.BooleanField(_("send a link by message"), default=True)
    by_call = models.BooleanField(_("call-center calls"), default=False)
    link_valid_days = models.PositiveSmallIntegerField(_("link valid for (days)"), default=14)
    reminder_after_days = models.PositiveSmallIntegerField(_("remind after (days)"), default=3)
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    public_base_url = models.CharField(_("link address"), max_length=200, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Kept by the database's triggers on the invitations (migration 0013), whoever writes them: read, never set.
    invited = models.PositiveIntegerField(_("invited"), default=0, editable=False)
    answered = models.PositiveIntegerField(_("answered"), default=0, editable=False)
    COUNTED = ("invited", "answered")
    history = HistoricalRecords(excluded_fields=COUNTED)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["project", "status"], name="campaign_project_status_idx"),
            models.Index(fields=["-created_at"], name="campaign_list_order_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            # The counts are the triggers': a campaign saved whole (the admin's form) keeps those of the database.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if field.name not in self.COUNTED and not field.primary_key
            ]
        super().save(*args, **kwargs)


class Invitation(Callable, models.Model):
    """One customer asked to answer a campaign. The link's token is stored hashed only."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="invitations"
    )
    customer = models.ForeignKey(
        "members.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="survey_invitations"
    )
    purchase = models.ForeignKey(
        "members.Purchase",
        verbose_name=_("purchase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(_("link token (hashed)"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["campaign", "customer"], name="one_invitation_per_customer")]
        indexes = [
            models.Index(fields=["campaign", "answered_at"], name="invitation_pending_idx"),
            models.Index(fields=["created_at", "id"], name="invitation_call_order_idx"),
            models.Index(fields=["call_back_at", "id"], name="invitation_call_back_idx"),
        ]

    def __str__(self):
        return f"{self.campaign} → {self.customer}"


class SurveyCall(CallAttempt):
    """A survey call that got no answers (no answer, call back later, declined …)."""

    invitation = models.ForeignKey(
        Invitation, verbose_name=_("survey invitation"), on_delete=models.CASCADE, related_name="calls"
    )

    class Meta(CallAttempt.Meta):
        verbose_name = _("survey call")
        verbose_name_plural = _("survey calls")


class Reminder(models.Model):
    """The n-th reminder of an invitation; the unique constraint makes the daily duty idempotent."""

    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="reminders"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    token_hash = models.CharField(_("link token (hashed)"), max_length=64, unique=True, editable=False)
    message = models.ForeignKey(
        "touchpoints.OutboundMessage",
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey reminder")
        verbose_name_plural = _("survey reminders")
        ordering = ["invitation", "number"]
        constraints = [models.UniqueConstraint(fields=["invitation", "number"], name="one_reminder_per_number")]

    def __str__(self):
        return f"{self.invitation} #{self.number}"


class ImportBatch(models.Model):
    """One Excel file of an independent survey firm's results (rule S5), imported whole."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="import_batches"
    )
    firm = models.CharField(_("survey firm"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=200)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.DONE)
    file = models.FileField(
        _("file"), upload_to="surveys/imports/%Y/%m/", blank=True, help_text=_("Kept while a worker imports it.")
    )
    errors = models.JSONField(
        _("errors"),
        default=list,
        blank=True,
        help_text=_("Why a worker imported nothing: row, column and problem (the first 500)."),
    )
    error_count = models.PositiveIntegerField(_("errors found"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("The importer's: a worker writes the errors in it.")
    )

    class Meta:
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.firm} · {self.file_name}"


class Response(models.Model):
    """One respondent's answers to one questionnaire version.

    The three loyalty facts (overall score, would buy again, would recommend) are copied from the
    answers when they are recorded, so figures aggregate one row per respondent in the database.
    The owner segment is the one the respondent was in when answering (rule S3).
    """

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="responses"
    )
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="survey_responses"
    )
    customer = models.ForeignKey(
        "members.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    purchase = models.ForeignKey(
        "members.Purchase",
        verbose_name=_("purchase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
    )
    import_batch = models.ForeignKey(
        ImportBatch, verbose_name=_("import"), null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    source = models.CharField(_("source"), max_length=12, choices=ResponseSource.choices)
    kind = models.CharField(_("survey kind"), max_length=20, choices=SurveyKind.choices, editable=False)
    step = models.CharField(_("6+2 step"), max_length=20, choices=Step.choices, editable=False)
    segment = models.CharField(
        _("owner segment when answering"),
        max_length=12,
        choices=RespondentSegment.choices,
        default=RespondentSegment.VISITOR,
    )
    overall_score = models.PositiveSmallIntegerField(_("overall score"), null=True, blank=True, editable=False)
    would_buy_again = models.BooleanField(_("would buy again"), null=True, blank=True, editable=False)
    would_recommend = models.BooleanField(_("would recommend"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_at", "-pk"]
        indexes = [
            models.Index(fields=["-answered_at", "-id"], name="response_list_order_idx"),
            # by score, both ways; descending with empties last on PostgreSQL only
            # (core.db.descending_empties_last_index)
            models.Index(fields=["overall_score", "id"], name="response_score_order_idx"),
            empties_last_descending("overall_score", "response_score_desc_idx"),
            models.Index(fields=["project", "answered_at"], name="response_project_date_idx"),
            models.Index(fields=["segment", "answered_at"], name="response_segment_date_idx"),
            models.Index(fields=["step", "answered_at"], name="response_step_date_idx"),
            models.Index(fields=["kind", "answered_at"], name="response_kind_date_idx"),
            # within a project, as its staff read them, both ways (core/tests/test_list_indexes.py)
            models.Index(fields=["project", "overall_score", "id"], name="response_project_score_idx"),
            empties_last_descending("overall_score", "response_proj_score_desc_idx", within="project"),
        ]

    def __str__(self):
        return f"{self.questionnaire} · {self.customer or self.project}"


class ResponseTally(models.Model):
    """A project's responses of one month (in the local zone) and owner segment, with the counts every
    satisfaction and loyalty figure is made of (S1–S3), kept by the database itself: triggers on the responses
    table (migration 0008) count every insert, change and delete, whichever way it comes (a survey answered, an
    import or its undoing, a correction, the admin). The home's twelve months of figures then add up a few
    hundred rows here instead of reading a large company's year of responses."""

    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="response_tallies"
    )
    month = models.DateField(_("month"))
    segment = models.CharField(_("owner segment when answering"), max_length=12, choices=RespondentSegment.choices)
    responses = models.IntegerField(_("responses"))
    respondents = models.IntegerField(_("respondents"))
    satisfied = models.IntegerField(_("satisfied"))
    loyalty_base = models.IntegerField(_("answered the loyalty questions"))
    loyal = models.IntegerField(_("loyal"))

    class Meta:
        verbose_name = _("response tally")
        verbose_name_plural = _("response tallies")
        constraints = [
            models.UniqueConstraint(fields=["project", "month", "segment"], name="unique_response_tally_per_month")
        ]
        indexes = [models.Index(fields=["month"], name="response_tally_month_idx")]

    def __str__(self):
        return f"{self.project_id} {self.month:%Y-%m} {self.segment}: {self.responses}"


class Answer(models.Model):
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    yes = models.BooleanField(_("yes or no"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="answer_score_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["item", "score"], name="answer_item_score_idx")]

    def __str__(self):
        return f"{self.item}: {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.score is not None:
            return str(self.score)
        if self.yes is not None:
            return str(_("yes") if self.yes else _("no"))
        return self.choice or self.text


class FollowUp(models.Model):
    """客户调查回访: a low score (1 or 2) is called back and its solution tracked to closure (S6)."""

    response = models.OneToOneField(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="follow_up"
    )
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="survey_follow_ups"
    )
    customer = models.ForeignKey(
        "members.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_follow_ups",
    )
    problem = models.TextField(_("low scores"))
    status = FSMField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN, protected=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_follow_ups",
    )
    due_on = models.DateField(_("due on"))
    findings = models.TextField(_("what the customer said"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    resolved_at = models.DateTimeField(_("solution carried out at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey follow-up")
        verbose_name_plural = _("survey follow-ups")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["project", "status", "due_on"], name="followup_queue_idx"),
            models.Index(fields=["assignee", "status"], name="followup_assignee_idx"),
            models.Index(fields=["due_on", "id"], name="survey_followup_order_idx"),
            models.Index(fields=["created_at", "id"], name="survey_followup_created_idx"),
            models.Index(fields=["project", "due_on", "id"], name="survey_followup_project_idx"),
            models.Index(fields=["project", "-created_at", "-id"], name="survey_fu_project_created_idx"),
        ]

    def __str__(self):
        return f"{self.customer or self.project} · {self.get_status_display()}"

    # The moves of the follow-up; surveys.services locks the row and calls them.
    @transition(field=status, source=FollowUpStatus.OPEN, target=FollowUpStatus.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=status, source=[FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS], target=FollowUpStatus.RESOLVED)
    def resolve(self):
        pass

    @transition(field=status, source=FollowUpStatus.RESOLVED, target=FollowUpStatus.CLOSED)
    def close(self):
        pass

    @transition(field=status, source=FollowUpStatus.RESOLVED, target=FollowUpStatus.IN_PROGRESS)
    def reopen(self):
        pass
