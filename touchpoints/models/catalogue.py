"""The 6+2 catalogue (J1, J2) and each project's plan and executions of it (J3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import ActionKind, Duty


class Step(models.Model):
    """One of the eight steps, in order, with its customer touchpoint and core content (J1)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    label = models.CharField(_("label"), max_length=20, help_text=_("第一步 … 第六步, +1, +2"))
    name = models.CharField(_("name"), max_length=50)
    touchpoint = models.CharField(_("customer touchpoint"), max_length=100)
    core_content = models.TextField(_("core content"))

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["position"]

    def __str__(self):
        return f"{self.label} {self.name}"


class Action(models.Model):
    """An action of a step, with what it is for and how it must be done (J2)."""

    step = models.ForeignKey(Step, verbose_name=_("step"), on_delete=models.PROTECT, related_name="actions")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices, default=ActionKind.STANDARD)
    purpose = models.TextField(_("purpose"), blank=True)
    requirements = models.TextField(_("execution requirements"), blank=True)
    lead_department = models.CharField(_("lead department"), max_length=50, blank=True)
    cooperating_departments = models.CharField(_("cooperating departments"), max_length=100, blank=True)
    references = models.TextField(_("references"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    duty = models.CharField(
        _("care duty"),
        max_length=30,
        choices=Duty.choices,
        blank=True,
        help_text=_("When set, the care tasks of this duty count as this action's executions."),
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["step__position", "position"]
        indexes = [models.Index(fields=["kind"], name="action_kind_idx")]

    def __str__(self):
        return self.name


class ProjectAction(models.Model):
    """An action in one project's plan: standard ones always, optional ones when opted in (J3)."""

    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="planned_actions"
    )
    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="project_plans")
    is_active = models.BooleanField(_("in the plan"), default=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planned action")
        verbose_name_plural = _("planned actions")
        ordering = ["project", "action__step__position", "action__position"]
        constraints = [models.UniqueConstraint(fields=["project", "action"], name="one_plan_row_per_project_action")]
        indexes = [models.Index(fields=["project", "due_on"], name="project_action_due_idx")]

    def __str__(self):
        return f"{self.project} · {self.action}"


def evidence_path(instance, filename):
    return f"touchpoints/evidence/{instance.planned_action.project_id}/{filename}"


class Execution(models.Model):
    """One execution of a planned action: when, who, notes and evidence (J3)."""

    planned_action = models.ForeignKey(
        ProjectAction, verbose_name=_("planned action"), on_delete=models.CASCADE, related_name="executions"
    )
    executed_on = models.DateField(_("executed on"))
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("executed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("execution")
        verbose_name_plural = _("executions")
        ordering = ["-executed_on", "-pk"]
        indexes = [
            models.Index(fields=["planned_action", "executed_on"], name="execution_action_date_idx"),
            models.Index(fields=["-executed_on", "-id"], name="execution_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.planned_action} · {self.executed_on}"


def extra_evidence_path(instance, filename):
    return f"touchpoints/evidence/{instance.execution.planned_action.project_id}/{filename}"


class EvidenceFile(models.Model):
    """Further evidence files of an execution (photos, reports)."""

    execution = models.ForeignKey(
        Execution, verbose_name=_("execution"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=extra_evidence_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["pk"]

    def __str__(self):
        return self.file.name
