"""Owner sign-in (one-time SMS codes and owner sessions, apart from staff sessions) and erasure requests."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from core.phones import PhoneNumberField
from simple_history.models import HistoricalRecords

from .choices import ErasureStatus, SessionKind


class SignInCode(models.Model):
    """A 6-digit code sent by text message; only its keyed hash is stored. One row per request, whether or not
    the number belongs to an owner, so that throttles count alike and the answer gives nothing away."""

    mobile = PhoneNumberField(_("mobile phone"), db_index=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True, db_index=True)
    code_hash = models.CharField(_("code (hashed)"), max_length=64, editable=False)
    sent = models.BooleanField(_("sent"), default=False, help_text=_("False when no owner has this number."))
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    failed_attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.pk} · {self.created_at:%Y-%m-%d %H:%M}"


class OwnerSession(models.Model):
    """An owner signed in: a browser session (its own cookie, never Django's staff session) or an API token.
    The owner is the mobile number: every customer record with that number and a purchase."""

    mobile = PhoneNumberField(_("mobile phone"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind.choices)
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    ended_at = models.DateTimeField(_("signed out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("owner session")
        verbose_name_plural = _("owner sessions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class ErasureRequest(models.Model):
    """An owner's request that their personal data be erased; staff handle it in the admin (audited)."""

    customer = models.ForeignKey(
        "members.Customer",
        verbose_name=_("customer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="erasure_requests",
    )
    reason = models.TextField(_("owner's reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    outcome = models.TextField(
        _("outcome"), blank=True, help_text=_("What was erased, or why not (e.g. records the law requires to be kept).")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(status="requested"),
                name="one_open_erasure_request_per_customer",
            )
        ]

    def __str__(self):
        return f"{self.customer} · {self.get_status_display()}"
