"""Calls that did not get the job done: what happened on the line, and when to try again.

Every queue the phone works through (care tasks, survey calls) records its attempts alike: the outcomes are
declared here once, a queued item carries the `Callable` fields the queue sorts and filters by, and each app
keeps its attempts in a model of its own built on `CallAttempt`. The call that gets the job done is not an
attempt: it completes the task or records the answers.
"""

import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .widgets import DateTimeInput


class CallOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Line busy")
    CALL_BACK = "call_back", _("Asked to be called back")
    WRONG_NUMBER = "wrong_number", _("Wrong or unreachable number")
    DECLINED = "declined", _("Declined")


# After these the number is not called again for the same purpose.
FINAL_OUTCOMES = frozenset({CallOutcome.WRONG_NUMBER, CallOutcome.DECLINED})


class Callable(models.Model):
    """What a queue shows of the attempts on one of its items."""

    call_attempts = models.PositiveSmallIntegerField(_("call attempts"), default=0)
    last_call_outcome = models.CharField(_("last call"), max_length=20, choices=CallOutcome.choices, blank=True)
    call_back_at = models.DateTimeField(_("call back at"), null=True, blank=True)

    class Meta:
        abstract = True


class CallAttempt(models.Model):
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallOutcome.choices)
    call_back_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called by"), on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField(_("called at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-called_at", "-pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} · {timezone.localtime(self.called_at):%Y-%m-%d %H:%M}"


def record_attempt(*, item: Callable, attempts, actor, outcome: str, call_back_at=None, note: str = ""):
    """Add an attempt to `item` (locked by the caller, in its transaction) through its `attempts` manager."""
    if outcome not in CallOutcome.values:
        raise DomainError(_("Choose what happened on the call."), field="outcome")
    if outcome == CallOutcome.CALL_BACK and call_back_at is None:
        raise DomainError(_("Say when the customer asked to be called back."), field="call_back_at")
    if call_back_at is not None:
        if outcome in FINAL_OUTCOMES:
            raise DomainError(_("This number is not called again."), field="call_back_at")
        if call_back_at <= timezone.now():
            raise DomainError(_("The call-back time must be in the future."), field="call_back_at")
        if call_back_at - timezone.now() > datetime.timedelta(days=90):
            raise DomainError(_("Call back within 90 days."), field="call_back_at")
    attempt = attempts.create(outcome=outcome, call_back_at=call_back_at, note=note.strip(), called_by=actor)
    type(item).objects.filter(pk=item.pk).update(
        call_attempts=F("call_attempts") + 1, last_call_outcome=outcome, call_back_at=call_back_at
    )
    item.refresh_from_db(fields=["call_attempts", "last_call_outcome", "call_back_at"])
    return attempt


class CallForm(forms.Form):
    """The dashboard's form for an attempt; the rules are record_attempt's."""

    outcome = forms.ChoiceField(label=_("What happened"), choices=CallOutcome.choices)
    call_back_at = forms.DateTimeField(
        label=_("Call back at"),
        required=False,
        widget=DateTimeInput(),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    prefix = "call"


def to_call_now() -> Q:
    """Items not waiting for an agreed call-back time."""
    return Q(call_back_at__isnull=True) | Q(call_back_at__lte=timezone.now())
