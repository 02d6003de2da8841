"""A company's clock targets, escalation levels, crisis team and retention (rules C3–C10)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ClockCalendar, RetentionAction

USER = settings.AUTH_USER_MODEL


def nine_in_the_morning() -> datetime.time:
    return datetime.time(9)


def six_in_the_evening() -> datetime.time:
    return datetime.time(18)


class ComplaintSettings(models.Model):
    """A company's clock targets and escalation and retention settings; defaults are the seeds'."""

    company = models.OneToOneField(
        "estates.Company", verbose_name=_("company"), on_delete=models.CASCADE, related_name="complaint_settings"
    )
    calendar = models.CharField(
        _("clocks count"), max_length=20, choices=ClockCalendar.choices, default=ClockCalendar.CALENDAR
    )
    workday_starts = models.TimeField(_("working day starts"), default=nine_in_the_morning)
    workday_ends = models.TimeField(_("working day ends"), default=six_in_the_evening)
    response_hours = models.PositiveSmallIntegerField(_("response within (hours)"), default=24, help_text=_("Rule C5."))
    report_head_minutes = models.PositiveSmallIntegerField(
        _("major: report to head within (minutes)"), default=10, help_text=_("Rule C6.")
    )
    solution_hours = models.PositiveSmallIntegerField(
        _("major: solution within (hours)"), default=12, help_text=_("Rule C6.")
    )
    plan_hours = models.PositiveSmallIntegerField(
        _("department plan within (hours)"), default=1, help_text=_("Rule C4.")
    )
    auto_major_days = models.PositiveSmallIntegerField(
        _("unresolved becomes major after (days)"), default=10, help_text=_("Rule C7.")
    )
    return_visit_hours = models.PositiveSmallIntegerField(
        _("return visit within (hours)"), default=24, help_text=_("Rules C9 and C13.")
    )
    crisis_people = models.PositiveSmallIntegerField(
        _("crisis from (people involved)"), default=10, help_text=_("Rule C3.")
    )
    escalate_head_after_minutes = models.PositiveIntegerField(
        _("escalate to head of department after breach (minutes)"), default=60
    )
    escalate_cr_head_after_minutes = models.PositiveIntegerField(
        _("escalate to customer-relations head after breach (minutes)"), default=240
    )
    retention_days = models.PositiveIntegerField(
        _("keep archived complaints (days)"), default=730, help_text=_("Rule C10: 2 years.")
    )
    retention_action = models.CharField(
        _("after the retention period"),
        max_length=20,
        choices=RetentionAction.choices,
        default=RetentionAction.ANONYMISE,
    )
    crisis_team = models.ManyToManyField(USER, verbose_name=_("crisis team"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")

    def __str__(self):
        return str(self.company)


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
